"""When a milestone is due, read from how plans write it: «1.–2. kvartal 2021», «3. kvartal
2021», «første kvartal 2022», «mai 2021», «31.8.21», «2021». Pure Python.

``due_by`` gives the last day the words allow (the end of the last quarter, month or year named),
or ``None`` when the words give no date to measure against («våren 2021», «før sommeren»): such
a milestone is never called overdue, and the plan shows its words as written."""

from __future__ import annotations

import calendar
import datetime as dt
import re

MONTHS = {
    name: number
    for number, name in enumerate(
        [
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
        ],
        start=1,
    )
}
ORDINALS = {"første": 1, "andre": 2, "tredje": 3, "fjerde": 4}
_DASHES = "\u2013\u2014-"

_DATE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{2}|\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_QUARTERS = re.compile(
    rf"^(?:(\d)\.\s*(?:[{_DASHES}]\s*(\d)\.\s*)?|(første|andre|tredje|fjerde)\s+)kvartal\s+(\d{{4}})$"
)
_MONTH = re.compile(r"^(?:(?:i\s+)?(?:løpet av\s+)?)?([a-zæøå]+)\s+(\d{4})$")
_YEAR = re.compile(r"^(?:i\s+|i løpet av\s+)?(\d{4})$")


def _year(text: str) -> int:
    year = int(text)
    return 2000 + year if year < 100 else year


def _end_of_month(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def due_by(words: str) -> dt.date | None:
    """The last day ``words`` allow, or ``None`` when they name no quarter, month, day or year."""
    text = " ".join(words.strip().lower().split())
    if not text:
        return None
    if match := _ISO.match(text):
        return _valid(int(match[1]), int(match[2]), int(match[3]))
    if match := _DATE.match(text):
        return _valid(_year(match[3]), int(match[2]), int(match[1]))
    if match := _QUARTERS.match(text):
        last = int(match[2] or match[1]) if match[1] else ORDINALS[match[3]]
        if not 1 <= last <= 4:
            return None
        return _end_of_month(int(match[4]), last * 3)
    if (match := _MONTH.match(text)) and match[1] in MONTHS:
        return _end_of_month(int(match[2]), MONTHS[match[1]])
    if match := _YEAR.match(text):
        return dt.date(int(match[1]), 12, 31)
    return None


def _valid(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None
