"""List markup that real government sites use and our fixture sites did not: links only in script,
dates in a <dd> after the title's <dt>, dates split into pieces, dates in Chinese numerals, the
classic TRS pager script. Each case is a list with entries: reading none would make a rendered
page a false 空白栏目, reading them undated a false 栏目不更新."""
from __future__ import annotations

from datetime import date

import pytest

from crawler.extract.pagekind import LIST, page_kind
from crawler.readers import read_list, read_rendered

URL = "http://www.example.gov.cn/zwgk/tzgg/index.html"
REF = date(2024, 3, 1)
ROWS = [("关于做好2024年春节期间安全生产工作的通知", "./202401/t20240105_11.html", date(2024, 1, 5)),
        ("关于印发某某市营商环境优化实施方案的通知", "./202312/t20231220_12.html", date(2023, 12, 20)),
        ("关于开展2023年度政务公开工作考核的通知", "./202311/t20231102_13.html", date(2023, 11, 2))]
WANT = [(t, "http://www.example.gov.cn/zwgk/tzgg/" + u[2:], d) for t, u, d in ROWS]


def page(body: str) -> str:
    return (f"<html><head><title>通知公告</title></head><body><div class='top'><a href='/'>首页</a>"
            f"<a href='/zwgk/'>政务公开</a></div>{body}<div class='foot'>主办单位：某某市人民政府</div></body></html>")


def read(body: str):
    p = read_list(page(body), URL, REF)
    return [(e.title, e.url, e.date) for e in p.entries], p


LINKS = {
    "onclick window.open": lambda t, u: f"<a href='javascript:void(0)' onclick=\"window.open('{u}')\">{t}</a>",
    "javascript: href": lambda t, u: f"<a href=\"javascript:window.open('{u}','_blank')\">{t}</a>",
    "data-href": lambda t, u: f"<a href='javascript:;' data-href='{u}'>{t}</a>",
    "data-url, no href": lambda t, u: f"<a data-url='{u}' class='item'>{t}</a>",
    "onclick location.href": lambda t, u: f"<a href='#' onclick=\"location.href='{u}';return false;\">{t}</a>",
    "site function": lambda t, u: f"<a href='#' onclick=\"openDetail('{u}')\">{t}</a>",
}


@pytest.mark.parametrize("kind", LINKS)
def test_links_written_in_script_are_entries(kind):
    got, _ = read("<ul>" + "".join(f"<li>{LINKS[kind](t, u)}<span>{d:%Y-%m-%d}</span></li>" for t, u, d in ROWS) + "</ul>")
    assert got == WANT


def test_a_row_that_is_clicked_not_its_link():
    got, _ = read("<ul>" + "".join(f"<li onclick=\"location.href='{u}'\"><a href='#'>{t}</a><span>{d:%Y-%m-%d}</span></li>"
                                   for t, u, d in ROWS) + "</ul>")
    assert got == WANT


def test_a_table_row_without_any_link():
    got, _ = read("<table>" + "".join(f"<tr onclick=\"window.open('{u}')\"><td>{t}</td><td>{d:%Y-%m-%d}</td></tr>"
                                      for t, u, d in ROWS) + "</table>")
    assert got == WANT


def test_rows_whose_links_lead_nowhere_readable_are_no_evidence_of_emptiness():
    """`queryDetail('123')` names no address: the rows are seen, so a rendering of the page is not
    evidence that the column is empty (未能确认, never 空白栏目)."""
    html = page("<ul>" + "".join(f"<li><a href='javascript:;' onclick=\"queryDetail('{i}','77')\">{t}</a>"
                                 f"<span>{d:%Y-%m-%d}</span></li>" for i, (t, _u, d) in enumerate(ROWS)) + "</ul>")
    rendered = read_rendered(html, URL, REF)
    assert not rendered.entries and rendered.evidence == ""
    # the same page with nothing listed is empty on the rendering's evidence
    empty = read_rendered(page("<ul></ul><p>暂无信息</p>"), URL, REF)
    assert not empty.entries and empty.evidence == "rendered"


