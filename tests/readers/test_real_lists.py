from datetime import date

from crawler.readers import read_list

ZHANGSHU_URL = "http://www.zhangshu.gov.cn/zwgk/zhxx/index.html"
GANSU_URL = "http://jyt.gansu.gov.cn/jyt/c110634/zwgklist.shtml"
NDRC_URL = "https://www.ndrc.gov.cn/xxgk/zcfb/fzggwl/"


def test_zhangshu_trs_rows_with_month_day_dates(real_pages):
    html = (real_pages / "trs_wcm_list_zhangshu_createPageHTML_2017_excerpt.html").read_text("utf-8")
    page = read_list(html, ZHANGSHU_URL, ref=date(2025, 12, 1))
    assert len(page.entries) == 7
    first = page.entries[0]
    assert first.title == "樟树启动实施“智慧城市”建设"
    assert first.url == "http://www.zhangshu.gov.cn/zwgk/zhxx/201710/t20171011_397574.html"
    assert first.date == date(2017, 10, 11)          # year from the URL, not from ref (2025)
    assert [e.date for e in page.entries][-1] == date(2017, 9, 25)
    # the "14-12" inside a title is not its date
    assert page.entries[-1].title == "樟树市对省环保督察组交办信访件14-12处理情况"


def test_zhangshu_create_page_html_four_args(real_pages):
    html = (real_pages / "trs_wcm_list_zhangshu_createPageHTML_2017_excerpt.html").read_text("utf-8")
    page = read_list(html, ZHANGSHU_URL, ref=date(2025, 12, 1))
    assert page.next_pages == [f"http://www.zhangshu.gov.cn/zwgk/zhxx/index_{i}.html" for i in range(1, 21)]
    assert page.total is None


def test_gansu_commented_items_and_pager_are_dead(real_pages):
    # Every list <li> and the createPageHTML('page_div',10,1,'zwgklist','shtml',200) call of this
    # capture sit inside one <!-- --> comment: a real parser sees no live entries and no pager.
    html = (real_pages / "gansu_jyt_list_c110634_createPageHTML6_commented_block_ruishu.html").read_text("utf-8")
    assert "/jyt/c110634/202507/174168252.shtml" in html
    page = read_list(html, GANSU_URL, ref=date(2025, 12, 1))
    assert page.entries == []
    assert page.next_pages == []
    assert page.total is None
    assert page.has_scripts            # 瑞数 $_ts bootstrap and list scripts: needs a browser
    assert not page.empty_marker


def test_gansu_live_items_when_comment_removed(real_pages):
    """The same markup made live reads as list items with <b> dates and the six-argument pager."""
    html = (real_pages / "gansu_jyt_list_c110634_createPageHTML6_commented_block_ruishu.html").read_text("utf-8")
    start = html.index("<!--\n\n                                <li>")
    end = html.index("-->", start)
    live = html[:start] + html[start + 4:end] + html[end + 3:]
    page = read_list(live, GANSU_URL, ref=date(2025, 12, 1))
    assert page.entries[0].url == "http://jyt.gansu.gov.cn/jyt/c110634/202511/174240943.shtml"
    assert page.entries[0].date == date(2025, 11, 17)
    e = next(e for e in page.entries if e.url.endswith("/202507/174168252.shtml"))
    assert (e.title, e.date) == ("教育部办公厅关于开展第四届全国高校思政课教学展示活动的通知", date(2025, 7, 2))
    assert len(page.entries) == live.count("<b>20")
    assert page.next_pages == [f"http://jyt.gansu.gov.cn/jyt/c110634/zwgklist_{i}.shtml" for i in range(1, 11)]
    assert page.total == 200
    assert all(not e.title.startswith(("政策法规", "履职依据")) for e in page.entries)


def test_ndrc_slash_dates_and_popbox_related(real_pages):
    html = (real_pages / "ndrc_trs_list_fzggwl_with_jiedu_popbox_trimmed.html").read_text("utf-8")
    page = read_list(html, NDRC_URL)
    assert [(e.date, e.url) for e in page.entries] == [
        (date(2026, 4, 9), "https://www.ndrc.gov.cn/xxgk/zcfb/fzggwl/202604/t20260409_1404577.html"),
        (date(2026, 2, 11), "https://www.ndrc.gov.cn/xxgk/zcfb/fzggwl/202602/t20260211_1403694.html"),
        (date(2026, 1, 23), "https://www.ndrc.gov.cn/xxgk/zcfb/fzggwl/202601/t20260123_1403413.html"),
    ]
    assert page.entries[0].title == "《电力重大事故隐患判定标准及治理监督管理规定》 2026年第41号令"
    assert page.entries[0].related == [{
        "title": "《电力重大事故隐患判定标准及治理监督管理规定》解读",
        "url": "https://www.ndrc.gov.cn/xxgk/jd/jd/202604/t20260424_1404868.html"}]
    assert page.entries[1].related == []


def test_nantong_hanweb_table_rows_bracket_dates(real_pages):
    html = (real_pages / "hanweb_jpage_embedded_datastore_nantong_zfcg_2017_excerpt.xml").read_text("utf-8")
    page = read_list(html, "http://zfcg.nantong.gov.cn/col/col31685/index.html")
    assert page.entries[0].url == "http://zfcg.nantong.gov.cn/art/2017/4/24/art_31685_2451995.html"
    assert page.entries[0].date == date(2017, 4, 24)
    assert len(page.entries) == 6
