"""The public page cache: hits for anonymous readers, never stale after a change, never private."""

from __future__ import annotations

import os

import pytest
from django.core.cache import caches
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from samarbeid.registry import editing
from samarbeid.registry.models import Arrangement

pytestmark = pytest.mark.django_db


def _queries(client: Client, url: str) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response.content.decode()


def test_second_anonymous_request_is_served_from_the_cache(cached, loaded_example) -> None:
    url = reverse("web:arrangements", args=[loaded_example.pk])
    first, page = _queries(Client(), url)
    second, again = _queries(Client(), url)
    assert second == 1 < first  # only the generation query
    assert again == page
    assert Client().get(url).headers["Content-Security-Policy"]


def test_a_change_makes_cached_pages_stale(cached, loaded_example, django_user_model) -> None:
    arrangement = Arrangement.objects.get(mapping=loaded_example, ref="BUS21-001")
    url = reverse("web:arrangement", args=[loaded_example.pk, arrangement.ref])
    assert "Nytt navn på rådet" not in Client().get(url).content.decode()
    admin = django_user_model.objects.create_superuser("admin", password="x")
    editing.update_arrangement(
        arrangement,
        {"navn": "Nytt navn på rådet"},
        None,
        user=admin,
        source="Test",
        expected_version=arrangement.version,
    )
    assert "Nytt navn på rådet" in Client().get(url).content.decode()


def test_signed_in_users_and_api_tokens_bypass_the_cache(
    cached, loaded_example, django_user_model
) -> None:
    url = reverse("web:arrangements", args=[loaded_example.pk])
    Client().get(url)
    signed_in = Client()
    signed_in.force_login(django_user_model.objects.create_user("leser", password="x"))
    count, _ = _queries(signed_in, url)
    assert count > 1
    with CaptureQueriesContext(connection) as queries:
        Client(HTTP_AUTHORIZATION="Token abc").get(url)
    assert len(queries) > 1


def test_pages_with_a_csrf_token_are_not_stored(cached, loaded_example) -> None:
    url = reverse("web:login")
    first, second = Client().get(url), Client().get(url)
    # Each reader gets a fresh CSRF cookie and token: the form page was not stored and shared.
    assert first.cookies["csrftoken"].value != second.cookies["csrftoken"].value
    assert not caches["pages"]._cache


# --- Everything that changes the page is in the key (issue 10: cache poisoning) ----------------


def test_a_forged_host_never_reaches_later_readers(cached) -> None:
    from tests.small import small_mapping

    small_mapping()
    url = "/api/kartlegginger/"
    forged = Client().get(url, HTTP_HOST="localhost:1234")  # allowed host, any port
    assert forged.status_code == 200
    assert "http://localhost:1234/api/" in forged.content.decode()  # absolute URLs: from the host
    for _ in range(2):  # the first fills the cache under its own key, the second reads it
        normal = Client().get(url)
        assert normal.status_code == 200
        assert "localhost:1234" not in normal.content.decode()
        assert "http://testserver/api/" in normal.content.decode()
    https = Client().get(url, secure=True)
    assert "https://testserver/api/" in https.content.decode()  # the scheme is in the key too


def test_a_host_outside_allowed_hosts_is_400_and_not_cached(cached) -> None:
    url = reverse("web:front")
    response = Client().get(url, HTTP_HOST="angriper.example")
    assert response.status_code == 400
    assert not caches["pages"]._cache
    assert "angriper.example" not in Client().get(url).content.decode()


def test_the_default_allowed_hosts_are_no_wildcard() -> None:
    import subprocess
    import sys

    code = "import samarbeid.settings as s; print(s.ALLOWED_HOSTS)"
    env = {k: v for k, v in os.environ.items() if not k.startswith("SAMARBEID_")}
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "['localhost', '127.0.0.1']"


def test_serve_refuses_a_wildcard_host(settings) -> None:
    from samarbeid.commandbase import UserError

    settings.ALLOWED_HOSTS = ["*"]
    settings.DEBUG = False
    with pytest.raises(UserError, match="ALLOWED_HOSTS"):
        call_command("serve", "--port", "0")


def test_openapi_has_no_servers_from_the_host(db) -> None:
    response = Client().get("/api/openapi.json", HTTP_HOST="localhost:1234")
    assert response.status_code == 200
    assert "1234" not in response.content.decode()
