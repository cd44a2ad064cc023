"""The cost-sharing API (/api/kostnadsdeling/): the models, one model with its versions, a
calculation (the same data as every output), and writing a model with the registry API's
conventions — 400 with the problems per field (also without a reason), 401 without a token, 403
with the reason, 409 on a stale version with who saved it, 428 without a version — and nothing
written on any refusal; the OpenAPI description is true of every answer (schemathesis)."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode

from samarbeid.finance.document import calculation_data
from samarbeid.finance.models import FeeModel, FeeModelVersion
from samarbeid.finance.services import calculate
from samarbeid.web.api import keys
from tests.api_fuzz import CHECKS, fuzz_settings, run_operations, wsgi_openapi
from tests.portfolio import factories as pf

from .factories import DIGIVESTLAND_LIKE, SPLIT_30_70, TELEMARK, fee_model

pytestmark = pytest.mark.django_db

MODELS = "/api/kostnadsdeling/modeller/"
CALCULATION = "/api/kostnadsdeling/beregning/"


class Api:
    """Django's test client speaking JSON, with a token when given one."""

    def __init__(self, user=None) -> None:
        self.client = Client()
        self.headers = {"Authorization": f"Token {keys.issue(user)}"} if user is not None else {}

    def get(self, url, params=None):
        return self.client.get(url, params or {}, headers=self.headers)

    def send(self, method: str, url: str, body=None, *, raw: str | None = None, **headers):
        data = raw if raw is not None else ("" if body is None else json.dumps(body))
        call = getattr(self.client, method)
        return call(url, data, content_type="application/json", headers={**self.headers, **headers})


@pytest.fixture
def world():
    body = pf.body("Testrådet", members=("Skien", "Porsgrunn"))
    other = pf.body("Annet råd", members=("Bamble",))
    model = fee_model(SPLIT_30_70, body=body, slug="delt")
    return {
        "body": body,
        "other": other,
        "model": model,
        "sec": pf.secretariat(body),
        "other_sec": pf.secretariat(other, "annen"),
        "nobody": pf.user("utenrolle"),
    }


def _counts() -> tuple[int, int]:
    return FeeModel.objects.count(), FeeModelVersion.objects.count()


def _fields(answer) -> dict[str, str]:
    return {p["felt"]: p["melding"] for p in answer.json()["feil"]}


