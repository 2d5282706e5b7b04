"""annual_report.sections / .arithmetic on the real Shanghai 2019 report and 2021-template fixtures."""
from datetime import date

import pytest

from audits.annual_tables import application_table, number, review_table
from audits.rules.annual_report import arithmetic_errors
from crawler.extract.annual_report import parse_tables
from tests.rules.builders import BASE, fired, site

URL = BASE + "/nb/2025.html"
AS_OF = date(2026, 4, 10)


def report(html: str, title="2025年某某区人民政府政府信息公开工作年度报告", text=None):
    from crawler.extract.dom import parse, text_of
    b = site().column("政府信息公开年报", entries=[(title, "2026-01-20")])
    b.snap.entries[-1].url = URL
    b.doc("政府信息公开年报", URL, title, published="2026-01-20")
    return b.body(text if text is not None else text_of(parse(html)), parse_tables(html))


# ---- the real report (TRANSCRIPTION of 2019年上海市人民政府办公厅年报, 2019 template) ----

def test_real_report_tables(real_pages):
    html = (real_pages / "annual_report_shanghai_bgt_2019_tables.html").read_text()
    grids = parse_tables(html)
    [app] = [t for t in map(application_table, grids) if t]
    assert app.columns == ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"]
    assert app.new == [821, 35, 0, 0, 2, 1, 859] and app.carried_in == [18, 0, 0, 0, 0, 0, 18]
    assert app.total == [767, 35, 0, 0, 2, 1, 805] and app.carried_out == [72, 0, 0, 0, 0, 0, 72]
    assert len(app.outcomes) == 19 and app.outcomes[0] == ("（一）予以公开", [258, 12, 0, 0, 1, 1, 0])
    [blocks] = [b for b in map(review_table, grids) if b]
    assert [(b.name, b.total) for b in blocks] == [("行政复议", 7), ("未经复议直接起诉", 9), ("复议后起诉", 0)]


def test_real_report_arithmetic(real_pages):
    """What its numbers say: every applicant column reconciles (一+二 = 三(七)+四, 三(七) = the sum
    of its outcome rows) and table 四 adds up, but the 总计 column of the outcome rows was left
    blank: 805 in (七)总计 against blank (0) outcome cells, and e.g. (一)予以公开 272 ≠ 0."""
    html = (real_pages / "annual_report_shanghai_bgt_2019_tables.html").read_text()
    errors, found = arithmetic_errors(parse_tables(html))
    assert found
    assert errors[0] == "表三“总计”列：三（七）总计805，各办理结果合计0"
    assert "表三“（一）予以公开”行：总计0，各类申请人合计272" in errors
    assert not any("一+二" in e or "表四" in e for e in errors)
    assert len(errors) == 1 + 11      # 11 outcome rows hold numbers in some applicant column


def test_real_report_has_all_six_sections(real_pages):
    html = (real_pages / "annual_report_shanghai_bgt_2019_tables.html").read_text()
    b = report(html, title="2019年上海市人民政府办公厅政府信息公开工作年度报告")
    assert fired(b, "annual_report.sections", date(2020, 4, 1)) == []
    [f] = fired(b, "annual_report.arithmetic", date(2020, 4, 1))
    assert f.detail.endswith("等12处")


# ---- 2021 template fixtures ----

