"""The lifecycle on the web and in the API: a draft is invisible to the public (404 everywhere),
readable with a role; the status page changes it with a reason; the CLI shows and sets it."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from samarbeid.registry.models import Mapping, MappingStatusChange
from samarbeid.web.api import keys
from tests.conftest import _Null


@pytest.fixture
def users(loaded_example, settings):
    call_command("create_demo_users", stdout=_Null())
    return {u.username: u for u in get_user_model().objects.all()}


@pytest.fixture
def draft(loaded_example):
    Mapping.objects.filter(pk=loaded_example.pk).update(status="utkast")
    loaded_example.refresh_from_db()
    return loaded_example


def _client(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _pages(mapping: Mapping) -> list[str]:
    return [
        reverse("web:mapping", args=[mapping.pk]),
        reverse("web:arrangements", args=[mapping.pk]),
        reverse("web:arrangement", args=[mapping.pk, "BUS21-001"]),
        reverse("web:municipality", args=[mapping.pk, "3006"]),
        f"/api/kartlegginger/{mapping.pk}/",
        f"/api/kartlegginger/{mapping.pk}/ordninger/",
        f"/api/kartlegginger/{mapping.pk}/ordninger/BUS21-001/",
        f"/api/kartlegginger/{mapping.pk}/kommuner/",
        f"/api/kartlegginger/{mapping.pk}/eksport.csv",
    ]


def test_the_example_is_public_in_verification(client, loaded_example):
    assert loaded_example.status == "kontroll"
    change = MappingStatusChange.objects.get(mapping=loaded_example)
    assert (change.before, change.after, change.user_name) == (
        "utkast",
        "kontroll",
        "kommando: load-example",
    )
    assert client.get("/api/kartlegginger/").json()["results"][0]["status"] == "kontroll"


def test_a_draft_is_not_there_for_the_public(client, draft):
    for url in _pages(draft):
        assert client.get(url).status_code == 404, url
    assert "Buskerud" not in client.get("/").content.decode()
    assert client.get("/api/kartlegginger/").json()["count"] == 0


@pytest.mark.parametrize("who", ["leser", "kartlegger", "hjartdal", "admin"])
def test_a_draft_is_there_for_users_with_a_role(users, draft, who):
    client = _client(users[who])  # a session on the web, a token in the API
    api = Client(HTTP_AUTHORIZATION=f"Token {keys.issue(users[who])}")
    for url in _pages(draft):
        assert (api if url.startswith("/api/") else client).get(url).status_code == 200, (who, url)
    assert "Buskerud 2021" in client.get("/").content.decode()


def test_a_draft_is_not_there_for_a_user_without_a_role(draft):
    stranger = get_user_model().objects.create_user("fremmed", password="x")
    other = Client(HTTP_AUTHORIZATION=f"Token {keys.issue(stranger)}")
    assert other.get(f"/api/kartlegginger/{draft.pk}/ordninger/").status_code == 404
    assert other.get("/api/kartlegginger/").json()["count"] == 0
    web = _client(stranger)
    assert web.get(reverse("web:arrangements", args=[draft.pk])).status_code == 404


def test_status_page_changes_the_status_with_a_reason(users, loaded_example):
    client = _client(users["kartlegger"])
    url = reverse("web:mapping_status", args=[loaded_example.pk])
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Til kontroll" in html and 'value="frosset"' in html and 'value="utkast"' in html
    missing = client.post(url, {"status": "frosset", "kilde": " "})
    assert missing.status_code == 400
    assert "Skriv hvorfor statusen endres." in missing.content.decode()
    assert Mapping.objects.get(pk=loaded_example.pk).status == "kontroll"
    done = client.post(url, {"status": "frosset", "kilde": "Rapporten er publisert"})
    assert done.status_code == 302 and done["Location"] == reverse(
        "web:mapping", args=[loaded_example.pk]
    )
    assert Mapping.objects.get(pk=loaded_example.pk).status == "frosset"
    history = client.get(url).content.decode()
    assert "Rapporten er publisert" in history and "kartlegger" in history
    assert 'value="kontroll"' not in history  # frozen: only an administrator reopens
    assert client.post(url, {"status": "kontroll", "kilde": "x"}).status_code == 400
    admin = _client(users["admin"])
    assert admin.post(url, {"status": "kontroll", "kilde": "Rettelse"}).status_code == 302


@pytest.mark.parametrize("who", ["hjartdal", "leser"])
def test_status_page_is_refused_to_others(users, loaded_example, who):
    url = reverse("web:mapping_status", args=[loaded_example.pk])
    response = _client(users[who]).get(url)
    assert response.status_code == 403
    assert "Bare kartleggerne for «Buskerud 2021»" in response.content.decode()
    assert _client(users[who]).post(url, {"status": "frosset", "kilde": "x"}).status_code == 403
    assert Client().get(url).status_code == 403


def test_list_page_links_the_status_page_for_its_editors(users, loaded_example):
    url = reverse("web:arrangements", args=[loaded_example.pk])
    status = reverse("web:mapping_status", args=[loaded_example.pk])
    assert status in _client(users["kartlegger"]).get(url).content.decode()
    assert status not in _client(users["tinn"]).get(url).content.decode()


def test_opening_a_round_puts_a_draft_into_verification(users, draft):
    import datetime as dt

    from samarbeid.verification import services

    services.open_round(draft, user=users["kartlegger"], deadline=dt.date.today())
    draft.refresh_from_db()
    assert draft.status == "kontroll"
    assert (
        MappingStatusChange.objects.filter(mapping=draft)
        .first()
        .source.startswith("Kontrollrunde 1 åpnet")
    )
