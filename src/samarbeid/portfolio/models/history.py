"""The change history of the portfolio: every change of a body's data, with its source."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .bodies import CooperationBody


class PortfolioChange(models.Model):
    """One change of one object of a body: what (model and id), before and after, who, when and
    from where (``source``). Never changed afterwards."""

    class Action(models.TextChoices):
        CREATED = "opprettet", _("Opprettet")
        UPDATED = "endret", _("Endret")
        DELETED = "slettet", _("Slettet")

    body = models.ForeignKey(CooperationBody, on_delete=models.CASCADE, related_name="changes")
    model = models.CharField(max_length=50)
    object_id = models.PositiveBigIntegerField()
    label = models.CharField(max_length=300)
    action = models.CharField(max_length=10, choices=Action.choices)
    at = models.DateTimeField(default=timezone.now, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    user_name = models.CharField(max_length=150, blank=True)
    source = models.TextField()
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)

    class Meta:
        ordering = ["at", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(source=""), name="portfolio_change_source_required")
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_action_display()} {self.label}"
