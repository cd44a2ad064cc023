"""``/api/`` itself: the entry points, and a JSON 404 for every address the API does not have."""

from __future__ import annotations

from django.http import HttpResponsePermanentRedirect
from django.urls import Resolver404, resolve, reverse
from drf_spectacular.utils import inline_serializer
from rest_framework import serializers, status
from rest_framework.response import Response

from ..common import COMMON_ERRORS, ApiView, document
from ..serializers import fields as s

#: Entry points other apps add to the root (key -> URL name), in ``AppConfig.ready``: the web
#: API cannot import the apps built on it (the portfolio's ``organer`` and ``avtaler``).
EXTRA_LINKS: dict[str, str] = {}


def register_root_link(key: str, url_name: str) -> None:
    EXTRA_LINKS[key] = url_name


class ApiRootView(ApiView):
    @document(
        summary="Innganger til API-et",
        responses={
            200: inline_serializer(
                "ApiRot",
                {
                    "kartlegginger": serializers.URLField(),
                    "kommuner": serializers.URLField(),
                    # Added by the portfolio app when it is installed (register_root_link).
                    "organer": serializers.URLField(required=False),
                    "avtaler": serializers.URLField(required=False),
                    "utbredelse": serializers.URLField(required=False),
                    "kostnadsdeling": serializers.URLField(required=False),
                    "openapi": serializers.URLField(),
                },
            ),
            **COMMON_ERRORS,
        },
    )
    def get(self, request):
        links = {
            "kartlegginger": s.absolute(request, "kartlegginger"),
            "kommuner": s.absolute(request, "kommuner"),
        }
        for key, name in EXTRA_LINKS.items():
            links[key] = request.build_absolute_uri(reverse(name))
        links["openapi"] = s.absolute(request, "openapi")
        return Response(links)


class NotFoundView(ApiView):
    """Every other address under /api/: a JSON 404 (not the site's HTML page); a missing final
    slash is added by a redirect for GET and HEAD, like on the rest of the site."""

    schema = None  # not part of the description

    def _answer(self, request):
        with_slash = request.path + "/"
        if not request.path.endswith("/"):
            try:
                match = resolve(with_slash)
            except Resolver404:
                match = None
            if match is not None and getattr(match.func, "view_class", None) is not NotFoundView:
                if request.method in ("GET", "HEAD"):
                    query = request.META.get("QUERY_STRING", "")
                    return HttpResponsePermanentRedirect(
                        with_slash + (f"?{query}" if query else "")
                    )
                return Response(
                    {"detail": f"Finnes ikke. Adressen slutter med skråstrek: {with_slash}"},
                    status=status.HTTP_404_NOT_FOUND,
                )
        return Response({"detail": "Finnes ikke."}, status=status.HTTP_404_NOT_FOUND)

    def get(self, request, *args, **kwargs):
        return self._answer(request)

    post = put = patch = delete = options = get
