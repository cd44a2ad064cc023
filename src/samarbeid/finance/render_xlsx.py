"""A calculation as a workbook (:func:`workbook`): «Om beregningen» first (the heading, the notes,
each model's terms, the reconciliation, the rules), then the payments with their arithmetic (one
model) or the comparison and fairness (several), and the projection.

Cells are real numbers (kroner as whole numbers, costs per inhabitant and fairness figures as
decimals) with number formats; the header row is bold and frozen. Everything is written through
:mod:`samarbeid.core.cells` (no text can become a formula) and saved by
:func:`~samarbeid.core.cells.save_workbook`.
"""

from __future__ import annotations

import re
from typing import Any

from django.utils.translation import gettext as _

from samarbeid.core import cells

from . import tables
from .layout import (
    CHANGE,
    COUNT,
    DEC2,
    FLAG,
    INDEX,
    KR,
    RATIO,
    TEXT,
    YEAR,
    Column,
    Table,
    dec,
    heading_facts,
    model_facts,
    model_label,
    notes,
    rules,
    several,
    title,
)

FORMATS = {
    KR: "#,##0",
    COUNT: "#,##0",
    CHANGE: "+#,##0;-#,##0;0",
    DEC2: "#,##0.00",
    RATIO: "0.0000",
    INDEX: "0.000000",
    YEAR: "0",
}
WIDTHS = {KR: 14, COUNT: 12, CHANGE: 14, DEC2: 13, RATIO: 12, INDEX: 12, YEAR: 8, FLAG: 10}


def sheet_name(text: str) -> str:
    """A sheet's name as Excel allows it (a translation may hold what a name cannot)."""
    return re.sub(r"[\[\]:*?/\\]", "-", text).strip("'")[:31] or "Ark"


def _value(value: Any, kind: str) -> Any:
    if kind == FLAG:
        return _("ja") if value is True else (value or None)
    return value


def _sheet(book, name: str, table: Table, heading: list[str] | None = None) -> None:
    """One table in a sheet of its own: bold frozen header, number formats, a filter."""
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    sheet = book.create_sheet(sheet_name(name))
    cells.append(sheet, heading or [c.label for c in table.columns])
    kinds = [c.kind for c in table.columns]
    for row in table.rows:
        cells.append(sheet, [_value(v, k) for v, k in zip(row, kinds, strict=True)])
    body_end = sheet.max_row
    if table.total:
        cells.append(sheet, [_value(v, k) for v, k in zip(table.total, kinds, strict=True)])
        for cell in sheet[sheet.max_row]:
            cell.font = Font(bold=True)
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="EEF2F6")
    for cell in sheet[1]:
        cell.font, cell.fill = bold, fill
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A2" if table.key <= 1 else f"{get_column_letter(table.key + 1)}2"
    if body_end > 1:
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(kinds))}{body_end}"
    for index, column in enumerate(table.columns, start=1):
        letter = get_column_letter(index)
        if column.kind in FORMATS:
            for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                if isinstance(cell.value, (int, float)) or cell.data_type == "n":
                    cell.number_format = FORMATS[column.kind]
        if column.kind == TEXT and column.width >= 40:
            for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                cell.alignment = Alignment(wrap_text=True, vertical="top")
        width = column.width or WIDTHS.get(column.kind, 12)
        sheet.column_dimensions[letter].width = max(width, min(len(column.label) + 2, 40))


def _about(book, data: dict[str, Any], lang: str) -> None:
    """«Om beregningen»: what a reader needs before the numbers, label in A, text in B."""
    from openpyxl.styles import Alignment, Font

    sheet = book.active
    sheet.title = sheet_name(_("Om beregningen"))
    bold = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")

    def heading(text: str) -> None:
        if sheet.max_row > 1 or sheet["A1"].value:
            cells.append(sheet, [])
        cells.append(sheet, [text])
        sheet.cell(row=sheet.max_row, column=1).font = bold

    def fact(label: str, value: Any) -> None:
        cells.append(sheet, [label, value])
        sheet.cell(row=sheet.max_row, column=2).alignment = wrap

    cells.put(sheet, 1, 1, title(data)).font = Font(bold=True, size=14)
    for label, value in heading_facts(data, lang):
        fact(label, value)
    heading(_("Merknader"))
    for note in notes(data) or [_("Ingen merknader.")]:
        fact("", note)
    for i, m in enumerate(data["modeller"]):
        heading(f"{model_label(i)}: {m['navn']}" if several(data) else m["navn"])
        if m["beskrivelse"]:
            fact(_("Beskrivelse"), m["beskrivelse"])
        for label, value in model_facts(m, data["aar"], lang):
            fact(label, value)
    found = tables.reconciliation_table(data)
    if found:
        table, explanations = found
        heading(_("Avstemming mot oppgitt sum"))
        for row in table.rows:
            for column, value in zip(table.columns, row, strict=True):
                fact(column.label, value)
                if column.kind in FORMATS:
                    sheet.cell(row=sheet.max_row, column=2).number_format = FORMATS[column.kind]
        for text in explanations:
            fact(_("Forklaring"), text)
    given = tables.exemptions(data, lang)
    if given:
        heading(_("Fritak og egenbidrag"))
        for text in given:
            fact("", text)
    heading(_("Regler"))
    for text in rules(lang):
        fact("", text)
    sheet.column_dimensions["A"].width = 34
    sheet.column_dimensions["B"].width = 110
    for (cell,) in sheet.iter_rows(min_col=1, max_col=1):
        cell.alignment = Alignment(vertical="top")


