"""What every check of a mapping file shares: where findings go, one row of a table, and the
result. The checks themselves are mixins of :class:`samarbeid.rules.validate.Validator`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from samarbeid.reference.files import task_area_numbers
from samarbeid.reference.gazetteer import Gazetteer, load_gazetteer

from .boundary import Issue
from .findings import ERROR, WARNING, Finding
from .schema import (
    MAPPING,
    SCOPE,
)
from .spec import MappingSpec
from .tables import RawWorkbook, Table

TRANSITION_27_DEADLINE = dt.date(2023, 11, 1)


@dataclass
class CheckResult:
    spec: MappingSpec
    findings: list[Finding] = field(default_factory=list)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == ERROR]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == WARNING]

    @property
    def file_errors(self) -> list[Finding]:
        """Errors that no row can be skipped for (file, mapping, scope)."""
        return [
            f
            for f in self.errors
            if f.sheet in (None, MAPPING.name, SCOPE.name)
            or f.code in {"column_missing", "column_unknown", "column_duplicate"}
        ]


class Row:
    """One row of a table: its cells, cleaned at the input boundary, by column key, and the row
    number for findings."""

    __slots__ = ("cells", "errors", "number", "table")

    def __init__(self, table: Table, number: int, cells: dict[str, str]) -> None:
        self.table = table
        self.number = number
        self.cells = cells
        self.errors: list[Finding] = []  # what the input boundary refused in this row

    def get(self, key: str) -> str:
        return self.cells.get(key, "")


class CheckContext:
    """The state of one check run and how a finding is added (the mixins below build on it)."""

    def __init__(
        self,
        book: RawWorkbook,
        *,
        mapping_name: str | None = None,
        cutoff_date: dt.date | None = None,
        today: dt.date | None = None,
        gazetteer: Gazetteer | None = None,
    ) -> None:
        self.book = book
        self.file = book.display_name
        self.gaz = gazetteer or load_gazetteer()
        self.today = today or dt.date.today()
        self.mapping_name = mapping_name
        self.cutoff_override = cutoff_date
        self.findings: list[Finding] = []
        self.spec = MappingSpec()
        self._resolution_cache: dict[tuple, object] = {}
        self._task_areas = task_area_numbers()

    # -- findings ------------------------------------------------------------------------------
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
        self.findings.append(
            Finding(
                severity,
                code,
                self.file,
                sheet=table.name if table else None,
                row=row,
                column=column,
                value=value,
                suggestion=suggestion,
                params=params,
                row_is_line=bool(table and table.rows_are_lines),
            )
        )

    def error(
        self,
        code: str,
        table: Table | None = None,
        row: int | None = None,
        column: str | None = None,
        value: str | None = None,
        **kw: object,
    ) -> None:
        self._add(ERROR, code, table, row, column, value, **kw)

    def warn(
        self,
        code: str,
        table: Table | None = None,
        row: int | None = None,
        column: str | None = None,
        value: str | None = None,
        **kw: object,
    ) -> None:
        self._add(WARNING, code, table, row, column, value, **kw)

    def _issue(
        self, issue: Issue, table: Table | None, row: int | None, column: str | None
    ) -> None:
        self._add(issue.severity, issue.code, table, row, column, issue.value, **issue.params)
