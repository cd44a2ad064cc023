"""Writers of the mapping-file format (no Django): tables of canonical strings to a file."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from pathlib import Path

from .reader import JSON_FORMAT
from .schema import ARRANGEMENTS, MAPPING, MEMBERSHIPS, SCOPE, SHEETS
from .values import neutralise_formula

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
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    for index, (name, rows) in enumerate(tables.items()):
        if index:
            writer.writerow([])
        writer.writerow([f"#{name}"])
        columns = EXPORT_COLUMNS[name]
        writer.writerow(columns)
        for row in rows:
            writer.writerow([neutralise_formula(row.get(c, "")) for c in columns])
    out.write_bytes(buffer.getvalue().encode("utf-8-sig"))


def write_xlsx(tables: dict[str, list[dict[str, str]]], out: Path) -> None:
    """A normal (not write-only) workbook: openpyxl then writes each sheet's dimension and a shared
    string table, which makes our own exports fast to read back (no full pre-scan for the size,
    no per-cell inline-string parsing)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    book.remove(book.active)
    bold = Font(bold=True)
    for name, rows in tables.items():
        sheet = book.create_sheet(name)
        columns = EXPORT_COLUMNS[name]
        sheet.freeze_panes = "A2"
        for i, column in enumerate(columns):
            sheet.column_dimensions[_letter(i)].width = max(12, min(40, len(column) + 4))
        sheet.append(list(columns))
        for cell in sheet[1]:
            cell.font = bold
        for row in rows:
            sheet.append([_xlsx_value(c, row.get(c, "")) for c in columns])
    book.save(out)


def _letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)


def _xlsx_value(column: str, text: str) -> object:
    if text == "":
        return None
    if column in NUMBER_COLUMNS:
        value = Decimal(text)
        return int(value) if value == value.to_integral_value() else float(value)
    return neutralise_formula(text)


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
        write_xlsx(examples, out)
        _add_help_sheet(out)
    elif fmt == "csv":
        write_csv(examples, out)
    else:
        write_json(examples, out)


def _add_help_sheet(path: Path) -> None:
    from openpyxl import load_workbook
    from openpyxl.styles import Alignment, Font

    from samarbeid.registry.reference_files import task_areas
    from samarbeid.registry.vocab import LEGAL_FORMS, SECTORS

    book = load_workbook(path)
    sheet = book.create_sheet("Veiledning")
    sheet.append(["ark", "kolonne", "påkrevd", "forklaring"])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for s in SHEETS:
        for column in s.columns:
            sheet.append([s.name, column.key, "ja" if column.required else "", column.help_nb])
    sheet.append([])
    sheet.append(["juridisk_form", "kode", "", "betydning"])
    for term in LEGAL_FORMS.terms:
        sheet.append(["juridisk_form", term.code, "", term.nb])
    for term in SECTORS.terms:
        sheet.append(["sektor", term.nb, "", ""])
    for area in task_areas():
        sheet.append(["oppgaveomrader", area.nr, "", area.name])
    sheet.column_dimensions["D"].width = 100
    for row in sheet.iter_rows(min_col=4, max_col=4):
        row[0].alignment = Alignment(wrap_text=True)
    book.save(path)
