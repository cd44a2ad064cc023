"""Which arrangement of one mapping is which of another (for :mod:`.compare`).

An arrangement of ``b`` is the same as one of ``a`` when the ref is the same; failing that, when a
name matches case-insensitively (the name, or any name variant where the input has a
``name_variants`` column). Each arrangement is matched at most once.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from .model import MappingData


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
