"""The one codec between the registry's model fields and the mapping file's columns.

Both directions live here and nowhere else:

- file → model: :func:`arrangement_values` and :func:`membership_values` turn a checked record
  (:class:`samarbeid.rules.spec.ArrangementSpec`) into model field values (the importer and
  web/API edits write with them);
- model → file: :func:`arrangement_rows` gives arrangements as the file's rows of canonical text
  (the sheet Ordninger, column → text, and its rows of Deltakere), which ``export`` writes, the
  change history keeps as snapshots and restores, and the API and pages show. The text of
  ``etablert`` is :func:`samarbeid.rules.values.format_established` everywhere.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from samarbeid.reference.gazetteer import load_gazetteer
from samarbeid.rules.schema import VALUE_COLUMNS
from samarbeid.rules.spec import ArrangementSpec, MembershipSpec
from samarbeid.rules.values import canonical_decimal, format_established, format_year_or_date

from .models import Arrangement, Membership

#: An arrangement in the file's terms: ``values`` (column -> text) and ``memberships`` (rows).
Row = dict[str, Any]

#: The model fields an arrangement's record sets (in the importer's bulk order).
ARRANGEMENT_FIELDS = [
    "position",
    "name",
    "abbreviation",
    "name_variants",
    "status",
    "exclusion_reason",
    "status_note",
    "ended_on",
    "ended_precision",
    "legal_form",
    "legal_form_source",
    "org_number",
    "sector",
    "established_from",
    "established_to",
    "established_unspecified",
    "host_status",
    "host_id",
    "host_source",
    "arsverk",
    "arsverk_source",
    "budget",
    "description",
    "notes",
    "sources",
    "participant_count_stated",
    "participants_completeness",
    "participants_note",
    "participants_as_printed",
]
#: The model fields of a membership a record sets.
MEMBERSHIP_FIELDS = [
    "position",
    "kind",
    "municipality_id",
    "county_id",
    "other_name",
    "role",
    "ownership_share",
    "joined_on",
    "left_on",
    "as_printed",
    "source",
]


def arrangement_values(spec: ArrangementSpec, position: int, periods: dict) -> dict[str, Any]:
    return {
        "position": position,
        "name": spec.name,
        "abbreviation": spec.abbreviation,
        "name_variants": spec.name_variants,
        "status": spec.status,
        "exclusion_reason": spec.exclusion_reason,
        "status_note": spec.status_note,
        "ended_on": spec.ended_on,
        "ended_precision": spec.ended_precision,
        "legal_form": spec.legal_form,
        "legal_form_source": spec.legal_form_source,
        "org_number": spec.org_number,
        "sector": spec.sector,
        "established_from": spec.established_from,
        "established_to": spec.established_to,
        "established_unspecified": spec.established_unspecified,
        "host_status": spec.host_status,
        "host_id": periods[(spec.host.number, spec.host.valid_from)] if spec.host else None,
        "host_source": spec.host_source,
        "arsverk": spec.arsverk,
        "arsverk_source": spec.arsverk_source,
        "budget": spec.budget,
        "description": spec.description,
        "notes": spec.notes,
        "sources": spec.sources,
        "participant_count_stated": spec.participant_count_stated,
        "participants_completeness": spec.participants_completeness,
        "participants_note": spec.participants_note,
        "participants_as_printed": spec.participants_as_printed,
    }


def membership_values(
    m: MembershipSpec, position: int, periods: dict, counties: dict
) -> dict[str, Any]:
    return {
        "position": position,
        "kind": m.kind,
        "municipality_id": periods[(m.period.number, m.period.valid_from)] if m.period else None,
        "county_id": counties[(m.county.number, m.county.valid_from)] if m.county else None,
        "other_name": m.other_name,
        "role": m.role,
        "ownership_share": m.ownership_share,
        "joined_on": m.joined_on,
        "left_on": m.left_on,
        "as_printed": m.as_printed,
        "source": m.source,
    }


def period_names() -> dict[tuple, str]:
    """The name a municipality period is written with in a file (qualified where ambiguous)."""
    return {(p.number, p.valid_from): p.qualified_name() for p in load_gazetteer().periods}


def arrangement_rows(arrangements: QuerySet[Arrangement]) -> dict[int, Row]:
    """Many arrangements as the file's rows, with a few plain queries (the import takes them for a
    whole mapping: 5 000 arrangements in about half a second); the texts ``export`` writes."""
    names = period_names()
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
    result: dict[int, Row] = {}
    for row in rows:
        a = dict(zip(fields, row, strict=True))
        pk = a["id"]
        established = format_established(
            a["established_from"], a["established_to"], a["established_unspecified"]
        )
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
