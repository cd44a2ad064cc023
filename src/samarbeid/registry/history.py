"""The change history of arrangements (Endringshistorikk).

Every change of registry data about an arrangement – its fields, participants and task areas;
created, changed, deleted or restored; through the web form, the API or an import of a mapping
file – is one :class:`~samarbeid.registry.models.ChangeRecord`: who, when, through which channel,
the source the editor gave, and the whole arrangement before and after as a *snapshot*.

A snapshot is the arrangement in the mapping file's own terms (``rules/schema.py``): the row of
the sheet Ordninger (``values``, column -> text) and its rows of the sheet Deltakere
(``memberships``, without ``ordning_id``), exactly as ``samarbeid export`` writes them. So a
snapshot reads like the file people know, and restoring one goes through the same validation as an
edit (:func:`samarbeid.registry.editing.restore_version`).

Import hook (``samarbeid import``, ``load-example``): :func:`capture` before the mapping is
written and :func:`record_import` after, in the same transaction.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import F, QuerySet

from samarbeid.rules.schema import MEMBERSHIP_COLUMNS as MEMBERSHIP_COLUMNS
from samarbeid.rules.schema import VALUE_COLUMNS as VALUE_COLUMNS

from . import codec
from .models import Arrangement, ChangeRecord, Mapping

PARTICIPANTS = "deltakere"

#: Norwegian labels of the columns, for the history and the edit form.
LABELS: dict[str, str] = {
    "id": "Id",
    "navn": "Navn",
    "forkortelse": "Forkortelse",
    "navnevarianter": "Andre navn og stavemåter",
    "status": "Status",
    "utenfor_grunn": "Grunn til at ordningen er utenfor definisjonen",
    "statusmerknad": "Merknad om status",
    "avsluttet": "Avsluttet",
    "juridisk_form": "Juridisk form",
    "juridisk_form_kilde": "Kilde for juridisk form",
    "organisasjonsnummer": "Organisasjonsnummer",
    "sektor": "Sektor",
    "oppgaveomrader": "Oppgaveområder",
    "etablert": "Etablert",
    "vertskommune": "Vertskommune",
    "vertskommune_kilde": "Kilde for vertskommune",
    "arsverk": "Faste årsverk",
    "arsverk_kilde": "Kilde for årsverk",
    "budsjett": "Budsjett (kroner)",
    "beskrivelse": "Beskrivelse",
    "merknader": "Andre opplysninger",
    "kilder": "Kilder",
    "deltakere": "Deltakere",
    "deltakere_som_trykt": "Deltakerlisten slik kilden skriver den",
    "deltakere_oppgitt_antall": "Antall deltakere oppgitt i kilden",
    "deltakerliste": "Deltakerlisten er",
    "deltakere_merknad": "Merknad om deltakerne",
}
MEMBERSHIP_LABELS: dict[str, str] = {
    "deltaker": "Deltaker",
    "kommunenummer": "Kommunenummer",
    "type": "Type",
    "rolle": "Rolle",
    "eierandel": "Eierandel (prosent)",
    "inn_dato": "Med fra",
    "ut_dato": "Uttrådt",
    "som_trykt": "Skrevet i kilden",
    "kilde": "Kilde",
}

Snapshot = dict[str, Any]


# --- Snapshots ----------------------------------------------------------------------------------


def snapshots(arrangements: QuerySet[Arrangement]) -> dict[int, Snapshot]:
    """Snapshots of many arrangements: their rows in the file's terms (:mod:`.codec`)."""
    return codec.arrangement_rows(arrangements)


def snapshot(arrangement: Arrangement) -> Snapshot:
    """The arrangement as it is in the database now."""
    return snapshots(Arrangement.objects.filter(pk=arrangement.pk))[arrangement.pk]


def changed_columns(before: Snapshot | None, after: Snapshot | None) -> list[str]:
    """The columns that differ (in :data:`VALUE_COLUMNS` order), ``deltakere`` for participants."""
    b = (before or {}).get("values", {})
    a = (after or {}).get("values", {})
    changed = [k for k in VALUE_COLUMNS if b.get(k, "") != a.get(k, "")]
    if (before or {}).get("memberships", []) != (after or {}).get("memberships", []):
        changed.append(PARTICIPANTS)
    return changed


