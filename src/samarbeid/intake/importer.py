"""Write a validated mapping to the registry: all or nothing, idempotent, and logged."""

from __future__ import annotations

import datetime as dt
import getpass
import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import connection, models, transaction
from django.utils import timezone

from samarbeid.core.outfiles import shown
from samarbeid.core.text import replace_refused
from samarbeid.registry import codec
from samarbeid.registry.models import (
    Arrangement,
    Mapping,
    MappingMunicipality,
    Membership,
    MunicipalityPeriod,
    Region,
    RegionMembership,
)
from samarbeid.registry.reference import county_ids, period_ids, sync_reference
from samarbeid.rules.spec import MappingSpec
from samarbeid.rules.validate import CheckResult

from .models import ImportRun


@dataclass
class ImportOutcome:
    outcome: str
    mapping: Mapping | None
    counts: dict[str, int] = field(default_factory=dict)
    run: ImportRun | None = None


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _user() -> str:
    try:
        return getpass.getuser()
    except Exception:
        return ""


def log_run(
    path: Path,
    mapping_name: str,
    started: dt.datetime,
    outcome: str,
    result: CheckResult | None,
    counts: dict[str, int] | None = None,
    message: str = "",
) -> ImportRun:
    """Write one entry of the import log. Whatever the run was given (a name of 10 000
    characters, a file name that is not UTF-8, control characters) the entry can be stored: texts
    are made printable and cut to their columns here, the one place that writes the log."""
    try:
        is_file = path.is_file()
    except OSError:
        is_file = False
    return ImportRun.objects.create(
        mapping_name=_loggable(mapping_name, 150),
        file_name=_loggable(shown(path), 500),
        file_sha256=file_sha256(path) if is_file else "",
        file_size=path.stat().st_size if is_file else 0,
        user=_loggable(_user(), 150),
        started=started,
        finished=timezone.now(),
        outcome=outcome,
        errors=len(result.errors) if result else 1,
        warnings=len(result.warnings) if result else 0,
        counts=counts or {},
        message=_loggable(message, 5000),
    )


