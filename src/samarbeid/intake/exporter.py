"""Export a mapping to the mapping-file format (xlsx, csv, json) that imports back identically."""

from __future__ import annotations

from pathlib import Path

from samarbeid.reference.gazetteer import load_gazetteer
from samarbeid.registry.models import Arrangement, Mapping, MappingMunicipality, Membership
from samarbeid.rules.schema import ARRANGEMENTS, MAPPING, MEMBERSHIPS, SCOPE, SHEETS
from samarbeid.rules.values import canonical_decimal, format_year_or_date

from .writers import write_csv, write_json, write_xlsx


def _period_names():
    gaz = load_gazetteer()
    return {(p.number, p.valid_from): p.qualified_name() for p in gaz.periods}


def mapping_tables(mapping: Mapping) -> dict[str, list[dict[str, str]]]:
    """The mapping as the file's four tables of canonical strings."""
    names = _period_names()

    def municipality_name(period) -> str:
        return names.get((period.number, period.valid_from), period.name)

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
                "kommune": municipality_name(entry.period),
                "region": entry.region.name if entry.region else "",
            }
        )
    arrangements = list(
        Arrangement.objects.filter(mapping=mapping)
        .select_related("host")
        .prefetch_related("task_areas")
        .order_by("position", "id")
    )
    for a in arrangements:
        if a.established_unspecified:
            established = "uspesifisert"
        elif a.established_from is None:
            established = ""
        elif a.established_from == a.established_to:
            established = str(a.established_from)
        else:
            established = f"{a.established_from}-{a.established_to}"
        host = {"kommune": municipality_name(a.host) if a.host else "", "ingen": "ingen"}.get(
            a.host_status, ""
        )
        tables[ARRANGEMENTS.name].append(
            {
                "id": a.ref,
                "navn": a.name,
                "forkortelse": a.abbreviation,
                "navnevarianter": "; ".join(a.name_variants),
                "status": a.status,
                "utenfor_grunn": a.exclusion_reason,
                "statusmerknad": a.status_note,
                "avsluttet": format_year_or_date(a.ended_on, a.ended_precision),
                "juridisk_form": a.legal_form,
                "juridisk_form_kilde": a.legal_form_source,
                "organisasjonsnummer": a.org_number,
                "sektor": a.sector,
                "oppgaveomrader": "; ".join(
                    str(t.nr) for t in sorted(a.task_areas.all(), key=lambda t: t.nr)
                ),
                "etablert": established,
                "vertskommune": host,
                "vertskommune_kilde": a.host_source,
                "arsverk": canonical_decimal(a.arsverk),
                "arsverk_kilde": a.arsverk_source,
                "budsjett": canonical_decimal(a.budget),
                "beskrivelse": a.description,
                "merknader": a.notes,
                "kilder": a.sources,
                "deltakere_som_trykt": a.participants_as_printed,
                "deltakere_oppgitt_antall": ""
                if a.participant_count_stated is None
                else str(a.participant_count_stated),
                "deltakerliste": a.participants_completeness,
                "deltakere_merknad": a.participants_note,
            }
        )
    refs = {a.id: a.ref for a in arrangements}
    members = (
        Membership.objects.filter(arrangement__mapping=mapping)
        .select_related("municipality", "county")
        .order_by("arrangement__position", "arrangement_id", "position", "id")
    )
    for m in members:
        if m.kind == "kommune":
            name, number = municipality_name(m.municipality), m.municipality.number
        elif m.kind == "fylkeskommune":
            name, number = f"{m.county.name} fylkeskommune", ""
        else:
            name, number = m.other_name, ""
        tables[MEMBERSHIPS.name].append(
            {
                "ordning_id": refs[m.arrangement_id],
                "deltaker": name,
                "kommunenummer": number,
                "type": m.kind,
                "rolle": m.role,
                "eierandel": canonical_decimal(m.ownership_share),
                "inn_dato": m.joined_on.isoformat() if m.joined_on else "",
                "ut_dato": m.left_on.isoformat() if m.left_on else "",
                "som_trykt": m.as_printed,
                "kilde": m.source,
            }
        )
    return tables


def export_mapping(mapping: Mapping, fmt: str, out: Path) -> Path:
    tables = mapping_tables(mapping)
    writer = {"csv": write_csv, "xlsx": write_xlsx, "json": write_json}[fmt]
    writer(tables, out)
    return out
