"""interpretation.unlinked / .missing on pages whose relation block a script fills (relations not
seen: 未能确认, never "not linked"), and on 解读 pages judged on what their frame shows."""
from __future__ import annotations

from crawler.extract.fields import extract_document
from snapshot.model import Fetch, Link
from tests.extract.test_relation_blocks import SCRIPTS, page
from tests.rules.builders import BASE, FULL, audit_of, fired, site

POLICY = BASE + "/zcwj/202610/t20261001_1.html"
JD = BASE + "/zcjd/202610/t20261002_9.html"
TITLE = "某某区关于加强某某管理的办法"
RELATION_BOX = '<div class="xgjd"><h3>相关解读</h3><ul id="jdList"></ul></div>'


def notes(b) -> str:
    return "\n".join(audit_of(b).notes)


def with_policy_page(html: str):
    """A 解读 linking its policy, and the policy page as the extractor reads `html`."""
    doc = extract_document(html, POLICY)
    b = site().column("政策文件").column("政策解读")
    b.doc("政策文件", POLICY, TITLE, interpretations=[i["url"] for i in doc.interpretations], **FULL)
    b.snap.documents[-1].relations_unseen = doc.relations_unseen
    b.doc("政策解读", JD, f"《{TITLE}》解读", policies=[POLICY])
    return b


def test_static_policy_page_with_an_empty_relation_block_fires():
    # The block is there, nothing can fill it, and it holds no link back: seen and absent.
    [f] = fired(with_policy_page(page(RELATION_BOX, title=TITLE)), "interpretation.unlinked")
    assert (f.url, f.target) == (JD, POLICY) and "政策文件页面未链接本解读" in f.detail


def test_policy_page_whose_relation_block_a_script_fills_is_not_judged():
    for scripts in SCRIPTS:
        b = with_policy_page(page(RELATION_BOX, scripts, title=TITLE))
        assert fired(b, "interpretation.unlinked") == []
        assert "未检查其是否链接回解读" in notes(b)


def test_the_same_block_filled_in_the_html_is_linked():
    filled = RELATION_BOX.replace('<ul id="jdList"></ul>',
                                  f'<ul id="jdList"><li><a href="{JD}">《{TITLE}》解读</a></li></ul>')
    assert fired(with_policy_page(page(filled, SCRIPTS[0], title=TITLE)), "interpretation.unlinked") == []


def interpretation_only(**kw):
    b = site().column("政策文件", entries=[(TITLE, "2026-10-01")]).column("政策解读")
    b.snap.entries[0].url = POLICY
    b.doc("政策解读", JD, f"《{TITLE}》解读", **kw)
    return b


def test_interpretation_whose_original_link_a_script_fills_is_not_judged():
    b = interpretation_only()
    assert len(fired(b, "interpretation.unlinked")) == 1      # seen without a link: fires
    b.snap.documents[-1].relations_unseen = True
    assert fired(b, "interpretation.unlinked") == []
    assert "由脚本加载" in notes(b) and "未能确认其是否链接政策文件" in notes(b)


def test_interpretation_page_is_judged_on_what_its_frame_shows():
    frame = BASE + "/zcjd/202610/related_9.html"
    # The frame was read and its 相关文件 block names the policy (merged into the page's links).
    b = interpretation_only(policies=[POLICY])
    b.doc("政策文件", POLICY, TITLE, interpretations=[JD], **FULL)
    b.snap.links.append(Link(JD, frame, kind="frame"))
    b.snap.fetches.append(Fetch(frame, "related", "ok"))
    assert fired(b, "interpretation.unlinked") == []
    # The frame was read and shows no policy: judged, not skipped.
    b = interpretation_only()
    b.snap.links.append(Link(JD, frame, kind="frame"))
    b.snap.fetches.append(Fetch(frame, "related", "ok"))
    [f] = fired(b, "interpretation.unlinked")
    assert f.target == POLICY and "按标题匹配" in f.detail
    # The frame could not be read: 未能确认.
    b = interpretation_only()
    b.snap.links.append(Link(JD, frame, kind="frame"))
    b.snap.fetches.append(Fetch(frame, "related", "timeout"))
    assert fired(b, "interpretation.unlinked") == []
    assert "框架未能读取" in notes(b)


def test_missing_is_silent_on_a_normative_document_whose_relation_block_a_script_fills():
    b = site().column("规范性文件").column("政策解读", entries=[("关于某某规划的解读", "2026-10-01")])
    b.doc("规范性文件", POLICY, TITLE, **FULL)
    assert len(fired(b, "interpretation.missing")) == 1
    b.snap.documents[-1].relations_unseen = True
    assert fired(b, "interpretation.missing") == []
    assert "未能确认其是否有解读" in notes(b)
