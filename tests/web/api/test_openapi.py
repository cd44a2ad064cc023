"""The OpenAPI description: complete, valid, and true of the running API (schemathesis).

Schemathesis reads ``/api/openapi.json`` from the Django application itself (WSGI, no server) and
sends generated requests to every GET operation, with the Buskerud 2021 example loaded: valid ones
(positive) and ones that break the description (negative). Every answer must be no server error,
have a documented status code and content type, and match the documented schema. Half the cases
point their path parameters at objects that exist, so the 200 answers are checked and not just the
404s. The write operations get the same treatment with a mapping editor's token.
"""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode

from samarbeid.registry.models import Arrangement, MappingMunicipality
from tests.api_fuzz import CHECKS, Tally, fuzz_settings, run_operations, wsgi_openapi

#: The portfolio's, the adoption register's and cost sharing's operations
#: (tests/portfolio/test_api_schema.py, tests/adoption/test_api_schema.py and
#: tests/finance/test_api.py run schemathesis over them).
PORTFOLIO = ("/api/organer/", "/api/avtaler/", "/api/utbredelse/", "/api/kostnadsdeling/")
#: Examples per operation and generation mode: enough to find a 500 or a schema slip, bounded so
#: the whole run stays well under a minute.
MAX_EXAMPLES = 25


# --- The description itself ---------------------------------------------------------------------


@pytest.mark.django_db
def test_openapi_description_is_served_and_complete(api):
    response = api.get("/api/openapi.json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    doc = json.loads(response.content)
    assert doc["openapi"].startswith("3.")
    assert {p for p in doc["paths"] if not p.startswith(PORTFOLIO)} == {
        "/api/",
        "/api/kartlegginger/",
        "/api/kartlegginger/{id}/",
        "/api/kartlegginger/{id}/ordninger/",
        "/api/kartlegginger/{id}/ordninger/{ref}/",
        "/api/kartlegginger/{id}/kommuner/",
        "/api/kartlegginger/{id}/kommuner/{nummer}/",
        "/api/kartlegginger/{id}/eksport.csv",
        "/api/kartlegginger/{id}/eksport.xlsx",
        "/api/kartlegginger/{id}/eksport.json",
        "/api/kommuner/",
        "/api/kommuner/{nummer}/",
    }
    writes = doc["paths"]["/api/kartlegginger/{id}/ordninger/{ref}/"]
    assert set(writes) == {"get", "put", "patch", "delete"}
    assert "post" in doc["paths"]["/api/kartlegginger/{id}/ordninger/"]
    for path, operations in doc["paths"].items():
        for method, operation in operations.items():
            responses = operation["responses"]
            success = [code for code in responses if code.startswith("2")]
            assert success, (path, method)
            for code, answer in responses.items():
                if code == "204":
                    continue
                assert answer.get("content"), (path, method, code)  # every answer has a schema
            assert "401" in responses, (path, method)
            if "{" in path:
                assert "404" in responses, (path, method)
    schemes = doc["components"]["securitySchemes"]
    assert set(schemes) == {"tokenAuth", "bearerAuth"}


def test_description_generates_without_warnings():
    """drf-spectacular warns when it has to guess (a type, a name); the description guesses
    nothing."""
    from drf_spectacular.drainage import GENERATOR_STATS

    from samarbeid.web.api.schema import openapi_document

    openapi_document.cache_clear()
    GENERATOR_STATS.reset()
    with GENERATOR_STATS.silence():
        openapi_document()
    assert not GENERATOR_STATS, [*GENERATOR_STATS._warn_cache, *GENERATOR_STATS._error_cache]


# --- Schemathesis --------------------------------------------------------------------------------


def _known_values(mapping) -> dict[str, list]:
    refs = list(
        Arrangement.objects.filter(mapping=mapping)
        .order_by("position")
        .values_list("ref", flat=True)
    )
    scope = list(
        MappingMunicipality.objects.filter(mapping=mapping).values_list("period__number", flat=True)
    )
    return {"id": [mapping.pk], "ref": refs[:40], "nummer": [*scope, "0301", "3301"]}


def _fuzz(operation, mode, known: dict[str, list], headers, tally: Tally, seen: set[int]) -> None:
    """Up to MAX_EXAMPLES generated requests to one operation, each response checked."""

    @given(case=operation.as_strategy(generation_mode=mode), data=st.data())
    @fuzz_settings(MAX_EXAMPLES)
    def check(case, data):
        for name in case.path_parameters or {}:
            if name in known and data.draw(st.booleans(), label=f"real {name}"):
                case.path_parameters[name] = data.draw(st.sampled_from(known[name]))
        if isinstance(case.body, dict) and data.draw(st.booleans(), label="current"):
            # A version and a source that pass, so the body reaches the validation.
            case.body.update(versjon=1, endringskilde="Test")
        response = case.call(headers=headers)
        seen.add(response.status_code)
        tally.examples += 1
        case.validate_response(response, checks=CHECKS, headers=headers)

    try:
        check()
    except Unsatisfiable:
        # Nothing in the request can break the description (no parameters, no body).
        assert mode == GenerationMode.NEGATIVE and not operation.path_parameters


def _run(schema, known: dict[str, list], *, methods: set[str], modes, headers=None) -> Tally:
    def fuzz(operation, mode, tally, seen):
        _fuzz(operation, mode, known, headers, tally, seen)

    return run_operations(schema, fuzz, methods=methods, modes=modes, exclude=PORTFOLIO)


@pytest.fixture
def wsgi_schema(loaded_example):
    """The description as schemathesis reads it from the real WSGI application.

    The WSGI handler closes "old" database connections at the start and end of each request;
    inside a test's transaction that would close the test's own connection (on PostgreSQL). The
    test client switches this off the same way.
    """
    with wsgi_openapi() as schema:
        yield schema


def test_schemathesis_read_operations(wsgi_schema, loaded_example, capsys):
    tally = _run(
        wsgi_schema,
        _known_values(loaded_example),
        methods={"GET"},
        modes=[GenerationMode.POSITIVE, GenerationMode.NEGATIVE],
    )
    assert tally.operations == 12
    # The real objects were reached: every operation answered 200 at least once.
    assert all(200 in codes for codes in tally.statuses.values()), tally.statuses
    with capsys.disabled():
        print(
            f"\nschemathesis GET: {tally.operations} operasjoner, {tally.examples} eksempler, "
            "0 feil"
        )


def test_schemathesis_write_operations(wsgi_schema, loaded_example, tokens, capsys):
    """Generated writes as a mapping editor: refused (400/404/409/428) or done, never a 500 and
    always as described."""
    headers = {"Authorization": f"Token {tokens['kartlegger']}"}
    tally = _run(
        wsgi_schema,
        _known_values(loaded_example),
        methods={"POST", "PUT", "PATCH", "DELETE"},
        modes=[GenerationMode.POSITIVE, GenerationMode.NEGATIVE],
        headers=headers,
    )
    assert tally.operations == 4
    # The generated writes got past the token and the version check into the validation.
    assert all(400 in codes for codes in tally.statuses.values()), tally.statuses
    with capsys.disabled():
        print(
            f"\nschemathesis skriving: {tally.operations} operasjoner, {tally.examples} eksempler, "
            "0 feil"
        )
