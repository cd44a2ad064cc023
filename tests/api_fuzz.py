"""What every schemathesis run over the API shares (the registry's, the portfolio's, the adoption
register's and cost sharing's): the checks each answer must pass, the settings of the generated
examples, the description read from the real WSGI application, and the tally of what answered.

Schemathesis reads ``/api/openapi.json`` from the Django application itself (no server) and sends
generated requests, valid ones (positive) and ones that break the description (negative). Every
answer must be no server error, have a documented status code, content type and headers, and match
the documented schema."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import schemathesis
from hypothesis import HealthCheck, Phase, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
#: Examples per operation and generation mode: enough to find a 500 or a schema slip, bounded so
#: each run stays well under a minute.
MAX_EXAMPLES = 25
MODES = [GenerationMode.POSITIVE, GenerationMode.NEGATIVE]


def fuzz_settings(max_examples: int = MAX_EXAMPLES) -> settings:
    """Hypothesis settings for one operation and mode: a fixed seed, no example database, no
    deadline (the first request warms the application)."""
    return settings(
        max_examples=max_examples,
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )


@contextmanager
def wsgi_openapi() -> Iterator[object]:
    """The description as schemathesis reads it from the real WSGI application (the WSGI
    handler's closing of "old" connections is switched off, as the test client does, so the
    requests see the test's transaction)."""
    from django.core import signals
    from django.db import close_old_connections

    from samarbeid.web.wsgi import application

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi("/api/openapi.json", application)
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


@dataclass
class Tally:
    """How many operations ran, how many examples, and the status codes each answered."""

    operations: int = 0
    examples: int = 0
    statuses: dict[str, set[int]] = field(default_factory=dict)


def run_operations(schema, fuzz, *, methods: set[str] | None = None, modes=MODES,
                   include: tuple[str, ...] = ("/",), exclude: tuple[str, ...] = ()) -> Tally:  # fmt: skip
    """``fuzz(operation, mode, tally, seen)`` for every operation whose path starts with one of
    ``include`` and none of ``exclude`` (and whose method is in ``methods``), once per mode;
    ``seen`` collects the status codes that operation answered."""
    tally = Tally()
    for result in schema.get_all_operations():
        operation = result.ok()
        method = operation.method.upper()
        if methods is not None and method not in methods:
            continue
        if not operation.path.startswith(include) or operation.path.startswith(exclude):
            continue
        tally.operations += 1
        seen = tally.statuses.setdefault(f"{method} {operation.path}", set())
        for mode in modes:
            fuzz(operation, mode, tally, seen)
    return tally
