"""Access to the reference files shipped in ``samarbeid/reference/data`` (no Django)."""

from __future__ import annotations

import csv
import hashlib
import io
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from importlib import resources

REFDATA = "samarbeid.reference.data"


def read_text(name: str) -> str:
    return resources.files(REFDATA).joinpath(name).read_text(encoding="utf-8")


def read_csv(name: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(read_text(name))))


@dataclass(frozen=True)
class TaskAreaRef:
    nr: int
    name: str
    reference_pct: Decimal | None


@cache
def task_areas() -> tuple[TaskAreaRef, ...]:
    return tuple(
        TaskAreaRef(
            int(r["nr"]),
            r["task_area"],
            Decimal(r["trondelag_2020_pct"]) if r["trondelag_2020_pct"] else None,
        )
        for r in read_csv("task_areas.csv")
    )


@cache
def task_area_numbers() -> frozenset[int]:
    return frozenset(t.nr for t in task_areas())


@cache
def digest() -> str:
    """A digest of all reference files: the database reloads reference data when it changes."""
    h = hashlib.sha256()
    folder = resources.files(REFDATA)
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".csv"):
            h.update(entry.name.encode())
            h.update(entry.read_bytes())
    return h.hexdigest()
