"""Projects: a new one in a draft plan, one project (read and change), one that ends, a new
milestone, and a municipality's participation (opt in / opt out). A project only in drafts is
found only by those who may see drafts."""

from __future__ import annotations

from django.utils.translation import gettext as _
from rest_framework import status
from rest_framework.response import Response

from samarbeid.web.api import writes
from samarbeid.web.api.common import COMMON_ERRORS, NOT_FOUND, document

from ... import services
from ...models import Project
from ...rules import participation_keys
from ...services.plans import plan_forbidden_message
from ...services.projects import NOT_SECRETARIAT
from .. import data
from ..common import (
    PortfolioView,
    body_or_404,
    call,
    expected_version,
    forbid,
    municipality_or_404,
    parse,
    plan_or_404,
    project_or_404,
    require,
)
from ..docs import (
    ADDING_ERRORS,
    BODY_ID,
    CODE,
    IF_MATCH,
    NUMBER,
    VERSIONED_ERRORS,
    YEAR,
)
from ..serializers import inputs
from ..serializers import outputs as out


def project_response(request, project: Project, *, created: bool = False) -> Response:
    fresh = Project.objects.select_related("body").get(pk=project.pk)
    body = data.project_detail(request, fresh)
    headers = {"ETag": writes.etag(fresh.version)}
    if created:
        headers["Location"] = body["url"]
    return Response(
        body, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK, headers=headers
    )


def _require_secretariat(user, body) -> None:
    require(user, "portfolio.change_body", body, NOT_SECRETARIAT.format(body=body.name))


class NewProjectView(PortfolioView):
    @document(
        summary="Nytt prosjekt i utkastet",
        description="Et nytt prosjekt (koden er ny i organet) i utkastet som «nyetablert», med "
        "første milepæl om «milepael» sendes. Sekretariatet, i et utkast.",
        parameters=[BODY_ID, YEAR],
        request=inputs.NewProjectInputSerializer,
        responses={201: out.ProjectSerializer, **ADDING_ERRORS},
    )
    def post(self, request, id: int, ar: int):
        plan = plan_or_404(request.user, body_or_404(id), ar)
        require(request.user, "portfolio.change_plan", plan, plan_forbidden_message(plan))
        values, _version, source = parse(request, inputs.NewProjectInputSerializer)
        milestone = values.pop("milepael", None)
        entry = call(
            services.add_project,
            plan,
            values,
            milestone=milestone,
            user=request.user,
            source=source,
        )
        return project_response(request, entry.project, created=True)


class ProjectDetailView(PortfolioView):
    @document(
        summary="Ett prosjekt",
        description="Prosjektets felt med kodekens nøkler (de samme som når det skrives), "
        "milepælene og deltakelsen. ETag er prosjektets versjon.",
        parameters=[BODY_ID, CODE],
        responses={200: out.ProjectSerializer, **COMMON_ERRORS, **NOT_FOUND},
    )
    def get(self, request, id: int, kode: str):
        project = project_or_404(request.user, body_or_404(id), kode)
        return project_response(request, project)

    @document(
        summary="Endre et prosjekt",
        description="Bare feltene som sendes, endres (også i en vedtatt plans prosjekter). "
        "Sekretariatet.",
        parameters=[BODY_ID, CODE, IF_MATCH],
        request=inputs.ProjectChangeInputSerializer,
        responses={200: out.ProjectSerializer, **VERSIONED_ERRORS},
    )
    def patch(self, request, id: int, kode: str):
        body = body_or_404(id)
        project = project_or_404(request.user, body, kode)
        _require_secretariat(request.user, body)
        values, version, source = parse(request, inputs.ProjectChangeInputSerializer)
        version = expected_version(request, version)
        call(
            services.update_project,
            project,
            values,
            user=request.user,
            source=source,
            expected_version=version,
        )
        return project_response(request, project)


class EndProjectView(PortfolioView):
    @document(
        summary="Avslutt eller avlys et prosjekt",
        description="Fasen blir «avsluttet» eller «avlyst», og prosjektet tas ut av utkastet; "
        "tidligere planer og historikken beholder det. Sekretariatet, i et utkast. Versjonen er "
        "prosjektets.",
        parameters=[BODY_ID, YEAR, CODE, IF_MATCH],
        request=inputs.EndProjectInputSerializer,
        responses={200: out.ProjectSerializer, **VERSIONED_ERRORS},
    )
    def post(self, request, id: int, ar: int, kode: str):
        body = body_or_404(id)
        plan = plan_or_404(request.user, body, ar)
        project = project_or_404(request.user, body, kode)
        require(request.user, "portfolio.change_plan", plan, plan_forbidden_message(plan))
        values, version, source = parse(request, inputs.EndProjectInputSerializer)
        version = expected_version(request, version)
        call(
            services.end_project,
            plan,
            project,
            values.get("fase") or "",
            user=request.user,
            source=source,
            expected_version=version,
        )
        return project_response(request, project)


def _milestone_plan(request, project: Project, year: int | None):
    if year is not None:
        return plan_or_404(request.user, project.body, year)
    entry = project.plan_entries.select_related("plan").order_by("-plan__year").first()
    return entry.plan if entry else None


class MilestoneView(PortfolioView):
    @document(
        summary="Ny milepæl",
        description="En milepæl for prosjektet (tekst, når med planens ord, ferdig-dato), i "
        "handlingsplanen for «handlingsplan» (standard: den nyeste planen prosjektet er med i). "
        "Sekretariatet. Svaret er prosjektet med den nye milepælen.",
        parameters=[BODY_ID, CODE],
        request=inputs.MilestoneInputSerializer,
        responses={201: out.ProjectSerializer, **ADDING_ERRORS},
    )
    def post(self, request, id: int, kode: str):
        body = body_or_404(id)
        project = project_or_404(request.user, body, kode)
        _require_secretariat(request.user, body)
        values, _version, source = parse(request, inputs.MilestoneInputSerializer)
        plan = _milestone_plan(request, project, values.pop("handlingsplan", None))
        call(services.add_milestone, project, values, plan=plan, user=request.user, source=source)
        return project_response(request, project, created=True)


class ParticipationView(PortfolioView):
    @document(
        summary="Kommunens deltakelse i et prosjekt",
        description="Om kommunen deltar (true) eller melder seg ut (false). Kommuneredaktøren "
        "for en medlemskommune for sin kommune, og sekretariatet for alle medlemmene.",
        parameters=[BODY_ID, CODE, NUMBER],
        request=inputs.ParticipationInputSerializer,
        responses={200: out.ParticipationSerializer, **ADDING_ERRORS},
    )
    def put(self, request, id: int, kode: str, kommunenummer: str):
        body = body_or_404(id)
        project = project_or_404(request.user, body, kode)
        if not participation_keys(request.user, project):
            forbid(
                _(
                    "Bare kommuneredaktører for medlemskommunene og sekretariatet kan melde "
                    "deltakelse i prosjektene til %(body)s."
                )
                % {"body": body.name}
            )
        municipality = municipality_or_404(project, kommunenummer)
        values, _version, source = parse(request, inputs.ParticipationInputSerializer)
        row = call(
            services.set_participation,
            project,
            municipality,
            values["deltar"],
            user=request.user,
            source=source,
        )
        project.refresh_from_db(fields=["version"])
        return Response(data.participation_row(project, row))
