from datetime import date

from crawler.readers import read_list
from crawler.readers.pagination import trs_pages

URL = "http://www.example.gov.cn/xxgk/zcwj/index.html"


def page(body: str, url: str = URL, ref=date(2025, 6, 1)):
    return read_list(f"<html><body>{body}</body></html>", url, ref)


NAV = """<div class="menu"><ul><li><a href="/">首页</a></li><li><a href="/xxgk/jgzn/">机构职能</a></li>
<li><a href="/xxgk/zcwj/">政策文件</a></li><li><a href="/xxgk/zcjd/">政策解读</a></li>
<li><a href="/xxgk/ghjh/">规划计划</a></li></ul></div>"""


def test_navigation_menu_is_not_a_list():
    assert page(NAV).entries == []


def test_list_beside_navigation_with_cut_titles_spacers_and_duplicates():
    body = NAV + """<ul class="list">
      <li><a href="./202501/t20250110_1.html" title="某某市人民政府关于印发2025年重点工作任务的通知">某某市人民政府关于印发2025年...</a><span>2025-01-10</span></li>
      <li class="empty"></li>
      <li><a href="./202412/t20241201_2.html" title="某某市人民政府办公室关于加强安全生产工作的意见">某某市人民政府办公室关于加强安全</a><span>[2024-12-01]</span></li>
      <li><a href="./202501/t20250110_1.html">重复</a><span>2025-01-10</span></li>
      <li><b readlabel="2024-11-30"></b><a href="../qt/202411/t20241130_3.html">关于公布2024年度行政许可事项清单的通知</a></li>
    </ul>"""
    p = page(body)
    assert [(e.title, e.url, e.date) for e in p.entries] == [
        ("某某市人民政府关于印发2025年重点工作任务的通知", "http://www.example.gov.cn/xxgk/zcwj/202501/t20250110_1.html", date(2025, 1, 10)),
        ("某某市人民政府办公室关于加强安全生产工作的意见", "http://www.example.gov.cn/xxgk/zcwj/202412/t20241201_2.html", date(2024, 12, 1)),
        ("关于公布2024年度行政许可事项清单的通知", "http://www.example.gov.cn/xxgk/qt/202411/t20241130_3.html", date(2024, 11, 30)),
    ]
    assert p.reader == "html"


def test_title_attribute_ignored_when_text_is_complete():
    p = page('<ul><li><a href="a1.html" title="点击查看">关于开展2025年度统计执法检查的通知</a><span>2025-03-01</span></li>'
             '<li><a href="a2.html">关于开展2025年度统计执法检查的通知二</a><span>2025-03-02</span></li></ul>')
    assert p.entries[0].title == "关于开展2025年度统计执法检查的通知"


def test_table_rows_month_day_with_ref_and_row_text_dates():
    p = page('<table><tr><td><a href="/x/1.html">关于某某事项的公示公告一号</a></td><td>05-20</td></tr>'
             '<tr><td><a href="/x/2.html">关于某某事项的公示公告二号</a></td><td>12-30</td></tr></table>'
             '<div><p><a href="/y/3.html">某某县政府常务会议纪要</a> 2025年4月1日</p>'
             '<p><a href="/y/4.html">某某县政府常务会议纪要第二期</a> 2025年3月1日</p></div>')
    assert [e.date for e in p.entries] == [date(2025, 5, 20), date(2024, 12, 30), date(2025, 4, 1), date(2025, 3, 1)]


def test_dateless_document_list_counts_and_base_href():
    body = """<base href="http://www.example.gov.cn/other/"><div class="gl"><ul>
      <li><a href="doc/1001.html">某某区人民政府关于调整部分行政区划的批复</a></li>
      <li><a href="doc/1002.html">某某区人民政府关于2024年财政预算执行情况的报告</a></li>
      <li><a href="doc/1003.html">某某区人民政府关于进一步优化营商环境的若干措施</a></li></ul></div>"""
    p = page(body)
    assert [e.url for e in p.entries] == [f"http://www.example.gov.cn/other/doc/100{i}.html" for i in (1, 2, 3)]
    assert all(e.date is None for e in p.entries)


def test_div_rows_and_date_inside_link():
    p = page('<div class="list"><div class="item"><a href="/a/1.html"><span class="t">关于做好防汛工作的紧急通知</span>'
             '<span class="d">2025-05-01</span></a></div><div class="item"><a href="/a/2.html">'
             '<span class="t">关于做好秋季防火工作的通知</span><span class="d">2025-04-01</span></a></div></div>')
    assert [(e.title, e.date) for e in p.entries] == [("关于做好防汛工作的紧急通知", date(2025, 5, 1)),
                                                      ("关于做好秋季防火工作的通知", date(2025, 4, 1))]


