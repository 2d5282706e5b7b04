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
