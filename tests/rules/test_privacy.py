import pytest

from audits.rules.privacy import find_cards, find_ids, find_mobiles, id_valid, luhn, mask
from tests.rules.builders import BASE, FULL, fired, site

URL = BASE + "/tzgg/1.html"
ID = "11010519491231002X"          # GB 11643's own example: check digit X
CARD = "6222021234567890128"       # 19 digits, Luhn-valid


def test_check_digit_and_luhn():
    assert id_valid(ID) and not id_valid("110105194912310021")
    assert not id_valid("110105194913310025")          # month 13
    assert luhn(CARD) and not luhn("6222021234567890127")


def test_finders_skip_masked_and_landlines():
    text = (f"联系人张三，手机13812345678，座机0531-87654321，另一手机138****5678，"
            f"身份证{ID}，打码的1101**********002X，收款账号：{CARD}，编号{CARD[:-1]}7")
    assert find_mobiles(text) == ["13812345678"]
    assert find_ids(text) == [ID]
    assert find_cards(text) == [CARD]


def test_card_needs_account_context_and_accepts_spaces():
    assert find_cards(f"项目编号{CARD}") == []
    assert find_cards("开户银行：某某银行 账号：6222 0212 3456 7890 128") == [CARD]


def test_id_is_not_also_a_phone():
    assert find_mobiles("身份证 130105194912310026") == []     # digits glued on: not a mobile
    assert find_mobiles(ID) == []


def page(text):
    return site().column("通知公告").doc("通知公告", URL, "公示", **FULL).body(text)


@pytest.mark.parametrize("rule,text,shown", [
    ("privacy.id_number", f"申请人身份证号{ID}", "1101**********002X"),
    ("privacy.phone", "联系电话13812345678", "138****5678"),
    ("privacy.bank_card", f"收款卡号：{CARD}", "6222***********0128"),
])
def test_page_findings_are_masked(rule, text, shown):
    [f] = fired(page(text), rule)
    assert shown in f.detail and f.url == URL and f.column == "通知公告" and f.severity == "deduct"
    assert ID not in f.detail and "13812345678" not in f.detail and CARD not in f.detail


def test_clean_page_is_fine():
    text = "咨询电话：0531-12345678，联系人手机：139****0000，身份证：3701**********1234"
    for rule in ("privacy.id_number", "privacy.phone", "privacy.bank_card"):
        assert fired(page(text), rule) == []


def test_attachment_text_is_checked():
    b = page("见附件").attachment(BASE + "/tzgg/P1.xlsx", text=f"姓名 手机\n张三 15912345678")
    [f] = fired(b, "privacy.phone")
    assert f.target == BASE + "/tzgg/P1.xlsx" and f.url == URL and f.detail.startswith("附件中")


def test_many_numbers_are_summarised():
    text = "，".join(f"1391234567{i}" for i in range(5))
    [f] = fired(page(text), "privacy.phone")
    assert f.detail.endswith("等5处") and mask("13912345670", 3, 4) in f.detail


# --- numbers as pages show them: in cells, in <br> lines, in groups, in full-width digits ----------

from hypothesis import given, settings, strategies as st  # noqa: E402

from crawler.extract.text import visible_text  # noqa: E402

_W = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def with_check(first17: str) -> str:
    """GB 11643's check digit appended (the rule's own id_valid is not used to make test data)."""
    return first17 + "10X98765432"[sum(int(c) * w for c, w in zip(first17, _W)) % 11]


ID2 = with_check("37030219900101123")    # 淄博 1990-01-01


def test_the_test_check_digit_agrees_with_the_standard_example():
    assert with_check(ID[:17]) == ID and id_valid(ID2)


@pytest.mark.parametrize("text,found", [
    ("2\t郭庄社区\t13861214017\t马德胜", ["13861214017"]),           # a table row, cells apart
    ("联系人：张三\n13812345678\n地址：某路", ["13812345678"]),         # a <br> line of its own
    ("电话：138 1234 5678", ["13812345678"]),
    ("电话：138-1234-5678", ["13812345678"]),
    ("手机：１３８１２３４５６７８", ["13812345678"]),                  # full-width digits
    ("手机：１３８－１２３４－５６７８", ["13812345678"]),
    ("手机：138\u30001234\u30005678", ["13812345678"]),                # ideographic spaces
    ("手机：138\xa01234\xa05678", ["13812345678"]),
    ("+86 13812345678", ["13812345678"]), ("+8613812345678", ["13812345678"]),
    ("座机0533-1234567/13812345678", ["13812345678"]),
    ("张三（13812345678），李四（13912345678）", ["13812345678", "13912345678"]),
    ("2 13861214017 马德胜", ["13861214017"]),                         # PDF text: cells by spaces
    ("手机号：13812345678。", ["13812345678"]),
    ("值班手机13812345678 日夜有人值守", ["13812345678"]),
])
def test_mobiles_found(text, found):
    assert find_mobiles(text) == found


@pytest.mark.parametrize("text", [
    "138****5678", "138＊＊＊＊5678", "138××××5678", "1381234****",
    "0533-1234567", "0533 12345678", "(0533)1234567", "400-123-4567", "400 123 4567", "95588",
    "郭庄社区2138612140172马德胜",                     # glued to the cells around it
    "索引号：11370300MB2857546X/2023-13812345678",      # tail of an index number
    "订单号13812345678", "编号：13812345678", "No.13812345678", "流水号 13812345678",
    "2023102313812345678", "20231023 138-1234-5678-01", "1698012345678",   # dates, timestamps
    "鲁政发〔2023〕13812345678号", "第13812345678号",
    "金额13812345678.00元", "13812345678元", "合计 13812345678 元", "1.13812345678",
    "12 138 1234 5678 90", "138 1234 5678 9", "5 138 1234 5678",   # a row of numbers, not groups
    "2023-138-1234-5678", "138-1234-5678-1", "A13812345678", "13812345678X",
    "附件：file_13812345678.pdf", "http://x.gov.cn/a/13812345678.html",
    "12345678901", "10012345678", "1281234567",
])
def test_mobile_look_alikes_stay_silent(text):
    assert find_mobiles(text) == []