def test_a_menu_of_script_links_does_not_block_evidence():
    html = page("<ul class='menu'><li><a href='javascript:;'>机构职能</a></li><li><a href='javascript:;'>领导信息</a></li></ul>"
                "<ul></ul>")
    assert read_rendered(html, URL, REF).evidence == "rendered"


@pytest.mark.parametrize("markup", [
    "<dl>{rows}</dl>|<dt><a href='{u}'>{t}</a></dt><dd>{d:%Y-%m-%d}</dd>",
    "<dl>{rows}</dl>|<dd><a href='{u}' title='{t}'>{t}</a></dd><dt>[{d:%Y-%m-%d}]</dt>",
    "<ul>{rows}</ul>|<li><span class='time'>{d:%Y-%m-%d}</span><a href='{u}'>{t}</a></li>",
    "<ul>{rows}</ul>|<li><a href='{u}'>{t}</a>「{d.year}.{d.month}.{d.day}」</li>",
    "<ul>{rows}</ul>|<li><a href='{u}'>{t}</a>（{d.year}/{d.month}/{d.day}）</li>",
    "<ul>{rows}</ul>|<li><a href='{u}'>{t}</a><span>{d.year}年{d.month}月{d.day}日</span></li>",
    # the day large, the month under it; and the year apart from month-day
    "<ul>{rows}</ul>|<li><div class='date'><p>{d:%d}</p><p>{d:%Y-%m}</p></div><a href='{u}'>{t}</a></li>",
    "<ul>{rows}</ul>|<li><a href='{u}'><div class='time'><span>{d:%d}</span><em>{d:%Y.%m}</em></div><h3>{t}</h3></a></li>",
    "<ul>{rows}</ul>|<li><a href='{u}'>{t}</a><span class='d'><b>{d:%Y}</b><i>{d:%m-%d}</i></span></li>",
    "<table>{rows}</table>|<tr><td>{d:%Y}</td><td>{d:%m}</td><td>{d:%d}</td><td><a href='{u}'>{t}</a></td></tr>",
    "<ul>{rows}</ul>|<li><a href='{u}'>{t}</a><time datetime='{d:%Y-%m-%d}T09:30'>{d:%b %d}</time></li>",
])
def test_row_dates_however_they_are_written(markup):
    outer, row = markup.split("|")
    got, _ = read(outer.replace("{rows}", "".join(row.format(t=t, u=u, d=d) for t, u, d in ROWS)))
    if "<td>{d:%Y}</td>" in row:      # three cells of one date are no pieces of one element
        assert [(t, u) for t, u, _d in got] == [(t, u) for t, u, _d in WANT]
        return
    assert got == WANT


def test_pieces_that_are_no_date():
    """A view count beside a month is no day: `2024-01` and `浏览 12` stay undated rows."""
    got, _ = read("<ul>" + "".join(f"<li><a href='{u}'>{t}</a><span><i>{d:%Y-%m}</i><b>浏览</b><b>12</b></span></li>"
                                   for t, u, d in ROWS) + "</ul>")
    assert [d for _t, _u, d in got] == [None, None, None]


def test_base_href_and_parent_paths():
    html = ("<html><head><base href='http://www.example.gov.cn/zwgk/'></head><body><ul>"
            + "".join(f"<li><a href='../zwgk/tzgg/{u[2:]}' target='_blank'>{t}</a><span>{d:%Y-%m-%d}</span></li>"
                      for t, u, d in ROWS) + "</ul></body></html>")
    p = read_list(html, "http://www.example.gov.cn/a/b/c/list.html", REF)
    assert [(e.title, e.url, e.date) for e in p.entries] == WANT


def test_classic_trs_pager_script_names_the_later_pages():
    """The TRS pager as most templates ship it: the count in `var countPage = 7//共多少页`, the
    page names concatenated from pieces ("index"+"_" + nextPage + "."+"html")."""
    script = ('<script language="JavaScript">\n var currentPage = 0;//所在页从0开始\n'
              ' var prevPage = currentPage-1//上一页\n var nextPage = currentPage+1//下一页\n'
              ' var countPage = 7//共多少页\n document.write("共"+countPage+"页&nbsp;&nbsp;");\n'
              ' if(countPage>1&&currentPage!=(countPage-1))\n'
              '  document.write("<a href=\\"index"+"_" + nextPage + "."+"html\\">下一页</a>&nbsp;'
              '<a href=\\"index_" + (countPage-1) + "."+"html\\">尾页</a>");\n</script>')
    _, p = read("<ul>" + "".join(f"<li><a href='{u}'>{t}</a><span>{d:%Y-%m-%d}</span></li>" for t, u, d in ROWS)
                + "</ul>" + script)
    base = "http://www.example.gov.cn/zwgk/tzgg/"
    assert {base + f"index_{i}.html" for i in range(1, 7)} <= set(p.next_pages)


