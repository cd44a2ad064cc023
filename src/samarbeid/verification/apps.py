from django.apps import AppConfig


class VerificationConfig(AppConfig):
    name = "samarbeid.verification"
    label = "verification"
    verbose_name = "Kontrollrunder"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import rules

        rules.register()
