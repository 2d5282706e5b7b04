"""Defects for the rules that read page content (文号, personal data, links, footer, 指南), seeded
on top of a generated TRS site, with their truth — and look-alikes that must not fire.

Kept apart from generator.py (whose page styles other work changes): `build_site_with_defects`
is the generator's builder plus these hooks.
"""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from tests.sites import generator as g

PHONE = "13812345678"
ID_NUMBER = "11010519491231002X"          # valid GB 11643 check digit
DEAD = "/files/gone.pdf"
# Rules whose truth this module seeds completely on its sites.
RULES = {"doc.number_format", "privacy.phone", "privacy.id_number", "link.broken", "site.identity",
         "guide.incomplete"}


class _DefectBuilder(g._Builder):
    def build(self) -> g.Truth:
        self.seeded: dict[int, str] = {}
        truth = super().build()
        guide = self.root / self.sec.strip("/") / "zfxxgkzn" / "index.html"
        text = guide.read_text(encoding="utf-8")
        text = "\n".join(ln for ln in text.split("\n") if "办公时间" not in ln)
        guide.write_text(text, encoding="utf-8")
        truth.add("guide.incomplete", g.GUIDE, f"{self.sec}zfxxgkzn/")
        truth.add("site.identity", "", "/")
        return truth

    def footer(self) -> str:
        # No 公安机关备案号: site.identity.
        return super().footer().replace(f"鲁公网安备 {self.site_id[:6]}02000{self.site_id[-3:]}号", "")

    def document(self, col, doc, cols) -> None:
        kind = None
        if col.spec.category == "notice_policy" and col.spec.name not in (self.spec.fail_column,
                                                                          self.spec.slow_column):
            kinds = ["number", "phone", "id", "dead", "lookalike"]
            used = set(self.seeded.values())
            kind = next((k for k in kinds if k not in used and (k != "number" or doc.doc_no)), None)
            if kind:
                self.seeded[doc.id] = kind
        if kind == "number":
            doc.doc_no = doc.doc_no.replace("〔", "[").replace("〕", "]")
            self.truth.add("doc.number_format", col.spec.name, doc.path)
        super().document(col, doc, cols)
        extra = {
            "phone": f"<p>联系人：张三，手机{PHONE}。</p>",
            "id": f"<p>申请人：李四，身份证号码{ID_NUMBER}。</p>",
            "dead": f'<p><a href="{DEAD}">附件：已撤回的文件.pdf</a></p>',
            "lookalike": ("<p>咨询电话：0531-87654321，联系人手机138****5678，身份证号3701**********1234，"
                          "依据国令第123号和国办发明电〔2018〕15号。</p>"),
        }.get(kind)
        if extra:
            file = self.root / doc.path.lstrip("/")
            text = file.read_text(encoding="utf-8")
            file.write_text(text.replace('<div class="Custom_UnionStyle">\n',
                                         '<div class="Custom_UnionStyle">\n' + extra, 1), encoding="utf-8")
        rule = {"phone": "privacy.phone", "id": "privacy.id_number", "dead": "link.broken"}.get(kind)
        if rule:
            self.truth.add(rule, col.spec.name, doc.path, target=DEAD if kind == "dead" else "")


def build_site_with_defects(root: Path, spec: g.SiteSpec) -> g.Truth:
    """The generator's site (TRS style) plus this module's defects; truth includes them."""
    return _DefectBuilder(root, replace(spec, style="trs")).build()
