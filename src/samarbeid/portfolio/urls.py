"""The portfolio's addresses, under /organer/ (samarbeidsorganer)."""

from django.urls import path

from .views import downloads, followup, history, pages, plan_edit, project_edit

app_name = "portfolio"

PLAN = "organer/<int:body_id>/planer/<int:year>/"

urlpatterns = [
    path("organer/", pages.body_list, name="bodies"),
    path("organer/<int:body_id>/", pages.body_detail, name="body"),
    path("organer/<int:body_id>/historikk/", history.body_history, name="history"),
    path(
        "organer/<int:body_id>/historikk/<int:change_id>/gjenopprett/",
        history.restore,
        name="restore",
    ),
    path("organer/<int:body_id>/nytt-medlem/", project_edit.add_member, name="add_member"),
    path(
        "organer/<int:body_id>/avtaler/<int:agreement_id>/",
        pages.agreement_detail,
        name="agreement",
    ),
    path(
        "organer/<int:body_id>/prosjekter/<str:code>/endre/",
        project_edit.edit_project,
        name="edit_project",
    ),
    path(
        "organer/<int:body_id>/finansiering/<int:funding_id>/endre/",
        project_edit.edit_funding,
        name="edit_funding",
    ),
    path(PLAN, pages.plan_detail, name="plan"),
    path(PLAN + "neste-ar/", plan_edit.roll_over, name="roll_over"),
    path(PLAN + "nytt-prosjekt/", plan_edit.add_project, name="add_project"),
    path(PLAN + "vedta/", plan_edit.approve, name="approve"),
    path(PLAN + "finansiering/ny/", project_edit.add_funding, name="add_funding"),
    path(PLAN + "prosjekter/<str:code>/avslutt/", plan_edit.end_project, name="end_project"),
    path(
        PLAN + "prosjekter/<str:code>/ny-milepael/",
        project_edit.add_milestone,
        name="add_milestone",
    ),
    path(
        PLAN + "prosjekter/<str:code>/deltakelse/",
        project_edit.participation,
        name="participation",
    ),
    path(
        PLAN + "prosjekter/<str:code>/ny-status/",
        followup.add_status_report,
        name="add_status_report",
    ),
    path(PLAN + "prosjekter/<str:code>/ny-gevinst/", followup.add_benefit, name="add_benefit"),
    path(PLAN + "handlingsplan.<str:fmt>", downloads.plan_file, name="plan_file"),
]
