"""Bad input gets one clear line and exit 2; a dead or non-HTML site is a finding, not a crash."""
import socket

import pytest

from zwgk.serve import serve_directory

from .helpers import audit, zwgk


@pytest.mark.parametrize("bad", ["not a url", "ftp://example.gov.cn/", "http://", "www.gov.cn"])
def test_bad_url_is_one_line_and_exit_2(tmp_path, bad):
    proc = zwgk("audit", bad, cwd=tmp_path)
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "网址" in lines[0]
    assert "Traceback" not in proc.stderr


@pytest.mark.parametrize("args,word", [
    (["audit", "http://127.0.0.1:9/", "--as-of", "2026-13-01"], "日期"),
    (["audit", "http://127.0.0.1:9/", "--max-pages", "0"], "正整数"),
    (["audit", "http://127.0.0.1:9/", "--config", "/nonexistent/zwgk.yaml"], "配置文件"),
    (["frobnicate"], "frobnicate"),
    ([], "子命令"),
])
def test_bad_arguments_exit_2(tmp_path, args, word):
    proc = zwgk(*args, cwd=tmp_path)
    assert proc.returncode == 2, proc.stderr
    assert word in proc.stderr and len(proc.stderr.strip().splitlines()) == 1


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_unreachable_host_is_a_finding(tmp_path):
    proc, findings = audit(f"http://127.0.0.1:{_closed_port()}/", tmp_path / "out")
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    assert [f["rule_id"] for f in findings] == ["site.unreachable"]
    assert (tmp_path / "out" / "scorecard.html").exists()
    assert proc.stdout.strip().endswith("scorecard.html")


def test_homepage_that_is_not_html_is_a_finding(tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    (site / "home.pdf").write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\n")
    with serve_directory(site) as base:
        proc, findings = audit(base + "home.pdf", tmp_path / "out")
    assert proc.returncode == 0, proc.stderr
    assert [f["rule_id"] for f in findings] == ["site.unreachable"]


def test_bad_config_key_is_named_in_one_line(tmp_path):
    cfg = tmp_path / "zwgk.yaml"
    cfg.write_text("rules:\n  column.stale:\n    news_dayz: 7\n", encoding="utf-8")
    proc = zwgk("audit", "http://127.0.0.1:9/", "--config", str(cfg), cwd=tmp_path)
    assert proc.returncode == 2
    assert "news_dayz" in proc.stderr and len(proc.stderr.strip().splitlines()) == 1


def test_config_thresholds_change_the_verdict_and_are_listed(tmp_path):
    from zwgk.demo import DEMO_SITE
    cfg = tmp_path / "zwgk.yaml"
    # The demo's 工作动态 is days old: fresh at 14 days, stale at a 1-day limit.
    cfg.write_text("rules:\n  column.stale:\n    news_days: 1\n", encoding="utf-8")
    with serve_directory(DEMO_SITE) as base:
        _, default = audit(base, tmp_path / "default", "--render", "never")
        proc, strict = audit(base, tmp_path / "strict", "--render", "never", "--config", str(cfg))
    assert proc.returncode == 0, proc.stderr[-1000:]
    stale = lambda fs: {f["column"] for f in fs if f["rule_id"] == "column.stale"}  # noqa: E731
    assert "工作动态" not in stale(default) and "工作动态" in stale(strict)
    assert "news_days" in (tmp_path / "strict" / "scorecard.html").read_text(encoding="utf-8")
