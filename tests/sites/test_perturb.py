"""The perturbation layer changes markup and nothing else: the same entries, titles, dates, link
targets and seeded defects, in other markup; deterministic per seed."""
import json
import re
from dataclasses import replace
from datetime import date, datetime, timedelta, timezone
from urllib.parse import urljoin

import lxml.html
import pytest

from tests.sites.generator import BANK_CARD, EMPTY, EMPTY_LIST, ID_NUMBER, PHONE, build_site
from tests.sites.generator import random_spec as _random_spec
from tests.sites.perturb import DATE_FORMATS, MARKUP, fmt_date, parse_full_date, perturb_site

STYLES = [("trs", 1), ("hanweb", 6), ("legacy", 9), ("json", 6)]


def random_spec(seed, style):
    """A generated site kept small (3 list pages a column): these tests read every file."""
    return replace(_random_spec(seed, style=style), docs_per_column=12, page_size=5)


def _decode(path, style):
    return path.read_bytes().decode("gb18030" if style == "legacy" else "utf-8")


def _pages(root):
    for p in sorted(root.rglob("*")):
        rel = p.relative_to(root).as_posix()
        if p.is_file() and p.name.split("@")[0].endswith((".html", ".htm")) and not rel.startswith("ztzl/"):
            yield rel, p


def _pieces(text):
    """A date written as the day, then the year-month (`05` `2024-01`)."""
    m = re.fullmatch(r"\s*(\d{2})\s*(\d{4})[-.](\d{2})\s*", text)
    return date(int(m[2]), int(m[3]), int(m[1])) if m else None


def _date_near(a):
    """The full date written beside link `a` in its row, found without knowing the row's markup:
    its tail (`<a/> 2024-01-05<br>`), the text of the row around it, or the <dd> after its <dt>."""
    if (a.tail or "").strip(" \u00a0·"):
        return parse_full_date(a.tail) or a.tail.strip(" \u00a0·")
    el = a
    for _ in range(3):
        el = el.getparent()
        if el is None:
            return None
        rest = el.text_content().replace(a.text_content(), "")
        if rest.strip():
            return parse_full_date(rest) or _pieces(rest) or rest.strip()
        if el.tag == "dt":
            nxt = el.getnext()
            if nxt is not None and nxt.tag == "dd":
                return parse_full_date(nxt.text_content()) or nxt.text_content().strip()
    return None


def _href(a):
    """Where link `a` leads, also when only a script says so (the `links` perturbation)."""
    href = a.get("href") or ""
    if href and not href.startswith(("#", "javascript:")):
        return href
    code = " ".join(x or "" for x in (a.get("data-href"), a.get("onclick"), href, a.getparent().get("onclick")))
    m = re.search(r"(?:^|')([^'\s]+\.s?html?(?:\?[^'\s]*)?)", code)
    return m[1] if m else href


def _entries(html_text, url):
    """{(absolute href, title): date} of every titled link on the page (comments excluded)."""
    tree = lxml.html.document_fromstring(html_text) if "<html" in html_text[:300].lower() else \
        lxml.html.fragment_fromstring(html_text, create_parent="div")
    out = {}
    for a in tree.iter("a"):
        if a.get("title"):
            out[(urljoin(url, _href(a)), a.get("title"))] = _date_near(a)
    return out


def _records(text):
    return re.findall(r"<record><!\[CDATA\[(.*?)\]\]></record>", text, flags=re.S)


def _site_entries(root, style):
    """Every list entry of the site with its date, wherever the site keeps it (HTML rows, Hanweb
    datastore records and dataproxy, JSON API files and embedded listData)."""
    out = {}
    for rel, p in _pages(root):
        text = _decode(p, style)
        url = "/" + rel.replace("@", "?")
        out.update(_entries(text, url))
        for r in _records(text):
            out.update(_entries(r, url))
        m = re.search(r"var listData = (\{.*\});", text)
        if m:
            out.update(_json_entries(json.loads(m[1])["articleList"]))
    for p in sorted((root / ".dataproxy").glob("*.json")):
        for r in json.loads(p.read_text("utf-8"))["records"]:
            out.update(_entries(r, "/"))
    for p in sorted((root / "api").glob("list@*")):
        out.update(_json_entries(json.loads(p.read_text("utf-8"))["data"]["list"]))
    return out


def _when(t):
    """A JSON date: epoch milliseconds (Beijing time) or text."""
    if isinstance(t, int):
        return datetime.fromtimestamp(t / 1000, timezone(timedelta(hours=8))).date()
    return parse_full_date(t)


def _json_entries(items):
    return {(urljoin("http://x/", it["url"]), it["title"]): _when(it["publishTime"]) for it in items}


@pytest.mark.parametrize("style,seed", STYLES)
def test_markup_perturbation_keeps_entries_titles_and_dates(tmp_path, style, seed):
    spec = random_spec(seed, style=style)
    a, b = tmp_path / "a", tmp_path / "b"
    build_site(a, spec)
    truth = build_site(b, spec)
    before = _site_entries(a, style)
    report = perturb_site(b, spec, truth, seed=3, kinds=MARKUP)
    after = _site_entries(b, style)
    assert before and after == before
    # ... and it really changed the markup.
    changed = [rel for rel, p in _pages(a) if p.read_bytes() != (b / rel).read_bytes()]
    assert len(changed) > len(list(_pages(a))) // 2
    assert report.dates > 0 and report.footers > 0
    if style != "json":
        assert report.lists + report.records > 0 and len(report.layouts) >= 1


