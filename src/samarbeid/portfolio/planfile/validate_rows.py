"""The sheets under the projects — Milepæler, Finansiering, Deltakelse, Avsnitt — and the one run
over a whole file (:func:`check_plan`)."""

from __future__ import annotations

import datetime as dt

from samarbeid.core.i18n import Text
from samarbeid.reference.gazetteer import Gazetteer
from samarbeid.rules.checking import Row

from ..periods import due_by
from .messages import EXPECTED
from .reader import PlanBook
from .schema import FUNDING, MILESTONES, PARTICIPATION, PLAN, PROJECTS, SECTIONS, SHEETS
from .spec import FundingSpec, MilestoneSpec, ParticipationSpec, SectionSpec
from .validate import PlanCheck, PlanHead, missing_sheets


class PlanValidator(PlanHead):
    """One run of every check over one plan file."""

    def run(self) -> PlanCheck:
        book: PlanBook = self.book  # type: ignore[assignment]
        names = ", ".join(s.name for s in SHEETS)
        for name in book.unknown_sheets:
            self.warn("sheet_unknown", value=name, expected=names)
        missing = missing_sheets(book)
        for sheet in missing:
            self.error("sheet_missing", sheet=sheet.name, expected=names)
        rows: dict[str, list[Row]] = {}
        for sheet in SHEETS:
            if sheet.name in book.tables:
                rows[sheet.name] = [
                    row for table in book.tables[sheet.name] for row in self._rows(sheet, table)
                ]
        if PLAN in missing or PROJECTS in missing:
            return PlanCheck(self.plan, self.findings)
        self._plan(rows[PLAN.name])
        self._projects(rows[PROJECTS.name])
        if MILESTONES.name in rows:
            self._milestones(rows[MILESTONES.name])
        if FUNDING.name in rows:
            self._funding(rows[FUNDING.name])
        if PARTICIPATION.name in rows:
            self._participation(rows[PARTICIPATION.name])
        if SECTIONS.name in rows:
            self._sections(rows[SECTIONS.name])
        return PlanCheck(self.plan, self.findings)

    def _milestones(self, rows: list[Row]) -> None:
        result: list[MilestoneSpec] = []
        seen: dict[tuple[str, str], int] = {}
        positions: dict[str, int] = {}
        for row in rows:
            code = self.code_of(row)
            text = self.required(row, "tekst")
            source = self.required(row, "kilde")
            done = self.date(row, "ferdig")
            if code is None or not text:
                continue
            if (code, text) in seen:
                self.error(
                    "plan_milestone_duplicate",
                    row.table,
                    row.number,
                    "tekst",
                    text,
                    other_row=seen[(code, text)],
                )
                continue
            seen[(code, text)] = row.number
            position = positions[code] = positions.get(code, -1) + 1
            values = {
                "when": row.get("nar"),
                "due_by": due_by(row.get("nar")),
                "done": done,
                "position": position,
                "source": source,
            }
            result.append(MilestoneSpec(code, text, values))
        self.plan.milestones = result

    def _funding(self, rows: list[Row]) -> None:
        result: list[FundingSpec] = []
        plan_year = self.plan.year
        for row in rows:
            implied = getattr(row.table, "implied", {})
            code = implied.get("prosjektkode", row.get("prosjektkode"))
            if code:  # a project's funding; empty: the whole plan's
                code = self.code_of(row)
                if code is None:
                    continue
            year = self.year(row, "ar") if row.get("ar") else plan_year
            if year is not None and plan_year is not None and year != plan_year:
                self.error(
                    "plan_funding_year", row.table, row.number, "ar", row.get("ar"), year=plan_year
                )
            values = {
                "year": plan_year,
                "year_as_stated": row.get("periode_som_oppgitt"),
                "source_kind": self.required(row, "type"),
                "grantor": self.required(row, "giver"),
                "applied": self.amount(row, FUNDING, "sokt"),
                "granted": self.amount(row, FUNDING, "innvilget"),
                "own_contribution": self.amount(row, FUNDING, "egenandel"),
                "decision_date": self.date(row, "vedtaksdato"),
                "source": self.required(row, "kilde"),
            }
            if not row.get("sokt") and not row.get("innvilget"):
                self.error("plan_funding_amount_missing", row.table, row.number, "sokt")
            result.append(FundingSpec(code, values))
        self.plan.funding = result

    def _participation(self, rows: list[Row]) -> None:
        result: list[ParticipationSpec] = []
        seen: dict[tuple[str, str], int] = {}
        year = self.plan.year
        at = dt.date(year, 1, 1) if year is not None else None
        for row in rows:
            code = self.code_of(row)
            takes_part = self.required(row, "deltar") and self.yes_no(row, "deltar")
            source = self.required(row, "kilde")
            name, number = row.get("kommune"), row.get("kommunenummer")
            if not name and not number:
                self.error(
                    "value_required",
                    row.table,
                    row.number,
                    "kommune",
                    expected=Text(EXPECTED["kommune"]),
                )
                continue
            column = "kommunenummer" if number else "kommune"
            if at is None:
                continue  # no plan year to look the municipality up at (reported at ar)
            period = self.resolve_municipality(
                name, number, row.table, row.number, column, at, None
            )
            if period is None or code is None:
                continue
            if (code, period.entity) in seen:
                self.error(
                    "plan_participation_duplicate",
                    row.table,
                    row.number,
                    column,
                    period.label(),
                    other_row=seen[(code, period.entity)],
                )
                continue
            seen[(code, period.entity)] = row.number
            values = {"takes_part": takes_part, "source": source}
            result.append(ParticipationSpec(code, period.entity, period.label(), values))
        self.plan.participation = result

    def _sections(self, rows: list[Row]) -> None:
        result: list[SectionSpec] = []
        seen: dict[str, int] = {}
        for row in rows:
            number = self.required(row, "nummer")
            title = self.required(row, "tittel")
            if number in seen:
                self.error(
                    "plan_section_duplicate",
                    row.table,
                    row.number,
                    "nummer",
                    number,
                    other_row=seen[number],
                )
                continue
            if number:
                seen[number] = row.number
                result.append(SectionSpec(number, title))
        self.plan.sections = result


def check_plan(
    book: PlanBook, *, today: dt.date | None = None, gazetteer: Gazetteer | None = None
) -> PlanCheck:
    """Check a read plan file (the database is read, never written)."""
    return PlanValidator(book, today=today, gazetteer=gazetteer).run()
