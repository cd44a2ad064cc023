"""Agreements of a body or an arrangement: term, parties, legal basis, the statutory content they
cover, their version log, the consultation input and each member council's decision; and vendor
contracts with their end dates."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from samarbeid.registry.models import Arrangement, Municipality

from .bodies import CooperationBody, source_field, source_required


class Agreement(models.Model):
    class Kind(models.TextChoices):
        COOPERATION = "samarbeidsavtale", _("Samarbeidsavtale")
        COMPANY = "selskapsavtale", _("Selskapsavtale")
        VENDOR = "leverandoravtale", _("Leverandøravtale")

    body = models.ForeignKey(
        CooperationBody, null=True, blank=True, on_delete=models.CASCADE, related_name="agreements"
    )
    arrangement = models.ForeignKey(
        Arrangement, null=True, blank=True, on_delete=models.CASCADE, related_name="agreements"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    title = models.CharField(max_length=300)
    legal_form = models.CharField(
        max_length=30, blank=True, help_text="Formen sjekklisten følger; tom: organets form"
    )
    starts = models.DateField(null=True, blank=True)
    ends = models.DateField(null=True, blank=True)
    term_as_stated = models.CharField(max_length=200, blank=True)
    parties = models.TextField(blank=True)
    legal_basis = models.CharField(max_length=300, blank=True)
    vendor = models.CharField(max_length=200, blank=True)
    subject = models.CharField(max_length=300, blank=True)
    covers = models.JSONField(
        default=list, blank=True, help_text="Punktene i lovens minsteinnhold avtalen dekker"
    )
    source = source_field()
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = [models.F("ends").asc(nulls_last=True), "title"]
        constraints = [
            source_required("agreement"),
            models.CheckConstraint(
                condition=Q(body__isnull=False) | Q(arrangement__isnull=False),
                name="agreement_belongs_somewhere",
            ),
            models.CheckConstraint(
                condition=Q(ends__isnull=True)
                | Q(starts__isnull=True)
                | Q(ends__gte=models.F("starts")),
                name="agreement_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class AgreementVersion(models.Model):
    """A row of the version log: version, date, forum, meeting or dispatch, main changes."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="versions")
    label = models.CharField(max_length=20)
    date = models.DateField(null=True, blank=True)
    date_as_stated = models.CharField(max_length=100, blank=True)
    forum = models.CharField(max_length=200, blank=True)
    occasion = models.CharField(max_length=200, blank=True, help_text="Møte eller utsending")
    changes = models.TextField(blank=True)
    responsible = models.CharField(max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    source = source_field()

    class Meta:
        ordering = ["agreement", "position", "id"]
        constraints = [source_required("agreement_version")]

    def __str__(self) -> str:
        return f"{self.agreement} v{self.label}"


class ConsultationInput(models.Model):
    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="inputs")
    given_by = models.CharField(max_length=200)
    date_as_stated = models.CharField(max_length=100, blank=True)
    text = models.TextField()
    source = source_field()

    class Meta:
        ordering = ["agreement", "id"]
        constraints = [source_required("consultation_input")]

    def __str__(self) -> str:
        return f"{self.agreement}: {self.given_by}"


class CouncilDecision(models.Model):
    """A member council's treatment of the agreement (date, case, outcome)."""

    agreement = models.ForeignKey(
        Agreement, on_delete=models.CASCADE, related_name="council_decisions"
    )
    municipality = models.ForeignKey(
        Municipality, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    council = models.CharField(max_length=200, help_text="Kommunen slik kilden skriver den")
    date = models.DateField(null=True, blank=True)
    date_as_stated = models.CharField(max_length=100, blank=True)
    case_number = models.CharField(max_length=50, blank=True)
    outcome = models.CharField(max_length=300, blank=True)
    source = source_field()

    class Meta:
        ordering = ["agreement", "council"]
        constraints = [source_required("council_decision")]

    def __str__(self) -> str:
        return f"{self.agreement}: {self.council}"


class AgreementAlert(models.Model):
    """An e-mail sent to the body's secretariat before an agreement runs out: one per agreement,
    end date and threshold (90 or 30 days), so a daily run never sends the same alert twice and
    a new end date (a renewal) starts over."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="alerts")
    ends = models.DateField()
    threshold = models.PositiveSmallIntegerField(help_text="Varslet så mange dager før slutt")
    sent_at = models.DateTimeField(auto_now_add=True)
    recipients = models.TextField()

    class Meta:
        ordering = ["agreement", "ends", "threshold"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "ends", "threshold"], name="agreement_alert_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.agreement}: {self.threshold} dager før {self.ends}"
