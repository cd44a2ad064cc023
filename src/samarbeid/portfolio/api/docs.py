"""The OpenAPI pieces the portfolio's operations share: path parameters and the answers a write
can give (as the arrangement API documents them)."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework import status

from samarbeid.web.api.common import error

from .serializers import outputs as out

BODY_ID = OpenApiParameter(
    "id", OpenApiTypes.INT, OpenApiParameter.PATH, description="Samarbeidsorganets id"
)
YEAR = OpenApiParameter(
    "ar",
    {"type": "integer", "minimum": 0, "maximum": 32767},
    OpenApiParameter.PATH,
    description="Handlingsplanens år",
)
CODE = OpenApiParameter(
    "kode",
    {"type": "string", "pattern": "^[^/]+$"},
    OpenApiParameter.PATH,
    description="Prosjektets kode i organet",
)
NUMBER = OpenApiParameter(
    "kommunenummer",
    {"type": "string", "pattern": "^[0-9]{4}$"},
    OpenApiParameter.PATH,
    description="Kommunenummer (fire sifre); en medlemskommune som har hatt nummeret går foran",
)
FUNDING_ID = OpenApiParameter(
    "finansiering_id",
    OpenApiTypes.INT,
    OpenApiParameter.PATH,
    description="Finansieringens id (fra listen over organets finansiering)",
)
IF_MATCH = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    description="Versjonen endringen bygger på (ETag fra GET), i stedet for «versjon»",
)

WRITE_ERRORS = {
    status.HTTP_401_UNAUTHORIZED: error("Mangler eller ugyldig token"),
    status.HTTP_403_FORBIDDEN: error(
        "Brukeren har ikke rett til endringen (f.eks. ikke sekretariatet, eller planen er vedtatt)"
    ),
    status.HTTP_404_NOT_FOUND: error("Finnes ikke (et utkast uten tilgang finnes ikke)"),
    status.HTTP_413_REQUEST_ENTITY_TOO_LARGE: error("Innholdet er større enn 2,5 MB"),
    status.HTTP_415_UNSUPPORTED_MEDIA_TYPE: error("Innholdet er ikke application/json"),
    status.HTTP_503_SERVICE_UNAVAILABLE: error(
        "Databasen er opptatt med en annen endring; ingenting er lagret, prøv igjen etter "
        "Retry-After sekunder"
    ),
}
REJECTED = {
    status.HTTP_400_BAD_REQUEST: OpenApiResponse(
        out.PortfolioRejectedSerializer,
        description="Ugyldig innhold, eller endringen bryter reglene (feil per felt; også når "
        "endringskilde mangler)",
    )
}
#: A write that adds: nothing to clash with but a simultaneous save of the same row.
ADDING_ERRORS = {
    **REJECTED,
    **WRITE_ERRORS,
    status.HTTP_409_CONFLICT: error("Noen andre lagret det samme i samme øyeblikk"),
}
#: A write to a versioned object (plan, project; funding through the body's version).
VERSIONED_ERRORS = {
    **REJECTED,
    **WRITE_ERRORS,
    status.HTTP_409_CONFLICT: OpenApiResponse(
        out.PortfolioConflictSerializer, description="Noen andre har endret det etter at du leste"
    ),
    status.HTTP_428_PRECONDITION_REQUIRED: error("Versjonen mangler (versjon eller If-Match)"),
}
