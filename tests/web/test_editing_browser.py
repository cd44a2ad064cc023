"""Editing in a real browser (headless Chromium, the fixtures of ``conftest.py``): an editor's
tasks end to end, the refusals, the conflict between two editors, and axe-core on the sign-in
form, the edit form with and without errors, the conflict, the history and restore pages."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from samarbeid.registry.models import Arrangement
from tests.browser_fixtures import follow, login
from tests.conftest import _Null

from .test_browser import _run_axe

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

BOTH = "BUS21-007"  # Tilsyn- og ulovlighetsoppfølging i Kongsbergregionen: Hjartdal and Tinn
NEITHER = "BUS21-010"  # Kongsberg Krisesenter


@pytest.fixture
def live_editing(live_example, settings):
    call_command("create_demo_users", stdout=_Null())
    return live_example


def _login(page, url: str, username: str) -> None:
    login(page, url, username, f"demo-{username}")


def _edit_url(url: str, mapping, ref: str) -> str:
    return f"{url}/kartlegginger/{mapping.pk}/ordninger/{ref}/endre/"


def test_mapping_editor_edits_and_the_public_page_shows_it(browser, page, live_editing):
    url, mapping = live_editing
    _login(page, url, "kartlegger")
    page.goto(f"{url}/kartlegginger/{mapping.pk}/ordninger/{BOTH}/")
    follow(page.get_by_role("link", name="Endre ordningen"))
    assert page.get_by_role("heading", level=1).inner_text().startswith("Endre Tilsyn")
    page.get_by_label("Faste årsverk", exact=True).fill("3,5")
    page.get_by_label("Beskrivelse", exact=True).fill("Felles tilsyn etter plan- og bygningsloven")
    page.get_by_label("Kilde for endringen").fill("Eierskapsmelding 2024, Kongsberg kommune")
    follow(page.get_by_role("button", name="Lagre endringene"))
    assert "er lagret (versjon 2)" in page.get_by_role("status").inner_text()
    assert page.console_errors == []

    reader = browser.new_context(locale="nb-NO")
    public = reader.new_page()
    public.goto(f"{url}/kartlegginger/{mapping.pk}/ordninger/{BOTH}/")
    assert "3,5" in public.locator("dl.facts").first.inner_text()
    expect(public.get_by_role("link", name="Endre ordningen")).to_have_count(0)
    history = public.get_by_role("table", name="Siste endringer av ordningen, nyeste først")
    row = history.locator("tbody tr").first.inner_text()
    assert "Kari Kartlegger" in row and "Eierskapsmelding 2024, Kongsberg kommune" in row
    assert "Faste årsverk: (tom) → 3.5" in row
    reader.close()


def test_tinns_editor_cannot_edit_where_tinn_is_not(page, live_editing):
    url, mapping = live_editing
    _login(page, url, "tinn")
    page.goto(f"{url}/kartlegginger/{mapping.pk}/ordninger/{NEITHER}/")
    assert page.get_by_role("heading", level=1).inner_text() == "Kongsberg Krisesenter"
    expect(page.get_by_role("link", name="Endre ordningen")).to_have_count(0)
    response = page.goto(_edit_url(url, mapping, NEITHER))
    assert response.status == 403
    assert page.get_by_role("heading", level=1).inner_text() == "Ingen tilgang"
    assert "Tinn deltar ikke i «Kongsberg Krisesenter»" in page.locator("main").inner_text()
    # Where Tinn takes part, the same editor may.
    page.goto(f"{url}/kartlegginger/{mapping.pk}/ordninger/{BOTH}/")
    expect(page.get_by_role("link", name="Endre ordningen")).to_have_count(1)


def test_two_editors_the_second_gets_a_conflict(browser, page, live_editing):
    url, mapping = live_editing
    other_context = browser.new_context(locale="nb-NO")
    other = other_context.new_page()
    _login(page, url, "kartlegger")
    _login(other, url, "hjartdal")
    page.goto(_edit_url(url, mapping, BOTH))
    other.goto(_edit_url(url, mapping, BOTH))

    other.get_by_label("Faste årsverk", exact=True).fill("2")
    other.get_by_label("Kilde for endringen").fill("Hjartdal kommune")
    follow(other.get_by_role("button", name="Lagre endringene"))
    assert "er lagret" in other.get_by_role("status").inner_text()

    page.get_by_label("Faste årsverk", exact=True).fill("7")
    page.get_by_label("Andre opplysninger").fill("Min merknad")
    page.get_by_label("Kilde for endringen").fill("Rapport 2021")
    follow(page.get_by_role("button", name="Lagre endringene"))
    alert = page.locator("#konflikt")
    assert "Hanne Hjartdal endret ordningen" in alert.inner_text()
    assert "din verdi «7», lagret nå «2»" in alert.inner_text()
    # Nothing the second editor typed is lost, and nothing was overwritten.
    assert page.get_by_label("Faste årsverk", exact=True).input_value() == "7"
    assert page.get_by_label("Andre opplysninger").input_value() == "Min merknad"
    assert page.get_by_label("Kilde for endringen").input_value() == "Rapport 2021"
    assert str(Arrangement.objects.get(mapping=mapping, ref=BOTH).arsverk) == "2.00"
    # The conflict page answers 409, which the console notes; nothing else (no CSP violation).
    assert [e for e in page.console_errors if "status of 409" not in e] == []
    other_context.close()


def test_error_summary_links_to_the_field(page, live_editing):
    url, mapping = live_editing
    _login(page, url, "kartlegger")
    page.goto(_edit_url(url, mapping, BOTH))
    page.get_by_label("Faste årsverk", exact=True).fill("mange")
    follow(page.get_by_role("button", name="Lagre endringene"))
    summary = page.get_by_role("alert")
    assert "«mange» er ikke et tall." in summary.inner_text()
    follow(summary.get_by_role("link", name="Faste årsverk: «mange» er ikke et tall."))
    assert page.evaluate("document.activeElement.id") == "id_arsverk"
    assert page.console_errors == []


def test_axe_on_the_editing_pages(axe_page, live_editing):
    url, mapping = live_editing
    base = f"{url}/kartlegginger/{mapping.pk}"
    shots = os.environ.get("SAMARBEID_SCREENSHOTS")
    problems: dict[str, list[str]] = {}
    minor: dict[str, list[str]] = {}

    def check(name: str) -> None:
        assert axe_page.locator("html").get_attribute("lang") == "nb"
        if shots:
            Path(shots).mkdir(parents=True, exist_ok=True)
            axe_page.screenshot(path=str(Path(shots) / f"{name}.png"), full_page=True)
        for violation in _run_axe(axe_page):
            nodes = [" ".join(n["target"]) for n in violation["nodes"][:5]]
            line = f"{violation['id']} ({violation['impact']}): {violation['help']} – {nodes}"
            bucket = problems if violation["impact"] in {"serious", "critical"} else minor
            bucket.setdefault(name, []).append(line)

    axe_page.goto(f"{url}/logg-inn/")
    check("innlogging")
    axe_page.get_by_label("Brukernavn").fill("kartlegger")
    axe_page.get_by_label("Passord").fill("feil")
    follow(axe_page.get_by_role("button", name="Logg inn"))
    expect(axe_page.get_by_role("alert")).to_have_count(1)
    check("innlogging-feil")
    _login(axe_page, url, "kartlegger")

    axe_page.goto(_edit_url(url, mapping, BOTH))
    check("endre")
    axe_page.get_by_label("Faste årsverk", exact=True).fill("mange")
    axe_page.get_by_label("Deltaker", exact=True).first.fill("Kongsbergg")
    follow(axe_page.get_by_role("button", name="Lagre endringene"))
    expect(axe_page.get_by_role("alert")).to_have_count(1)
    check("endre-feil")

    # A conflict: someone saves while the form is open.
    axe_page.goto(_edit_url(url, mapping, BOTH))
    Arrangement.objects.filter(mapping=mapping, ref=BOTH).update(version=2)
    axe_page.get_by_label("Faste årsverk", exact=True).fill("4")
    axe_page.get_by_label("Kilde for endringen").fill("Test")
    follow(axe_page.get_by_role("button", name="Lagre endringene"))
    expect(axe_page.locator("#konflikt")).to_have_count(1)
    check("endre-konflikt")
    follow(axe_page.get_by_role("button", name="Lagre min versjon"))  # the version is now 2

    axe_page.goto(f"{base}/ny-ordning/")
    check("ny-ordning")
    axe_page.goto(f"{base}/ordninger/{BOTH}/")
    check("ordning-med-historikk")
    axe_page.goto(f"{base}/ordninger/{BOTH}/historikk/")
    check("historikk")
    follow(axe_page.get_by_role("link", name="Gjenopprett versjon").first)
    check("gjenopprett")
    follow(axe_page.get_by_role("button", name="Gjenopprett denne versjonen"))
    expect(axe_page.get_by_role("alert")).to_have_count(1)  # no source given
    check("gjenopprett-feil")
    axe_page.goto(f"{base}/ordninger/{BOTH}/slett/")
    check("slett")
    axe_page.goto(f"{base}/slettede-ordninger/")
    check("slettede")
    axe_page.goto(f"{base}/status/")
    check("status")
    follow(axe_page.get_by_role("button", name="Endre status"))  # no status chosen, no reason
    expect(axe_page.get_by_role("alert")).to_have_count(1)
    check("status-feil")
    axe_page.get_by_label("Frosset", exact=False).check()
    axe_page.get_by_label("Begrunnelse eller kilde").fill("Kartleggingen er vedtatt")
    follow(axe_page.get_by_role("button", name="Endre status"))
    assert "Status: Frosset." in axe_page.locator("main").inner_text()
    check("kartlegging-frosset")
    _login_other(axe_page, url, "tinn")
    response = axe_page.goto(_edit_url(url, mapping, NEITHER))
    assert response.status == 403
    check("ingen-tilgang")
    if minor:
        print("axe, mindre alvorlige funn:\n" + json.dumps(minor, indent=2, ensure_ascii=False))
    assert problems == {}, json.dumps(problems, indent=2, ensure_ascii=False)


def _login_other(page, url: str, username: str) -> None:
    follow(page.get_by_role("button", name="Logg ut"))
    _login(page, url, username)
