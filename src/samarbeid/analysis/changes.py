"""What changed in an arrangement found in both mappings (for :mod:`.compare`): its fields
(name, legal form, host, establishment, årsverk) and its participants.

Members: a municipality of ``a`` is the same member in ``b`` when the entity is the same, or when
the entity in ``b`` is a successor of it (a merger or split between the two cut-off dates, taken
from the gazetteer); such members are reported as "slått sammen", never as left + joined.
"""

from __future__ import annotations

import math
from typing import Any

from .matching import _name_key
from .model import MappingData
from .overview import arsverk_value, established_text, host_display, legal_form_label, nb_key
from .succession import _continues, _label, _successors


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


def _participants_text(participants: list[tuple[str, str, str, str]]) -> str:
    return "; ".join(name for _, _, name, _ in participants)


def _arsverk_text(value: Any) -> str:
    v = arsverk_value(value)
    if v is None:
        return "Ikke kjent"
    return f"{v:g}".replace(".", ",")


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
