from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "samarbeid.web"
    verbose_name = "Nettsted"
