"""Parsing of single cell values (numbers, dates, years, lists). Pure functions."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation

# Formulas are defined once, for input and output alike, in samarbeid.core.cells; the names stay
# importable from here for the readers and the validator.
from samarbeid.core.cells import FORMULA_CHARS as FORMULA_CHARS
from samarbeid.core.cells import looks_like_formula as looks_like_formula
from samarbeid.core.cells import neutralise as neutralise_formula
from samarbeid.core.cells import unescape as unescape_formula

from .schema import MIN_YEAR

__all__ = [
    "FORMULA_CHARS",
    "canonical_decimal",
    "format_year_or_date",
    "looks_like_formula",
    "neutralise_formula",
    "parse_date",
    "parse_decimal",
    "parse_year_or_date",
    "split_list",
    "too_early",
    "unescape_formula",
]

_NUMBER = re.compile(r"^[+-]?(\d+([.,]\d*)?|[.,]\d+)$", re.ASCII)
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}", re.ASCII)
_YEAR = re.compile(r"\d{4}", re.ASCII)


def split_list(text: str) -> list[str]:
    return [part.strip() for part in text.split(";") if part.strip()]


def parse_decimal(text: str) -> Decimal | None:
    """'6,2', '6.2', '17 000 000', '25 %' → Decimal; None when it is not a number."""
    cleaned = text.replace("\u00a0", " ").replace(" ", "").rstrip("%").strip()
    if not _NUMBER.match(cleaned):
        return None
    try:
        return Decimal(cleaned.replace(",", "."))
    except InvalidOperation:
        return None


def canonical_decimal(value: Decimal | None) -> str:
    """Shortest plain text for a number: 6.20 → '6.2', 28.00 → '28'."""
    if value is None:
        return ""
    text = format(value.normalize(), "f")
    return text


def parse_date(text: str) -> dt.date | None:
    """'2020-11-01' (a time after it is ignored) → the date; None when it is not a date in ASCII
    digits from :data:`MIN_YEAR` on."""
    text = text.strip()
    if not _DATE.match(text):
        return None
    try:
        day = dt.date.fromisoformat(text[:10])
    except ValueError:
        return None
    return day if day.year >= MIN_YEAR else None


def parse_year_or_date(text: str) -> tuple[dt.date, str] | None:
    """'2020' → (2020-01-01, 'year'); '2020-11-01' → (date, 'day'); years before
    :data:`MIN_YEAR` (0000, 0202) are not accepted."""
    text = text.strip()
    if _YEAR.fullmatch(text):
        year = int(text)
        return (dt.date(year, 1, 1), "year") if year >= MIN_YEAR else None
    day = parse_date(text)
    return (day, "day") if day and len(text) == 10 else None


def too_early(text: str) -> bool:
    """A year or date in the right form but before :data:`MIN_YEAR` (0000, 0202-01-01)."""
    text = text.strip()
    match = _YEAR.match(text)
    return bool(match and (len(text) == 4 or _DATE.match(text)) and int(match.group()) < MIN_YEAR)


def format_year_or_date(day: dt.date | None, precision: str) -> str:
    if day is None:
        return ""
    return str(day.year) if precision == "year" else day.isoformat()


def format_established(
    start: int | None,
    end: int | None,
    unspecified: bool,
    *,
    dash: str = "-",
    unspecified_text: str = "uspesifisert",
    unknown: str = "",
) -> str:
    """The one text of ``etablert``: ``2005``, ``2015-2021``, ``uspesifisert`` or ``unknown``.

    The file's form by default; pages and reports pass their own dash and words. A stored record
    has both years or neither (the rules set both; a database constraint holds it); a table built
    elsewhere may know one end only: ``2005-`` or ``-2021``."""
    if start is None and end is None:
        return unspecified_text if unspecified else unknown
    if start is not None and end in (None, start):
        return str(start) if end is not None else f"{start}{dash}"
    return f"{start if start is not None else ''}{dash}{end}"