@pytest.mark.parametrize("text", [
    f"身份证号：{ID2}", f"{ID2[:6]} {ID2[6:14]} {ID2[14:]}", f"{ID2[:6]}-{ID2[6:14]}-{ID2[14:]}",
    " ".join([ID2[:4], ID2[4:8], ID2[8:12], ID2[12:16], ID2[16:]]),        # 3703 0219 9001 0112 3x
    f"{ID2[:6]} {ID2[6:10]} {ID2[10:14]} {ID2[14:]}",
    ID2.translate(str.maketrans("0123456789X", "０１２３４５６７８９Ｘ")),
    f"张三\t{ID2}\t13812345678",
])
def test_ids_found_in_any_grouping(text):
    assert find_ids(text) == [ID2]


def test_lower_case_x_and_grouped_x():
    assert find_ids(ID.lower()) == [ID]
    assert find_ids(f"{ID[:6]} {ID[6:14]} {ID[14:].lower()}") == [ID]


@pytest.mark.parametrize("text", [
    "3703**********1234", "3703＊＊＊＊＊＊＊＊＊＊1234", ID2[:14] + "****", ID2[:6] + "********" + ID2[14:],
    ID2[:17] + str((int(ID2[17]) + 1) % 10) if ID2[17].isdigit() else ID2[:17] + "0",   # bad check digit
    "370302199013011238",                                                   # month 13
    with_check("37030230000101123"),                                        # born in the future
    "9" + ID2, ID2 + "1", f"编号：{ID2}", f"{ID2}.pdf",
    f"{ID2[:4]} {ID2[4:8]} {ID2[8:12]} {ID2[12:16]} {ID2[16:]} 7",           # one group of a row
])
def test_id_look_alikes_stay_silent(text):
    assert find_ids(text) == []


def test_an_id_is_not_read_as_a_phone_in_any_grouping():
    id13 = with_check("13010519900101123")                 # an ID that starts like a mobile
    for text in (id13, f"{id13[:6]} {id13[6:14]} {id13[14:]}"):
        assert find_ids(text) == [id13] and find_mobiles(text) == []


def test_full_width_bank_card_in_context():
    wide = CARD.translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    assert find_cards(f"收款账号：{wide}") == [CARD]


GONGSHI = ("<html><body><h1>公益性岗位人员名单公示</h1><table>"
           "<tr><td>社区</td><td>户数</td><td>联系电话</td><td>人数</td><td>姓名</td></tr>"
           "<tr><td>郭庄社区</td><td>2</td><td>13861214017</td><td>2</td><td>马德胜</td></tr>"
           "<tr><td>北关社区</td><td>1</td><td>138****5678</td><td>1</td><td>王某</td></tr>"
           "</table><p>监督电话：0533-1234567<br>联系人手机：139 1234 5678</p></body></html>")


def test_page_table_number_fires_masked_and_masked_row_stays_silent():
    [f] = fired(page(visible_text(GONGSHI)), "privacy.phone")
    assert "138****4017" in f.detail and "139****5678" in f.detail and "等" not in f.detail
    assert "13861214017" not in f.detail and "13912345678" not in f.detail


def test_the_same_table_as_joined_text_is_what_was_missed():
    import lxml.html
    joined = lxml.html.fromstring(GONGSHI).text_content()
    assert "2138612140172" in joined and "13861214017" not in find_mobiles(joined)


# --- fuzz: the finders read whatever a page holds without raising -------------------------------

_CHARS = st.sampled_from(list("0123456789０１２３４５６７８９ -－\u3000\xa0\t\n*＊Xx.,，：元号年+86()（）")
                         + ["郭", "庄", "电话", "编号", "账号"])


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(), st.lists(_CHARS, max_size=80).map("".join)))
def test_finders_never_raise_and_return_well_formed_numbers(text):
    mobiles, ids, cards = find_mobiles(text), find_ids(text), find_cards(text)
    assert all(len(m) == 11 and m.isdigit() and m[0] == "1" and m[1] in "3456789" for m in mobiles)
    assert all(id_valid(i) for i in ids)
    assert all(16 <= len(c) <= 19 and luhn(c) for c in cards)


@settings(max_examples=200, deadline=None)
@given(st.text("0123456789", min_size=1, max_size=8), st.text("0123456789", max_size=8),
       st.sampled_from(["", " ", "-"]))
def test_a_mobile_glued_to_more_digits_never_fires(head, tail, sep):
    # (head and the first group may make an 11-digit number of their own: that one may fire.)
    number = sep.join(["138", "1234", "5678"]) if sep else "13812345678"
    assert "13812345678" not in find_mobiles(head + number + tail)
    assert "13812345678" not in find_mobiles(f"{head}-{number}")
    assert find_mobiles(head + "13812345678" + tail) == []


def test_a_birth_date_after_the_as_of_date_is_no_id_number():
    """The rule judges against the audit's as-of date, not the machine's clock."""
    from datetime import date

    from audits.rules.privacy import id_valid
    body = "11010520250601123"
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    number = body + "10X98765432"[sum(int(c) * w for c, w in zip(body, weights)) % 11]
    assert id_valid(number, date(2026, 1, 1))
    assert not id_valid(number, date(2025, 5, 1))
