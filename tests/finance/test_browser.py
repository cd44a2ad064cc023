"""The cost-sharing pages in a real browser (Debian's Chromium, as tests/portfolio/test_browser.py):
DigiVestland's secretariat builds a model in the web form (30 % likt, 70 % etter folketall on the
10,1 million budget, Bergen exempt), first with mistakes — every field says what is wrong, what
was typed stays, nothing is saved — then saves it, compares it with the current DigiVestland
model and downloads the comparison as Excel, which is read back with openpyxl; axe-core finds
nothing serious or critical on any page type, and no page overflows at 1280 or 375 px.

``SAMARBEID_SCREENSHOTS=/some/dir`` keeps a screenshot of every page looked at (both widths)."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from openpyxl import load_workbook
from playwright.sync_api import expect

from samarbeid.finance.loader import load_examples as load_finance
from samarbeid.finance.models import FeeModel, FeeModelVersion
from samarbeid.portfolio.loader import load_examples as load_portfolio
from samarbeid.portfolio.models import CooperationBody
from samarbeid.portfolio.rules import grant_secretariat
from samarbeid.registry.reference import sync_reference
from tests.browser_fixtures import follow, login, run_axe

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

SERIOUS = {"serious", "critical"}
CURRENT = "digivestland-grunnfinansiering"


def _serious(violations: list[dict]) -> list[str]:
    return [
        f"{v['id']}: {v['help']} {[n['target'] for n in v['nodes']][:3]}"
        for v in violations
        if v["impact"] in SERIOUS
    ]


def _shot(page, name: str) -> None:
    folder = os.environ.get("SAMARBEID_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        width = page.viewport_size["width"]
        page.screenshot(path=str(Path(folder) / f"{name}-{width}.png"), full_page=True)


@pytest.fixture
def digivestland(live_server):
    # Another worker's transactional test may have flushed the reference data: load it again.
    sync_reference()
    load_portfolio(lambda *_: None)
    load_finance(lambda *_: None)
    body = CooperationBody.objects.get(name="DigiVestland")
    user = get_user_model().objects.create_user(
        "sara", password="pw-sara", first_name="Sara", last_name="Sekretær"
    )
    grant_secretariat(user, body)
    return live_server.url, body


def _counts() -> tuple[int, int]:
    return FeeModel.objects.count(), FeeModelVersion.objects.count()


def _part(page, n: int):
    return page.get_by_role("group", name=f"Del {n}", exact=True)


def _error_at(page, field_id: str):
    return page.locator(f"#{field_id}_error")


def test_the_secretariat_builds_a_model_compares_it_and_downloads_excel(page, digivestland):
    url, _body = digivestland
    login(page, url, "sara", "pw-sara")
    page.goto(f"{url}/")
    follow(page.get_by_role("link", name="Kostnadsdeling"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Kostnadsdeling")
    follow(page.get_by_role("link", name="Ny kostnadsmodell"))

    # First with mistakes: a budget in words, shares that add up to 110 %, a floor above the
    # cap, a member that is no municipality, and no reason.
    before = _counts()
    page.get_by_label("Navn", exact=True).fill("Vestland 30/70 (forslag)")
    page.get_by_label("Kort navn").fill("vestland-30-70-forslag")
    page.get_by_label("Samarbeidsorgan").select_option(label="DigiVestland")
    page.get_by_label("Prisår").fill("2024")
    page.get_by_label("Budsjett (kr)").fill("ti millioner")
    page.get_by_label("Tak per medlem (kr)").fill("400 000")
    page.get_by_label("Gulv per medlem (kr)").fill("500 000")
    _part(page, 1).get_by_label("Type").select_option("andel")
    _part(page, 1).get_by_label("Andel (prosent)").fill("30")
    _part(page, 1).get_by_label("Fordeling av andelen").select_option("likt")
    _part(page, 2).get_by_label("Type").select_option("andel")
    _part(page, 2).get_by_label("Andel (prosent)").fill("80")
    _part(page, 2).get_by_label("Fordeling av andelen").select_option("innbyggere")
    exemption = page.get_by_role("group", name="Fritak 1", exact=True)
    exemption.get_by_label("Kommunenummer").fill("46O1")
    # The body's members are not registered: the 43 municipalities of Vestland, as assumed.
    vestland = FeeModel.objects.get(slug=CURRENT).assumed_members
    page.get_by_label("Antatt medlemsliste").fill(", ".join(vestland))
    page.get_by_label("Hva som er antatt").fill(
        "Alle de 43 kommunene i Vestland, som i dagens modell"
    )
    exemption.get_by_label("Egenbidrag", exact=True).fill("Vertskommune: kontor og sekretariat")
    follow(page.get_by_role("button", name="Lagre modellen"))

    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("Modellen er ikke lagret")
    expect(page).to_have_title("Feil: Ny kostnadsmodell – Kostnadsdeling – Samarbeidsregisteret")
    expect(_error_at(page, "id_budsjett")).to_contain_text("«ti millioner» er ikke et tall")
    expect(_error_at(page, "id_gulv")).to_contain_text("høyere enn taket")
    expect(page.locator("#deler-feil")).to_contain_text("til sammen være 100 prosent (nå 110)")
    expect(_error_at(page, "id_fritak_1_kommunenummer")).to_contain_text("ikke et kommunenummer")
    expect(_error_at(page, "id_endringskilde")).to_contain_text("Kilden for endringen mangler")
    expect(summary.get_by_role("link", name="Budsjett (kr): «ti millioner»")).to_have_attribute(
        "href", "#id_budsjett"
    )
    # Everything typed is still there, and nothing was saved.
    expect(page.get_by_label("Navn", exact=True)).to_have_value("Vestland 30/70 (forslag)")
    expect(page.get_by_label("Budsjett (kr)")).to_have_value("ti millioner")
    expect(_part(page, 2).get_by_label("Andel (prosent)")).to_have_value("80")
    expect(exemption.get_by_label("Egenbidrag", exact=True)).to_have_value(
        "Vertskommune: kontor og sekretariat"
    )
    assert _counts() == before
    _shot(page, "skjema-med-feil")

    page.get_by_label("Budsjett (kr)").fill("10 100 000")
    page.get_by_label("Tak per medlem (kr)").fill("")
    page.get_by_label("Gulv per medlem (kr)").fill("")
    _part(page, 2).get_by_label("Andel (prosent)").fill("70")
    exemption.get_by_label("Kommunenummer").fill("4601")
    page.get_by_label("Kilde/begrunnelse for endringen").fill("Styremøte 3.2.2025, sak 4/25")
    follow(page.get_by_role("button", name="Lagre modellen"))
    expect(page.get_by_role("status").first).to_contain_text(
        "Kostnadsmodellen «Vestland 30/70 (forslag)» er lagret (versjon 1)."
    )
    expect(page.get_by_role("heading", level=1)).to_have_text("Vestland 30/70 (forslag)")
    assert _counts() == (before[0] + 1, before[1] + 1)
    model = FeeModel.objects.get(slug="vestland-30-70-forslag")
    assert model.body.name == "DigiVestland" and model.spec["budsjett"] == 10100000

    # The model in 2024: Øygarden (39 768 inhabitants) pays 30 % of the budget split on the 42
    # paying members plus 70 % of it by population.
    page.goto(f"{url}/kostnadsdeling/vestland-30-70-forslag/?aar=2024")
    table = page.get_by_role("table", name="Betaling per medlem i 2024")
    oygarden = table.get_by_role("row", name="Øygarden")
    expect(oygarden).to_contain_text("854\u00a0535")
    expect(oygarden).to_contain_text("30\u00a0% × 10\u00a0100\u00a0000 / 42")
    expect(table.get_by_role("row", name="Bergen")).to_contain_text("fritatt")

    follow(page.get_by_role("link", name="Sammenlign med andre modeller"))
    page.get_by_label("Modell 2").select_option(CURRENT)
    follow(page.get_by_role("button", name="Sammenlign"))
    expect(page.get_by_role("heading", name="Modellene i 2024")).to_be_visible()
    expect(page.get_by_role("img", name="Betaling per medlem i 2024")).to_be_visible()
    expect(page.get_by_role("img", name="Kostnad per innbygger per medlem i 2024")).to_be_visible()
    compared = page.get_by_role("table", name="Betaling per medlem i 2024, størst først")
    row = compared.get_by_role("row", name="Øygarden")
    expect(row).to_contain_text("854\u00a0535")
    expect(row).to_contain_text("500\u00a0000")
    expect(row).to_contain_text("\u2212354\u00a0535")  # the current model from the baseline
    _shot(page, "sammenligning")

    with page.expect_download() as excel:
        page.get_by_role("link", name="Excel").click()  # stays on the page: a download
    assert excel.value.suggested_filename == "kostnad-sammenligning-2024.xlsx"
    book = load_workbook(io.BytesIO(Path(excel.value.path()).read_bytes()), data_only=True)
    cells = [
        [c for c in row if c is not None]
        for sheet in book.worksheets
        for row in sheet.iter_rows(values_only=True)
    ]
    assert any("Øygarden" in row and 854535 in row and 500000 in row for row in cells), cells[:20]
    assert any("Vestland 30/70 (forslag)" in str(row) for row in cells)
    assert page.console_errors == []


def test_a_stale_save_keeps_the_input_and_says_who_saved(page, digivestland):
    from samarbeid.finance import services

    url, _body = digivestland
    login(page, url, "sara", "pw-sara")
    page.goto(f"{url}/kostnadsdeling/digivestland-30-70/endre/")
    page.get_by_label("Budsjett (kr)").fill("11 000 000")
    page.get_by_label("Kilde/begrunnelse for endringen").fill("Budsjett 2025")
    model = FeeModel.objects.get(slug="digivestland-30-70")
    other = get_user_model().objects.create_superuser("admin", password="pw-admin")
    services.save_model(
        other,
        {**model.spec, "budsjett": 10500000},
        "Rettet budsjett",
        model=model,
        expected_version=1,
    )
    follow(page.get_by_role("button", name="Lagre endringene"))
    expect(page.get_by_role("alert")).to_contain_text("endret av en annen")
    expect(page.get_by_role("alert")).to_contain_text("Versjon 2")
    expect(page.get_by_label("Budsjett (kr)")).to_have_value("11 000 000")
    follow(page.get_by_role("button", name="Lagre min versjon"))
    expect(page.get_by_role("status").first).to_contain_text("er lagret (versjon 3)")


def test_axe_and_reflow_on_every_cost_sharing_page(axe_page, digivestland):
    url, _body = digivestland
    page = axe_page
    login(page, url, "sara", "pw-sara")
    compare = "&".join(
        f"modell={s}" for s in (CURRENT, "digivestland-30-70", "digivestland-folketall")
    )
    pages = {
        "liste": f"{url}/kostnadsdeling/",
        "modell": f"{url}/kostnadsdeling/{CURRENT}/?aar=2024",
        "framskriving": f"{url}/kostnadsdeling/{CURRENT}/?aar=2024&til_aar=2034&vekst=0,5",
        "sammenligning": f"{url}/kostnadsdeling/sammenlign/?{compare}&aar=2024&til_aar=2030",
        "ugyldig-aar": f"{url}/kostnadsdeling/sammenlign/?modell={CURRENT}&aar=20x4",
        "skjema": f"{url}/kostnadsdeling/ny/",
        "endre": f"{url}/kostnadsdeling/{CURRENT}/endre/",
    }
    found, overflow = {}, {}
    for width in (1280, 375):
        page.set_viewport_size({"width": width, "height": 900})
        for name, address in pages.items():
            answer = page.goto(address)
            assert answer.status == (400 if name == "ugyldig-aar" else 200), name
            if width == 1280:
                found[name] = _serious(run_axe(page))
            wide = page.evaluate("document.documentElement.scrollWidth")
            if wide > width:
                overflow[f"{name}@{width}"] = wide
            _shot(page, name)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(pages["skjema"])
    page.get_by_label("Prisår").fill("tjuetjuefire")
    follow(page.get_by_role("button", name="Lagre modellen"))
    expect(page.get_by_role("alert").first).to_be_visible()
    found["skjema med feil"] = _serious(run_axe(page))
    _shot(page, "skjema-feil")
    assert {k: v for k, v in found.items() if v} == {}
    assert overflow == {}
