"""``/api/utbredelse/``: adoption as of a date (the ``samarbeid utbredelse --format json``
table), the solutions, one municipality's standing, and status reports. Reading is public;
reporting needs a token and the right to report for every status's municipality, and records all
or nothing, checked by the status file's rules (:mod:`samarbeid.adoption.statusfile`)."""

from __future__ import annotations

import datetime as dt
import difflib

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, PolymorphicProxySerializer, extend_schema_view
from rest_framework import exceptions, status
from rest_framework.permissions import IsAuthenticatedOrReadOnly
from rest_framework.response import Response

from samarbeid.portfolio.api.common import language
from samarbeid.portfolio.api.views.bodies import PlainListView
from samarbeid.reference.gazetteer import load_gazetteer
from samarbeid.web.api.common import (
    BAD_REQUEST,
    COMMON_ERRORS,
    LIST_ERRORS,
    NOT_FOUND,
    ApiView,
    ParameterError,
    document,
    error,
)

from .. import progress, services
from ..models import Solution
from ..statusfile.importer import Outcome, record
from ..statusfile.validate import check_status, parse_day
from ..views.upload import NO_ACCESS, may_report
from . import data
from . import serializers as out

DAY = OpenApiParameter(
    "dato",
    {"type": "string", "format": "date"},
    description="Datoen tallene gjelder (ÅÅÅÅ-MM-DD; standard i dag; fra 2000-01-01, ikke fram "
    "i tid)",
)
PER = OpenApiParameter(
    "per",
    {"type": "string", "enum": list(progress.GROUPINGS)},
    description="Per fylke, samarbeidsorgan eller region av en kartlegging",
)
SOLUTION = OpenApiParameter(
    "losning",
    {"type": "array", "items": {"type": "string"}},
    explode=True,
    description="Bare disse løsningene (navnet; store og små bokstaver spiller ingen rolle); "
    "kan gjentas",
)
SOLUTION_ID = OpenApiParameter(
    "id", {"type": "integer"}, OpenApiParameter.PATH, description="Løsningens id"
)
NUMBER = OpenApiParameter(
    "nummer",
    {"type": "string", "pattern": "^[0-9]{4}$"},
    OpenApiParameter.PATH,
    description="Kommunenummeret på datoen",
)
REPORT_ERRORS = {
    status.HTTP_400_BAD_REQUEST: out.AdoptionStatusRejectedSerializer,
    status.HTTP_401_UNAUTHORIZED: error("Mangler eller ugyldig token"),
    status.HTTP_403_FORBIDDEN: out.AdoptionStatusRejectedSerializer,
    status.HTTP_413_REQUEST_ENTITY_TOO_LARGE: error("Innholdet er større enn 2,5 MB"),
    status.HTTP_415_UNSUPPORTED_MEDIA_TYPE: error("Innholdet er ikke application/json"),
    status.HTTP_503_SERVICE_UNAVAILABLE: error(
        "Databasen er opptatt; ingenting er lagret, prøv igjen etter Retry-After sekunder"
    ),
}


def _day(request) -> dt.date:
    text = request.query_params.get("dato", "").strip()
    today = timezone.localdate()
    if not text:
        return today
    day = parse_day(text) if len(text) <= 30 else None
    if day is None or not services.EARLIEST <= day <= today:
        raise ParameterError(
            "dato",
            _("«%(value)s» er ikke en dato fra %(earliest)s til i dag. Skriv ÅÅÅÅ-MM-DD.")
            % {"value": text[:30], "earliest": services.EARLIEST.isoformat()},
        )
    return day


def _per(request) -> str | None:
    text = request.query_params.get("per", "").strip()
    if not text:
        return None
    if text not in progress.GROUPINGS:
        raise ParameterError(
            "per",
            _("Ukjent gruppering «%(value)s». Forventet en av: %(expected)s.")
            % {"value": text[:50], "expected": ", ".join(progress.GROUPINGS)},
        )
    return text


def _solutions(request) -> list[Solution] | None:
    names = [n.strip() for n in request.query_params.getlist("losning") if n.strip()]
    if not names:
        return None
    known = {s.name.casefold(): s for s in Solution.objects.all()}
    chosen = []
    for name in names:
        found = known.get(name.casefold())
        if found is None:
            close = difflib.get_close_matches(name.casefold(), list(known), n=1, cutoff=0.6)
            hint = (_(" Forslag: %(name)s.") % {"name": known[close[0]].name}) if close else ""
            raise ParameterError(
                "losning", _("Ukjent løsning «%(value)s».") % {"value": name[:200]} + hint
            )
        if found not in chosen:
            chosen.append(found)
    return chosen


class AdoptionTableView(ApiView):
    @document(
        summary="Utbredelsen av fellesløsningene",
        description="Det samme som `samarbeid utbredelse --format json`: per løsning rapportert "
        "tall (KS) ved siden av tellingen fra registreringene, tilgjengeliggjort, i bruk, "
        "ambisjon og andel, og kommunene bak hvert tall; nasjonalt, eller per fylke, organ eller "
        "region. «Per dato»: statusen hver kommune hadde den dagen (en sammenslått kommune "
        "arver statusen etter stedsnavnregisteret).",
        parameters=[DAY, PER, SOLUTION],
        responses={200: out.AdoptionTableSerializer, **BAD_REQUEST, **COMMON_ERRORS},
    )
    def get(self, request):
        day, per, solutions = _day(request), _per(request), _solutions(request)
        return Response(progress.adoption_table(day, solutions, per))


