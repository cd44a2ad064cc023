"""``/api/kartlegginger/{id}/ordninger/``: the arrangements of a mapping (with the web page's
filters), one arrangement, and writing them (create, replace, change, delete)."""

from __future__ import annotations

import rules
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema_view
from rest_framework import exceptions, generics, serializers, status
from rest_framework.permissions import IsAuthenticatedOrReadOnly
from rest_framework.response import Response

from samarbeid.reference.vocab import LEGAL_FORMS, SECTORS, STATUSES
from samarbeid.registry import editing
from samarbeid.registry.models import Arrangement, Mapping
from samarbeid.web import queries
from samarbeid.web.forms import ArrangementFilterForm

from .. import writes
from ..common import (
    BAD_REQUEST,
    COMMON_ERRORS,
    LIST_ERRORS,
    NOT_FOUND,
    ApiPolicy,
    ApiView,
    document,
    error,
)
from ..serializers import arrangements as s
from .shared import MAPPING_ID, REF, _mapping, _not_found

FILTER_PARAMETERS = [
    OpenApiParameter(
        "kommune",
        {"type": "string", "maxLength": 150},
        description="Ordninger en kommune i kartleggingens omfang deltar i: kommunenummer eller "
        "eksakt navn (store og små bokstaver spiller ingen rolle; «Ål» er ikke «Våler»).",
    ),
    OpenApiParameter(
        "deltaker",
        {"type": "string", "maxLength": 150},
        description="Ordninger en deltaker med nøyaktig dette navnet er med i (kommune, "
        "fylkeskommune eller annen eier, også utenfor omfanget).",
    ),
    OpenApiParameter(
        "juridisk_form",
        {"type": "string", "enum": [*LEGAL_FORMS.codes(), queries.UNKNOWN]},
        description=f"Juridisk form; «{queries.UNKNOWN}»: ikke kjent.",
    ),
    OpenApiParameter(
        "sektor",
        {"type": "string", "enum": [*SECTORS.codes(), queries.UNKNOWN]},
        description=f"Sektor; «{queries.UNKNOWN}»: ikke kjent.",
    ),
    OpenApiParameter("status", {"type": "string", "enum": STATUSES.codes()}),
    OpenApiParameter(
        "oppgaveomrade",
        {"type": "integer", "minimum": 1, "maximum": 45},
        description="Oppgaveområde (nummer)",
    ),
    OpenApiParameter(
        "q",
        {"type": "string", "maxLength": 150},
        description="Navnet eller forkortelsen inneholder teksten",
    ),
    OpenApiParameter(
        "region",
        {"type": "string", "maxLength": 150},
        description="Ordninger minst én kommune i regionen deltar i (regionens navn som i "
        "kartleggingens «kommuner»).",
    ),
    OpenApiParameter(
        "fylke",
        {"type": "string", "pattern": "^[0-9]{2}$"},
        description="Ordninger minst én kommune i fylket deltar i (fylkesnummer på "
        "kartleggingens dato).",
    ),
    OpenApiParameter(
        "niva",
        {"type": "string", "enum": list(queries.LEVELS)},
        description="Geografisk nivå etter antall deltakende kommuner (bare ordninger som telles).",
    ),
    OpenApiParameter(
        "etablert_fra",
        {"type": "integer", "minimum": 1800, "maximum": 2100},
        description="Etablert dette året eller senere (ukjent år er ikke med).",
    ),
    OpenApiParameter(
        "etablert_til",
        {"type": "integer", "minimum": 1800, "maximum": 2100},
        description="Etablert dette året eller tidligere (ukjent år er ikke med).",
    ),
]
FILTER_NAMES = [p.name for p in FILTER_PARAMETERS]


def _scope_number(mapping: Mapping, text: str) -> str | None:
    """The number of the municipality in the mapping's scope given by number or exact name (a
    number is checked by the filter form); None when no municipality in the scope has the name."""
    text = " ".join(text.split())
    if not text or text.isdigit():
        return text
    key = queries.name_key(text)
    found = {
        p.number
        for p in queries.scope_periods(mapping)
        if key in (queries.name_key(p.name), queries.name_key(p.name_official))
    }
    return found.pop() if len(found) == 1 else None


