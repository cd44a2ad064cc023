"""The public pages in a real browser (headless Chromium): a reader's tasks, keyboard use, and
axe-core on every page type and form state (zero serious or critical violations).

``SAMARBEID_SCREENSHOTS=DIR`` also saves a full-page screenshot of each page the axe test visits.
"""

from __future__ import annotations

import itertools
import json
import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser_fixtures import follow, run_axe

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_reader_finds_kongsbergs_arrangements_by_filtering(page, live_example):
    url, _mapping = live_example
    page.goto(f"{url}/")
    follow(page.get_by_role("link", name="Interkommunalt samarbeid i Buskerud"))
    follow(page.get_by_role("link", name="Se og filtrer alle ordningene"))
    page.get_by_label("Kommune i kartleggingen").select_option(label="Kongsberg (3006)")
    follow(page.get_by_role("button", name="Vis ordninger"))

    assert "kommune=3006" in page.url
    assert page.locator("#antall").inner_text().startswith("27 ordninger funnet, 26 av dem telles.")
    rows = page.locator("table.arrangements tbody tr")
    expect(rows).to_have_count(27)
    expect(page.locator("table.arrangements tbody tr", has_text="Telles")).to_have_count(26)
    # The selection stays visible in the form after submitting.
    assert page.get_by_label("Kommune i kartleggingen").input_value() == "3006"

    follow(page.get_by_role("link", name="Kongsbergregionen IKPR"))
    assert page.get_by_role("heading", level=1).inner_text() == "Kongsbergregionen IKPR"
    participants = page.get_by_role("table", name="Deltakerne i Kongsbergregionen IKPR")
    expect(participants.locator("tbody tr")).to_have_count(8)
    assert page.console_errors == []  # nothing blocked by the Content-Security-Policy


def test_counted_only_and_participant_outside_the_area(page, live_example):
    url, mapping = live_example
    page.goto(f"{url}/kartlegginger/{mapping.pk}/ordninger/")
    page.get_by_label("Kommune i kartleggingen").select_option(label="Kongsberg (3006)")
    page.get_by_label("Status").select_option(label="Telles")
    follow(page.get_by_role("button", name="Vis ordninger"))
    assert page.locator("#antall").inner_text().startswith("26 ordninger funnet")

    # A misspelt participant gives an error summary that links to the field, with a suggestion.
    page.goto(f"{url}/kartlegginger/{mapping.pk}/ordninger/")
    page.get_by_label("Deltaker, eksakt navn").fill("Hjardal")
    follow(page.get_by_role("button", name="Vis ordninger"))
    summary = page.get_by_role("alert")
    assert "Mente du «Hjartdal»" in summary.inner_text()
    follow(summary.get_by_role("link").first)
    assert page.evaluate("document.activeElement.id") == "id_deltaker"
    # The page with the error summary is answered with 400 (bad input); Chromium logs that status.
    assert all("status of 400" in e for e in page.console_errors), page.console_errors


def test_keyboard_only(page, live_example):
    url, mapping = live_example
    page.goto(f"{url}/kartlegginger/{mapping.pk}/ordninger/")

    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Hopp til hovedinnholdet"
    assert page.locator(".skip-link").bounding_box()["y"] >= 0  # visible when focused
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "hovedinnhold"

    page.keyboard.press("Tab")  # first control of the filter form
    assert page.evaluate("document.activeElement.id") == "id_kommune"
    style = page.evaluate(
        "(() => { const s = getComputedStyle(document.activeElement);"
        " return [s.outlineStyle, s.outlineWidth, s.boxShadow]; })()"
    )
    assert style[0] != "none" and style[1] != "0px", style  # focus is visible
    page.keyboard.type("Kong")  # type-ahead in the closed select
    assert page.evaluate("document.activeElement.value") == "3006"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "id_deltaker"
    with page.expect_navigation():
        page.keyboard.press("Enter")  # implicit submission
    assert "kommune=3006" in page.url
    assert page.locator("#antall").inner_text().startswith("27 ordninger funnet")

    # On to the first result by keyboard alone: Tab through the form, then to the table.
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent.trim()") == "Kongsbergregionen IKPR":
            break
    else:
        pytest.fail("the first result link is not reachable with Tab")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.get_by_role("heading", level=1).inner_text() == "Kongsbergregionen IKPR"


