"""The secretariat's yearly cycle in a real browser (Debian's Chromium): Grenland's 2021 plan
rolled into a 2022 draft, one project ended, one added with a milestone, a funding application
and its grant, the approval, the plan downloaded as PDF and Word and read back; a member
municipality's editor opts out of a project; an agreement that runs out in 60 days; a stale save;
and axe-core on every page type of the portfolio."""

from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from playwright.sync_api import expect

from samarbeid.portfolio.loader import load_examples
from samarbeid.portfolio.models import Agreement, CooperationBody, Participation
from samarbeid.portfolio.rules import grant_secretariat
from samarbeid.registry import permissions
from samarbeid.registry.models import Municipality, RoleAssignment
from samarbeid.registry.reference import sync_reference
from tests.browser_fixtures import follow, login, run_axe

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

SERIOUS = {"serious", "critical"}


def _serious(violations: list[dict]) -> list[str]:
    return [f"{v['id']}: {v['help']}" for v in violations if v["impact"] in SERIOUS]


@pytest.fixture
def grenland(live_server):
    # Another worker's transactional test may have flushed the reference data (the gazetteer):
    # load it again when it is gone (does nothing when it is there).
    sync_reference()
    load_examples(lambda *_: None)
    body = CooperationBody.objects.get(name="Grenlandssamarbeidet")
    users = get_user_model().objects
    for username, full in (("siri", "Siri Sekretær"), ("sven", "Sven Sekretær")):
        user = users.create_user(username, password=f"pw-{username}", first_name=full.split()[0],
                                 last_name=full.split()[1])  # fmt: skip
        grant_secretariat(user, body)
    skien = users.create_user("skien", password="pw-skien", first_name="Stine", last_name="Skien")
    entity = Municipality.objects.filter(name="Skien").order_by("-key").first()
    permissions.grant(skien, RoleAssignment.Role.MUNICIPALITY_EDITOR, municipality=entity)
    return live_server.url, body


def _login(page, url: str, username: str) -> None:
    login(page, url, username, f"pw-{username}")


def _notice(page) -> str:
    return page.get_by_role("status").first.inner_text()


def _pdf_text(path) -> str:
    if not shutil.which("pdftotext"):
        pytest.fail("pdftotext mangler (poppler-utils); kjør make system-deps")
    out = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True)
    return out.stdout.decode("utf-8")


