"""Run the real `zwgk` command line in a subprocess, as users and schedulers do."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def zwgk(*args: str, cwd: Path, timeout: float = 300) -> subprocess.CompletedProcess:
    # The checkout first on the path: the tests run this tree's code even where it is not installed.
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")]))}
    return subprocess.run([sys.executable, "-m", "zwgk", *args], cwd=cwd, capture_output=True,
                          text=True, timeout=timeout, env=env)


def audit(url: str, out: Path, *extra: str, as_of: str = "2026-11-20") -> tuple[subprocess.CompletedProcess, list[dict]]:
    """`zwgk audit` against a local fixture server, fast settings; returns (process, findings)."""
    proc = zwgk("audit", url, "--out", str(out), "--as-of", as_of, "--no-throttle",
                "--per-host", "8", "--db", str(out / "zwgk.db"), *extra, cwd=out.parent)
    findings = []
    if (out / "findings.json").exists():
        findings = json.loads((out / "findings.json").read_text(encoding="utf-8"))
    return proc, findings