# --- Recording ----------------------------------------------------------------------------------


def user_label(user) -> str:
    """How a user is named in the history: the full name, else the user name."""
    if user is None or not getattr(user, "is_authenticated", False):
        return ""
    return (user.get_full_name() or user.get_username())[:150]


def record(
    *,
    mapping: Mapping,
    arrangement: Arrangement | None,
    ref: str,
    name: str,
    action: str,
    version: int,
    before: Snapshot | None,
    after: Snapshot | None,
    source: str,
    channel: str,
    user=None,
    user_name: str = "",
    restored_from: ChangeRecord | None = None,
) -> ChangeRecord:
    if not source.strip():
        raise ValueError("every change needs its source")
    authenticated = user is not None and getattr(user, "is_authenticated", False)
    return ChangeRecord.objects.create(
        mapping=mapping,
        arrangement=arrangement,
        ref=ref,
        name=name[:300],
        action=action,
        channel=channel,
        version=version,
        user=user if authenticated else None,
        user_name=user_name or user_label(user),
        source=source.strip(),
        before=before,
        after=after,
        changed=changed_columns(before, after),
        restored_from=restored_from,
    )


@dataclass
class Captured:
    """The state of a mapping before an import (see :func:`capture`)."""

    mapping_id: int | None
    snapshots: dict[int, Snapshot]
    versions: dict[int, int]


def capture(mapping: Mapping | None) -> Captured:
    """Snapshot every arrangement of the mapping (None: the mapping does not exist yet)."""
    if mapping is None or mapping.pk is None:
        return Captured(None, {}, {})
    arrangements = Arrangement.objects.filter(mapping=mapping)
    return Captured(
        mapping.pk,
        snapshots(arrangements),
        dict(arrangements.values_list("id", "version")),
    )


def record_import(
    mapping: Mapping,
    before: Captured,
    *,
    source: str,
    user_name: str = "",
    user=None,
    channel: str = ChangeRecord.Channel.IMPORT,
) -> int:
    """Record what an import changed since :func:`capture`: one record per new, changed or
    removed arrangement; changed arrangements get a new version (an editor who opened the form
    before the import then gets a conflict, not a silent overwrite). Returns the number of records.
    """
    arrangements = Arrangement.objects.filter(mapping=mapping)
    after = snapshots(arrangements)
    versions = dict(arrangements.values_list("id", "version"))
    records: list[ChangeRecord] = []
    bumped: list[int] = []
    authenticated = user is not None and getattr(user, "is_authenticated", False)
    common = {
        "mapping": mapping,
        "channel": channel,
        "user": user if authenticated else None,
        "user_name": (user_name or user_label(user))[:150],
        "source": source.strip() or "Import av kartleggingsfil",
    }
    for pk, now in after.items():
        old = before.snapshots.get(pk)
        if old == now:
            continue
        if old is None:
            action, version = ChangeRecord.Action.CREATED, versions[pk]
        else:
            action, version = ChangeRecord.Action.UPDATED, before.versions.get(pk, 1) + 1
            bumped.append(pk)
        records.append(
            ChangeRecord(
                arrangement_id=pk,
                ref=now["values"]["id"],
                name=now["values"]["navn"][:300],
                action=action,
                version=version,
                before=old,
                after=now,
                changed=changed_columns(old, now),
                **common,
            )
        )
    for pk, old in before.snapshots.items():
        if pk not in after:  # the import never deletes; kept for completeness
            records.append(
                ChangeRecord(
                    arrangement_id=None,
                    ref=old["values"]["id"],
                    name=old["values"]["navn"][:300],
                    action=ChangeRecord.Action.DELETED,
                    version=before.versions.get(pk, 1) + 1,
                    before=old,
                    after=None,
                    changed=changed_columns(old, None),
                    **common,
                )
            )
    for start in range(0, len(bumped), 5000):
        Arrangement.objects.filter(pk__in=bumped[start : start + 5000]).update(
            version=F("version") + 1
        )
    ChangeRecord.objects.bulk_create(records, batch_size=500)
    return len(records)


