"""``/api/organer/`` and ``/api/avtaler/``: the portfolio's part of the JSON API.

Mounted under ``/api/`` before the registry's API, whose last route answers every address neither
has with a JSON 404. Its own namespace (not ``api``) keeps the draft guard of the mappings
(:mod:`samarbeid.web.access`) from reading a body's ``id`` as a mapping's.
"""

from django.urls import path

from .views import bodies, followup, funding, plans, projects

app_name = "portfolio_api"

BODY = "organer/<int:id>/"
PLAN = BODY + "planer/<int:ar>/"
PROJECT = BODY + "prosjekter/<str:kode>/"

urlpatterns = [
    path("organer/", bodies.BodyListView.as_view(), name="organer"),
    path(BODY, bodies.BodyDetailView.as_view(), name="organ"),
    path(PLAN, plans.PlanDetailView.as_view(), name="plan"),
    path(PLAN + "neste-ar/", plans.RollOverView.as_view(), name="neste-ar"),
    path(PLAN + "vedtak/", plans.ApproveView.as_view(), name="vedtak"),
    path(PLAN + "prosjekter/", projects.NewProjectView.as_view(), name="nytt-prosjekt"),
    path(
        PLAN + "prosjekter/<str:kode>/avslutt/",
        projects.EndProjectView.as_view(),
        name="avslutt",
    ),
    path(PROJECT, projects.ProjectDetailView.as_view(), name="prosjekt"),
    path(PROJECT + "milepaeler/", projects.MilestoneView.as_view(), name="milepaeler"),
    path(PROJECT + "statusrapporter/", followup.StatusReportView.as_view(), name="statusrapporter"),
    path(PROJECT + "gevinster/", followup.BenefitView.as_view(), name="gevinster"),
    path(
        PROJECT + "deltakelse/<str:kommunenummer>/",
        projects.ParticipationView.as_view(),
        name="deltakelse",
    ),
    path(BODY + "finansiering/", funding.FundingListView.as_view(), name="finansiering"),
    path(
        BODY + "finansiering/<int:finansiering_id>/",
        funding.FundingDetailView.as_view(),
        name="finansieringspost",
    ),
    path("avtaler/", bodies.AgreementListView.as_view(), name="avtaler"),
]
