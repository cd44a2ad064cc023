"""The report and comparison pages in headless Chromium under the site's real
Content-Security-Policy: nothing blocked, charts drawn at their size, axe-core without serious or
critical findings, no sideways scrolling at 320 px."""

from __future__ import annotations

import json

import pytest

from samarbeid.web import report_views
from tests.browser_fixtures import follow
from tests.web.test_browser import _run_axe
from tests.web.test_report_pages import import_later_copy

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture(autouse=True)
def _report_dir(settings, tmp_path):
    settings.VAR_DIR = tmp_path / "var"
    report_views._built_report.cache_clear()


@pytest.fixture
def pages(live_example, tmp_path) -> dict[str, str]:
    url, mapping = live_example
    later = import_later_copy(tmp_path)
    return {
        "rapport": f"{url}/kartlegginger/{mapping.pk}/rapport/",
        "sammenligning": f"{url}/kartlegginger/sammenlign/?fra={mapping.pk}&til={later.pk}",
        "sammenligning-feil": f"{url}/kartlegginger/sammenlign/?fra={mapping.pk}&til={mapping.pk}",
    }


def test_report_and_comparison_render_without_csp_errors(page, pages):
    response = page.goto(pages["rapport"])
    assert response.status == 200
    assert page.console_errors == []  # nothing blocked by the Content-Security-Policy
    assert page.get_by_role("heading", level=1).inner_text() == (
        "Interkommunalt samarbeid i Buskerud"
    )
    # The chart is drawn at its size (504 x 100.8 pt), in the colours the SVG gives it.
    chart = page.locator("#figur_geografisk_niva svg")
    box = chart.bounding_box()
    assert box["width"] == pytest.approx(504 * 4 / 3, abs=1)
    assert box["height"] == pytest.approx(100.8 * 4 / 3, abs=1)
    bar_fill = page.evaluate(
        "getComputedStyle(document.querySelector('#figur_geografisk_niva svg path[fill=\"#2b6ca3\"]')).fill"
    )
    assert bar_fill == "rgb(43, 108, 163)"
    # The report's own table of contents links within the page.
    follow(page.get_by_role("link", name="Hovedfunn"))
    assert page.url.endswith("#hovedfunn")
    assert page.console_errors == []

    response = page.goto(pages["sammenligning"])
    assert response.status == 200
    ended = page.get_by_role("table", name="Tabell 1.3. Avsluttede ordninger")
    assert "BUS21-221" in ended.inner_text()
    assert page.get_by_label("Til kartlegging").input_value() != ""
    assert page.console_errors == []


def test_axe_on_report_pages(axe_page, pages):
    problems: dict[str, list[str]] = {}
    for name, address in pages.items():
        response = axe_page.goto(address)
        assert response.status == (400 if name.endswith("feil") else 200), name
        assert axe_page.locator("html").get_attribute("lang") == "nb"
        for violation in _run_axe(axe_page):
            if violation["impact"] in {"serious", "critical"}:
                nodes = [" ".join(n["target"]) for n in violation["nodes"][:5]]
                problems.setdefault(name, []).append(f"{violation['id']}: {nodes}")
    assert problems == {}, json.dumps(problems, indent=2, ensure_ascii=False)


def test_report_reflows_at_320px(axe_page, pages):
    axe_page.set_viewport_size({"width": 320, "height": 800})
    for address in (pages["rapport"], pages["sammenligning"]):
        axe_page.goto(address)
        overflow = axe_page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 1, f"{address} scrolls sideways by {overflow}px at 320px"
