"""Validate a read mapping file: every problem as a finding; the valid content as a spec.

Pure Python over the gazetteer (no database): ``samarbeid check`` needs nothing else. The checks
are split by what they look at: file structure, mapping and scope (:mod:`.check_file`), rows
(:mod:`.check_rows`), municipality names (:mod:`.check_names`), checks across one arrangement and
its legal form (:mod:`.check_cross`); :mod:`.checking` holds what they share.
"""

from __future__ import annotations

from .check_cross import CrossChecks
from .check_file import FileChecks
from .check_names import NameChecks
from .check_rows import RowChecks
from .checking import CheckContext, CheckResult
from .schema import ARRANGEMENTS, MAPPING, MEMBERSHIPS, SCOPE, SHEETS
from .tables import RawWorkbook

__all__ = ["CheckResult", "Validator", "validate"]


class Validator(FileChecks, RowChecks, NameChecks, CrossChecks, CheckContext):
    """One run of every check over one workbook."""

    def run(self) -> CheckResult:
        for name in self.book.unknown_sheets:
            self.warn("sheet_unknown", value=name, expected=", ".join(s.name for s in SHEETS))
        tables = {s.name: self.book.tables.get(s.name.lower()) for s in SHEETS}
        if tables[ARRANGEMENTS.name] is None:
            self.error(
                "sheet_missing", sheet=ARRANGEMENTS.name, expected=", ".join(s.name for s in SHEETS)
            )
            return CheckResult(self.spec, self.findings)
        rows = {
            name: self._rows(SHEETS[i], table)
            for i, (name, table) in enumerate(tables.items())
            if table is not None
        }
        self._mapping(rows.get(MAPPING.name, []), tables[MAPPING.name])
        if self.spec.cutoff_date is None:
            return CheckResult(self.spec, self.findings)
        self._scope(rows.get(SCOPE.name, []), tables[SCOPE.name])
        by_ref = self._arrangements(rows[ARRANGEMENTS.name], tables[ARRANGEMENTS.name])
        self._memberships(rows.get(MEMBERSHIPS.name, []), tables[MEMBERSHIPS.name], by_ref)
        for arrangement in self.spec.arrangements:
            self._cross_checks(arrangement, tables[ARRANGEMENTS.name], tables[MEMBERSHIPS.name])
        return CheckResult(self.spec, self.findings)


def validate(book: RawWorkbook, **options: object) -> CheckResult:
    return Validator(book, **options).run()  # type: ignore[arg-type]
