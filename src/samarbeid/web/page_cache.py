"""A cache of public responses, for readers who are not signed in.

Public pages and API reads are read far more often than the registry changes. A response is kept
under its full URL and the registry's *generation* — the newest change record, import run and
mapping update — so any edit, import, restore or accepted proposal makes every cached page stale at
once, in every server process (the generation is read from the database on each request, one small
query). Only anonymous GET/HEAD requests (no session cookie, no Authorization header) are served
from it, and only 200 responses that set no cookie and used no CSRF token are stored.
``SAMARBEID_PAGE_CACHE=0`` turns it off.

The key also holds the language the page is written in: the one LocaleMiddleware (which runs after
this middleware) will choose — the language cookie set by the switch, else Accept-Language, else
bokmål — so an English reader never gets a Norwegian page from the cache, nor the other way round.
Keying by the chosen language rather than the raw header lets every bokmål reader share one copy.
The language switch itself is a POST and passes straight through. Responses say ``Vary: Cookie``
(LocaleMiddleware adds ``Accept-Language``) so that no cache in front of the site mixes languages.

The key holds everything else a page is made from, too: the scheme and the host
(``request.get_host()``, which Django has checked against ``ALLOWED_HOSTS``), because absolute URLs
(the API's ``url`` fields and page links) are built from them — without them one request with
``Host: localhost:1234`` would put that address into what every later reader gets — and the
method, the full path with its query, and ``Accept``. :func:`cache_key` is the one place that says
what varies; a new input to the pages belongs there.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language_from_request

TIMEOUT_S = 600
#: One value each that moves when data a public page shows changes. The apps above add theirs
#: with :func:`register_generation` from ``ready()`` (the portfolio: its change history), so a
#: change anywhere makes every cached page stale, whichever app made it.
GENERATION_PARTS: list[str] = [
    "SELECT MAX(id) FROM registry_changerecord",
    "SELECT MAX(id) FROM intake_importrun",
    "SELECT MAX(updated) FROM registry_mapping",
    "SELECT COUNT(*) FROM registry_mapping",
]


def register_generation(sql: str) -> None:
    """Add a subquery of one value to the generation (idempotent)."""
    if sql not in GENERATION_PARTS:
        GENERATION_PARTS.append(sql)


def generation() -> str:
    """Changes whenever data that a public page shows may have changed."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(f"({part})" for part in GENERATION_PARTS))
        return "|".join(str(v) for v in cursor.fetchone())


def cache_key(request: HttpRequest, registry_generation: str) -> str:
    """Everything a public response is made from (raises DisallowedHost, a 400, for a host not in
    ``ALLOWED_HOSTS``, before anything is looked up)."""
    parts = (
        registry_generation,
        request.scheme or "",
        request.get_host(),
        request.method or "",
        request.get_full_path(),
        request.headers.get("Accept", ""),
        get_language_from_request(request),  # what LocaleMiddleware will activate
    )
    raw = "\n".join(parts).encode("utf-8", "surrogatepass")
    return "side:" + hashlib.sha256(raw).hexdigest()


def _anonymous(request: HttpRequest) -> bool:
    return (
        request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "HTTP_AUTHORIZATION" not in request.META
    )


class PublicPageCacheMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self._response(request)
        # The language may come from the cookie (LocaleMiddleware only adds Accept-Language).
        patch_vary_headers(response, ("Cookie",))
        return response

    def _response(self, request: HttpRequest) -> HttpResponse:
        if not getattr(settings, "PAGE_CACHE", False) or not _anonymous(request):
            return self.get_response(request)
        cache = caches["pages"]
        key = cache_key(request, generation())
        cached = cache.get(key)
        if cached is not None:
            return cached
        response = self.get_response(request)
        if (
            response.status_code == 200
            and not response.streaming
            and not response.cookies
            and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
            and not request.META.get("CSRF_COOKIE")
            # Downloads (reports, exports) are kept on disk by their views; megabytes each here.
            and not response.get("Content-Disposition", "").startswith("attachment")
        ):
            cache.set(key, response, TIMEOUT_S)
        return response
