"""Fixtures of the API tests: users with roles and tokens, and a JSON client."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command
from django.test import Client


def make_token(username: str) -> str:
    out = io.StringIO()
    call_command("api_token", username, stdout=out, stderr=io.StringIO())
    return out.getvalue().strip()


class Api:
    """Django's test client speaking JSON, optionally with a token."""

    def __init__(self, token: str | None = None, keyword: str = "Token") -> None:
        self.client = Client()
        self.headers = {"Authorization": f"{keyword} {token}"} if token else {}

    def _send(self, method: str, url: str, body=None, headers=None, **params):
        call = getattr(self.client, method)
        extra = {**self.headers, **(headers or {})}
        if method in ("get", "head"):
            return call(url, params, headers=extra)
        if params:
            from urllib.parse import urlencode

            url = f"{url}?{urlencode(params)}"
        data = "" if body is None else json.dumps(body)
        return call(url, data, content_type="application/json", headers=extra)

    def get(self, url, **kw):
        return self._send("get", url, **kw)

    def post(self, url, body=None, **kw):
        return self._send("post", url, body, **kw)

    def put(self, url, body=None, **kw):
        return self._send("put", url, body, **kw)

    def patch(self, url, body=None, **kw):
        return self._send("patch", url, body, **kw)

    def delete(self, url, body=None, **kw):
        return self._send("delete", url, body, **kw)


@pytest.fixture
def api():
    return Api()


@pytest.fixture
def users(loaded_example):
    """A mapping editor, a municipality editor for Ål, a superuser and a user without a role."""
    from django.contrib.auth.models import User

    from samarbeid.registry import permissions
    from samarbeid.registry.models import Municipality, MunicipalityPeriod

    mapper = User.objects.create_user("kari", password="x")
    permissions.grant(mapper, "kartlegger", mapping=loaded_example)
    local = User.objects.create_user("ola", password="x")
    al = MunicipalityPeriod.objects.get(number="3043", name="Ål").municipality
    assert isinstance(al, Municipality)
    permissions.grant(local, "kommune", municipality=al)
    admin = User.objects.create_superuser("admin", password="x")
    reader = User.objects.create_user("lise", password="x")
    return {"kartlegger": mapper, "kommune": local, "admin": admin, "leser": reader}


@pytest.fixture
def tokens(users):
    return {role: make_token(user.username) for role, user in users.items()}
