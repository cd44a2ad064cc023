"""Check a read status file: every problem in one pass, as findings; the valid rows as reports.

Built on the mapping file's checks (the mixins of :class:`samarbeid.rules.validate.Validator`):
the columns (unknown ones with the nearest known as a suggestion, missing, twice), every cell
through the input boundary, the status vocabulary with a suggestion, and the municipality number
resolved through the gazetteer at the row's date (a name, when given, must be the number's). What
is the status file's own is checked here: the solution by name (case does not matter; the closest
name is suggested), the date (ÅÅÅÅ-MM-DD or DD.MM.ÅÅÅÅ), the source (the row's, or the one given
for the whole file), the user's permission for each row's municipality, and the same
municipality, solution and date twice with different statuses. Each complete row then passes the
reporting service's own check (:func:`samarbeid.adoption.services.check_report`), whose problems
keep the service's words; a date before 2000 or after today gets the service's message too, and
the municipality is not looked up at a date it cannot have.

A row with nothing in ``status``, ``dato``, ``kilde`` and ``merknad`` is a row of the template
left unfilled: it is skipped (and counted). The database is read, never written.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass, field
from typing import Any

import rules
from django.utils import timezone

from samarbeid.core.i18n import Text, gettext_noop
from samarbeid.reference.gazetteer import Gazetteer
from samarbeid.registry.edit_checks import text_problems
from samarbeid.registry.edit_outcomes import Problem
from samarbeid.registry.models import Municipality
from samarbeid.rules.check_file import FileChecks
from samarbeid.rules.check_names import NameChecks
from samarbeid.rules.check_rows import RowChecks
from samarbeid.rules.checking import CheckContext, Row
from samarbeid.rules.findings import ERROR, WARNING, Finding
from samarbeid.rules.tables import RawWorkbook, Table

from ..models import Solution
from ..services import EARLIEST, Report, check_report, date_problems
from .messages import EXPECTED, FIELD_COLUMNS, StatusFinding
from .reader import KEY
from .schema import SHEET, STATUS, STATUSES

#: The solutions listed in a message about an unknown one, at most.
LISTED = 12
_ISO = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})(?:[T ][0-9]{2}:[0-9]{2}(?::[0-9.]+)?)?")
_NORWEGIAN = re.compile(r"([0-9]{1,2})\.([0-9]{1,2})\.([0-9]{4})")
#: The columns a row of the template leaves empty until it is filled in.
FILLED_IN = ("status", "dato", "kilde", "merknad")


def parse_day(text: str) -> dt.date | None:
    """«2024-03-01» (a time after it, as a workbook's date cell may have, is ignored) or
    «1.3.2024» → the date; None when it is neither, or no such day."""
    text = text.strip()
    if match := _ISO.fullmatch(text):
        year, month, day = match.groups()
    elif match := _NORWEGIAN.fullmatch(text):
        day, month, year = match.groups()
    else:
        return None
    try:
        return dt.date(int(year), int(month), int(day))
    except ValueError:
        return None


@dataclass(frozen=True)
class StatusRow:
    row: int
    report: Report


@dataclass
class StatusCheck:
    file: str
    rows: list[StatusRow] = field(default_factory=list)
    read: int = 0  # rows under the header
    skipped: int = 0  # rows of the template left unfilled
    findings: list[Finding] = field(default_factory=list)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == ERROR]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == WARNING]

    @property
    def reports(self) -> list[Report]:
        """The reports in the order they are recorded: by date, then as in the file (so the
        number of new records does not depend on the order of the rows)."""
        return [r.report for r in sorted(self.rows, key=lambda r: (r.report.date, r.row))]


class StatusChecks(FileChecks, RowChecks, NameChecks, CheckContext):
    """One run of every check over one status file, for one user."""

    def __init__(
        self,
        book: RawWorkbook,
        *,
        user: Any,
        source: str = "",
        today: dt.date | None = None,
        gazetteer: Gazetteer | None = None,
        template_rows: bool = True,
    ) -> None:
        super().__init__(book, today=today or timezone.localdate(), gazetteer=gazetteer)
        self.user = user
        self.template_rows = template_rows
        self.source = source.strip()
        self.source_refused = False
        self.result = StatusCheck(book.display_name)
        self.solutions: dict[str, Solution] = {}
        self.municipalities: dict[str, Municipality | None] = {}
        self.allowed: dict[int, bool] = {}
        self.seen: dict[tuple[int, int, dt.date], tuple[int, str]] = {}

    def _add(
        self,
        severity: str,
        code: str,
        table: Table | None = None,
        row: int | None = None,
        column: str | None = None,
        value: str | None = None,
        suggestion: str | None = None,
        problem: Problem | None = None,
        **params: object,
    ) -> None:
        self.findings.append(
            StatusFinding(
                severity,
                code,
                self.file,
                sheet=(table.name or None) if table else None,
                row=row,
                column=column,
                value=value,
                suggestion=suggestion,
                params=params,
                row_is_line=bool(table and table.rows_are_lines),
                problem=problem,
            )
        )

    def _service(self, problem: Problem, table: Table | None, row: int | None) -> None:
        """A problem of the reporting service at its column («endringskilde» is ``kilde``)."""
        column = FIELD_COLUMNS.get(problem.field, problem.field or None)
        self._add(
            problem.severity, problem.code, table, row, column, problem.value, problem=problem
        )

    # -- the file ------------------------------------------------------------------------------
    def run(self) -> StatusCheck:
        book = self.book
        for name in book.unknown_sheets:
            self.warn("sheet_unknown", value=name, expected=SHEET)
        table = book.tables.get(KEY)
        if table is None:
            self.error("sheet_missing", sheet=SHEET, expected=SHEET)
            return self._done()
        rows = self._rows(STATUS, table)
        self.result.read = len(rows)
        if any(f.code == "column_missing" for f in self.findings) or not rows:
            return self._done()
        if self.source:
            for problem in text_problems("kilde", self.source):
                self._service(problem, None, None)
                self.source_refused = True
        elif "kilde" not in table.columns:
            self.error("status_source_column_missing", table, table.header_row or None, "kilde")
            return self._done()
        self.solutions = {s.name.casefold(): s for s in Solution.objects.all()}
        for row in rows:
            if self.template_rows and not any(row.get(key) for key in FILLED_IN):
                self.result.skipped += 1
                continue
            self._row(row)
        if self.template_rows and self.result.skipped == len(rows):
            self.error("status_no_rows", table)
        return self._done()

    def _done(self) -> StatusCheck:
        self.result.findings = self.findings
        if self.result.errors:
            self.result.rows = []
        return self.result

    # -- one row -------------------------------------------------------------------------------
    def _row(self, row: Row) -> None:
        before = len(self.findings)
        number = self._cell(row, "kommunenummer")
        if number.isascii() and number.isdigit() and len(number) == 3:
            number = "0" + number  # a workbook drops the leading zero of 0301
        solution = self._solution(row)
        status = self._cell(row, "status") and self._vocab(
            STATUSES, row.get("status"), row.table, row.number, "status"
        )
        day = self._day(row)
        source = self._source(row)
        municipality = None
        if number and day is not None:
            municipality = self._municipality(row, number, day)
        if municipality is not None and not self._may(municipality):
            self.error(
                "status_forbidden",
                row.table,
                row.number,
                "kommunenummer",
                number,
                user=self.user.get_username() if self.user is not None else "",
                municipality=f"{municipality.name} ({number})",
            )
        if row.errors or self._errors_since(before) or not source:
            return  # no source: the one given for the file was refused (said once)
        report = Report(solution, municipality, status, day, source, row.get("merknad"))
        for problem in check_report(report, self.today):
            self._service(problem, row.table, row.number)
        if self._errors_since(before):
            return
        key = (municipality.pk, solution.pk, day)
        if key in self.seen and self.seen[key][1] != status:
            other_row, other = self.seen[key]
            self.error(
                "status_conflict",
                row.table,
                row.number,
                "status",
                status,
                other=other,
                other_row=other_row,
                municipality=f"{municipality.name} ({number})",
                solution=solution.name,
                date=day.isoformat(),
            )
            return
        self.seen.setdefault(key, (row.number, status))
        self.result.rows.append(StatusRow(row.number, report))

    def _errors_since(self, before: int) -> bool:
        return any(f.severity == ERROR for f in self.findings[before:])

    def _cell(self, row: Row, key: str) -> str:
        """The cell, or "" with ``value_required`` when it is empty; "" also when the input
        boundary refused it (that finding says why, once)."""
        if any(f.column == key for f in row.errors):
            return ""
        text = row.get(key)
        if not text and key in row.table.columns:
            self.error("value_required", row.table, row.number, key, expected=Text(EXPECTED[key]))
        return text

    def _solution(self, row: Row) -> Solution | None:
        name = self._cell(row, "losning")
        if not name:
            return None
        found = self.solutions.get(name.casefold())
        if found is None:
            names = sorted(s.name for s in self.solutions.values())
            close = difflib.get_close_matches(
                name.casefold(), list(self.solutions), n=1, cutoff=0.6
            )
            expected: object = ", ".join(names) or "—"
            if len(names) > LISTED:
                expected = Text(gettext_noop("se listen i malens ark Veiledning"))
            self.error(
                "status_solution_unknown",
                row.table,
                row.number,
                "losning",
                name,
                suggestion=self.solutions[close[0]].name if close else None,
                expected=expected,
            )
        return found

    def _day(self, row: Row) -> dt.date | None:
        """The row's date, when it is one the service takes (its problem otherwise)."""
        text = self._cell(row, "dato")
        if not text:
            return None
        day = parse_day(text)
        if day is None:
            self.error("status_date_invalid", row.table, row.number, "dato", text)
            return None
        if day > self.today or day < EARLIEST:
            # The service's own words for the date alone.
            for problem in date_problems(day, self.today):
                self._service(problem, row.table, row.number)
            return None
        return day

    def _source(self, row: Row) -> str:
        if any(f.column == "kilde" for f in row.errors) or (
            not row.get("kilde") and self.source_refused
        ):
            return ""
        text = row.get("kilde") or self.source
        if not text:
            code = "status_source_missing" if self.template_rows else "status_source_required"
            self.error(code, row.table, row.number, "kilde")
        return text

    def _municipality(self, row: Row, number: str, day: dt.date) -> Municipality | None:
        name = "" if any(f.column == "kommune" for f in row.errors) else row.get("kommune")
        period = self.resolve_municipality(
            name, number, row.table, row.number, "kommunenummer", day, None
        )
        if period is None:
            return None
        if period.entity not in self.municipalities:
            self.municipalities[period.entity] = Municipality.objects.filter(
                key=period.entity
            ).first()
        found = self.municipalities[period.entity]
        if found is None:
            self.error("status_not_loaded", row.table, row.number, "kommunenummer", period.label())
        return found

    def _may(self, municipality: Municipality) -> bool:
        if municipality.pk not in self.allowed:
            self.allowed[municipality.pk] = rules.has_perm(
                "adoption.report_status", self.user, municipality
            )
        return self.allowed[municipality.pk]


def check_status(
    book: RawWorkbook,
    *,
    user: Any,
    source: str = "",
    today: dt.date | None = None,
    gazetteer: Gazetteer | None = None,
    template_rows: bool = True,
) -> StatusCheck:
    """Check a read status file for ``user`` (``source``: the source of every row without its
    own). ``template_rows``: rows of the template left unfilled are skipped (a file); the API
    has none. The database is read, never written."""
    return StatusChecks(
        book,
        user=user,
        source=source,
        today=today,
        gazetteer=gazetteer,
        template_rows=template_rows,
    ).run()
