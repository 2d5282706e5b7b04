"""One log file holds the whole audit (issue 9.4): the crawl, its link check and a crash's
traceback all end up in the output folder's zwgk.log — the link check no longer truncates it."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.sites.generator import ColumnSpec, SiteSpec
from tests.sites.server import serve
from tests.sites.generator import build_site

REPO = Path(__file__).resolve().parents[2]
# Loaded at interpreter start (sitecustomize on the path): makes the audit step raise, as a bug
# in a rule would, after the crawl and its link check have run.
CRASH = '''
import audits
def _boom(*args, **kwargs):
    raise RuntimeError("a rule crashed (test)")
audits.audit = _boom
'''


def _audit(base: str, out: Path, shim: Path | None = None) -> subprocess.CompletedProcess:
    path = [str(shim)] if shim else []
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(path + [str(REPO)])}
    return subprocess.run([sys.executable, "-m", "zwgk", "audit", base, "--out", str(out),
                           "--db", str(out.parent / f"{out.name}.db"), "--as-of", "2026-11-20",
                           "--render", "never", "--no-throttle", "--per-host", "8"],
                          capture_output=True, text=True, timeout=300, env=env, cwd=out.parent)


def _site(tmp: Path) -> Path:
    root = tmp / "site"
    build_site(root, SiteSpec(seed=2, page_size=5, dead_links=1,
                              columns=[ColumnSpec.of("工作动态", 4), ColumnSpec.of("通知公告", 3)]))
    return root


def test_the_log_holds_the_crawl_and_the_link_check(tmp_path):
    with serve(_site(tmp_path)) as base:
        proc = _audit(base, tmp_path / "out")
    assert proc.returncode == 0, proc.stderr[-2000:]
    log = (tmp_path / "out" / "zwgk.log").read_text("utf-8")
    assert "[disclosure]" in log and "[linkcheck]" in log
    assert log.count("Spider closed") == 2          # both crawls, the first one not overwritten
    assert log.index("[disclosure]") < log.index("[linkcheck]")


def test_a_crash_leaves_its_traceback_in_the_same_log(tmp_path):
    shim = tmp_path / "shim"
    shim.mkdir()
    (shim / "sitecustomize.py").write_text(CRASH, "utf-8")
    with serve(_site(tmp_path)) as base:
        proc = _audit(base, tmp_path / "out", shim)
    assert proc.returncode == 1
    log_path = tmp_path / "out" / "zwgk.log"
    assert str(log_path) in proc.stderr and "Traceback" not in proc.stderr
    log = log_path.read_text("utf-8")
    assert "[linkcheck]" in log and "Spider closed" in log      # the crawl is still there
    assert "Traceback" in log and "a rule crashed (test)" in log