COLS = ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"]
OUTCOMES = ["（一）予以公开", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"] + \
    [("（三）不予公开", f"{i}.x") for i in range(1, 9)] + [("（四）无法提供", f"{i}.y") for i in range(1, 4)] + \
    [("（五）不予处理", f"{i}.z") for i in range(1, 6)] + [("（六）其他处理", f"{i}.w") for i in range(1, 4)]


def row(cells):
    return "<tr>" + "".join(f"<td>{'&nbsp;' if c == 0 else c}</td>" for c in cells) + "</tr>"


def template_2021(new=(10, 2), carried=(1, 0), given=(6, 1), unable=(3, 1), carried_out=(2, 0),
                  review=(1, 0, 0, 1, 2), sections=6):
    """A 2021-template report; each pair is (自然人, 商业企业)."""
    def line(pair):
        cells = list(pair) + [0, 0, 0, 0]
        return cells + [sum(cells)]
    n = len(OUTCOMES)
    head = ('<table><tr><td colspan="3" rowspan="3">（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）</td>'
            '<td colspan="7">申请人情况</td></tr><tr><td rowspan="2">自然人</td>'
            '<td colspan="5">法人或其他组织</td><td rowspan="2">总计</td></tr><tr>'
            + "".join(f"<td>{c}</td>" for c in COLS[1:6]) + "</tr>")
    body = f'<tr><td colspan="3">一、本年新收政府信息公开申请数量</td>{row(line(new))[4:]}'
    body += f'<tr><td colspan="3">二、上年结转政府信息公开申请数量</td>{row(line(carried))[4:]}'
    total = [0] * 7
    for i, o in enumerate(OUTCOMES):
        pair = given if i == 0 else unable if o == ("（四）无法提供", "1.y") else (0, 0)
        cells = line(pair)
        total = [a + b for a, b in zip(total, cells)]
        first = f'<td rowspan="{n + 1}">三、本年度办理结果</td>' if i == 0 else ""
        if isinstance(o, tuple):
            lead = f'<td rowspan="{ {"（三）不予公开": 8, "（四）无法提供": 3, "（五）不予处理": 5, "（六）其他处理": 3}[o[0]] }">{o[0]}</td>' \
                if o[1].startswith("1.") else ""
            body += f"<tr>{first}{lead}<td>{o[1]}</td>{row(cells)[4:]}"
        else:
            body += f'<tr>{first}<td colspan="2">{o}</td>{row(cells)[4:]}'
    body += f'<tr><td colspan="2">（七）总计</td>{row(total)[4:]}'
    body += f'<tr><td colspan="3">四、结转下年度继续办理</td>{row(line(carried_out))[4:]}'
    table4 = ('<table><tr><td colspan="5">行政复议</td><td colspan="10">行政诉讼</td></tr>'
              '<tr><td rowspan="2">结果维持</td><td rowspan="2">结果纠正</td><td rowspan="2">其他结果</td>'
              '<td rowspan="2">尚未审结</td><td rowspan="2">总计</td><td colspan="5">未经复议直接起诉</td>'
              '<td colspan="5">复议后起诉</td></tr><tr>'
              + "<td>结果维持</td><td>结果纠正</td><td>其他结果</td><td>尚未审结</td><td>总计</td>" * 2 + "</tr>"
              + row(list(review) + [0] * 10) + "</table>")
    names = ["一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
             "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项"]
    filler = "本机关认真贯彻落实政府信息公开条例，" * 10
    parts = [f"<p>{h}</p><p>{filler}</p>" for h in names[:sections]]
    parts.insert(3, head + body + "</table>")
    parts.insert(5, table4)
    return "<html><body>" + "".join(parts) + "</body></html>"


def test_correct_2021_report_passes():
    html = template_2021()
    errors, found = arithmetic_errors(parse_tables(html))
    assert found and errors == []
    assert fired(report(html), "annual_report.arithmetic", AS_OF) == []
    assert fired(report(html), "annual_report.sections", AS_OF) == []


def test_2021_report_reconciliation_error():
    # 自然人: 一+二 = 10+1 = 11, but 三(七)+四 = (6+3)+3 = 12; the 总计 column follows (13 vs 14)
    [f] = fired(report(template_2021(carried_out=(3, 0))), "annual_report.arithmetic", AS_OF)
    assert f.detail == "表三“自然人”列：一+二=11，三（七）+四=12；表三“总计”列：一+二=13，三（七）+四=14"
    assert f.url == URL and f.column == "政府信息公开年报"


def test_2021_review_block_error():
    errors, _ = arithmetic_errors(parse_tables(template_2021(review=(1, 0, 0, 1, 3))))
    assert errors == ["表四“行政复议”总计3，维持、纠正、其他、尚未审结合计2"]


def test_missing_section():
    [f] = fired(report(template_2021(sections=5)), "annual_report.sections", AS_OF)
    assert f.detail == "年报缺少“其他需要报告的事项”部分"


def test_preamble_alone_does_not_count_as_sections():
    text = ("本年度报告全文包括总体情况、主动公开政府信息情况、收到和处理政府信息公开申请情况、"
            "政府信息公开行政复议、行政诉讼情况、存在的主要问题及改进情况、其他需要报告的事项。" * 3)
    [f] = fired(report("", text="一、总体情况 " + text), "annual_report.sections", AS_OF)
    assert "总体情况" not in f.detail and "其他需要报告的事项" in f.detail


def test_report_read_from_pdf_attachment():
    b = report("", text="")
    b.attachment(BASE + "/nb/2025.pdf", text="一、总体情况 " + "x" * 300)
    [f] = fired(b, "annual_report.sections", AS_OF)
    assert "主动公开政府信息情况" in f.detail


def test_short_text_is_noted_not_judged():
    from tests.rules.builders import audit_of
    result = audit_of(report("", text="见附件"), AS_OF)
    assert not [f for f in result.findings if f.rule_id == "annual_report.sections"]
    assert any("未取得足够文字" in n for n in result.notes)


@pytest.mark.parametrize("cell,value", [("", 0), ("\xa0", 0), (" 12 ", 12), ("—", 0), ("251000元", None)])
def test_number_cells(cell, value):
    assert number(cell) == value