# --- Reading ------------------------------------------------------------------------------------


def changes_of(arrangement: Arrangement) -> QuerySet[ChangeRecord]:
    """The arrangement's history, newest first."""
    return ChangeRecord.objects.filter(arrangement=arrangement).order_by("-at", "-id")


def snapshot_at(arrangement: Arrangement, version: int) -> Snapshot | None:
    """The arrangement as it was at ``version``: the "after" of the change that made it, or the
    "before" of the change that followed it. None when the history does not reach back."""
    rows = ChangeRecord.objects.filter(arrangement=arrangement).order_by("-at", "-id")
    made = rows.filter(version=version).exclude(after=None).first()
    if made is not None:
        return made.after
    following = rows.filter(version=version + 1).exclude(before=None).first()
    return following.before if following is not None else None


def last_change(arrangement: Arrangement) -> ChangeRecord | None:
    return changes_of(arrangement).first()


def deleted_in(mapping: Mapping) -> list[ChangeRecord]:
    """Deletions of arrangements whose id is not in use again (they can be restored)."""
    in_use = set(Arrangement.objects.filter(mapping=mapping).values_list("ref", flat=True))
    latest: dict[str, ChangeRecord] = {}
    for row in ChangeRecord.objects.filter(
        mapping=mapping, action=ChangeRecord.Action.DELETED
    ).order_by("at", "id"):
        if row.ref not in in_use:
            latest[row.ref] = row
    return sorted(latest.values(), key=lambda r: (r.at, r.pk), reverse=True)


@dataclass
class FieldChange:
    column: str
    label: str
    before: str
    after: str
    #: For participants: one line per participant added, removed or changed.
    lines: list[str]


def _participant_key(row: dict[str, str]) -> tuple[str, str, str]:
    return (row.get("type", ""), row.get("kommunenummer", ""), row.get("deltaker", "").casefold())


def _participant_label(row: dict[str, str]) -> str:
    number = row.get("kommunenummer", "")
    return f"{row.get('deltaker', '')} ({number})" if number else row.get("deltaker", "")


def participant_lines(before: Iterable[dict], after: Iterable[dict]) -> list[str]:
    """``+ Tinn (3818)``, ``− Hjartdal (3819)``, ``Kongsberg (3006): Eierandel 20 → 25``."""
    old = {_participant_key(r): r for r in before}
    new = {_participant_key(r): r for r in after}
    lines = [f"+ {_participant_label(r)}" for k, r in new.items() if k not in old]
    lines += [f"− {_participant_label(r)}" for k, r in old.items() if k not in new]
    for k, r in new.items():
        if k in old and old[k] != r:
            parts = [
                f"{MEMBERSHIP_LABELS[c]}: {old[k].get(c, '') or '(tom)'} → {r.get(c, '') or '(tom)'}"
                for c in MEMBERSHIP_COLUMNS
                if old[k].get(c, "") != r.get(c, "")
            ]
            lines.append(f"{_participant_label(r)}: " + "; ".join(parts))
    if not lines and list(before) != list(after):
        lines.append("Rekkefølgen er endret")
    return lines


def describe(before: Snapshot | None, after: Snapshot | None) -> list[FieldChange]:
    """What changed, field by field, in Norwegian."""
    b = (before or {}).get("values", {})
    a = (after or {}).get("values", {})
    result = []
    for column in changed_columns(before, after):
        if column == PARTICIPANTS:
            old = (before or {}).get("memberships", [])
            new = (after or {}).get("memberships", [])
            result.append(
                FieldChange(
                    column,
                    LABELS[column],
                    f"{len(old)} deltakere" if before else "",
                    f"{len(new)} deltakere" if after else "",
                    participant_lines(old, new),
                )
            )
        else:
            result.append(
                FieldChange(column, LABELS[column], b.get(column, ""), a.get(column, ""), [])
            )
    return result