def test_the_secretariats_year(browser, page, grenland, tmp_path):
    url, _body = grenland
    _login(page, url, "siri")
    page.goto(f"{url}/organer/")
    follow(page.get_by_role("link", name="Grenlandssamarbeidet"))
    # The plan text names no member; the secretariat adds Skien (it is one of the six).
    follow(page.get_by_role("link", name="Nytt medlem"))
    page.get_by_label("Kommune").select_option(label="Skien (4003)")
    page.get_by_label("Kilde for endringen").fill("Selskapsavtalen for Grenlandssamarbeidet")
    follow(page.get_by_role("button", name="Legg til medlemmet"))
    assert "Medlemmet er lagt til" in _notice(page)

    follow(page.get_by_role("link", name="Handlingsplan for Grenlandssamarbeidet 2021"))
    follow(page.get_by_role("link", name="Lag utkast for 2022"))
    follow(page.get_by_role("button", name="Lag utkastet"))
    assert "Utkastet til handlingsplan 2022 er laget" in _notice(page)
    assert page.get_by_role("heading", level=1).inner_text() == (
        "Handlingsplan for Grenlandssamarbeidet 2022"
    )
    expect(page.get_by_role("heading", name="Videreførte prosjekter (7)")).to_have_count(1)

    follow(page.get_by_role("link", name="Avslutt 2.2.1"))
    page.get_by_label("Avsluttet").check()
    page.get_by_label("Kilde for endringen").fill("Grenlandsrådet 10.2.2022, sak 3/22")
    follow(page.get_by_role("button", name="Avslutt prosjektet"))
    assert "«eByggeSak» er avsluttet" in _notice(page)
    expect(page.get_by_role("heading", name="2.2.1 eByggeSak")).to_have_count(0)

    follow(page.get_by_role("link", name="Nytt prosjekt"))
    page.get_by_label("Kode").fill("2.4.1")
    page.get_by_label("Tittel").fill("Felles innbyggerdialog")
    page.get_by_label("Søker skjønnsmidler").select_option("ja")
    page.get_by_label("Milepæl").fill("Anskaffelse av løsning")
    page.get_by_label("Når (planens ord").fill("2. kvartal 2022")
    page.get_by_label("Kilde for endringen").fill("Grenlandsrådet 10.2.2022, sak 4/22")
    follow(page.get_by_role("button", name="Legg til prosjektet"))
    assert "lagt til som nyetablert" in _notice(page)
    new = page.get_by_role("region", name="2.4.1 Felles innbyggerdialog")
    assert "Anskaffelse av løsning" in new.inner_text() and "30.06.2022" in new.inner_text()

    follow(page.get_by_role("link", name="Ny søknad om midler").first)
    page.get_by_label("Type midler").fill("skjonnsmidler")
    page.get_by_label("Giver").fill("Statsforvalteren i Vestfold og Telemark")
    page.get_by_label("Søkt (kr)").fill("2 300 000")
    page.get_by_label("Kilde for endringen").fill("Søknad 15.1.2022")
    follow(page.get_by_role("button", name="Lagre søknaden"))
    assert "Søknaden er lagret" in _notice(page)
    page.get_by_role(
        "link", name="Endre søknaden til Statsforvalteren i Vestfold og Telemark"
    ).last.click()
    page.get_by_label("Innvilget (kr)").fill("2100000")
    page.get_by_label("Vedtaksdato").fill("15.03.2022")
    page.get_by_label("Kilde for endringen").fill("Tilsagnsbrev 15.3.2022")
    follow(page.get_by_role("button", name="Lagre", exact=True))
    funding = page.locator("#finansiering + ul").inner_text().replace("\u00a0", " ")
    assert "søkt 2 300 000 kr, innvilget 2 100 000 kr" in funding

    follow(page.get_by_role("link", name="Marker som vedtatt"))
    page.get_by_label("Vedtatt av").select_option(label="Grenlandsrådet")
    page.get_by_label("Vedtatt dato").fill("20.03.2022")
    page.get_by_label("Kilde for endringen").fill("Grenlandsrådet 20.3.2022, sak 7/22")
    follow(page.get_by_role("button", name="Marker planen som vedtatt"))
    assert "Vedtatt av Grenlandsrådet 20.03.2022." in page.locator(".lead").inner_text()
    expect(page.get_by_role("link", name="Nytt prosjekt")).to_have_count(0)

    with page.expect_download() as pdf:
        page.get_by_role("link", name="PDF").click()  # stays on the page: a download
    pdf_path = tmp_path / "plan.pdf"
    pdf.value.save_as(pdf_path)
    text = _pdf_text(pdf_path)
    assert "Felles innbyggerdialog" in text and "Grenlandsrådet" in text
    assert "eByggeSak" not in text
    with page.expect_download() as docx:
        page.get_by_role("link", name="Word").click()  # stays on the page: a download
    from docx import Document

    words = "\n".join(
        p.text for p in Document(io.BytesIO(docx.value.path().read_bytes())).paragraphs
    )
    tables = Document(io.BytesIO(docx.value.path().read_bytes())).tables
    cells = "\n".join(c.text for t in tables for row in t.rows for c in row.cells)
    assert "Felles innbyggerdialog" in words and "Anskaffelse av løsning" in cells
    assert "eByggeSak" not in words
    assert page.console_errors == []


def test_a_member_municipality_opts_out(browser, page, grenland):
    url, body = grenland
    skien = Municipality.objects.filter(name="Skien").order_by("-key").first()
    body.members.create(municipality=skien, source="Selskapsavtalen")
    _login(page, url, "skien")
    page.goto(f"{url}/organer/{body.pk}/planer/2021/")
    matrix = page.get_by_role("table", name="Hvem som deltar")
    row = matrix.get_by_role("row", name="2.2.2 Velferdsteknologi")
    assert "Ikke meldt" in row.inner_text()
    follow(page.get_by_role("link", name="Meld deltakelse i 2.2.2"))
    page.get_by_label("Deltar ikke").check()
    page.get_by_label("Kilde for endringen").fill("Kommunedirektøren i Skien, e-post 3.3.2021")
    follow(page.get_by_role("button", name="Lagre deltakelsen"))
    assert "Deltakelsen er lagret" in _notice(page)
    assert "Deltar ikke" in row.inner_text()
    assert Participation.objects.get(municipality=skien, project__code="2.2.2").takes_part is False
    # Nowhere to opt out for another municipality, and no secretariat tools.
    expect(page.get_by_role("link", name="Lag utkast for 2022")).to_have_count(0)


