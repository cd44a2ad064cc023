"""Verification rounds (kontrollrunder, nivi-method.md §3 step 3).

The mapping editor opens a :class:`Round` with a deadline; every municipality in the mapping's
scope gets a :class:`MunicipalityResponse`. Each municipality checks its own list (analysis 13) and
either confirms it or sends :class:`Proposal` s – a new arrangement, a change, or a removal – each
with a comment and a source. The mapping editor accepts or rejects each proposal; an accepted one
is applied through :mod:`samarbeid.registry.editing` and so is in the arrangement's history.

Buskerud 2021 had two rounds (23 September and 13 October). Rules live in :mod:`.services`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from samarbeid.registry.models import (
    Arrangement,
    ChangeRecord,
    Mapping,
    Municipality,
    MunicipalityPeriod,
)


class Round(models.Model):
    """One verification round of one mapping. At most one round of a mapping is open at a time."""

    mapping = models.ForeignKey(
        Mapping, on_delete=models.CASCADE, related_name="verification_rounds"
    )
    number = models.PositiveSmallIntegerField(help_text="1, 2, … innen kartleggingen")
    name = models.CharField(max_length=150, blank=True, help_text="Tom: «Kontrollrunde N»")
    message = models.TextField(blank=True, help_text="Beskjed til kommunene")
    deadline = models.DateField(help_text="Svarfrist for kommunene")
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    opened_by_name = models.CharField(max_length=150, blank=True)
    opened_at = models.DateTimeField(default=timezone.now)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["mapping", "number"]
        constraints = [
            models.UniqueConstraint(fields=["mapping", "number"], name="round_number_unique"),
            models.UniqueConstraint(
                fields=["mapping"],
                condition=Q(closed_at__isnull=True),
                name="round_one_open_per_mapping",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.mapping.name}: {self.title}"

    @property
    def title(self) -> str:
        return self.name or f"Kontrollrunde {self.number}"

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


class MunicipalityResponse(models.Model):
    """Where one municipality stands in one round. ``status`` follows from the facts
    (:func:`samarbeid.verification.services.responses.refresh_status`): pending proposals first, then
    confirmed, then opened."""

    class Status(models.TextChoices):
        NOT_OPENED = "ikke_apnet", "Ikke åpnet"
        IN_PROGRESS = "under_arbeid", "Under arbeid"
        CONFIRMED = "bekreftet", "Bekreftet"
        PENDING = "endringer_venter", "Endringer venter"

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="responses")
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    period = models.ForeignKey(
        MunicipalityPeriod,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Kommunens nummer og navn i kartleggingen",
    )
    position = models.PositiveIntegerField(default=0)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.NOT_OPENED)
    opened_at = models.DateTimeField(
        null=True, blank=True, help_text="Første gang kommunen åpnet listen sin"
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    confirmed_by_name = models.CharField(max_length=150, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    confirmation_note = models.TextField(blank=True)
    confirmed_list = models.JSONField(
        default=list, blank=True, help_text="Listen som ble bekreftet: [id, versjon] per ordning"
    )

    class Meta:
        ordering = ["round", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "municipality"], name="response_round_municipality_unique"
            ),
            models.CheckConstraint(
                condition=Q(confirmed_at__isnull=True) | Q(opened_at__isnull=False),
                name="response_confirmed_after_opened",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.period.name} i {self.round}: {self.get_status_display()}"


class Proposal(models.Model):
    """A correction a municipality proposes: an arrangement to add, change or remove.

    ``values`` (the sheet Ordninger) and ``memberships`` (rows of the sheet Deltakere) are the
    arrangement as proposed, in the mapping file's column names; ``before`` is the arrangement as
    it was when proposed (a :func:`samarbeid.registry.history.snapshot`), ``base_version`` its
    version. A removal that deletes the arrangement has no proposed state (``memberships`` None).
    """

    class Kind(models.TextChoices):
        ADD = "ny", "Ny ordning"
        CHANGE = "endring", "Endring"
        REMOVE = "fjerning", "Fjerning"

    class Removal(models.TextChoices):
        NOT_MEMBER = "deltar_ikke", "Kommunen deltar ikke i ordningen"
        ENDED = "avsluttet", "Ordningen er avsluttet"
        DELETE = "slett", "Ordningen finnes ikke eller er registrert ved en feil"

    class Status(models.TextChoices):
        PENDING = "venter", "Venter"
        ACCEPTED = "godtatt", "Godtatt"
        REJECTED = "avvist", "Avvist"
        WITHDRAWN = "trukket", "Trukket tilbake"

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="proposals")
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    removal = models.CharField(max_length=20, choices=Removal.choices, blank=True)
    arrangement = models.ForeignKey(
        Arrangement,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="verification_proposals",
    )
    ref = models.CharField(max_length=50, blank=True, help_text="Ordningens id (tom for en ny)")
    name = models.CharField(max_length=300, help_text="Ordningens navn da forslaget ble gjort")
    base_version = models.PositiveIntegerField(null=True, blank=True)
    before = models.JSONField(null=True, blank=True)
    values = models.JSONField(default=dict, blank=True)
    memberships = models.JSONField(null=True, blank=True)
    changed = models.JSONField(default=list, blank=True, help_text="Kolonnene forslaget endrer")
    comment = models.TextField()
    source = models.TextField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    proposed_by_name = models.CharField(max_length=150, blank=True)
    proposed_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_by_name = models.CharField(max_length=150, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True)
    change = models.ForeignKey(
        ChangeRecord,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Endringen i historikken da forslaget ble godtatt",
    )

    class Meta:
        ordering = ["round", "proposed_at", "id"]
        indexes = [models.Index(fields=["round", "municipality", "status"], name="proposal_lookup")]
        constraints = [
            models.CheckConstraint(condition=~Q(source=""), name="proposal_source_required"),
            models.CheckConstraint(condition=~Q(comment=""), name="proposal_comment_required"),
            models.CheckConstraint(
                condition=(Q(status="venter") & Q(decided_at__isnull=True))
                | (~Q(status="venter") & Q(decided_at__isnull=False)),
                name="proposal_decided_when_not_pending",
            ),
            models.CheckConstraint(
                condition=(Q(kind="fjerning") & ~Q(removal=""))
                | (~Q(kind="fjerning") & Q(removal="")),
                name="proposal_removal_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.name} ({self.get_status_display()})"

    @property
    def is_pending(self) -> bool:
        return self.status == self.Status.PENDING

    @property
    def deletes(self) -> bool:
        return self.kind == self.Kind.REMOVE and self.removal == self.Removal.DELETE

    @property
    def proposed(self) -> dict | None:
        """The proposed state as a snapshot (None when the proposal deletes the arrangement)."""
        if self.deletes:
            return None
        return {"values": self.values, "memberships": self.memberships or []}
