"""Cost of the boundary-keeping page text (crawler/extract/text.py) and of the privacy finders.

    .venv/bin/python bench/text_bench.py [rounds]

Prints milliseconds per page for the real pages in tests/fixtures/real_pages, against the
text_content() join it replaced, and the finders' speed on a large attachment-sized text.
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from audits.rules.privacy import find_cards, find_ids, find_mobiles  # noqa: E402
from crawler.extract import dom  # noqa: E402
from crawler.extract.navigation import page_text  # noqa: E402
from crawler.extract.text import visible_text  # noqa: E402


def _old(html: str) -> str:
    root = dom.clean_copy(dom.parse(html))
    body = root.find(".//body")
    return dom.text_of(body if body is not None else root)


def _time(fn, pages, rounds) -> float:
    start = time.perf_counter()
    for _ in range(rounds):
        for html in pages:
            fn(html)
    return (time.perf_counter() - start) * 1000 / (rounds * len(pages))


def main() -> None:
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    pages = [p.read_text("utf-8") for p in sorted((ROOT / "tests/fixtures/real_pages").glob("*.html"))]
    size = sum(map(len, pages)) / len(pages)
    print(f"{len(pages)} real pages, {size / 1000:.0f}k characters on average, {rounds} rounds")
    for name, fn in (("text_content join (old)", _old), ("visible_text", visible_text),
                     ("page_text (column pages)", page_text)):
        print(f"  {name:<26} {_time(fn, pages, rounds):7.2f} ms/page")
    row = "郭庄社区\t2\t13861214017\t2\t马德胜\n索引号：11370300MB2857546X/2023-00123\t金额 13812345678.00 元\n"
    text = (row * (500_000 // len(row)))[:500_000]
    for name, fn in (("find_mobiles", find_mobiles), ("find_ids", find_ids), ("find_cards", find_cards)):
        start = time.perf_counter()
        found = fn(text)
        ms = (time.perf_counter() - start) * 1000
        print(f"  {name:<26} {ms:7.1f} ms on 500k characters ({len(found)} found)")


if __name__ == "__main__":
    main()
