"""Editing: roles, the change history with its sources, and login throttling."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from .mappings import Arrangement, Mapping
from .places import Municipality


class RoleAssignment(models.Model):
    """What a signed-in user may edit (rules in :mod:`.permissions`).

    The public needs no account. A reader (leser) is signed in to read drafts, of one mapping or,
    with ``mapping`` empty, of every mapping. An administrator is a Django superuser (no row
    needed). A mapping editor (kartlegger) edits every arrangement of one mapping; a municipality
    editor edits the arrangements one municipality (an entity across number changes) takes part
    in, in one mapping or, with ``mapping`` empty, in every mapping.
    """

    class Role(models.TextChoices):
        MAPPING_EDITOR = "kartlegger", "Kartlegger"
        MUNICIPALITY_EDITOR = "kommune", "Kommuneredaktør"
        READER = "leser", "Leser"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="role_assignments"
    )
    role = models.CharField(max_length=20, choices=Role.choices)
    mapping = models.ForeignKey(
        Mapping, null=True, blank=True, on_delete=models.CASCADE, related_name="role_assignments"
    )
    municipality = models.ForeignKey(
        Municipality,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="editor_assignments",
    )
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["user", "role", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(role="kartlegger") & Q(mapping__isnull=False) & Q(municipality__isnull=True)
                )
                | (Q(role="kommune") & Q(municipality__isnull=False))
                | (Q(role="leser") & Q(municipality__isnull=True)),
                name="role_assignment_consistent",
            ),
            models.UniqueConstraint(
                fields=["user", "mapping"],
                condition=Q(role="leser"),
                name="role_reader_unique",
            ),
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(role="leser", mapping__isnull=True),
                name="role_reader_all_unique",
            ),
            models.UniqueConstraint(
                fields=["user", "mapping"],
                condition=Q(role="kartlegger"),
                name="role_mapping_editor_unique",
            ),
            models.UniqueConstraint(
                fields=["user", "municipality"],
                condition=Q(role="kommune", mapping__isnull=True),
                name="role_municipality_editor_unique",
            ),
            models.UniqueConstraint(
                fields=["user", "municipality", "mapping"],
                condition=Q(role="kommune", mapping__isnull=False),
                name="role_municipality_editor_mapping_unique",
            ),
        ]

    def __str__(self) -> str:
        target = self.mapping if self.role == self.Role.MAPPING_EDITOR else self.municipality
        return f"{self.user} – {self.get_role_display()} for {target}"


class ChangeRecord(models.Model):
    """One change of one arrangement: who, when, from where (``source``), and the arrangement
    before and after, incl. participants and task areas, in the mapping file's terms
    (:func:`samarbeid.registry.history.snapshot`). Written by :mod:`.editing` and by the import
    (:mod:`.history`); never changed afterwards."""

    class Action(models.TextChoices):
        CREATED = "opprettet", "Opprettet"
        UPDATED = "endret", "Endret"
        DELETED = "slettet", "Slettet"
        RESTORED = "gjenopprettet", "Gjenopprettet"

    class Channel(models.TextChoices):
        WEB = "nett", "Nettskjema"
        API = "api", "API"
        IMPORT = "import", "Import av kartleggingsfil"
        COMMAND = "kommando", "Kommando"

    mapping = models.ForeignKey(Mapping, on_delete=models.CASCADE, related_name="changes")
    arrangement = models.ForeignKey(
        Arrangement, null=True, blank=True, on_delete=models.SET_NULL, related_name="changes"
    )
    ref = models.CharField(max_length=50, help_text="Ordningens id da endringen ble gjort")
    name = models.CharField(max_length=300, help_text="Ordningens navn etter (eller før) endringen")
    action = models.CharField(max_length=20, choices=Action.choices)
    channel = models.CharField(max_length=20, choices=Channel.choices, default=Channel.WEB)
    version = models.PositiveIntegerField(help_text="Ordningens versjon etter endringen")
    at = models.DateTimeField(default=timezone.now, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    user_name = models.CharField(
        max_length=150, blank=True, help_text="Hvem, da endringen ble gjort"
    )
    source = models.TextField(help_text="Kilde for endringen (påkrevd)")
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    changed = models.JSONField(default=list, blank=True, help_text="Kolonnene som ble endret")
    restored_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["at", "id"]
        indexes = [
            models.Index(fields=["arrangement", "version"], name="change_arrangement_version"),
            models.Index(fields=["mapping", "ref"], name="change_mapping_ref"),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(source=""), name="change_source_required"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_action_display()} {self.ref} ({self.user_name})"


class LoginFailure(models.Model):
    """A failed sign-in, for throttling (see :mod:`samarbeid.web.auth`). Old rows are pruned."""

    username = models.CharField(max_length=150, help_text="Brukernavnet, små bokstaver")
    ip = models.CharField(max_length=45)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["username", "ip", "at"], name="login_failure_lookup")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.username} {self.ip}"
