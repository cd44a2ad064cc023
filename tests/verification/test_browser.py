"""The verification rounds in a real browser (headless Chromium, the site's real CSP): a
municipality editor of Hjartdal confirms its list and proposes a correction, the mapping editor
accepts it, and the public page shows the change with its history; the same walk by keyboard
alone; axe-core on every page and form state (zero serious or critical violations).

Uses the demo users of ``create_demo_users`` (kartlegger, hjartdal; password ``demo-<name>``).
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import os
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from samarbeid.registry.models import Arrangement, ChangeRecord
from samarbeid.verification.models import MunicipalityResponse, Proposal
from tests.browser_fixtures import follow, run_axe
from tests.browser_fixtures import login as shared_login
from tests.conftest import _Null

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

JORDMOR = "Jordmorsamarbeid Notodden-Hjartdal"
JORDMOR_REF = "BUS21-179"


@pytest.fixture
def demo(live_example, settings):
    """The live example with the demo users; Hjartdal's editor has an e-mail address."""
    call_command("create_demo_users", stdout=_Null())
    get_user_model().objects.filter(username="hjartdal").update(
        email="hanne@hjartdal.kommune.example"
    )
    get_user_model().objects.filter(username="kartlegger").update(email="kari@example.org")
    return live_example


def _password(username: str) -> str:
    return os.environ.get("SAMARBEID_DEMO_PASSWORD") or f"demo-{username}"


def login(page, url: str, username: str, next_path: str = "/kontrollrunder/") -> None:
    shared_login(page, url, username, _password(username), next_path)


