"""Export a mapping to the mapping-file format (xlsx, csv, json) that imports back identically."""

from __future__ import annotations

from pathlib import Path

from samarbeid.registry import codec
from samarbeid.registry.models import Arrangement, Mapping, MappingMunicipality
from samarbeid.rules.schema import ARRANGEMENTS, MAPPING, MEMBERSHIPS, SCOPE, SHEETS

from .writers import write_csv, write_json, write_xlsx


def mapping_tables(mapping: Mapping) -> dict[str, list[dict[str, str]]]:
    """The mapping as the file's four tables of canonical strings (rows from :mod:`codec`)."""
    names = codec.period_names()

    tables: dict[str, list[dict[str, str]]] = {s.name: [] for s in SHEETS}
    for key, value in (
        ("navn", mapping.name),
        ("tittel", mapping.title),
        ("dato", mapping.cutoff_date.isoformat()),
        ("beskrivelse", mapping.description),
        ("kilde", mapping.source),
    ):
        tables[MAPPING.name].append({"felt": key, "verdi": value})
    for entry in MappingMunicipality.objects.filter(mapping=mapping).select_related(
        "period", "region"
    ):
        tables[SCOPE.name].append(
            {
                "kommunenummer": entry.period.number,
                "kommune": names.get(
                    (entry.period.number, entry.period.valid_from), entry.period.name
                ),
                "region": entry.region.name if entry.region else "",
            }
        )
    rows = codec.arrangement_rows(Arrangement.objects.filter(mapping=mapping))
    for row in rows.values():
        tables[ARRANGEMENTS.name].append(row["values"])
        ref = row["values"]["id"]
        tables[MEMBERSHIPS.name].extend({"ordning_id": ref, **m} for m in row["memberships"])
    return tables


def export_mapping(mapping: Mapping, fmt: str, out: Path) -> Path:
    tables = mapping_tables(mapping)
    writer = {"csv": write_csv, "xlsx": write_xlsx, "json": write_json}[fmt]
    writer(tables, out)
    return out
