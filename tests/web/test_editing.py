"""Signing in and editing through Django's test client: access (403), the forms and their
messages (the intake's), conflicts, history and restore, throttling of failed sign-ins."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from samarbeid.registry.models import Arrangement, ChangeRecord, LoginFailure
from samarbeid.web import auth
from tests.conftest import _Null

BOTH = "BUS21-007"  # Hjartdal and Tinn take part
NEITHER = "BUS21-010"  # Kongsberg Krisesenter: neither Hjartdal nor Tinn


@pytest.fixture
def users(loaded_example, settings):
    call_command("create_demo_users", stdout=_Null())
    return {u.username: u for u in get_user_model().objects.all()}


def _client(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _url(name: str, *args) -> str:
    return reverse(f"web:{name}", args=args)


def _form_data(response) -> dict:
    """What a browser would send back for the form as shown (initial or bound values)."""
    form, formset = response.context["form"], response.context.get("formset")
    data: dict = {}
    for field in form:
        value = field.value()
        if value is None:
            continue
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


def _edit_page(client, mapping, ref=BOTH):
    response = client.get(_url("edit_arrangement", mapping.pk, ref))
    assert response.status_code == 200
    return response


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs) -> None:
        self.tags.append((tag, dict(attrs)))


def _tags(html: str) -> list[tuple[str, dict]]:
    parser = _Tags()
    parser.feed(html)
    return parser.tags


def _by_id(html: str, element_id: str) -> dict:
    return next(attrs for _tag, attrs in _tags(html) if attrs.get("id") == element_id)


# --- Signing in -----------------------------------------------------------------------------------


def test_login_and_logout(users, loaded_example):
    client = Client(enforce_csrf_checks=True)
    page = client.get(_url("login"))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="csrfmiddlewaretoken"' in html and '<label for="id_username">Brukernavn' in html
    token = page.cookies["csrftoken"].value
    response = client.post(
        _url("login"),
        {"username": "kartlegger", "password": "demo-kartlegger", "csrfmiddlewaretoken": token},
    )
    assert response.status_code == 302 and response.url == "/"
    front = client.get("/").content.decode()
    assert "Innlogget som <strong>Kari Kartlegger</strong>" in front
    assert "Kartlegger for Buskerud 2021" in front
    assert client.get(_url("logout")).status_code == 405  # a link cannot sign anyone out
    token = client.cookies["csrftoken"].value
    assert client.post(_url("logout"), {"csrfmiddlewaretoken": token}).status_code == 302
    assert "Logg inn" in client.get("/").content.decode()


def test_login_goes_back_to_the_page_asked_for(users, loaded_example):
    client = Client()
    edit = _url("edit_arrangement", loaded_example.pk, BOTH)
    response = client.get(edit)
    assert response.status_code == 302 and response.url.startswith(_url("login") + "?next=")
    response = client.post(
        response.url, {"username": "hjartdal", "password": "demo-hjartdal", "next": edit}
    )
    assert response.url == edit


def test_failed_logins_are_throttled_per_user_and_address(users):
    client = Client()
    wrong = {"username": "Tinn", "password": "feil"}
    for _ in range(auth.MAX_FAILURES):
        html = client.post(_url("login"), wrong, REMOTE_ADDR="10.0.0.1").content.decode()
        assert "Feil brukernavn eller passord." in html
    right = {"username": "tinn", "password": "demo-tinn"}
    response = client.post(_url("login"), right, REMOTE_ADDR="10.0.0.1")
    html = response.content.decode()
    assert response.status_code == 200
    assert "For mange mislykkede innlogginger for dette brukernavnet fra din adresse." in html
    assert re.search(r"Vent 1[45] minutter før du prøver igjen", html)
    assert "_auth_user_id" not in client.session
    # Another address is not locked out; a success clears its own failures.
    other = Client()
    other.post(_url("login"), wrong, REMOTE_ADDR="10.0.0.2")
    assert other.post(_url("login"), right, REMOTE_ADDR="10.0.0.2").status_code == 302
    assert not LoginFailure.objects.filter(ip="10.0.0.2").exists()
    assert LoginFailure.objects.filter(ip="10.0.0.1", username="tinn").count() == 5


# --- Who sees what ------------------------------------------------------------------------------


def test_edit_buttons_only_for_those_who_may_edit(users, loaded_example):
    pk = loaded_example.pk
    edit_link = f'href="{_url("edit_arrangement", pk, BOTH)}"'
    anonymous = Client().get(_url("arrangement", pk, BOTH)).content.decode()
    assert "Endre ordningen" not in anonymous and "Endringshistorikk" in anonymous
    tinn = _client(users["tinn"])
    assert edit_link in tinn.get(_url("arrangement", pk, BOTH)).content.decode()
    page = tinn.get(_url("arrangement", pk, NEITHER)).content.decode()
    assert "Endre ordningen" not in page and "Slett ordningen" not in page
    assert "Slett ordningen" not in tinn.get(_url("arrangement", pk, BOTH)).content.decode()
    mapper = _client(users["kartlegger"]).get(_url("arrangement", pk, NEITHER)).content.decode()
    assert "Endre ordningen" in mapper and "Slett ordningen" in mapper
    assert (
        "Ny ordning" in _client(users["kartlegger"]).get(_url("arrangements", pk)).content.decode()
    )
    assert "Ny ordning" not in Client().get(_url("arrangements", pk)).content.decode()


def test_municipality_editor_gets_403_elsewhere(users, loaded_example):
    client = _client(users["tinn"])
    pk = loaded_example.pk
    for url in (
        _url("edit_arrangement", pk, NEITHER),
        _url("delete_arrangement", pk, BOTH),
    ):
        response = client.get(url)
        assert response.status_code == 403, url
        html = response.content.decode()
        assert "<h1>Ingen tilgang</h1>" in html and "Kommuneredaktør for Tinn" in html
    html = client.get(_url("edit_arrangement", pk, NEITHER)).content.decode()
    assert "Du er kommuneredaktør for Tinn, og Tinn deltar ikke i «Kongsberg Krisesenter»" in html
    data = {"navn": "Kapret", "endringskilde": "x", "versjon": "1"}
    assert client.post(_url("edit_arrangement", pk, NEITHER), data).status_code == 403
    assert Arrangement.objects.get(mapping=loaded_example, ref=NEITHER).version == 1


def test_frozen_mapping_offers_no_editing(users, loaded_example):
    loaded_example.status = "frosset"
    loaded_example.save()
    client = _client(users["admin"])
    page = client.get(_url("arrangement", loaded_example.pk, BOTH)).content.decode()
    assert "Endre ordningen" not in page and "er frosset" in page
    response = client.get(_url("edit_arrangement", loaded_example.pk, BOTH))
    assert response.status_code == 403 and "er frosset" in response.content.decode()


# --- Editing ------------------------------------------------------------------------------------


def test_mapping_editor_edits_and_the_public_page_shows_it(users, loaded_example):
    client = _client(users["kartlegger"])
    data = _form_data(_edit_page(client, loaded_example))
    assert data["versjon"] == 1 and data["arsverk"] == "" and data["vertskommune"] == "Kongsberg"
    data.update(arsverk="3,5", sektor="helse", endringskilde="Eierskapsmelding 2024 for Kongsberg")
    response = client.post(_url("edit_arrangement", loaded_example.pk, BOTH), data)
    assert response.status_code == 302
    assert response.url == _url("arrangement", loaded_example.pk, BOTH)
    notice = client.get(response.url).content.decode()
    assert "er lagret (versjon 2)" in notice
    assert "er lagret" not in client.get(response.url).content.decode()  # shown once

    public = Client().get(response.url).content.decode()
    assert "3,5" in public
    history = public[public.index('id="endringshistorikk"') :]
    assert "Kari Kartlegger" in history and "Eierskapsmelding 2024 for Kongsberg" in history
    assert "Faste årsverk:</span> <del>(tom)</del> → <ins>3.5</ins>" in history
    assert "<del>Planlegging og byggesak</del> → <ins>Helsetjenester</ins>" in history


def test_validation_messages_are_the_intakes_field_by_field(users, loaded_example):
    client = _client(users["kartlegger"])
    data = _form_data(_edit_page(client, loaded_example))
    data.update(arsverk="mange", organisasjonsnummer="123", endringskilde="")
    data["deltakere-2-deltaker"] = "Tinnn"
    data["deltakere-2-kommunenummer"] = ""
    response = client.post(_url("edit_arrangement", loaded_example.pk, BOTH), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<title>Feil: Endre" in html
    start = html.index('class="error-summary"')
    summary = html[start : html.index("</div>", start)]
    message = "«mange» er ikke et tall. Forventet antall årsverk, et tall ≥ 0."
    assert f'<a href="#id_arsverk">Faste årsverk: {message}</a>' in summary
    assert (
        '<a href="#id_endringskilde">Kilde for endringen: Kilden for endringen mangler.' in summary
    )
    assert (
        'href="#id_deltakere-2-deltaker">Deltaker 3, deltaker: Ukjent kommune «Tinnn».' in summary
    )
    assert "Organisasjonsnummer" in summary
    field = _by_id(html, "id_arsverk")
    assert field["value"] == "mange"  # the input is kept
    assert field["aria-invalid"] == "true"
    assert "id_arsverk_error" in field["aria-describedby"].split()
    assert f'<ul class="errorlist" id="id_arsverk_error"><li>{message}</li></ul>' in html
    assert _by_id(html, "id_deltakere-2-deltaker")["value"] == "Tinnn"
    assert Arrangement.objects.get(mapping=loaded_example, ref=BOTH).version == 1


def test_second_editor_gets_a_conflict_with_input_kept(users, loaded_example):
    first, second = _client(users["hjartdal"]), _client(users["kartlegger"])
    first_data = _form_data(_edit_page(first, loaded_example))
    second_data = _form_data(_edit_page(second, loaded_example))
    url = _url("edit_arrangement", loaded_example.pk, BOTH)
    first_data.update(arsverk="2", sektor="helse", endringskilde="Hjartdal kommune")
    assert first.post(url, first_data).status_code == 302

    second_data.update(arsverk="7", beskrivelse="Felles tilsyn", endringskilde="Rapport 2021")
    response = second.post(url, second_data)
    assert response.status_code == 409
    html = response.content.decode()
    assert "Ordningen er endret av en annen mens du arbeidet med den" in html
    assert "Hanne Hjartdal endret ordningen" in html and "ikke lagret" in html
    assert "din verdi «7», lagret nå «2»" in html  # both changed it
    assert "Tatt inn i skjemaet fra den andre endringen" in html and "Sektor" in html
    form = response.context["form"]
    assert form["arsverk"].value() == "7" and form["beskrivelse"].value() == "Felles tilsyn"
    assert form["sektor"].value() == "helse"  # only the other editor changed it: taken in
    assert form["endringskilde"].value() == "Rapport 2021" and form["versjon"].value() == 2
    assert str(Arrangement.objects.get(mapping=loaded_example, ref=BOTH).arsverk) == "2.00"

    # Saving again is a deliberate choice: it now saves, over version 2.
    again = second.post(url, _form_data(response))
    assert again.status_code == 302
    saved = Arrangement.objects.get(mapping=loaded_example, ref=BOTH)
    assert (saved.version, str(saved.arsverk), saved.sector) == (3, "7.00", "helse")
    assert saved.description == "Felles tilsyn"


def test_more_rows_and_a_new_participant(users, loaded_example):
    client = _client(users["tinn"])
    url = _url("edit_arrangement", loaded_example.pk, BOTH)
    data = _form_data(_edit_page(client, loaded_example))
    data.update(beskrivelse="Skrevet før flere rader", flere="1")
    response = client.post(url, data)
    assert response.status_code == 200 and len(response.context["formset"].forms) == 8 + 3 + 5
    assert response.context["form"]["beskrivelse"].value() == "Skrevet før flere rader"
    data = _form_data(response)
    data.pop("flere", None)
    data.update({"deltakere-13-deltaker": "Vinje", "endringskilde": "Tinn kommune"})
    data["deltakere-1-DELETE"] = "on"  # Flesberg out of the list
    response = client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    names = list(
        Arrangement.objects.get(mapping=loaded_example, ref=BOTH).memberships.values_list(
            "municipality__name", flat=True
        )
    )
    assert "Vinje" in names and "Flesberg" not in names and len(names) == 8


def test_csrf_is_required_on_the_edit_form(users, loaded_example):
    client = Client(enforce_csrf_checks=True)
    client.force_login(users["kartlegger"])
    url = _url("edit_arrangement", loaded_example.pk, BOTH)
    assert 'name="csrfmiddlewaretoken"' in client.get(url).content.decode()
    response = client.post(url, {"arsverk": "1", "endringskilde": "x", "versjon": "1"})
    assert response.status_code == 403
    assert "Skjemaet kunne ikke sendes" in response.content.decode()


def test_edit_pages_have_no_inline_scripts_or_styles(users, loaded_example):
    client = _client(users["kartlegger"])
    pk = loaded_example.pk
    pages = [
        _url("login"),
        _url("edit_arrangement", pk, BOTH),
        _url("create_arrangement", pk),
        _url("delete_arrangement", pk, BOTH),
        _url("arrangement_history", pk, BOTH),
        _url("deleted_arrangements", pk),
    ]
    for path in pages:
        html = client.get(path).content.decode()
        assert client.get(path).status_code in (200, 302), path
        for tag, attrs in _tags(html):
            assert tag != "style", path
            assert not (tag == "script" and "src" not in attrs), path
            assert "style" not in attrs, (path, tag)
            assert not any(name.startswith("on") for name in attrs), (path, tag)


# --- Create, delete, history, restore -------------------------------------------------------------


def test_create_and_delete_and_restore_deleted(users, loaded_example):
    client = _client(users["kartlegger"])
    pk = loaded_example.pk
    page = client.get(_url("create_arrangement", pk))
    assert "Neste ledige id er BUS21-235." in page.content.decode()
    data = _form_data(page)
    data.update(
        navn="Numedal barnevern",
        juridisk_form="vertskommune",
        vertskommune="Rollag",
        endringskilde="Avtale 2024",
        **{"deltakere-0-deltaker": "Rollag", "deltakere-1-deltaker": "Flesberg"},
    )
    response = client.post(_url("create_arrangement", pk), data)
    assert response.status_code == 302 and response.url == _url("arrangement", pk, "BUS21-235")

    delete_page = client.get(_url("delete_arrangement", pk, "BUS21-235"))
    data = _form_data(delete_page)
    response = client.post(_url("delete_arrangement", pk, "BUS21-235"), data)
    assert response.status_code == 200  # no source given
    assert "Kilden for endringen mangler" in response.content.decode()
    data["endringskilde"] = "Opprettet ved en feil"
    response = client.post(_url("delete_arrangement", pk, "BUS21-235"), data)
    assert response.status_code == 302
    assert not Arrangement.objects.filter(mapping=loaded_example, ref="BUS21-235").exists()

    deleted = client.get(_url("deleted_arrangements", pk)).content.decode()
    assert "Numedal barnevern" in deleted and "Opprettet ved en feil" in deleted
    change = ChangeRecord.objects.get(action="slettet")
    url = _url("restore_deleted", pk, change.pk)
    assert _client(users["tinn"]).get(url).status_code == 403
    response = client.post(url, {"endringskilde": "Likevel riktig"})
    assert response.status_code == 302
    restored = Arrangement.objects.get(mapping=loaded_example, ref="BUS21-235")
    assert restored.memberships.count() == 2 and restored.host.name == "Rollag"


def test_history_page_and_restore(users, loaded_example):
    mapper = _client(users["kartlegger"])
    pk = loaded_example.pk
    url = _url("edit_arrangement", pk, BOTH)
    for value, source in (("2", "Kilde A"), ("5", "Kilde B")):
        data = _form_data(_edit_page(mapper, loaded_example))
        data.update(arsverk=value, endringskilde=source)
        assert mapper.post(url, data).status_code == 302

    public = Client().get(_url("arrangement_history", pk, BOTH)).content.decode()
    assert public.index("Kilde B") < public.index("Kilde A")  # newest first
    assert "Gjenopprett" not in public
    page = mapper.get(_url("arrangement_history", pk, BOTH)).content.decode()
    first = ChangeRecord.objects.get(source="Kilde A")
    assert _url("restore", pk, BOTH, first.pk) in page
    # The version before the edits: the import's record of it, or else "before the first edit".
    imported = ChangeRecord.objects.filter(ref=BOTH, channel="import").first()
    original = (
        _url("restore", pk, BOTH, imported.pk)
        if imported
        else _url("restore_before", pk, BOTH, first.pk)
    )
    assert original in page

    assert _client(users["hjartdal"]).get(_url("restore", pk, BOTH, first.pk)).status_code == 403
    confirm = mapper.get(_url("restore", pk, BOTH, first.pk))
    html = confirm.content.decode()
    assert "Faste årsverk:</span> <del>5</del> → <ins>2</ins>" in html
    data = _form_data(confirm)
    data["endringskilde"] = "Kilde B var feil"
    response = mapper.post(_url("restore", pk, BOTH, first.pk), data)
    assert response.status_code == 302
    restored = Arrangement.objects.get(mapping=loaded_example, ref=BOTH)
    assert (restored.version, str(restored.arsverk)) == (4, "2.00")
    record = ChangeRecord.objects.get(source="Kilde B var feil")
    assert record.action == "gjenopprettet" and record.restored_from == first

    stale = mapper.post(original, data)  # for version 3: stale
    assert stale.status_code == 409 and "ikke lagret" in stale.content.decode()
    back = mapper.post(original, _form_data(stale))
    assert back.status_code == 302
    assert Arrangement.objects.get(mapping=loaded_example, ref=BOTH).arsverk is None
