"""URL configuration: the public web application (samarbeid.web)."""

from django.urls import include, path

urlpatterns = [
    path("api/", include("samarbeid.web.api.urls")),
    path("", include("samarbeid.verification.urls")),  # kontrollrunder
    path("", include("samarbeid.web.urls")),
]
