"""The adoption pages in a real browser (Debian's Chromium, as tests/portfolio/test_browser.py):
Skien's municipality editor reports Kjernejournal «i bruk», and the national count, Telemark's
count, the body's count and the map change; the same editor is refused another municipality's
form (403); the municipality page prints without navigation; axe-core finds nothing serious or
critical on any of the new pages.

``SAMARBEID_SCREENSHOTS=/some/dir`` keeps a screenshot of every page looked at."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from samarbeid.registry.reference import sync_reference
from tests.browser_fixtures import follow, login, run_axe
from tests.portfolio import factories as pf

from . import factories as f

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

SERIOUS = {"serious", "critical"}
SKIEN, PORSGRUNN = "4003", "4001"  # the 2024 numbers (Telemark, 40)


def _serious(violations: list[dict]) -> list[str]:
    return [f"{v['id']}: {v['help']} {[n['target'] for n in v['nodes']][:3]}" for v in violations
            if v["impact"] in SERIOUS]  # fmt: skip


def _shot(page, name: str) -> None:
    folder = os.environ.get("SAMARBEID_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


@pytest.fixture
def register(live_server):
    # Another worker's transactional test may have flushed the reference data: load it again.
    sync_reference()
    _portfolio, (kj, digihelse) = f.national()
    f.reported(kj, 215)
    f.record(kj, f.municipality("Porsgrunn"), "i_bruk", dt.date(2024, 3, 1))
    f.record(kj, f.municipality("Bergen"), "tilgjengeliggjort", dt.date(2024, 9, 1))
    f.record(digihelse, f.municipality("Skien"), "ikke_startet", dt.date(2024, 1, 15))
    pf.body("Testrådet", ("Skien", "Porsgrunn"))
    pf.municipality_editor("Skien", "skien")
    return live_server.url, kj


def _login(page, url: str, username: str) -> None:
    login(page, url, username, "x")


def _figures(page) -> dict[str, str]:
    """What the solution page says nationally, for Telemark and for the body, and how the
    map draws Skien."""
    national = page.locator("dl.figures > div", has_text="Fra registreringene").locator("dd")
    county = page.get_by_role("table", name="Kommunene i hvert fylke").get_by_role(
        "row", name="Telemark (40)"
    )
    body = page.get_by_role("table", name="Medlemskommunene i hvert").get_by_role(
        "row", name="Testrådet"
    )
    skien = page.locator("svg.place-map path").filter(has=page.locator("title", has_text="Skien:"))
    return {
        "national": national.inner_text(),
        "county": county.locator("td").last.inner_text().replace("\u00a0", " "),
        "body": body.locator("td").last.inner_text().replace("\u00a0", " "),
        "map": skien.get_attribute("fill"),
        "title": skien.locator("title").text_content(),
    }


def test_an_editor_reports_in_use_and_every_count_moves(page, register):
    url, kj = register
    page.goto(f"{url}/")
    follow(page.get_by_role("link", name="Utbredelse"))
    follow(page.get_by_role("link", name="Kjernejournal"))
    assert page.get_by_role("heading", level=1).inner_text() == "Kjernejournal"
    assert _figures(page) == {
        "national": "1 av 356",
        "county": "1 av 17 (5,9 %)",
        "body": "1 av 2 (50,0 %)",
        "map": "#ffffff",
        "title": "Skien: Ikke registrert",
    }
    _shot(page, "losning-for")

    _login(page, url, "skien")
    page.goto(f"{url}/utbredelse/kommuner/{SKIEN}/")
    follow(page.get_by_role("link", name="Meld Kjernejournal"))
    assert page.get_by_label("Løsning").input_value() == str(kj.pk)
    page.get_by_label("I bruk").check()
    page.get_by_label("Kilde").fill("Tjenesteavtale med Norsk helsenett 1.12.2026")
    follow(page.get_by_role("button", name="Meld status"))
    today = timezone.localdate().strftime("%d.%m.%Y")
    notice = page.get_by_role("status").first.inner_text()
    assert f"Meldt: Kjernejournal i Skien, «I bruk» fra {today}." in notice
    row = page.get_by_role("table", name="Status for Skien").get_by_role(
        "row", name="Kjernejournal"
    )
    assert "I bruk" in row.inner_text() and today in row.inner_text()

    follow(row.get_by_role("link", name="Kjernejournal", exact=True))
    assert _figures(page) == {
        "national": "2 av 356",
        "county": "2 av 17 (11,8 %)",
        "body": "2 av 2 (100,0 %)",
        "map": "#08306b",
        "title": "Skien: I bruk",
    }
    page.get_by_text("Vis kommunene").click()  # stays on the page: opens the list
    missing = page.locator("ul.missing-list").inner_text()
    assert "Skien" not in missing and "Bergen" in missing
    _shot(page, "losning-etter")
    assert page.console_errors == []


def test_the_editor_cannot_report_for_another_municipality(page, register):
    url, _kj = register
    _login(page, url, "skien")
    answer = page.goto(f"{url}/utbredelse/kommuner/{PORSGRUNN}/meld/")
    assert answer.status == 403
    assert page.get_by_role("heading", level=1).inner_text() == "Ingen tilgang"
    assert "Du kan ikke melde status for Porsgrunn" in page.locator(".lead").inner_text()
    _shot(page, "ingen-tilgang")
    page.goto(f"{url}/utbredelse/kommuner/{PORSGRUNN}/")
    expect(page.get_by_role("link", name="Meld status for Porsgrunn")).to_have_count(0)


def test_the_municipality_page_prints_without_navigation(page, register, tmp_path):
    url, _kj = register
    page.goto(f"{url}/utbredelse/kommuner/{SKIEN}/")
    page.emulate_media(media="print")
    for hidden in (".site-header", ".breadcrumbs", ".day-form", ".site-footer"):
        assert page.locator(hidden).first.is_hidden(), hidden
    scroll = page.locator(".table-scroll").first
    assert scroll.evaluate("e => getComputedStyle(e).overflowX") == "visible"
    expect(page.get_by_role("table", name="Status for Skien")).to_be_visible()
    _shot(page, "kommune-utskrift")
    folder = Path(os.environ.get("SAMARBEID_SCREENSHOTS") or tmp_path)
    page.pdf(path=str(folder / "kommune.pdf"))
    assert (folder / "kommune.pdf").stat().st_size > 1000


def test_axe_on_every_adoption_page(axe_page, register):
    url, kj = register
    page = axe_page
    _login(page, url, "skien")
    pages = {
        "oversikt": f"{url}/utbredelse/",
        "losning": f"{url}/utbredelse/losninger/{kj.pk}/",
        "kommune": f"{url}/utbredelse/kommuner/{SKIEN}/",
        "skjema": f"{url}/utbredelse/kommuner/{SKIEN}/meld/",
        "ingen tilgang": f"{url}/utbredelse/kommuner/{PORSGRUNN}/meld/",
        "ugyldig dato": f"{url}/utbredelse/?dato=2023-02-30",
    }
    found = {}
    for name, address in pages.items():
        page.goto(address)
        found[name] = _serious(run_axe(page))
        _shot(page, name.replace(" ", "-"))
    page.goto(pages["skjema"])
    page.get_by_label("Gjelder fra").fill("i morgen")
    follow(page.get_by_role("button", name="Meld status"))
    expect(page.get_by_role("alert").first).to_be_visible()
    found["skjema med feil"] = _serious(run_axe(page))
    _shot(page, "skjema-med-feil")
    assert {k: v for k, v in found.items() if v} == {}


def test_a_bulk_upload_with_one_bad_row_writes_nothing_and_names_the_row(
    axe_page, register, tmp_path
):
    """Skien's editor uploads a CSV with a good row and a row with an unknown status: the page
    names line 3 and the column, axe finds nothing serious, and nothing is recorded. The file
    corrected goes in whole."""
    from samarbeid.adoption.models import AdoptionRecord

    url, _kj = register
    page = axe_page
    _login(page, url, "skien")
    page.goto(f"{url}/utbredelse/")
    follow(page.get_by_role("link", name="Meld status for mange kommuner"))
    found = {"opplasting": _serious(run_axe(page))}
    header = "kommunenummer,kommune,losning,status,dato,kilde,merknad\r\n"
    good = f"{SKIEN},Skien,Kjernejournal,i_bruk,2024-05-02,E-post fra Skien,\r\n"
    bad = f"{SKIEN},Skien,DigiHelse,brukes,2024-05-02,E-post fra Skien,\r\n"
    before = AdoptionRecord.objects.count()
    wrong = tmp_path / "status.csv"
    wrong.write_text(header + good + bad, encoding="utf-8")
    page.get_by_label("Statusfil").set_input_files(str(wrong))
    follow(page.get_by_role("button", name="Last opp"))
    assert "status.csv har 1 feil. Ingenting ble lagret." in page.get_by_role("alert").inner_text()
    error = page.get_by_role("table", name="1 feil i status.csv").get_by_role("row").nth(1)
    assert error.inner_text().startswith("linje 3\tstatus\tbrukes\tUkjent verdi «brukes»")
    found["opplasting med feil"] = _serious(run_axe(page))
    _shot(page, "opplasting-med-feil")
    assert AdoptionRecord.objects.count() == before

    right = tmp_path / "status-rettet.csv"
    right.write_text(header + good + bad.replace("brukes", "i_bruk"), encoding="utf-8")
    page.get_by_label("Statusfil").set_input_files(str(right))
    follow(page.get_by_role("button", name="Last opp"))
    assert "Lagret fra status-rettet.csv" in page.get_by_role("status").first.inner_text()
    assert AdoptionRecord.objects.count() == before + 2
    assert {k: v for k, v in found.items() if v} == {}
