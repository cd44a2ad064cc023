"""Read a plan file (.xlsx or .json) into tables of strings, safely, with the mapping file's readers.

The file-level checks, the limits (:mod:`samarbeid.intake.readers.limits`: rows, columns, cells,
the file's size, the zip bomb), the workbook streaming (every cell turned into text on purpose, a
formula into its text with the «=», so the check refuses it located) and the JSON parser
(:mod:`samarbeid.core.safejson`) are the mapping file's; only the sheets are the plan's. A file
that cannot be read at all raises :class:`~samarbeid.rules.findings.FileRejected` (exit 2).

A workbook gives one :class:`PlanTable` per sheet. A JSON file (the shape ``plan_data`` writes:
one object with the plan's fields, ``prosjekter`` with each project's ``milepaeler``,
``finansiering`` and ``deltakelse``, the plan's own ``finansiering`` and ``avsnitt``) gives the
same sheets, one table per list, named by where the list is («prosjekter[2].milepaeler»); a
nested row's ``prosjektkode`` is its project's ``kode`` (:attr:`PlanTable.implied`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from samarbeid.core import safejson
from samarbeid.intake import reader as intake_reader
from samarbeid.intake.readers.json import _compact, _found
from samarbeid.intake.readers.limits import Budget, display_name
from samarbeid.intake.readers.limits import reject as intake_reject
from samarbeid.intake.readers.tables import CellRefused, Table, cell_text
from samarbeid.intake.readers.xlsx import _read_sheet, check_zip, unreadable
from samarbeid.rules.findings import FileRejected

from .messages import reject
from .schema import (
    BOOLEAN,
    FUNDING,
    HELP_SHEET,
    JSON_FORMAT,
    JSON_VERSION,
    MILESTONES,
    PARTICIPATION,
    PLAN,
    PROJECTS,
    SECTIONS,
    SHEETS_BY_KEY,
    fold,
)

#: Keys of the JSON that are not read: derived by ``plan_data`` (findings, funding over the
#: years, a milestone's computed deadline) or the file's own (format, version).
IGNORED_KEYS = {
    "plan": frozenset({"format", "versjon", "funn", "finansiering_over_tid"}),
    "milestone": frozenset({"frist"}),
    # Status reports and benefits are kept on the pages and in the API, not in the plan file.
    "project": frozenset({"statusrapporter", "gevinster"}),
}
#: Lists inside the plan object and inside each project: key → sheet.
PLAN_LISTS = {"finansiering": FUNDING, "prosjekter": PROJECTS, "avsnitt": SECTIONS}
PROJECT_LISTS = {"milepaeler": MILESTONES, "finansiering": FUNDING, "deltakelse": PARTICIPATION}


@dataclass
class PlanTable(Table):
    """A table of the plan file; ``implied`` are columns whose value comes from where the rows
    are (in JSON a project's milestones are inside the project)."""

    implied: dict[str, str] = field(default_factory=dict)


@dataclass
class PlanBook:
    path: Path
    display_name: str
    kind: str  # xlsx | json
    tables: dict[str, list[PlanTable]] = field(default_factory=dict)  # sheet name → tables
    unknown_sheets: list[str] = field(default_factory=list)


def read_plan_file(path: Path | str) -> PlanBook:
    """Read a plan file into tables of strings, or raise FileRejected."""
    path = Path(path)
    file = display_name(path)
    try:
        intake_reader.check_file(path, file, reject(file, "plan_file_not_regular"))
        suffix = path.suffix.lower()
        if suffix in {".xlsx", ".xlsm"}:
            return _read_xlsx(path, file)
        if suffix == ".xls":
            raise intake_reject(file, "xlsx_old_format")
        if suffix == ".json":
            return _read_json(path, file)
        raise reject(file, "plan_file_type", value=file[file.rfind(".") :] if suffix else file)
    except OSError as error:
        raise intake_reject(
            file, "file_os_error", detail=error.strerror or type(error).__name__
        ) from None


# --- xlsx ---------------------------------------------------------------------------------------


def _read_xlsx(path: Path, file: str) -> PlanBook:
    import openpyxl

    check_zip(path, file)
    book = PlanBook(path, file, "xlsx")
    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=False)
    except Exception as error:
        raise unreadable(path, file, error) from None
    try:
        known: dict[str, Any] = {}
        for sheet in workbook.worksheets:
            key = fold(sheet.title)
            if key not in SHEETS_BY_KEY:
                if key != fold(HELP_SHEET):
                    book.unknown_sheets.append(sheet.title)
            elif key in known:
                raise intake_reject(
                    file, "sheet_duplicate", value=sheet.title, other=known[key].title
                )
            else:
                known[key] = sheet
        budget = Budget(file)
        for key, sheet in known.items():
            name = SHEETS_BY_KEY[key].name
            read = _read_sheet(workbook, sheet, name, budget)
            table = PlanTable(
                read.name, [fold(c) for c in read.columns], read.rows, read.header_row
            )
            book.tables[name] = [table]
    except FileRejected:
        raise
    except Exception as error:
        raise unreadable(path, file, error) from None
    finally:
        workbook.close()
    return book


# --- json ---------------------------------------------------------------------------------------