@extend_schema_view(
    get=document(
        summary="Fellesløsninger",
        description="Alle løsningene i registeret etter navn.",
        responses={200: out.AdoptionSolutionItemSerializer(many=True), **LIST_ERRORS},
    )
)
class SolutionListView(PlainListView):
    serializer_class = out.AdoptionSolutionItemSerializer

    def rows(self) -> list[dict]:
        return [data.solution_item(self.request, s) for s in Solution.objects.order_by("name")]


class SolutionDetailView(ApiView):
    @document(
        summary="Én fellesløsning",
        description="Løsningen, tiltakene i porteføljene, tallene andre har rapportert, og "
        "utbredelsen nasjonalt på datoen.",
        parameters=[SOLUTION_ID, DAY],
        responses={
            200: out.AdoptionSolutionSerializer,
            **BAD_REQUEST,
            **COMMON_ERRORS,
            **NOT_FOUND,
        },
    )
    def get(self, request, id: int):
        solution = Solution.objects.filter(pk=id).first()
        if solution is None:
            raise Http404(_("Fant ingen løsning med nummer %(id)s.") % {"id": id})
        return Response(data.solution_detail(request, solution, _day(request)))


class MunicipalityView(ApiView):
    @document(
        summary="Én kommunes status per løsning",
        description="Kommunen med nummeret på datoen: statusen per løsning (egen, eller arvet "
        "gjennom en sammenslåing) og kommunens registreringer til og med datoen.",
        parameters=[NUMBER, DAY],
        responses={
            200: out.AdoptionMunicipalitySerializer,
            **BAD_REQUEST,
            **COMMON_ERRORS,
            **NOT_FOUND,
        },
    )
    def get(self, request, nummer: str):
        day = _day(request)
        period = None
        if len(nummer) == 4 and nummer.isascii() and nummer.isdigit():
            period = load_gazetteer().by_number(nummer, day)
        if period is None:
            raise Http404(
                _("Ingen kommune hadde nummeret %(number)s på %(day)s.")
                % {"number": nummer[:20], "day": day.isoformat()}
            )
        return Response(data.municipality_detail(period, day))


class Refused(exceptions.APIException):
    """400 or 403 with the problems, each at its field and index."""

    def __init__(self, problems: list[dict], status_code: int = status.HTTP_400_BAD_REQUEST):
        texts = "; ".join(p["melding"] for p in problems[:20])
        message = _("Ingenting ble lagret: %(problems)s") % {"problems": texts}
        super().__init__(message)
        self.status_code = status_code
        self.body = {"detail": message, "feil": problems}


class StatusView(ApiView):
    permission_classes = [IsAuthenticatedOrReadOnly]

    @document(
        summary="Meld status",
        description="Én status (et objekt) eller flere (en liste), med statusfilens felt: "
        "kommunenummer, kommune (valgfritt), losning, status, dato, kilde, merknad (valgfritt). "
        "Kontrollert med de samme reglene som statusfilen; alt eller ingenting. 403 når brukeren "
        "ikke kan melde for en av kommunene. Å melde statusen kommunen allerede har, registrerer "
        "ingenting (200); ellers 201.",
        request=PolymorphicProxySerializer(
            "AdoptionStatusReport",
            serializers=[out.AdoptionStatusInputSerializer, out.AdoptionStatusInputSerializer(many=True)],
            resource_type_field_name=None,
            many=False,
        ),
        responses={200: out.AdoptionStatusResultSerializer, 201: out.AdoptionStatusResultSerializer,
                   **REPORT_ERRORS},
    )  # fmt: skip
    def post(self, request):
        if not may_report(request.user):
            raise Refused([data.problem(_(NO_ACCESS), code="forbidden")], status.HTTP_403_FORBIDDEN)
        book, problems = data.status_table(request.data)
        if book is None:
            raise Refused(problems)
        check = check_status(book, user=request.user, template_rows=False)
        lang = language()
        forbidden = [f for f in check.errors if f.code == "status_forbidden"]
        if forbidden:
            raise Refused(
                [data.finding_problem(f, lang) for f in forbidden], status.HTTP_403_FORBIDDEN
            )
        if check.errors:
            raise Refused([data.finding_problem(f, lang) for f in check.errors])
        outcome = Outcome(check)
        try:
            outcome.written = record(check, request.user)
        except services.EditForbidden as refused:
            raise Refused([data.problem(refused.message, code="forbidden")], 403) from None
        answer = {
            "rader": outcome.rows,
            "nye": outcome.written,
            "uendret": outcome.rows - outcome.written,
            "melding": outcome.summary(lang),
        }
        return Response(answer, status=status.HTTP_201_CREATED if outcome.written else 200)
