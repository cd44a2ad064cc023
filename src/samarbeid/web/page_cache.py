"""A cache of public responses, for readers who are not signed in.

Public pages and API reads are read far more often than the registry changes. A response is kept
under its full URL and the registry's *generation* — the newest change record, import run and
mapping update — so any edit, import, restore or accepted proposal makes every cached page stale at
once, in every server process (the generation is read from the database on each request, one small
query). Only anonymous GET/HEAD requests (no session cookie, no Authorization header) are served
from it, and only 200 responses that set no cookie and used no CSRF token are stored.
``SAMARBEID_PAGE_CACHE=0`` turns it off.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.http import HttpRequest, HttpResponse

TIMEOUT_S = 600
GENERATION_SQL = (
    "SELECT (SELECT MAX(id) FROM registry_changerecord), (SELECT MAX(id) FROM intake_importrun), "
    "(SELECT MAX(updated) FROM registry_mapping), (SELECT COUNT(*) FROM registry_mapping)"
)


def generation() -> str:
    """Changes whenever registry data that a public page shows may have changed."""
    with connection.cursor() as cursor:
        cursor.execute(GENERATION_SQL)
        return "|".join(str(v) for v in cursor.fetchone())


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
        if not getattr(settings, "PAGE_CACHE", False) or not _anonymous(request):
            return self.get_response(request)
        cache = caches["pages"]
        raw = "\n".join(
            (
                generation(),
                request.method,
                request.get_full_path(),
                request.headers.get("Accept", ""),
                request.headers.get("Accept-Language", ""),
            )
        )
        key = "side:" + hashlib.sha256(raw.encode()).hexdigest()
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
        ):
            cache.set(key, response, TIMEOUT_S)
        return response