def test_create_page_html_called_with_variables():
    script = "<script>var currentPage = 0; var countPage = 4; createPageHTML(countPage, currentPage, 'index', 'htm');</script>"
    p = read_list(page("<ul>" + "".join(f"<li><a href='{u}'>{t}</a><span>{d:%Y-%m-%d}</span></li>"
                                        for t, u, d in ROWS) + "</ul>" + script),
                  "http://www.example.gov.cn/zwgk/tzgg/index.htm", REF)
    base = "http://www.example.gov.cn/zwgk/tzgg/"
    assert p.next_pages == [base + f"index_{i}.htm" for i in (1, 2, 3)]


def test_a_script_link_list_is_a_list_page():
    html = page("<ul>" + "".join(f"<li>{LINKS['onclick window.open'](t, u)}<span>{d:%Y-%m-%d}</span></li>"
                                 for t, u, d in ROWS) + "</ul>")
    assert page_kind(html, URL) == LIST


@pytest.mark.parametrize("holder", ["div", "td"])
def test_rows_separated_by_br_only(holder):
    """Old portals: one cell, a link and a date a line, lines parted by <br>."""
    inner = "".join(f"·<a href='{u}' target='_blank'>{t}</a>&nbsp;&nbsp;{d:%Y-%m-%d}<br>" for t, u, d in ROWS)
    body = f"<div class='c'>{inner}</div>" if holder == "div" else f"<table><tr><td>{inner}</td></tr></table>"
    got, _ = read(body)
    assert got == WANT


@pytest.mark.parametrize("bullet", ["·", "•", "■", "▪"])
def test_a_bullet_before_a_bare_month_day(bullet):
    """`<li>· <a>…</a> 01-05</li>`: the bullet is no part of the date (an undated row is a
    false 栏目不更新)."""
    got, _ = read("<ul>" + "".join(f"<li>{bullet}<a href='{u}'>{t}</a>&nbsp;{d:%m-%d}</li>" for t, u, d in ROWS) + "</ul>")
    assert got == WANT


def test_hanweb_records_with_script_links():
    records = "".join(f"<record><![CDATA[<li><a href='javascript:void(0)' onclick=\"window.open('{u}')\" title='{t}'>{t}</a>"
                      f"<span>{d:%Y-%m-%d}</span></li>]]></record>" for t, u, d in ROWS)
    html = page(f"<div id='80325'><script type='text/xml'><datastore><nextgroup><![CDATA[]]></nextgroup>"
                f"<recordset>{records}</recordset></datastore></script></div>")
    p = read_list(html, URL, REF)
    assert p.reader == "hanweb" and [(e.title, e.url, e.date) for e in p.entries] == WANT


def test_a_list_shown_in_a_frame_is_read_as_the_column_s_next_page():
    """`<iframe src="/module/list.jsp?cid=12">`: the outer page's rendering does not hold the
    frame's list, so it is read as a further page of the column; widget frames are not."""
    html = page("<div class='main'><iframe src='/module/list.jsp?cid=12' width='100%' height='800'></iframe>"
                "<iframe src='/weather/index.html'></iframe><iframe src='/count.jsp' width='0' height='0'></iframe>"
                "<iframe src='/tj/frame.html' style='display:none'></iframe>"
                "<iframe src='http://other.example.com/list.html'></iframe></div>")
    p = read_rendered(html, URL, REF)
    assert "http://www.example.gov.cn/module/list.jsp?cid=12" in p.next_pages
    assert not [u for u in p.next_pages if "weather" in u or "count" in u or "tj" in u or "other." in u]
    # the frame's page is a list like any other
    inner = read_list(page("<ul>" + "".join(f"<li><a href='{u}'>{t}</a><span>{d:%Y-%m-%d}</span></li>"
                                            for t, u, d in ROWS) + "</ul>"),
                      "http://www.example.gov.cn/module/list.jsp?cid=12", REF)
    assert len(inner.entries) == 3


