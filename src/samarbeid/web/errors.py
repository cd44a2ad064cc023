"""Clean answers where Django would otherwise give a 500 or a bare 400: a busy database, a lost
race, a request that is too large.

- **Busy** (SQLite «database is locked» after the busy timeout of ``settings.DATABASES``;
  PostgreSQL lock timeouts, deadlocks and serialization failures): ``503 Service Unavailable`` with
  ``Retry-After``. The write ran in a transaction that never began or was rolled back, so nothing
  is saved; the request can simply be sent again. A session that could not be saved for the same
  reason (Django makes it ``SessionInterrupted``, a 400) too.
- **Lost race** (a unique constraint hit because someone else saved the same thing a moment
  earlier, e.g. two new arrangements given the same next id): ``409 Conflict``.
- **Too large** (Django's ``DATA_UPLOAD_MAX_MEMORY_SIZE`` / ``DATA_UPLOAD_MAX_NUMBER_FIELDS``):
  ``413`` / ``400`` with the limit in words.

Pages get the answer in the site's own shell (templates ``503.html``, ``409.html``, ``413.html``);
addresses under ``/api/`` get the API's error shape ``{"detail": "…"}``. The same classification
serves the middleware (errors raised by views), the 400 and 500 handlers (errors raised by other
middleware, e.g. when the session is saved) and the API's exception handler (DRF views).
"""

from __future__ import annotations

import sys
from collections.abc import Callable

from django.conf import settings
from django.contrib.sessions.exceptions import SessionInterrupted
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.db import IntegrityError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader
from django.utils.translation import gettext as _
from django.views import defaults

BUSY = "busy"
CONFLICT = "conflict"
#: Seconds a client should wait before sending a refused write again.
RETRY_AFTER_S = 5

#: PostgreSQL: serialization_failure, deadlock_detected, lock_not_available, query_canceled
#: (statement_timeout / lock_timeout).
_PG_BUSY = {"40001", "40P01", "55P03", "57014"}
_PG_UNIQUE = "23505"
_SQLITE_BUSY = ("database is locked", "database table is locked", "database schema is locked")


def _sqlstate(exc: BaseException) -> str | None:
    cause = exc.__cause__
    return getattr(cause, "sqlstate", None) or getattr(cause, "pgcode", None)


def contention(exc: BaseException | None) -> str | None:
    """:data:`BUSY`, :data:`CONFLICT` or None (not a matter of two writers at once)."""
    if isinstance(exc, OperationalError):
        text = str(exc).lower()
        if any(marker in text for marker in _SQLITE_BUSY) or _sqlstate(exc) in _PG_BUSY:
            return BUSY
    if isinstance(exc, IntegrityError) and (
        "unique constraint failed" in str(exc).lower() or _sqlstate(exc) == _PG_UNIQUE
    ):
        return CONFLICT
    return None


def json_error(detail: str, status: int) -> JsonResponse:
    """The API's error shape, as the API's renderer writes it (UTF-8, æøå as themselves)."""
    return JsonResponse(
        {"detail": detail},
        status=status,
        content_type="application/json; charset=utf-8",
        json_dumps_params={"ensure_ascii": False},
    )


def contention_behind(exc: BaseException | None) -> str | None:
    """:func:`contention` of ``exc`` or of an error it was raised while handling: Django turns a
    session that could not be saved (the database was locked) into ``SessionInterrupted``."""
    seen = 0
    while exc is not None and seen < 10:
        kind = contention(exc)
        if kind:
            return kind
        exc = exc.__cause__ or exc.__context__
        seen += 1
    return None


def is_api(request: HttpRequest) -> bool:
    return request.path_info.startswith("/api/")


def busy_message() -> str:
    return _(
        "Registeret er opptatt med en annen endring akkurat nå, og endringen din ble ikke "
        "lagret. Prøv igjen om %(seconds)s sekunder."
    ) % {"seconds": RETRY_AFTER_S}


def conflict_message() -> str:
    return _(
        "Noen andre lagret det samme i samme øyeblikk, og endringen din ble ikke lagret. Les "
        "det som er lagret nå, og prøv igjen."
    )


def too_large_message() -> str:
    return _("Forespørselen er for stor: høyst %(size)s kan sendes (filer lastes opp for seg).") % {
        "size": _size(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
    }


def too_many_fields_message() -> str:
    return _("Forespørselen har for mange felt: høyst %(n)s.") % {
        "n": settings.DATA_UPLOAD_MAX_NUMBER_FIELDS
    }


def _size(n: int | None) -> str:
    if n is None:
        return "—"
    if n >= 1024 * 1024:
        return f"{n / 1048576:g} MB"
    return f"{n / 1024:g} kB"


def _page(request: HttpRequest, template: str, status: int, message: str) -> HttpResponse:
    html = loader.render_to_string(template, {"message": message}, request)
    return HttpResponse(html, status=status)


def answer(request: HttpRequest, kind: str) -> HttpResponse:
    """The 503 or 409 for ``kind`` (see :func:`contention`), as a page or as API JSON."""
    if kind == BUSY:
        message, status, template = busy_message(), 503, "503.html"
    else:
        message, status, template = conflict_message(), 409, "409.html"
    if is_api(request):
        response: HttpResponse = json_error(message, status)
    else:
        response = _page(request, template, status, message)
    if kind == BUSY:
        response["Retry-After"] = str(RETRY_AFTER_S)
    response["Cache-Control"] = "no-store"
    return response


class ContentionMiddleware:
    """A view's busy database or lost race becomes a 503 or 409 (see the module)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        kind = contention(exception)
        return answer(request, kind) if kind else None


def nul_message(where: str) -> str:
    if where:
        return _(
            "Parameteren «%(name)s» i adressen inneholder NUL-tegnet (%%00), som ingen verdi kan "
            "inneholde. Fjern det og prøv igjen."
        ) % {"name": where}
    return _("Adressen inneholder NUL-tegnet (%00), som ingen adresse kan inneholde.")


def refuse(request: HttpRequest, where: str) -> HttpResponse:
    """The 400 for an address with NUL in it (:class:`~samarbeid.web.middleware.NulGuardMiddleware`)."""
    message = nul_message(where)
    if is_api(request):
        response: HttpResponse = json_error(message, 400)
    else:
        response = _page(request, "400.html", 400, message)
    response["Cache-Control"] = "no-store"
    return response


# --- The error handlers of the URL configuration ------------------------------------------------


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """``handler400``: a body over the size limit is a 413 that says the limit; too many fields
    says how many; a session that could not be saved because the database was busy is the 503
    it is; everything else is Django's 400 page (in the site's shell)."""
    if isinstance(exception, SessionInterrupted) and (kind := contention_behind(exception)):
        return answer(request, kind)
    if isinstance(exception, RequestDataTooBig):
        message, status = too_large_message(), 413
    elif isinstance(exception, TooManyFieldsSent):
        message, status = too_many_fields_message(), 400
    else:
        if is_api(request):
            return json_error("Ugyldig forespørsel.", 400)
        return defaults.bad_request(request, exception)
    if is_api(request):
        return json_error(message, status)
    return _page(request, "413.html" if status == 413 else "400.html", status, message)


def server_error(request: HttpRequest) -> HttpResponse:
    """``handler500``: a busy database or lost race raised outside a view (by a middleware, e.g.
    while saving the session) still gets its 503/409; anything else is the plain 500 page."""
    kind = contention_behind(sys.exc_info()[1])
    if kind:
        return answer(request, kind)
    if is_api(request):
        return json_error("Intern feil.", 500)
    return defaults.server_error(request)
