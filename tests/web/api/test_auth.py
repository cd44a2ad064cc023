"""API keys: the api_token command, keys kept only as digests, both header keywords, wrong keys."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command

from samarbeid.commandbase import UserError
from samarbeid.web.api import keys
from samarbeid.web.api.models import ApiKey

from .conftest import Api, make_token


@pytest.mark.django_db
def test_command_prints_the_key_once_and_keeps_only_its_digest():
    user = User.objects.create_user("kari")
    token = make_token("kari")
    assert len(token) >= 43  # 32 random bytes
    stored = ApiKey.objects.get(user=user)
    assert stored.digest == keys.digest(token) and token not in (stored.digest, stored.prefix)
    assert stored.prefix == token[:8]
    with pytest.raises(UserError, match=r"har allerede en API-nøkkel .* begynner med"):
        call_command("api_token", "kari", stdout=io.StringIO())  # it cannot be shown again
    assert keys.user_for(token) == user


@pytest.mark.django_db
def test_command_renews_and_deletes():
    User.objects.create_user("kari")
    old = make_token("kari")
    out = io.StringIO()
    call_command("api_token", "kari", "--ny", stdout=out, stderr=io.StringIO())
    new = out.getvalue().strip()
    assert new != old and keys.user_for(old) is None and keys.user_for(new) is not None
    call_command("api_token", "kari", "--slett", stdout=io.StringIO(), stderr=io.StringIO())
    assert not ApiKey.objects.exists() and keys.user_for(new) is None


@pytest.mark.django_db
def test_command_refuses_unknown_and_inactive_users():
    with pytest.raises(UserError, match="Fant ingen bruker «nn»"):
        call_command("api_token", "nn", stdout=io.StringIO())
    User.objects.create_user("borte", is_active=False)
    with pytest.raises(UserError, match="deaktivert"):
        call_command("api_token", "borte", stdout=io.StringIO())


def test_token_and_bearer_both_authenticate(users, tokens, loaded_example):
    url = f"/api/kartlegginger/{loaded_example.pk}/ordninger/BUS21-001/"
    for keyword in ("Token", "Bearer", "bearer"):
        # An authenticated request that fails validation shows the user got past 401/403.
        response = Api(tokens["kartlegger"], keyword).patch(url, {"versjon": 1})
        assert response.status_code == 400, (keyword, response.content)
        assert response.json()["feil"][0]["felt"] == "endringskilde"


def test_wrong_tokens_are_401(loaded_example, tokens):
    url = f"/api/kartlegginger/{loaded_example.pk}/"
    for header in ("Token feil", "Bearer feil", "Token", "Token a b", "Bearer æøå"):
        api = Api()
        response = api.client.get(url, headers={"Authorization": header})
        assert response.status_code == 401, header
        assert response["WWW-Authenticate"] == "Token"
        assert response.json()["detail"]
    # Reading needs no token; other schemes are none of the API's business.
    assert Api().get(url).status_code == 200
    assert Api().client.get(url, headers={"Authorization": "Basic eDp5"}).status_code == 200


def test_token_of_a_deactivated_user_stops_working(users, tokens, loaded_example):
    User.objects.filter(pk=users["kartlegger"].pk).update(is_active=False)
    response = Api(tokens["kartlegger"]).get(f"/api/kartlegginger/{loaded_example.pk}/")
    assert response.status_code == 401 and response.json()["detail"] == "Ugyldig token."


def test_writing_without_a_token_is_401(api, loaded_example):
    url = f"/api/kartlegginger/{loaded_example.pk}/ordninger/"
    response = api.post(url, {"navn": "Ny"})
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert api.delete(url + "BUS21-001/").status_code == 401
