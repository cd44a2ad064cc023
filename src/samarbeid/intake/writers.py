"""Writers of the mapping-file format (no Django): tables of canonical strings to a file.

Every xlsx and csv is written through :mod:`samarbeid.core.cells`: a formula-like text gets a
leading apostrophe (which the reader takes away again), and an xlsx cell that cannot hold a value
as it is (over 32 767 characters, a control character) stops the export with a clear
:class:`~samarbeid.core.cells.CellRefused` before anything is written.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from samarbeid.core import cells
from samarbeid.rules.schema import ARRANGEMENTS, MAPPING, MEMBERSHIPS, SCOPE, SHEETS

from .reader import JSON_FORMAT

if TYPE_CHECKING:  # pragma: no cover
    from openpyxl import Workbook

NUMBER_COLUMNS = {"arsverk", "budsjett", "eierandel", "deltakere_oppgitt_antall"}
LIST_COLUMNS = {"navnevarianter", "oppgaveomrader"}
EXPORT_COLUMNS = {
    MAPPING.name: MAPPING.keys,
    SCOPE.name: SCOPE.keys,
    ARRANGEMENTS.name: tuple(k for k in ARRANGEMENTS.keys if k != "deltakere"),
    MEMBERSHIPS.name: MEMBERSHIPS.keys,
}


def write_csv(tables: dict[str, list[dict[str, str]]], out: Path) -> None:
    """One UTF-8 file (with BOM, so spreadsheet programs read æøå), a '#Ark' line per section."""
    rows: list[list[str]] = []
    for index, (name, table) in enumerate(tables.items()):
        if index:
            rows.append([])
        rows.append([f"#{name}"])
        columns = EXPORT_COLUMNS[name]
        rows.append(list(columns))
        rows.extend([row.get(c, "") for c in columns] for row in table)
    out.write_bytes(cells.csv_bytes(rows))


def write_xlsx(tables: dict[str, list[dict[str, str]]], out: Path) -> None:
    """A normal (not write-only) workbook: openpyxl then writes each sheet's dimension and a shared
    string table, which makes our own exports fast to read back (no full pre-scan for the size,
    no per-cell inline-string parsing). Raises CellRefused before writing anything."""
    cells.save_workbook(_workbook(tables), out)


def _workbook(tables: dict[str, list[dict[str, str]]]) -> Workbook:
    from openpyxl.styles import Font

    book = cells.new_workbook(strict=True, empty=True)
    bold = Font(bold=True)
    for name, rows in tables.items():
        sheet = book.create_sheet(name)
        columns = EXPORT_COLUMNS[name]
        sheet.freeze_panes = "A2"
        for i, column in enumerate(columns):
            sheet.column_dimensions[_letter(i)].width = max(12, min(40, len(column) + 4))
        cells.append(sheet, columns)
        for cell in sheet[1]:
            cell.font = bold
        for row in rows:
            cells.append(sheet, [_xlsx_value(c, row.get(c, "")) for c in columns])
    return book


def _letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)


def _xlsx_value(column: str, text: str) -> object:
    if text == "":
        return None
    if column in NUMBER_COLUMNS:
        value = Decimal(text)
        return int(value) if value == value.to_integral_value() else float(value)
    return text


def write_json(tables: dict[str, list[dict[str, str]]], out: Path) -> None:
    data: dict[str, object] = {"format": JSON_FORMAT, "versjon": 1}
    for name, rows in tables.items():
        if name == MAPPING.name:
            data[name.lower()] = {r["felt"]: r["verdi"] or None for r in rows}
            continue
        data[name.lower()] = [
            {c: _json_value(c, row.get(c, "")) for c in EXPORT_COLUMNS[name]} for row in rows
        ]
    out.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def _json_value(column: str, text: str) -> object:
    if text == "":
        return [] if column in LIST_COLUMNS else None
    if column in NUMBER_COLUMNS:
        value = Decimal(text)
        return int(value) if value == value.to_integral_value() else float(value)
    if column in LIST_COLUMNS:
        parts = [p.strip() for p in text.split(";")]
        return [int(p) for p in parts] if column == "oppgaveomrader" else parts
    return text


def write_template(out: Path, fmt: str) -> None:
    """An empty mapping file with every sheet and column, and one example row per sheet."""
    examples: dict[str, list[dict[str, str]]] = {}
    for sheet in SHEETS:
        if sheet.name == MAPPING.name:
            examples[sheet.name] = [
                {"felt": "navn", "verdi": ""},
                {"felt": "tittel", "verdi": ""},
                {"felt": "dato", "verdi": ""},
                {"felt": "beskrivelse", "verdi": ""},
                {"felt": "kilde", "verdi": ""},
            ]
        else:
            examples[sheet.name] = []
    if fmt == "xlsx":
        book = _workbook(examples)
        _add_help_sheet(book)
        cells.save_workbook(book, out)
    elif fmt == "csv":
        write_csv(examples, out)
    else:
        write_json(examples, out)


def _add_help_sheet(book: Workbook) -> None:
    from openpyxl.styles import Alignment, Font

    from samarbeid.reference.files import task_areas
    from samarbeid.reference.vocab import LEGAL_FORMS, SECTORS

    sheet = book.create_sheet("Veiledning")
    cells.append(sheet, ["ark", "kolonne", "påkrevd", "forklaring"])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for s in SHEETS:
        for column in s.columns:
            cells.append(
                sheet, [s.name, column.key, "ja" if column.required else "", column.help_nb]
            )
    cells.append(sheet, [])
    cells.append(sheet, ["juridisk_form", "kode", "", "betydning"])
    for term in LEGAL_FORMS.terms:
        cells.append(sheet, ["juridisk_form", term.code, "", term.nb])
    for term in SECTORS.terms:
        cells.append(sheet, ["sektor", term.nb, "", ""])
    for area in task_areas():
        cells.append(sheet, ["oppgaveomrader", area.nr, "", area.name])
    sheet.column_dimensions["D"].width = 100
    for row in sheet.iter_rows(min_col=4, max_col=4):
        row[0].alignment = Alignment(wrap_text=True)
