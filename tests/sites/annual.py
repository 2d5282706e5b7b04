"""The body of a 政府信息公开工作年度报告 in the 2021 template (国办公开办函〔2021〕30号): its six
numbered sections and tables 三 (依申请) and 四 (复议、诉讼), numbers drawn from `rng`.

    report_body(rng, name, year)                          # complete, every identity holds
    report_body(rng, name, year, drop_section=5)          # section 六 missing
    report_body(rng, name, year, arithmetic=True)         # one identity fails
"""
from __future__ import annotations

import random

SECTIONS = ("一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
            "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项")
APPLICANTS = ("自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他")
OUTCOMES = (["（一）予以公开", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"]
            + [("（三）不予公开", x) for x in ("1.属于国家秘密", "2.其他法律行政法规禁止公开", "3.危及“三安全一稳定”",
                                          "4.保护第三方合法权益", "5.属于三类内部事务信息", "6.属于四类过程性信息",
                                          "7.属于行政执法案卷", "8.属于行政查询事项")]
            + [("（四）无法提供", x) for x in ("1.本机关不掌握相关政府信息", "2.没有现成信息需要另行制作",
                                          "3.补正后申请内容仍不明确")]
            + [("（五）不予处理", x) for x in ("1.信访举报投诉类申请", "2.重复申请", "3.要求提供公开出版物",
                                          "4.无正当理由大量反复申请", "5.要求行政机关确认或重新出具已获取信息")]
            + [("（六）其他处理", x) for x in ("1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
                                          "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
                                          "3.其他")])
GROUP_SIZE = {"（三）不予公开": 8, "（四）无法提供": 3, "（五）不予处理": 5, "（六）其他处理": 3}


def _cells(values: list[int]) -> str:
    return "".join(f"<td>{v if v else '&nbsp;'}</td>" for v in values)


def _application(rng: random.Random, error: bool) -> str:
    """Table 三: per applicant column, outcomes are drawn and 一、二、四 made to reconcile."""
    n = len(OUTCOMES)
    grid = [[0] * 6 for _ in range(n)]           # outcome row x applicant column
    new, carried, out = [0] * 6, [0] * 6, [0] * 6
    for c in range(6):
        if c in (0, 1) or rng.random() < 0.3:
            for r in rng.sample(range(n), rng.randint(1, 4)):
                grid[r][c] = rng.randint(1, 30 if c == 0 else 5)
            carried[c] = rng.randint(0, 3)
            out[c] = rng.randint(0, 4)
            new[c] = sum(grid[r][c] for r in range(n)) + out[c] - carried[c]
            if new[c] < 0:
                out[c] -= new[c]
                new[c] = 0
    total = [sum(grid[r][c] for r in range(n)) for c in range(6)]
    if error:
        out[0] += 1                               # 自然人: 一+二 ≠ 三(七)+四
    line = lambda v: _cells(list(v) + [sum(v)])   # noqa: E731
    html = ['<table class="nb-table" border="1" cellspacing="0"><tr><td colspan="3" rowspan="3">'
            '（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）</td><td colspan="7">申请人情况</td></tr>'
            '<tr><td rowspan="2">自然人</td><td colspan="5">法人或其他组织</td><td rowspan="2">总计</td></tr><tr>'
            + "".join(f"<td>{a}</td>" for a in APPLICANTS[1:]) + "</tr>",
            f'<tr><td colspan="3">一、本年新收政府信息公开申请数量</td>{line(new)}</tr>',
            f'<tr><td colspan="3">二、上年结转政府信息公开申请数量</td>{line(carried)}</tr>']
    for i, o in enumerate(OUTCOMES):
        first = f'<td rowspan="{n + 1}">三、本年度办理结果</td>' if i == 0 else ""
        if isinstance(o, tuple):
            lead = f'<td rowspan="{GROUP_SIZE[o[0]]}">{o[0]}</td>' if o[1].startswith("1.") else ""
            html.append(f"<tr>{first}{lead}<td>{o[1]}</td>{line(grid[i])}</tr>")
        else:
            html.append(f'<tr>{first}<td colspan="2">{o}</td>{line(grid[i])}</tr>')
    html.append(f'<tr><td colspan="2">（七）总计</td>{line(total)}</tr>')
    html.append(f'<tr><td colspan="3">四、结转下年度继续办理</td>{line(out)}</tr></table>')
    return "\n".join(html)


def _review(rng: random.Random, error: bool) -> str:
    """Table 四: three blocks of 维持/纠正/其他/尚未审结 and their 总计."""
    values = []
    for b in range(3):
        parts = [rng.choice([0, 0, 1, 2]) for _ in range(4)]
        total = sum(parts) + (1 if error and b == 0 else 0)
        values += parts + [total]
    head = "<td>结果维持</td><td>结果纠正</td><td>其他结果</td><td>尚未审结</td><td>总计</td>"
    return ('<table class="nb-table" border="1" cellspacing="0"><tr><td colspan="5">行政复议</td>'
            '<td colspan="10">行政诉讼</td></tr><tr><td rowspan="2">结果维持</td><td rowspan="2">结果纠正</td>'
            '<td rowspan="2">其他结果</td><td rowspan="2">尚未审结</td><td rowspan="2">总计</td>'
            '<td colspan="5">未经复议直接起诉</td><td colspan="5">复议后起诉</td></tr>'
            f"<tr>{head * 2}</tr><tr>{_cells(values)}</tr></table>")


def report_body(rng: random.Random, name: str, year: int, drop_section: int | None = None,
                arithmetic: bool = False) -> str:
    """HTML of the report's body. `drop_section` (0–5) leaves that section out; `arithmetic`
    breaks one identity of table 三 or 四."""
    texts = (
        f"{year}年，{name}深入贯彻落实《中华人民共和国政府信息公开条例》，坚持以公开为常态、不公开为例外，"
        "持续加强主动公开、规范依申请公开、强化平台建设和监督保障，政府信息公开工作取得新成效。",
        f"{year}年，主动公开各类政府信息，及时发布规范性文件和政策解读，依法公开财政预决算、重点领域信息。",
        "全年依法受理和办理政府信息公开申请，均在法定期限内答复，具体情况见下表。",
        "全年未发生因政府信息公开被纠错的行政复议、行政诉讼案件，具体情况见下表。",
        "存在的主要问题是政策解读形式较为单一、基层公开标准化规范化水平有待提高。下一步将丰富解读形式，"
        "加强业务培训，推进基层政务公开标准化规范化建设。",
        "本年度未收取信息处理费。人大代表建议和政协提案均按期办结。",
    )
    error = (rng.choice(["application", "review"]) if arithmetic else "")
    parts = []
    for i, (head, text) in enumerate(zip(SECTIONS, texts)):
        if i == drop_section:
            continue
        parts.append(f"<p><strong>{head}</strong></p>\n<p>{text}</p>\n")
        if i == 2:
            parts.append(_application(rng, error == "application") + "\n")
        if i == 3:
            parts.append(_review(rng, error == "review") + "\n")
    return "".join(parts)
