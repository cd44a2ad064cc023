"""File structure, the sheet Kartlegging and the scope (Kommuner): columns known, required and
unique; each cell through the input boundary; the mapping's name, date and municipalities."""

from __future__ import annotations

import datetime as dt
import difflib

from samarbeid.core.i18n import Text, gettext_noop
from samarbeid.reference.vocab import (
    alias_key,
)

from .boundary import check_length, clean_cell
from .checking import CheckContext
from .checking import Row as _Row
from .findings import ERROR
from .schema import (
    MAPPING_FIELD_LIMITS,
    MAPPING_FIELDS,
    MIN_YEAR,
    Column,
    Sheet,
)
from .spec import ScopeSpec
from .tables import Table
from .values import parse_date, too_early


class FileChecks(CheckContext):
    def _rows(self, sheet: Sheet, table: Table) -> list[_Row]:
        known = set(sheet.keys)
        index: dict[str, int] = {}
        for i, key in enumerate(table.columns):
            if not key:
                continue
            if key in index:
                self.error("column_duplicate", table, table.header_row or None, value=key)
            elif key not in known:
                close = difflib.get_close_matches(key, sheet.keys, n=1, cutoff=0.75)
                self.error(
                    "column_unknown",
                    table,
                    table.header_row or None,
                    value=key,
                    suggestion=close[0] if close else None,
                    expected=", ".join(sheet.keys),
                )
            else:
                index[key] = i
        for column in sheet.columns:
            if column.required and column.key not in index and table.columns:
                self.error("column_missing", table, table.header_row or None, column=column.key)
        if not table.rows:
            if sheet.required:
                self.error("sheet_empty", table)
            return []
        columns = {c.key: c for c in sheet.columns}
        result = []
        for number, cells in table.rows:
            width = len(cells)
            row = _Row(table, number, {})
            for key, i in index.items():
                raw = cells[i] if i < width else ""
                if raw:
                    raw, issues = clean_cell(columns[key], raw)
                    for issue in issues:
                        self._issue(issue, table, number, key)
                        if issue.severity == ERROR:
                            row.errors.append(self.findings[-1])
                row.cells[key] = raw
            result.append(row)
        return result

    # -- mapping and scope ---------------------------------------------------------------------
    def _mapping(self, rows: list[_Row], table: Table | None) -> None:
        fields: dict[str, tuple[str, int]] = {}
        for row in rows:
            key = alias_key(row.get("felt"))
            if key not in MAPPING_FIELDS:
                self.error(
                    "mapping_field_unknown",
                    table,
                    row.number,
                    "felt",
                    row.get("felt"),
                    expected=", ".join(MAPPING_FIELDS),
                )
                continue
            if key in fields:  # never "the last one wins"
                self.error(
                    "mapping_field_duplicate",
                    table,
                    row.number,
                    "felt",
                    row.get("felt"),
                    other_row=fields[key][1],
                )
                continue
            value = row.get("verdi")
            if key in MAPPING_FIELD_LIMITS and value:
                issue = check_length(value, *MAPPING_FIELD_LIMITS[key])
                if issue is not None:
                    self._issue(issue, table, row.number, "verdi")
                    value = ""
            fields[key] = (value, row.number)
        spec = self.spec
        spec.name = fields.get("navn", ("", 0))[0]
        if self.mapping_name is not None:
            spec.name = self._mapping_name(self.mapping_name)
        spec.title = fields.get("tittel", ("", 0))[0]
        spec.description = fields.get("beskrivelse", ("", 0))[0]
        spec.source = fields.get("kilde", ("", 0))[0]
        if not spec.name:
            self.error("mapping_name_missing", table)
        if self.cutoff_override:
            spec.cutoff_date = self.cutoff_override
        elif "dato" in fields and fields["dato"][0]:
            text, number = fields["dato"]
            day = parse_date(text)
            if day is None:
                self._bad_date("date_invalid", table, number, "verdi", text)
            elif day > self.today:
                self.error(
                    "date_future", table, number, "verdi", text, today=self.today.isoformat()
                )
            else:
                spec.cutoff_date = day
        else:
            self.error("mapping_date_missing", table)

    def _mapping_name(self, text: str) -> str:
        """A name given outside the file (``--mapping``, the upload form) passes the same boundary
        as the file's own field ``navn``; its problems are the file's."""
        limit, one_line = MAPPING_FIELD_LIMITS["navn"]
        name, issues = clean_cell(Column("navn", "", max_length=limit, one_line=one_line), text)
        for issue in issues:
            self._issue(issue, None, None, None)
        return name

    def _bad_date(self, code: str, table: Table | None, row: int, column: str, text: str) -> None:
        if too_early(text):
            self.error("date_too_early", table, row, column, text, min_year=MIN_YEAR)
        else:
            self.error(code, table, row, column, text)

    def _when(self, at: dt.date | None, until: dt.date | None) -> dict[str, str]:
        return {"when_at": at.isoformat()} if at else {"when_until": until.isoformat()}

    def _scope(self, rows: list[_Row], table: Table | None) -> None:
        at = self.spec.cutoff_date
        seen: dict[str, int] = {}
        for position, row in enumerate(rows):
            name, number = row.get("kommune"), row.get("kommunenummer")
            if not name and not number:
                self.error(
                    "value_required",
                    table,
                    row.number,
                    "kommune",
                    expected=Text(gettext_noop("kommunenavn eller kommunenummer")),
                )
                continue
            period = self.resolve_municipality(
                name, number, table, row.number, "kommunenummer" if number else "kommune", at, None
            )
            if period is None:
                continue
            if period.entity in seen:
                self.error(
                    "scope_duplicate",
                    table,
                    row.number,
                    "kommune",
                    period.label(),
                    other_row=seen[period.entity],
                )
                continue
            seen[period.entity] = row.number
            self.spec.scope.append(ScopeSpec(position, period, row.get("region")))
        if table is None or not rows:
            self.warn("scope_empty", table)