def _lines(data: dict[str, Any]) -> Table:
    """The baseline's arithmetic, one row per part of each payment."""
    columns = [
        Column(_("Kommune"), TEXT, 18),
        Column(_("Kommunenr."), TEXT, 10),
        Column(_("Del"), TEXT, 24),
        Column(_("Beløp (kr)"), DEC2),
        Column(_("Innbyggere"), COUNT),
        Column(_("Pris (kr)"), DEC2),
        Column(_("Andel (%)"), DEC2),
        Column(_("Fordeling"), TEXT, 16),
        Column(_("Brøk av nøkkelen"), INDEX),
        Column(_("Fordelt beløp (kr)"), DEC2),
    ]
    rows = []
    for r in data["medlemmer"]:
        for line in r["regnestykke"]:
            rows.append(
                [
                    r["kommune"],
                    r["kommunenummer"],
                    line["tekst"],
                    dec(line["belop"]),
                    line.get("innbyggere"),
                    dec(line.get("pris")),
                    dec(line.get("andel")),
                    line.get("fordeling_tekst"),
                    dec(line.get("brok")),
                    dec(line.get("fordelt")),
                ]
            )
    return Table(columns, rows, key=2)


def _comparison(data: dict[str, Any]) -> tuple[Table, list[str]]:
    """Every model side by side: payment, per inhabitant, change from the baseline and from last
    year, and the limit applied; a header naming model and measure."""
    last_year = tables.has_last_year(data)
    measures = [
        ("betaling", _("betaling (kr)"), KR),
        ("per_innbygger", _("per innbygger (kr)"), DEC2),
        ("endring_fra_basis", _("endring fra basis (kr)"), CHANGE),
    ]
    if last_year:
        measures.append(("endring_fra_i_fjor", _("endring fra i fjor (kr)"), CHANGE))
    columns = [
        Column(_("Kommune"), TEXT, 18),
        Column(_("Kommunenr."), TEXT, 10),
        Column(_("Innbyggere"), COUNT),
    ]
    limit = _("grense")
    for i in range(len(data["modeller"])):
        columns += [Column(f"{model_label(i)}: {label}", kind) for _key, label, kind in measures]
        columns.append(Column(f"{model_label(i)}: {limit}", TEXT, 12))
    rows = []
    for r in data["medlemmer"]:
        row = [r["kommune"], r["kommunenummer"], r["innbyggere"]]
        for cell in r["modeller"]:
            for key, _label, kind in measures:
                row.append(dec(cell[key]) if kind == DEC2 else cell[key])
            limit = (
                _("tak")
                if cell["tak_brukt"]
                else _("gulv")
                if cell["gulv_brukt"]
                else _("fritatt")
                if cell["fritatt"]
                else None
            )
            row.append(limit)
        rows.append(row)
    return Table(columns, rows, key=3), [c.label for c in columns]


def _fairness(data: dict[str, Any]) -> Table:
    totals, fairness = tables.totals_table(data), tables.fairness_table(data)
    columns = totals.columns + fairness.columns[1:]
    rows = [t + f[1:] for t, f in zip(totals.rows, fairness.rows, strict=True)]
    return Table(columns, rows)


def _projection(data: dict[str, Any]) -> tuple[Table, Table, Table]:
    years, payments, first = [], [], []
    model_column = Column(_("Modell"), TEXT, 30)
    for i, p in enumerate(data["framskriving"]):
        name = f"{model_label(i)}: {data['modeller'][i]['navn']}"
        by_year = tables.projection_years_table(p)
        years += [[name, *row] for row in by_year.rows]
        paid = tables.projection_payments_table(p, data)
        payments += [[name, *row] for row in paid.rows]
        first += [
            [name, e["kommune"], e["kommunenummer"], e["aar"]] for e in p["forste_aar_med_tak"]
        ]
    first_p = data["framskriving"][0]
    year_columns = [model_column, *tables.projection_years_table(first_p).columns]
    paid_columns = [model_column, *tables.projection_payments_table(first_p, data).columns]
    for column in paid_columns[3:]:
        column.kind = KR
    first_columns = [
        model_column,
        Column(_("Kommune"), TEXT, 18),
        Column(_("Kommunenr."), TEXT, 10),
        Column(_("Første år med tak"), YEAR),
    ]
    return (
        Table(year_columns, years, key=2),
        Table(paid_columns, payments, key=3),
        Table(first_columns, first, key=1),
    )


def workbook(data: dict[str, Any], lang: str = "nb") -> bytes:
    book = cells.new_workbook()
    _about(book, data, lang)
    if several(data):
        table, header = _comparison(data)
        _sheet(book, _("Sammenligning"), table, header)
        _sheet(book, _("Rettferdighet"), _fairness(data))
    payments = tables.payments_table(data, lang)
    names = {r["kommunenummer"]: r for r in data["medlemmer"]}
    payments.columns.append(Column(_("Egenbidrag"), TEXT, 60))
    for row in payments.rows:
        row.append(names[row[1]]["egenbidrag"])
    payments.total.append(None)
    base = _("Betaling") if not several(data) else _("Betaling (basis)")
    _sheet(book, base, payments)
    if not several(data):
        _sheet(book, _("Rettferdighet"), _fairness(data))
    _sheet(book, _("Regnestykke") if not several(data) else _("Regnestykke (basis)"), _lines(data))
    if data["framskriving"]:
        years, paid, first = _projection(data)
        _sheet(book, _("Framskriving"), years)
        _sheet(book, _("Framskriving betaling"), paid)
        _sheet(book, _("Første år med tak"), first)
    book.properties.creator = "Samarbeidsregisteret"
    book.properties.title = title(data)
    return cells.save_workbook(book)
