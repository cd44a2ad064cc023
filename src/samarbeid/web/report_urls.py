"""URLs of the mapping report and the comparison of two mappings (included by :mod:`.urls`, namespace ``web``)."""

from django.urls import path

from . import report_views

urlpatterns: list = [
    path("kartlegginger/<int:mapping_id>/rapport/", report_views.report_page, name="report"),
    path(
        "kartlegginger/<int:mapping_id>/rapport.<str:fmt>",
        report_views.report_download,
        name="report_download",
    ),
    path("kartlegginger/sammenlign/", report_views.compare_page, name="compare"),
    path(
        "kartlegginger/sammenlign/sammenligning.<str:fmt>",
        report_views.compare_download,
        name="compare_download",
    ),
]
