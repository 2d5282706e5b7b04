"""Link checking on a generated 5,000-document site: requests made vs links stored.

    .venv/bin/python bench/linkcheck_bench.py [--documents 5000] [--extra-links 3]

Each document page gets `--extra-links` additional links (to other documents, a few dead ones and
its own attachment), so that the run stores ~20,000 links over far fewer distinct targets. The link
checker must request each distinct target once, and none the crawl already opened; every list
page's links are stored too (each (page, target) once). `--flaky N` makes N linked-only targets
answer 503 twice before they open (the link check must ask again, later, and record 200).
Politeness off (our own server). Prints figures; asserts nothing.
"""
from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.sites.generator import benchmark_spec, build_site  # noqa: E402
from tests.sites.server import serve_process  # noqa: E402


def add_links(root: Path, n: int, seed: int = 0, flaky: int = 0) -> dict:
    """Cross-links between document pages plus a small pool of dead targets (shared by many pages)
    and `flaky` targets that answer 503 twice, then open. Returns the server's faults."""
    rng = random.Random(seed)
    pages = [p for p in root.rglob("*.html") if not p.name.startswith("index")]
    paths = ["/" + p.relative_to(root).as_posix() for p in pages]
    dead = [f"/gone/{i}.html" for i in range(50)]
    (root / "flaky").mkdir(exist_ok=True)
    for i in range(flaky):
        (root / "flaky" / f"{i}.html").write_text("<html><body>ok</body></html>", encoding="utf-8")
    for page in pages:
        links = rng.sample(paths, min(n - 1, len(paths))) + [rng.choice(dead)]
        if flaky and rng.random() < 0.1:
            links.append(f"/flaky/{rng.randrange(flaky)}.html")
        extra = "".join(f'<a href="{u}">相关链接{i}</a> ' for i, u in enumerate(links))
        text = page.read_text(encoding="utf-8").replace("</body>", f"<div>{extra}</div></body>")
        page.write_text(text, encoding="utf-8")
    return {f"/flaky/{i}.html": {"status": 503, "times": 2} for i in range(flaky)}


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--documents", type=int, default=5000)
    ap.add_argument("--extra-links", type=int, default=3)
    ap.add_argument("--flaky", type=int, default=20)
    ap.add_argument("--recheck-delay", type=float, default=2.0,
                    help="ZWGK_LINK_RECHECK_DELAY for this run (30 s in real runs)")
    args = ap.parse_args()
    os.environ["ZWGK_LINK_RECHECK_DELAY"] = str(args.recheck_delay)   # read when settings load
    import crawler.settings as crawl_defaults
    from snapshot.store import Store
    from zwgk.crawl import CrawlOptions, crawl
    # Our own server on 127.0.0.1: its links are this site's, not an internal host's.
    crawl_defaults.ZWGK_ALLOW_NETWORKS = ["127.0.0.0/8"]

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "site"
        # TRS pages (UTF-8, static): the link counts do not depend on the CMS style.
        build_site(root, replace(benchmark_spec(args.documents), style="trs"))
        faults = add_links(root, args.extra_links, flaky=args.flaky)
        db = str(Path(tmp) / "zwgk.db")
        with serve_process(root, faults) as base:
            store = Store(db)
            run_id = store.create_run(base)
            t = time.time()
            out = crawl(base, db, run_id, CrawlOptions(throttle=False, per_host=16, obey_robots=False),
                        log_file=Path(tmp) / "zwgk.log")
            elapsed = time.time() - t
        snap = store.load(run_id)
        counts = out["link_check"]
        statuses: dict[str, int] = {}
        for ln in snap.links:
            statuses[ln.status or "未检查"] = statuses.get(ln.status or "未检查", 0) + 1
        docs = {d.url for d in snap.documents}
        from_docs = sum(ln.from_url in docs for ln in snap.links)
        entries = sum(e.column_id is not None for e in snap.entries)
        print(f"documents stored:        {len(snap.documents)} (of {entries} entries listed)")
        print(f"links stored:            {len(snap.links)} ({from_docs} on documents, "
              f"{len(snap.links) - from_docs} on list pages; "
              f"{len({(ln.from_url, ln.to_url) for ln in snap.links})} distinct (page, target))")
        print(f"database size:           {Path(db).stat().st_size / 2**20:.1f} MB")
        print(f"distinct targets:        {counts.get('targets')}")
        print(f"  reused crawl fetches:  {counts.get('reused')}")
        print(f"link-check requests:     {counts.get('requests')} "
              f"(GET fallbacks {counts.get('get_fallbacks')}, later retries {counts.get('rechecks', '-')})")
        print(f"link statuses:           {dict(sorted(statuses.items()))}")
        print(f"crawl + link check:      {elapsed:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
