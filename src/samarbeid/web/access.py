"""Which mapping a request may read (``registry.view_mapping``: :mod:`samarbeid.registry.rules`).

A draft is answered with 404 for everyone without a role for it, as if it did not exist: the
public pages, the API, the downloads, the verification pages and the reports never show that it is
there — not even its name in the breadcrumbs of a 403 page.

Two layers say so. :class:`DraftGuardMiddleware` asks before any view runs, for every route whose
URL names a mapping (``mapping_id``; ``id`` under ``/api/``), so a new route is covered without a
line of its own; and the views fetch their mapping with :func:`mapping_or_404` as before.
"""

from __future__ import annotations

from collections.abc import Callable

import rules
from django.contrib.auth.models import AnonymousUser
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from rest_framework.exceptions import AuthenticationFailed

from samarbeid.registry.models import Mapping

#: URL parameters that name a mapping: everywhere, and (only) in the API's namespace.
MAPPING_KWARG = "mapping_id"
API_MAPPING_KWARG = "id"
API_NAMESPACE = "api"


def may_read(user, mapping: Mapping | None) -> bool:
    return mapping is not None and rules.has_perm("registry.view_mapping", user, mapping)


def not_found_message(mapping_id: object) -> str:
    return _("Fant ingen kartlegging med nummer %(id)s.") % {"id": mapping_id}


def mapping_or_404(user, mapping_id: int) -> Mapping:
    """The mapping with this id if ``user`` may read it, else :class:`Http404`."""
    mapping = Mapping.objects.filter(pk=mapping_id).first()
    if not may_read(user, mapping):
        raise Http404(not_found_message(mapping_id))
    return mapping


def mapping_id_of(namespace: str, kwargs: dict) -> object | None:
    """The mapping id a route's URL parameters name, or None when the route names none."""
    if MAPPING_KWARG in kwargs:
        return kwargs[MAPPING_KWARG]
    if namespace == API_NAMESPACE and API_MAPPING_KWARG in kwargs:
        return kwargs[API_MAPPING_KWARG]
    return None


def _api_user(request: HttpRequest):
    """Who the API will take the caller to be: the API knows only its tokens (no session). An
    invalid token is the view's to answer (401); None then."""
    from samarbeid.web.api.auth import TokenOrBearerAuthentication

    try:
        found = TokenOrBearerAuthentication().authenticate(request)
    except AuthenticationFailed:
        return None
    return found[0] if found else AnonymousUser()


class DraftGuardMiddleware:
    """404 before the view runs for any route that names a mapping the user may not read."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs):
        match = request.resolver_match
        namespace = match.namespace if match is not None else ""
        mapping_id = mapping_id_of(namespace, view_kwargs)
        if mapping_id is None:
            return None
        if namespace == API_NAMESPACE:
            user = _api_user(request)
            if user is None:
                return None
        else:
            user = request.user
        if may_read(user, Mapping.objects.filter(pk=mapping_id).first()):
            return None
        if namespace == API_NAMESPACE:
            from samarbeid.web.errors import json_error

            return json_error(not_found_message(mapping_id), 404)
        raise Http404(not_found_message(mapping_id))