def _loggable(text: str, limit: int) -> str:
    text = replace_refused(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _same(a: Any, b: Any) -> bool:
    # Decimal('6.20') == Decimal('6.2'); dates and strings compare as they are.
    return a == b


@transaction.atomic
def write_mapping(
    spec: MappingSpec,
    *,
    skip_invalid: bool = False,
    progress=None,
    source: str = "Import av kartleggingsfil",
    user_name: str = "",
) -> tuple[Mapping, dict[str, int]]:
    """Create or update the mapping so that it holds exactly the file's arrangements.

    Every arrangement it creates or changes gets a record in the change history
    (:mod:`samarbeid.registry.history`) with ``source`` and ``user_name`` (default: the OS user).
    """
    from samarbeid.registry import history

    sync_reference()
    periods, counties = period_ids(), county_ids()
    counts = {
        "ordninger_ny": 0,
        "ordninger_endret": 0,
        "ordninger_uendret": 0,
        "ordninger_avvist": 0,
        "ordninger_ikke_i_filen": 0,
        "deltakere": 0,
        "kommuner_i_omfang": len(spec.scope),
    }
    mapping, created = Mapping.objects.get_or_create(
        name=spec.name,
        defaults={
            "title": spec.title,
            "cutoff_date": spec.cutoff_date,
            "description": spec.description,
            "source": spec.source,
        },
    )
    before = history.capture(None if created else mapping)
    changed_mapping = created
    if not created:
        for attr in ("title", "cutoff_date", "description", "source"):
            if getattr(mapping, attr) != getattr(spec, attr):
                setattr(mapping, attr, getattr(spec, attr))
                changed_mapping = True
        if changed_mapping:
            mapping.save()
    changed_mapping |= _write_scope(mapping, spec, periods)

    existing = {a.ref: a for a in Arrangement.objects.filter(mapping=mapping)}
    existing_members: dict[int, list[tuple]] = {}
    for row in (
        Membership.objects.filter(arrangement__mapping=mapping)
        .order_by("arrangement_id", "position")
        .values_list("arrangement_id", *codec.MEMBERSHIP_FIELDS)
    ):
        existing_members.setdefault(row[0], []).append(tuple(row[1:]))
    existing_tasks: dict[int, list[int]] = {}
    for arrangement_id, nr in Arrangement.task_areas.through.objects.filter(
        arrangement__mapping=mapping
    ).values_list("arrangement_id", "taskarea__nr"):
        existing_tasks.setdefault(arrangement_id, []).append(nr)
    from samarbeid.registry.models import TaskArea

    task_ids = dict(TaskArea.objects.values_list("nr", "id"))
    created: list[Arrangement] = []
    member_rows: list[tuple[Arrangement, list[tuple]]] = []
    task_rows: list[tuple[Arrangement, list[int]]] = []
    refs_in_file = set()
    for position, arrangement_spec in enumerate(spec.arrangements):
        if progress:
            progress(position + 1, len(spec.arrangements))
        if not arrangement_spec.valid:
            counts["ordninger_avvist"] += 1
            continue
        refs_in_file.add(arrangement_spec.ref)
        values = codec.arrangement_values(arrangement_spec, position, periods)
        members = [
            tuple(
                map(
                    codec.membership_values(m, i, periods, counties).__getitem__,
                    codec.MEMBERSHIP_FIELDS,
                )
            )
            for i, m in enumerate(arrangement_spec.memberships)
        ]
        row = existing.get(arrangement_spec.ref)
        if row is None:
            row = Arrangement(mapping=mapping, ref=arrangement_spec.ref, **values)
            created.append(row)
            counts["ordninger_ny"] += 1
            changed_members, changed_tasks = True, True
        else:
            dirty = [f for f, v in values.items() if not _same(getattr(row, f), v)]
            if dirty:
                for f in dirty:
                    setattr(row, f, values[f])
                row.save(update_fields=dirty)
            changed_members = existing_members.get(row.id, []) != members
            changed_tasks = sorted(existing_tasks.get(row.id, [])) != sorted(
                arrangement_spec.task_areas
            )
            counts[
                "ordninger_endret"
                if dirty or changed_members or changed_tasks
                else "ordninger_uendret"
            ] += 1
        if changed_members:
            member_rows.append((row, members))
        if changed_tasks:
            task_rows.append((row, arrangement_spec.task_areas))
        counts["deltakere"] += len(members)
    # One statement per table instead of one per arrangement: the national benchmark has 5 000
    # arrangements and 46 000 memberships.
    Arrangement.objects.bulk_create(created, batch_size=1000)
    new_ids = {row.id for row in created}
    Membership.objects.filter(
        arrangement_id__in=[row.id for row, _ in member_rows if row.id not in new_ids]
    ).delete()
    fast_insert(
        Membership,
        ["arrangement_id", *codec.MEMBERSHIP_FIELDS],
        [(row.id, *m) for row, members in member_rows for m in members],
    )
    through = Arrangement.task_areas.through
    through.objects.filter(
        arrangement_id__in=[row.id for row, _ in task_rows if row.id not in new_ids]
    ).delete()
    fast_insert(
        through,
        ["arrangement_id", "taskarea_id"],
        [(row.id, task_ids[nr]) for row, numbers in task_rows for nr in numbers],
    )
    counts["ordninger_ikke_i_filen"] = len(set(existing) - refs_in_file)
    counts["kartlegging_endret"] = int(changed_mapping)
    history.record_import(mapping, before, source=source, user_name=user_name or _user())
    if connection.vendor == "postgresql":
        # Fresh planner statistics after a bulk write: with the statistics of (nearly) empty
        # tables PostgreSQL picks nested loops that take minutes for the list filters.
        with connection.cursor() as cursor:
            for model in (Arrangement, Membership, Arrangement.task_areas.through):
                cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
    return mapping, counts


def fast_insert(model: type[models.Model], field_names: list[str], rows: list[tuple]) -> None:
    """INSERT many rows with one prepared statement (executemany), skipping the ORM's per-value
    work that dominates bulk_create for tens of thousands of rows. Values are prepared for the
    database only for fields that need it (dates, decimals)."""
    if not rows:
        return
    quote = connection.ops.quote_name
    fields = [model._meta.get_field(name) for name in field_names]
    columns = ", ".join(quote(f.column) for f in fields)
    sql = (
        f"INSERT INTO {quote(model._meta.db_table)} ({columns}) "
        f"VALUES ({', '.join(['%s'] * len(fields))})"
    )
    typed = [
        i
        for i, f in enumerate(fields)
        if f.get_internal_type() in {"DecimalField", "DateField", "DateTimeField", "JSONField"}
    ]
    if typed:
        prepared = []
        for row in rows:
            values = list(row)
            for i in typed:
                if values[i] is not None:
                    values[i] = fields[i].get_db_prep_save(values[i], connection)
            prepared.append(values)
        rows = prepared
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 5000):
            cursor.executemany(sql, rows[start : start + 5000])


def _write_scope(mapping: Mapping, spec: MappingSpec, periods: dict) -> bool:
    regions = {}
    for entry in spec.scope:
        if entry.region and entry.region not in regions:
            regions[entry.region] = Region.objects.get_or_create(name=entry.region)[0].id
    wanted = [
        (periods[(e.period.number, e.period.valid_from)], regions.get(e.region), i)
        for i, e in enumerate(spec.scope)
    ]
    current = list(
        MappingMunicipality.objects.filter(mapping=mapping)
        .order_by("position")
        .values_list("period_id", "region_id", "position")
    )
    if current == wanted:
        return False
    _record_region_memberships(spec, regions, periods)
    MappingMunicipality.objects.filter(mapping=mapping).delete()
    MappingMunicipality.objects.bulk_create(
        MappingMunicipality(mapping=mapping, period_id=p, region_id=r, position=i)
        for p, r, i in wanted
    )
    return True


def _record_region_memberships(spec: MappingSpec, regions: dict[str, int], periods: dict) -> None:
    """A mapping's regional grouping is also recorded as region membership (open-ended)."""
    entities = dict(
        MunicipalityPeriod.objects.filter(
            id__in=[periods[(e.period.number, e.period.valid_from)] for e in spec.scope]
        ).values_list("id", "municipality_id")
    )
    for entry in spec.scope:
        if entry.region:
            municipality_id = entities[periods[(entry.period.number, entry.period.valid_from)]]
            RegionMembership.objects.get_or_create(
                region_id=regions[entry.region], municipality_id=municipality_id, valid_from=None
            )