def _new(body=None, **changes) -> dict:
    data = {
        **DIGIVESTLAND_LIKE,
        "navn": "Ny modell",
        "begrunnelse": "Styremøte 3.2.2025",
        "slug": "ny-modell",
        "organ": body.pk if body is not None else None,
        "medlemmer": list(TELEMARK),
        "antakelse": "Fire Telemark-kommuner",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


# --- reading ------------------------------------------------------------------------------------


def test_the_root_links_the_models():
    data = Api().get("/api/").json()
    assert data["kostnadsdeling"] == "http://testserver" + MODELS


def test_the_list_and_one_model(world):
    fee_model(slug="uten-organ")
    listed = Api().get(MODELS).json()
    assert listed["count"] == 2
    item = next(r for r in listed["results"] if r["slug"] == "delt")
    assert item == {
        "slug": "delt",
        "navn": "30/70",
        "organ": "Testrådet",
        "organ_id": world["body"].pk,
        "versjon": 1,
        "endret": item["endret"],
        "endret_av": "test",
        "medlemsliste_antatt": False,
        "url": "http://testserver/api/kostnadsdeling/modeller/delt/",
        "side": "http://testserver/kostnadsdeling/delt/",
        "beregning": "http://testserver/api/kostnadsdeling/beregning/?modell=delt",
    }
    answer = Api().get(MODELS + "uten-organ/")
    assert answer.status_code == 200 and answer["ETag"] == '"1"'
    one = answer.json()
    assert one["modell"]["deler"] == [
        {"type": "fast", "belop": 100000},
        {"type": "per_innbygger", "belop": 20},
    ]
    assert one["antatte_medlemmer"] == list(TELEMARK) and one["antakelse"] == "Testmedlemmer"
    assert [(v["versjon"], v["begrunnelse"]) for v in one["versjoner"]] == [(1, "Testdata")]
    missing = Api().get(MODELS + "finnes-ikke/")
    assert missing.status_code == 404
    assert missing.json() == {"detail": "Ingen kostnadsmodell har det korte navnet «finnes-ikke»."}


def test_a_calculation_is_the_data_of_every_output(world):
    fee_model(slug="fast")
    answer = Api().get(CALCULATION, {"modell": ["fast", "delt"], "aar": "2025", "til_aar": "2027"})
    assert answer.status_code == 200
    data = answer.json()
    expected = calculation_data(
        calculate([FeeModel.objects.get(slug=s) for s in ("fast", "delt")], 2025, 2027)
    )
    assert data == json.loads(json.dumps(expected))
    assert data["sum"]["fast"] == 1_230_167  # 500 000 + 397 786 + 332 381 (Skien exempt)
    assert [y["aar"] for y in data["framskriving"][0]["aar"]] == [2025, 2026, 2027]


@pytest.mark.parametrize(
    ("params", "felt", "message"),
    [
        ({}, "modell", "Velg minst én modell"),
        ({"modell": "ukjent"}, "modell", "Ukjent modell «ukjent»"),
        ({"modell": "delt", "aar": "i fjor"}, "aar", "«i fjor» er ikke et årstall"),
        (
            {"modell": "delt", "aar": "2019"},
            "aar",
            "Registeret har ikke folketall for budsjettåret 2019",
        ),
        ({"modell": "delt", "aar": "2024", "til_aar": "2060"}, "til_aar", "fra 2024 til 2054"),
        ({"modell": "delt", "vekst": "x"}, "vekst", "«x» er ikke en vekst vi kan bruke"),
    ],
)
def test_a_calculation_with_bad_parameters_is_a_400(world, params, felt, message):
    answer = Api().get(CALCULATION, params)
    assert answer.status_code == 400
    problems = _fields(answer)
    assert message in problems[felt], problems


def test_a_calculation_that_cannot_be_made_says_why(world):
    too_dear = {**SPLIT_30_70, "deler": [{"type": "fast", "belop": 400000}, *SPLIT_30_70["deler"]]}
    fee_model(too_dear, slug="for-dyr")
    answer = Api().get(CALCULATION, {"modell": "for-dyr", "aar": "2025"})
    assert answer.status_code == 400
    assert "mer enn budsjettet på 1\u00a0000\u00a0000 kr" in _fields(answer)[None]


# --- writing ------------------------------------------------------------------------------------


def test_making_a_model(world):
    before = _counts()
    answer = Api(world["sec"]).send("post", MODELS, _new(world["body"]))
    assert answer.status_code == 201, answer.json()
    assert answer["Location"] == "http://testserver/api/kostnadsdeling/modeller/ny-modell/"
    assert answer["ETag"] == '"1"'
    data = answer.json()
    assert data["organ"] == "Testrådet" and data["versjon"] == 1
    assert data["antatte_medlemmer"] == list(TELEMARK)
    assert data["versjoner"][0]["begrunnelse"] == "Styremøte 3.2.2025"
    assert _counts() == (before[0] + 1, before[1] + 1)


def test_writing_needs_a_token_and_the_right(world):
    before = _counts()
    assert Api().send("post", MODELS, _new(world["body"])).status_code == 401
    assert Api().send("put", MODELS + "delt/", _new(versjon=1)).status_code == 401
    refused = Api(world["nobody"]).send("post", MODELS, _new(world["body"]))
    assert refused.status_code == 403
    assert "sekretariatet" in refused.json()["detail"]
    # Another body's secretariat: not for this body, and not this body's model.
    assert Api(world["other_sec"]).send("post", MODELS, _new(world["body"])).status_code == 403
    put = Api(world["other_sec"]).send(
        "put", MODELS + "delt/", {**SPLIT_30_70, "begrunnelse": "x", "versjon": 1}
    )
    assert put.status_code == 403
    assert _counts() == before


@pytest.mark.parametrize(
    ("changes", "felt", "message"),
    [
        ({"begrunnelse": None}, "begrunnelse", "Kilden for endringen mangler"),
        ({"begrunnelse": 5}, "begrunnelse", "Skriv en tekst."),
        ({"navn": ""}, "navn", "Mangler: gi modellen et navn."),
        ({"navn": "=1+1"}, "navn", "begynner med «=»"),
        ({"prisaar": "neste år"}, "prisaar", "«neste år» er ikke et årstall."),
        (
            {
                "deler": [
                    {"type": "fast", "belop": 1},
                    {"type": "andel", "andel": "x", "fordeling": "likt"},
                ],
                "budsjett": 10,
            },
            "deler[2].andel",
            "«x» er ikke et tall (prosent).",
        ),
        ({"tak": -1}, "tak", "Må være større enn 0."),
        (
            {"fritak": [{"kommunenummer": "12"}]},
            "fritak[1].kommunenummer",
            "«12» er ikke et kommunenummer",
        ),
        ({"ukjent": 1}, "ukjent", "Ukjent felt"),
        ({"slug": "sammenlign"}, "slug", "en av sidenes egne adresser"),
        ({"slug": "delt"}, "slug", "«delt» er allerede i bruk."),
        ({"organ": 999999}, "organ", "Fant ikke noe samarbeidsorgan med id 999999."),
        ({"organ": "Testrådet"}, "organ", "Oppgi organets id"),
        ({"organ": None}, "organ", "Oppgi organet modellen gjelder"),
        ({"medlemmer": ["4003", "99"]}, "medlemmer", "Ikke kommunenummer: 99."),
        ({"medlemmer": "4003"}, "medlemmer", "Medlemmene er en liste"),
        ({"antakelse": ""}, "antakelse", "Skriv hva som er antatt"),
    ],
)
def test_a_bad_model_is_a_400_per_field_and_nothing_is_saved(world, changes, felt, message):
    before = _counts()
    body = _new(world["body"])
    body.update(changes)
    body = {k: v for k, v in body.items() if v is not None}
    answer = Api(world["sec"]).send("post", MODELS, body)
    assert answer.status_code == 400, answer.json()
    problems = _fields(answer)
    assert message in problems.get(felt, ""), problems
    assert answer.json()["detail"].startswith("Endringen ble ikke lagret:")
    assert _counts() == before


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("[1, 2]", "Send et JSON-objekt."),
        ('{"navn": "a", "navn": "b"}', "Innholdet er ikke gyldig JSON"),
        ("{nei}", "Innholdet er ikke gyldig JSON"),
    ],
)
def test_a_body_that_is_not_an_object_is_a_400(world, raw, message):
    before = _counts()
    answer = Api(world["sec"]).send("post", MODELS, raw=raw)
    assert answer.status_code == 400
    assert message in json.dumps(answer.json(), ensure_ascii=False)
    assert _counts() == before


