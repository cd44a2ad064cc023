from django.urls import include, path

from . import auth, lifecycle_views, place_views, views
from .edit import arrangement as edit_arrangement
from .edit import delete as edit_delete
from .edit import history as edit_history
from .upload import check as upload_check
from .upload import importing as upload_importing

app_name = "web"

urlpatterns = [
    path("", views.front, name="front"),
    path("kartlegginger/<int:mapping_id>/", place_views.mapping_detail, name="mapping"),
    path("kartlegginger/<int:mapping_id>/ordninger/", views.arrangement_list, name="arrangements"),
    # Signing in and editing (before the arrangement page: its <path:ref> would match these too).
    path("logg-inn/", auth.LoginView.as_view(), name="login"),
    path("logg-ut/", auth.LogoutView.as_view(), name="logout"),
    path(
        "kartlegginger/<int:mapping_id>/status/",
        lifecycle_views.mapping_status,
        name="mapping_status",
    ),
    path(
        "kartlegginger/<int:mapping_id>/ny-ordning/",
        edit_arrangement.create_arrangement,
        name="create_arrangement",
    ),
    path(
        "kartlegginger/<int:mapping_id>/slettede-ordninger/",
        edit_history.deleted_arrangements,
        name="deleted_arrangements",
    ),
    path(
        "kartlegginger/<int:mapping_id>/slettede-ordninger/<int:change_id>/gjenopprett/",
        edit_history.restore_deleted,
        name="restore_deleted",
    ),
    path(
        "kartlegginger/<int:mapping_id>/ordninger/<path:ref>/endre/",
        edit_arrangement.edit_arrangement,
        name="edit_arrangement",
    ),
    path(
        "kartlegginger/<int:mapping_id>/ordninger/<path:ref>/slett/",
        edit_delete.delete_arrangement,
        name="delete_arrangement",
    ),
    path(
        "kartlegginger/<int:mapping_id>/ordninger/<path:ref>/historikk/",
        edit_history.arrangement_history,
        name="arrangement_history",
    ),
    path(
        "kartlegginger/<int:mapping_id>/ordninger/<path:ref>/historikk/<int:change_id>/gjenopprett/",
        edit_history.restore,
        name="restore",
    ),
    path(
        "kartlegginger/<int:mapping_id>/ordninger/<path:ref>/historikk/<int:change_id>/gjenopprett-forrige/",
        edit_history.restore,
        {"before": True},
        name="restore_before",
    ),
    path(
        "kartlegginger/<int:mapping_id>/ordninger/<path:ref>/",
        views.arrangement_detail,
        name="arrangement",
    ),
    path(
        "kartlegginger/<int:mapping_id>/kommuner/<str:number>/",
        place_views.municipality_detail,
        name="municipality",
    ),
    # Region pages and the map (place_urls), the report and the comparison (report_urls).
    path("", include("samarbeid.web.place_urls")),
    path("", include("samarbeid.web.report_urls")),
    # Upload a mapping file: check, then import (web/upload/).
    path("kartlegginger/<int:mapping_id>/last-opp/", upload_check.upload, name="upload"),
    path(
        "kartlegginger/<int:mapping_id>/last-opp/importer/",
        upload_importing.upload_import,
        name="upload_import",
    ),
    path("kartlegginger/ny/last-opp/", upload_check.upload_new, name="upload_new"),
    path(
        "kartlegginger/ny/last-opp/importer/",
        upload_importing.upload_new_import,
        name="upload_new_import",
    ),
]
