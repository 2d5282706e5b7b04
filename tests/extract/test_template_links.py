"""The site's own navigation repeated on the section page is found by structure, not names."""
from __future__ import annotations

import random

import pytest

from crawler.extract.navigation import page_links, template_links

HOME = "http://a.gov.cn/"
SECTION = "http://a.gov.cn/xxgk/index.html"
NAV = [("首页", "/index.html"), ("政务动态", "/zwdt/"), ("信息公开", "/xxgk/"), ("政务服务", "/zwfw/"),
       ("互动交流", "/hdjl/")]
TREE = [("政府信息公开指南", "/xxgk/zn/"), ("通知公告", "/xxgk/tzgg/"), ("工作动态", "/xxgk/gzdt/"),
        ("政府信息公开年报", "/xxgk/nb/")]


def links(pairs):
    return "".join(f'<li><a href="{h}">{t}</a></li>' for t, h in pairs)


def wrap(inner, rng):
    """Arbitrary wrappers and class names, as real templates vary them."""
    for _ in range(rng.randint(0, 3)):
        inner = f'<div class="c{rng.randint(0, 999)}">{inner}</div>'
    return inner


@pytest.mark.parametrize("seed", range(8))
def test_the_homepage_nav_on_the_section_page_is_template_whatever_its_markup(seed):
    rng = random.Random(seed)
    home = f"<body>{wrap('<ul>' + links(NAV) + '</ul>', rng)}<p><a href='/xxgk/tzgg/'>通知公告</a></p></body>"
    section = (f"<body>{wrap('<ul>' + links(NAV) + '</ul>', rng)}"
               f"{wrap('<ul>' + links(TREE) + '</ul>', rng)}</body>")
    found = template_links(section, SECTION, page_links(home, HOME), hubs={HOME, SECTION})
    assert "http://a.gov.cn/zwdt" in found and "http://a.gov.cn/zwfw" in found
    assert not any(h.rstrip("/") in {f.replace("http://a.gov.cn", "") for f in found}
                   for _t, h in TREE)


def test_a_disclosure_tree_the_homepage_also_shows_stays_the_sections():
    """The homepage shows the whole tree too, but the tree never links back home: not template."""
    home = f"<body><ul>{links(NAV)}</ul><ul>{links(TREE)}</ul></body>"
    section = f"<body><ul>{links(TREE)}</ul></body>"
    assert template_links(section, SECTION, page_links(home, HOME), hubs={HOME, SECTION}) == set()


def test_nothing_is_template_without_the_other_page():
    section = f"<body><ul>{links(NAV)}</ul><ul>{links(TREE)}</ul></body>"
    assert template_links(section, SECTION, set()) == set()
