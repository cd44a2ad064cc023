"""The views of the API. Reading fetches through :mod:`samarbeid.web.queries` (the rules of the
public pages: filters, counting, unknown values), exports through the intake's exporter, and
writing goes through :mod:`samarbeid.registry.editing` (see :mod:`.writes`); no rules here."""

from __future__ import annotations

import datetime as dt
import re
import tempfile
from pathlib import Path

import rules
from django.http import Http404, HttpResponse, HttpResponsePermanentRedirect
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.utils.http import content_disposition_header
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema_view,
    inline_serializer,
)
from rest_framework import exceptions, generics, serializers, status
from rest_framework.permissions import IsAuthenticatedOrReadOnly
from rest_framework.response import Response

from samarbeid.core.cells import CellRefused
from samarbeid.intake.exporter import export_mapping
from samarbeid.reference.gazetteer import load_gazetteer
from samarbeid.reference.vocab import LEGAL_FORMS, SECTORS, STATUSES
from samarbeid.registry import editing
from samarbeid.registry.models import Arrangement, Mapping, MappingMunicipality
from samarbeid.web import derived, places, queries
from samarbeid.web.forms import ArrangementFilterForm

from . import serializers as s
from . import writes
from .common import (
    BAD_REQUEST,
    COMMON_ERRORS,
    LIST_ERRORS,
    NOT_FOUND,
    ApiPolicy,
    ApiView,
    ParameterError,
    document,
    error,
)

MAPPING_ID = OpenApiParameter(
    "id", OpenApiTypes.INT, OpenApiParameter.PATH, description="Kartleggingens id"
)
REF = OpenApiParameter(
    "ref", OpenApiTypes.STR, OpenApiParameter.PATH, description="Ordningens id i filen"
)
NUMBER = OpenApiParameter(
    "nummer",
    {"type": "string", "pattern": "^[0-9]{4}$"},
    OpenApiParameter.PATH,
    description="Kommunenummer (fire sifre)",
)
FOUR_DIGITS = re.compile(r"[0-9]{4}")
DATE = OpenApiParameter(
    "dato", OpenApiTypes.DATE, description="Dagen det gjelder (ÅÅÅÅ-MM-DD); standard: i dag"
)


def _mapping(mapping_id: int, user) -> Mapping:
    """The mapping if the caller may read it (a draft needs a role for it), else 404."""
    mapping = Mapping.objects.filter(pk=mapping_id).first()
    if mapping is None or not rules.has_perm("registry.view_mapping", user, mapping):
        raise Http404(f"Fant ingen kartlegging med nummer {mapping_id}.")
    return mapping


def _not_found(message: str):
    raise Http404(message)


# --- Root ---------------------------------------------------------------------------------------


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


# --- Mappings -----------------------------------------------------------------------------------


@extend_schema_view(
    get=document(
        summary="Kartlegginger",
        description="Alle kartlegginger, nyeste først.",
        responses={200: s.MappingSerializer(many=True), **LIST_ERRORS},
    )
)
class MappingListView(ApiPolicy, generics.ListAPIView):
    serializer_class = s.MappingSerializer

    def get_queryset(self):
        return queries.mappings_overview(self.request.user)


class MappingDetailView(ApiView):
    @document(
        summary="Én kartlegging",
        parameters=[MAPPING_ID],
        responses={200: s.MappingDetailSerializer, **COMMON_ERRORS, **NOT_FOUND},
    )
    def get(self, request, id: int):
        mapping = _mapping(id, request.user)
        figures = queries.key_figures(mapping)
        mapping.figures = figures
        mapping.n_total, mapping.n_counted, mapping.n_scope = (
            figures.total,
            figures.counted,
            figures.scope,
        )
        mapping.scope_entries = list(
            MappingMunicipality.objects.filter(mapping=mapping)
            .select_related("period", "region")
            .order_by("position", "period__name")
        )
        return Response(s.MappingDetailSerializer(mapping, context={"request": request}).data)


# --- Arrangements -------------------------------------------------------------------------------

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


# --- Municipalities in a mapping ----------------------------------------------------------------


@extend_schema_view(
    get=document(
        summary="Kommunene i en kartlegging",
        description="Kommunene i omfanget med antall ordninger som telles, vertskap og ordninger "
        "der en annen kommune er vert; flest ordninger først.",
        parameters=[MAPPING_ID],
        responses={200: s.SummaryRowSerializer(many=True), **LIST_ERRORS},
    )
)
class MappingMunicipalityListView(ApiPolicy, generics.ListAPIView):
    serializer_class = s.SummaryRowSerializer

    def get_queryset(self):
        self.mapping = _mapping(self.kwargs["id"], self.request.user)
        return derived.summary(self.mapping).rows

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "mapping": self.mapping}