LIST_HTML = "<ul>" + "".join(f"<li><a href='{u}'>{t}</a><span>{d:%Y-%m-%d}</span></li>" for t, u, d in ROWS) + "</ul>"


@pytest.mark.parametrize("pager,unread", [
    ("<div class='page'>共5页 当前第1页</div>", True),
    ("<form method='post' action='list.jsp'><input type='hidden' name='pageNo' value='1'>"
     "<a href='javascript:goPage(2)'>下一页</a></form>", True),
    ("<div>第1/7页 <span onclick='turnPage(2)'>下一页</span></div>", True),
    ("<div><input type='button' value='下一页' onclick='next()'></div>", True),
    # pages zwgk can name, or a single page
    ("<div class='page'>共5页 <a href='index_1.html'>下一页</a></div>", False),
    ("<div class='page'>共1页 <a href='javascript:;'>下一页</a></div>", False),
    # the last page of a list zwgk paged through: its 下一页 leads nowhere any more
    ("<div class='page'><a href='index.html'>首页</a> <a href='index_1.html'>上一页</a> <span>下一页</span> "
     "<span>共3页 第3页</span></div>", False),
    ("<div class='page'><span>首页</span><span>上一页</span><span>下一页</span><span>尾页</span></div>", False),
    ("", False),
])
def test_a_pager_zwgk_cannot_follow_says_the_list_was_read_in_part(pager, unread):
    assert read_list(page(LIST_HTML + pager), URL, REF).pager_unread is unread


@pytest.mark.parametrize("body", [
    "<ul><li><a href='2023nb.pdf'>2023年度报告</a></li><li><a href='2022nb.pdf'>2022年度报告</a></li></ul>",
    "<ul><li><a href='./202401/t20240105_1.html'>某某市人民政府2023年政府信息公开工作年度报告</a></li></ul>",
    "<p>附件：<a href='/uploads/2024/nb.docx'>年度报告</a></p>",
])
def test_document_links_too_few_for_rows_are_no_evidence_of_emptiness(body):
    """One or two undated links to documents or files (a 年报 column of two PDFs): too few to
    read as a list, but what the page shows is not nothing — 未能确认, never a rendered 空白栏目."""
    html = page(f"<div class='main'>{body}</div>")
    assert read_rendered(html, URL, REF).evidence == ""


def test_document_links_in_the_page_chrome_do_not_block_evidence():
    html = page("<div class='main'><ul></ul></div><div class='yqlj'><a href='/art/2024/1/5/art_1_2.html'>一个链接</a></div>"
                "<footer><a href='/uploads/a.pdf'>网站说明.pdf</a></footer>")
    assert read_rendered(html, URL, REF).evidence == "rendered"


def test_a_card_link_s_title_is_its_heading_not_its_summary():
    got, _ = read("<ul>" + "".join(f"<li><a href='{u}'><h3>{t}</h3><p>为切实做好有关工作，现将有关事项通知如下，请认真贯彻落实。</p>"
                                   f"<span>{d:%Y-%m-%d}</span></a></li>" for t, u, d in ROWS) + "</ul>")
    assert got == WANT


def test_the_link_check_takes_script_links_that_name_a_page_or_file():
    """A row link followed only by script is checked where it names a page or a file; a data-url
    that names an endpoint (a script may POST to it) is not a link to judge."""
    from crawler.extract.links import page_links
    html = page("<a href='javascript:;' data-url='/api/share'>分享</a>"
                "<a href='javascript:void(0)' onclick=\"window.open('/a/t20240105_1.html')\">某文件</a>"
                "<a data-href='/f/a.pdf'>a.pdf</a>")
    got = {x["to_url"] for x in page_links(html, URL)}
    assert {"http://www.example.gov.cn/a/t20240105_1.html", "http://www.example.gov.cn/f/a.pdf"} <= got
    assert "http://www.example.gov.cn/api/share" not in got
