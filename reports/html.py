"""The Jinja2 environment shared by all HTML reports (scorecard now; dashboard and 通报 later).

Everything a crawled site supplies (titles, column names, URLs, details) reaches the page through
autoescaping, and URLs become links only through the `href` filter, which admits http(s) alone.
"""
from __future__ import annotations

import re
from functools import lru_cache

from jinja2 import Environment, PackageLoader, StrictUndefined

from audits.finding import SEVERITY_LABELS
from snapshot.categories import label as category_label

from audits.registry import rule_title

# Matches the literal start, so a browser cannot read another scheme into it; control characters
# are refused because browsers drop them (java\tscript:) before parsing.
_HTTP = re.compile(r"(?i)https?://[^\x00-\x20\x7f]")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def safe_href(url) -> str:
    """The URL if it may be a link target (http/https), else "" (render it as text)."""
    if not isinstance(url, str):
        return ""
    url = url.strip()
    return url if _HTTP.match(url) and not _CONTROL.search(url) else ""


def points(value) -> str:
    """96.0 -> "96", 95.5 -> "95.5": scores read like a person wrote them."""
    if value is None:
        return ""
    value = round(float(value), 2)
    return str(int(value)) if value == int(value) else f"{value:g}"


@lru_cache(maxsize=1)
def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("reports", "templates"),
        autoescape=True,                 # every template is HTML; no opt-out by file name
        undefined=StrictUndefined,       # a missing variable is a bug, not an empty cell
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(
        href=safe_href,
        points=points,
        category_label=category_label,
        severity_label=lambda s: SEVERITY_LABELS.get(s, s),
        rule_title=rule_title,
    )
    return env


def render(template: str, **context) -> str:
    return environment().get_template(template).render(**context)
