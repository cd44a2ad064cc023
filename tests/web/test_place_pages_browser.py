"""The place pages in headless Chromium: the map image loads under the site's real
Content-Security-Policy, nothing is blocked, and axe-core finds no serious or critical problem."""

from __future__ import annotations

import itertools
import json

import pytest
from playwright.sync_api import expect

from tests.browser_fixtures import follow
from tests.web.test_browser import _run_axe

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _pages(url: str, mapping_id: int) -> dict[str, str]:
    base = f"{url}/kartlegginger/{mapping_id}"
    return {
        "kartlegging": f"{base}/",
        "kommune": f"{base}/kommuner/3006/",
        "kommune-utenfor-omradet": f"{base}/kommuner/0301/",
        "region": f"{base}/regioner/kongsbergregionen/",
    }


def test_place_pages_under_the_content_security_policy(page, live_example):
    url, mapping = live_example
    pages = _pages(url, mapping.pk)
    page.goto(pages["kartlegging"])
    image = page.get_by_role("img", name="Kart over de 25 kartlagte kommunene")
    image.scroll_into_view_if_needed()
    page.wait_for_function("[...document.images].every(i => i.complete)")
    assert image.evaluate("i => i.naturalWidth") > 0  # the SVG loaded and was drawn
    follow(page.get_by_role("link", name="Kongsbergregionen").first)
    assert page.get_by_role("heading", level=1).inner_text().startswith("Kongsbergregionen")
    expect(page.get_by_role("img", name="Kart over de 25 kartlagte kommunene")).to_have_count(1)
    follow(page.get_by_role("link", name="Kongsberg", exact=True).first)
    assert page.get_by_role("heading", level=1).inner_text().startswith("Kongsberg")
    # Both small maps are drawn at a readable size, and the partner table is there.
    for figure in page.locator("figure svg").all():
        box = figure.bounding_box()
        assert box["width"] > 200 and box["height"] > 150
    expect(page.get_by_role("table", name="De 10 kommunene Kongsberg har flest")).to_have_count(1)
    page.goto(pages["kommune-utenfor-omradet"])
    assert page.console_errors == []  # nothing blocked by the Content-Security-Policy


def test_axe_place_pages(axe_page, live_example):
    url, mapping = live_example
    problems: dict[str, list[str]] = {}
    for name, address in _pages(url, mapping.pk).items():
        assert axe_page.goto(address).status == 200, name
        for violation in _run_axe(axe_page):
            if violation["impact"] in {"serious", "critical"}:
                nodes = [" ".join(n["target"]) for n in violation["nodes"][:5]]
                problems.setdefault(name, []).append(f"{violation['id']}: {nodes}")
        levels = axe_page.evaluate(
            "[...document.querySelectorAll('h1,h2,h3,h4,h5,h6')].map(h => +h.tagName[1])"
        )
        assert levels[0] == 1 and levels.count(1) == 1, name
        assert all(b - a <= 1 for a, b in itertools.pairwise(levels)), name
    assert problems == {}, json.dumps(problems, indent=2, ensure_ascii=False)


def test_reflow_at_320px(axe_page, live_example):
    """WCAG 1.4.10: the maps shrink with the page; nothing scrolls sideways at 320 CSS px."""
    url, mapping = live_example
    axe_page.set_viewport_size({"width": 320, "height": 800})
    for name, address in _pages(url, mapping.pk).items():
        axe_page.goto(address)
        overflow = axe_page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 1, (name, overflow)
