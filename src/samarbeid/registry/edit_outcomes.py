"""What an edit of one arrangement can end in, besides success: the problems found (field by
field, in bokmål with English from the catalogue), and the refusals (forbidden, rejected, a
conflict with someone else's change), with the message for each."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from samarbeid.core.i18n import translate
from samarbeid.rules.findings import ERROR, Finding

from . import permissions
from .models import (
    Arrangement,
    ChangeRecord,
    Mapping,
    Municipality,
)

PARTICIPANTS = "deltakere"
#: The field of the required source of a change (not a column of the mapping file).
SOURCE_FIELD = "endringskilde"
Action = ChangeRecord.Action
Channel = ChangeRecord.Channel


# --- Outcomes -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an edit, tied to the field it is about.

    ``field`` is a column of the sheet Ordninger (``navn``, ``vertskommune``, …), ``deltakere``
    for a participant (then ``row`` is its index in ``memberships`` and ``column`` the Deltakere
    column), ``endringskilde`` for the source of the change, or "" for the arrangement as a whole.
    Problems the intake finds carry its :class:`~samarbeid.rules.findings.Finding` and its exact
    message.

    ``template`` is the message in bokmål, with ``{fields}`` filled from ``params``; a template
    marked with ``gettext_noop`` is a msgid of the one catalogue (django.po), which gives the
    English. A message the catalogue does not hold is bokmål in every language.
    """

    field: str
    code: str
    template: str
    severity: str = ERROR
    row: int | None = None
    column: str | None = None
    value: str | None = None
    finding: Finding | None = None
    params: dict[str, Any] = field(default_factory=dict, hash=False)

    def text(self, lang: str = "nb") -> str:
        if self.finding is not None:
            return self.finding.text(lang)
        template = translate(self.template, lang)
        return template.format(**self.params) if self.params else template

    @property
    def message(self) -> str:
        """The message in bokmål."""
        return self.text("nb")

    @property
    def message_en(self) -> str:
        """The message in English, from the catalogue."""
        return self.text("en")

    def as_dict(self, lang: str = "nb") -> dict[str, Any]:
        return {
            "field": self.field,
            "row": self.row,
            "column": self.column,
            "code": self.code,
            "severity": self.severity,
            "value": self.value,
            "message": self.text(lang),
        }


class EditError(Exception):
    """Base of the ways an edit is refused; nothing was written."""


class EditForbidden(EditError):
    """The user may not make this change (or the mapping is frozen)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class EditRejected(EditError):
    """The edit breaks the rules of the mapping file; ``problems`` say where, field by field."""

    def __init__(self, problems: list[Problem], warnings: list[Problem] | None = None) -> None:
        self.problems = list(problems)
        self.warnings = list(warnings or [])
        super().__init__("; ".join(p.message for p in self.problems))

    @property
    def findings(self) -> list[Finding]:
        """The intake's own findings among the problems."""
        return [p.finding for p in self.problems if p.finding is not None]

    def by_field(self) -> dict[str, list[str]]:
        """Norwegian messages per field (participants' messages under ``deltakere``)."""
        out: dict[str, list[str]] = {}
        for p in self.problems:
            out.setdefault(p.field, []).append(p.message)
        return out


class EditConflict(EditError):
    """Someone changed (or deleted) the arrangement after the editor loaded it."""

    def __init__(
        self,
        current_version: int | None,
        changed_by: str,
        changed_at: dt.datetime | None,
        record: ChangeRecord | None = None,
    ) -> None:
        self.current_version = current_version
        self.changed_by = changed_by
        self.changed_at = changed_at
        self.record = record
        self.deleted = current_version is None
        when = f" {timezone.localtime(changed_at):%d.%m.%Y kl. %H:%M}" if changed_at else ""
        who = f" av {changed_by}" if changed_by else ""
        what = "slettet" if self.deleted else "endret"
        super().__init__(f"Ordningen ble {what}{who}{when} etter at du åpnet den.")


def _conflict(arrangement_id: int, mapping: Mapping, ref: str) -> EditConflict:
    current = Arrangement.objects.filter(pk=arrangement_id).values_list("version", flat=True)
    version = current[0] if current else None
    last = (
        ChangeRecord.objects.filter(arrangement_id=arrangement_id).order_by("-at", "-id").first()
        if version is not None
        else ChangeRecord.objects.filter(mapping=mapping, ref=ref, action=Action.DELETED)
        .order_by("-at", "-id")
        .first()
    )
    return EditConflict(
        version, last.user_name if last else "", last.at if last else None, record=last
    )


# --- Messages -----------------------------------------------------------------------------------


def forbidden_message(
    user,
    arrangement: Arrangement | None,
    *,
    mapping: Mapping | None = None,
    deleting: bool = False,
    restoring: bool = False,
) -> str:
    """Why the user may not do this, in Norwegian (shown on the 403 page and by the API)."""
    mapping = mapping or arrangement.mapping
    if mapping.frozen:
        return f"Kartleggingen «{mapping.name}» er frosset og kan ikke endres."
    if user is None or not user.is_authenticated:
        return "Du må logge inn for å endre registeret."
    if restoring:
        return "Bare kartleggeren for kartleggingen kan gjenopprette tidligere versjoner."
    if deleting:
        return "Bare kartleggeren for kartleggingen kan slette ordninger."
    labels = ", ".join(permissions.role_labels(user))
    if arrangement is None:
        return f"Du ({labels}) kan ikke opprette ordninger i kartleggingen «{mapping.name}»."
    mine = permissions.editable_municipalities(user, mapping)
    if mine:
        names = " eller ".join(
            sorted(Municipality.objects.filter(key__in=mine).values_list("name", flat=True))
        )
        return (
            f"Du er kommuneredaktør for {names}, og {names} deltar ikke i «{arrangement.name}». "
            "Du kan bare endre ordninger kommunen din deltar i."
        )
    return f"Du ({labels}) har ikke tilgang til å endre «{arrangement.name}»."
