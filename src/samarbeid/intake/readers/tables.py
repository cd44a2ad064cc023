"""What a reader produces — tables of stripped strings — and how one cell value becomes text.

A reader turns every cell into a Python ``str`` deliberately (:func:`cell_text`): a value that is
not plain data (an error cell, a boolean, a number that is not finite, a type nobody expects) is
refused with :class:`CellRefused`, which the reader locates; nothing becomes its Python ``repr``.
:class:`TableBuilder` makes the table from rows of filled cells: the first filled row is the
header, and a filled cell under no header is refused (its value would otherwise be lost).
"""

from __future__ import annotations

import datetime as dt
import math
import re
from decimal import Decimal

from samarbeid.rules.tables import RawWorkbook as RawWorkbook
from samarbeid.rules.tables import Table as Table

from .limits import Budget, reject

#: The ``format`` of a mapping file in JSON; ``versjon`` is :data:`JSON_VERSION`.
JSON_FORMAT = "samarbeid-kartlegging"
JSON_VERSION = 1
#: Longest excerpt of a cell shown in a message.
SHOWN = 80


def header_key(text: str) -> str:
    """Header matching: case, surrounding space and spaces vs underscores do not matter."""
    text = text.strip().lower()
    return re.sub(r"[\s_]+", "_", text)


def sheet_key(name: str) -> str:
    """Sheet (and CSV section, JSON key) matching: "Ordninger", "ordninger " and "ORDNINGER" are
    the same sheet."""
    return name.strip().casefold()


def shown(text: str) -> str:
    """A value as a message quotes it: one line, at most :data:`SHOWN` characters."""
    text = " ".join(text.split())
    return text if len(text) <= SHOWN else text[: SHOWN - 1] + "…"


class CellRefused(ValueError):
    """A cell value that is not plain data; the reader adds where it is and refuses the file."""

    def __init__(self, code: str, **params: object) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


def number_text(value: float | Decimal) -> str:
    """A number as a person would type it: integral values without '.0', no binary noise
    (6.255 stays '6.255'), and very large or very small ones in exponent form ('1e+308')."""
    if isinstance(value, float):
        if not math.isfinite(value):
            raise CellRefused("cell_not_a_number", value=repr(value))
        if value.is_integer() and abs(value) < 1e16:
            return str(int(value))
        exact = Decimal(repr(value))
    else:
        if not value.is_finite():
            raise CellRefused("cell_not_a_number", value=str(value))
        exact = value
    if exact == 0:
        return "0"
    if -7 <= exact.adjusted() < 16:
        return format(exact.normalize(), "f")
    return repr(value) if isinstance(value, float) else format(exact.normalize(), "e")


def _duration_text(value: dt.timedelta) -> str:
    seconds = value.total_seconds()
    sign, seconds = ("-" if seconds < 0 else ""), abs(seconds)
    hours, rest = divmod(round(seconds), 3600)
    return f"{sign}{hours}:{rest // 60:02d}:{rest % 60:02d}"


def cell_text(value: object) -> str:
    """A cell value as the text a person typed: integral floats without '.0', dates as ISO.

    Raises :class:`CellRefused` for what is not a plain value: a boolean (no column holds one;
    Excel makes TRUE of a typed "true"), a number that is not finite, or any other type.
    """
    if type(value) is str:
        return value.strip()
    if value is None:
        return ""
    if isinstance(value, bool):
        raise CellRefused("cell_boolean", value="TRUE" if value else "FALSE")
    if isinstance(value, int):
        try:
            return str(value)
        except ValueError:  # beyond Python's int-to-text limit (4 300 digits)
            raise CellRefused("cell_not_a_number", value="…") from None
    if isinstance(value, (float, Decimal)):
        return number_text(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return _duration_text(value)
    if isinstance(value, str):  # a str subclass, e.g. openpyxl's CellRichText is a list, not this
        return str.__str__(value).strip()
    if type(value).__module__.startswith("openpyxl") and type(value).__name__ == "CellRichText":
        return "".join(str(part) for part in value).strip()  # type: ignore[attr-defined]
    raise CellRefused("cell_type_unknown", value=type(value).__name__)


class TableBuilder:
    """Builds one :class:`Table` from rows of filled cells, within the file's :class:`Budget`.

    ``add(number, cells)`` takes the row's location (xlsx row, CSV line, JSON item) and its filled
    cells as ``(column number, text)`` pairs in column order. The first row with a filled cell is
    the header; a filled cell later in a column without a header refuses the file.
    """

    def __init__(
        self, name: str, budget: Budget, *, lines: bool = False, letters: bool = False
    ) -> None:
        self.name = name
        self.budget = budget
        self.lines = lines
        self.letters = letters
        self.table: Table | None = None

    def label(self, column: int) -> str:
        """A column as a message names it: a letter in a workbook, a number in a CSV line."""
        if self.letters:
            from openpyxl.utils import get_column_letter

            return get_column_letter(column)
        return str(column)

    def column_name(self, column: int) -> str:
        """A column as the check names it: its header once there is one, else :meth:`label`."""
        if self.table is not None and column <= len(self.table.columns):
            return self.table.columns[column - 1] or self.label(column)
        return self.label(column)

    def add(self, number: int, cells: list[tuple[int, str]], position: int | None = None) -> None:
        if not cells:
            return
        self.budget.row(self.name, position or number, number, self.lines)
        last = cells[-1][0]
        self.budget.column(self.name, number, last, self.label(last), self.lines)
        table = self.table
        if table is None:
            texts = [""] * last
            for column, text in cells:
                texts[column - 1] = text
            self.table = Table(
                self.name,
                [header_key(t) for t in texts],
                header_row=number,
                rows_are_lines=self.lines,
            )
            return
        columns = table.columns
        width = len(columns)
        texts = [""] * width
        for column, text in cells:
            if column > width or not columns[column - 1]:
                raise reject(
                    self.budget.file,
                    "cell_without_header",
                    sheet=self.name,
                    row=number,
                    column=self.label(column),
                    lines=self.lines,
                    value=shown(text),
                    header_row=table.header_row,
                )
            texts[column - 1] = text
        table.rows.append((number, texts))

    def result(self) -> Table:
        return self.table or Table(self.name, [], rows_are_lines=self.lines)
