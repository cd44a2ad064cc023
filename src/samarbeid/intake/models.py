"""The import log: every ``samarbeid import`` run, whatever its outcome."""

from __future__ import annotations

from django.db import models


class ImportRun(models.Model):
    class Outcome(models.TextChoices):
        IMPORTED = "importert", "Importert"
        UNCHANGED = "uendret", "Ingen endringer"
        PARTIAL = "delvis", "Delvis importert (--skip-invalid)"
        REJECTED = "avvist", "Avvist"
        FAILED = "feilet", "Feilet (intern feil eller avbrutt; ingenting lagret)"

    mapping_name = models.CharField(max_length=150)
    file_name = models.CharField(max_length=500)
    file_sha256 = models.CharField(max_length=64)
    file_size = models.PositiveBigIntegerField(default=0)
    user = models.CharField(max_length=150, blank=True)
    started = models.DateTimeField()
    finished = models.DateTimeField()
    outcome = models.CharField(max_length=20, choices=Outcome.choices)
    errors = models.PositiveIntegerField(default=0)
    warnings = models.PositiveIntegerField(default=0)
    counts = models.JSONField(default=dict, blank=True)
    message = models.TextField(blank=True)

    class Meta:
        ordering = ["-started"]

    def __str__(self) -> str:
        return (
            f"{self.started:%Y-%m-%d %H:%M} {self.file_name} → {self.mapping_name}: {self.outcome}"
        )
