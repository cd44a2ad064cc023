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

from samarbeid.reference.gazetteer import load_gazetteer
from samarbeid.rules.schema import ARRANGEMENTS, MEMBERSHIPS
from samarbeid.rules.values import canonical_decimal, format_year_or_date

from .models import Arrangement, ChangeRecord, Mapping, Membership

#: The columns of a snapshot's ``values`` (the sheet Ordninger without the inline participants).
VALUE_COLUMNS: tuple[str, ...] = tuple(k for k in ARRANGEMENTS.keys if k != "deltakere")
#: The columns of one participant in a snapshot (the sheet Deltakere without ``ordning_id``).
MEMBERSHIP_COLUMNS: tuple[str, ...] = tuple(k for k in MEMBERSHIPS.keys if k != "ordning_id")
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


def _period_names() -> dict[tuple, str]:
    return {(p.number, p.valid_from): p.qualified_name() for p in load_gazetteer().periods}


def snapshots(arrangements: QuerySet[Arrangement]) -> dict[int, Snapshot]:
    """Snapshots of many arrangements with a few plain queries (the import takes one of a whole
    mapping: 5 000 arrangements in about half a second); the texts ``samarbeid export`` writes."""
    names = _period_names()
    fields = [
        "id", "ref", "name", "abbreviation", "name_variants", "status", "exclusion_reason",
        "status_note", "ended_on", "ended_precision", "legal_form", "legal_form_source",
        "org_number", "sector", "established_from", "established_to", "established_unspecified",
        "host_status", "host__number", "host__valid_from", "host__name", "host_source", "arsverk",
        "arsverk_source", "budget", "description", "notes", "sources",
        "participant_count_stated", "participants_completeness", "participants_note",
        "participants_as_printed",
    ]  # fmt: skip
    rows = list(arrangements.order_by("position", "id").values_list(*fields))
    ids = [row[0] for row in rows]
    tasks: dict[int, list[int]] = {}
    members: dict[int, list[dict[str, str]]] = {}
    for start in range(0, len(ids), 5000):
        chunk = ids[start : start + 5000]
        for arrangement_id, nr in Arrangement.task_areas.through.objects.filter(
            arrangement_id__in=chunk
        ).values_list("arrangement_id", "taskarea__nr"):
            tasks.setdefault(arrangement_id, []).append(nr)
        for (
            arrangement_id, kind, number, valid_from, period_name, county, other, role, share,
            joined, left, as_printed, source,
        ) in (
            Membership.objects.filter(arrangement_id__in=chunk)
            .order_by("arrangement_id", "position", "id")
            .values_list(
                "arrangement_id", "kind", "municipality__number", "municipality__valid_from",
                "municipality__name", "county__name", "other_name", "role", "ownership_share",
                "joined_on", "left_on", "as_printed", "source",
            )
        ):  # fmt: skip
            if kind == "kommune":
                name = names.get((number, valid_from), period_name)
            elif kind == "fylkeskommune":
                name, number = f"{county} fylkeskommune", ""
            else:
                name, number = other, ""
            members.setdefault(arrangement_id, []).append(
                {
                    "deltaker": name,
                    "kommunenummer": number,
                    "type": kind,
                    "rolle": role,
                    "eierandel": canonical_decimal(share),
                    "inn_dato": joined.isoformat() if joined else "",
                    "ut_dato": left.isoformat() if left else "",
                    "som_trykt": as_printed,
                    "kilde": source,
                }
            )
    result: dict[int, Snapshot] = {}
    for row in rows:
        a = dict(zip(fields, row, strict=True))
        pk = a["id"]
        if a["established_unspecified"]:
            established = "uspesifisert"
        elif a["established_from"] is None:
            established = ""
        elif a["established_from"] == a["established_to"]:
            established = str(a["established_from"])
        else:
            established = f"{a['established_from']}-{a['established_to']}"
        if a["host_status"] == "kommune" and a["host__number"]:
            host = names.get((a["host__number"], a["host__valid_from"]), a["host__name"])
        else:
            host = "ingen" if a["host_status"] == "ingen" else ""
        stated = a["participant_count_stated"]
        values = {
            "id": a["ref"],
            "navn": a["name"],
            "forkortelse": a["abbreviation"],
            "navnevarianter": "; ".join(a["name_variants"]),
            "status": a["status"],
            "utenfor_grunn": a["exclusion_reason"],
            "statusmerknad": a["status_note"],
            "avsluttet": format_year_or_date(a["ended_on"], a["ended_precision"]),
            "juridisk_form": a["legal_form"],
            "juridisk_form_kilde": a["legal_form_source"],
            "organisasjonsnummer": a["org_number"],
            "sektor": a["sector"],
            "oppgaveomrader": "; ".join(str(nr) for nr in sorted(tasks.get(pk, []))),
            "etablert": established,
            "vertskommune": host,
            "vertskommune_kilde": a["host_source"],
            "arsverk": canonical_decimal(a["arsverk"]),
            "arsverk_kilde": a["arsverk_source"],
            "budsjett": canonical_decimal(a["budget"]),
            "beskrivelse": a["description"],
            "merknader": a["notes"],
            "kilder": a["sources"],
            "deltakere_som_trykt": a["participants_as_printed"],
            "deltakere_oppgitt_antall": "" if stated is None else str(stated),
            "deltakerliste": a["participants_completeness"],
            "deltakere_merknad": a["participants_note"],
        }
        result[pk] = {
            "values": {k: values[k] for k in VALUE_COLUMNS},
            "memberships": members.get(pk, []),
        }
    return result


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
