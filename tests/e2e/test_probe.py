"""`zwgk probe` records availability; `audit` on the same database judges veto.unreachable."""
import socket
from datetime import datetime, timedelta

from sqlalchemy import select

from snapshot.store import Store, probes
from zwgk.demo import DEMO_SITE
from zwgk.serve import serve_directory

from .helpers import audit, zwgk


def _dead_url() -> str:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{s.getsockname()[1]}/"


def test_probe_stores_one_outcome_per_site(tmp_path):
    dead = _dead_url()
    with serve_directory(DEMO_SITE) as live:
        (tmp_path / "sites.csv").write_text(f"name,url,group\n周村区,{live},区县\n关停站,{dead},部门\n",
                                            encoding="utf-8")
        proc = zwgk("probe", "sites.csv", "--db", "p.db", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    with Store(tmp_path / "p.db").engine.connect() as conn:
        rows = {r.site_url: r.outcome for r in conn.execute(select(probes))}
    assert rows == {live: "ok", dead: "refused"}


def test_bad_registry_is_one_line_exit_2(tmp_path):
    (tmp_path / "sites.yaml").write_text("- name: 某局\n  url: not-a-url\n", encoding="utf-8")
    proc = zwgk("probe", "sites.yaml", cwd=tmp_path)
    assert proc.returncode == 2 and "url" in proc.stderr and len(proc.stderr.strip().splitlines()) == 1


def test_audit_vetoes_a_site_that_failed_its_probes(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    store = Store(out / "zwgk.db")
    with serve_directory(DEMO_SITE) as base:
        now = datetime.now()
        for i in range(40):     # two days of probes, one in eight failed
            store.add_probe(base, now - timedelta(minutes=70 * i), "timeout" if i % 8 == 0 else "ok", 0.3)
        proc, findings = audit(base, out, "--render", "never", as_of=now.date().isoformat())
    assert proc.returncode == 0, proc.stderr[-1000:]
    [veto] = [f for f in findings if f["rule_id"] == "veto.unreachable"]
    assert "40次" in veto["detail"] and veto["severity"] == "veto"