def arrangement_filters(request, mapping: Mapping) -> queries.ArrangementFilter:
    """The list's filters, checked by the web page's own filter form."""
    data = {name: request.query_params.get(name, "") for name in FILTER_NAMES}
    errors: dict[str, list[str]] = {}
    number = _scope_number(mapping, data["kommune"])
    if number is None:
        errors["kommune"] = [
            f"Ingen kommune i kartleggingens omfang heter «{' '.join(data['kommune'].split())}»."
        ]
    data["kommune"] = number or ""
    form = ArrangementFilterForm(data, mapping=mapping)
    if not form.is_valid():
        for name, messages in form.errors.items():
            errors.setdefault(name, [str(m) for m in messages])
    if errors:
        raise serializers.ValidationError(
            {name: errors[name] for name in FILTER_NAMES if name in errors}
        )
    return form.filters()


WRITE_ERRORS = {
    status.HTTP_401_UNAUTHORIZED: error("Mangler eller ugyldig token"),
    status.HTTP_403_FORBIDDEN: error("Brukeren har ikke rett til endringen (eller frosset)"),
    status.HTTP_404_NOT_FOUND: error("Finnes ikke"),
    status.HTTP_413_REQUEST_ENTITY_TOO_LARGE: error("Innholdet er større enn 2,5 MB"),
    status.HTTP_415_UNSUPPORTED_MEDIA_TYPE: error("Innholdet er ikke application/json"),
    status.HTTP_503_SERVICE_UNAVAILABLE: error(
        "Databasen er opptatt med en annen endring; ingenting er lagret, prøv igjen etter "
        "Retry-After sekunder"
    ),
}
VERSIONED_ERRORS = {
    status.HTTP_409_CONFLICT: OpenApiResponse(
        writes.ConflictSerializer, description="Noen andre har endret eller slettet ordningen"
    ),
    status.HTTP_428_PRECONDITION_REQUIRED: error("Versjonen mangler (versjon eller If-Match)"),
}
REJECTED = {
    status.HTTP_400_BAD_REQUEST: OpenApiResponse(
        writes.RejectedSerializer, description="Endringen bryter reglene for kartleggingsfilen"
    )
}
IF_MATCH = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    description="Versjonen endringen bygger på (ETag fra GET), i stedet for «versjon»",
)
SOURCE = OpenApiParameter(
    "endringskilde",
    OpenApiTypes.STR,
    description="Kilde for slettingen (kan også sendes i innholdet)",
)


def _written(request, mapping: Mapping, saved, *, created: bool) -> Response:
    """The arrangement as saved, with the intake's warnings, its ETag (and Location if new)."""
    arrangement = queries.arrangement_detail(mapping, saved.ref)
    data = s.ArrangementDetailSerializer(arrangement, context={"request": request}).data
    data["advarsler"] = [writes.problem(p) for p in getattr(saved, "edit_warnings", [])]
    headers = {"ETag": writes.etag(arrangement.version)}
    if created:
        headers["Location"] = data["url"]
    return Response(
        data, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK, headers=headers
    )


def _forbidden(message: str):
    raise exceptions.PermissionDenied(message)


@extend_schema_view(
    get=document(
        summary="Ordningene i en kartlegging",
        description="I filens rekkefølge; alle filtre må stemme.",
        parameters=[MAPPING_ID, *FILTER_PARAMETERS],
        responses={200: s.ArrangementListItemSerializer(many=True), **BAD_REQUEST, **LIST_ERRORS},
    ),
)
class ArrangementListView(ApiPolicy, generics.ListAPIView):
    serializer_class = s.ArrangementListItemSerializer
    permission_classes = [IsAuthenticatedOrReadOnly]

    def get_queryset(self):
        mapping = _mapping(self.kwargs["id"], self.request.user)
        return queries.arrangements(mapping, arrangement_filters(self.request, mapping))

    @document(
        summary="Ny ordning",
        description="Kartleggere, og kommuneredaktører for ordninger kommunen deltar i. Uten "
        "«id» får ordningen neste ledige id. Innholdet er hele ordningen: kolonner som ikke "
        "sendes, er tomme (ikke kjent).",
        parameters=[MAPPING_ID],
        request=writes.ArrangementInputSerializer,
        responses={
            201: s.ArrangementWrittenSerializer,
            **REJECTED,
            **WRITE_ERRORS,
            status.HTTP_409_CONFLICT: error("Noen andre lagret en ordning med samme id samtidig"),
        },
    )
    def post(self, request, id: int):
        mapping = _mapping(id, request.user)
        user = request.user
        if not rules.has_perm("registry.add_arrangement", user, mapping):
            _forbidden(editing.forbidden_message(user, None, mapping=mapping))
        values, memberships, meta = writes.parse(request, partial=False)
        saved = writes.call(
            editing.create_arrangement,
            mapping,
            values,
            memberships,
            user=user,
            source=meta["endringskilde"],
            channel=editing.Channel.API,
        )
        return _written(request, mapping, saved, created=True)


