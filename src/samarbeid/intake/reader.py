"""Read a mapping file (.xlsx, .csv or .json) into plain tables of strings, safely.

Files that are not what they claim (not a spreadsheet, encrypted, empty, a zip bomb, too large)
raise :class:`FileRejected` with one clear finding; nothing else is looked at.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import re
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from .findings import ERROR, FileRejected, Finding
from .schema import SHEETS, SHEETS_BY_KEY

MAX_FILE_MB = float(os.environ.get("SAMARBEID_MAX_FILE_MB", "50"))
MAX_UNPACKED_MB = float(os.environ.get("SAMARBEID_MAX_UNPACKED_MB", "400"))
MAX_RATIO = 150
MAX_ROWS = 1_000_000
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"


@dataclass
class Table:
    """One sheet (or CSV section) as read: header keys and rows of stripped strings."""

    name: str
    columns: list[str]
    rows: list[tuple[int, list[str]]] = field(default_factory=list)
    header_row: int = 1
    rows_are_lines: bool = False


@dataclass
class RawWorkbook:
    path: Path
    display_name: str
    kind: str  # xlsx | csv | json
    tables: dict[str, Table] = field(default_factory=dict)  # key: lower-case sheet name
    unknown_sheets: list[str] = field(default_factory=list)


def header_key(text: str) -> str:
    """Header matching: case, surrounding space and spaces vs underscores do not matter."""
    text = text.strip().lower()
    return re.sub(r"[\s_]+", "_", text)


def cell_text(value: object) -> str:
    """A cell value as the text a person typed: integral floats without '.0', dates as ISO."""
    if type(value) is str:
        return value.strip()
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nei"
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return format(Decimal(repr(value)).normalize(), "f")
    return str(value).strip()


def _reject(path: Path, code: str, **params: object) -> FileRejected:
    return FileRejected(
        Finding(
            ERROR, code, path.name, params=dict(params), value=str(params.get("value", "")) or None
        )
    )


def read_workbook(path: Path | str) -> RawWorkbook:
    path = Path(path)
    if not path.is_file():
        raise _reject(path, "file_missing")
    size = path.stat().st_size
    if size == 0:
        raise _reject(path, "file_empty")
    if size > MAX_FILE_MB * 1024 * 1024:
        raise _reject(
            path, "file_too_large", size=f"{size / 1048576:.1f}", limit=f"{MAX_FILE_MB:g}"
        )
    suffix = path.suffix.lower()
    if suffix in {".xlsx", ".xlsm"}:
        return _read_xlsx(path)
    if suffix == ".xls":
        raise _reject(path, "xlsx_old_format")
    if suffix in {".csv", ".txt"}:
        return _read_csv(path)
    if suffix == ".json":
        return _read_json(path)
    raise _reject(path, "file_type_unknown", value=suffix or path.name)


# --- xlsx -------------------------------------------------------------------------------------


def _check_zip(path: Path) -> None:
    with path.open("rb") as handle:
        head = handle.read(8)
    if head.startswith(OLE2_MAGIC):
        data = path.read_bytes()
        if (
            "EncryptionInfo".encode("utf-16-le") in data
            or "EncryptedPackage".encode("utf-16-le") in data
        ):
            raise _reject(path, "xlsx_encrypted")
        raise _reject(path, "xlsx_old_format")
    if not head.startswith(ZIP_MAGIC):
        raise _reject(
            path,
            "xlsx_not_zip",
            detail=(
                "ingen ZIP-signatur i starten av filen",
                "no ZIP signature at the start of the file",
            ),
        )
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
            names = {i.filename for i in infos}
    except zipfile.BadZipFile as error:
        raise _reject(
            path, "xlsx_not_zip", detail=(f"ødelagt ZIP: {error}", f"broken ZIP: {error}")
        ) from None
    unpacked = sum(i.file_size for i in infos)
    packed = max(1, sum(i.compress_size for i in infos))
    if unpacked > MAX_UNPACKED_MB * 1048576 or any(
        i.file_size > 10 * 1048576 and i.file_size / max(1, i.compress_size) > MAX_RATIO
        for i in infos
    ):
        raise _reject(
            path,
            "xlsx_zip_bomb",
            size=f"{unpacked / 1048576:.0f}",
            ratio=f"{unpacked // packed}",
            limit=f"{MAX_UNPACKED_MB:g}",
        )
    if "xl/workbook.xml" not in names:
        raise _reject(
            path,
            "xlsx_not_zip",
            detail=(
                "ZIP-filen har ikke noe xl/workbook.xml",
                "the ZIP file has no xl/workbook.xml",
            ),
        )


def _read_xlsx(path: Path) -> RawWorkbook:
    import openpyxl  # imported here: CSV-only use does not pay for it

    _check_zip(path)
    book = RawWorkbook(path, path.name, "xlsx")
    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=False)
    except Exception as error:
        raise _unreadable(path, error) from None
    try:
        for sheet in workbook.worksheets:
            key = sheet.title.strip().lower()
            if key not in SHEETS_BY_KEY:
                book.unknown_sheets.append(sheet.title)
                continue
            book.tables[key] = _table_from_rows(
                SHEETS_BY_KEY[key].name, sheet.iter_rows(values_only=True)
            )
    except FileRejected:
        raise
    except Exception as error:
        raise _unreadable(path, error) from None
    finally:
        workbook.close()
    return book


def _unreadable(path: Path, error: Exception) -> FileRejected:
    cause: BaseException | None = error
    while cause is not None:  # openpyxl wraps defusedxml's refusal in its own ValueError
        if type(cause).__module__.startswith("defusedxml"):
            return _reject(path, "xlsx_entities")
        cause = cause.__cause__ or cause.__context__
    message = str(error).replace(str(path), path.name).splitlines()[0] if str(error) else ""
    return _reject(path, "xlsx_unreadable", detail=f"{type(error).__name__}: {message}")


def _table_from_rows(name: str, rows, first_row: int = 1, lines: bool = False) -> Table:
    table: Table | None = None
    for number, values in enumerate(rows, start=first_row):
        texts = [cell_text(v) for v in values]
        if table is None:
            if not any(texts):
                continue
            while texts and not texts[-1]:
                texts.pop()
            table = Table(
                name, [header_key(t) for t in texts], header_row=number, rows_are_lines=lines
            )
            continue
        if any(texts):
            table.rows.append((number, texts))
            if len(table.rows) > MAX_ROWS:
                break
    return table or Table(name, [], rows_are_lines=lines)


# --- csv --------------------------------------------------------------------------------------


def _read_csv(path: Path) -> RawWorkbook:
    data = path.read_bytes()
    if data.startswith(ZIP_MAGIC) or data.startswith(OLE2_MAGIC):
        raise _reject(
            path, "csv_unreadable", detail="filen er et regneark, ikke tekst; gi den endelsen .xlsx"
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise _reject(path, "csv_encoding", position=error.start) from None
    if "\x00" in text:
        raise _reject(path, "csv_unreadable", detail="filen inneholder NUL-tegn; den er ikke tekst")
    first = next(
        (line for line in text.splitlines() if line.strip() and not line.startswith("#")), ""
    )
    delimiter = ";" if first.count(";") > first.count(",") else ","
    book = RawWorkbook(path, path.name, "csv")
    try:
        records = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True))
    except csv.Error as error:
        raise _reject(path, "csv_unreadable", detail=str(error)) from None
    # Sections: a line "#Ordninger" starts the table of that sheet. No markers: all is Ordninger.
    sections: list[tuple[str, int, list[list[str]]]] = []
    line = 0
    current: list[list[str]] | None = None
    for record in _with_line_numbers(records):
        line, cells = record
        marker = cells[0].strip() if cells else ""
        if marker.startswith("#") and not any(c.strip() for c in cells[1:]) and len(marker) > 1:
            current = []
            sections.append((marker[1:].strip(), line + 1, current))
            continue
        if current is None:
            current = []
            sections.append(("Ordninger", line, current))
        current.append(cells)
    for name, first_line, rows in sections:
        key = name.lower()
        if key not in SHEETS_BY_KEY:
            raise FileRejected(
                Finding(
                    ERROR,
                    "csv_section_unknown",
                    path.name,
                    row=first_line - 1,
                    row_is_line=True,
                    value=name,
                    params={"expected": ", ".join(s.name for s in SHEETS)},
                )
            )
        book.tables[key] = _table_from_rows(SHEETS_BY_KEY[key].name, rows, first_line, lines=True)
    return book


def _with_line_numbers(records: list[list[str]]):
    # csv.reader has consumed multi-line cells; count physical lines to report real line numbers.
    line = 1
    for cells in records:
        yield line, cells
        line += 1 + sum(c.count("\n") for c in cells)


# --- json -------------------------------------------------------------------------------------

JSON_FORMAT = "samarbeid-kartlegging"


def _read_json(path: Path) -> RawWorkbook:
    try:
        data = json.loads(path.read_bytes().decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise _reject(path, "json_unreadable", detail=str(error)) from None
    if not isinstance(data, dict) or data.get("format") != JSON_FORMAT:
        raise _reject(
            path, "json_unreadable", detail=f'forventet et objekt med "format": "{JSON_FORMAT}"'
        )
    book = RawWorkbook(path, path.name, "json")
    for sheet in SHEETS:
        key = sheet.name.lower()
        if key not in data:
            continue
        items = data[key]
        if key == "kartlegging" and isinstance(items, dict):
            items = [{"felt": k, "verdi": v} for k, v in items.items()]
        if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
            raise _reject(path, "json_unreadable", detail=f"«{key}» skal være en liste av objekter")
        columns: list[str] = []
        for item in items:
            for k in item:
                if header_key(k) not in columns:
                    columns.append(header_key(k))
        table = Table(sheet.name, columns, header_row=0)
        for number, item in enumerate(items, start=1):
            lowered = {header_key(k): v for k, v in item.items()}
            table.rows.append((number, [_json_text(lowered.get(c)) for c in columns]))
        book.tables[key] = table
    return book


def _json_text(value: object) -> str:
    if isinstance(value, list):
        return "; ".join(_json_text(v) for v in value)
    if isinstance(value, float):
        return cell_text(value)
    return cell_text(value)
