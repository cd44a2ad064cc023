from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "samarbeid.reports"
    verbose_name = "Rapporter"
