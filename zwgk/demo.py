"""`zwgk demo`: serve the bundled sample site on 127.0.0.1 and audit it. No network needed."""
from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from .crawl import CrawlOptions
from .jobs import AuditJob, run_audit
from .serve import serve_directory

DEMO_SITE = Path(__file__).parent / "demo_site"


def run_demo(out: Path | None = None) -> Path:
    manifest = json.loads((DEMO_SITE / "manifest.json").read_text(encoding="utf-8"))
    out = out or Path("zwgk-out") / "demo"
    with serve_directory(DEMO_SITE) as base_url:
        print(f"示例网站：{base_url}（{manifest.get('name', '')}）", flush=True)
        job = AuditJob(
            url=base_url, out_dir=out, as_of=date.fromisoformat(manifest["as_of"]),
            db=str(out / "zwgk.db"), kind=manifest.get("kind", "auto"),
            crawl=CrawlOptions(throttle=False, per_host=8, progress_interval=2.0))
        return run_audit(job)
