"""Read a mapping file (.xlsx, .csv or .json) into plain tables of strings, safely.

Files that are not what they claim (not a spreadsheet, encrypted, empty, a zip bomb, too large,
beyond the limits of :mod:`.readers.limits`) raise :class:`FileRejected` with one clear finding,
located where the file says where; nothing else is looked at. The readers themselves are in
:mod:`samarbeid.intake.readers`; this module is the entry point and keeps the names the rest of
the project imports.
"""

from __future__ import annotations

import os
from pathlib import Path

from samarbeid.rules.findings import FileRejected

from .readers.csv import read_csv
from .readers.json import read_json
from .readers.limits import display_name, display_text, reject
from .readers.tables import (
    JSON_FORMAT,
    JSON_VERSION,
    CellRefused,
    RawWorkbook,
    Table,
    cell_text,
    header_key,
)
from .readers.xlsx import read_xlsx

__all__ = [
    "JSON_FORMAT",
    "JSON_VERSION",
    "MAX_FILE_MB",
    "CellRefused",
    "FileRejected",
    "RawWorkbook",
    "Table",
    "cell_text",
    "check_file",
    "display_name",
    "display_text",
    "header_key",
    "read_workbook",
]

#: The largest file read, in MB (SAMARBEID_MAX_FILE_MB); the web upload stops receiving beyond it.
MAX_FILE_MB = float(os.environ.get("SAMARBEID_MAX_FILE_MB", "50"))


def check_file(path: Path, file: str, not_regular: FileRejected | None = None) -> None:
    """The checks every file read by the app passes before it is opened: it exists, is a
    regular file (``not_regular``: a file kind's own refusal), is not empty and not larger than
    :data:`MAX_FILE_MB`. Raises :class:`FileRejected` (an OSError is the caller's to word)."""
    if not path.exists():
        raise reject(file, "file_missing")
    if not path.is_file():
        raise not_regular or reject(file, "file_not_regular")
    size = path.stat().st_size
    if size == 0:
        raise reject(file, "file_empty")
    if size > MAX_FILE_MB * 1024 * 1024:
        raise reject(file, "file_too_large", size=f"{size / 1048576:.1f}", limit=f"{MAX_FILE_MB:g}")


def read_workbook(path: Path | str) -> RawWorkbook:
    """Read a mapping file into tables of strings, or raise :class:`FileRejected`."""
    path = Path(path)
    file = display_name(path)
    try:
        check_file(path, file)
        suffix = path.suffix.lower()
        if suffix in {".xlsx", ".xlsm"}:
            return read_xlsx(path, file)
        if suffix == ".xls":
            raise reject(file, "xlsx_old_format")
        if suffix in {".csv", ".txt"}:
            return read_csv(path, file)
        if suffix == ".json":
            return read_json(path, file)
        shown_suffix = file[file.rfind(".") :] if suffix else file  # the name made safe, 1:1
        raise reject(file, "file_type_unknown", value=shown_suffix)
    except OSError as error:  # unreadable (permissions, a disk error) or gone while read
        raise reject(file, "file_os_error", detail=error.strerror or type(error).__name__) from None
