"""Read a status file (.csv or .xlsx) into one table of strings, safely, with the mapping file's
readers.

The file-level checks (missing, empty, too large), the limits while the file streams in
(:mod:`samarbeid.intake.readers.limits`: rows, columns, cells, the zip bomb), the workbook
streaming (every cell turned into text on purpose: a formula into its text with the «=», so the
check refuses it located; a date cell into ÅÅÅÅ-MM-DD) and the CSV decoding (UTF-8 with or without
BOM, comma or semicolon, NUL refused) are the mapping file's; only the sheet is the status file's.
A CSV file is the sheet Status alone, without sections; its rows are located by line. A workbook
must have the sheet «Status»; Veiledning (the template's) is not read, any other sheet is named in
a warning. A file that cannot be read at all raises
:class:`~samarbeid.rules.findings.FileRejected` (exit 2).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

from samarbeid.core.i18n import Text, gettext_noop
from samarbeid.intake import reader as intake_reader
from samarbeid.intake.readers.csv import _delimiter
from samarbeid.intake.readers.limits import Budget, display_name, grouped
from samarbeid.intake.readers.limits import reject as intake_reject
from samarbeid.intake.readers.tables import TableBuilder
from samarbeid.intake.readers.xlsx import OLE2_MAGIC, ZIP_MAGIC, _read_sheet, check_zip, unreadable
from samarbeid.rules.findings import FileRejected
from samarbeid.rules.tables import RawWorkbook, Table

from . import schema
from .messages import reject
from .schema import HELP_SHEET, SHEET, fold

#: The key of the one table in :attr:`RawWorkbook.tables`.
KEY = fold(SHEET)


def read_status_file(path: Path | str) -> RawWorkbook:
    """Read a status file into one table of strings (``tables["status"]``), or raise
    FileRejected."""
    path = Path(path)
    file = display_name(path)
    try:
        intake_reader.check_file(path, file, reject(file, "status_file_not_regular"))
        suffix = path.suffix.lower()
        if suffix in {".xlsx", ".xlsm"}:
            return _read_xlsx(path, file)
        if suffix == ".xls":
            raise intake_reject(file, "xlsx_old_format")
        if suffix in {".csv", ".txt"}:
            return _read_csv(path, file)
        raise reject(file, "status_file_type", value=file[file.rfind(".") :] if suffix else file)
    except OSError as error:
        raise intake_reject(
            file, "file_os_error", detail=error.strerror or type(error).__name__
        ) from None


def _folded(table: Table) -> Table:
    """The table with its headers matched as the schema's («Løsning» is ``losning``)."""
    return Table(
        table.name, [fold(c) for c in table.columns], table.rows, table.header_row,
        table.rows_are_lines,
    )  # fmt: skip


def _check_rows(file: str, table: Table) -> None:
    """Refuse a file with more rows under its header than :data:`schema.MAX_ROWS`, at the first
    row beyond the limit."""
    limit = schema.MAX_ROWS
    if len(table.rows) > limit:
        raise reject(
            file,
            "status_too_many_rows",
            sheet=table.name or None,
            row=table.rows[limit][0],
            lines=table.rows_are_lines,
            limit=grouped(limit),
        )


# --- xlsx ---------------------------------------------------------------------------------------


def _read_xlsx(path: Path, file: str) -> RawWorkbook:
    import openpyxl

    check_zip(path, file)
    book = RawWorkbook(path, file, "xlsx")
    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=False)
    except Exception as error:
        raise unreadable(path, file, error) from None
    try:
        found: Any = None
        for sheet in workbook.worksheets:
            key = fold(sheet.title)
            if key == fold(HELP_SHEET):
                continue
            if key != KEY:
                book.unknown_sheets.append(sheet.title)
            elif found is not None:
                raise intake_reject(file, "sheet_duplicate", value=sheet.title, other=found.title)
            else:
                found = sheet
        if found is not None:
            table = _folded(_read_sheet(workbook, found, SHEET, Budget(file)))
            _check_rows(file, table)
            book.tables[KEY] = table
    except FileRejected:
        raise
    except Exception as error:
        raise unreadable(path, file, error) from None
    finally:
        workbook.close()
    return book


# --- csv ----------------------------------------------------------------------------------------


def _read_csv(path: Path, file: str) -> RawWorkbook:
    """The mapping file's CSV reading (UTF-8, comma or semicolon, streamed record by record within
    the limits), for one table without sections: a line starting with «#» is data here."""
    data = path.read_bytes()
    if data.startswith(ZIP_MAGIC) or data.startswith(OLE2_MAGIC):
        raise intake_reject(
            file,
            "csv_unreadable",
            detail=Text(gettext_noop("filen er et regneark, ikke tekst; gi den endelsen .xlsx")),
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise intake_reject(file, "csv_encoding", position=error.start) from None
    del data
    if "\x00" in text:
        raise intake_reject(
            file,
            "csv_unreadable",
            detail=Text(gettext_noop("filen inneholder NUL-tegn; den er ikke tekst")),
        )
    book = RawWorkbook(path, file, "csv")
    budget = Budget(file)
    builder = TableBuilder("", budget, lines=True)
    records = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text), strict=True)
    position = 0
    end = 0  # the physical line the previous record ended on
    while True:
        try:
            cells = next(records)
        except StopIteration:
            break
        except csv.Error as error:
            raise intake_reject(
                file,
                "csv_unreadable",
                row=records.line_num,
                lines=True,
                detail=Text(gettext_noop("CSV-feil: {error}"), error=str(error)),
            ) from None
        line, end = end + 1, records.line_num
        filled = [(i, c.strip()) for i, c in enumerate(cells, start=1) if c.strip()]
        if not filled:
            continue
        position += 1
        budget.row("", position, line, lines=True)
        budget.cells(filled[-1][0], "", line, lines=True)
        builder.add(line, filled, position)
        if position - 1 > schema.MAX_ROWS:  # the header is not a row with a status
            raise reject(
                file, "status_too_many_rows", row=line, lines=True, limit=grouped(schema.MAX_ROWS)
            )
    book.tables[KEY] = _folded(builder.result())
    return book