def _new_page(browser, **options):
    context = browser.new_context(
        locale="nb-NO", viewport={"width": 1280, "height": 900}, **options
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.console_errors = []
    page.on("console", lambda m: m.type == "error" and page.console_errors.append(m.text))
    page.on("pageerror", lambda e: page.console_errors.append(str(e)))
    return page


def _open_round_in_browser(page, url: str, mapping_id: int) -> None:
    login(page, url, "kartlegger", f"/kartlegginger/{mapping_id}/")
    follow(page.get_by_role("link", name="Alle kontrollrunder og ny runde"))
    follow(page.get_by_role("link", name="Åpne en ny kontrollrunde"))
    deadline = timezone.localdate() + dt.timedelta(days=20)
    page.get_by_label("Svarfrist").fill(deadline.isoformat())
    page.get_by_label("Beskjed til kommunene").fill("Se særlig etter vertskommune og årsverk.")
    follow(page.get_by_role("button", name="Åpne runden"))
    assert page.get_by_role("heading", level=1).inner_text().startswith("Kontrollrunde 1")
    assert "Kontrollrunde 1 er åpnet" in page.get_by_role("status").inner_text()


def test_hjartdal_confirms_and_proposes_and_the_mapping_editor_accepts(browser, demo):
    url, mapping = demo
    editor = _new_page(browser)
    _open_round_in_browser(editor, url, mapping.pk)
    assert [m.to for m in mail.outbox] == [["hanne@hjartdal.kommune.example"]]

    # Hjartdal's editor: sign in, open the list, propose a correction, confirm.
    municipality = _new_page(browser)
    login(municipality, url, "hjartdal")
    follow(municipality.get_by_role("link", name="Listen til Hjartdal"))
    assert municipality.get_by_role("heading", level=1).inner_text() == "Listen til Hjartdal"
    table = municipality.get_by_role("table", name="Kommunevis oversikt: Hjartdal")
    expect(table.locator("tbody tr")).to_have_count(35)
    assert "Se særlig etter vertskommune og årsverk." in municipality.content()
    follow(municipality.get_by_role("link", name=f"Foreslå endring i {JORDMOR}"))
    municipality.get_by_label("Vertskommune", exact=True).fill("Notodden")
    municipality.get_by_label("Juridisk form", exact=True).select_option(
        label="Administrativt vertskommunesamarbeid (kommuneloven § 20-2)"
    )
    municipality.get_by_label("Kommentar til kartleggeren").fill(
        "Notodden er vertskommune for jordmortjenesten."
    )
    municipality.get_by_label("Kilde for forslaget").fill(
        "Samarbeidsavtale om jordmortjeneste 2012"
    )
    follow(municipality.get_by_role("button", name="Send forslaget"))
    assert "er sendt til kartleggeren" in municipality.get_by_role("status").inner_text()
    municipality.get_by_label("Merknad til kartleggeren").fill("Resten stemmer.")
    follow(municipality.get_by_role("button", name="Bekreft listen"))
    assert "Listen til Hjartdal er bekreftet." in municipality.get_by_role("status").inner_text()
    assert "Endringer venter" in municipality.locator("dl.figures").inner_text()

    # The mapping editor: the dashboard shows Hjartdal waiting; accept the proposal.
    editor.reload()
    row = editor.get_by_role("row").filter(has_text="Hjartdal").first
    assert "Endringer venter" in row.inner_text()
    pending = editor.get_by_role("table", name="Forslag som venter på avgjørelse, eldste først (1)")
    follow(pending.locator("tbody th a").first)
    assert editor.get_by_role("heading", level=1).inner_text() == f"Endring: {JORDMOR}"
    editor.get_by_label("Begrunnelse").fill("Stemmer med avtalen.")
    follow(editor.get_by_role("button", name="Godta forslaget"))
    assert "er godtatt" in editor.get_by_role("status").inner_text()
    row = editor.get_by_role("row").filter(has_text="Hjartdal").first
    assert "Bekreftet" in row.inner_text()

    # A reader: the public page has the change, and the history says who, when and why.
    reader = _new_page(browser)
    reader.goto(f"{url}/kartlegginger/{mapping.pk}/ordninger/{JORDMOR_REF}/")
    facts = reader.locator("dl.facts").first.inner_text()
    assert "Notodden" in facts and "Administrativt vertskommunesamarbeid" in facts
    history_text = reader.locator("table.history").inner_text()
    assert "Samarbeidsavtale om jordmortjeneste 2012 (forslag fra Hjartdal" in history_text
    assert "Kari Kartlegger" in history_text and "Notodden" in history_text

    proposal = Proposal.objects.get()
    assert proposal.status == Proposal.Status.ACCEPTED and proposal.change is not None
    assert Arrangement.objects.get(ref=JORDMOR_REF).host.name == "Notodden"
    assert len(mail.outbox) == 4  # opened; proposed; confirmed; decided
    for p in (editor, municipality, reader):
        assert p.console_errors == []  # nothing blocked by the Content-Security-Policy
        p.context.close()


def _tab_to(page, predicate: str, limit: int = 400) -> None:
    """Press Tab until ``predicate`` (a JS expression over ``el``, the focused element) holds."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(
            f"(() => {{ const el = document.activeElement; return !!({predicate}); }})()"
        ):
            return
    pytest.fail(f"not reachable with Tab: {predicate}")


def _focus_visible(page) -> bool:
    style = page.evaluate(
        "(() => { const s = getComputedStyle(document.activeElement);"
        " return [s.outlineStyle, s.outlineWidth, s.boxShadow]; })()"
    )
    return (style[0] != "none" and style[1] != "0px") or style[2] != "none"


def test_keyboard_only_walk_through_verification(page, demo):
    url, mapping = demo
    from samarbeid.verification import services

    kartlegger = get_user_model().objects.get(username="kartlegger")
    round_ = services.open_round(mapping, user=kartlegger, deadline=timezone.localdate())

    # Sign in: Tab to the fields, type, Enter.
    page.goto(f"{url}/logg-inn/?next=/kontrollrunder/")
    _tab_to(page, "el.id === 'id_username'")
    assert _focus_visible(page)
    page.keyboard.type("hjartdal")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "id_password"
    page.keyboard.type(_password("hjartdal"))
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith("/kontrollrunder/")

    # "Din liste".
    _tab_to(page, "el.textContent.trim() === 'Listen til Hjartdal'")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.get_by_role("heading", level=1).inner_text() == "Listen til Hjartdal"

    # Propose a change to one arrangement.
    _tab_to(page, f"el.textContent.trim() === 'Foreslå endring i {JORDMOR}'")
    assert _focus_visible(page)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    _tab_to(page, "el.id === 'id_kommentar'")
    page.keyboard.type("Notodden er vertskommune.")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "id_endringskilde"
    page.keyboard.type("Samarbeidsavtale 2012")
    _tab_to(page, "el.id === 'id_vertskommune'")
    page.keyboard.type("Notodden")
    _tab_to(page, "el.tagName === 'BUTTON' && el.textContent.trim() === 'Send forslaget'")
    assert _focus_visible(page)
    with page.expect_navigation():
        page.keyboard.press("Space")
    assert "er sendt til kartleggeren" in page.get_by_role("status").inner_text()

    # Confirm the list: Tab to the button, Space.
    _tab_to(page, "el.tagName === 'BUTTON' && el.textContent.trim() === 'Bekreft listen'")
    with page.expect_navigation():
        page.keyboard.press("Space")
    assert "Listen til Hjartdal er bekreftet." in page.get_by_role("status").inner_text()

    proposal = Proposal.objects.get()
    assert proposal.values["vertskommune"] == "Notodden" and proposal.changed == ["vertskommune"]
    response = services.response_for(round_, "3819")
    assert response.status == MunicipalityResponse.Status.PENDING and response.confirmed_at
    assert page.console_errors == []


def test_reflow_at_320px(axe_page, demo):
    """WCAG 1.4.10: at 320 CSS px no verification page scrolls sideways (wide tables scroll in
    their own region; long names wrap); headings go down one level at a time."""
    from samarbeid.verification import services

    url, mapping = demo
    kartlegger = get_user_model().objects.get(username="kartlegger")
    round_ = services.open_round(mapping, user=kartlegger, deadline=timezone.localdate())
    hjartdal = get_user_model().objects.get(username="hjartdal")
    proposal = services.propose_change(
        services.response_for(round_, "3819"),
        Arrangement.objects.get(mapping=mapping, ref=JORDMOR_REF),
        {"vertskommune": "Notodden"},
        None,
        user=hjartdal,
        comment="Notodden er vertskommune.",
        source="Avtale 2012",
    )
    base = f"{url}/kartlegginger/{mapping.pk}/kontrollrunder/1"
    axe_page.set_viewport_size({"width": 320, "height": 800})
    login(axe_page, url, "kartlegger", f"/kartlegginger/{mapping.pk}/kontrollrunder/")
    for address in (
        f"{base}/",
        f"{base}/kommuner/3819/",
        f"{base}/kommuner/3819/endre/{JORDMOR_REF}/",
        f"{base}/kommuner/3819/ny-ordning/",
        f"{base}/kommuner/3819/fjern/{JORDMOR_REF}/",
        f"{base}/forslag/{proposal.pk}/",
        f"{url}/kartlegginger/{mapping.pk}/kontrollrunder/",
        f"{url}/kontrollrunder/",
    ):
        axe_page.goto(address)
        overflow = axe_page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 1, f"{address} scrolls sideways by {overflow}px at 320px"
        levels = axe_page.evaluate(
            "[...document.querySelectorAll('h1,h2,h3,h4,h5,h6')].map(h => +h.tagName[1])"
        )
        assert levels[0] == 1 and levels.count(1) == 1, address
        assert all(b - a <= 1 for a, b in itertools.pairwise(levels)), address


# --- axe-core -----------------------------------------------------------------------------------


_run_axe = run_axe  # one helper for every browser test (tests/browser_fixtures.py)


class _Axe:
    def __init__(self, page) -> None:
        self.page = page
        self.problems: dict[str, list[str]] = {}
        self.minor: dict[str, list[str]] = {}
        self.checked: list[str] = []

    def check(self, name: str, status: int | None = None) -> None:
        page = self.page
        assert page.locator("html").get_attribute("lang") == "nb", name
        if shots := os.environ.get("SAMARBEID_SCREENSHOTS"):
            Path(shots).mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(Path(shots) / f"kontroll-{name}.png"), full_page=True)
        for violation in _run_axe(page):
            nodes = [" ".join(n["target"]) for n in violation["nodes"][:5]]
            line = f"{violation['id']} ({violation['impact']}): {violation['help']} – {nodes}"
            bucket = self.problems if violation["impact"] in {"serious", "critical"} else self.minor
            bucket.setdefault(name, []).append(line)
        self.checked.append(name)

    def goto(self, name: str, address: str, status: int = 200) -> None:
        response = self.page.goto(address)
        assert response.status == status, (name, response.status)
        self.check(name)


def test_axe_every_verification_page_and_form(axe_page, demo):
    from samarbeid.registry import editing

    url, mapping = demo
    m = mapping.pk
    axe = _Axe(axe_page)
    login(axe_page, url, "kartlegger", f"/kartlegginger/{m}/kontrollrunder/")
    axe.check("runder-ingen")
    axe.goto("apne-runde", f"{url}/kartlegginger/{m}/kontrollrunder/ny/")
    follow(axe_page.get_by_role("button", name="Åpne runden"))
    axe.check("apne-runde-feil")
    axe_page.get_by_label("Svarfrist").fill((timezone.localdate() + dt.timedelta(9)).isoformat())
    follow(axe_page.get_by_role("button", name="Åpne runden"))
    axe.check("oversikt-ny")
    base = f"{url}/kartlegginger/{m}/kontrollrunder/1"
    axe.goto("runder", f"{url}/kartlegginger/{m}/kontrollrunder/")
    axe.goto("mine-kartlegger", f"{url}/kontrollrunder/")
    axe.goto("kartlegging-med-lenker", f"{url}/kartlegginger/{m}/")
    axe.goto("liste-sett-av-kartlegger", f"{base}/kommuner/3818/")

    # Hjartdal's editor.
    axe_page.context.clear_cookies()
    login(axe_page, url, "hjartdal")
    axe.check("mine-kommune")
    axe.goto("liste", f"{base}/kommuner/3819/")
    axe.goto("kommuneside-med-lenke", f"{url}/kartlegginger/{m}/kommuner/3819/")
    axe.goto("foresla-endring", f"{base}/kommuner/3819/endre/{JORDMOR_REF}/")
    axe_page.get_by_label("Faste årsverk", exact=True).fill("mange")
    follow(axe_page.get_by_role("button", name="Send forslaget"))
    axe.check("foresla-endring-feil")
    axe_page.get_by_label("Faste årsverk", exact=True).fill("")
    axe_page.get_by_label("Vertskommune", exact=True).fill("Notodden")
    axe_page.get_by_label("Kommentar til kartleggeren").fill("Notodden er vertskommune.")
    axe_page.get_by_label("Kilde for forslaget").fill("Avtale 2012")
    follow(axe_page.get_by_role("button", name="Send forslaget"))
    axe.check("liste-med-forslag")
    axe.goto("foresla-ny", f"{base}/kommuner/3819/ny-ordning/")
    follow(axe_page.get_by_role("button", name="Send forslaget"))
    axe.check("foresla-ny-feil")
    axe.goto("foresla-fjernet", f"{base}/kommuner/3819/fjern/BUS21-183/")
    follow(axe_page.get_by_role("button", name="Send forslaget"))
    axe.check("foresla-fjernet-feil")
    axe_page.get_by_label("Ordningen finnes ikke eller er registrert ved en feil").check()
    axe_page.get_by_label("Kommentar til kartleggeren").fill("Finnes ikke.")
    axe_page.get_by_label("Kilde for forslaget").fill("Kommunedirektøren")
    follow(axe_page.get_by_role("button", name="Send forslaget"))
    follow(axe_page.get_by_role("button", name="Bekreft listen"))
    axe.check("liste-bekreftet")
    proposal = Proposal.objects.get(kind="endring")
    axe.goto("forslag-sett-av-kommunen", f"{base}/forslag/{proposal.pk}/")
    axe.goto("ingen-tilgang", f"{base}/kommuner/3818/", status=403)

    # The mapping editor decides; a conflict on the way.
    editor = get_user_model().objects.get(username="kartlegger")
    arrangement = Arrangement.objects.get(mapping=mapping, ref=JORDMOR_REF)
    editing.update_arrangement(
        arrangement, {"arsverk": "1.5"}, None, user=editor, source="Årsmelding 2020",
        expected_version=arrangement.version,
    )  # fmt: skip
    axe_page.context.clear_cookies()
    login(axe_page, url, "kartlegger", f"/kartlegginger/{m}/kontrollrunder/1/")
    axe.check("oversikt-med-forslag")
    axe.goto("forslag-endret-siden", f"{base}/forslag/{proposal.pk}/")
    follow(axe_page.get_by_role("button", name="Avvis forslaget"))
    axe.check("forslag-avvis-uten-begrunnelse")
    follow(axe_page.get_by_role("button", name="Godta forslaget"))
    axe.check("forslag-konflikt")
    follow(axe_page.get_by_role("button", name="Godta på gjeldende versjon"))
    axe.check("oversikt-etter-avgjorelse")
    removal = Proposal.objects.get(kind="fjerning")
    axe.goto("forslag-sletting", f"{base}/forslag/{removal.pk}/")
    axe_page.get_by_label("Begrunnelse").fill("Ordningen finnes.")
    follow(axe_page.get_by_role("button", name="Avvis forslaget"))
    follow(axe_page.get_by_role("button", name="Avslutt kontrollrunde 1"))
    axe.check("oversikt-avsluttet")
    axe.goto("forslag-godtatt", f"{base}/forslag/{proposal.pk}/")
    axe.goto("ordning-med-historikk", f"{url}/kartlegginger/{m}/ordninger/{JORDMOR_REF}/")
    assert ChangeRecord.objects.filter(ref=JORDMOR_REF).exclude(channel="import").count() == 2

    if axe.minor:
        print("axe, mindre alvorlige funn:\n" + json.dumps(axe.minor, indent=2, ensure_ascii=False))
    assert axe.problems == {}, json.dumps(axe.problems, indent=2, ensure_ascii=False)
    assert len(axe.checked) >= 30