def test_a_new_version(world):
    api = Api(world["sec"])
    url = MODELS + "delt/"
    body = {**SPLIT_30_70, "budsjett": 1200000, "begrunnelse": "Budsjett 2026"}
    assert api.send("put", url, body).status_code == 428
    answer = api.send("put", url, body, **{"If-Match": '"1"'})
    assert answer.status_code == 200, answer.json()
    assert answer["ETag"] == '"2"'
    assert answer.json()["modell"]["budsjett"] == 1200000
    stale = api.send("put", url, {**body, "versjon": 1})
    assert stale.status_code == 409
    clash = stale.json()
    assert clash["versjon"] == 2 and clash["endret_av"] == "sekretar" and clash["slettet"] is False
    assert "«30/70» ble endret av sekretar" in clash["detail"]
    # The assumed member list is replaced only when it is sent.
    answer = api.send(
        "put", url, {**body, "versjon": 2, "medlemmer": ["4003", "4001"], "antakelse": "To"}
    )
    assert answer.status_code == 200
    assert answer.json()["antatte_medlemmer"] == ["4003", "4001"]
    answer = api.send("put", url, {**body, "versjon": 3})
    assert (
        answer.json()["antatte_medlemmer"] == ["4003", "4001"]
        and answer.json()["antakelse"] == "To"
    )
    refused = api.send("put", url, {**body, "versjon": 4, "slug": "nytt"})
    assert refused.status_code == 400 and "slug" in _fields(refused)
    assert FeeModel.objects.get(slug="delt").version == 4


