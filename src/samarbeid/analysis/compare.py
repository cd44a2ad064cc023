"""Comparison of two mappings (beyond the method, nivi-method.md §4).

``compare(a, b)`` compares mapping ``a`` (from) with mapping ``b`` (to): totals, new, ended and
changed arrangements, members who joined or left, and the municipalities whose figures are not
comparable because they merged or split between the two cut-off dates.

Matching: an arrangement of ``b`` is the same as one of ``a`` when the ref is the same; failing
that, when a name matches case-insensitively (the name, or any name variant where the input has a
``name_variants`` column). Each arrangement is matched at most once.

Members: a municipality of ``a`` is the same member in ``b`` when the entity is the same, or when
the entity in ``b`` is a successor of it (a merger or split between the two cut-off dates, taken
from the gazetteer); such members are reported as "slått sammen", never as left + joined.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterable
from functools import cache
from typing import Any

from samarbeid.reference.gazetteer import MunicipalityPeriod, load_gazetteer

from .model import MappingData, Table
from .overview import (
    arsverk_value,
    entity_names,
    established_text,
    host_display,
    legal_form_label,
    nb_key,
    sorted_refs,
    status_label,
)


def _name_key(text: str) -> str:
    return re.sub(r"\s+", " ", str(text)).strip().casefold()


def _variants(row: Any) -> list[str]:
    names = [str(row["name"])]
    if "name_variants" in row:
        value = row["name_variants"]
        if isinstance(value, str):
            names.extend(v for v in value.split(";"))
        elif isinstance(value, Iterable):
            names.extend(str(v) for v in value)
    return [n for n in names if n.strip()]


def match(a: MappingData, b: MappingData) -> dict[str, str]:
    """b ref -> a ref for every arrangement of ``b`` that is also in ``a`` (any status)."""
    a_refs = [str(r) for r in a.arrangements["ref"]]
    a_set = set(a_refs)
    matched: dict[str, str] = {}
    used: set[str] = set()
    b_rows = b.arrangements.to_dict("records")
    for row in b_rows:
        ref = str(row["ref"])
        if ref in a_set and ref not in used:
            matched[ref] = ref
            used.add(ref)
    by_name: dict[str, str] = {}
    for row in a.arrangements.to_dict("records"):
        if str(row["ref"]) in used:
            continue
        for name in _variants(row):
            by_name.setdefault(_name_key(name), str(row["ref"]))
    for row in b_rows:
        ref = str(row["ref"])
        if ref in matched:
            continue
        for name in _variants(row):
            candidate = by_name.get(_name_key(name))
            if candidate is not None and candidate not in used:
                matched[ref] = candidate
                used.add(candidate)
                break
    return matched


@cache
def _successors(entity: str, start: dt.date, end: dt.date) -> frozenset[str]:
    """The entities that continue ``entity`` (valid at ``start``) at ``end`` (gazetteer).

    The entity itself when it still exists at ``end``; its successors through mergers and
    splits otherwise; itself when the gazetteer does not know it (nothing can be said)."""
    gaz = load_gazetteer()
    periods = gaz.entity_periods(entity)
    if not periods or any(p.valid_at(end) for p in periods):
        return frozenset({entity})
    found: set[str] = set()
    seen: set[MunicipalityPeriod] = set()
    frontier = list(periods)
    while frontier:
        period = frontier.pop()
        for nxt in gaz.successors(period):
            if nxt in seen or (nxt.valid_from is not None and nxt.valid_from > end):
                continue
            seen.add(nxt)
            if any(p.valid_at(end) for p in gaz.entity_periods(nxt.entity)):
                found.add(nxt.entity)
            else:
                frontier.extend(gaz.entity_periods(nxt.entity))
    return frozenset(found)


def _continues(a: MappingData, b: MappingData, ea: str, eb: str) -> bool:
    """Is municipality ``eb`` of ``b`` the same as or a successor of ``ea`` of ``a``?"""
    if ea == eb:
        return True
    if a.cutoff <= b.cutoff:
        return eb in _successors(ea, a.cutoff, b.cutoff)
    return ea in _successors(eb, b.cutoff, a.cutoff)


def _participants(data: MappingData) -> dict[str, list[tuple[str, str, str, str]]]:
    """ref -> its participants as (kind, entity, name, number), in the mapping's order."""
    m = data.memberships
    out: dict[str, list[tuple[str, str, str, str]]] = {}
    for ref, kind, entity, name, number in zip(
        m["ref"].tolist(),
        m["kind"].tolist(),
        m["entity"].tolist(),
        m["name"].tolist(),
        m["number"].tolist(),
        strict=True,
    ):
        out.setdefault(str(ref), []).append((str(kind), str(entity), str(name), str(number)))
    return out


