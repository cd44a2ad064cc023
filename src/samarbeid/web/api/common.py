"""What every API view shares: JSON only, token authentication, pagination and one error shape.

Everything is set on the views themselves (no ``REST_FRAMEWORK`` settings), so the API's policy is
read in one place and cannot be changed by accident from the project settings.

Errors are always ``{"detail": "…"}``; validation errors add ``"feil"``: a list of
``{"felt": …, "melding": …}`` (``felt`` is a query parameter, a body field or a mapping-file
column; null when the error is about the request as a whole). Bodies are read by
:class:`.parsers.SafeJSONParser` (size, depth, duplicate keys, NaN: 400/413); a busy database is
503 with ``Retry-After`` and a lost race 409 (:mod:`samarbeid.web.errors`).
"""

from __future__ import annotations

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework.views import exception_handler as drf_exception_handler

from samarbeid.web import errors

from .auth import TokenOrBearerAuthentication
from .parsers import SafeJSONParser

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 500


class Pagination(PageNumberPagination):
    """``?page=N&page_size=M`` (M at most 500); answers ``count``, ``next``, ``previous``,
    ``results``. A page past the end is 404."""

    page_size = DEFAULT_PAGE_SIZE
    page_size_query_param = "page_size"
    page_size_query_description = (
        f"Antall per side (standard {DEFAULT_PAGE_SIZE}, høyst {MAX_PAGE_SIZE})."
    )
    page_query_description = "Sidenummer (fra 1)."
    max_page_size = MAX_PAGE_SIZE

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            parameter["schema"]["minimum"] = 1
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"]["maximum"] = MAX_PAGE_SIZE
        return parameters


class JsonOnly(BaseContentNegotiation):
    """Always JSON, whatever the Accept header says: no browsable HTML, nothing to negotiate."""

    def select_parser(self, request, parsers):
        for parser in parsers:
            if parser.media_type == (request.content_type or "").split(";")[0].strip():
                return parser
        return None

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


class UnicodeJSONRenderer(JSONRenderer):
    """Plain UTF-8 (æøå as themselves), compact."""

    ensure_ascii = False
    charset = "utf-8"


# --- Errors -------------------------------------------------------------------------------------


class ErrorItemSerializer(serializers.Serializer):
    felt = serializers.CharField(
        allow_null=True, help_text="Parameteren, feltet eller kolonnen det gjelder; null: hele"
    )
    melding = serializers.CharField()


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text="Hva som gikk galt")
    feil = ErrorItemSerializer(many=True, required=False, help_text="Feil per felt")


def _flatten(detail, field: str | None = None) -> list[dict]:
    """DRF's nested validation errors as a flat list of ``{"felt", "melding"}``."""
    if isinstance(detail, dict):
        out: list[dict] = []
        for key, value in detail.items():
            name = None if key in ("non_field_errors", "__all__") else str(key)
            if isinstance(key, int) or (name or "").isdigit():
                name = f"{field}[{key}]"
            elif field and name is not None:
                name = f"{field}.{name}"
            out.extend(_flatten(value, name if name is not None else field))
        return out
    if isinstance(detail, list):
        out = []
        for index, value in enumerate(detail):
            if isinstance(value, dict | list) and field is not None:
                out.extend(_flatten(value, f"{field}[{index}]"))
            else:
                out.extend(_flatten(value, field))
        return out
    return [{"felt": field, "melding": str(detail)}]


def exception_handler(exc, context):
    kind = errors.contention(exc)
    if kind is not None:  # nothing was saved; the client may send the request again
        status_code = 503 if kind == errors.BUSY else 409
        message = errors.busy_message() if kind == errors.BUSY else errors.conflict_message()
        headers = {"Retry-After": str(errors.RETRY_AFTER_S)} if kind == errors.BUSY else {}
        return Response({"detail": message}, status=status_code, headers=headers)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    data = response.data
    if getattr(exc, "body", None) is not None:  # refusals that say more (see .writes)
        response.data = exc.body
    elif isinstance(exc, exceptions.ValidationError):
        response.data = {"detail": "Ugyldig forespørsel.", "feil": _flatten(data)}
    elif isinstance(data, dict) and "detail" in data:
        response.data = {**data, "detail": str(data["detail"])}
    else:
        response.data = {"detail": str(data)}
    return response


class ParameterError(exceptions.ValidationError):
    """A bad query parameter: 400 with the parameter named in ``feil``."""

    def __init__(self, parameter: str, message: str) -> None:
        super().__init__({parameter: [message]})


# --- Base view ----------------------------------------------------------------------------------


class ApiPolicy:
    """The API's policy; put first among a view's bases so it wins over DRF's defaults."""

    renderer_classes = [UnicodeJSONRenderer]
    parser_classes = [SafeJSONParser]
    content_negotiation_class = JsonOnly
    authentication_classes = [TokenOrBearerAuthentication]
    permission_classes = [AllowAny]
    throttle_classes: list = []
    filter_backends: list = []
    pagination_class = Pagination
    schema = AutoSchema()

    def get_exception_handler(self):
        return exception_handler


class ApiView(ApiPolicy, APIView):
    pass


def error(description: str) -> OpenApiResponse:
    return OpenApiResponse(ErrorSerializer, description=description)


#: Responses every operation can give.
COMMON_ERRORS = {
    status.HTTP_401_UNAUTHORIZED: error("Ugyldig token (bare når Authorization er sendt)"),
}
NOT_FOUND = {status.HTTP_404_NOT_FOUND: error("Finnes ikke")}
BAD_REQUEST = {status.HTTP_400_BAD_REQUEST: error("Ugyldig parameter")}
LIST_ERRORS = {
    **COMMON_ERRORS,
    status.HTTP_404_NOT_FOUND: error("Finnes ikke, eller siden er forbi slutten"),
}


def document(**kwargs):
    """``extend_schema`` for a view method, with drf-spectacular's schema class whatever
    ``REST_FRAMEWORK["DEFAULT_SCHEMA_CLASS"]`` says (the project sets no DRF settings)."""

    def decorator(method):
        method.schema = AutoSchema
        return extend_schema(**kwargs)(method)

    return decorator
