"""``/api/kartlegginger/{id}/eksport.{csv,xlsx,json}``: the mapping as ``samarbeid export``
writes it, as a download."""

from __future__ import annotations

import tempfile
from pathlib import Path

from django.http import HttpResponse
from django.utils.http import content_disposition_header
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse
from rest_framework import exceptions, status

from samarbeid.core.cells import CellRefused
from samarbeid.intake.exporter import export_mapping
from samarbeid.registry.models import Mapping

from ..common import COMMON_ERRORS, NOT_FOUND, ApiView, document, error
from ..serializers import exports as s
from .shared import MAPPING_ID, _mapping

EXPORT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json; charset=utf-8",
}


class ExportRefused(exceptions.APIException):
    """409: the mapping holds a value the format cannot hold as it is (an xlsx cell has room for
    32 767 characters and no control characters); the other formats can."""

    status_code = status.HTTP_409_CONFLICT
    default_code = "export_refused"


def export_response(mapping: Mapping, fmt: str) -> HttpResponse:
    """The mapping as ``samarbeid export`` writes it, as a download."""
    with tempfile.TemporaryDirectory(prefix="samarbeid-eksport-") as folder:
        try:
            out = export_mapping(mapping, fmt, Path(folder) / f"eksport.{fmt}")
        except CellRefused as refused:
            raise ExportRefused(refused.message()) from None
        content = out.read_bytes()
    response = HttpResponse(content, content_type=EXPORT_TYPES[fmt])
    stem = mapping.name.lower().replace(" ", "-").replace("/", "-").replace("\\", "-")
    response["Content-Disposition"] = content_disposition_header(True, f"{stem}.{fmt}")
    return response


def _export_view(fmt: str, body) -> type[ApiView]:
    class ExportView(ApiView):
        @document(
            summary=f"Kartleggingen som {fmt}-fil",
            description="Nøyaktig det `samarbeid export --format "
            f"{fmt}` skriver: en kartleggingsfil som kan importeres tilbake uten tap.",
            parameters=[MAPPING_ID],
            responses={
                (200, EXPORT_TYPES[fmt].split(";")[0]): OpenApiResponse(body),
                **COMMON_ERRORS,
                **NOT_FOUND,
                **(
                    {
                        status.HTTP_409_CONFLICT: error(
                            "En verdi får ikke plass i en xlsx-celle (over 32 767 tegn eller "
                            "et kontrolltegn); bruk csv eller json"
                        )
                    }
                    if fmt == "xlsx"
                    else {}
                ),
            },
        )
        def get(self, request, id: int):
            return export_response(_mapping(id, request.user), fmt)

    ExportView.__name__ = ExportView.__qualname__ = f"Export{fmt.capitalize()}View"
    return ExportView


ExportCsvView = _export_view("csv", OpenApiTypes.BINARY)
ExportXlsxView = _export_view("xlsx", OpenApiTypes.BINARY)
ExportJsonView = _export_view("json", s.EXPORT_JSON_SCHEMA)
