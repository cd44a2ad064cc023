"""What every renderer of a report shares: a cell's text and the plan of "Mangler data" lists."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from samarbeid.analysis.model import Table

from .fmt import display, is_number, number, plain, plural
from .labels import NO_GROUPING
from .model import Report

#: Longer "Mangler data" lists are printed in the appendix instead of under the table.
MISSING_INLINE_MAX = 20


def cell_text(table: Table, col: int, value: Any) -> str:
    value = plain(value)
    if is_number(value) and table.columns[col] in NO_GROUPING:
        return str(value)
    return display(value)


@dataclass
class MissingList:
    """A long "Mangler data" list, printed once in the appendix and referred to by its tables."""

    number: str
    reason: str
    refs: list[str]
    tables: list[str] = field(default_factory=list)

    @property
    def anchor(self) -> str:
        return "vedlegg-" + self.number.lower().replace(".", "-")


def missing_plan(report: Report) -> tuple[dict[str, str], list[MissingList]]:
    """The "Mangler data" line of every table (by table id) and the appendix lists.

    Short lists are printed under the table (ids and names); a list already printed is referred
    to; lists longer than :data:`MISSING_INLINE_MAX` go to the appendix (Vedlegg A).
    """
    sentences: dict[str, str] = {}
    seen: dict[tuple[str, ...], str] = {}
    lists: dict[tuple[str, ...], MissingList] = {}
    for section in report.sections():
        table = section.table
        if not table.missing:
            sentences[table.id] = "Mangler data: ingen ordninger."
            continue
        reason = f" ({table.missing_reason.rstrip('.')})" if table.missing_reason else ""
        key = tuple(table.missing)
        count = number(len(table.missing))
        if len(table.missing) > MISSING_INLINE_MAX:
            if key not in lists:
                lists[key] = MissingList(
                    f"A.{len(lists) + 1}", table.missing_reason.rstrip("."), list(table.missing)
                )
            entry = lists[key]
            entry.tables.append(section.number)
            sentences[table.id] = (
                f"Mangler data{reason}: {count} ordninger, listet i vedlegg {entry.number}."
            )
        elif key in seen:
            same = "den samme ordningen" if len(key) == 1 else f"de samme {count} ordningene"
            sentences[table.id] = f"Mangler data{reason}: {same} som i tabell {seen[key]}."
        else:
            seen[key] = section.number
            sentences[table.id] = (
                f"Mangler data{reason}, {plural(len(key))}: {report.missing_text(table)}."
            )
    return sentences, list(lists.values())
