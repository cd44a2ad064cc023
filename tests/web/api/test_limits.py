"""Request bodies from outside: too large, too deep, duplicate keys, NaN, endless numbers, NUL,
not UTF-8, values of the wrong type — each a 400 (or 413) in the API's error shape naming the
field where there is one; never a 500. Forms get 413/400 pages that say the limit."""

from __future__ import annotations

import io
import json

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from samarbeid.registry import permissions
from samarbeid.registry.models import Arrangement, ChangeRecord
from samarbeid.web.api import parsers
from tests.small import small_mapping
from tests.web.api.conftest import make_token

pytestmark = pytest.mark.django_db


@pytest.fixture
def writer(settings):
    mapping = small_mapping()
    user = get_user_model().objects.create_user("kari", password="x")
    permissions.grant(user, "kartlegger", mapping=mapping)
    client = Client(HTTP_AUTHORIZATION=f"Token {make_token('kari')}")
    a1 = Arrangement.objects.get(mapping=mapping, ref="A1")
    return {
        "client": client,
        "url": f"/api/kartlegginger/{mapping.pk}/ordninger/A1/",
        "version": a1.version,
    }


def _send(writer, body: bytes | str, method: str = "patch"):
    before = (ChangeRecord.objects.count(), Arrangement.objects.get(ref="A1").version)
    response = getattr(writer["client"], method)(
        writer["url"], body, content_type="application/json"
    )
    after = (ChangeRecord.objects.count(), Arrangement.objects.get(ref="A1").version)
    if response.status_code >= 400:
        assert after == before, "a refused request changed the database"
    return response, json.loads(response.content)


def _nested(depth: int) -> str:
    return '{"merknader": ' + "[" * depth + "]" * depth + "}"


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (_nested(60_000), "nøstet dypere enn 32 nivåer"),
        (_nested(40), "nøstet dypere enn 32 nivåer"),
        ('{"navn": "a", "navn": "b"}', "nøkkelen «navn» står to ganger"),
        ('{"arsverk": NaN}', "«NaN» er ikke et tall"),
        ('{"arsverk": Infinity}', "«Infinity» er ikke et tall"),
        ('{"arsverk": 1e309}', "tallet 1e309 er for stort til å regne med"),
        ('{"budsjett": ' + "9" * 5000 + "}", "et tall med 5000 tegn"),
        ('{"navn": "a"', "linje 1"),
        ("", None),  # an empty body is no body: the serializer's own 400/428
    ],
)
def test_bodies_json_does_not_allow_are_400(writer, body: str, expected: str | None) -> None:
    response, data = _send(writer, body)
    assert 400 <= response.status_code < 500, data
    assert isinstance(data["detail"], str)
    if expected:
        assert response.status_code == 400
        assert expected in data["detail"], data
        assert data["feil"] == [{"felt": None, "melding": data["detail"]}]


def test_not_utf8_is_400(writer) -> None:
    response, data = _send(writer, b'{"navn": "\xff\xfe"}')
    assert response.status_code == 400 and "ikke UTF-8" in data["detail"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"navn": "Rådet\u0000"}, "navn"),
        ({"deltakere": [{"deltaker": "Kongsberg\u0000"}]}, "deltakere[0].deltaker"),
        ({"merknader": "\ud800 alene"}, "merknader"),
    ],
)
def test_values_no_field_can_hold_name_the_field(writer, body: dict, field: str) -> None:
    response, data = _send(writer, json.dumps(body))
    assert response.status_code == 400, data
    assert data["feil"][0]["felt"] == field


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"navn": {"tekst": "Rådet"}}, "navn"),
        ({"navn": ["Rådet"]}, "navn"),
        ({"deltakere": "Kongsberg; Flesberg"}, "deltakere"),
        ({"deltakere": ["Kongsberg"]}, "deltakere[0]"),
        ({"deltakere": [{"deltaker": {"navn": "Kongsberg"}}]}, "deltakere[0].deltaker"),
        ({"versjon": [1]}, "versjon"),
        ({"versjon": 10**30}, "versjon"),
        ({"endringskilde": {"kilde": "x"}}, "endringskilde"),
        ({"vertskommune": {"status": ["kommune"]}}, "vertskommune"),
        ({"oppgaveomrader": [[1, 2]]}, "oppgaveomrader"),
    ],
)
def test_a_value_of_the_wrong_type_is_400_naming_the_field(writer, body, field) -> None:
    body = {"endringskilde": "Test", "versjon": writer["version"], **body}
    response, data = _send(writer, json.dumps(body))
    assert response.status_code == 400, data
    assert field in [item["felt"] for item in data["feil"]], data


def test_a_top_level_list_or_scalar_is_400(writer) -> None:
    for body in ("[]", "[1, 2]", '"tekst"', "17", "null"):
        response, data = _send(writer, body)
        assert response.status_code in (400, 428), (body, data)


def test_a_body_over_the_limit_is_413(writer, settings) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    body = json.dumps({"merknader": "x" * 20_000, "endringskilde": "Test", "versjon": 1})
    response, data = _send(writer, body)
    assert response.status_code == 413
    assert "høyst 9 kB" in data["detail"]


def test_the_reader_stops_at_the_limit_without_a_length() -> None:
    stream = io.BytesIO(b"[" + b"1," * 10_000 + b"1]")
    with pytest.raises(parsers.BodyRefused) as refused:
        parsers._read(stream, 1000)
    assert refused.value.status_code == 413
    assert stream.tell() <= 1001  # stopped reading just past the limit


# --- Forms --------------------------------------------------------------------------------------


def test_a_form_body_over_the_limit_is_413_with_the_limit(db, settings) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    response = Client().post(reverse("web:login"), {"username": "x" * 20_000, "password": "y"})
    assert response.status_code == 413
    html = response.content.decode()
    assert "høyst 9.765625 kB" in html or "høyst 9" in html
    assert 'class="site-header"' in html


def test_too_many_form_fields_is_400_with_the_limit(db, settings) -> None:
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 10
    response = Client().post(reverse("web:login"), {f"f{i}": "x" for i in range(50)})
    assert response.status_code == 400
    assert "høyst 10" in response.content.decode()


def test_an_api_body_over_django_s_limit_through_a_form_type_is_413_json(writer, settings) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    response = writer["client"].patch(
        writer["url"], "a=" + "x" * 20_000, content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code in (413, 415)
    assert "detail" in json.loads(response.content)


@pytest.mark.parametrize("header", ['"' + "9" * 30 + '"', '"0"', '"99999999999"'])
def test_an_impossible_if_match_is_400(writer, header: str) -> None:
    response = writer["client"].patch(
        writer["url"],
        json.dumps({"merknader": "x", "endringskilde": "Test"}),
        content_type="application/json",
        headers={"If-Match": header},
    )
    assert response.status_code == 400
    assert json.loads(response.content)["feil"][0]["felt"] == "If-Match"
