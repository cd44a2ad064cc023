"""A report as an xlsx workbook: "Innhold" (every table with title, n, chapter, caption, missing),
then one sheet per table named by its id.

Written through :mod:`samarbeid.core.cells`: a text that a spreadsheet would run as a formula gets
a leading apostrophe, and a text longer than an Excel cell holds is written in full in the sheet
«Lange tekster» (the cell says where) instead of being cut.
"""

from __future__ import annotations

import re
from typing import Any

from samarbeid.core import cells

from .fmt import display, plain
from .labels import column_label
from .model import Report

HEADERS = [
    "Tabell",
    "Id",
    "Tittel",
    "n",
    "Kapittel",
    "Forklaring",
    "Merknad",
    "Mangler data (antall)",
    "Mangler data (id)",
    "Mangler data (grunn)",
]


def _sheet_name(table_id: str, used: set[str]) -> str:
    name = re.sub(r"[\[\]:*?/\\]", "_", table_id)[:31] or "tabell"
    base, i = name, 2
    while name.lower() in used:
        suffix = f"_{i}"
        name = base[: 31 - len(suffix)] + suffix
        i += 1
    used.add(name.lower())
    return name


def render_xlsx(report: Report) -> bytes:
    """A workbook: "Innhold" (every table with title, n, chapter, caption, missing), then one
    sheet per table named by its id. Numbers are numbers; bold, frozen header row."""
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="EEF2F6")
    book = cells.new_workbook()
    contents = book.active
    contents.title = "Innhold"
    used = {"innhold", cells.LONG_TEXT_SHEET.lower()}
    cells.append(contents, HEADERS)
    sheets = []
    for chapter in report.chapters:
        for section in chapter.sections:
            t = section.table
            name = _sheet_name(t.id, used)
            sheets.append((name, section))
            cells.append(
                contents,
                [
                    section.number,
                    t.id,
                    t.title,
                    int(t.n),
                    chapter.title,
                    t.caption,
                    t.note,
                    len(t.missing),
                    "; ".join(t.missing),
                    t.missing_reason,
                ],
            )
            link = contents.cell(row=contents.max_row, column=2)
            link.hyperlink = f"#'{name}'!A1"
            link.style = "Hyperlink"
    _header(contents, bold, fill)
    for col, width in zip("ABCDEFGHIJ", (8, 26, 44, 7, 26, 60, 50, 12, 40, 40), strict=True):
        contents.column_dimensions[col].width = width
    for row in contents.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(vertical="top", wrap_text=cell.column_letter in "CFGI")
    info_row = contents.max_row + 2
    cells.put(contents, info_row, 1, report.title).font = bold
    for i, (label, value) in enumerate(report.facts, start=1):
        cells.put(contents, info_row + i, 1, label)
        cells.put(contents, info_row + i, 3, value)

    for name, section in sheets:
        t = section.table
        sheet = book.create_sheet(name)
        with_ids = any(t.ids)
        cells.append(
            sheet, [column_label(c) for c in t.columns] + (["Ordninger (id)"] if with_ids else [])
        )
        for i, row in enumerate(t.rows):
            values = [_xlsx_value(v) for v in row]
            if with_ids:
                values.append("; ".join(t.ids[i]) if i < len(t.ids) else "")
            cells.append(sheet, values)
        _header(sheet, bold, fill)
        for c, col in enumerate(t.columns, start=1):
            values = [sheet.cell(row=r, column=c).value for r in range(2, sheet.max_row + 1)]
            width = max(
                [len(column_label(col)), *(len(str(v)) for v in values if v is not None)],
                default=8,
            )
            sheet.column_dimensions[get_column_letter(c)].width = min(max(width + 2, 8), 60)
            if any(isinstance(v, float) for v in values):
                for r in range(2, sheet.max_row + 1):
                    cell = sheet.cell(row=r, column=c)
                    if isinstance(cell.value, float):
                        cell.number_format = "0.0"
        if with_ids:
            sheet.column_dimensions[get_column_letter(len(t.columns) + 1)].width = 40
    if cells.LONG_TEXT_SHEET in book.sheetnames:
        store = book[cells.LONG_TEXT_SHEET]
        _header(store, bold, fill)
        store.column_dimensions["A"].width = 24
        store.column_dimensions["C"].width = 100
    book.properties.creator = "Samarbeidsregisteret"
    return cells.save_workbook(book)


def _header(sheet, bold, fill) -> None:
    for cell in sheet[1]:
        cell.font = bold
        cell.fill = fill
    sheet.freeze_panes = "A2"
    if sheet.max_row > 1:
        sheet.auto_filter.ref = sheet.dimensions


def _xlsx_value(value: Any) -> Any:
    value = plain(value)
    if isinstance(value, list):
        return ", ".join(display(v) for v in value)
    if isinstance(value, dict):
        return display(value)
    return value