# --- the description ------------------------------------------------------------------------------

MAX_EXAMPLES = 20
PREFIX = "/api/kostnadsdeling/"
#: Query values the calculation can answer with 200 (half the generated cases use them).
REAL_QUERIES = [
    {"modell": ["delt"], "aar": 2025},
    {"modell": ["delt", "fast"], "aar": 2025, "til_aar": 2027},
    {"modell": ["fast"], "aar": 2026, "til_aar": 2030, "vekst": "0,5"},
]


@pytest.fixture
def wsgi_schema():
    with wsgi_openapi() as schema:
        yield schema


def _fuzz(operation, mode, headers, seen: set[int]) -> None:
    @given(case=operation.as_strategy(generation_mode=mode), data=st.data())
    @fuzz_settings(MAX_EXAMPLES)
    def check(case, data):
        if "slug" in (case.path_parameters or {}) and data.draw(st.booleans(), label="real slug"):
            case.path_parameters["slug"] = data.draw(st.sampled_from(["delt", "fast"]))
        if operation.path.endswith("beregning/") and data.draw(st.booleans(), label="real query"):
            case.query = dict(data.draw(st.sampled_from(REAL_QUERIES)))
        if isinstance(case.body, dict) and data.draw(st.booleans(), label="real body"):
            case.body = {**SPLIT_30_70, "begrunnelse": "Test", "versjon": 1}
        response = case.call(headers=headers)
        seen.add(response.status_code)
        case.validate_response(response, checks=CHECKS, headers=headers)

    try:
        check()
    except Unsatisfiable:
        assert mode == GenerationMode.NEGATIVE


def test_schemathesis_every_answer_is_as_described(wsgi_schema, world):
    fee_model(slug="fast")
    headers = {"Authorization": f"Token {keys.issue(world['sec'])}"}

    def fuzz(operation, mode, _tally, seen):
        _fuzz(operation, mode, headers, seen)

    tally = run_operations(wsgi_schema, fuzz, include=(PREFIX,))
    assert tally.operations == 5
    reads = {k: v for k, v in tally.statuses.items() if k.startswith("GET")}
    assert all(200 in codes for codes in reads.values()), tally.statuses
    assert 400 in tally.statuses["POST /api/kostnadsdeling/modeller/"]


def test_the_description_generates_without_warnings():
    from drf_spectacular.drainage import GENERATOR_STATS

    from samarbeid.web.api.schema import openapi_document

    openapi_document.cache_clear()
    GENERATOR_STATS.reset()
    with GENERATOR_STATS.silence():
        doc = openapi_document()
    assert not GENERATOR_STATS, [*GENERATOR_STATS._warn_cache, *GENERATOR_STATS._error_cache]
    paths = {p for p in doc["paths"] if p.startswith(PREFIX)}
    assert paths == {PREFIX + "modeller/", PREFIX + "modeller/{slug}/", PREFIX + "beregning/"}
    assert set(doc["paths"][PREFIX + "modeller/{slug}/"]) == {"get", "put"}
