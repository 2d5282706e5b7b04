"""Hostile content stays inert (issue 9.8) where a person opens it: a site whose document title
carries markup and a formula, and whose links are `javascript:` URLs or URLs full of markup, is run
through `zwgk run`; the scorecard and the dashboard are opened in Chromium (no script of the site
runs, no dialog opens, no request leaves the folder), and the 通报 xlsx/csv hold the text without
a live formula."""
from __future__ import annotations

import csv
import html
import os
from pathlib import Path

import pytest
import yaml

from tests.faults import harness as H
from tests.sites.generator import build_site
from tests.sites.server import serve

CHROMIUM = "/usr/bin/chromium"
TITLE = "2025年社会救助项目公示"
HOSTILE = ('=HYPERLINK("http://evil.example/","x")<img src=x onerror="window.__pwned=1;alert(1)">'
           '<script>window.__pwned=2;alert(2)</script>' + TITLE)
LINKS = ('<p><a href="javascript:window.__pwned=3;alert(3)">点击查看</a> '
         '<a href="/zt/&quot;&gt;&lt;svg onload=&quot;window.__pwned=4;alert(4)&quot;&gt;.html">专题一</a> '
         '<a href="/zt/x.html?q=&quot;&gt;&lt;script&gt;window.__pwned=5;alert(5)&lt;/script&gt;">专题二</a></p>')


@pytest.fixture(scope="module")
def out(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("hostile")
    root = tmp / "site"
    truth = build_site(root, H.healthy_spec())
    doc = root / H._fault_document(truth, root).lstrip("/")
    assert TITLE in doc.read_text("utf-8")
    for page in root.rglob("*.html"):           # the title as text, wherever the site shows it
        text = page.read_text("utf-8")
        if TITLE in text:
            page.write_text(text.replace(TITLE, html.escape(HOSTILE)), "utf-8")
    doc.write_text(doc.read_text("utf-8").replace("</body>", LINKS + "</body>", 1), "utf-8")
    with serve(root) as base:
        (tmp / "sites.yaml").write_text(yaml.safe_dump(
            [{"name": "<b>测试</b>区人民政府", "url": base, "kind": "government"}], allow_unicode=True), "utf-8")
        proc = H.zwgk("run", "sites.yaml", "--out", "out", "--db", "z.db", "--as-of", H.AS_OF.isoformat(),
                      "--no-throttle", "--render", "never", "--no-screenshots", cwd=tmp, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    folder = next(p.parent for p in (tmp / "out").rglob("scorecard.html"))
    card = folder / "scorecard.html"
    text = card.read_text("utf-8")
    # The hostile text reached the report (else the test proves nothing): as text.
    assert html.escape("<script>window.__pwned=2", quote=False) in text or "&lt;script&gt;window.__pwned=2" in text
    assert "svg onload" in text or "%3Csvg" in text
    return tmp / "out", card


@pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="no Chromium at /usr/bin/chromium")
def test_no_script_of_the_site_runs_in_the_scorecard_or_the_dashboard(out):
    sync_api = pytest.importorskip("playwright.sync_api")
    folder, card = out
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run"])
        try:
            for target in (card, folder / "index.html"):
                page = browser.new_page()
                dialogs, outside = [], []
                page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))

                def route(r, outside=outside):
                    if r.request.url.startswith("file:"):
                        r.continue_()
                    else:
                        outside.append(r.request.url)
                        r.abort()
                page.route("**/*", route)
                page.goto(target.as_uri())
                page.wait_for_load_state("load")
                page.wait_for_timeout(300)
                # Hover and focus every link, as a reader's mouse would.
                for link in page.query_selector_all("a")[:200]:
                    link.hover()
                assert page.evaluate("window.__pwned === undefined"), target.name
                hrefs = page.evaluate("[...document.querySelectorAll('[href],[src]')].map("
                                      "e => e.getAttribute('href') || e.getAttribute('src'))")
                assert not [h for h in hrefs if h.strip().lower().startswith(("javascript:", "data:text"))]
                handlers = page.evaluate("[...document.querySelectorAll('*')].flatMap(e => "
                                         "[...e.attributes].filter(a => a.name.startsWith('on')).map(a => a.name))")
                assert handlers == [], handlers
                assert dialogs == [] and outside == [], (target.name, dialogs, outside)
                page.close()
        finally:
            browser.close()


def test_tongbao_holds_the_text_without_a_live_formula(out):
    import openpyxl
    folder, _ = out
    book = openpyxl.load_workbook(folder / "tongbao.xlsx")
    seen = False
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    assert not cell.value.startswith(("=", "+", "-", "@")) or cell.data_type == "s", \
                        (sheet.title, cell.coordinate, cell.value)
                    assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                    seen = seen or "HYPERLINK" in cell.value
    assert seen, "the hostile title is not in the workbook: the test checks nothing"
    with open(folder / "tongbao.csv", encoding="utf-8-sig", newline="") as fh:
        cells = [c for row in csv.reader(fh) for c in row]
    assert any("HYPERLINK" in c for c in cells)
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@")]
