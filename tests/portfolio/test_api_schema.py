"""The portfolio's operations in the OpenAPI description are true of the running API
(schemathesis), set up as the registry API's own test (tests/web/api/test_openapi.py).

Schemathesis reads ``/api/openapi.json`` from the Django application itself (WSGI, no server) and
sends generated requests to every portfolio operation (``/api/organer/…``, ``/api/avtaler/``):
valid ones (positive) and ones that break the description (negative). Every answer must be no
server error, have a documented status code and content type, and match the documented schema.
Half the cases point their path parameters at objects that exist, so the 200 answers are checked
and not just the 404s; the writes run with the secretariat's token.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode

from samarbeid.portfolio.models import (
    ActionPlan,
    Agreement,
    CooperationBody,
    FundingApplication,
    Project,
)
from samarbeid.web.api import keys
from tests.api_fuzz import CHECKS, Tally, run_operations, wsgi_openapi

from . import factories as f

pytestmark = pytest.mark.django_db

#: Examples per operation and generation mode, as in the registry API's test.
MAX_EXAMPLES = 25
#: The portfolio's part of the description.
PREFIXES = ("/api/organer/", "/api/avtaler/")
MODES = [GenerationMode.POSITIVE, GenerationMode.NEGATIVE]
#: The writes besides PATCH that need the version they build on.
VERSIONED_POSTS = ("/vedtak/", "/avslutt/")


@pytest.fixture
def world() -> dict[str, list]:
    """A body with an approved plan 2021 and a draft 2022, funding and agreements (one running
    out); the known values of the path parameters."""
    body = f.body()
    f.plan(body, 2021, approved=True)
    f.plan(body, 2022, codes=("P1", "P2", "N1"))
    row = FundingApplication.objects.create(
        body=body, year=2021, source_kind="tilskudd", grantor="Fylket", applied=100, source="S"
    )
    today = timezone.localdate()
    for title, days in (("Snart ute", 30), ("Lenge igjen", 400)):
        Agreement.objects.create(
            body=body,
            kind="samarbeidsavtale",
            title=title,
            ends=today + dt.timedelta(days=days),
            source=f.SOURCE,
        )
    numbers = [
        f.municipality(name).periods.order_by("-valid_from").first().number
        for name in ("Skien", "Porsgrunn")
    ]
    return {
        "id": [body.pk],
        "ar": [2021, 2022],
        "kode": ["P1", "P2", "N1"],
        "kommunenummer": numbers,
        "finansiering_id": [row.pk],
        "secretariat": f.secretariat(body),
    }


def _current_version(path: str, params: dict) -> int | None:
    """The version of what a versioned write changes, so the body gets past the lock."""
    body_id = params.get("id")
    if "{finansiering_id}" in path:
        return CooperationBody.objects.filter(pk=body_id).values_list("version", flat=True).first()
    if "{kode}" in path:
        projects = Project.objects.filter(body_id=body_id, code=params.get("kode"))
        return projects.values_list("version", flat=True).first()
    if "{ar}" in path:
        plans = ActionPlan.objects.filter(body_id=body_id, year=params.get("ar"))
        return plans.values_list("version", flat=True).first()
    return None


def _fuzz(operation, mode, known: dict[str, list], headers, tally: Tally, seen: set[int]) -> None:
    """Up to MAX_EXAMPLES generated requests to one operation, each response checked."""

    # The settings are tests.api_fuzz.fuzz_settings() written out: with derandomize, Hypothesis
    # seeds from this function's source, and the writes' check that every operation reached its
    # validation (a 400) holds for this seed's examples.
    @given(case=operation.as_strategy(generation_mode=mode), data=st.data())
    @settings(
        max_examples=MAX_EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def check(case, data):
        for name in case.path_parameters or {}:
            if name in known and data.draw(st.booleans(), label=f"real {name}"):
                case.path_parameters[name] = data.draw(st.sampled_from(known[name]))
        if isinstance(case.body, dict) and data.draw(st.booleans(), label="current"):
            # A source that passes, and the version now when the object has one.
            case.body["endringskilde"] = "Test"
            if case.method.upper() == "PATCH" or operation.path.endswith(VERSIONED_POSTS):
                try:
                    version = _current_version(operation.path, case.path_parameters or {})
                except (TypeError, ValueError, OverflowError):  # a generated, impossible id
                    version = None
                case.body["versjon"] = version or 1
        response = case.call(headers=headers)
        seen.add(response.status_code)
        tally.examples += 1
        case.validate_response(response, checks=CHECKS, headers=headers)

    try:
        check()
    except Unsatisfiable:
        # Nothing in the request can break the description (no parameters, no body).
        assert mode == GenerationMode.NEGATIVE and not operation.path_parameters


def _run(schema, known: dict[str, list], *, methods: set[str], headers=None) -> Tally:
    def fuzz(operation, mode, tally, seen):
        _fuzz(operation, mode, known, headers, tally, seen)

    return run_operations(schema, fuzz, methods=methods, modes=MODES, include=PREFIXES)


@pytest.fixture
def wsgi_schema(world):
    """The description as schemathesis reads it from the real WSGI application (the WSGI
    handler's closing of "old" connections is switched off, as the test client does)."""
    with wsgi_openapi() as schema:
        yield schema


def test_schemathesis_portfolio_reads(wsgi_schema, world, capsys):
    tally = _run(wsgi_schema, world, methods={"GET"})
    assert tally.operations == 7
    # The real objects were reached: every operation answered 200 at least once.
    assert all(200 in codes for codes in tally.statuses.values()), tally.statuses
    with capsys.disabled():
        print(
            f"\nschemathesis portefølje GET: {tally.operations} operasjoner, "
            f"{tally.examples} eksempler, 0 feil"
        )


def test_schemathesis_portfolio_writes(wsgi_schema, world, capsys):
    """Generated writes as the body's secretariat: refused (400/403/404/409/428) or done, never
    a 500 and always as described."""
    headers = {"Authorization": f"Token {keys.issue(world['secretariat'])}"}
    tally = _run(wsgi_schema, world, methods={"POST", "PUT", "PATCH", "DELETE"}, headers=headers)
    assert tally.operations == 12
    # The generated writes got past the token and the version check into the validation.
    assert all(400 in codes for codes in tally.statuses.values()), tally.statuses
    successes = [op for op, codes in tally.statuses.items() if codes & {200, 201}]
    with capsys.disabled():
        print(
            f"\nschemathesis portefølje skriving: {tally.operations} operasjoner, "
            f"{tally.examples} eksempler, 0 feil; lyktes minst én gang: {len(successes)}"
        )


def test_every_write_succeeds_as_described(wsgi_schema, world):
    """One valid request to each write, in the order of a year's work: each one done (2xx) and
    its answer as the description says (the generated ones above rarely get that far)."""
    headers = {"Authorization": f"Token {keys.issue(world['secretariat'])}"}
    body_id = world["id"][0]
    skien = world["kommunenummer"][0]
    source = {"endringskilde": "Test"}
    steps = [
        ("/api/organer/{id}/planer/{ar}/", "PATCH", {"ar": 2022}, {"sammendrag": "Ny", "versjon": 1}),
        ("/api/organer/{id}/planer/{ar}/prosjekter/", "POST", {"ar": 2022},
         {"kode": "N2", "tittel": "Ny", "milepael": {"tekst": "Start", "nar": "2022"}}),
        ("/api/organer/{id}/prosjekter/{kode}/", "PATCH", {"kode": "P1"},
         {"fase": "drift", "budsjett": 1000, "soker_midler": False, "versjon": 1}),
        ("/api/organer/{id}/prosjekter/{kode}/milepaeler/", "POST", {"kode": "P1"},
         {"tekst": "Pilot", "nar": "4. kvartal 2022", "handlingsplan": 2022}),
        ("/api/organer/{id}/prosjekter/{kode}/statusrapporter/", "POST", {"kode": "P1"},
         {"dato": "2022-03-01", "lys": "gul", "tekst": "Forsinket"}),
        ("/api/organer/{id}/prosjekter/{kode}/gevinster/", "POST", {"kode": "P1"},
         {"beskrivelse": "Kortere ventetid", "kommunenummer": skien, "gevinsteier": "Rådmannen"}),
        ("/api/organer/{id}/prosjekter/{kode}/deltakelse/{kommunenummer}/", "PUT",
         {"kode": "P1", "kommunenummer": skien}, {"deltar": False}),
        ("/api/organer/{id}/finansiering/", "POST", {},
         {"ar": 2022, "type": "tilskudd", "giver": "Staten", "sokt": "1 000", "prosjekt": "P1"}),
        ("/api/organer/{id}/finansiering/{finansiering_id}/", "PATCH",
         {"finansiering_id": world["finansiering_id"][0]},
         {"innvilget": 90, "vedtaksdato": "2021-05-01", "versjon": 2}),
        ("/api/organer/{id}/planer/{ar}/prosjekter/{kode}/avslutt/", "POST",
         {"ar": 2022, "kode": "P2"}, {"fase": "avsluttet", "versjon": 1}),
        ("/api/organer/{id}/planer/{ar}/neste-ar/", "POST", {"ar": 2022}, {}),
        ("/api/organer/{id}/planer/{ar}/vedtak/", "POST", {"ar": 2022},
         {"vedtatt_av": "Rådet", "vedtatt_dato": "2022-02-03", "versjon": 4}),
    ]  # fmt: skip
    for path, method, params, body in steps:
        operation = wsgi_schema[path][method]
        case = operation.Case(path_parameters={"id": body_id, **params}, body={**body, **source})
        response = case.call(headers=headers)
        assert response.status_code in (200, 201), (path, method, response.json())
        case.validate_response(response, checks=CHECKS, headers=headers)
