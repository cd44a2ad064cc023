"""``/api/kostnadsdeling/``: the models (read; make one; save a new version) and a calculation of
one or more of them (``samarbeid kostnad --format json``). Reading is public; writing needs a
token (401), the right to the model's body (403: its secretariat or an administrator), the reason
(``begrunnelse``) and, to change a model, the version the change builds on (428 without, 409 when
someone saved after it). A refused write saved nothing and says what is wrong field by field."""

from __future__ import annotations

from dataclasses import replace

import rules
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema_view
from rest_framework import exceptions, status
from rest_framework.permissions import IsAuthenticatedOrReadOnly
from rest_framework.response import Response

from samarbeid.portfolio.api.common import Rejected, expected_version, language
from samarbeid.portfolio.api.docs import IF_MATCH, WRITE_ERRORS
from samarbeid.portfolio.api.views.bodies import PlainListView
from samarbeid.registry import permissions
from samarbeid.web.api import writes
from samarbeid.web.api.common import (
    COMMON_ERRORS,
    LIST_ERRORS,
    NOT_FOUND,
    ApiView,
    document,
    error,
)

from .. import services
from ..document import calculation_data
from ..models import FeeModel, FeeModelVersion
from ..query import GROWTH_RANGE, MAX_MODELS, read_query
from ..services import MAX_YEARS
from . import data
from . import serializers as out

SLUG = OpenApiParameter(
    "slug",
    {"type": "string", "pattern": "^[-a-zA-Z0-9_]+$"},
    OpenApiParameter.PATH,
    description="Modellens korte navn",
)
CALCULATION_PARAMETERS = [
    OpenApiParameter(
        "modell",
        {"type": "array", "items": {"type": "string"}, "maxItems": MAX_MODELS},
        explode=True,
        required=True,
        description=f"Modellenes korte navn; den første er basis (høyst {MAX_MODELS}); gjentas",
    ),
    OpenApiParameter(
        "aar",
        {"type": "integer"},
        description="Budsjettåret (standard: i år, eller siste år med folketall); folketallet per "
        "31.12. året før må finnes",
    ),
    OpenApiParameter(
        "til_aar",
        {"type": "integer"},
        description=f"Framskriv hvert år til og med dette (høyst {MAX_YEARS} år etter aar)",
    ),
    OpenApiParameter(
        "vekst",
        {"type": "string"},
        description=f"Befolkningsvekst i prosent per år etter siste kjente folketall "
        f"({GROWTH_RANGE[0]} til {GROWTH_RANGE[1]}, f.eks. 0,5); standard: ingen vekst",
    ),
]
REJECTED = {
    status.HTTP_400_BAD_REQUEST: OpenApiResponse(
        out.FeeModelRejectedSerializer,
        description="Ugyldig innhold eller en modell som bryter reglene (feil per felt; også når "
        "begrunnelse mangler); ingenting er lagret",
    )
}
CREATE_ERRORS = {
    **REJECTED,
    **WRITE_ERRORS,
    status.HTTP_409_CONFLICT: error("Noen andre lagret det samme i samme øyeblikk"),
}
CHANGE_ERRORS = {
    **REJECTED,
    **WRITE_ERRORS,
    status.HTTP_409_CONFLICT: OpenApiResponse(
        out.FeeModelConflictSerializer, description="Noen andre har lagret en nyere versjon"
    ),
    status.HTTP_428_PRECONDITION_REQUIRED: error("Versjonen mangler (versjon eller If-Match)"),
}


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT

    def __init__(self, clash: services.ModelConflict) -> None:
        super().__init__(clash.message)
        latest = clash.latest
        current = FeeModel.objects.filter(pk=clash.model.pk).values_list("version", flat=True)
        self.body = {
            "detail": clash.message,
            "versjon": current.first(),
            "endret_av": (latest.author_name or None) if latest else None,
            "endret": latest.created_at.isoformat() if latest else None,
            "slettet": False,
        }


def _save(written: data.Written, user, **kwargs) -> FeeModel:
    """Run the service; its refusals (and the body's own problems) become HTTP errors. The
    reason the service calls ``endringskilde`` is ``begrunnelse`` here."""
    try:
        if written.problems:
            raise services.EditRejected(written.problems)
        return services.save_model(user, written.spec, written.reason, **kwargs)
    except services.EditRejected as rejected:
        problems = [
            replace(p, field="begrunnelse") if p.field == "endringskilde" else p
            for p in rejected.problems
        ]
        raise Rejected(services.EditRejected(problems, rejected.warnings)) from rejected
    except services.EditForbidden as refused:
        raise exceptions.PermissionDenied(refused.message) from refused
    except services.ModelConflict as clash:
        raise Conflict(clash) from clash


def _object(request) -> dict:
    if not isinstance(request.data, dict):
        raise exceptions.ValidationError({"non_field_errors": [_("Send et JSON-objekt.")]})
    return request.data


def _model_or_404(slug: str) -> FeeModel:
    model = FeeModel.objects.select_related("body").filter(slug=slug).first()
    if model is None:
        raise Http404(
            _("Ingen kostnadsmodell har det korte navnet «%(slug)s».") % {"slug": slug[:80]}
        )
    return model


def _answer(request, model: FeeModel, *, created: bool = False) -> Response:
    fresh = FeeModel.objects.select_related("body").get(pk=model.pk)
    body = data.model_detail(request, fresh)
    headers = {"ETag": writes.etag(fresh.version)}
    if created:
        headers["Location"] = body["url"]
    return Response(body, status=status.HTTP_201_CREATED if created else 200, headers=headers)