def _members(
    participants: list[tuple[str, str, str, str]],
) -> tuple[dict[str, tuple[str, str]], dict[str, str]]:
    """(municipal entity -> (name, number), other participant key -> name) of one arrangement."""
    municipal: dict[str, tuple[str, str]] = {}
    others: dict[str, str] = {}
    for kind, entity, name, number in participants:
        if kind == "kommune" and entity:
            municipal[entity] = (name, number)
        else:
            others[_name_key(name)] = name
    return municipal, others


def _label(name: str, number: str) -> str:
    return f"{name} ({number})" if number else name


def _participants_text(participants: list[tuple[str, str, str, str]]) -> str:
    return "; ".join(name for _, _, name, _ in participants)


def _arsverk_text(value: Any) -> str:
    v = arsverk_value(value)
    if v is None:
        return "Ikke kjent"
    return f"{v:g}".replace(".", ",")


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
    def participation(data: MappingData) -> int:
        m = data.counted_memberships()
        m = m[(m["kind"] == "kommune") & m["in_scope"].astype(bool)]
        return len(m.drop_duplicates(["ref", "entity"]))

    pa, pb = participation(a), participation(b)
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


def _field_changes(
    a: MappingData,
    b: MappingData,
    ra: Any,
    rb: Any,
    names_a: dict[str, str],
    names_b: dict[str, str],
) -> list[tuple[str, str, str, bool]]:
    out = []
    out.append(
        ("navn", str(ra["name"]), str(rb["name"]), _name_key(ra["name"]) == _name_key(rb["name"]))
    )
    out.append(
        (
            "juridisk form",
            legal_form_label(ra["legal_form"]),
            legal_form_label(rb["legal_form"]),
            ra["legal_form"] == rb["legal_form"],
        )
    )
    host_a, host_b = host_display(ra, names_a, a.cutoff), host_display(rb, names_b, b.cutoff)
    if ra["host_status"] == "kommune" and rb["host_status"] == "kommune":
        same_host = _continues(a, b, str(ra["host_entity"]), str(rb["host_entity"]))
    else:
        same_host = ra["host_status"] == rb["host_status"]
    out.append(("vertskommune", host_a, host_b, same_host))
    year_a, year_b = established_text(ra), established_text(rb)
    out.append(("etablert", year_a, year_b, year_a == year_b))
    va, vb = arsverk_value(ra["arsverk"]), arsverk_value(rb["arsverk"])
    same = (va is None and vb is None) or (
        va is not None and vb is not None and math.isclose(va, vb, abs_tol=1e-9)
    )
    out.append(("årsverk", _arsverk_text(va), _arsverk_text(vb), same))
    return out


def _member_changes(
    a: MappingData,
    b: MappingData,
    parts_a: list[tuple[str, str, str, str]],
    parts_b: list[tuple[str, str, str, str]],
) -> tuple[list[str], list[str], list[str]]:
    mun_a, oth_a = _members(parts_a)
    mun_b, oth_b = _members(parts_b)
    joined: list[str] = []
    left: list[str] = []
    merged_into: dict[str, list[str]] = {}
    # Backwards (b older than a): the members of b whose successors are each member of a.
    earlier: dict[str, list[str]] = {}
    if a.cutoff > b.cutoff:
        for eb in mun_b:
            if eb not in mun_a:
                for successor in _successors(eb, b.cutoff, a.cutoff):
                    earlier.setdefault(successor, []).append(eb)
    for ea, (name, number) in mun_a.items():
        if ea in mun_b:
            continue
        if a.cutoff <= b.cutoff:
            targets = sorted(eb for eb in _successors(ea, a.cutoff, b.cutoff) if eb in mun_b)
        else:
            targets = earlier.get(ea, [])
        if targets:
            for eb in targets:
                merged_into.setdefault(eb, []).append(_label(name, number))
        else:
            left.append(name)
    for eb, (name, _) in mun_b.items():
        if eb not in mun_a and eb not in merged_into:
            joined.append(name)
    joined += [oth_b[k] for k in oth_b if k not in oth_a]
    left += [oth_a[k] for k in oth_a if k not in oth_b]
    merged = []
    for eb, before in merged_into.items():
        if eb in mun_a:  # the continuing entity was a member already
            before = [_label(*mun_a[eb]), *before]
        merged.append(" + ".join(before) + " → " + _label(*mun_b[eb]))
    return (sorted(joined, key=nb_key), sorted(left, key=nb_key), merged)


