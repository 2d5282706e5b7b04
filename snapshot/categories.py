"""Column categories (rules.md, 栏目分类): classified by the column's name, then by its parent's."""
from __future__ import annotations

import re

# (category, Chinese label, name patterns). Order matters: the first match wins, so the more
# specific names (政策解读 before 政策文件, 年报 before 工作计划) come first.
CATEGORIES: list[tuple[str, str, tuple[str, ...]]] = [
    # 政府信息公开工作报告 is the 年报 too (many sites name the column by the report's title).
    ("annual_report", "年报", ("年报", "年度报告", "公开工作报告", "信息公开报告")),
    ("interpretation", "政策解读", ("解读", "回应关切", "图解")),
    ("guide", "指南", ("公开指南",)),
    ("system", "制度", ("公开制度", "公开规定")),
    ("catalog", "目录", ("公开目录", "信息公开目录")),
    ("profile", "概况", ("机构职能", "领导信息", "机构概况", "机构设置", "领导简介", "单位概况",
                       "部门概况", "内设机构", "机构简介", "政府领导", "领导分工")),
    ("personnel_plan", "人事、规划计划类", ("人事", "任免", "规划", "计划", "总结")),
    ("notice_policy", "通知公告、政策文件类", ("通知公告", "公示公告", "公告公示", "通知", "公告",
                                         "公示", "政策文件", "规范性文件", "政府文件", "部门文件",
                                         "文件", "政策法规", "政策", "法规")),
    ("news", "动态要闻类", ("动态", "要闻", "新闻", "进展", "工作信息", "政务信息", "资讯")),
]

LABELS = {key: label for key, label, _ in CATEGORIES} | {"other": "其他"}

# A column that only holds sub-columns is classified by them, not by itself.
_SPACES = re.compile(r"\s+")


def classify(name: str, parent_name: str = "") -> str:
    """Category id for a column named `name` (optionally under `parent_name`)."""
    name = _SPACES.sub("", name or "")
    for key, _, patterns in CATEGORIES:
        if any(p in name for p in patterns):
            return key
    if parent_name:
        parent = classify(parent_name)
        # Sub-columns of 政策文件 or 通知公告 (e.g. 区政府文件 → 政府令) keep the parent's class;
        # those of a generic 法定主动公开内容 stay "other".
        if parent in ("notice_policy", "news", "personnel_plan", "interpretation", "annual_report"):
            return parent
    return "other"


def label(category: str) -> str:
    return LABELS.get(category, category)
