"""An address with the NUL character (%00) is a 400 that names the parameter, on every route,
before any view or the page cache sees it: PostgreSQL refuses NUL in every text comparison, so a
lookup such as ``/api/kostnadsdeling/beregning/?modell=%00`` was a 500 there (found by
schemathesis in CI). The addresses are every route of the URL configuration without parameters,
so a new page is covered without touching this file."""

from __future__ import annotations

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

pytestmark = pytest.mark.django_db


def _plain_routes(patterns=None, prefix: str = "") -> list[str]:
    """Every route without a converter (``/kostnadsdeling/``, ``/api/organer/`` …)."""
    found: list[str] = []
    for entry in patterns if patterns is not None else get_resolver().url_patterns:
        route = str(entry.pattern)
        if "<" in route or "(" in route or "^" in route:
            continue
        if isinstance(entry, URLResolver):
            found += _plain_routes(entry.url_patterns, prefix + route)
        elif isinstance(entry, URLPattern):
            found.append("/" + prefix + route)
    return sorted(set(found))


def test_every_plain_route_refuses_nul_in_the_query(client):
    routes = _plain_routes()
    assert {"/", "/kostnadsdeling/", "/api/kostnadsdeling/beregning/", "/organer/"} <= set(routes)
    for route in routes:
        answer = client.get(route + "?modell=%00&aar=2024")
        assert answer.status_code == 400, route
        text = answer.content.decode()
        assert "«modell»" in text and "NUL" in text, route
        if route.startswith("/api/"):
            assert answer["Content-Type"].startswith("application/json"), route


def test_nul_in_a_key_or_the_path(client):
    answer = client.get("/api/kostnadsdeling/beregning/?mod%00ell=x")
    assert answer.status_code == 400 and "mod\\\\0ell" in answer.content.decode()
    answer = client.get("/kostnadsdeling/a%00b/")
    assert answer.status_code == 400
    assert "ingen adresse kan inneholde" in answer.content.decode()


def test_nothing_changes_for_ordinary_addresses(client):
    assert client.get("/kostnadsdeling/?aar=2024").status_code == 200


def test_a_form_field_with_nul_is_refused_before_the_view(client):
    from django.contrib.auth import get_user_model

    get_user_model().objects.create_user("redaktor", password="x")
    answer = client.post("/logg-inn/", "username=redaktor%00&password=x",
                         content_type="application/x-www-form-urlencoded")  # fmt: skip
    assert answer.status_code == 400 and "«username»" in answer.content.decode()
