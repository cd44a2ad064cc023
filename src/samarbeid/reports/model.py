"""A report as data: chapters of tables and figures, ready for any renderer.

The renderers (:mod:`samarbeid.reports.render`) never compute anything; everything they print is
here. Figures are drawn lazily (only HTML and PDF need them).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from samarbeid.analysis.model import Table


@dataclass
class Figure:
    """A chart: ``alt`` is its Norwegian text alternative (also printed as the caption)."""

    id: str
    title: str
    alt: str
    draw: Callable[[], str]
    number: str = ""
    _svg: str | None = field(default=None, repr=False)

    @property
    def svg(self) -> str:
        if self._svg is None:
            self._svg = self.draw()
        return self._svg


@dataclass
class Section:
    table: Table
    figures: list[Figure] = field(default_factory=list)
    number: str = ""


@dataclass
class Chapter:
    id: str
    title: str
    number: str = ""
    intro: list[str] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)


@dataclass
class Report:
    """One report: the mapping report, a municipality's overview or a comparison.

    ``meta`` is the ``kartlegging`` object of the JSON output (plain values only). ``names`` maps
    arrangement refs to names, for the "Mangler data" lists.
    """

    kind: str
    title: str
    subtitle: str
    date: dt.date
    slug: str
    meta: dict[str, Any]
    findings: list[str] = field(default_factory=list)
    chapters: list[Chapter] = field(default_factory=list)
    names: dict[str, str] = field(default_factory=dict)
    facts: list[tuple[str, str]] = field(default_factory=list)

    def sections(self) -> list[Section]:
        return [s for c in self.chapters for s in c.sections]

    def tables(self) -> list[Table]:
        return [s.table for s in self.sections()]

    def chapter_of(self, table_id: str) -> Chapter | None:
        for chapter in self.chapters:
            if any(s.table.id == table_id for s in chapter.sections):
                return chapter
        return None

    def missing_text(self, table: Table) -> str:
        """ "BUS21-004 SuksIT; BUS21-010 Kongsberg Krisesenter" for the table's missing refs."""
        return "; ".join(
            f"{ref} {self.names[ref]}" if self.names.get(ref) else ref for ref in table.missing
        )


def number_report(report: Report) -> Report:
    """Number chapters (1, 2, …), tables (Tabell 2.3) and figures (Figur 2.1) in order."""
    for ci, chapter in enumerate(report.chapters, start=1):
        chapter.number = str(ci)
        figure_no = 0
        for si, section in enumerate(chapter.sections, start=1):
            section.number = f"{ci}.{si}"
            for figure in section.figures:
                figure_no += 1
                figure.number = f"{ci}.{figure_no}"
    return report
