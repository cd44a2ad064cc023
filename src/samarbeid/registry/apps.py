from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _load_reference(sender, **kwargs) -> None:
    from .reference import sync_reference

    if kwargs.get("plan") is not None or kwargs.get("apps") is not None:
        sync_reference()


class RegistryConfig(AppConfig):
    name = "samarbeid.registry"
    verbose_name = "Register"

    def ready(self) -> None:
        post_migrate.connect(_load_reference, sender=self, dispatch_uid="samarbeid_reference")
        from . import rules

        rules.register()
