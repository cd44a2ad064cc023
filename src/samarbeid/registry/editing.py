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

import re
from collections import Counter

from django.db import transaction
from django.db.models import F, Max
from django.utils.translation import gettext_noop

from samarbeid.rules.spec import ArrangementSpec

from . import codec, history, permissions
from .edit_checks import (
    Checked,
    _clean_source,
    _municipality_scope,
    _source_problems,
    _text,
)
from .edit_checks import check as check
from .edit_checks import clean_text_value as clean_text_value
from .edit_checks import duplicates as duplicates
from .edit_checks import text_problems as text_problems
from .edit_outcomes import PARTICIPANTS as PARTICIPANTS
from .edit_outcomes import SOURCE_FIELD as SOURCE_FIELD
from .edit_outcomes import Action as Action
from .edit_outcomes import Channel as Channel
from .edit_outcomes import EditConflict as EditConflict
from .edit_outcomes import EditError as EditError
from .edit_outcomes import EditForbidden as EditForbidden
from .edit_outcomes import EditRejected as EditRejected
from .edit_outcomes import Problem as Problem
from .edit_outcomes import _conflict
from .edit_outcomes import forbidden_message as forbidden_message
from .models import (
    Arrangement,
    ChangeRecord,
    County,
    Mapping,
    Membership,
    MunicipalityPeriod,
    TaskArea,
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
