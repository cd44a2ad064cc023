"""Municipalities between two cut-off dates (for :mod:`.compare`): which entities continue an
entity through mergers and splits (from the gazetteer), and the table of the municipalities
whose figures cannot be compared directly because they merged, split or left the area.
"""

from __future__ import annotations

import datetime as dt
from functools import cache
from typing import Any

from samarbeid.reference.gazetteer import MunicipalityPeriod, load_gazetteer

from .model import MappingData, Table


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


def _label(name: str, number: str) -> str:
    return f"{name} ({number})" if number else name


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
