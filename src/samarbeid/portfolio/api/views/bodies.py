"""``/api/organer/``: the cooperation bodies and one body; ``/api/avtaler/``: the agreements,
optionally only those running out within a number of days. Reading is public; a draft plan shows
only to those who may see it."""

from __future__ import annotations

import rules
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema_view
from rest_framework import generics
from rest_framework.response import Response

from samarbeid.web.api import writes
from samarbeid.web.api.common import (
    BAD_REQUEST,
    COMMON_ERRORS,
    LIST_ERRORS,
    NOT_FOUND,
    ApiPolicy,
    ApiView,
    ParameterError,
    document,
)

from ...agreements import running_out
from ...models import Agreement, CooperationBody
from .. import data
from ..common import body_or_404
from ..docs import BODY_ID
from ..serializers import outputs as out

#: The longest horizon ``utloper_innen`` takes (a hundred years).
MAX_DAYS = 36_500


class PlainListView(ApiPolicy, generics.ListAPIView):
    """A list of plain rows (:meth:`rows`), in pages like every list of the API."""

    def rows(self) -> list[dict]:
        raise NotImplementedError

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.rows())
        return self.get_paginated_response(page)


@extend_schema_view(
    get=document(
        summary="Samarbeidsorganer",
        description="Alle samarbeidsorganene etter navn, med antall medlemmer og lenker.",
        responses={200: out.BodyListItemSerializer(many=True), **LIST_ERRORS},
    )
)
class BodyListView(PlainListView):
    serializer_class = out.BodyListItemSerializer

    def rows(self) -> list[dict]:
        bodies = CooperationBody.objects.annotate(
            n_members=Count("members", filter=Q(members__left__isnull=True), distinct=True)
        ).order_by("name")
        return [data.body_item(self.request, b) for b in bodies]


class BodyDetailView(ApiView):
    @document(
        summary="Ett samarbeidsorgan",
        description="Det samme som `samarbeid organ --format json` (medlemmer, styringsorganer "
        "med id, satsingsområder, nettverk, avtaler, funn), med planene leseren kan se og "
        "varsler for avtaler som løper ut innen 90 dager. ETag er organets versjon.",
        parameters=[BODY_ID],
        responses={200: out.BodySerializer, **COMMON_ERRORS, **NOT_FOUND},
    )
    def get(self, request, id: int):
        body = body_or_404(id)
        return Response(
            data.body_detail(request, body), headers={"ETag": writes.etag(body.version)}
        )


def _days(request) -> int | None:
    text = request.query_params.get("utloper_innen", "").strip()
    if not text:
        return None
    if not text.isdigit() or len(text) > 6 or int(text) > MAX_DAYS:
        raise ParameterError(
            "utloper_innen",
            _("«%(value)s» er ikke et antall dager. Skriv et helt tall fra 0 til %(max)s.")
            % {"value": text, "max": MAX_DAYS},
        )
    return int(text)


def _readable(user, agreement: Agreement) -> bool:
    """An agreement of a body is public; one of an arrangement goes with its mapping."""
    if agreement.body_id or agreement.arrangement_id is None:
        return True
    return rules.has_perm("registry.view_mapping", user, agreement.arrangement.mapping)


@extend_schema_view(
    get=document(
        summary="Avtaler",
        description="Alle avtalene (det samme som `samarbeid avtaler --format json`), den som "
        "løper ut først først. Med `utloper_innen`: bare de som løper ut fra i dag og innen så "
        "mange dager (utløpte er ikke med).",
        parameters=[
            OpenApiParameter(
                "utloper_innen",
                {"type": "integer", "minimum": 0, "maximum": MAX_DAYS},
                description="Bare avtaler som løper ut innen så mange dager (varselet: 90)",
            )
        ],
        responses={200: out.AgreementSerializer(many=True), **BAD_REQUEST, **LIST_ERRORS},
    )
)
class AgreementListView(PlainListView):
    serializer_class = out.AgreementSerializer

    def rows(self) -> list[dict]:
        days = _days(self.request)
        today = timezone.localdate()
        agreements = Agreement.objects.select_related(
            "body", "arrangement__mapping"
        ).prefetch_related("versions", "council_decisions")
        if days is not None:
            agreements = running_out(agreements, days, today)
        return [data.agreement_row(a, today) for a in agreements if _readable(self.request.user, a)]
