"""Following a project up through the API: a dated status report (a snapshot) and an expected
benefit for one member municipality or all. The secretariat; the answer is the project."""

from __future__ import annotations

from samarbeid.web.api.common import document

from ... import services
from ..common import PortfolioView, body_or_404, call, municipality_or_404, parse, project_or_404
from ..docs import ADDING_ERRORS, BODY_ID, CODE
from ..serializers import inputs
from ..serializers import outputs as out
from .projects import _require_secretariat, project_response


class StatusReportView(PortfolioView):
    @document(
        summary="Ny statusrapport",
        description="En datert status for prosjektet (dato, trafikklys gronn/gul/rod, tekst), "
        "lagret som den er. Sekretariatet. Svaret er prosjektet.",
        parameters=[BODY_ID, CODE],
        request=inputs.StatusReportInputSerializer,
        responses={201: out.ProjectSerializer, **ADDING_ERRORS},
    )
    def post(self, request, id: int, kode: str):
        body = body_or_404(id)
        project = project_or_404(request.user, body, kode)
        _require_secretariat(request.user, body)
        values, _version, source = parse(request, inputs.StatusReportInputSerializer)
        call(services.add_status_report, project, values, user=request.user, source=source)
        return project_response(request, project, created=True)


class BenefitView(PortfolioView):
    @document(
        summary="Ny forventet gevinst",
        description="En forventet gevinst av prosjektet med gevinsteier, indikator, "
        "utgangspunkt og mål, for én medlemskommune (kommunenummer) eller alle. Sekretariatet.",
        parameters=[BODY_ID, CODE],
        request=inputs.BenefitInputSerializer,
        responses={201: out.ProjectSerializer, **ADDING_ERRORS},
    )
    def post(self, request, id: int, kode: str):
        body = body_or_404(id)
        project = project_or_404(request.user, body, kode)
        _require_secretariat(request.user, body)
        values, _version, source = parse(request, inputs.BenefitInputSerializer)
        number = values.pop("kommunenummer", None)
        municipality = municipality_or_404(project, number) if number else None
        call(
            services.add_benefit,
            project,
            values,
            municipality=municipality,
            user=request.user,
            source=source,
        )
        return project_response(request, project, created=True)