def _read_json(path: Path, file: str) -> PlanBook:
    try:
        data = safejson.loads(path.read_bytes())
    except safejson.JsonRefused as refused:
        raise intake_reject(file, "json_unreadable", detail=refused.reason()) from None
    if not isinstance(data, dict):
        raise reject(file, "plan_json_not_object", found=_found(data))
    if "format" in data and data["format"] != JSON_FORMAT:
        raise reject(file, "plan_json_format", value=_compact(data["format"]), expected=JSON_FORMAT)
    if "versjon" in data and (type(data["versjon"]) is not int or data["versjon"] != JSON_VERSION):
        raise intake_reject(
            file,
            "json_version_unsupported",
            value=_compact(data["versjon"]),
            expected=JSON_VERSION,
        )
    reading = _JsonReading(file)
    book = PlanBook(path, file, "json")
    scalars = {
        k: v
        for k, v in data.items()
        if fold(k) not in PLAN_LISTS and fold(k) not in IGNORED_KEYS["plan"]
    }
    book.tables[PLAN.name] = [reading.table(PLAN.name, [scalars])]
    for key, sheet in PLAN_LISTS.items():
        folded = reading.key(data, key, PLAN.name, 1)
        if folded is None:
            continue
        items = data[folded]
        if sheet is PROJECTS:
            book.tables[PROJECTS.name] = [reading.projects(items, book)]
        else:
            implied = {"prosjektkode": ""} if sheet is FUNDING else {}
            book.tables.setdefault(sheet.name, []).append(reading.table(key, items, implied))
    return book


class _JsonReading:
    """One JSON file turned into tables within the file's :class:`Budget`."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.budget = Budget(file)

    def key(
        self, data: dict[str, Any], wanted: str, sheet: str | None = None, row: int | None = None
    ) -> str | None:
        """The key of ``data`` that is ``wanted`` («Prosjekter» is «prosjekter»); two keys that
        are the same refuse the file (never "the last one wins")."""
        found = [k for k in data if fold(k) == wanted]
        if len(found) > 1:
            raise intake_reject(
                self.file,
                "json_key_duplicate",
                sheet=sheet,
                row=row,
                value=found[1],
                other=found[0],
            )
        return found[0] if found else None

    def projects(self, items: object, book: PlanBook) -> PlanTable:
        sheet = "prosjekter"
        rows = self._list(sheet, items)
        scalars = []
        for number, item in enumerate(rows, start=1):
            scalars.append({k: v for k, v in item.items() if fold(k) not in PROJECT_LISTS})
            found = self.key(item, "kode", sheet, number)
            code = self._value(item[found], sheet, number, "kode") if found else ""
            for key, nested in PROJECT_LISTS.items():
                found = self.key(item, key, sheet, number)
                if found is None:
                    continue
                where = f"{sheet}[{number}].{key}"
                table = self.table(where, item[found], {"prosjektkode": code})
                book.tables.setdefault(nested.name, []).append(table)
        return self.table(sheet, scalars)

    def _list(self, sheet: str, items: object) -> list[dict[str, Any]]:
        if not isinstance(items, list):
            raise intake_reject(self.file, "json_not_list", sheet=sheet, found=_found(items))
        if len(items) > self.budget.max_rows:
            self.budget.row(sheet, len(items), self.budget.max_rows + 1)
        for number, item in enumerate(items, start=1):
            if not isinstance(item, dict):
                raise intake_reject(
                    self.file, "json_row_not_object", sheet=sheet, row=number, found=_found(item)
                )
        return items

    def table(self, sheet: str, items: object, implied: dict[str, str] | None = None) -> PlanTable:
        """A list of objects as a table: the columns are the keys (folded), in order of first
        appearance, and the implied columns."""
        budget = self.budget
        columns: list[str] = []
        index: dict[str, int] = {}
        texts_by_row: list[tuple[int, dict[str, str]]] = []
        if sheet.endswith(".milepaeler"):
            ignored = IGNORED_KEYS["milestone"]
        elif sheet == PROJECTS.name or fold(sheet) == fold(PROJECTS.name):
            ignored = IGNORED_KEYS["project"]
        else:
            ignored = frozenset()
        for number, item in enumerate(self._list(sheet, items), start=1):
            budget.column(sheet, number, len(item), str(len(item)))
            budget.cells(len(item), sheet, number)
            texts: dict[str, str] = {}
            original: dict[str, str] = {}
            for name, value in item.items():
                key = fold(name)
                if key in ignored:
                    continue
                if key in original:
                    raise intake_reject(
                        self.file,
                        "json_key_duplicate",
                        sheet=sheet,
                        row=number,
                        value=name,
                        other=original[key],
                    )
                original[key] = name
                if key not in index:
                    index[key] = len(columns)
                    columns.append(key)
                texts[key] = self._value(value, sheet, number, key)
            texts_by_row.append((number, texts))
        implied = implied or {}
        if not texts_by_row:
            implied = {}  # an empty list: no columns, nothing to hold to them
        all_columns = columns + [c for c in implied if c not in index]
        table = PlanTable(sheet, all_columns, header_row=0, implied=dict(implied))
        table.rows = [
            (number, [texts.get(c, implied.get(c, "")) for c in all_columns])
            for number, texts in texts_by_row
        ]
        return table

    def _value(self, value: object, sheet: str, row: int, column: str) -> str:
        if isinstance(value, (dict, list)):
            raise intake_reject(
                self.file,
                "json_value_not_scalar",
                sheet=sheet,
                row=row,
                column=column,
                value=_compact(value),
                found=_found(value),
            )
        if isinstance(value, bool):
            if column in BOOLEAN:
                return "ja" if value else "nei"
            raise reject(
                self.file,
                "plan_json_boolean",
                sheet=sheet,
                row=row,
                column=column,
                value="true" if value else "false",
                expected=", ".join(sorted(BOOLEAN)),
            )
        try:
            return cell_text(value)
        except CellRefused as refused:
            raise intake_reject(
                self.file, refused.code, sheet=sheet, row=row, column=column, **refused.params
            ) from None
