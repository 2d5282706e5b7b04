"""`zwgk run --report-only` / `--no-wait`: refused in one line (exit 2) when there is nothing to
report or the options do not go together; nothing is written."""
from __future__ import annotations

import pytest
import yaml

from snapshot.store import Store
from zwgk.cli import main

AS_OF = "2026-11-20"


@pytest.fixture
def registry(tmp_path):
    path = tmp_path / "sites.yaml"
    path.write_text(yaml.safe_dump([{"name": "甲局", "url": "http://a.example.gov.cn/"},
                                    {"name": "乙局", "url": "http://b.example.gov.cn/"}],
                                   allow_unicode=True), encoding="utf-8")
    return path


def _run(registry, tmp_path, *extra):
    return main(["run", str(registry), "--db", str(tmp_path / "z.db"), "--out",
                 str(tmp_path / "out"), "--as-of", AS_OF, *extra])


@pytest.mark.parametrize("extra, message", [
    (("--report-only",), "没有这些网站 2026-11-20 的分布式检查批次"),
    (("--report-only", "--batch", "2026-11-20@2026-11-20T01:00:00"), "没有批次"),
    (("--no-wait",), "--no-wait 须与 --distributed 合用"),
    (("--batch", "x"), "--batch 须与 --report-only 合用"),
    (("--report-only", "--distributed"), "不能与 --distributed 合用"),
])
def test_refused_in_one_line(registry, tmp_path, capsys, extra, message):
    assert _run(registry, tmp_path, *extra) == 2
    err = capsys.readouterr().err.strip()
    assert message in err and len(err.splitlines()) == 1
    assert not (tmp_path / "out" / "tongbao.csv").exists()


def test_a_batch_without_one_of_the_registrys_sites_is_refused(registry, tmp_path, capsys):
    store = Store(str(tmp_path / "z.db"))
    run_id = store.create_run("http://a.example.gov.cn/", site_name="甲局")
    store.update_run(run_id, batch="2026-11-20@2026-11-20T01:00:00")
    assert _run(registry, tmp_path, "--report-only") == 2
    assert "批次 2026-11-20@2026-11-20T01:00:00 中没有这些网站：乙局" in capsys.readouterr().err
