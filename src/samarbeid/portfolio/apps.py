from __future__ import annotations

from django.apps import AppConfig


class PortfolioConfig(AppConfig):
    name = "samarbeid.portfolio"
    label = "portfolio"
    verbose_name = "Styring og portefølje"

    def load_examples(self, write) -> None:
        """Called by ``samarbeid load-example`` (which knows no app above it): the example
        bodies from the shipped documents."""
        from samarbeid.portfolio.loader import load_examples

        load_examples(write)
