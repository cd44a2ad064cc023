"""The verification pages through Django's test client: who sees what, the forms and their
messages, decisions and conflicts, notices, the export, and the HTML rules (CSP, labels, tables)."""

from __future__ import annotations

import csv
import io
from html.parser import HTMLParser

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from samarbeid.registry import editing
from samarbeid.registry.models import Arrangement, ChangeRecord
from samarbeid.verification import services
from samarbeid.verification.models import MunicipalityResponse, Proposal

from .conftest import HJARTDAL

Status = MunicipalityResponse.Status
pytestmark = pytest.mark.django_db

JORDMOR = "BUS21-179"


def client_for(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def url(name: str, *args) -> str:
    return reverse(f"verification:{name}", args=args)


def list_url(round_, number="3819") -> str:
    return url("list", round_.mapping_id, round_.number, number)


def response_of(round_, key=HJARTDAL) -> MunicipalityResponse:
    return MunicipalityResponse.objects.get(round=round_, municipality__key=key)


def form_data(response) -> dict:
    """What a browser sends back for the form as shown."""
    form, formset = response.context["form"], response.context.get("formset")
    data: dict = {}
    for field in form:
        value = field.value()
        if value is not None:
            data[field.html_name] = value
    if formset is not None:
        for field in formset.management_form:
            data[field.html_name] = field.value()
        for row in formset.forms:
            for field in row:
                value = field.value()
                if value not in (None, False):
                    data[field.html_name] = value
    return data


def propose_host(round_, user) -> Proposal:
    a = Arrangement.objects.get(mapping=round_.mapping, ref=JORDMOR)
    return services.propose_change(
        services.response_for(round_, "3819"),
        a,
        {"vertskommune": "Notodden"},
        None,
        user=user,
        comment="Notodden er vertskommune.",
        source="Avtale 2012",
    )


# --- Access -------------------------------------------------------------------------------------


def test_anonymous_users_are_sent_to_sign_in(round_, hjartdal):
    proposal = propose_host(round_, hjartdal)
    m, n = round_.mapping_id, round_.number
    pages = [
        url("mine"),
        url("rounds", m),
        url("open", m),
        url("round", m, n),
        url("export", m, n, "csv"),
        list_url(round_),
        url("propose_new", m, n, "3819"),
        url("propose_change", m, n, "3819", JORDMOR),
        url("propose_removal", m, n, "3819", JORDMOR),
        url("proposal", m, n, proposal.pk),
    ]
    for page in pages:
        response = Client().get(page)
        assert response.status_code == 302, page
        assert response["Location"].startswith(reverse("web:login") + "?next="), page
    response = Client().post(url("confirm", m, n, "3819"))
    assert response.status_code == 302 and response_of(round_).status == Status.PENDING


def test_a_municipality_editor_sees_only_its_own_list(round_, hjartdal, tinn):
    client = client_for(hjartdal)
    response = client.get(list_url(round_))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Listen til Hjartdal" in html and "Jordmorsamarbeid Notodden-Hjartdal" in html
    assert len(response.context["counted_rows"]) == 35
    assert response_of(round_).status == Status.IN_PROGRESS  # opening the list is recorded

    assert client.get(list_url(round_, "3818")).status_code == 403  # Tinn's list
    m, n = round_.mapping_id, round_.number
    assert client.get(url("propose_change", m, n, "3818", JORDMOR)).status_code == 403
    # Not on Hjartdal's list (Kongsberg krisesenter): no form for it.
    assert client.get(url("propose_change", m, n, "3819", "BUS21-010")).status_code == 404
    # The dashboard is the mapping editor's; a municipality editor is taken to its list.
    response = client.get(url("round", m, n))
    assert response.status_code == 302 and response["Location"] == list_url(round_)
    assert client.get(url("export", m, n, "csv")).status_code == 403
    assert client.get(url("open", m)).status_code == 403
    assert client.post(url("close", m, n)).status_code == 403


def test_a_municipality_editor_cannot_decide_proposals(round_, hjartdal, tinn):
    proposal = propose_host(round_, hjartdal)
    m, n = round_.mapping_id, round_.number
    client = client_for(hjartdal)
    page = client.get(url("proposal", m, n, proposal.pk))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Godta forslaget" not in html and "Trekk tilbake forslaget" in html
    response = client.post(url("proposal", m, n, proposal.pk), {"beslutning": "godta"})
    assert response.status_code == 403
    proposal.refresh_from_db()
    assert proposal.is_pending
    # Another municipality's editor does not even see it.
    assert client_for(tinn).get(url("proposal", m, n, proposal.pk)).status_code == 403


def test_a_signed_in_reader_without_a_role_gets_403(round_):
    from .conftest import make_user

    client = client_for(make_user("lise"))
    assert client.get(url("rounds", round_.mapping_id)).status_code == 403
    assert client.get(list_url(round_)).status_code == 403
    response = client.get(url("mine"))
    assert response.status_code == 200 and "Ingen åpen kontrollrunde" in response.content.decode()


# --- Opening a round ----------------------------------------------------------------------------


def test_open_a_round_through_the_form(mapping, editor, hjartdal, deadline):
    client = client_for(editor)
    page = client.get(url("rounds", mapping.pk))
    assert "Åpne en ny kontrollrunde" in page.content.decode()
    page = client.get(url("open", mapping.pk))
    assert page.status_code == 200
    _audit(page.content.decode(), "open")
    response = client.post(url("open", mapping.pk), {"svarfrist": "2001-09-23"})
    assert response.status_code == 200 and response.context["has_errors"]
    html = response.content.decode()
    assert "Runden er ikke åpnet" in html and 'href="#id_svarfrist"' in html
    assert "Svarfristen kan ikke være før i dag." in html

    mail.outbox.clear()
    response = client.post(
        url("open", mapping.pk),
        {"svarfrist": deadline.strftime("%d.%m.%Y"), "navn": "Første runde", "beskjed": "Hei"},
    )
    assert response.status_code == 302
    assert response["Location"] == url("round", mapping.pk, 1)
    assert [m.to for m in mail.outbox] == [["hilde@hjartdal.kommune.example"]]
    assert "http://testserver/kartlegginger/" in mail.outbox[0].body
    page = client.get(response["Location"])
    html = page.content.decode()
    assert "Første runde er åpnet med svarfrist" in html  # the notice, once
    assert "Varsel sendt på e-post til 1 person." in html
    assert "Første runde er åpnet" not in client.get(response["Location"]).content.decode()


# --- The municipality's answers -----------------------------------------------------------------


def test_propose_a_change_through_the_form(round_, hjartdal, editor):
    client = client_for(hjartdal)
    m, n = round_.mapping_id, round_.number
    page = client.get(url("propose_change", m, n, "3819", JORDMOR))
    assert page.status_code == 200
    data = form_data(page)
    assert data["versjon"] == 1 and data["navn"] == "Jordmorsamarbeid Notodden-Hjartdal"
    data.update(
        vertskommune="Notodden",
        kommentar="Notodden er vertskommune.",
        endringskilde="Avtale om jordmortjeneste 2012",
    )
    mail.outbox.clear()
    response = client.post(url("propose_change", m, n, "3819", JORDMOR), data)
    assert response.status_code == 302 and response["Location"] == list_url(round_)
    proposal = Proposal.objects.get()
    assert proposal.changed == ["vertskommune"] and proposal.proposed_by == hjartdal
    assert proposal.values["vertskommune"] == "Notodden"
    assert [m.to for m in mail.outbox] == [["kari@kartlegging.example"]]
    page = client.get(list_url(round_))
    html = page.content.decode()
    assert "er sendt til kartleggeren" in html
    assert "Endring venter" in html and response_of(round_).status == Status.PENDING


def test_a_refused_proposal_keeps_what_was_typed(round_, hjartdal):
    client = client_for(hjartdal)
    m, n = round_.mapping_id, round_.number
    data = form_data(client.get(url("propose_change", m, n, "3819", JORDMOR)))
    data.update(arsverk="mange", kommentar="", endringskilde="Årsmelding")
    response = client.post(url("propose_change", m, n, "3819", JORDMOR), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Forslaget er ikke sendt" in html
    assert 'href="#id_arsverk"' in html and 'href="#id_kommentar"' in html
    # The summary lists the problems in the order of the page: comment and source come first.
    assert html.index('href="#id_kommentar"') < html.index('href="#id_arsverk"')
    assert 'value="mange"' in html and 'value="Årsmelding"' in html
    assert not Proposal.objects.exists()


def test_propose_a_new_arrangement_through_the_form(round_, hjartdal, editor):
    client = client_for(hjartdal)
    m, n = round_.mapping_id, round_.number
    page = client.get(url("propose_new", m, n, "3819"))
    data = form_data(page)
    assert data["deltakere-0-deltaker"] == "Hjartdal"  # the municipality is filled in
    data.update(
        {
            "navn": "Hjartdal og Tinn skatteoppkrever",
            "deltakere-1-deltaker": "Tinn",
            "kommentar": "Mangler i listen.",
            "endringskilde": "Avtale 2016",
        }
    )
    response = client.post(url("propose_new", m, n, "3819"), data)
    assert response.status_code == 302
    proposal = Proposal.objects.get()
    assert proposal.kind == Proposal.Kind.ADD and len(proposal.memberships) == 2

    # The mapping editor accepts: a new arrangement with the next id.
    response = client_for(editor).post(
        url("proposal", m, n, proposal.pk), {"beslutning": "godta", "begrunnelse": ""}
    )
    assert response.status_code == 302
    assert Arrangement.objects.filter(name="Hjartdal og Tinn skatteoppkrever", ref="BUS21-235")


def test_propose_removal_through_the_form(round_, hjartdal):
    client = client_for(hjartdal)
    m, n = round_.mapping_id, round_.number
    target = url("propose_removal", m, n, "3819", "BUS21-198")
    page = client.get(target)
    assert page.status_code == 200
    response = client.post(target, {"versjon": 1, "kommentar": "x", "endringskilde": "y"})
    assert response.status_code == 400
    assert 'href="#id_grunn"' in response.content.decode()
    response = client.post(
        target,
        {"versjon": 1, "grunn": "avsluttet", "avsluttet": "i fjor", "kommentar": "Nedlagt",
         "endringskilde": "Sak 12/21"},
    )  # fmt: skip
    assert response.status_code == 400 and 'href="#id_avsluttet"' in response.content.decode()
    response = client.post(
        target,
        {"versjon": 1, "grunn": "avsluttet", "avsluttet": "2021-06-30", "kommentar": "Nedlagt",
         "endringskilde": "Sak 12/21"},
    )  # fmt: skip
    assert response.status_code == 302
    assert Proposal.objects.get().removal == "avsluttet"


def test_confirm_the_list(round_, hjartdal):
    client = client_for(hjartdal)
    response = client.post(
        url("confirm", round_.mapping_id, round_.number, "3819"), {"merknad": "Stemmer."}
    )
    assert response.status_code == 302
    r = response_of(round_)
    assert r.status == Status.CONFIRMED and r.confirmation_note == "Stemmer."
    html = client.get(list_url(round_)).content.decode()
    assert "Listen til Hjartdal er bekreftet." in html
    assert "Bekreft listen på nytt" in html and "Listen ble bekreftet" in html


def test_withdraw(round_, hjartdal):
    proposal = propose_host(round_, hjartdal)
    client = client_for(hjartdal)
    response = client.post(url("withdraw", round_.mapping_id, round_.number, proposal.pk))
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.WITHDRAWN
    assert response_of(round_).status == Status.IN_PROGRESS


# --- Decisions ----------------------------------------------------------------------------------


def test_accept_shows_the_change_on_the_public_page_with_its_history(round_, hjartdal, editor):
    proposal = propose_host(round_, hjartdal)
    m, n = round_.mapping_id, round_.number
    client = client_for(editor)
    page = client.get(url("proposal", m, n, proposal.pk))
    html = page.content.decode()
    assert "Godta forslaget" in html and "Avvis forslaget" in html
    assert "Trekk tilbake forslaget" not in html  # the municipality's, not the editor's
    assert "Vertskommune" in html and "Notodden" in html

    mail.outbox.clear()
    response = client.post(
        url("proposal", m, n, proposal.pk), {"beslutning": "godta", "begrunnelse": "Ok."}
    )
    assert response.status_code == 302 and response["Location"] == url("round", m, n)
    assert [x.to for x in mail.outbox] == [["hilde@hjartdal.kommune.example"]]
    public = Client().get(reverse("web:arrangement", args=[m, JORDMOR])).content.decode()
    assert "Notodden" in public and "Avtale 2012 (forslag fra Hjartdal" in public
    dashboard = client.get(url("round", m, n)).content.decode()
    assert "er godtatt" in dashboard and "Versjon 2 i historikken" in dashboard


def test_conflict_on_accept_is_shown_and_the_note_is_kept(round_, hjartdal, editor):
    proposal = propose_host(round_, hjartdal)
    a = Arrangement.objects.get(mapping=round_.mapping, ref=JORDMOR)
    editing.update_arrangement(
        a, {"arsverk": "1.5"}, None, user=editor, source="Årsmelding", expected_version=1
    )
    m, n = round_.mapping_id, round_.number
    client = client_for(editor)
    page = client.get(url("proposal", m, n, proposal.pk)).content.decode()
    assert "Endret etter at forslaget ble sendt" in page and "Årsmelding" in page
    response = client.post(
        url("proposal", m, n, proposal.pk), {"beslutning": "godta", "begrunnelse": "Min merknad"}
    )
    assert response.status_code == 409
    html = response.content.decode()
    assert "Ordningen er endret etter at forslaget ble sendt" in html
    assert "Min merknad</textarea>" in html and "Godta på gjeldende versjon" in html
    proposal.refresh_from_db()
    assert proposal.is_pending
    response = client.post(
        url("proposal", m, n, proposal.pk),
        {"beslutning": "godta_gjeldende", "begrunnelse": "Min merknad"},
    )
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.ACCEPTED and proposal.change.version == 3


def test_reject_needs_a_reason(round_, hjartdal, editor):
    proposal = propose_host(round_, hjartdal)
    m, n = round_.mapping_id, round_.number
    client = client_for(editor)
    records = ChangeRecord.objects.count()
    response = client.post(url("proposal", m, n, proposal.pk), {"beslutning": "avvis"})
    assert response.status_code == 400 and 'href="#id_begrunnelse"' in response.content.decode()
    response = client.post(url("proposal", m, n, proposal.pk), {"beslutning": "avvis",
                                                                "begrunnelse": "Nei."})  # fmt: skip
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.REJECTED and ChangeRecord.objects.count() == records


def test_close_the_round(round_, editor, hjartdal):
    client = client_for(editor)
    response = client.post(url("close", round_.mapping_id, round_.number))
    assert response.status_code == 302
    round_.refresh_from_db()
    assert not round_.is_open
    html = client_for(hjartdal).get(list_url(round_)).content.decode()
    assert "Runden er avsluttet" in html and "Foreslå endring" not in html
    m, n = round_.mapping_id, round_.number
    assert client_for(hjartdal).get(url("propose_new", m, n, "3819")).status_code == 403


# --- Dashboard and export -----------------------------------------------------------------------


def _finished_round(round_, hjartdal, editor):
    accepted = propose_host(round_, hjartdal)
    services.accept(accepted, user=editor, note="Ok")
    services.confirm(services.response_for(round_, "3819"), user=hjartdal, note="Stemmer nå.")
    services.propose_removal(
        services.response_for(round_, "3818"),
        Arrangement.objects.get(mapping=round_.mapping, ref="BUS21-108"),
        removal="deltar_ikke", user=editor, comment="=Tinn er ikke med", source="Telefon",
    )  # fmt: skip
    return accepted


def test_dashboard(round_, hjartdal, editor):
    _finished_round(round_, hjartdal, editor)
    response = client_for(editor).get(url("round", round_.mapping_id, round_.number))
    assert response.status_code == 200
    html = response.content.decode()
    rows = {r.response.period.name: r for r in response.context["rows"]}
    assert rows["Hjartdal"].response.status == Status.CONFIRMED
    assert rows["Tinn"].response.status == Status.PENDING
    assert "Endringer per runde" in html and "Last ned resultatet som CSV" in html
    for label in ("Ikke åpnet", "Under arbeid", "Bekreftet", "Endringer venter"):
        assert label in html
    [pending] = response.context["pending"]
    assert pending.municipality_name == "Tinn"


def test_export_csv(round_, hjartdal, editor):
    _finished_round(round_, hjartdal, editor)
    response = client_for(editor).get(url("export", round_.mapping_id, round_.number, "csv"))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="buskerud-2021-kontrollrunde-1.csv"' in response["Content-Disposition"]
    text = response.content.decode("utf-8-sig")
    sections: dict[str, list[list[str]]] = {}
    current = None
    for row in csv.reader(io.StringIO(text)):
        if row and row[0].startswith("#"):
            current = row[0][1:]
            sections[current] = []
        elif row:
            sections[current].append(row)
    assert list(sections) == ["Runde", "Kommuner", "Forslag"]
    header, *municipalities = sections["Kommuner"]
    assert len(municipalities) == 25
    hjartdal_row = dict(
        zip(header, next(r for r in municipalities if r[1] == "Hjartdal"), strict=True)
    )
    assert (
        hjartdal_row["status"] == "Bekreftet" and hjartdal_row["bekreftet_av"] == "Hilde Hjartdal"
    )
    assert hjartdal_row["godtatt"] == "1" and hjartdal_row["merknad"] == "Stemmer nå."
    header, *proposals = sections["Forslag"]
    rows = [dict(zip(header, r, strict=True)) for r in proposals]
    assert [r["status"] for r in rows] == ["Godtatt", "Venter"]
    assert rows[0]["endrede_felt"] == "Vertskommune" and rows[0]["historikk_versjon"] == "2"
    assert rows[0]["avgjort_av"] == "Kari Kartlegger" and rows[0]["begrunnelse"] == "Ok"
    assert rows[1]["kommentar"] == "'=Tinn er ikke med"  # no formula in a spreadsheet
    assert rows[1]["grunn"] == "Kommunen deltar ikke i ordningen"


def test_export_xlsx(round_, hjartdal, editor):
    import datetime as dt

    from openpyxl import load_workbook

    _finished_round(round_, hjartdal, editor)
    response = client_for(editor).get(url("export", round_.mapping_id, round_.number, "xlsx"))
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Runde", "Kommuner", "Forslag"]
    info = {row[0]: row[1] for row in book["Runde"].iter_rows(min_row=2, values_only=True)}
    assert info["kartlegging"] == "Buskerud 2021" and info["nummer"] == 1
    rows = list(book["Kommuner"].iter_rows(values_only=True))
    header = rows[0]
    hjartdal_row = dict(zip(header, next(r for r in rows if r[1] == "Hjartdal"), strict=True))
    assert hjartdal_row["status"] == "Bekreftet" and hjartdal_row["godtatt"] == 1
    assert isinstance(hjartdal_row["bekreftet"], dt.datetime)
    proposals = list(book["Forslag"].iter_rows(values_only=True))
    assert len(proposals) == 3 and proposals[1][proposals[0].index("historikk_versjon")] == 2


# --- Links from the public pages ----------------------------------------------------------------


def test_links_on_the_public_pages(round_, hjartdal, editor):
    mapping_page = reverse("web:mapping", args=[round_.mapping_id])
    municipality_page = reverse("web:municipality", args=[round_.mapping_id, "3819"])
    anonymous = Client().get(mapping_page).content.decode()
    assert "Kontrollrunder" not in anonymous
    html = client_for(hjartdal).get(mapping_page).content.decode()
    assert f'href="{list_url(round_)}"' in html and 'href="/kontrollrunder/"' in html
    html = client_for(hjartdal).get(municipality_page).content.decode()
    assert "Kontroller listen til Hjartdal" in html
    html = client_for(editor).get(mapping_page).content.decode()
    assert f'href="{url("round", round_.mapping_id, 1)}"' in html


# --- HTML rules ---------------------------------------------------------------------------------


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.scripts = 0

    def handle_starttag(self, tag, attrs) -> None:
        self.tags.append((tag, dict(attrs)))


def _audit(html: str, page: str) -> None:
    parser = _Tags()
    parser.feed(html)
    tags = parser.tags
    assert not any(t == "script" for t, _ in tags), page
    assert not any(t == "style" or "style" in a for t, a in tags), page
    assert not any(k.startswith("on") for _, a in tags for k in a), page
    labels = {a.get("for") for t, a in tags if t == "label"}
    for tag, attrs in tags:
        if tag in {"input", "select", "textarea"} and attrs.get("type") not in {
            "hidden",
            "submit",
        }:
            assert attrs.get("id") in labels, (page, tag, attrs)
    tables = sum(1 for t, _ in tags if t == "table")
    assert sum(1 for t, _ in tags if t == "caption") == tables, page
    assert all("scope" in a for t, a in tags if t == "th"), page
    ids = [a["id"] for _, a in tags if "id" in a]
    assert len(ids) == len(set(ids)), page


def test_every_page_keeps_the_html_rules(round_, hjartdal, editor):
    proposal = propose_host(round_, hjartdal)
    m, n = round_.mapping_id, round_.number
    services.close_round(round_, user=editor)
    second = services.open_round(round_.mapping, user=editor, deadline=round_.deadline)
    pages = {
        editor: [
            url("mine"),
            url("rounds", m),
            url("round", m, n),
            url("proposal", m, n, proposal.pk),
            list_url(round_),
        ],
        hjartdal: [
            url("mine"),
            url("rounds", m),
            list_url(second),
            url("propose_new", m, 2, "3819"),
            url("propose_change", m, 2, "3819", JORDMOR),
            url("propose_removal", m, 2, "3819", JORDMOR),
            url("proposal", m, n, proposal.pk),
        ],
    }
    pages[editor].append(url("open", m))  # a round is open: the page says so
    for user, addresses in pages.items():
        client = client_for(user)
        for address in addresses:
            response = client.get(address)
            assert response.status_code == 200, address
            assert "Content-Security-Policy" in response.headers
            _audit(response.content.decode(), address)
