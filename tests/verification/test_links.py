"""Links in the notices are built from SAMARBEID_SITE_URL when it is set: a forged Host header on
the request that opens a round cannot steer where other people's e-mails point."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from django.urls import reverse

from samarbeid.registry import permissions
from samarbeid.registry.models import Membership
from tests.small import small_mapping

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("site_url", ["https://samarbeid.example.no", ""])
def test_notice_links_ignore_the_host_header(settings, site_url: str) -> None:
    settings.SITE_URL = site_url
    mapping = small_mapping()
    User = get_user_model()
    mapper = User.objects.create_user("kari", password="x")
    permissions.grant(mapper, "kartlegger", mapping=mapping)
    kongsberg = Membership.objects.filter(municipality__name="Kongsberg").first().municipality
    editor = User.objects.create_user("kongsberg", email="post@kongsberg.example", password="x")
    permissions.grant(editor, "kommune", municipality=kongsberg.municipality)
    client = Client()
    client.force_login(mapper)
    deadline = (dt.date.today() + dt.timedelta(days=7)).isoformat()
    response = client.post(
        reverse("verification:open", args=[mapping.pk]),
        {"svarfrist": deadline},
        HTTP_HOST="localhost:1234",
    )
    assert response.status_code == 302
    [notice] = mail.outbox
    if site_url:
        assert f"{site_url}/kartlegginger/{mapping.pk}/kontrollrunder/" in notice.body
        assert "1234" not in notice.body
    else:  # without it, the request's own (allowed) address
        assert "http://localhost:1234/kartlegginger/" in notice.body
