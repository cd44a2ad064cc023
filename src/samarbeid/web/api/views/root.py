"""``/api/`` itself: the entry points, and a JSON 404 for every address the API does not have."""

from __future__ import annotations

from django.http import HttpResponsePermanentRedirect
from django.urls import Resolver404, resolve
from drf_spectacular.utils import inline_serializer
from rest_framework import serializers, status
from rest_framework.response import Response

from ..common import COMMON_ERRORS, ApiView, document
from ..serializers import fields as s


class ApiRootView(ApiView):
    @document(
        summary="Innganger til API-et",
        responses={
            200: inline_serializer(
                "ApiRot",
                {
                    "kartlegginger": serializers.URLField(),
                    "kommuner": serializers.URLField(),
                    "openapi": serializers.URLField(),
                },
            ),
            **COMMON_ERRORS,
        },
    )
    def get(self, request):
        return Response(
            {
                "kartlegginger": s.absolute(request, "kartlegginger"),
                "kommuner": s.absolute(request, "kommuner"),
                "openapi": s.absolute(request, "openapi"),
            }
        )


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