def test_an_agreement_running_out_in_60_days_alerts(page, grenland):
    url, _ = grenland
    digivestland = CooperationBody.objects.get(name__startswith="DigiVestland")
    agreement = digivestland.agreements.filter(kind=Agreement.Kind.COOPERATION).first()
    ends = timezone.localdate() + dt.timedelta(days=60)
    Agreement.objects.filter(pk=agreement.pk).update(ends=ends)
    page.goto(f"{url}/organer/{digivestland.pk}/")
    alert = page.locator("#avtalevarsel").inner_text()
    assert f"løper ut {ends:%d.%m.%Y}, om 60 dager" in alert


def test_a_stale_save_gets_the_conflict_page_with_her_input(browser, page, grenland):
    url, body = grenland
    edit = f"{url}/organer/{body.pk}/prosjekter/2.2.2/endre/"
    _login(page, url, "siri")
    page.goto(edit)
    other_context = browser.new_context(locale="nb-NO")
    other = other_context.new_page()
    _login(other, url, "sven")
    other.goto(edit)
    other.get_by_label("Eier").fill("Porsgrunn kommune")
    other.get_by_label("Kilde for endringen").fill("Møte 1.3.2022")
    follow(other.get_by_role("button", name="Lagre endringene"))
    assert "er lagret (versjon 2)" in _notice(other)
    other_context.close()

    page.get_by_label("Tittel").fill("Velferdsteknologi i Grenland")
    page.get_by_label("Kilde for endringen").fill("Styringsgruppen 2.3.2022")
    follow(page.get_by_role("button", name="Lagre endringene"))
    conflict = page.get_by_role("alert").filter(has_text="Endret av en annen")
    assert "ble endret av Sven Sekretær" in conflict.inner_text()
    assert page.get_by_label("Tittel").input_value() == "Velferdsteknologi i Grenland"
    assert page.get_by_label("Kilde for endringen").input_value() == "Styringsgruppen 2.3.2022"
    follow(page.get_by_role("button", name="Lagre min versjon"))
    assert "er lagret (versjon 3)" in _notice(page)


def test_axe_on_every_portfolio_page_type(axe_page, grenland):
    url, body = grenland
    page = axe_page
    _login(page, url, "siri")
    digivestland = CooperationBody.objects.get(name__startswith="DigiVestland")
    agreement = digivestland.agreements.first()
    pages = {
        "organer": f"{url}/organer/",
        "organ": f"{url}/organer/{body.pk}/",
        "plan": f"{url}/organer/{body.pk}/planer/2021/",
        "avtale": f"{url}/organer/{digivestland.pk}/avtaler/{agreement.pk}/",
        "historikk": f"{url}/organer/{body.pk}/historikk/",
        "skjema": f"{url}/organer/{body.pk}/planer/2021/nytt-prosjekt/",
        "deltakelse": f"{url}/organer/{body.pk}/planer/2021/prosjekter/2.2.2/deltakelse/",
        "endre": f"{url}/organer/{body.pk}/prosjekter/2.2.2/endre/",
    }
    found = {}
    for name, address in pages.items():
        page.goto(address)
        found[name] = _serious(run_axe(page))
    page.goto(pages["endre"])
    page.get_by_label("Budsjett (kr)").fill("mye")
    follow(page.get_by_role("button", name="Lagre endringene"))
    expect(page.get_by_role("alert").first).to_be_visible()
    found["skjema med feil"] = _serious(run_axe(page))
    page.goto(f"{url}/organer/{digivestland.pk}/planer/2024/neste-ar/")
    found["ingen tilgang eller 404"] = _serious(run_axe(page))
    assert {k: v for k, v in found.items() if v} == {}