def test_layouts_and_date_formats_vary_over_seeds(tmp_path):
    layouts, formats = set(), set()
    for seed in range(6):
        spec = random_spec(1, style="trs")
        truth = build_site(tmp_path / str(seed), spec)
        rep = perturb_site(tmp_path / str(seed), spec, truth, seed=seed, kinds=("layout", "dates"))
        layouts |= rep.layouts
        formats |= rep.formats
    assert layouts >= {"ul", "table", "div_row"} and len(formats) >= 5


def test_same_seed_same_bytes_other_seed_other_markup(tmp_path):
    spec = random_spec(1, style="trs")
    for name, seed in (("x", 5), ("y", 5), ("z", 6)):
        truth = build_site(tmp_path / name, spec)
        perturb_site(tmp_path / name, spec, truth, seed=seed, kinds=MARKUP)
    pages = [rel for rel, _ in _pages(tmp_path / "x")]
    same = lambda u, v: all((tmp_path / u / r).read_bytes() == (tmp_path / v / r).read_bytes() for r in pages)  # noqa: E731
    assert same("x", "y") and not same("x", "z")


def test_personal_data_lands_in_table_cells_one_value_a_cell(tmp_path):
    spec = replace(random_spec(1, style="trs"), privacy=("phone", "id_number", "bank_card"))
    truth = build_site(tmp_path, spec)
    rep = perturb_site(tmp_path, spec, truth, seed=1, kinds=("cells",))
    assert rep.cells == 3
    for value in (PHONE, ID_NUMBER, BANK_CARD):
        hits = [p for _, p in _pages(tmp_path) if value in p.read_text("utf-8")]
        cells = [td for p in hits for td in lxml.html.parse(str(p)).iter("td") if value in (td.text or "")]
        assert len(hits) >= 1 and len(cells) >= 1 and all(td.text.strip() == value for td in cells)
    # The look-alike sentence (masked numbers, 项目编号) stays as written.
    assert any("项目编号" + BANK_CARD in p.read_text("utf-8") for _, p in _pages(tmp_path)) == spec.lookalikes


def test_footer_links_all_answer(tmp_path):
    spec = random_spec(2, style="trs")
    truth = build_site(tmp_path, spec)
    perturb_site(tmp_path, spec, truth, seed=2, kinds=("footer",))
    doc = next(p for rel, p in _pages(tmp_path) if re.search(r"/t\d{8}_\d+\.html$", rel))
    links = [a.get("href") for a in lxml.html.parse(str(doc)).iter("a")]
    assert len(links) >= 25
    for href in links:
        if href.startswith("/"):
            target = tmp_path / href.lstrip("/")
            assert (target / "index.html" if href.endswith("/") else target).exists(), href


def test_api_lists_ship_an_empty_container_a_script_and_the_same_entries_as_json(tmp_path):
    spec = random_spec(1, style="trs")
    a, b = tmp_path / "a", tmp_path / "b"
    build_site(a, spec)
    truth = build_site(b, spec)
    rep = perturb_site(b, spec, truth, seed=4, kinds=("api", "scripts"))
    assert rep.api_columns
    for col in rep.api_columns:
        page = lxml.html.parse(str(b / col.lstrip("/") / "index.html")).getroot()
        box = page.xpath("//*[@data-list]")[0]
        assert len(box) == 0 and not box.text_content().strip()
        srcs = [s.get("src") for s in page.iter("script") if s.get("src")]
        assert any("jquery" in s for s in srcs)
        for s in srcs:
            assert (b / s.split("?")[0].lstrip("/")).is_file(), s
        before = {k: v for k, v in _entries(_decode(a / col.lstrip("/") / "index.html", "trs"), col).items()
                  if k[0].startswith(col)}
        src = box.get("data-src") or "/api/list/" + re.sub(r"[^A-Za-z0-9]", "_", col) + ".json"
        data = json.loads((b / src.lstrip("/")).read_text("utf-8"))
        items = data["rows"] if "rows" in data else next(v for v in data["data"].values() if isinstance(v, list))
        assert len(items) == len(before)
        keys = list(items[0]) if items else []
        for it in items:
            title, url, when = (it[k] for k in keys)
            assert url.startswith("/") and (url, title) in before and _when(when) == before[(url, title)]


def test_every_date_format_reads_back():
    d = date(2023, 10, 3)
    assert {fmt_date(d, f, 7) for f in DATE_FORMATS} >= {"2023-10-03", "2023/10/03", "2023年10月03日", "2023年10月3日",
                                                         "2023.10.03", "[2023-10-03]", "(2023-10-03)"}
    assert re.fullmatch(r"2023-10-03 \d\d:\d\d", fmt_date(d, "time", 7))
    assert all(parse_full_date(fmt_date(d, f, 7)) == d for f in DATE_FORMATS)


def test_truth_without_browser_leaves_render_only_empties_unjudged(tmp_path):
    spec = random_spec(1, style="trs")
    truth = build_site(tmp_path, spec)
    blind = {c["name"] for c in truth.columns if c["evidence"] == "rendered"}
    # Empty lists without a 暂无信息 marker, and markers beside the TRS pager script.
    assert {c["name"] for c in truth.columns if c["state"] == EMPTY_LIST} < blind
    assert spec.pager in ("trs4", "trs6") and {c["name"] for c in truth.columns if c["state"] == EMPTY} <= blind
    legacy = build_site(tmp_path / "legacy", random_spec(1, style="legacy"))
    assert {c["evidence"] for c in legacy.columns if c["state"] == EMPTY} == {"marker"}
    seen = truth.without_browser()
    assert not {k for k in seen.findings if k[0] == "column.empty" and k[1] in blind}
    assert {k for k in truth.findings if k[0] != "column.empty" and k[0] != "veto.blank_columns"} <= seen.findings
