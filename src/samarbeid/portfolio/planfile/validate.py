"""Check a read plan file: every problem in one pass, as findings; the valid content as a spec.

Built on the mapping file's checks (:class:`samarbeid.rules.validate.Validator`'s mixins): the
columns of each sheet (unknown ones with the nearest known as a suggestion, missing, twice), every
cell through the input boundary, vocabularies with suggestions, dates and municipality numbers
through the gazetteer at the plan year. What is the plan's own — the body, the year, an approved
plan, project codes that must be unique and known, the funding's year and amounts — is checked
here and in :mod:`.validate_rows`. The database is read (the body, its governing bodies and
focus areas, the stored plan), never written.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from samarbeid.commandbase import UserError
from samarbeid.core.i18n import Text
from samarbeid.reference.gazetteer import Gazetteer
from samarbeid.reference.vocab import Vocabulary
from samarbeid.rules.boundary import check_number, parse_count
from samarbeid.rules.check_file import FileChecks
from samarbeid.rules.check_names import NameChecks
from samarbeid.rules.check_rows import RowChecks
from samarbeid.rules.checking import CheckContext, Row
from samarbeid.rules.findings import ERROR, WARNING, Finding
from samarbeid.rules.schema import MIN_YEAR, Sheet
from samarbeid.rules.tables import Table
from samarbeid.rules.values import parse_date

from ..cli import find_body
from ..models import ActionPlan, CooperationBody
from .messages import EXPECTED, PlanFinding
from .reader import PlanBook
from .schema import (
    CATEGORIES,
    FORMS,
    PHASES,
    PLAN,
    PROJECTS,
    REQUIRED_SHEETS,
    STATUSES,
    YES_NO,
)
from .spec import PlanSpec, ProjectSpec

#: The latest plan year accepted: this many years ahead of today.
YEARS_AHEAD = 10
#: The largest number a PositiveSmallIntegerField holds.
SMALL_INTEGER = 32_767


@dataclass
class PlanCheck:
    spec: PlanSpec
    findings: list[Finding] = field(default_factory=list)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == ERROR]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == WARNING]


class PlanChecks(FileChecks, RowChecks, NameChecks, CheckContext):
    """The state of one check and the helpers every sheet's check uses."""

    def __init__(
        self, book: PlanBook, *, today: dt.date | None = None, gazetteer: Gazetteer | None = None
    ) -> None:
        super().__init__(book, today=today, gazetteer=gazetteer)  # type: ignore[arg-type]
        self.plan = PlanSpec()
        self.codes: dict[str, int] = {}  # project code → its row in Prosjekter

    def _add(
        self,
        severity: str,
        code: str,
        table: Table | None = None,
        row: int | None = None,
        column: str | None = None,
        value: str | None = None,
        suggestion: str | None = None,
        **params: object,
    ) -> None:
        if code == "column_missing" and self.book.kind == "json":
            code = "plan_json_key_missing"
        self.findings.append(
            PlanFinding(
                severity,
                code,
                self.file,
                sheet=table.name if table else None,
                row=row,
                column=column,
                value=value,
                suggestion=suggestion,
                params=params,
            )
        )

    # -- helpers -------------------------------------------------------------------------------
    def required(self, row: Row, key: str, expected: str | None = None) -> str:
        """The cell, or "" with ``value_required`` when it is empty (a missing column has its
        own finding already)."""
        text = row.get(key)
        if not text and key in row.table.columns:
            words = Text(EXPECTED[expected or key])
            self.error("value_required", row.table, row.number, key, expected=words)
        return text

    def term(self, vocab: Vocabulary, row: Row, key: str) -> str:
        return self._vocab(vocab, row.get(key), row.table, row.number, key)

    def yes_no(self, row: Row, key: str) -> bool | None:
        answer = self.term(YES_NO, row, key)
        return None if not answer else answer == "ja"

    def amount(self, row: Row, sheet: Sheet, key: str) -> Decimal | None:
        text = row.get(key)
        if not text:
            return None
        value, issue = check_number(text, sheet.column(key))
        if issue is not None:
            self._add(
                issue.severity,
                issue.code,
                row.table,
                row.number,
                key,
                issue.value,
                expected=Text(EXPECTED["amount"]),
                **issue.params,
            )
        return value

    def count(self, row: Row, key: str, limit: int = SMALL_INTEGER) -> int | None:
        text = row.get(key)
        if not text:
            return None
        number = parse_count(text, limit)
        if number is None:
            self.error(
                "integer_invalid",
                row.table,
                row.number,
                key,
                text,
                expected=Text(EXPECTED["count"]),
            )
        return number

    def date(self, row: Row, key: str) -> dt.date | None:
        text = row.get(key)
        if not text:
            return None
        day = parse_date(text)
        if day is None or len(text.strip()) != 10:
            self._bad_date("date_invalid", row.table, row.number, key, text)
            return None
        return day

    def year(self, row: Row, key: str) -> int | None:
        text = row.get(key)
        if not text:
            return None
        number = parse_count(text, 9999)
        latest = self.today.year + YEARS_AHEAD
        if number is None or not MIN_YEAR <= number <= latest:
            self.error(
                "plan_year_invalid",
                row.table,
                row.number,
                key,
                text,
                min_year=MIN_YEAR,
                max_year=latest,
            )
            return None
        return number

    def code_of(self, row: Row) -> str | None:
        """The row's project code when it names a project of the file; reports it otherwise.
        A nested JSON row whose project has no usable code is left to that project's finding."""
        implied = getattr(row.table, "implied", {})
        if "prosjektkode" in implied:
            code = implied["prosjektkode"]
            return code if code in self.codes else None
        code = self.required(row, "prosjektkode")
        if not code:
            return None
        if code not in self.codes:
            known = ", ".join(self.codes) or "—"
            self.error(
                "plan_project_unknown", row.table, row.number, "prosjektkode", code, expected=known
            )
            return None
        return code

    @staticmethod
    def present(rows: list[Row], key: str) -> bool:
        return any(key in row.table.columns for row in rows[:1])


