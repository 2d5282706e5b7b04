"""A bad --db (malformed, unknown kind, unreachable server, not a database) is one clear line and
exit 2 for every command that takes one, before anything is crawled or written."""
from __future__ import annotations

import socket

import pytest

from tests.e2e.helpers import zwgk


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def commands(tmp_path, db: str) -> dict[str, list[str]]:
    sites = tmp_path / "sites.csv"
    sites.write_text("name,url\n示例网站,http://127.0.0.1:9/\n", encoding="utf-8")
    out = str(tmp_path / "out")
    return {
        "audit": ["audit", "http://127.0.0.1:9/", "--db", db, "--out", out],
        "run": ["run", str(sites), "--db", db, "--out", out],
        "probe": ["probe", str(sites), "--db", db],
        "triage": ["triage", "list", "--db", db],
        "db": ["db", "upgrade", "--db", db],
    }


def assert_one_line(proc, *words):
    assert proc.returncode == 2, (proc.returncode, proc.stderr)
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    for w in words:
        assert w in lines[0], lines[0]


@pytest.mark.parametrize("command", ["audit", "run", "probe", "triage", "db"])
def test_unreachable_postgresql_is_one_line_exit_2_for_every_command(tmp_path, command):
    db = f"postgresql://zwgk:secret@127.0.0.1:{closed_port()}/zwgk"
    proc = zwgk(*commands(tmp_path, db)[command], cwd=tmp_path, timeout=60)
    assert_one_line(proc, "无法打开数据库", "127.0.0.1")
    assert "secret" not in proc.stderr          # the password is not echoed
    assert not (tmp_path / "out").exists()      # nothing written


@pytest.mark.parametrize("db,words", [
    ("postgresql://zwgk@127.0.0.1:notaport/zwgk", ["数据库"]),
    ("mysql://zwgk@127.0.0.1/zwgk", ["不支持的数据库类型"]),
    ("nosuchdb://x", ["不支持的数据库类型"]),
    ("/proc/no/such/dir/zwgk.db", ["无法创建数据库"]),
])
def test_malformed_database_urls(tmp_path, db, words):
    assert_one_line(zwgk("db", "upgrade", "--db", db, cwd=tmp_path, timeout=60), *words)


def test_a_file_that_is_not_a_database(tmp_path):
    junk = tmp_path / "notes.txt"
    junk.write_text("这不是数据库\n" * 100, encoding="utf-8")
    proc = zwgk(*commands(tmp_path, str(junk))["audit"], cwd=tmp_path, timeout=60)
    assert_one_line(proc, "无法打开数据库")
    assert junk.read_text(encoding="utf-8").startswith("这不是数据库")


def test_postgresql_url_that_works(tmp_path, pg_url):
    """The same commands accept a reachable server: `db upgrade` makes the schema, `triage list`
    reads the (empty) store."""
    proc = zwgk("db", "upgrade", "--db", pg_url, cwd=tmp_path, timeout=60)
    assert proc.returncode == 0 and "已新建数据库" in proc.stdout, proc.stderr
    proc = zwgk("triage", "list", "--db", pg_url, cwd=tmp_path, timeout=60)
    assert proc.returncode == 0 and proc.stdout.strip() == "", proc.stderr
