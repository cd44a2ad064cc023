"""URL configuration (the web application arrives with the web issue)."""

urlpatterns: list = []
