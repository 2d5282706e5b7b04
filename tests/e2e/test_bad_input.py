"""Bad input (issue 9.6), for `zwgk audit` and `zwgk run` alike: an --as-of in the future, an --out
that cannot be written, a registry with a missing column, a bad URL, a duplicate site or the wrong
encoding, a config with an unknown key or a negative threshold — one line naming the problem,
exit 2, no traceback, and nothing written (no output folder, no database)."""
from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from audits import default_as_of

from .helpers import zwgk

SITE = "http://127.0.0.1:9/"        # never reached: every case is refused before any request
REGISTRY = "name,url\n甲局,http://127.0.0.1:9/\n"


def _refused(proc, tmp: Path, *words: str) -> None:
    assert proc.returncode == 2, (proc.returncode, proc.stderr)
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    for word in words:
        assert word in lines[0], lines[0]
    assert not (tmp / "out").exists(), "an output folder was made"
    assert not list(tmp.glob("*.db")), "a database was made"
    assert not (tmp / "zwgk-out").exists()


def _audit(tmp: Path, *extra: str):
    return zwgk("audit", SITE, "--out", "out", "--db", "h.db", "--render", "never", *extra, cwd=tmp)


def _run(tmp: Path, registry: str | bytes = REGISTRY, *extra: str, name: str = "sites.csv"):
    path = tmp / name
    if isinstance(registry, bytes):
        path.write_bytes(registry)
    else:
        path.write_text(registry, encoding="utf-8")
    return zwgk("run", name, "--out", "out", "--db", "h.db", "--render", "never", *extra, cwd=tmp)


@pytest.mark.parametrize("command", ["audit", "run"])
def test_as_of_in_the_future_is_refused(tmp_path, command):
    tomorrow = (default_as_of() + timedelta(days=1)).isoformat()
    proc = _audit(tmp_path, "--as-of", tomorrow) if command == "audit" else \
        _run(tmp_path, REGISTRY, "--as-of", tomorrow)
    _refused(proc, tmp_path, tomorrow, "晚于今天")


@pytest.mark.parametrize("command", ["audit", "run"])
def test_an_out_that_cannot_be_written_is_refused(tmp_path, command):
    # A file where a folder must go: unwritable for any user, root included.
    (tmp_path / "blocker").write_text("x", encoding="utf-8")
    out = str(tmp_path / "blocker" / "out")
    args = ("audit", SITE) if command == "audit" else ("run", "sites.csv")
    (tmp_path / "sites.csv").write_text(REGISTRY, encoding="utf-8")
    proc = zwgk(*args, "--out", out, "--db", "h.db", "--render", "never", cwd=tmp_path)
    _refused(proc, tmp_path, "输出目录", "无法写入")
    # …and an --out that is an existing file.
    proc = zwgk(*args, "--out", str(tmp_path / "blocker"), "--db", "h.db", cwd=tmp_path)
    _refused(proc, tmp_path, "不是目录")


@pytest.mark.skipif(not hasattr(__import__("os"), "geteuid") or __import__("os").geteuid() == 0,
                    reason="root writes anywhere")
def test_a_read_only_out_is_refused(tmp_path):
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(0o500)
    try:
        proc = zwgk("audit", SITE, "--out", str(ro / "out"), "--db", "h.db", cwd=tmp_path)
        _refused(proc, tmp_path, "没有写权限")
    finally:
        ro.chmod(0o700)


@pytest.mark.parametrize("registry, words", [
    ("name,site\n甲局,http://a.gov.cn/\n", ("url",)),                                # missing column
    ("url\nhttp://a.gov.cn/\n", ("name",)),
    ("name,url\n甲局,www.a.gov.cn\n", ("网址",)),                                    # bad URL
    ("name,url\n甲局,javascript:alert(1)\n", ("网址",)),
    ("name,url\n甲局,http://a.gov.cn/\n乙局,http://A.gov.cn\n", ("重复",)),          # duplicate site
    ("name,url\n甲局,http://a.gov.cn/\n甲局,http://b.gov.cn/\n", ("重复",)),
    ("name,url\n甲局,http://a.gov.cn/\n乙局,http://a.gov.cn/index.html\n", ("重复",)),
    ("name,url\n甲局,http://a.gov.cn/\n".encode("gbk"), ("UTF-8",)),                # wrong encoding
    ("name,url\n甲局,http://a.gov.cn/\n".encode("utf-16"), ("UTF-8",)),
])
def test_bad_registry_is_refused(tmp_path, registry, words):
    _refused(_run(tmp_path, registry), tmp_path, *words)


def test_bad_yaml_registry_is_refused(tmp_path):
    _refused(_run(tmp_path, "- name: 甲局\n  url: [http://a.gov.cn/\n", name="sites.yaml"), tmp_path)
    _refused(_run(tmp_path, "- name: 甲局\n  url: http://a.gov.cn/\n  colour: red\n", name="sites.yaml"),
             tmp_path, "colour")


@pytest.mark.parametrize("config, words", [
    ("rulez: {}\n", ("rulez",)),                                                       # unknown key
    ("rules:\n  column.stale:\n    news_dayz: 7\n", ("news_dayz",)),
    ("rules:\n  column.nonesuch: {}\n", ("column.nonesuch",)),
    ("rules:\n  column.stale:\n    news_days: -3\n", ("news_days", "-3")),                # negative
    ("columns:\n  工作动态: {docs_min: -1}\n", ("docs_min",)),
    ("rules: [1, 2\n", ("YAML",)),
])
@pytest.mark.parametrize("command", ["audit", "run"])
def test_bad_config_is_refused(tmp_path, command, config, words):
    (tmp_path / "zwgk.yaml").write_text(config, encoding="utf-8")
    proc = _audit(tmp_path, "--config", "zwgk.yaml") if command == "audit" else \
        _run(tmp_path, REGISTRY, "--config", "zwgk.yaml")
    _refused(proc, tmp_path, *words)


@pytest.mark.parametrize("db, words", [
    ("postgresql://zwgk@127.0.0.1:1/zwgk", ("数据库",)),           # nothing listens there
    ("postgresql://zwgk@127.0.0.1:notaport/zwgk", ("数据库",)),     # malformed
    ("mysql://x@127.0.0.1/zwgk", ("数据库",)),                      # not a database zwgk speaks
])
def test_bad_database_url_is_refused(tmp_path, db, words):
    proc = zwgk("audit", SITE, "--out", "out", "--db", db, cwd=tmp_path)
    _refused(proc, tmp_path, *words)
