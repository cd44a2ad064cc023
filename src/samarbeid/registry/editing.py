"""Change one arrangement: create, update, delete, restore. Used by the web forms and the API.

One rule set: an edit is checked by :func:`samarbeid.rules.record.check_record` (the checks of a
mapping file, on this one record at the mapping's name and date) and written with the codec the
import writes with (:func:`samarbeid.registry.codec.arrangement_values`, ``membership_values``).
So a value the import refuses, an edit refuses too, with the same Norwegian message.

``values`` use the mapping file's column names (``navn``, ``juridisk_form``, ``vertskommune``,
``arsverk``, …, see ``rules/schema.py`` ARRANGEMENTS); ``memberships`` are rows of the sheet
Deltakere (``deltaker``, ``kommunenummer``, ``type``, ``rolle``, ``eierandel``, ``inn_dato``,
``ut_dato``, ``som_trykt``, ``kilde``). On update, columns left out keep their current value and
``memberships=None`` keeps the participants.

Every write is one transaction that

- checks access (:mod:`.permissions`; a frozen mapping is read-only): :class:`EditForbidden`;
- checks the version the editor started from (optimistic locking: a conditional
  ``UPDATE … SET version = version + 1 WHERE id = … AND version = expected``):
  :class:`EditConflict` says who changed the arrangement since, and when;
- validates: :class:`EditRejected` carries the problems field by field;
- writes the arrangement, its participants and task areas, and one
  :class:`~samarbeid.registry.models.ChangeRecord` with the source the editor gave (required).
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext_noop

from samarbeid.core.i18n import translate
from samarbeid.reference.vocab import alias_key
from samarbeid.rules.boundary import Issue, clean_cell
from samarbeid.rules.findings import ERROR, WARNING, Finding
from samarbeid.rules.record import check_record
from samarbeid.rules.schema import ARRANGEMENTS, MEMBERSHIPS, Column
from samarbeid.rules.spec import ArrangementSpec

from . import codec, history, permissions
from .models import (
    Arrangement,
    ChangeRecord,
    County,
    Mapping,
    Membership,
    Municipality,
    MunicipalityPeriod,
    TaskArea,
)
from .participation import takes_part_on

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


# --- Validation with the intake's rules ---------------------------------------------------------


@dataclass
class Checked:
    spec: ArrangementSpec | None
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)


def _problem(finding: Finding) -> Problem:
    if finding.sheet == MEMBERSHIPS.name:
        return Problem(
            PARTICIPANTS,
            finding.code,
            finding.text("nb"),
            finding.severity,
            row=(finding.row or 1) - 1,
            column=finding.column,
            value=finding.value,
            finding=finding,
        )
    return Problem(
        finding.column or "",
        finding.code,
        finding.text("nb"),
        finding.severity,
        value=finding.value,
        finding=finding,
    )


def check(
    mapping: Mapping, values: dict[str, str], memberships: list[dict[str, str]] | None
) -> Checked:
    """Validate one arrangement as the intake validates a mapping file with just this row.

    ``values`` must hold ``id``; ``memberships`` None means the participants are given inline
    (``values["deltakere"]``) or not at all.
    """
    shape = _shape_problems(values, memberships)
    if shape:
        return Checked(None, shape)
    result = check_record(
        {k: _text(v) for k, v in values.items()},
        [{k: _text(v) for k, v in row.items()} for row in memberships or []],
        mapping_name=mapping.name,
        cutoff_date=mapping.cutoff_date,
    )
    ours = [
        _problem(f)
        for f in result.findings
        if f.sheet in (ARRANGEMENTS.name, MEMBERSHIPS.name)
        and f.code != "membership_arrangement_unknown"  # only when the id itself is missing
    ]
    spec = result.spec.arrangements[0] if result.spec.arrangements else None
    return Checked(
        spec,
        [p for p in ours if p.severity == ERROR],
        [p for p in ours if p.severity == WARNING],
    )


SCALARS = (str, int, float, Decimal, bool, dt.date, type(None))


def _shape_problems(
    values: dict[str, Any], memberships: list[dict[str, Any]] | None
) -> list[Problem]:
    """A value that is not a text or a number (an object, a list, …) is refused by name, never
    stored as its Python representation."""
    problems = []
    for key, value in values.items():
        if not isinstance(value, SCALARS):
            problems.append(_shape_problem(key, value))
    for i, row in enumerate(memberships or []):
        if not isinstance(row, dict):
            problems.append(_shape_problem(PARTICIPANTS, row, row=i))
            continue
        for key, value in row.items():
            if not isinstance(value, SCALARS):
                problems.append(_shape_problem(PARTICIPANTS, value, row=i, column=key))
    return problems


def _shape_problem(field_name: str, value: Any, row: int | None = None, column=None) -> Problem:
    return Problem(
        field_name,
        "value_not_text",
        gettext_noop("Forventet en tekst eller et tall, ikke {kind}."),
        row=row,
        column=column,
        params={"kind": type(value).__name__},
    )


def _text(value: Any) -> str:
    """Form and JSON values as the cell text a file would hold (stripped; \\r\\n -> \\n)."""
    if value is None:
        return ""
    return str(value).replace("\r\n", "\n").replace("\r", "\n").strip()


def duplicates(mapping: Mapping, spec: ArrangementSpec, exclude: int | None) -> list[Problem]:
    """What the intake checks within one file, checked against the rest of the mapping."""
    problems = []
    others = Arrangement.objects.filter(mapping=mapping).exclude(pk=exclude)
    same_ref = others.filter(ref=spec.ref).first()
    if same_ref is not None:
        problems.append(
            Problem(
                "id",
                "id_duplicate",
                gettext_noop("Id-en «{ref}» er allerede brukt av ordningen «{name}»."),
                value=spec.ref,
                params={"ref": spec.ref, "name": same_ref.name},
            )
        )
    key = alias_key(spec.name)
    for ref, name in others.values_list("ref", "name"):
        if alias_key(name) == key:
            problems.append(
                Problem(
                    "navn",
                    "arrangement_duplicate",
                    gettext_noop(
                        "Samme ordning to ganger: «{name}» finnes allerede i kartleggingen "
                        "(ordning {ref})."
                    ),
                    value=spec.name,
                    params={"name": spec.name, "ref": ref},
                )
            )
            break
    return problems


def _municipality_scope(
    user, mapping: Mapping, spec: ArrangementSpec, *, new: bool
) -> list[Problem]:
    """A municipality editor saves only arrangements one of its municipalities takes part in.

    A new arrangement must have it taking part on the mapping's date (the same rule as the role
    check, registry/participation.py). A change to an existing one was allowed by that role
    check on the arrangement as it was; after the change the municipality must still be among
    the participants, but may have left: recording that it left is how it leaves."""
    if permissions.can_edit_mapping(user, mapping):
        return []
    mine = permissions.editable_municipalities(user, mapping)
    taking_part = {
        m.period.entity
        for m in spec.memberships
        if m.period is not None
        and (not new or takes_part_on(mapping.cutoff_date, m.joined_on, m.left_on))
    }
    if mine & taking_part:
        return []
    names = " eller ".join(
        sorted(Municipality.objects.filter(key__in=mine).values_list("name", flat=True))
    )
    return [
        Problem(
            PARTICIPANTS,
            "municipality_editor_scope",
            gettext_noop(
                "Som kommuneredaktør kan du bare lagre ordninger som {names} deltar i. Har "
                "kommunen gått ut av ordningen, skriv datoen i «Uttrådt» i stedet for å fjerne den."
            ),
            params={"names": names},
        )
    ]


SOURCE_COLUMN = Column(SOURCE_FIELD, "Kilde for endringen")
PROSE_COLUMN = Column("", "", prose=True)


def text_problems(field_name: str, value: Any, *, prose: bool = False) -> list[Problem]:
    """What the input boundary refuses in a free text (a source; with ``prose``, a comment that
    may start with a formula character): no control character, at most a cell's length, and no
    formula unless ``prose``. Empty is fine here."""
    _, issues = clean_cell(PROSE_COLUMN if prose else SOURCE_COLUMN, _text(value))
    return [_issue_problem(field_name, issue) for issue in issues if issue.severity == ERROR]


def clean_text_value(value: Any) -> str:
    """A free text as it is stored, after :func:`text_problems` found nothing."""
    return clean_cell(PROSE_COLUMN, _text(value))[0]


def _source_problems(source: str) -> list[Problem]:
    """The source of a change passes the same input boundary as every cell (no formula, no
    control character, at most a cell's length), and it is required."""
    problems = text_problems(SOURCE_FIELD, source)
    if problems or clean_text_value(source):
        return problems
    return [
        Problem(
            SOURCE_FIELD,
            "source_required",
            gettext_noop(
                "Kilden for endringen mangler. Skriv hvor opplysningene kommer fra, for eksempel "
                "«Eierskapsmelding 2024» eller «E-post fra kommunen 3. mars»."
            ),
        )
    ]


def _clean_source(source: str) -> str:
    """The source as it is stored (checked by :func:`_source_problems` first)."""
    return clean_text_value(source)


def _issue_problem(field_name: str, issue: Issue) -> Problem:
    finding = Finding(
        issue.severity, issue.code, field_name, value=issue.value, params=issue.params
    )
    return Problem(
        field_name,
        issue.code,
        finding.text("nb"),
        issue.severity,
        value=issue.value,
        finding=finding,
    )


# --- Writing ------------------------------------------------------------------------------------


def _ids(spec: ArrangementSpec) -> tuple[dict, dict]:
    """Database ids of the periods and counties the spec names (fresh, not a process cache)."""
    periods = [m.period for m in spec.memberships if m.period is not None]
    if spec.host is not None:
        periods.append(spec.host)
    counties = [m.county for m in spec.memberships if m.county is not None]
    period_ids = {
        (n, f): i
        for n, f, i in MunicipalityPeriod.objects.filter(
            number__in={p.number for p in periods}
        ).values_list("number", "valid_from", "id")
    }
    county_ids = {
        (n, f): i
        for n, f, i in County.objects.filter(number__in={c.number for c in counties}).values_list(
            "number", "valid_from", "id"
        )
    }
    return period_ids, county_ids


def _write(arrangement_id: int, spec: ArrangementSpec, position: int) -> None:
    periods, counties = _ids(spec)
    Arrangement.objects.filter(pk=arrangement_id).update(
        **codec.arrangement_values(spec, position, periods)
    )
    Membership.objects.filter(arrangement_id=arrangement_id).delete()
    Membership.objects.bulk_create(
        Membership(
            arrangement_id=arrangement_id, **codec.membership_values(m, i, periods, counties)
        )
        for i, m in enumerate(spec.memberships)
    )
    through = Arrangement.task_areas.through
    through.objects.filter(arrangement_id=arrangement_id).delete()
    task_ids = dict(TaskArea.objects.filter(nr__in=spec.task_areas).values_list("nr", "id"))
    through.objects.bulk_create(
        through(arrangement_id=arrangement_id, taskarea_id=task_ids[nr]) for nr in spec.task_areas
    )


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


def _prepare(
    mapping: Mapping,
    values: dict[str, str],
    memberships: list[dict[str, str]] | None,
    *,
    user,
    source: str,
    exclude: int | None,
) -> Checked:
    checked = check(mapping, values, memberships)
    errors = _source_problems(source) + checked.errors
    if checked.spec is not None and not checked.errors:
        errors += duplicates(mapping, checked.spec, exclude)
        errors += _municipality_scope(user, mapping, checked.spec, new=exclude is None)
    if errors:
        raise EditRejected(errors, checked.warnings)
    return checked


def update_arrangement(
    arrangement: Arrangement,
    values: dict[str, str],
    memberships: list[dict[str, str]] | None,
    *,
    user,
    source: str,
    expected_version: int,
    channel: str = Channel.WEB,
) -> Arrangement:
    """Change an arrangement. Columns not in ``values`` keep their value; ``memberships=None``
    keeps the participants (unless ``values`` has inline ``deltakere``). Returns the arrangement as
    saved, with ``edit_warnings`` (the intake's warnings) and ``edit_record`` (None when nothing
    changed: then the version stays)."""
    return _update(
        arrangement,
        values,
        memberships,
        user=user,
        source=source,
        expected_version=expected_version,
        channel=channel,
        action=Action.UPDATED,
    )


def _update(
    arrangement: Arrangement,
    values: dict[str, str],
    memberships: list[dict[str, str]] | None,
    *,
    user,
    source: str,
    expected_version: int,
    channel: str,
    action: str,
    restored_from: ChangeRecord | None = None,
) -> Arrangement:
    with transaction.atomic():
        current = Arrangement.objects.select_related("mapping").filter(pk=arrangement.pk).first()
        mapping = current.mapping if current else arrangement.mapping
        if current is None:
            raise _conflict(arrangement.pk, mapping, arrangement.ref)
        if not permissions.can_edit_arrangement(user, current):
            raise EditForbidden(forbidden_message(user, current))
        if current.version != expected_version:
            raise _conflict(current.pk, mapping, current.ref)
        before = history.snapshot(current)
        merged = {**before["values"], **{k: _text(v) for k, v in values.items()}}
        if merged.get("id", "") != current.ref:
            raise EditRejected(
                [
                    Problem(
                        "id",
                        "id_fixed",
                        gettext_noop(
                            "Id-en kan ikke endres (den er «{ref}»). Opprett heller en ny "
                            "ordning og slett denne."
                        ),
                        value=merged.get("id", ""),
                        params={"ref": current.ref},
                    )
                ]
            )
        if memberships is None and not merged.get(PARTICIPANTS):
            memberships = before["memberships"]
        checked = _prepare(
            mapping, merged, memberships, user=user, source=source, exclude=current.pk
        )
        updated = Arrangement.objects.filter(pk=current.pk, version=expected_version).update(
            version=F("version") + 1
        )
        if not updated:
            raise _conflict(current.pk, mapping, current.ref)
        _write(current.pk, checked.spec, current.position)
        after = history.snapshot(current)
        saved = Arrangement.objects.select_related("mapping").get(pk=current.pk)
        saved.edit_warnings = checked.warnings
        saved.edit_record = None
        if after == before:  # nothing changed: no new version, nothing to record
            Arrangement.objects.filter(pk=current.pk).update(version=expected_version)
            saved.version = expected_version
            return saved
        saved.edit_record = history.record(
            mapping=mapping,
            arrangement=saved,
            ref=saved.ref,
            name=saved.name,
            action=action,
            version=saved.version,
            before=before,
            after=after,
            source=_clean_source(source),
            channel=channel,
            user=user,
            restored_from=restored_from,
        )
        return saved


def next_ref(mapping: Mapping) -> str:
    """A free id in the style of the mapping's ids: after BUS21-234 comes BUS21-235."""
    refs = set(Arrangement.objects.filter(mapping=mapping).values_list("ref", flat=True))
    refs |= set(ChangeRecord.objects.filter(mapping=mapping).values_list("ref", flat=True))
    numbered = [m for m in (re.fullmatch(r"(.*?)(\d+)", r) for r in refs) if m]
    if numbered:
        prefix = Counter(m.group(1) for m in numbered).most_common(1)[0][0]
        same = [m for m in numbered if m.group(1) == prefix]
        width = max(len(m.group(2)) for m in same)
        number = max(int(m.group(2)) for m in same) + 1
    else:
        prefix, width, number = "ORD-", 3, 1
    while f"{prefix}{number:0{width}d}" in refs:
        number += 1
    return f"{prefix}{number:0{width}d}"


def create_arrangement(
    mapping: Mapping,
    values: dict[str, str],
    memberships: list[dict[str, str]] | None,
    *,
    user,
    source: str,
    channel: str = Channel.WEB,
) -> Arrangement:
    """Add an arrangement to the mapping. Without ``values["id"]`` it gets the next free id."""
    return _create(
        mapping,
        values,
        memberships,
        user=user,
        source=source,
        channel=channel,
        action=Action.CREATED,
    )


def _create(
    mapping: Mapping,
    values: dict[str, str],
    memberships: list[dict[str, str]] | None,
    *,
    user,
    source: str,
    channel: str,
    action: str,
    restored_from: ChangeRecord | None = None,
    version: int = 1,
) -> Arrangement:
    with transaction.atomic():
        mapping = Mapping.objects.get(pk=mapping.pk)
        allowed = (
            permissions.can_restore(user, mapping)
            if action == Action.RESTORED
            else permissions.can_create_arrangement(user, mapping)
        )
        if not allowed:
            raise EditForbidden(forbidden_message(user, None, mapping=mapping))
        values = {k: _text(v) for k, v in values.items()}
        values["id"] = values.get("id") or next_ref(mapping)
        checked = _prepare(mapping, values, memberships, user=user, source=source, exclude=None)
        position = (
            Arrangement.objects.filter(mapping=mapping).aggregate(m=Max("position"))["m"] or 0
        ) + 1
        row = Arrangement.objects.create(
            mapping=mapping, ref=checked.spec.ref, name=checked.spec.name, version=version
        )
        _write(row.pk, checked.spec, position)
        saved = Arrangement.objects.select_related("mapping").get(pk=row.pk)
        after = history.snapshot(saved)
        if action == Action.RESTORED:  # the earlier history of this id belongs to it again
            ChangeRecord.objects.filter(
                mapping=mapping, ref=saved.ref, arrangement__isnull=True
            ).update(arrangement=saved)
        saved.edit_warnings = checked.warnings
        saved.edit_record = history.record(
            mapping=mapping,
            arrangement=saved,
            ref=saved.ref,
            name=saved.name,
            action=action,
            version=saved.version,
            before=None,
            after=after,
            source=_clean_source(source),
            channel=channel,
            user=user,
            restored_from=restored_from,
        )
        return saved


def delete_arrangement(
    arrangement: Arrangement,
    *,
    user,
    source: str,
    expected_version: int,
    channel: str = Channel.WEB,
) -> ChangeRecord:
    """Delete an arrangement (mapping editors). The history keeps it; it can be restored."""
    with transaction.atomic():
        current = Arrangement.objects.select_related("mapping").filter(pk=arrangement.pk).first()
        mapping = current.mapping if current else arrangement.mapping
        if current is None:
            raise _conflict(arrangement.pk, mapping, arrangement.ref)
        if not permissions.can_delete_arrangement(user, current):
            raise EditForbidden(forbidden_message(user, current, deleting=True))
        if current.version != expected_version:
            raise _conflict(current.pk, mapping, current.ref)
        if problems := _source_problems(source):
            raise EditRejected(problems)
        updated = Arrangement.objects.filter(pk=current.pk, version=expected_version).update(
            version=F("version") + 1
        )
        if not updated:
            raise _conflict(current.pk, mapping, current.ref)
        before = history.snapshot(current)
        change = history.record(
            mapping=mapping,
            arrangement=current,
            ref=current.ref,
            name=current.name,
            action=Action.DELETED,
            version=expected_version + 1,
            before=before,
            after=None,
            source=_clean_source(source),
            channel=channel,
            user=user,
        )
        current.delete()  # the history rows keep ref and name; their link is set to NULL
        change.refresh_from_db()
        return change


def restore_version(
    change: ChangeRecord,
    *,
    user,
    source: str,
    expected_version: int | None = None,
    channel: str = Channel.WEB,
    before: bool = False,
) -> Arrangement:
    """Make the arrangement as it was after ``change`` (with ``before``, or for a deletion: as it
    was before it; for the oldest recorded change that is the version nothing else records).

    Mapping editors only. The restored state is validated like any edit (rules or reference data
    may have changed since) and recorded as a change of its own. An arrangement that still exists
    needs ``expected_version``; a deleted one comes back under its old id, with its history.
    """
    mapping = Mapping.objects.get(pk=change.mapping_id)
    if not permissions.can_restore(user, mapping):
        raise EditForbidden(forbidden_message(user, None, mapping=mapping, restoring=True))
    state = change.before if before or change.after is None else change.after
    if state is None:
        raise EditRejected(
            [Problem("", "nothing_to_restore", "Endringen har ingen versjon å gjenopprette.")]
        )
    arrangement = (
        Arrangement.objects.filter(pk=change.arrangement_id).first()
        if change.arrangement_id
        else Arrangement.objects.filter(mapping=mapping, ref=change.ref).first()
    )
    if arrangement is not None:
        if expected_version is None:  # the caller accepts whatever version is there now
            expected_version = arrangement.version
        return _update(
            arrangement,
            state["values"],
            state["memberships"],
            user=user,
            source=source,
            expected_version=expected_version,
            channel=channel,
            action=Action.RESTORED,
            restored_from=change,
        )
    last_version = (
        ChangeRecord.objects.filter(mapping=mapping, ref=change.ref).aggregate(v=Max("version"))[
            "v"
        ]
        or 0
    )
    return _create(
        mapping,
        state["values"],
        state["memberships"],
        user=user,
        source=source,
        channel=channel,
        action=Action.RESTORED,
        restored_from=change,
        version=last_version + 1,
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
