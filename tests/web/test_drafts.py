"""A draft does not exist for anyone without a role for it: 404 on EVERY route that names it (pages,
API, downloads, verification, reports, maps), for GET and POST, and not a trace of its name.

The routes are read from the URL resolver, so a route added later is tested without a line here;
a route with a URL parameter this test does not know fails until the parameter gets a value
below. An administrator gets past the 404 on every one of them (the control: the values point
at real objects, so each 404 is the rule, not a bad address)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from samarbeid.registry import editing, permissions
from samarbeid.registry.models import Arrangement, ChangeRecord, Mapping
from tests.small import small_mapping
from tests.web.api.conftest import make_token

pytestmark = pytest.mark.django_db

SECRET = "Hemmelig utkast Qx7"


def _routes():
    """(full name, namespace, parameter names, default kwargs) of every named route."""

    def walk(patterns, namespace: str):
        for p in patterns:
            if isinstance(p, URLResolver):
                inner = namespace
                if p.namespace:
                    inner = f"{namespace}:{p.namespace}" if namespace else p.namespace
                yield from walk(p.url_patterns, inner)
            elif isinstance(p, URLPattern) and p.name:
                params = set(p.pattern.regex.groupindex)
                name = f"{namespace}:{p.name}" if namespace else p.name
                yield name, namespace, params, p.default_args

    return list(walk(get_resolver().url_patterns, ""))


def _names_a_mapping(namespace: str, params: set[str]) -> bool:
    return "mapping_id" in params or (namespace == "api" and "id" in params)


def test_the_enumeration_finds_the_routes() -> None:
    names = {name for name, ns, params, _ in _routes() if _names_a_mapping(ns, params)}
    # A sample from each part of the site; the test below covers every one it finds.
    assert {
        "web:mapping",
        "web:arrangement",
        "web:edit_arrangement",
        "web:report_download",
        "web:mapping_map",
        "web:region",
        "web:upload",
        "verification:rounds",
        "verification:proposal",
        "api:ordning",
        "api:eksport-xlsx",
    } <= names
    assert len(names) >= 35


@pytest.fixture
def draft(settings):
    """A small mapping with a round, a proposal, a change and a deleted arrangement; then made a
    draft and given a name that must never show."""
    from samarbeid.verification import services

    mapping = small_mapping(SECRET)
    mapper = get_user_model().objects.create_user("kari", password="x")
    permissions.grant(mapper, "kartlegger", mapping=mapping)
    a1 = Arrangement.objects.select_related("mapping").get(mapping=mapping, ref="A1")
    editing.update_arrangement(
        a1, {"merknader": "Sjekket"}, None, user=mapper, source="Test", expected_version=a1.version
    )
    a2 = Arrangement.objects.select_related("mapping").get(mapping=mapping, ref="A2")
    editing.delete_arrangement(a2, user=mapper, source="Test", expected_version=a2.version)
    round_ = services.open_round(mapping, user=mapper, deadline=dt.date.today())
    response = round_.responses.get(period__number="3006")  # Kongsberg
    response.round = round_
    a1.refresh_from_db()
    proposal = services.propose_change(
        response,
        a1,
        {"merknader": "Foreslått"},
        None,
        user=mapper,
        comment="Se vedtak",
        source="Test",
        base_version=a1.version,
    )
    Mapping.objects.filter(pk=mapping.pk).update(status=Mapping.Status.DRAFT)
    return {
        "mapping": Mapping.objects.get(pk=mapping.pk),
        "change": ChangeRecord.objects.filter(arrangement__ref="A1").latest("id"),
        "deleted": ChangeRecord.objects.get(ref="A2", action=ChangeRecord.Action.DELETED),
        "round": round_,
        "proposal": proposal,
    }


def _kwargs(name: str, namespace: str, params: set[str], defaults: dict, draft) -> dict:
    mapping = draft["mapping"]
    values = {
        "mapping_id": mapping.pk,
        "id": mapping.pk,
        "ref": "A1",
        "change_id": draft["deleted"].pk if name == "web:restore_deleted" else draft["change"].pk,
        "number": draft["round"].number if namespace == "verification" else "3006",
        "nummer": "3006",
        "kommune": "3006",
        "region": "kongsbergregionen",
        "proposal_id": draft["proposal"].pk,
        "fmt": "csv" if namespace == "verification" else "md",
    }
    unknown = params - set(values) - set(defaults)
    assert not unknown, f"{name}: give the URL parameters {unknown} a value in this test"
    return {k: values[k] for k in params if k not in defaults}


def _draft_routes(draft) -> list[tuple[str, str]]:
    found = []
    for name, namespace, params, defaults in _routes():
        if _names_a_mapping(namespace, params):
            kwargs = _kwargs(name, namespace, params, defaults, draft)
            found.append((name, reverse(name, kwargs=kwargs)))
    return found


def _clients(draft) -> dict[str, Client]:
    User = get_user_model()
    no_role = Client()
    no_role.force_login(User.objects.create_user("uten-rolle", password="x"))
    other = small_mapping("En annen kartlegging")
    elsewhere = User.objects.create_user("annen", password="x")
    permissions.grant(elsewhere, "kartlegger", mapping=other)
    other_mapper = Client()
    other_mapper.force_login(elsewhere)
    token = make_token("annen")
    return {
        "anonymous": Client(),
        "signed in without a role": no_role,
        "mapping editor of another mapping": other_mapper,
        "API token of another mapping's editor": Client(HTTP_AUTHORIZATION=f"Token {token}"),
    }


def test_a_draft_is_404_on_every_route_without_a_role(draft) -> None:
    routes = _draft_routes(draft)
    failures = []
    for who, client in _clients(draft).items():
        for name, url in routes:
            for method in ("get", "post"):
                response = getattr(client, method)(url)
                body = response.content.decode("utf-8", "replace")
                if response.status_code != 404 or SECRET in body:
                    failures.append(
                        f"{who}: {method.upper()} {name} {url} -> {response.status_code}"
                    )
    assert not failures, "\n".join(failures)


def test_an_administrator_reaches_every_one_of_those_routes(draft) -> None:
    admin = Client()
    admin.force_login(get_user_model().objects.create_superuser("admin", password="x"))
    api = Client(HTTP_AUTHORIZATION=f"Token {make_token('admin')}")  # the API knows only tokens
    not_found = [
        f"{name} {url}"
        for name, url in _draft_routes(draft)
        if (api if name.startswith("api:") else admin).get(url).status_code == 404
    ]
    assert not not_found, "\n".join(not_found)


def test_comparing_with_a_draft_does_not_reveal_it(draft) -> None:
    other = small_mapping("Offentlig kartlegging")
    url = reverse("web:compare") + f"?fra={other.pk}&til={draft['mapping'].pk}"
    no_role = Client()
    no_role.force_login(get_user_model().objects.create_user("uten-rolle", password="x"))
    for client in (Client(), no_role):
        response = client.get(url)
        assert response.status_code == 400
        assert SECRET not in response.content.decode()
