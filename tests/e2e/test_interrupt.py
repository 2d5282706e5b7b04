"""Interruption (issue 9.5): `kill -9` during `zwgk audit` and during `zwgk run`, then the same
command again. The killed site is restarted cleanly, every site is stored once (one audited run
per site for the night; the killed runs set aside as `interrupted`, never history), the reports
equal those of an uninterrupted run, and no run is left `crawling`."""
from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import pytest
import yaml

from tests.sites.generator import ColumnSpec, SiteSpec, build_site
from tests.sites.server import serve

from .helpers import REPO, zwgk

AS_OF = SiteSpec().as_of.isoformat()
SLOW = {"*": {"delay": 0.4}}        # every page a little slow: the crawl lasts long enough to kill
FAST = ("--no-throttle", "--render", "never", "--timeout", "5", "--no-screenshots")


def _spec(seed: int) -> SiteSpec:
    return replace(SiteSpec(seed=seed), page_size=5, dead_links=1, missing_fields=1,
                   columns=[ColumnSpec.of("工作动态", 6), ColumnSpec.of("通知公告", 5, "stale"),
                            ColumnSpec.of("人事信息", 0, "empty")])


def _spawn(*args: str, cwd: Path) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")]))}
    return subprocess.Popen([sys.executable, "-m", "zwgk", *args], cwd=cwd, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)


def _kill_mid_crawl(proc: subprocess.Popen, db: Path, *, fetches: int = 6, limit: float = 120) -> None:
    """kill -9 once the crawl has stored a few fetches (and is not finished)."""
    end = time.monotonic() + limit
    while time.monotonic() < end:
        assert proc.poll() is None, "the command ended before it could be killed"
        if db.exists():
            try:
                with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1) as conn:
                    n = conn.execute("select count(*) from fetches").fetchone()[0]
            except sqlite3.OperationalError:
                n = 0
            if n >= fetches:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(10)
                return
        time.sleep(0.1)
    os.killpg(proc.pid, signal.SIGKILL)
    raise AssertionError("the crawl stored nothing to interrupt")


def _states(db: Path) -> list[tuple[str, str]]:
    with sqlite3.connect(db) as conn:
        return conn.execute("select site_url, state from runs order by id").fetchall()


def _findings(folder: Path, base: str) -> set[tuple]:
    rows = json.loads((folder / "findings.json").read_text("utf-8"))
    cut = lambda u: (u or "").replace(base, "/")        # noqa: E731
    return {(f["rule_id"], f.get("column", ""), cut(f.get("url")), cut(f.get("target")),
             f.get("status", "")) for f in rows}


def test_kill_9_during_audit_then_the_same_command(tmp_path):
    root = tmp_path / "site"
    build_site(root, _spec(3))
    with serve(root, SLOW) as base:
        # Reference: the same audit, never interrupted.
        ref = zwgk("audit", base, "--out", "ref", "--db", "ref.db", "--as-of", AS_OF, *FAST,
                   cwd=tmp_path)
        assert ref.returncode == 0, ref.stderr[-2000:]
        args = ("audit", base, "--out", "out", "--db", "z.db", "--as-of", AS_OF, *FAST)
        _kill_mid_crawl(_spawn(*args, cwd=tmp_path), tmp_path / "z.db")
        assert [s for _, s in _states(tmp_path / "z.db")] == ["crawling"]      # what a kill leaves
        again = zwgk(*args, cwd=tmp_path)
    assert again.returncode == 0, again.stderr[-2000:]
    assert [s for _, s in _states(tmp_path / "z.db")] == ["interrupted", "audited"]
    assert _findings(tmp_path / "out", base) == _findings(tmp_path / "ref", base)
    summary = json.loads((tmp_path / "out" / "run.json").read_text("utf-8"))
    assert summary["cut_short"] is False


def test_kill_9_during_run_then_the_same_command(tmp_path):
    registry, bases = [], []
    with serve(_build(tmp_path, 1), SLOW) as a, serve(_build(tmp_path, 2), SLOW) as b:
        for name, base in (("甲区人民政府", a), ("乙区人民政府", b)):
            registry.append({"name": name, "url": base, "kind": "government"})
            bases.append(base)
        (tmp_path / "sites.yaml").write_text(yaml.safe_dump(registry, allow_unicode=True), "utf-8")
        ref = zwgk("run", "sites.yaml", "--out", "ref", "--db", "ref.db", "--as-of", AS_OF, *FAST,
                   cwd=tmp_path, timeout=600)
        assert ref.returncode == 0, ref.stderr[-2000:]
        args = ("run", "sites.yaml", "--out", "out", "--db", "z.db", "--as-of", AS_OF, *FAST)
        _kill_mid_crawl(_spawn(*args, cwd=tmp_path), tmp_path / "z.db")
        assert "crawling" in {s for _, s in _states(tmp_path / "z.db")}
        again = zwgk(*args, cwd=tmp_path, timeout=600)
    assert again.returncode == 0, again.stderr[-2000:]
    states = _states(tmp_path / "z.db")
    assert "crawling" not in {s for _, s in states}
    for base in bases:      # each site stored once for the night; the killed run set aside
        assert sorted(s for u, s in states if u == base) == ["audited", "interrupted"]
    for entry, base in zip(registry, bases):
        folder = entry["name"]
        assert _findings(tmp_path / "out" / folder, base) == _findings(tmp_path / "ref" / folder, base)
    # The run's own findings (statuses from history: all new, as on an uninterrupted first night).
    out = json.loads((tmp_path / "out" / "findings.json").read_text("utf-8"))
    ref_rows = json.loads((tmp_path / "ref" / "findings.json").read_text("utf-8"))
    assert sorted(f["status"] for f in out) == sorted(f["status"] for f in ref_rows)
    assert {f["status"] for f in out} == {"new"}


@pytest.mark.parametrize("left", ["crawled", "crawling"])
def test_a_night_killed_between_its_audits_is_stored_once(tmp_path, left):
    """Killed while auditing (one site audited, the other not yet): the same night again sets
    the whole killed batch aside, so history holds one run per site for that night."""
    root = _build(tmp_path, 1)
    with serve(root) as a, serve(_build(tmp_path, 2)) as b:
        (tmp_path / "sites.yaml").write_text(yaml.safe_dump(
            [{"name": "甲", "url": a}, {"name": "乙", "url": b}], allow_unicode=True), "utf-8")
        args = ("run", "sites.yaml", "--out", "out", "--db", "z.db", "--as-of", AS_OF, *FAST)
        first = zwgk(*args, cwd=tmp_path, timeout=600)
        assert first.returncode == 0, first.stderr[-2000:]
        with sqlite3.connect(tmp_path / "z.db") as conn:      # what a kill between audits leaves
            conn.execute("update runs set state = ? where id = (select max(id) from runs)", (left,))
        again = zwgk(*args, cwd=tmp_path, timeout=600)
        assert again.returncode == 0, again.stderr[-2000:]
    states = _states(tmp_path / "z.db")
    for base in (a, b):
        assert sorted(s for u, s in states if u == base) == ["audited", "interrupted"]
    rows = json.loads((tmp_path / "out" / "findings.json").read_text("utf-8"))
    assert rows and {f["status"] for f in rows} == {"new"}      # not "persisting" from the killed night
    assert {f["consecutive"] for f in rows} == {1}


def _build(tmp: Path, seed: int) -> Path:
    root = tmp / f"site{seed}"
    if not root.exists():
        build_site(root, _spec(seed))
    return root
