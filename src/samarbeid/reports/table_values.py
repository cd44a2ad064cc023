"""Reading the analysis tables: a table by id, a column's values, a cell as a number or as text.

Shared by the report's key findings, its figures and the comparison. Nothing here guesses: a
missing table, column or value reads as ``None``, an empty list or "–".
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from samarbeid.analysis.model import Table

from .fmt import number, plain


def table_by_id(tables: Sequence[Table], table_id: str) -> Table | None:
    """The table with id ``table_id``, or None."""
    return next((t for t in tables if t.id == table_id), None)


def column(table: Table | None, *names: str) -> int | None:
    """Index of the first of ``names`` among the table's columns."""
    if table is None:
        return None
    for name in names:
        if name in table.columns:
            return table.columns.index(name)
    return None


def values(table: Table | None, name: str) -> list[Any]:
    """The plain values of column ``name``; empty when the table or the column is missing."""
    i = column(table, name)
    return [] if table is None or i is None else [plain(r[i]) for r in table.rows]


def as_number(value: Any) -> float | None:
    """The value as a number (int or float, never bool), or None."""
    value = plain(value)
    return value if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def pct_text(value: Any) -> str:
    """Percent text, "12,5 %"; "–" when the value is not a number."""
    v = as_number(value)
    return "–" if v is None else f"{number(float(v), 1)} %"


def count_text(value: Any) -> str:
    """The number in Norwegian notation, or "–" when the value is not a number."""
    v = as_number(value)
    return "–" if v is None else number(v)


def lookup(table: Table | None, key_col: str, key: str, value_col: str) -> Any:
    """Column ``value_col`` of the first row whose ``key_col`` starts with ``key``, or None."""
    ki, vi = column(table, key_col), column(table, value_col)
    if table is None or ki is None or vi is None:
        return None
    for row in table.rows:
        if str(row[ki]).startswith(key):
            return plain(row[vi])
    return None
