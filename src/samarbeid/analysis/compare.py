"""Comparison of two mappings (beyond the method, nivi-method.md §4).

``compare(a, b)`` compares mapping ``a`` (from) with mapping ``b`` (to): totals, new, ended and
changed arrangements, members who joined or left, and the municipalities whose figures are not
comparable because they merged or split between the two cut-off dates.

The parts: :mod:`.matching` finds which arrangement of ``b`` is which of ``a`` (same ref, else
the same name); :mod:`.changes` lists what changed in an arrangement found in both, fields and
members (a municipality that merged or split is the same member, "slått sammen", never left +
joined); :mod:`.succession` follows municipalities through mergers and splits between the two
cut-off dates (gazetteer) and makes the table of those not directly comparable. Here the six
tables are put together.
"""

from __future__ import annotations

from typing import Any

from .changes import _field_changes, _member_changes, _participants, _participants_text
from .matching import match
from .model import MappingData, Table
from .overview import (
    entity_names,
    established_text,
    legal_form_label,
    sorted_refs,
    status_label,
)
from .succession import _not_comparable


def compare(a: MappingData, b: MappingData) -> list[Table]:
    """Compare mapping ``a`` (from) with mapping ``b`` (to): six tables, see the module doc."""
    matched = match(a, b)
    a_rows = {str(r["ref"]): r for r in a.arrangements.to_dict("records")}
    b_rows = {str(r["ref"]): r for r in b.arrangements.to_dict("records")}
    a_of_b = matched
    b_of_a = {v: k for k, v in matched.items()}
    a_counted = [r for r, row in a_rows.items() if bool(row["counted"])]
    b_counted = [r for r, row in b_rows.items() if bool(row["counted"])]
    parts_a, parts_b = _participants(a), _participants(b)
    span = f"{a.name} ({a.cutoff.isoformat()}) → {b.name} ({b.cutoff.isoformat()})"

    # -- new ---------------------------------------------------------------------------------
    new_rows, new_ids = [], []
    for ref in b_counted:
        row = b_rows[ref]
        old = a_of_b.get(ref)
        if old is not None and bool(a_rows[old]["counted"]):
            continue
        remark = (
            ""
            if old is None
            else f"Ikke telt i fra-kartleggingen ({status_label(a_rows[old]['status'])})"
        )
        new_rows.append(
            [
                ref,
                str(row["name"]),
                legal_form_label(row["legal_form"]),
                established_text(row),
                _participants_text(parts_b.get(ref, [])),
                remark,
            ]
        )
        new_ids.append([ref])
    # -- ended -------------------------------------------------------------------------------
    ended_rows, ended_ids = [], []
    for ref in a_counted:
        row = a_rows[ref]
        new = b_of_a.get(ref)
        if new is not None and bool(b_rows[new]["counted"]):
            continue
        if new is None:
            status, ended = "Ikke med i til-kartleggingen", ""
        else:
            status, ended = status_label(b_rows[new]["status"]), str(b_rows[new]["ended"] or "")
        ended_rows.append(
            [ref, str(row["name"]), status, ended, _participants_text(parts_a.get(ref, []))]
        )
        ended_ids.append([ref])

    # -- changed and members -----------------------------------------------------------------
    names_a, names_b = entity_names(a), entity_names(b)
    changed_rows, changed_ids, member_rows, member_ids = [], [], [], []
    both = [
        (matched[r], r) for r in b_counted if r in matched and bool(a_rows[matched[r]]["counted"])
    ]
    for old, new in both:
        ra, rb = a_rows[old], b_rows[new]
        refs = sorted_refs([old, new])
        for field_name, before, after, same in _field_changes(a, b, ra, rb, names_a, names_b):
            if not same:
                changed_rows.append([new, str(rb["name"]), field_name, before, after])
                changed_ids.append(refs)
        joined, left, merged = _member_changes(a, b, parts_a.get(old, []), parts_b.get(new, []))
        if joined or left or merged:
            member_rows.append(
                [new, str(rb["name"]), "; ".join(joined), "; ".join(left), "; ".join(merged)]
            )
            member_ids.append(refs)

    # -- overview ----------------------------------------------------------------------------
    pa, pb = _participation(a), _participation(b)
    ma, mb = len(a.municipalities), len(b.municipalities)
    mean_a = round(pa / ma, 1) if ma else None
    mean_b = round(pb / mb, 1) if mb else None
    not_comparable = _not_comparable(a, b)
    overview_rows: list[list[Any]] = [
        ["Tellede ordninger", len(a_counted), len(b_counted), len(b_counted) - len(a_counted)],
        ["Deltakelser (kommuner i området)", pa, pb, pb - pa],
        ["Kommuner i området", ma, mb, mb - ma],
        [
            "Gjennomsnittlig antall ordninger per kommune",
            mean_a,
            mean_b,
            round(mean_b - mean_a, 1) if mean_a is not None and mean_b is not None else None,
        ],
        ["Nye ordninger", None, len(new_rows), None],
        ["Avsluttede ordninger", len(ended_rows), None, None],
        ["Ordninger med endrede opplysninger", None, len({r[0] for r in changed_rows}), None],
        ["Ordninger med endrede deltakere", None, len(member_rows), None],
    ]
    overview_ids: list[list[str]] = [
        [],
        [],
        [],
        [],
        sorted_refs(r[0] for r in new_rows),
        sorted_refs(r[0] for r in ended_rows),
        sorted_refs(r[0] for r in changed_rows),
        sorted_refs(r[0] for r in member_rows),
    ]
    union = len(a_counted) + sum(
        1 for r in b_counted if r not in a_of_b or not bool(a_rows[a_of_b[r]]["counted"])
    )
    overview_note = ""
    if not_comparable.rows:
        overview_note = (
            f"{len(not_comparable.rows)} kommuner er slått sammen, delt eller ute av "
            "området mellom kartleggingene: tall per kommune er ikke direkte "
            "sammenlignbare (se egen tabell)."
        )
    tables = [
        Table(
            id="sammenligning_oversikt",
            title="Sammenligning av to kartlegginger",
            n=union,
            columns=["mal", "fra", "til", "endring"],
            rows=overview_rows,
            ids=overview_ids,
            caption=(
                f"{span}. Tellede ordninger, deltakelser og gjennomsnitt per kommune i hver "
                "kartlegging. n = tellede ordninger i minst én av kartleggingene."
            ),
            note=overview_note,
        ),
        Table(
            id="sammenligning_nye",
            title="Nye ordninger",
            n=len(b_counted),
            columns=["id", "ordning", "juridisk_form", "etablert", "deltakere", "merknad"],
            rows=new_rows,
            ids=new_ids,
            caption=(
                f"{span}. Tellede ordninger i til-kartleggingen som ikke var tellet i "
                "fra-kartleggingen. n = tellede ordninger i til-kartleggingen."
            ),
        ),
        Table(
            id="sammenligning_avsluttet",
            title="Avsluttede ordninger",
            n=len(a_counted),
            columns=["id", "ordning", "status_til", "avsluttet", "deltakere"],
            rows=ended_rows,
            ids=ended_ids,
            caption=(
                f"{span}. Tellede ordninger i fra-kartleggingen som ikke er med, eller ikke "
                "telles, i til-kartleggingen. n = tellede ordninger i fra-kartleggingen."
            ),
        ),
        Table(
            id="sammenligning_endret",
            title="Endrede opplysninger om ordninger",
            n=len(both),
            columns=["id", "ordning", "felt", "fra", "til"],
            rows=changed_rows,
            ids=changed_ids,
            caption=(
                f"{span}. Navn, juridisk form, vertskommune, etableringsår og årsverk som er "
                "endret for ordninger som telles i begge. «Ikke kjent» → verdi betyr at "
                "opplysningen er kommet til. En vertskommune som er slått sammen regnes som "
                "den samme. n = ordninger som telles i begge kartleggingene."
            ),
        ),
        Table(
            id="sammenligning_medlemmer",
            title="Endrede deltakere",
            n=len(both),
            columns=["id", "ordning", "inn", "ut", "slatt_sammen"],
            rows=member_rows,
            ids=member_ids,
            caption=(
                f"{span}. Deltakere som er kommet til (inn) eller gått ut (ut) av ordninger "
                "som telles i begge. Kommuner som er slått sammen eller delt mellom "
                "kartleggingene står under «slått sammen», ikke som inn og ut. "
                "n = ordninger som telles i begge kartleggingene."
            ),
        ),
        not_comparable,
    ]
    return tables


def _participation(data: MappingData) -> int:
    """Participations: counted (arrangement, municipality in the area) pairs."""
    m = data.counted_memberships()
    m = m[(m["kind"] == "kommune") & m["in_scope"].astype(bool)]
    return len(m.drop_duplicates(["ref", "entity"]))
