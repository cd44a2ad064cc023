"""URL configuration: the public web application (samarbeid.web)."""

from django.urls import include, path

urlpatterns = [
    path("", include("samarbeid.web.urls")),
]
