"""Run the real `zwgk` command line in a subprocess, as users and schedulers do."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path


def zwgk(*args: str, cwd: Path, timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "zwgk", *args], cwd=cwd, capture_output=True,
                          text=True, timeout=timeout)


def audit(url: str, out: Path, *extra: str, as_of: str = "2026-11-20") -> tuple[subprocess.CompletedProcess, list[dict]]:
    """`zwgk audit` against a local fixture server, fast settings; returns (process, findings)."""
    proc = zwgk("audit", url, "--out", str(out), "--as-of", as_of, "--no-throttle",
                "--per-host", "8", "--db", str(out / "zwgk.db"), *extra, cwd=out.parent)
    findings = []
    if (out / "findings.json").exists():
        findings = json.loads((out / "findings.json").read_text(encoding="utf-8"))
    return proc, findings