@extend_schema_view(
    get=document(
        summary="Kostnadsmodeller",
        description="Alle kostnadsmodellene etter navn, med organ, versjon og siste endring.",
        responses={200: out.FeeModelItemSerializer(many=True), **LIST_ERRORS},
    )
)
class FeeModelListView(PlainListView):
    serializer_class = out.FeeModelItemSerializer
    permission_classes = [IsAuthenticatedOrReadOnly]

    def rows(self) -> list[dict]:
        models = list(FeeModel.objects.select_related("body").order_by("name", "slug"))
        latest: dict[int, FeeModelVersion] = {}
        for version in FeeModelVersion.objects.filter(model__in=models).order_by(
            "model", "-number"
        ):
            latest.setdefault(version.model_id, version)
        return [data.model_item(self.request, m, latest.get(m.pk)) for m in models]

    @document(
        summary="Ny kostnadsmodell",
        description="Modellen med samme nøkler som `modell` i svaret (navn, prisaar, budsjett, "
        "deler, tak, gulv, fritak, indeksering, bruk), begrunnelsen, og eventuelt kort navn "
        "(`slug`), organ (id; påkrevd for sekretariatet) og en antatt medlemsliste. "
        "Sekretariatet for organet eller en administrator. Svaret er modellen (201).",
        request=out.FeeModelInputSerializer,
        responses={201: out.FeeModelSerializer, **CREATE_ERRORS},
    )
    def post(self, request):
        if not rules.has_perm("finance.add_model", request.user):
            raise exceptions.PermissionDenied(
                _(
                    "Bare sekretariatet til et samarbeidsorgan eller en administrator kan lage kostnadsmodeller."
                )
            )
        written = data.Written(_object(request), creating=True)
        named = {p.field for p in written.problems}
        if written.body is None and "organ" not in named and not permissions.is_admin(request.user):
            written.problems.append(data.missing_body())
        model = _save(
            written,
            request.user,
            slug=written.slug,
            body=written.body,
            assumed_members=written.members or [],
            assumption=written.assumption,
        )
        return _answer(request, model, created=True)


class FeeModelDetailView(ApiView):
    permission_classes = [IsAuthenticatedOrReadOnly]

    @document(
        summary="Én kostnadsmodell",
        description="Modellen (`modell`: samme nøkler som når den skrives), den antatte "
        "medlemslisten, oppgitte summer og alle versjonene med hvem, når og hvorfor. ETag er "
        "versjonen.",
        parameters=[SLUG],
        responses={200: out.FeeModelSerializer, **COMMON_ERRORS, **NOT_FOUND},
    )
    def get(self, request, slug: str):
        return _answer(request, _model_or_404(slug))

    @document(
        summary="Ny versjon av en kostnadsmodell",
        description="Hele modellen (det som ikke sendes, er tomt), begrunnelsen og versjonen "
        "endringen bygger på (`versjon` eller If-Match). Sendes `medlemmer`, erstatter den den "
        "antatte medlemslisten. Sekretariatet for organet eller en administrator.",
        parameters=[SLUG, IF_MATCH],
        request=out.FeeModelInputSerializer,
        responses={200: out.FeeModelSerializer, **CHANGE_ERRORS},
    )
    def put(self, request, slug: str):
        model = _model_or_404(slug)
        if not rules.has_perm("finance.change_model", request.user, model):
            raise exceptions.PermissionDenied(
                _("Bare sekretariatet til organet eller en administrator kan endre modellen.")
            )
        written = data.Written(_object(request), creating=False)
        version = expected_version(request, written.version)
        members: dict = {}
        if written.members is not None:
            members["assumed_members"] = written.members
        if written.members is not None or written.has_assumption:
            members["assumption"] = written.assumption
        saved = _save(written, request.user, model=model, expected_version=version, **members)
        return _answer(request, saved)


class CalculationView(ApiView):
    @document(
        summary="Beregn kostnadsmodeller",
        description="Det samme som `samarbeid kostnad --format json`: hvert medlems betaling "
        "med regnestykket, summer, budsjett og dekning, rettferdighet (maks/min, "
        "variasjonskoeffisient, Gini), endring fra basis (den første modellen) og fra året før, "
        "oppgitte summer ved siden av de beregnede, og med `til_aar` hvert år framover. "
        "Medlemmene er den første modellens.",
        parameters=CALCULATION_PARAMETERS,
        responses={
            200: out.FeeCalculationSerializer,
            400: error(
                "Ugyldig parameter, eller "
                "modellen kan ikke beregnes for året (f.eks. uten folketall)"
            ),
            **COMMON_ERRORS,
        },
    )
    def get(self, request):
        query = read_query(request.query_params)
        if query.errors:
            raise exceptions.ValidationError({e.param: [e.message] for e in query.errors})
        if not query.models:
            raise exceptions.ValidationError(
                {"modell": [_("Velg minst én modell: ?modell=kort-navn (kan gjentas).")]}
            )
        try:
            calc = services.calculate(query.models, query.year, query.to_year, query.growth)
        except services.ComputeError as failed:
            raise exceptions.ValidationError(
                {"non_field_errors": [failed.message.text(language())]}
            ) from failed
        return Response(calculation_data(calc, language()))
