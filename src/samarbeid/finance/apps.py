from __future__ import annotations

from django.apps import AppConfig


class FinanceConfig(AppConfig):
    name = "samarbeid.finance"
    label = "finance"
    verbose_name = "Kostnadsdeling"

    def ready(self) -> None:
        from samarbeid.web.page_cache import register_generation

        from . import rules
        from .api import register_api_links

        rules.register()
        register_api_links()
        # Every saved model is a new version row: cached pages from before it are stale at once.
        register_generation("SELECT MAX(id) FROM finance_feemodelversion")

    def load_examples(self, write) -> None:
        """Called by ``samarbeid load-example``: DigiVestland's base-funding model and two
        alternatives on the same budget (after the portfolio app has loaded DigiVestland)."""
        from .loader import load_examples

        load_examples(write)