class PlanHead(PlanChecks):
    """The sheets Plan and Prosjekter."""

    def _plan(self, rows: list[Row]) -> None:
        if not rows:
            return  # sheet_empty is reported
        row = rows[0]
        if len(rows) > 1:
            self.error("plan_rows", row.table, rows[1].number, count=len(rows))
        spec = self.plan
        name = self.required(row, "organ")
        if name:
            spec.body = self._body(row, name)
        if self.required(row, "ar"):
            spec.year = self.year(row, "ar")
        values: dict[str, object] = {
            "title": self.required(row, "tittel"),
            "source": self.required(row, "kilde"),
        }
        if "status" in row.table.columns:
            values["status"] = self.term(STATUSES, row, "status") or ActionPlan.Status.DRAFT
        if "vedtatt_av" in row.table.columns:
            values["approved_by"] = self._governing(row, spec.body)
        if "vedtatt_dato" in row.table.columns:
            values["approved_on"] = self.date(row, "vedtatt_dato")
        if "oppgitt_antall_prosjekter" in row.table.columns:
            values["stated_project_count"] = self.count(row, "oppgitt_antall_prosjekter")
        if "sammendrag" in row.table.columns:
            values["summary"] = row.get("sammendrag")
        spec.values = values
        if spec.body is not None and spec.year is not None:
            stored = ActionPlan.objects.filter(body=spec.body, year=spec.year).first()
            if stored is not None and stored.status == ActionPlan.Status.APPROVED:
                self.error(
                    "plan_approved",
                    row.table,
                    row.number,
                    "ar",
                    str(spec.year),
                    body=spec.body.name,
                )
            elif stored is not None and values.get("status") == ActionPlan.Status.APPROVED:
                self.error("plan_status_approves", row.table, row.number, "status", "vedtatt")

    def _body(self, row: Row, name: str) -> CooperationBody | None:
        try:
            return find_body(name)
        except UserError:
            names = ", ".join(CooperationBody.objects.values_list("name", flat=True)) or "—"
            self.error("plan_body_unknown", row.table, row.number, "organ", name, expected=names)
            return None

    def _governing(self, row: Row, body: CooperationBody | None) -> object:
        name = row.get("vedtatt_av")
        if not name or body is None:
            return None
        found = body.governing_bodies.filter(name__iexact=name).first()
        if found is None:
            names = ", ".join(body.governing_bodies.values_list("name", flat=True)) or "—"
            self.error(
                "plan_governing_unknown", row.table, row.number, "vedtatt_av", name, expected=names
            )
        return found

    def _projects(self, rows: list[Row]) -> None:
        body = self.plan.body
        areas = {a.name.casefold(): a for a in body.focus_areas.all()} if body else {}
        for position, row in enumerate(rows):
            code = self.required(row, "kode")
            if code in self.codes:
                self.error(
                    "plan_code_duplicate",
                    row.table,
                    row.number,
                    "kode",
                    code,
                    other_row=self.codes[code],
                )
            elif code:
                self.codes[code] = row.number
            spec = ProjectSpec(row.number, code)
            spec.values = {
                "title": self.required(row, "tittel"),
                "source": self.required(row, "kilde"),
            }
            category = self.required(row, "kategori") and self.term(CATEGORIES, row, "kategori")
            spec.entry = {"category": category, "position": position}
            columns = row.table.columns
            for key, field_name in (
                ("type", "kind"),
                ("eier", "owner"),
                ("ansvarlig", "responsible"),
                ("startet", "started"),
                ("beskrivelse", "description"),
                ("okonomi", "economic_case"),
            ):
                if key in columns:
                    spec.values[field_name] = row.get(key)
            if "fase" in columns:
                spec.values["phase"] = self.term(PHASES, row, "fase")
            if "samarbeidsform" in columns:
                spec.values["cooperation_form"] = self.term(FORMS, row, "samarbeidsform")
            if "soker_midler" in columns:
                spec.values["seeks_funds"] = self.yes_no(row, "soker_midler")
            if "budsjett" in columns:
                spec.values["budget"] = self.amount(row, PROJECTS, "budsjett")
            if "satsingsomrade" in columns:
                spec.values["focus_area"] = self._area(row, areas)
            if "i_aret" in columns:
                spec.entry["this_year"] = row.get("i_aret")
            if "avsnitt" in columns:
                spec.entry["section"] = row.get("avsnitt")
            self.plan.projects.append(spec)

    def _area(self, row: Row, areas: dict) -> object:
        name = row.get("satsingsomrade")
        if not name or self.plan.body is None:
            return None
        area = areas.get(name.casefold())
        if area is None:
            tops = {a.name for a in areas.values() if a.parent_id is None}
            names = ", ".join(sorted(tops)) or "—"
            self.error(
                "plan_focus_area_unknown",
                row.table,
                row.number,
                "satsingsomrade",
                name,
                expected=names,
            )
        return area


def missing_sheets(book: PlanBook) -> list[Sheet]:
    wanted = REQUIRED_SHEETS if book.kind == "xlsx" else (PLAN, PROJECTS)
    return [s for s in wanted if s.name not in book.tables]
