"""Document rules: the 政府信息公开 metadata block of policy documents."""
from __future__ import annotations

from audits.registry import rule
from audits.rules._util import name_chain

# Required fields in display order: (key, Chinese name).
REQUIRED = (("index_no", "索引号"), ("publisher", "发布机构"), ("written", "成文日期"),
            ("doc_no", "发文字号"), ("published", "发布日期"), ("validity", "有效性"))


def missing_fields(fields: dict[str, str], normative: bool) -> list[str]:
    """Chinese names of the required fields `fields` lacks."""
    out = []
    for key, name in REQUIRED:
        value = (fields.get(key) or "").strip()
        if key == "doc_no":
            # Many documents legitimately have no 文号: an empty 文号 row is fine, no row at all is not.
            gone = key not in fields
        elif key == "validity":
            gone = normative and not value
        else:
            gone = not value
        if gone:
            out.append(name)
    return out


@rule("doc.missing_fields", title="文件要素缺失", severity="deduct",
      source="seeds (001: 标题、正文、文号、成文日期、发布日期、有效性)", points=0.5)
def missing(ctx):
    """通知公告政策文件类栏目中显示元数据块的文件缺少索引号、发布机构、成文日期、发布日期；无文号行；规范性文件栏目缺有效性。"""
    snap = ctx.snapshot
    for doc in snap.documents:
        column = snap.column(doc.column_id)
        if column is None or column.category != "notice_policy" or doc.status != "ok" \
                or not doc.has_meta_block:
            continue
        normative = any("规范性文件" in n for n in name_chain(snap, column))
        names = missing_fields(doc.fields, normative)
        if names:
            yield ctx.finding(f"缺少{'、'.join(names)}", column=column.name, url=doc.url,
                              title=doc.title or doc.fields.get("title", ""))
