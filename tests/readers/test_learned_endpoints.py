"""A list endpoint learned from rendered column pages, applied to the site's other columns: only
from values the other page names itself, and only once two columns agree on the template."""
import pytest

from crawler.readers.endpoints import Learned, apply, learn

B = "http://www.x.gov.cn"


def _page(body: str, head: str = "") -> str:
    return f"<html><head>{head}</head><body><div class='nav'>首页</div>{body}<script src='/static/js/app.1f.js'></script></body></html>"


# (markup of a column page for an id, the captured request for that id)
VARIANTS = {
    "data attribute": (lambda c: _page(f'<ul id="list" data-col="{c}"></ul>'),
                       lambda c: {"url": f"{B}/api/list?col={c}&page=1", "method": "GET"}),
    "meta": (lambda c: _page("<div id='app'></div>", f'<meta name="ColumnId" content="{c}">'),
             lambda c: {"url": f"{B}/api/search", "method": "POST", "data": {"columnId": c, "pageNo": 1, "siteId": "3"},
                        "headers": {"Content-Type": "application/json"}}),
    "script variable": (lambda c: _page(f"<ul id='l'></ul><script>var channelId = '{c}';</script>"),
                        lambda c: {"url": f"{B}/open/docs.json?channel={c}&pageNum=1&size=15", "method": "GET"}),
}
IDS = ("1201", "1202", "1203")


@pytest.mark.parametrize("variant", VARIANTS)
def test_two_agreeing_columns_teach_the_endpoint_of_a_third(variant):
    markup, request = VARIANTS[variant]
    learned = Learned()
    urls = [f"{B}/xxgk/c{i}/index.html" for i in IDS]
    learned.add(learn(markup(IDS[0]), urls[0], request(IDS[0])), urls[0])
    assert learned.request_for(markup(IDS[2]), urls[2]) is None          # one column is not enough
    learned.add(learn(markup(IDS[1]), urls[1], request(IDS[1])), urls[1])
    req = learned.request_for(markup(IDS[2]), urls[2])
    expected = request(IDS[2])
    assert req["url"] == expected["url"] and req["method"] == expected["method"] and req["discovered"]
    assert {k: str(v) for k, v in req["data"].items()} == {k: str(v) for k, v in expected.get("data", {}).items()}


def test_the_path_names_the_column():
    t = learn(_page("<ul id='l'></ul>"), f"{B}/xxgk/tzgg/", {"url": f"{B}/api/list?cat=tzgg&page=1"})
    assert apply(t, _page("<ul id='l'></ul>"), f"{B}/xxgk/gzdt/")["url"] == f"{B}/api/list?cat=gzdt&page=1"


def test_a_column_id_the_page_does_not_name_breaks_the_agreement():
    # The script maps the page to an id nowhere on the page: the two captures differ in a
    # "constant", so the template is never trusted (it would ask for the wrong column).
    learned = Learned()
    for i, hidden in ((1, "77"), (2, "78")):
        url = f"{B}/xxgk/c{i}/"
        html = _page(f'<ul id="list" data-skin="blue" data-region="x{i}"></ul>')
        learned.add(learn(html, url, {"url": f"{B}/api/list?region=x{i}&col={hidden}&page=1"}), url)
    assert learned.request_for(_page('<ul id="list" data-region="x3"></ul>'), f"{B}/xxgk/c3/") is None


def test_no_template_without_a_named_value_and_no_request_without_the_value():
    assert learn(_page("<ul></ul>"), f"{B}/xxgk/a/", {"url": f"{B}/api/list?col=991&page=1"}) is None
    t = learn(_page('<ul data-col="12"></ul>'), f"{B}/xxgk/a/", {"url": f"{B}/api/list?col=12&page=1"})
    assert apply(t, _page("<ul></ul>"), f"{B}/xxgk/b/") is None                      # not named here
    assert apply(t, _page('<ul data-col="12"></ul>'), f"{B}/xxgk/b/") is None        # the same column
    assert apply(t, _page('<ul data-col="13"></ul><ul data-col="14"></ul>'), f"{B}/xxgk/b/") is None  # ambiguous
