"""The adoption register's addresses, under /utbredelse/."""

from django.urls import path

from .views import pages, report, upload

app_name = "adoption"

urlpatterns = [
    path("utbredelse/", pages.overview, name="overview"),
    path("utbredelse/losninger/<int:solution_id>/", pages.solution_detail, name="solution"),
    path("utbredelse/kommuner/<str:number>/", pages.municipality_detail, name="municipality"),
    path("utbredelse/kommuner/<str:number>/meld/", report.report_form, name="report"),
    path("utbredelse/opplasting/", upload.upload_form, name="upload"),
    path("utbredelse/opplasting/mal.<str:fmt>", upload.template_file, name="upload_template"),
]
