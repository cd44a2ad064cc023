"""The cost-sharing pages' addresses, under /kostnadsdeling/ (the fixed addresses before a
model's short name, which may not take them: :data:`.services.RESERVED_SLUGS`)."""

from django.urls import path

from .views import edit, pages

app_name = "finance"

urlpatterns = [
    path("kostnadsdeling/", pages.model_list, name="models"),
    path("kostnadsdeling/ny/", edit.create_model, name="create"),
    path("kostnadsdeling/sammenlign/", pages.compare, name="compare"),
    path(
        "kostnadsdeling/sammenlign/beregning.<str:fmt>",
        pages.compare_download,
        name="compare_download",
    ),
    path("kostnadsdeling/<slug:slug>/", pages.model_detail, name="model"),
    path("kostnadsdeling/<slug:slug>/endre/", edit.edit_model, name="edit"),
    path("kostnadsdeling/<slug:slug>/beregning.<str:fmt>", pages.download, name="download"),
]