class MappingMunicipalityDetailView(ApiView):
    @document(
        summary="Én kommune i en kartlegging",
        description="Ordningene kommunen deltar i (med de andre deltakerne), de den er vertskommune "
        "for og de der en annen kommune er vert. Kommuner utenfor omfanget som deltar i eller er "
        "vert for en ordning, finnes også.",
        parameters=[MAPPING_ID, NUMBER],
        responses={200: s.MunicipalityOverviewSerializer, **COMMON_ERRORS, **NOT_FOUND},
    )
    def get(self, request, id: int, nummer: str):
        mapping = _mapping(id, request.user)
        period = places.municipality_in_mapping(mapping, nummer)
        if period is None:
            _not_found(f"Kommune {nummer} er ikke med i kartleggingen.")
        overview = places.municipality_overview(mapping, period)
        return Response(
            s.MunicipalityOverviewSerializer(overview, context={"request": request}).data
        )


# --- Exports ------------------------------------------------------------------------------------

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


# --- Reference municipalities -------------------------------------------------------------------


def _date(request) -> dt.date:
    text = request.query_params.get("dato", "").strip()
    if not text:
        return timezone.localdate()
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ParameterError("dato", f"«{text}» er ikke en dato (ÅÅÅÅ-MM-DD).") from None


@extend_schema_view(
    get=document(
        summary="Kommuner en dag",
        description="Alle kommuner som var gyldige den dagen (referansedataene), etter nummer.",
        parameters=[
            DATE,
            OpenApiParameter(
                "fylke",
                {"type": "string", "pattern": "^[0-9]{2}$"},
                description="Bare kommuner i fylket med dette nummeret",
            ),
        ],
        responses={200: s.ReferenceMunicipalitySerializer(many=True), **BAD_REQUEST, **LIST_ERRORS},
    )
)
class ReferenceMunicipalityListView(ApiPolicy, generics.ListAPIView):
    serializer_class = s.ReferenceMunicipalitySerializer

    def get_queryset(self):
        day = _date(self.request)
        county = self.request.query_params.get("fylke", "").strip()
        periods = load_gazetteer().valid_at(day)
        return [p for p in periods if not county or p.county.number == county]


class ReferenceMunicipalityDetailView(ApiView):
    @document(
        summary="Én kommune en dag, med historikk",
        description="Kommunen som hadde nummeret den dagen, dens numre og navn over tid, alle "
        "kommuner som har hatt nummeret, og endringene (nytt nummer, navn, sammenslåing, deling).",
        parameters=[NUMBER, DATE],
        responses={
            200: s.ReferenceMunicipalityDetailSerializer,
            **BAD_REQUEST,
            **COMMON_ERRORS,
            **NOT_FOUND,
        },
    )
    def get(self, request, nummer: str):
        day = _date(request)
        gazetteer = load_gazetteer()
        valid = FOUR_DIGITS.fullmatch(nummer) is not None
        period = gazetteer.by_number(nummer, day) if valid else None
        if period is None:
            known = gazetteer.number_history(nummer) if valid else []
            if not known:
                _not_found(f"Ingen kommune har hatt nummeret {nummer}.")
            spans = ", ".join(f"{p.name} {_span(p.valid_from, p.valid_to)}" for p in known)
            _not_found(f"Kommunenummer {nummer} var ikke i bruk {day.isoformat()} ({spans}).")
        entity_periods = gazetteer.entity_periods(period.entity)
        changes = []
        for each in entity_periods:
            for change in gazetteer.changes_of(each):
                if change not in changes:
                    changes.append(change)
        changes.sort(key=lambda c: (c.date, c.before.number, c.after.number))
        entry = {
            "number": period.number,
            "name": period.name,
            "name_official": period.name_official,
            "county": period.county,
            "valid_from": period.valid_from,
            "valid_to": period.valid_to,
            "entity_periods": entity_periods,
            "number_periods": gazetteer.number_history(nummer),
            "changes": changes,
        }
        serializer = s.ReferenceMunicipalityDetailSerializer(entry, context={"request": request})
        return Response(serializer.data)


def _span(start: dt.date | None, end: dt.date | None) -> str:
    return f"{start.isoformat() if start else '…'}–{end.isoformat() if end else ''}"
