"""``/api/organer/{id}/finansiering/``: a body's funding applications and grants, a new one, and
a change (the grant and its decision date when the decision comes). The body's version guards a
change, as on the form: its ETag comes with the body and with every funding row."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_view
from rest_framework import status
from rest_framework.response import Response

from samarbeid.web.api import writes
from samarbeid.web.api.common import COMMON_ERRORS, LIST_ERRORS, NOT_FOUND, document

from ... import services
from ...models import CooperationBody, FundingApplication
from ...services.projects import NOT_SECRETARIAT
from .. import data
from ..common import (
    PortfolioView,
    body_or_404,
    call,
    expected_version,
    funding_or_404,
    parse,
    require,
)
from ..docs import ADDING_ERRORS, BODY_ID, FUNDING_ID, IF_MATCH, VERSIONED_ERRORS
from ..serializers import inputs
from ..serializers import outputs as out
from .bodies import PlainListView


def funding_response(request, row: FundingApplication, *, created: bool = False) -> Response:
    body = CooperationBody.objects.get(pk=row.body_id)
    fresh = FundingApplication.objects.select_related("project").get(pk=row.pk)
    payload = data.funding_row(request, fresh, body)
    headers = {"ETag": writes.etag(body.version)}
    if created:
        headers["Location"] = payload["url"]
    return Response(
        payload, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK, headers=headers
    )


@extend_schema_view(
    get=document(
        summary="Organets finansiering",
        description="Søknader og tilskudd etter år, for hele planen (prosjekt null) eller ett "
        "prosjekt (ikke prosjekter som bare står i utkast leseren ikke kan se).",
        parameters=[BODY_ID],
        responses={200: out.FundingRowSerializer(many=True), **LIST_ERRORS},
    )
)
class FundingListView(PlainListView):
    serializer_class = out.FundingRowSerializer
    permission_classes = PortfolioView.permission_classes

    def rows(self) -> list[dict]:
        body = body_or_404(self.kwargs["id"])
        return [
            data.funding_row(self.request, row, body)
            for row in data.visible_funding(self.request, body)
        ]

    @document(
        summary="Ny søknad om midler",
        description="En søknad (eller et tilskudd) for et år: søkt, innvilget eller begge; for "
        "ett prosjekt («prosjekt»: koden) eller hele planen. Sekretariatet.",
        parameters=[BODY_ID],
        request=inputs.FundingInputSerializer,
        responses={201: out.FundingRowSerializer, **ADDING_ERRORS},
    )
    def post(self, request, id: int):
        body = body_or_404(id)
        require(request.user, "portfolio.change_body", body, NOT_SECRETARIAT.format(body=body.name))
        values, _version, source = parse(request, inputs.FundingInputSerializer)
        code = (values.pop("prosjekt", None) or "").strip() or None
        row = call(
            services.add_funding, body, values, project_code=code, user=request.user, source=source
        )
        return funding_response(request, row, created=True)


class FundingDetailView(PortfolioView):
    @document(
        summary="Én søknad om midler",
        description="ETag er organets versjon (den som vokter endringer i finansieringen).",
        parameters=[BODY_ID, FUNDING_ID],
        responses={200: out.FundingRowSerializer, **COMMON_ERRORS, **NOT_FOUND},
    )
    def get(self, request, id: int, finansiering_id: int):
        row = funding_or_404(request.user, body_or_404(id), finansiering_id)
        return funding_response(request, row)

    @document(
        summary="Endre en søknad om midler",
        description="F.eks. innvilget beløp og vedtaksdato når vedtaket kommer: bare feltene som "
        "sendes, endres. Versjonen er organets. Sekretariatet.",
        parameters=[BODY_ID, FUNDING_ID, IF_MATCH],
        request=inputs.FundingChangeInputSerializer,
        responses={200: out.FundingRowSerializer, **VERSIONED_ERRORS},
    )
    def patch(self, request, id: int, finansiering_id: int):
        body = body_or_404(id)
        row = funding_or_404(request.user, body, finansiering_id)
        require(request.user, "portfolio.change_body", body, NOT_SECRETARIAT.format(body=body.name))
        values, version, source = parse(request, inputs.FundingChangeInputSerializer)
        version = expected_version(request, version)
        call(
            services.update_funding,
            row,
            values,
            user=request.user,
            source=source,
            expected_version=version,
        )
        return funding_response(request, row)