ROWS = "".join(f'<li><a href="t2025010{i}_{i}.html">关于某项工作的第{i}号通知公告</a><span>2025-01-0{i}</span></li>' for i in range(1, 4))


def test_next_page_links_and_query_paging():
    p = page(f'<ul>{ROWS}</ul><div class="pages"><a href="index.html">首页</a><a href="index_1.html">下一页</a>'
             '<a href="index_2.html">3</a><a href="index_9.html">尾页</a><a href="/other/index_1.html">下一页</a></div>')
    assert p.next_pages == ["http://www.example.gov.cn/xxgk/zcwj/index_1.html",
                            "http://www.example.gov.cn/xxgk/zcwj/index_2.html",
                            "http://www.example.gov.cn/xxgk/zcwj/index_9.html"]
    q = page(f'<ul>{ROWS}</ul><div><a href="list.jsp?cat=5&page=2">2</a><a href="list.jsp?cat=5&page=3">3</a>'
             '<a href="list.jsp?cat=5&page=1">1</a></div><p>共148条 当前第1页</p>',
             url="http://www.example.gov.cn/xxgk/list.jsp?cat=5&page=1")
    assert q.next_pages == ["http://www.example.gov.cn/xxgk/list.jsp?cat=5&page=2",
                            "http://www.example.gov.cn/xxgk/list.jsp?cat=5&page=3"]
    assert q.total == 148


def test_create_page_html_six_args_and_quoted_variant():
    p = page(f"<ul>{ROWS}</ul><div id='page_div'></div><script>createPageHTML('page_div',3, 1,'zwgklist','shtml',52);</script>",
             url="http://www.example.gov.cn/c1/zwgklist.shtml")
    assert p.next_pages == [f"http://www.example.gov.cn/c1/zwgklist_{i}.shtml" for i in (1, 2, 3)]
    assert p.total == 52
    urls, total = trs_pages(["page_div", "15", "1", "10", "148"], "http://www.example.gov.cn/c1/index.html")
    assert total == 148
    assert urls[1:] == [f"http://www.example.gov.cn/c1/index_{i}.html" for i in range(1, 15)]
    q = page(f"<ul>{ROWS}</ul><script>createPageHTML('page_div','15','1','10','148')</script>")
    assert q.total == 148 and len(q.next_pages) == 14


def test_commented_pager_and_function_definition_are_not_calls():
    p = page(f"<ul>{ROWS}</ul><!-- <script>createPageHTML(9, 0, 'index', 'html');</script> -->"
             "<script>function createPageHTML(_nPageCount, _nCurrIndex, _sPageName, _sPageExt){}</script>")
    assert p.next_pages == []


def test_empty_marker_and_scripts():
    p = page('<div class="list"><p>暂无信息</p></div>')
    assert p.empty_marker and p.entries == [] and not p.has_scripts
    assert not page(f"<ul>{ROWS}</ul>").empty_marker
    assert not page('<div style="display:none">暂无数据</div>').empty_marker
    s = page('<div id="list"></div><script>$.ajax({url:"/api/list",success:function(d){}})</script>')
    assert [p["url"] for p in s.next_pages] == ["http://www.example.gov.cn/api/list"]
    assert s.has_scripts and not s.needs_browser        # read via the API
    s = page('<div id="list"></div><script>$.ajax({url:listUrl(),success:function(d){}})</script>')
    assert s.needs_browser and s.next_pages == []
    # No guessing by file name: any live script could fill the list.
    for src in ("/js/jquery.min.js", "/static/js/app.3f9a1c.js", "/res/main.js", "/stat/count.js"):
        assert page(f'<ul></ul><script src="{src}"></script>').needs_browser


def test_div_grid_rows_with_month_day_dates():
    # A <div> grid whose date cell is a bare MM-DD (year from the document URL or the reference).
    rows = "".join(f'<div class="row"><div class="col-title"><a href="/zfxxgk/zcwj/2026{m:02d}/87422{m}.htm" '
                   f'title="关于推进第{m}项重点工作的实施意见">关于推进第{m}项重点工作的实施...</a></div>'
                   f'<div class="col-date">{m:02d}-1{m}</div></div>' for m in (3, 2))
    p = read_list(f'<html><body><div class="list">{rows}</div></body></html>',
                  "http://www.example.gov.cn/zfxxgk/zcwj/", ref=date(2026, 11, 20))
    assert [(e.title, e.date) for e in p.entries] == [("关于推进第3项重点工作的实施意见", date(2026, 3, 13)),
                                                      ("关于推进第2项重点工作的实施意见", date(2026, 2, 12))]
