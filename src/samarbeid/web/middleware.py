"""Security headers Django 5.2 does not set itself: Content-Security-Policy and Permissions-Policy.

The pages have no inline scripts or styles and load nothing from other sites, so one fixed policy
fits every response; no nonces are needed. (Django 6.0 brings its own CSP middleware; until the
project moves to it, these few lines do the job without a dependency.)
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

CSP_DIRECTIVES = {
    "default-src": "'none'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "form-action": "'self'",
    "base-uri": "'none'",
    "frame-ancestors": "'none'",
    "object-src": "'none'",
}

PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"


def content_security_policy() -> str:
    directives = dict(CSP_DIRECTIVES)
    if getattr(settings, "HTTPS", False):
        directives["upgrade-insecure-requests"] = ""
    return "; ".join(f"{name} {value}".strip() for name, value in directives.items())


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.csp = content_security_policy()

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", self.csp)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response


class NulGuardMiddleware:
    """Refuse an address (or a form) with the NUL character (``%00``) in its path, query or fields,
    before any view:
    no value of ours can hold it, and PostgreSQL refuses it in every text comparison (a lookup
    such as ``?modell=%00`` would otherwise end in a 500). A page gets the 400 page, the API its
    JSON error; both say which parameter."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        where = _nul_in(request)
        if where is None:
            return self.get_response(request)
        from samarbeid.web.errors import refuse

        return refuse(request, where)


def _nul_in(request: HttpRequest) -> str | None:
    """The name of the parameter holding NUL (``""`` for the path), or ``None``."""
    if "\x00" in request.path_info:
        return ""
    sources = [request.GET]
    # A form's fields too (a choice looked up in the database); not multipart: the upload views
    # read their files with their own limits.
    if request.method == "POST" and request.content_type == "application/x-www-form-urlencoded":
        sources.append(request.POST)
    for source in sources:
        for key, values in source.lists():
            if "\x00" in key or any("\x00" in value for value in values):
                return key.replace("\x00", "\\0")[:40]
    return None