def _not_comparable(a: MappingData, b: MappingData) -> Table:
    if a.cutoff > b.cutoff:  # compare backwards: the same rows, seen from the later mapping
        table = _not_comparable(b, a)
        table.rows = [
            [
                r[1],
                r[0],
                r[2]
                .replace("til-kartleggingen", "__")
                .replace("fra-kartleggingen", "til-kartleggingen")
                .replace("__", "fra-kartleggingen"),
                r[3],
            ]
            for r in table.rows
        ]
        table.n = len(a.municipalities)
        return table
    gaz = load_gazetteer()
    b_scope = set(map(str, b.municipalities["entity"]))
    rows: list[list[Any]] = []
    unknown = 0
    successors_seen: set[str] = set()
    for entity, name, number in zip(
        a.municipalities["entity"],
        a.municipalities["name"],
        a.municipalities["number"],
        strict=True,
    ):
        entity = str(entity)
        periods = gaz.entity_periods(entity)
        if not periods:
            unknown += 1
            if entity not in b_scope:
                rows.append(
                    [_label(str(name), str(number)), "", "Ikke i området i til-kartleggingen", ""]
                )
            continue
        start, end = a.cutoff, b.cutoff
        successors = _successors(entity, start, end)
        if successors == frozenset({entity}):
            if entity not in b_scope:
                rows.append(
                    [_label(str(name), str(number)), "", "Ikke i området i til-kartleggingen", ""]
                )
            continue
        successors_seen.update(successors)
        after = sorted((_period_at(s, end) for s in successors), key=lambda p: p.number)
        ends = [p for p in periods if p.valid_to is not None and p.valid_to < end]
        date = (ends[-1].valid_to + dt.timedelta(days=1)).isoformat() if ends else ""
        if not successors:
            change = "Opphørt"
        elif len(successors) > 1:
            change = "Delt"
        else:
            others = [p for p in gaz.predecessors(after[0]) if p.entity != entity]
            change = "Slått sammen" + (
                " med " + ", ".join(p.label() for p in others) if others else ""
            )
            if not others:
                change = "Ny kommune (nytt nummer og ny enhet)"
        rows.append(
            [_label(str(name), str(number)), ", ".join(p.label() for p in after), change, date]
        )
    a_scope = set(map(str, a.municipalities["entity"]))
    for entity, name, number in zip(
        b.municipalities["entity"],
        b.municipalities["name"],
        b.municipalities["number"],
        strict=True,
    ):
        entity = str(entity)
        if entity not in a_scope and entity not in successors_seen:
            rows.append(
                ["", _label(str(name), str(number)), "Ikke i området i fra-kartleggingen", ""]
            )
    note = ""
    if unknown:
        note = f"{unknown} kommuner finnes ikke i kommunehistorikken og er bare sammenlignet på nøkkel."
    return Table(
        id="sammenligning_ikke_sammenlignbar",
        title="Kommuner som ikke kan sammenlignes direkte",
        n=len(a.municipalities),
        columns=["kommune_fra", "kommune_til", "endring", "dato"],
        rows=rows,
        ids=[[] for _ in rows],
        caption=(
            f"Kommuner som er slått sammen, delt eller ute av området mellom "
            f"{a.cutoff.isoformat()} og {b.cutoff.isoformat()}: tall per kommune kan ikke "
            "sammenlignes direkte. Nytt nummer alene (samme kommune) er sammenlignbart. "
            "n = kommuner i fra-kartleggingens område."
        ),
        note=note,
    )


def _period_at(entity: str, at: dt.date) -> MunicipalityPeriod:
    periods = load_gazetteer().entity_periods(entity)
    for p in periods:
        if p.valid_at(at):
            return p
    return periods[-1]
