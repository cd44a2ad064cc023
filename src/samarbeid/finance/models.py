"""A member-fee model with its versions. The model's content is its spec (the mapping
:mod:`.spec` reads); every save appends a :class:`FeeModelVersion` (who, when, why) and is never
overwritten, so the versions are the model's history."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q


class FeeModel(models.Model):
    """A cost-sharing model, attached to a cooperation body or an arrangement (or to neither
    while it is a sketch). ``assumed_members`` (kommunenummer) replaces the registry's members
    when they are not known; ``assumption`` says what was assumed and is shown on every output."""

    slug = models.SlugField(max_length=80, unique=True)
    name = models.CharField(max_length=200)
    body = models.ForeignKey(
        "portfolio.CooperationBody", null=True, blank=True, on_delete=models.PROTECT,
        related_name="fee_models",
    )  # fmt: skip
    arrangement = models.ForeignKey(
        "registry.Arrangement", null=True, blank=True, on_delete=models.PROTECT,
        related_name="fee_models",
    )  # fmt: skip
    spec = models.JSONField()
    assumed_members = models.JSONField(default=list, blank=True)
    assumption = models.TextField(blank=True)
    #: Totals a source states for a year, set beside the computed ones:
    #: ``[{"aar": 2023, "belop": 10100000, "kilde": "…"}]``.
    reported = models.JSONField(default=list, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "slug"]
        constraints = [
            models.CheckConstraint(
                condition=Q(body__isnull=True) | Q(arrangement__isnull=True),
                name="fee_model_one_owner",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class FeeModelVersion(models.Model):
    """One saved version of a model: its spec, who saved it, when and why."""

    model = models.ForeignKey(FeeModel, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    spec = models.JSONField()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    author_name = models.CharField(max_length=200, blank=True)
    reason = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["model", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["model", "number"], name="fee_model_version_unique"),
            models.CheckConstraint(condition=~Q(reason=""), name="fee_model_version_reason"),
        ]

    def __str__(self) -> str:
        return f"{self.model} v{self.number}"
