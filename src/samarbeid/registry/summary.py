"""The per-municipality summary printed by ``make demo`` (arrangements, hosted, served by others).

Counts only counted arrangements (nivi-method.md §1). "Hosted" and "served by others" count only
arrangements whose host is known.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .models import COUNTED, Arrangement, MappingMunicipality, Membership


@dataclass
class SummaryRow:
    number: str
    name: str
    region: str
    arrangements: int = 0
    hosted: int = 0
    served_by_others: int = 0


@dataclass
class SummaryTable:
    rows: list[SummaryRow] = field(default_factory=list)
    counted: int = 0
    not_counted: int = 0
    with_known_host: int = 0


def municipality_summary(mapping) -> SummaryTable:
    table = SummaryTable()
    scope = list(
        MappingMunicipality.objects.filter(mapping=mapping).select_related("period", "region")
    )
    by_entity = {}
    for entry in scope:
        row = SummaryRow(
            entry.period.number, entry.period.name, entry.region.name if entry.region else ""
        )
        by_entity[entry.period.municipality_id] = row
        table.rows.append(row)
    arrangements = Arrangement.objects.filter(mapping=mapping)
    table.counted = arrangements.counted().count()
    table.not_counted = arrangements.not_counted().count()
    hosts = dict(
        arrangements.counted().filter(host__isnull=False).values_list("id", "host__municipality_id")
    )
    table.with_known_host = len(hosts)
    for arrangement_id, entity in (
        Membership.objects.filter(
            arrangement__mapping=mapping, arrangement__status=COUNTED, municipality__isnull=False
        )
        .values_list("arrangement_id", "municipality__municipality_id")
        .distinct()
    ):
        row = by_entity.get(entity)
        if row is None:
            continue
        row.arrangements += 1
        host = hosts.get(arrangement_id)
        if host is not None and host != entity:
            row.served_by_others += 1
    for host in hosts.values():
        if host in by_entity:
            by_entity[host].hosted += 1
    table.rows.sort(key=lambda r: (-r.arrangements, r.name))
    return table
