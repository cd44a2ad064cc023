"""``/api/organer/{id}/planer/{ar}/``: one action plan (the JSON of ``samarbeid handlingsplan``),
its own text, next year's draft from it, and its approval. A draft is found only by those who may
see it; writing is the secretariat's, and only in a draft."""

from __future__ import annotations

from rest_framework import status
from rest_framework.response import Response

from samarbeid.web.api import writes
from samarbeid.web.api.common import COMMON_ERRORS, NOT_FOUND, document

from ... import services
from ...fields import parse_day
from ...services.plans import NOT_SECRETARIAT, plan_forbidden_message
from .. import data
from ..common import (
    PortfolioView,
    body_or_404,
    call,
    expected_version,
    not_a_date,
    parse,
    plan_or_404,
    rejected_source,
    require,
)
from ..docs import ADDING_ERRORS, BODY_ID, IF_MATCH, VERSIONED_ERRORS, YEAR
from ..serializers import inputs
from ..serializers import outputs as out


def plan_response(request, plan, *, created: bool = False) -> Response:
    body = data.plan_detail(request, plan)
    headers = {"ETag": writes.etag(plan.version)}
    if created:
        headers["Location"] = body["url"]
    return Response(
        body, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK, headers=headers
    )


class PlanDetailView(PortfolioView):
    @document(
        summary="Én handlingsplan",
        description="Det samme som `samarbeid handlingsplan --format json` (prosjekter med "
        "milepæler, finansiering, status og gevinster; funn), med planens og prosjektenes "
        "versjoner. Et utkast finnes bare for dem som kan se det. ETag er planens versjon.",
        parameters=[BODY_ID, YEAR],
        responses={200: out.PlanSerializer, **COMMON_ERRORS, **NOT_FOUND},
    )
    def get(self, request, id: int, ar: int):
        plan = plan_or_404(request.user, body_or_404(id), ar)
        return plan_response(request, plan)

    @document(
        summary="Endre planens tekst",
        description="Tittel, sammendrag og antall prosjekter slik teksten oppgir det: bare "
        "feltene som sendes, endres. Sekretariatet, i et utkast.",
        parameters=[BODY_ID, YEAR, IF_MATCH],
        request=inputs.PlanChangeInputSerializer,
        responses={200: out.PlanSerializer, **VERSIONED_ERRORS},
    )
    def patch(self, request, id: int, ar: int):
        plan = plan_or_404(request.user, body_or_404(id), ar)
        require(request.user, "portfolio.change_plan", plan, plan_forbidden_message(plan))
        values, version, source = parse(request, inputs.PlanChangeInputSerializer)
        version = expected_version(request, version)
        call(
            services.update_plan,
            plan,
            values,
            user=request.user,
            source=source,
            expected_version=version,
        )
        return plan_response(request, plan)


class RollOverView(PortfolioView):
    @document(
        summary="Utkast til neste års plan",
        description="Et utkast for året etter (eller «ar») fra denne planen: prosjektene som ikke "
        "er avsluttet eller avlyst, blir med som «videreført». Planen selv endres ikke. "
        "Sekretariatet.",
        parameters=[BODY_ID, YEAR],
        request=inputs.RollOverInputSerializer,
        responses={201: out.PlanSerializer, **ADDING_ERRORS},
    )
    def post(self, request, id: int, ar: int):
        body = body_or_404(id)
        plan = plan_or_404(request.user, body, ar)
        require(request.user, "portfolio.change_body", body, NOT_SECRETARIAT.format(body=body.name))
        values, _version, source = parse(request, inputs.RollOverInputSerializer)
        rejected_source(source)
        new = call(
            services.roll_over, plan, user=request.user, source=source, year=values.get("ar")
        )
        new.body = body
        return plan_response(request, new, created=True)


def _governing_body(body, chosen):
    if chosen is None:
        return None
    governing = list(body.governing_bodies.all())
    if isinstance(chosen, int):
        return next((g for g in governing if g.pk == chosen), None)
    return next((g for g in governing if g.name == chosen.strip()), None)


class ApproveView(PortfolioView):
    @document(
        summary="Vedta planen",
        description="Utkast → vedtatt av et av organets styringsorganer (id eller eksakt navn) "
        "på en dato. En vedtatt plan endres ikke lenger (prosjektlisten); milepæler, status og "
        "finansiering føres videre. Sekretariatet.",
        parameters=[BODY_ID, YEAR, IF_MATCH],
        request=inputs.ApproveInputSerializer,
        responses={200: out.PlanSerializer, **VERSIONED_ERRORS},
    )
    def post(self, request, id: int, ar: int):
        body = body_or_404(id)
        plan = plan_or_404(request.user, body, ar)
        require(request.user, "portfolio.change_plan", plan, plan_forbidden_message(plan))
        values, version, source = parse(request, inputs.ApproveInputSerializer)
        version = expected_version(request, version)
        text = (values.get("vedtatt_dato") or "").strip()
        day = parse_day(text) if text else None
        governing_body = _governing_body(body, values.get("vedtatt_av"))

        def approve():
            try:
                return services.approve(
                    plan,
                    governing_body,
                    day,
                    user=request.user,
                    source=source,
                    expected_version=version,
                )
            except services.EditRejected as rejected:
                if not text or day is not None:
                    raise
                # Say why the date was not read, not that it is missing.
                problems = [
                    not_a_date("vedtatt_dato", text) if p.field == "vedtatt_dato" else p
                    for p in rejected.problems
                ]
                raise services.EditRejected(problems) from rejected

        call(approve)
        return plan_response(request, plan)