def _page_types(url: str, mapping_id: int) -> dict[str, str]:
    base = f"{url}/kartlegginger/{mapping_id}"
    return {
        "forside": f"{url}/",
        "kartlegging": f"{base}/",
        "ordningsliste": f"{base}/ordninger/",
        "ordningsliste-filtrert": f"{base}/ordninger/?kommune=3006&status=telles&juridisk_form=ipr",
        "ordningsliste-side-2": f"{base}/ordninger/?side=2",
        "ordningsliste-ingen-treff": f"{base}/ordninger/?q=finnes-ikke",
        "ordningsliste-feil": f"{base}/ordninger/?deltaker=Hjardal&kommune=9999",
        "ordning": f"{base}/ordninger/BUS21-001/",
        "ordning-med-vertskommune": f"{base}/ordninger/BUS21-007/",
        "ordning-utenfor": f"{base}/ordninger/BUS21-234/",
        "kommune": f"{base}/kommuner/3006/",
        "kommune-utenfor-omradet": f"{base}/kommuner/0301/",
        "ikke-funnet": f"{base}/ordninger/FINNES-IKKE/",
    }


_run_axe = run_axe  # one helper for every browser test (tests/browser_fixtures.py)


def test_axe_finds_a_planted_violation(axe_page):
    """The harness works: axe reports what is wrong on a bad page."""
    axe_page.set_content('<html><body><img src="x.png"><input type="text"></body></html>')
    ids = {v["id"] for v in _run_axe(axe_page)}
    assert {"image-alt", "label", "html-has-lang"} <= ids


def test_axe_every_page_type(axe_page, live_example):
    url, mapping = live_example
    shots = os.environ.get("SAMARBEID_SCREENSHOTS")
    problems: dict[str, list[str]] = {}
    minor: dict[str, list[str]] = {}
    for name, address in _page_types(url, mapping.pk).items():
        response = axe_page.goto(address)
        expected = {"ikke-funnet": 404, "ordningsliste-feil": 400}.get(name, 200)
        assert response.status == expected, (name, response.status)
        assert axe_page.locator("html").get_attribute("lang") == "nb"
        if shots:
            Path(shots).mkdir(parents=True, exist_ok=True)
            axe_page.screenshot(path=str(Path(shots) / f"{name}.png"), full_page=True)
        for violation in _run_axe(axe_page):
            nodes = [" ".join(n["target"]) for n in violation["nodes"][:5]]
            line = f"{violation['id']} ({violation['impact']}): {violation['help']} – {nodes}"
            bucket = problems if violation["impact"] in {"serious", "critical"} else minor
            bucket.setdefault(name, []).append(line)
    if minor:
        print("axe, mindre alvorlige funn:\n" + json.dumps(minor, indent=2, ensure_ascii=False))
    assert problems == {}, json.dumps(problems, indent=2, ensure_ascii=False)


def test_reflow_at_320px_and_heading_order(axe_page, live_example):
    """Reflow (WCAG 1.4.10): at 320 CSS px the list page needs no sideways page scrolling (wide
    tables scroll inside their own focusable region); headings go down one level at a time."""
    url, mapping = live_example
    axe_page.set_viewport_size({"width": 320, "height": 800})
    axe_page.goto(f"{url}/kartlegginger/{mapping.pk}/ordninger/?kommune=3006")
    overflow = axe_page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 1, f"the page scrolls sideways by {overflow}px at 320px"
    if os.environ.get("SAMARBEID_SCREENSHOTS"):
        shot = Path(os.environ["SAMARBEID_SCREENSHOTS"]) / "ordningsliste-320px.png"
        axe_page.screenshot(path=str(shot), full_page=True)
    serious = [v["id"] for v in _run_axe(axe_page) if v["impact"] in {"serious", "critical"}]
    assert serious == []
    heading_levels = axe_page.evaluate(
        "[...document.querySelectorAll('h1,h2,h3,h4,h5,h6')].map(h => +h.tagName[1])"
    )
    assert heading_levels[0] == 1 and heading_levels.count(1) == 1
    assert all(b - a <= 1 for a, b in itertools.pairwise(heading_levels))
    assert axe_page.title().startswith("Ordninger – Interkommunalt samarbeid i Buskerud")
