"""How much a mapping file may hold, counted while it is read, and the file's name for messages.

Every limit is checked while the file streams in, before any validation work, and exceeding one
refuses the whole file with a located message (exit 2) — never a silent truncation. The defaults
are far above a national mapping (5 000 arrangements and 46 000 participants fill 46 000 rows, 26
columns and 240 000 (xlsx) to 340 000 (CSV) cells) and can be changed with environment variables:

- ``SAMARBEID_MAX_ROWS`` (200 000): rows per sheet, CSV section or JSON list, the header
  included; in xlsx the row number, and empty row elements count too.
- ``SAMARBEID_MAX_COLUMNS`` (200): columns per sheet; keys per JSON object.
- ``SAMARBEID_MAX_CELLS`` (2 000 000): cells per file; in xlsx every cell the known sheets hold
  (formatted empty ones too), in CSV every field up to the last filled one of a line, in JSON
  every value.
- ``SAMARBEID_MAX_UNPACKED_MB`` (400): an xlsx unpacked (the zip-bomb guard).

The limits are read from this module when a file is read, so tests can lower them with
``monkeypatch.setattr(limits, "MAX_ROWS", 5)``. JSON nesting is limited by
:data:`samarbeid.core.safejson.MAX_DEPTH`; the file size by ``reader.MAX_FILE_MB``.
"""

from __future__ import annotations

import os
import sys
import unicodedata
from pathlib import Path

from samarbeid.core.i18n import Grouped
from samarbeid.rules.findings import ERROR, FileRejected, Finding


def _env_number(name: str, default: float, kind: type = int) -> float:
    """A positive number from the environment. A bad value stops the program (exit 2, wrong use)
    with a message naming the variable, when the reader is first imported (at start-up)."""
    text = os.environ.get(name, "").strip()
    if not text:
        return default
    try:
        value = kind(text.replace("_", "").replace(" ", ""))
    except ValueError:
        value = 0
    if not value > 0:
        sys.stderr.write(
            f"samarbeid: {name}={text!r} er ikke et positivt tall ({name} must be a positive "
            "number).\n"
        )
        raise SystemExit(2)
    return value


MAX_UNPACKED_MB = _env_number("SAMARBEID_MAX_UNPACKED_MB", 400.0, float)
MAX_RATIO = 150  # unpacked:packed of one member over 10 MB; Excel files compress ~5-20:1
MAX_ROWS = int(_env_number("SAMARBEID_MAX_ROWS", 200_000))
MAX_COLUMNS = int(_env_number("SAMARBEID_MAX_COLUMNS", 200))
MAX_CELLS = int(_env_number("SAMARBEID_MAX_CELLS", 2_000_000))


def grouped(number: int) -> Grouped:
    """A count for a message: '200 000' in bokmål, '200,000' in English."""
    return Grouped(number)


# Characters that must not reach a terminal or a log line from a file name: control characters
# (a newline would forge a second output line) and format characters (bidi overrides reorder
# what is shown, zero-width ones hide). Bytes that are not UTF-8 arrive as lone surrogates.
_UNSAFE = {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"}


def display_text(text: str) -> str:
    """Text from the file system (a name, a path as typed) made safe to print and to store:
    valid UTF-8, one line, nothing hidden.

    ``os.fsdecode`` turns bytes that are not UTF-8 into lone surrogates, which cannot be printed
    or stored; each becomes U+FFFD, as does every control or format character.
    """
    text = text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    return "".join("\ufffd" if unicodedata.category(ch) in _UNSAFE else ch for ch in text)


def display_name(path: Path) -> str:
    """The file's name as every message shows it (see :func:`display_text`)."""
    return display_text(path.name or str(path))


def reject(
    file: str,
    code: str,
    *,
    sheet: str | None = None,
    row: int | None = None,
    column: str | None = None,
    lines: bool = False,
    **params: object,
) -> FileRejected:
    """The one finding that refuses a file; ``value`` (if given) is also the finding's value."""
    value = params.get("value")
    return FileRejected(
        Finding(
            ERROR,
            code,
            file,
            sheet=sheet,
            row=row,
            column=column,
            value=str(value) if value not in (None, "") else None,
            params=dict(params),
            row_is_line=lines,
        )
    )


class Budget:
    """What one file has used of the limits, counted while it is read.

    Each reader calls :meth:`row` for every row it meets, :meth:`column` for the last filled
    column of a row and :meth:`cells` for what it holds; the first limit passed raises
    :class:`FileRejected` located at the row (and column) where it happened.
    """

    def __init__(self, file: str) -> None:
        self.file = file
        self.max_rows = MAX_ROWS
        self.max_columns = MAX_COLUMNS
        self.max_cells = MAX_CELLS
        self.used_cells = 0

    def row(self, sheet: str, position: int, row: int, lines: bool = False) -> None:
        """``position``: the row's place in the sheet (xlsx: its number); ``row``: its location."""
        if position > self.max_rows:
            raise reject(
                self.file,
                "too_many_rows",
                sheet=sheet,
                row=row,
                lines=lines,
                limit=grouped(self.max_rows),
            )

    def column(self, sheet: str, row: int, position: int, label: str, lines: bool = False) -> None:
        if position > self.max_columns:
            raise reject(
                self.file,
                "too_many_columns",
                sheet=sheet,
                row=row,
                column=label,
                lines=lines,
                limit=grouped(self.max_columns),
            )

    def cells(self, count: int, sheet: str, row: int | None, lines: bool = False) -> None:
        self.used_cells += count
        if self.used_cells > self.max_cells:
            raise reject(
                self.file,
                "too_many_cells",
                sheet=sheet,
                row=row,
                lines=lines,
                limit=grouped(self.max_cells),
            )
