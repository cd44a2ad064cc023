"""Read a .csv mapping file: UTF-8, comma or semicolon, "#Ark" lines starting each section.

Streamed record by record (never a list of all lines first), each record counted against the
limits before it is kept. A section given twice is refused (the second copy would otherwise
replace the first), as is a cell beyond the header (its value would be lost). Line numbers are
the physical lines of the file, also after cells that span several lines.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from samarbeid.core.i18n import Text, gettext_noop
from samarbeid.rules.findings import ERROR, FileRejected, Finding
from samarbeid.rules.schema import SHEETS, SHEETS_BY_KEY

from .limits import Budget, reject
from .tables import RawWorkbook, TableBuilder, sheet_key
from .xlsx import OLE2_MAGIC, ZIP_MAGIC

IMPLICIT = "Ordninger"  # a CSV without section lines is this sheet


def read_csv(path: Path, file: str) -> RawWorkbook:
    data = path.read_bytes()
    if data.startswith(ZIP_MAGIC) or data.startswith(OLE2_MAGIC):
        raise reject(
            file,
            "csv_unreadable",
            detail=Text(gettext_noop("filen er et regneark, ikke tekst; gi den endelsen .xlsx")),
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise reject(file, "csv_encoding", position=error.start) from None
    del data
    if "\x00" in text:
        raise reject(
            file,
            "csv_unreadable",
            detail=Text(gettext_noop("filen inneholder NUL-tegn; den er ikke tekst")),
        )
    book = RawWorkbook(path, file, "csv")
    budget = Budget(file)
    records = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text), strict=True)
    builder: TableBuilder | None = None
    started: dict[str, tuple[int, TableBuilder]] = {}  # sheet key -> (its first line, builder)
    position = 0
    end = 0  # the physical line the previous record ended on
    while True:
        try:
            cells = next(records)
        except StopIteration:
            break
        except csv.Error as error:
            raise reject(
                file,
                "csv_unreadable",
                row=records.line_num,
                lines=True,
                detail=Text(gettext_noop("CSV-feil: {error}"), error=str(error)),
            ) from None
        line, end = end + 1, records.line_num
        marker = cells[0].strip() if cells else ""
        if marker.startswith("#") and len(marker) > 1 and not any(c.strip() for c in cells[1:]):
            name = marker[1:].strip()
            builder = _section(budget, started, name, line)
            position = 0
            continue
        filled = [(i, c.strip()) for i, c in enumerate(cells, start=1) if c.strip()]
        if builder is None:
            if not filled:
                continue  # blank lines before the first section
            builder = _section(budget, started, IMPLICIT, line)
        position += 1
        budget.row(builder.name, position, line, lines=True)
        budget.cells(filled[-1][0] if filled else 0, builder.name, line, lines=True)
        builder.add(line, filled, position)
    for key, (_line, made) in started.items():
        book.tables[key] = made.result()
    return book


def _delimiter(text: str) -> str:
    first = next(
        (line for line in text.splitlines() if line.strip() and not line.startswith("#")), ""
    )
    return ";" if first.count(";") > first.count(",") else ","


def _section(
    budget: Budget, started: dict[str, tuple[int, TableBuilder]], name: str, line: int
) -> TableBuilder:
    """The builder of a new section; a section that is not a sheet, or given twice, refuses."""
    key = sheet_key(name)
    if key not in SHEETS_BY_KEY:
        raise FileRejected(
            Finding(
                ERROR,
                "csv_section_unknown",
                budget.file,
                row=line,
                row_is_line=True,
                value=name,
                params={"expected": ", ".join(s.name for s in SHEETS)},
            )
        )
    if key in started:
        raise reject(
            budget.file,
            "csv_section_duplicate",
            row=line,
            lines=True,
            value=SHEETS_BY_KEY[key].name,
            other_row=started[key][0],
        )
    builder = TableBuilder(SHEETS_BY_KEY[key].name, budget, lines=True)
    started[key] = (line, builder)
    return builder
