from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "samarbeid.web.api"
    label = "samarbeid_api"
    verbose_name = "API"
