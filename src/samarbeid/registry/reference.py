"""Load the shipped reference data (gazetteer, population, task areas) into the database.

Idempotent: runs after every ``migrate`` and does nothing when the files' digest is unchanged.
Rows are matched on their natural keys and updated in place, so registry data that points at
them is never disturbed.
"""

from __future__ import annotations

import datetime as dt
from functools import cache

from django.db import transaction

from samarbeid.reference import files as reference_files
from samarbeid.reference.gazetteer import County as GCounty
from samarbeid.reference.gazetteer import MunicipalityPeriod as GPeriod
from samarbeid.reference.gazetteer import load_gazetteer

from .models import (
    County,
    Municipality,
    MunicipalityChange,
    MunicipalityPeriod,
    Population,
    ReferenceDataVersion,
    TaskArea,
)


def _entity_name(periods: list[GPeriod]) -> str:
    return periods[-1].name


def sync_reference(force: bool = False) -> bool:
    """Bring the reference tables up to date; True when anything was (re)loaded."""
    digest = reference_files.digest()
    if not force and ReferenceDataVersion.objects.filter(digest=digest).exists():
        return False
    gaz = load_gazetteer()
    with transaction.atomic():
        counties = _sync_counties(gaz.counties)
        entities = _sync_entities(gaz)
        periods = _sync_periods(gaz.periods, counties, entities)
        existing_changes = set(MunicipalityChange.objects.values_list("before_id", "after_id"))
        MunicipalityChange.objects.bulk_create(
            [
                MunicipalityChange(
                    date=c.date,
                    kind=c.kind,
                    before_id=periods[_pkey(c.before)],
                    after_id=periods[_pkey(c.after)],
                )
                for c in gaz.changes
                if (periods[_pkey(c.before)], periods[_pkey(c.after)]) not in existing_changes
            ]
        )
        _sync_population(gaz, entities)
        _sync_task_areas()
        ReferenceDataVersion.objects.all().delete()
        ReferenceDataVersion.objects.create(digest=digest)
    period_ids.cache_clear()
    return True


def _ckey(county: GCounty) -> tuple[str, dt.date | None]:
    return county.number, county.valid_from


def _pkey(period: GPeriod) -> tuple[str, dt.date | None]:
    return period.number, period.valid_from


def _sync_counties(counties: tuple[GCounty, ...]) -> dict[tuple, int]:
    existing = {(c.number, c.valid_from): c for c in County.objects.all()}
    new, changed = [], []
    for county in counties:
        row = existing.get(_ckey(county))
        if row is None:
            new.append(
                County(
                    number=county.number,
                    name=county.name,
                    valid_from=county.valid_from,
                    valid_to=county.valid_to,
                )
            )
        elif (row.name, row.valid_to) != (county.name, county.valid_to):
            row.name, row.valid_to = county.name, county.valid_to
            changed.append(row)
    County.objects.bulk_update(changed, ["name", "valid_to"])
    County.objects.bulk_create(new)
    return {(c.number, c.valid_from): c.id for c in County.objects.all()}


def _sync_entities(gaz) -> dict[str, int]:
    existing = {m.key: m for m in Municipality.objects.all()}
    new, changed = [], []
    for key in sorted({p.entity for p in gaz.periods}):
        name = _entity_name(gaz.entity_periods(key))
        row = existing.get(key)
        if row is None:
            new.append(Municipality(key=key, name=name))
        elif row.name != name:
            row.name = name
            changed.append(row)
    Municipality.objects.bulk_update(changed, ["name"])
    Municipality.objects.bulk_create(new)
    return dict(Municipality.objects.values_list("key", "id"))


def _sync_periods(periods: tuple[GPeriod, ...], counties: dict, entities: dict) -> dict[tuple, int]:
    existing = {(p.number, p.valid_from): p for p in MunicipalityPeriod.objects.all()}
    new, changed = [], []
    fields = ["municipality_id", "name", "name_official", "county_id", "valid_to"]
    for period in periods:
        values = {
            "municipality_id": entities[period.entity],
            "name": period.name,
            "name_official": period.name_official,
            "county_id": counties[_ckey(period.county)],
            "valid_to": period.valid_to,
        }
        row = existing.get(_pkey(period))
        if row is None:
            new.append(
                MunicipalityPeriod(number=period.number, valid_from=period.valid_from, **values)
            )
        elif any(getattr(row, f) != v for f, v in values.items()):
            for f, v in values.items():
                setattr(row, f, v)
            changed.append(row)
    MunicipalityPeriod.objects.bulk_update(changed, fields)
    MunicipalityPeriod.objects.bulk_create(new)
    return {(p.number, p.valid_from): p.id for p in MunicipalityPeriod.objects.all()}


def _sync_population(gaz, entities: dict[str, int]) -> None:
    existing = set(Population.objects.values_list("year", "number"))
    new = []
    for row in reference_files.read_csv("population.csv"):
        year, number = int(row["year"]), row["kommunenummer"]
        if (year, number) in existing:
            continue
        period = gaz.by_number(number, dt.date(year, 1, 1))
        if period is None:
            continue
        new.append(
            Population(
                municipality_id=entities[period.entity],
                year=year,
                number=number,
                population=int(row["population"]),
            )
        )
    Population.objects.bulk_create(new)


def _sync_task_areas() -> None:
    existing = {t.nr: t for t in TaskArea.objects.all()}
    for ref in reference_files.task_areas():
        row = existing.get(ref.nr)
        if row is None:
            TaskArea.objects.create(nr=ref.nr, name=ref.name, reference_pct=ref.reference_pct)
        elif (row.name, row.reference_pct) != (ref.name, ref.reference_pct):
            row.name, row.reference_pct = ref.name, ref.reference_pct
            row.save()


@cache
def period_ids() -> dict[tuple[str, dt.date | None], int]:
    """Database id of every municipality period by (number, valid_from)."""
    return {
        (p[0], p[1]): p[2]
        for p in MunicipalityPeriod.objects.values_list("number", "valid_from", "id")
    }


def county_ids() -> dict[tuple[str, dt.date | None], int]:
    return {(c[0], c[1]): c[2] for c in County.objects.values_list("number", "valid_from", "id")}
