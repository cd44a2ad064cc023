from __future__ import annotations

from django.apps import AppConfig


class PortfolioConfig(AppConfig):
    name = "samarbeid.portfolio"
    label = "portfolio"
    verbose_name = "Styring og portefølje"

    def ready(self) -> None:
        from samarbeid.web.api.views.root import register_root_link
        from samarbeid.web.page_cache import register_generation

        from . import rules

        rules.register()
        register_root_link("organer", "portfolio_api:organer")
        register_root_link("avtaler", "portfolio_api:avtaler")
        # Every change of a body's data is a row of its history: the public pages (and the
        # API's public answers) cached before it are stale at once. The count also moves when
        # a body's history is deleted with it.
        register_generation("SELECT MAX(id) FROM portfolio_portfoliochange")
        register_generation("SELECT COUNT(*) FROM portfolio_portfoliochange")

    def load_examples(self, write) -> None:
        """Called by ``samarbeid load-example`` (which knows no app above it): the example
        bodies from the shipped documents."""
        from samarbeid.portfolio.loader import load_examples

        load_examples(write)

    def demo_users(self, make) -> list[tuple[str, str, str]]:
        """Called by ``samarbeid demobrukere``: «sekretariat», the secretariat of
        Grenlandssamarbeidet (when the examples are loaded)."""
        from samarbeid.portfolio.models import CooperationBody
        from samarbeid.portfolio.rules import grant_secretariat
        from samarbeid.registry import permissions

        body = CooperationBody.objects.filter(name="Grenlandssamarbeidet").first()
        if body is None:
            return []
        user, password = make("sekretariat", "Siri Sekretariat")
        grant_secretariat(user, body)
        return [(user.get_username(), ", ".join(permissions.role_labels(user)), password)]
