"""Cell values of a report: plain Python values for JSON/xlsx, Norwegian text for HTML/PDF/md.

Unknown stays unknown: ``None`` (and NaN/<NA>) is written as an empty JSON ``null``, an empty xlsx
cell and "–" in text, never as 0 or "ingen".
"""

from __future__ import annotations

import contextlib
import datetime as dt
import math
import re
import unicodedata
from collections.abc import Iterable
from typing import Any

UNKNOWN = "–"
_NBSP = "\u00a0"


def plain(value: Any) -> Any:
    """A JSON-safe plain value: numpy/pandas scalars to int/float, NaN/<NA> to None, tuples to
    lists, dates to ISO strings."""
    if value is None:
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        return value
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        items = sorted(value, key=str) if isinstance(value, (set, frozenset)) else value
        return [plain(v) for v in items]
    # numpy / pandas scalars
    item = getattr(value, "item", None)
    if callable(item) and not isinstance(value, (int, float)):
        with contextlib.suppress(ValueError, TypeError):
            value = item()
    try:
        import pandas as pd

        if value is pd.NA or value is pd.NaT:
            return None
    except ImportError:  # pragma: no cover
        pass
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            return None
        return value
    return str(value)


def is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def number(value: float | int, decimals: int | None = None) -> str:
    """Norwegian number: 101 859; 12,5 (no-break space for thousands, decimal comma)."""
    if isinstance(value, bool):
        return "ja" if value else "nei"
    if isinstance(value, int):
        text = f"{value:,}"
    else:
        if decimals is None:
            decimals = 0 if float(value).is_integer() and abs(value) >= 1000 else 1
            if value and abs(value) < 0.1:
                decimals = 2
        text = f"{value:,.{decimals}f}"
    return text.replace(",", _NBSP).replace(".", ",")


def display(value: Any) -> str:
    """A cell as Norwegian text."""
    value = plain(value)
    if value is None:
        return UNKNOWN
    if isinstance(value, bool):
        return "ja" if value else "nei"
    if is_number(value):
        return number(value)
    if isinstance(value, list):
        return ", ".join(display(v) for v in value)
    if isinstance(value, dict):
        return ", ".join(f"{k}: {display(v)}" for k, v in value.items())
    return str(value)


def plural(count: object, one: str = "ordning", many: str = "ordninger") -> str:
    """ "1 ordning", "3 ordninger" (Norwegian number formatting)."""
    value = plain(count)
    if not is_number(value):
        return f"{display(value)} {many}"
    return f"{number(value)} {one if value == 1 else many}"


def percent(value: float | None) -> str:
    return UNKNOWN if value is None else f"{number(float(value), 1)}{_NBSP}%"


def date_nb(date: dt.date) -> str:
    months = [
        "januar",
        "februar",
        "mars",
        "april",
        "mai",
        "juni",
        "juli",
        "august",
        "september",
        "oktober",
        "november",
        "desember",
    ]
    return f"{date.day}. {months[date.month - 1]} {date.year}"


def join_nb(items: Iterable[str]) -> str:
    """ "a, b og c"."""
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " og " + items[-1]


def slug(text: str) -> str:
    """File-name slug with Norwegian letters spelt out: "Øvre Eiker" -> "ovre-eiker"."""
    text = text.lower()
    for a, b in (("æ", "ae"), ("ø", "o"), ("å", "a")):
        text = text.replace(a, b)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    text = re.sub(r"[^a-z0-9]+", "-", text).strip("-")
    return text or "kartlegging"
