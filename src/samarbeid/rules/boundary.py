"""The input boundary for one cell: every value from a file, a web form, an upload or the API
passes here once, before any rule of the mapping file looks at it (no Django).

A cell is cleaned (:func:`samarbeid.core.text.clean_text`: NFC, invisible characters removed with a
warning, control characters refused, trimmed), then held to its column (:class:`.schema.Column`):
no formula (an apostrophe in front does not make one acceptable: the registry never stores a
formula as a value, and every output neutralises one anyway; only prose — a comment, a reason —
keeps a leading formula character as typed), no line break in a one-line column, no more
characters than the column holds. Numbers are held to their column's digits in
:func:`check_number`, where the documented rounding happens — once, on input.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from samarbeid.core.text import clean_text, replace_refused

from .findings import ERROR, WARNING
from .schema import MIN_YEAR, Column
from .values import looks_like_formula, parse_decimal

#: Digits as people type them: ASCII only («²», «٣» or «３» are not accepted as digits).
ASCII_DIGITS = re.compile(r"[0-9]+")
#: First characters that need the full check (formulas, numbers with a sign, the apostrophe).
_SUSPECT_START = frozenset("=+-@'")
#: The largest value of a PositiveIntegerField (PostgreSQL integer).
MAX_INTEGER = 2_147_483_647


@dataclass
class Issue:
    """A problem with one cell, located by the caller."""

    severity: str
    code: str
    value: str | None = None
    params: dict[str, object] = field(default_factory=dict)


def clean_cell(column: Column, raw: str) -> tuple[str, list[Issue]]:
    """The cell's clean text and what was wrong with it. After an error the text is only good for
    the other checks and messages (the record it belongs to is refused)."""
    if (
        raw
        and raw.isprintable()  # no control, invisible, line-end or non-space separator character
        and raw[0] not in _SUSPECT_START
        and len(raw) <= column.max_length
        and not raw[0].isspace()
        and not raw[-1].isspace()
        and (raw.isascii() or unicodedata.is_normalized("NFC", raw))
    ):
        return raw, []  # the common case, decided without building anything
    return full_check(column, raw)


def full_check(column: Column, raw: str) -> tuple[str, list[Issue]]:
    """:func:`clean_cell` without its shortcut (the tests hold the two to the same answers)."""
    cleaned = clean_text(raw)
    if not cleaned.ok:
        return replace_refused(raw).strip(), [
            Issue(
                ERROR,
                "control_character",
                _shown(raw),
                {"char": cleaned.refused, "position": cleaned.refused_at},
            )
        ]
    text = cleaned.text
    issues: list[Issue] = []
    if cleaned.removed:
        issues.append(
            Issue(WARNING, "invisible_removed", text, {"chars": ", ".join(cleaned.removed)})
        )
    char = None if column.prose else looks_like_formula(text)
    if char is None and not column.prose and text.startswith("'"):
        char = looks_like_formula(text[1:])
    if char is not None:
        return text, [*issues, Issue(ERROR, "formula", text, {"char": char})]
    problem = check_length(text, column.max_length, column.one_line)
    if problem is not None:
        return text, [*issues, problem]
    return text, issues


def check_length(text: str, limit: int, one_line: bool) -> Issue | None:
    if len(text) > limit:
        return Issue(ERROR, "text_too_long", text, {"length": len(text), "limit": limit})
    if one_line and "\n" in text:
        return Issue(ERROR, "line_break", text)
    return None


def check_number(
    text: str, column: Column, maximum: Decimal | None = None
) -> tuple[Decimal | None, Issue | None]:
    """A decimal cell held to its column: ``(value, None)``, ``(rounded, warning)`` or
    ``(None, error)``. Rounding is half up to the column's decimal places."""
    value = parse_decimal(text)
    if value is None:
        return None, Issue(ERROR, "number_invalid", text)
    if value < 0:
        return None, Issue(ERROR, "number_negative", text)
    if maximum is not None and value > maximum:
        return None, Issue(ERROR, "share_out_of_range", text)
    issue = None
    if column.number is not None:
        digits, places = column.number
        exponent = value.as_tuple().exponent
        if isinstance(exponent, int) and -exponent > places:
            rounded = value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
            issue = Issue(
                WARNING, "number_rounded", text, {"rounded": plain(rounded), "places": places}
            )
            value = rounded
        if value >= Decimal(10) ** (digits - places):
            largest = plain(Decimal(10) ** (digits - places) - Decimal(1).scaleb(-places))
            return None, Issue(ERROR, "number_too_large", text, {"limit": largest})
    return value, issue


def parse_count(text: str, limit: int = MAX_INTEGER) -> int | None:
    """A whole number ≥ 0 in ASCII digits, at most ``limit``; None otherwise."""
    if not ASCII_DIGITS.fullmatch(text) or len(text) > len(str(limit)):
        return None
    number = int(text)
    return number if number <= limit else None


def year_in_range(year: int, today_year: int | None = None) -> bool:
    return year >= MIN_YEAR and (today_year is None or year <= today_year)


def plain(value: Decimal) -> str:
    """A number as plain text without exponent or trailing zeros: 6.20 → 6.2, 1E+2 → 100."""
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def _shown(raw: str) -> str:
    """A value with control characters made visible, for a message."""
    return raw.encode("unicode_escape", "backslashreplace").decode("ascii")[:200]
