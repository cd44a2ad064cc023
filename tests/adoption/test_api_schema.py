"""The adoption register's operations in the OpenAPI description are true of the running API
(schemathesis), set up as the portfolio's (tests/portfolio/test_api_schema.py).

Schemathesis reads ``/api/openapi.json`` from the Django application itself (WSGI, no server) and
sends generated requests to every operation under ``/api/utbredelse/``: valid ones (positive) and
ones that break the description (negative). Every answer must be no server error, have a
documented status code and content type, and match the documented schema. Half the cases point
their path parameters at objects that exist, and half the generated status reports get a real
municipality, solution and date, so the 200 and 201 answers are checked and not only the refusals;
the reports run with a municipality editor's token.
"""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode

from samarbeid.web.api import keys
from tests.api_fuzz import CHECKS, Tally, fuzz_settings, run_operations, wsgi_openapi
from tests.portfolio import factories as pf

from . import factories as f

pytestmark = pytest.mark.django_db

#: Examples per operation and generation mode, as in the registry's and the portfolio's tests.
MAX_EXAMPLES = 25
PREFIXES = ("/api/utbredelse/",)
MODES = [GenerationMode.POSITIVE, GenerationMode.NEGATIVE]
#: What makes a generated status report one the editor may make (Skien; the dates Skien had
#: each number).
REAL = [
    {"kommunenummer": "4003", "losning": "Kjernejournal", "dato": "2024-02-01"},
    {"kommunenummer": "3807", "losning": "digihelse", "dato": "15.06.2023"},
]


@pytest.fixture
def world() -> dict[str, list]:
    """The national portfolio, a few records, a body, the editor; the known path values."""
    _portfolio, (kj, dh) = f.national()
    f.reported(kj, 215)
    skien = f.municipality("Skien")
    f.record(kj, skien, "i_bruk", dt.date(2023, 3, 1))
    pf.body("Grenlandsrådet", members=("Skien", "Porsgrunn"))
    return {"id": [kj.pk, dh.pk], "nummer": ["4003", "3806", "0301"], "editor": f.editor()}


def _real(data, item: object) -> object:
    if isinstance(item, dict) and data.draw(st.booleans(), label="real"):
        item.update(data.draw(st.sampled_from(REAL)))
        item["kilde"] = "Test"
        item["status"] = data.draw(st.sampled_from(["i_bruk", "Stoppet", "tilgjengeliggjort"]))
        item.pop("kommune", None)
    return item


def _fuzz(operation, mode, known: dict[str, list], headers, tally: Tally, seen: set[int]) -> None:
    @given(case=operation.as_strategy(generation_mode=mode), data=st.data())
    @fuzz_settings(MAX_EXAMPLES)
    def check(case, data):
        for name in case.path_parameters or {}:
            if name in known and data.draw(st.booleans(), label=f"real {name}"):
                case.path_parameters[name] = data.draw(st.sampled_from(known[name]))
        if isinstance(case.body, list):
            case.body = [_real(data, item) for item in case.body]
        else:
            _real(data, case.body)
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


def test_schemathesis_adoption_reads(wsgi_schema, world, capsys):
    tally = _run(wsgi_schema, world, methods={"GET"})
    assert tally.operations == 4
    # The real objects were reached: every operation answered 200 at least once.
    assert all(200 in codes for codes in tally.statuses.values()), tally.statuses
    with capsys.disabled():
        print(
            f"\nschemathesis utbredelse GET: {tally.operations} operasjoner, "
            f"{tally.examples} eksempler, 0 feil"
        )


def test_schemathesis_adoption_reports(wsgi_schema, world, capsys):
    """Generated status reports as a municipality editor: refused (400/403) or recorded
    (200/201), never a 500 and always as described."""
    headers = {"Authorization": f"Token {keys.issue(world['editor'])}"}
    tally = _run(wsgi_schema, world, methods={"POST", "PUT", "PATCH", "DELETE"}, headers=headers)
    assert tally.operations == 1
    [codes] = tally.statuses.values()
    assert 400 in codes and codes & {200, 201}, tally.statuses
    with capsys.disabled():
        print(
            f"\nschemathesis utbredelse skriving: {tally.operations} operasjon, "
            f"{tally.examples} eksempler, 0 feil; svar: {sorted(codes)}"
        )


def test_a_report_succeeds_as_described(wsgi_schema, world):
    headers = {"Authorization": f"Token {keys.issue(world['editor'])}"}
    operation = wsgi_schema["/api/utbredelse/status/"]["POST"]
    body = [{**REAL[0], "status": "stoppet", "kilde": "Test", "merknad": None}]
    for expected in (201, 200):
        case = operation.Case(body=body)
        response = case.call(headers=headers)
        assert response.status_code == expected, response.json()
        case.validate_response(response, checks=CHECKS, headers=headers)
