"""The status file's template: the sheet Status with its headers (and, for a user who reports
for a few municipalities, a row per municipality and solution to fill in), and the sheet
Veiledning with every column explained, the statuses and the solutions in the registry.

Written through :mod:`samarbeid.core.cells` like every file the app writes: no live formula in
any cell (a solution named «=…» reaches the file as text), and the xlsx is deterministic (fixed
document dates and zip times: the same registry gives the same bytes). The CSV is the sheet
Status alone (UTF-8 with BOM, so spreadsheet programs read æøå).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from samarbeid.core import cells
from samarbeid.core.i18n import gettext_noop, translate
from samarbeid.portfolio.planfile.exporter import deterministic

from ..models import Solution
from ..progress import places_at
from ..rules import reportable_keys
from . import schema
from .schema import COLUMNS, HELP_SHEET, SHEET, STATUS, STATUSES

FORMATS = ("xlsx", "csv")
GUIDE = (
    gettext_noop(
        "Status for fellesløsninger som fil: én rad per kommune, løsning og dato statusen "
        "gjelder fra. Fyll ut arket Status; dette arket leses ikke."
    ),
    gettext_noop(
        "Kontroller filen med «samarbeid meld-status FIL --bruker BRUKERNAVN --kontroller», "
        "lagre med «samarbeid meld-status FIL --bruker BRUKERNAVN», eller last den opp på "
        "nettstedet: /utbredelse/opplasting/."
    ),
    gettext_noop(
        "Alt eller ingenting: har filen én feil, lagres ingenting. En rad med bare kommune og "
        "løsning (uten status, dato, kilde og merknad) hoppes over. Å melde statusen kommunen "
        "allerede har, endrer ingenting."
    ),
)


def template_rows(user: Any = None, today: dt.date | None = None) -> list[list[str | None]]:
    """A row per municipality ``user`` reports for and per solution, to be filled in; none for
    administrators (every municipality), for users who report for none, or when it would be more
    rows than a file may have."""
    keys = reportable_keys(user) if user is not None else set()
    if not keys:
        return []
    places = places_at(today or timezone.localdate())
    mine = sorted((places[k] for k in keys if k in places), key=lambda p: p.number)
    solutions = list(Solution.objects.order_by("name").values_list("name", flat=True))
    if len(mine) * len(solutions) > schema.MAX_ROWS:
        return []
    return [[p.number, p.name, name, None, None, None, None] for p in mine for name in solutions]


def csv_bytes(rows: list[list[str | None]]) -> bytes:
    return cells.csv_bytes([list(COLUMNS), *rows])


def xlsx_bytes(rows: list[list[str | None]]) -> bytes:
    from openpyxl.styles import Alignment, Font

    book = cells.new_workbook(strict=True, empty=True)
    guide = book.create_sheet(HELP_SHEET)
    for line in GUIDE:
        cells.append(guide, [translate(line)])
    cells.append(guide, [])
    cells.append(guide, ["kolonne", "påkrevd", "forklaring", "eksempel"])
    header = guide.max_row
    for column in STATUS.columns:
        required = "ja" if column.required else ""
        cells.append(guide, [column.key, required, translate(column.help_nb), column.example])
    cells.append(guide, [])
    cells.append(guide, ["status", "tillatte verdier"])
    for term in STATUSES.terms:
        cells.append(guide, [term.code, translate(term.nb)])
    cells.append(guide, [])
    cells.append(guide, [translate(gettext_noop("Løsningene i registeret"))])
    for name in Solution.objects.order_by("name").values_list("name", flat=True):
        cells.append(guide, [name])
    for cell in guide[header]:
        cell.font = Font(bold=True)
    guide.column_dimensions["C"].width = 80
    for row in guide.iter_rows(min_row=header + 1, min_col=3, max_col=3):
        row[0].alignment = Alignment(wrap_text=True)
    sheet = book.create_sheet(SHEET)
    cells.append(sheet, list(COLUMNS))
    for row in rows:
        cells.append(sheet, row)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for letter, width in zip("ABCDEFG", (16, 22, 28, 18, 14, 40, 40), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "A2"
    return deterministic(cells.save_workbook(book))


def template_bytes(fmt: str = "xlsx", user: Any = None) -> bytes:
    """The template as ``fmt`` (xlsx or csv), prefilled for ``user`` when that is a few rows."""
    rows = template_rows(user)
    return xlsx_bytes(rows) if fmt == "xlsx" else csv_bytes(rows)
