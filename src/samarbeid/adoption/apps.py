from __future__ import annotations

from django.apps import AppConfig


class AdoptionConfig(AppConfig):
    name = "samarbeid.adoption"
    label = "adoption"
    verbose_name = "Fellesløsninger og utbredelse"

    def ready(self) -> None:
        from samarbeid.web.page_cache import register_generation

        from . import rules
        from .api import register_api_links

        rules.register()
        register_api_links()
        # Every status report, every edit of a portfolio is a row here: cached public pages
        # from before it are stale at once.
        register_generation("SELECT MAX(id) FROM adoption_adoptionrecord")
        register_generation("SELECT COUNT(*) FROM adoption_adoptionrecord")
        # Portfolios are loaded (load-example), not edited: new rows are what changes them.
        register_generation("SELECT MAX(id) FROM adoption_item")
        register_generation("SELECT MAX(id) FROM adoption_reportedcount")

    def load_examples(self, write) -> None:
        """Called by ``samarbeid load-example``: KS's e-health portfolio 2023 and DigiVestland's
        regional portfolio (after the portfolio app has loaded DigiVestland)."""
        from .loader import load_examples

        load_examples(write)