def _arrangement(mapping: Mapping, ref: str) -> Arrangement:
    arrangement = Arrangement.objects.select_related("mapping").filter(mapping=mapping, ref=ref)
    found = arrangement.first()
    if found is None:
        _not_found(f"Fant ingen ordning med id «{ref}».")
    return found


class ArrangementDetailView(ApiView):
    permission_classes = [IsAuthenticatedOrReadOnly]

    @document(
        summary="Én ordning",
        description="Alle feltene, med deltakere, vertskommune og kilder. ETag er versjonen.",
        parameters=[MAPPING_ID, REF],
        responses={200: s.ArrangementDetailSerializer, **COMMON_ERRORS, **NOT_FOUND},
    )
    def get(self, request, id: int, ref: str):
        arrangement = queries.arrangement_detail(_mapping(id, request.user), ref)
        if arrangement is None:
            _not_found(f"Fant ingen ordning med id «{ref}».")
        data = s.ArrangementDetailSerializer(arrangement, context={"request": request}).data
        return Response(data, headers={"ETag": writes.etag(arrangement.version)})

    def _update(self, request, id: int, ref: str, *, partial: bool) -> Response:
        mapping = _mapping(id, request.user)
        arrangement = _arrangement(mapping, ref)
        user = request.user
        if not rules.has_perm("registry.change_arrangement", user, arrangement):
            _forbidden(editing.forbidden_message(user, arrangement))
        values, memberships, meta = writes.parse(request, partial=partial)
        version = writes.expected_version(request, meta["versjon"])
        saved = writes.call(
            editing.update_arrangement,
            arrangement,
            values,
            memberships,
            user=user,
            source=meta["endringskilde"],
            expected_version=version,
            channel=editing.Channel.API,
        )
        return _written(request, mapping, saved, created=False)

    @document(
        summary="Erstatt en ordning",
        description="Innholdet er hele ordningen: kolonner som ikke sendes, blir tomme (ikke "
        "kjent), og uten «deltakere» har ordningen ingen deltakere. Id-en kan ikke endres.",
        parameters=[MAPPING_ID, REF, IF_MATCH],
        request=writes.ArrangementInputSerializer,
        responses={
            200: s.ArrangementWrittenSerializer,
            **REJECTED,
            **WRITE_ERRORS,
            **VERSIONED_ERRORS,
        },
    )
    def put(self, request, id: int, ref: str):
        return self._update(request, id, ref, partial=False)

    @document(
        summary="Endre noen felt i en ordning",
        description="Bare feltene som sendes, endres; «deltakere» erstatter hele listen.",
        parameters=[MAPPING_ID, REF, IF_MATCH],
        request=writes.ArrangementInputSerializer,
        responses={
            200: s.ArrangementWrittenSerializer,
            **REJECTED,
            **WRITE_ERRORS,
            **VERSIONED_ERRORS,
        },
    )
    def patch(self, request, id: int, ref: str):
        return self._update(request, id, ref, partial=True)

    @document(
        summary="Slett en ordning",
        description="Bare kartleggere. Historikken beholder ordningen, så den kan gjenopprettes.",
        parameters=[MAPPING_ID, REF, IF_MATCH, SOURCE],
        request=writes.DeleteInputSerializer,
        responses={
            204: OpenApiResponse(description="Slettet"),
            **REJECTED,
            **WRITE_ERRORS,
            **VERSIONED_ERRORS,
        },
    )
    def delete(self, request, id: int, ref: str):
        mapping = _mapping(id, request.user)
        arrangement = _arrangement(mapping, ref)
        user = request.user
        if not rules.has_perm("registry.delete_arrangement", user, arrangement):
            _forbidden(editing.forbidden_message(user, arrangement, deleting=True))
        body = writes.DeleteInputSerializer(data=request.data or {})
        body.is_valid(raise_exception=True)
        version = writes.expected_version(request, body.validated_data.get("versjon"))
        source = body.validated_data.get("endringskilde") or request.query_params.get(
            "endringskilde", ""
        )
        writes.call(
            editing.delete_arrangement,
            arrangement,
            user=user,
            source=source,
            expected_version=version,
            channel=editing.Channel.API,
        )
        return Response(status=status.HTTP_204_NO_CONTENT)
