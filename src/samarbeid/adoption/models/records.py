"""The adoption register: per municipality and solution a dated status, appended, never
overwritten — the full history is the table, and any count can be asked «as of a date»."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from samarbeid.portfolio.models.bodies import source_field, source_required
from samarbeid.registry.models import Municipality

from .portfolios import Solution


class Status(models.TextChoices):
    NOT_STARTED = "ikke_startet", "Ikke startet"
    AVAILABLE = "tilgjengeliggjort", "Tilgjengeliggjort"
    IN_USE = "i_bruk", "I bruk"
    STOPPED = "stoppet", "Stoppet"


class AdoptionRecord(models.Model):
    """«From ``date``, ``municipality`` has ``solution`` at ``status``», with who said so and
    where. A later record (by ``date``, then by id) replaces an earlier one from its date on."""

    solution = models.ForeignKey(Solution, on_delete=models.PROTECT, related_name="records")
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=20, choices=Status.choices)
    date = models.DateField(help_text="Fra hvilken dato statusen gjelder")
    source = source_field()
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reported_by_name = models.CharField(
        max_length=150, blank=True, help_text="Brukernavnet, eller kommandoen eller filen"
    )
    note = models.TextField(blank=True)
    recorded = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["solution", "municipality", "date", "id"]
        indexes = [
            # The last record of each pair on a day, read in index order (PostgreSQL: an
            # index-only scan with the status included, no sort).
            models.Index(
                fields=["solution", "municipality", "-date", "-id"],
                include=["status"],
                name="adoption_record_latest",
            ),
            models.Index(fields=["municipality", "date"], name="adoption_record_municipality"),
        ]
        constraints = [
            source_required("adoption_record"),
            models.CheckConstraint(
                condition=Q(status__in=[s.value for s in Status]), name="adoption_record_status"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.municipality} {self.solution}: {self.status} fra {self.date}"
