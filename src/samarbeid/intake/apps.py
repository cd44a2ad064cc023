from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "samarbeid.intake"
    verbose_name = "Innlesing"
