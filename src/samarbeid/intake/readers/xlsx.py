"""Read an .xlsx mapping file: safely, independent of what the sheets declare about their size.

openpyxl opens the workbook (sheet names, shared strings, styles, the date system); the sheets
themselves are streamed here, cell by cell, from the worksheet XML (through defusedxml, like
openpyxl). openpyxl's own read-only rows trust the sheet's ``<dimension>``: rows below a
dimension that is too small are skipped silently, a sheet that declares ``A1`` reads as empty, and
a single cell at XFD1048576 pads every row to 16 384 columns for a million rows (minutes of work
for a 52 kB file). Here only the cells the file holds are touched, each is counted against the
limits (:mod:`.limits`) before it is converted, and every value is turned into text on purpose:
a formula of any kind becomes its text with the leading "=" (so the check reports it as a
formula, located), rich text its plain text, and an error cell (#REF!), a boolean or a number
that is not finite refuses the file with the cell's place.
"""

from __future__ import annotations

import math
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from samarbeid.core.i18n import Text, gettext_noop
from samarbeid.rules.findings import FileRejected
from samarbeid.rules.schema import SHEETS_BY_KEY

from . import limits
from .limits import Budget, reject
from .tables import CellRefused, RawWorkbook, TableBuilder, cell_text, number_text, sheet_key, shown

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
ROW, CELL, VALUE, FORMULA = NS + "row", NS + "c", NS + "v", NS + "f"
INLINE, TEXT, RUN, SHEET_DATA = NS + "is", NS + "t", NS + "r", NS + "sheetData"
EXCEL_ROWS, EXCEL_COLUMNS = 1_048_576, 16_384  # the most a sheet can have
_REFERENCE = re.compile(r"([A-Z]{1,3})([0-9]{1,7})")
_NUMBER = re.compile(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?")


def check_zip(path: Path, file: str) -> None:
    """Refuse what is not a workbook before anything parses it: old .xls, encrypted, not a zip,
    a zip bomb, a zip without xl/workbook.xml."""
    with path.open("rb") as handle:
        head = handle.read(8)
    if head.startswith(OLE2_MAGIC):
        data = path.read_bytes()
        if (
            "EncryptionInfo".encode("utf-16-le") in data
            or "EncryptedPackage".encode("utf-16-le") in data
        ):
            raise reject(file, "xlsx_encrypted")
        raise reject(file, "xlsx_old_format")
    if not head.startswith(ZIP_MAGIC):
        raise reject(
            file,
            "xlsx_not_zip",
            detail=Text(gettext_noop("ingen ZIP-signatur i starten av filen")),
        )
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
            names = {i.filename for i in infos}
    except Exception as error:  # BadZipFile, or NotImplementedError("zip file version 6.4"), …
        raise reject(
            file,
            "xlsx_not_zip",
            detail=Text(gettext_noop("ødelagt ZIP: {error}"), error=str(error)),
        ) from None
    unpacked = sum(i.file_size for i in infos)
    packed = max(1, sum(i.compress_size for i in infos))
    if unpacked > limits.MAX_UNPACKED_MB * 1048576 or any(
        i.file_size > 10 * 1048576 and i.file_size / max(1, i.compress_size) > limits.MAX_RATIO
        for i in infos
    ):
        raise reject(
            file,
            "xlsx_zip_bomb",
            size=f"{unpacked / 1048576:.0f}",
            ratio=f"{unpacked // packed}",
            limit=f"{limits.MAX_UNPACKED_MB:g}",
        )
    if "xl/workbook.xml" not in names:
        raise reject(
            file,
            "xlsx_not_zip",
            detail=Text(gettext_noop("ZIP-filen har ikke noe xl/workbook.xml")),
        )


def read_xlsx(path: Path, file: str) -> RawWorkbook:
    import openpyxl  # imported here: CSV-only use does not pay for it

    check_zip(path, file)
    book = RawWorkbook(path, file, "xlsx")
    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=False)
    except Exception as error:
        raise unreadable(path, file, error) from None
    try:
        known: dict[str, Any] = {}
        for sheet in workbook.worksheets:
            key = sheet_key(sheet.title)
            if key not in SHEETS_BY_KEY:
                book.unknown_sheets.append(sheet.title)
            elif key in known:
                raise reject(file, "sheet_duplicate", value=sheet.title, other=known[key].title)
            else:
                known[key] = sheet
        budget = Budget(file)
        for key, sheet in known.items():
            book.tables[key] = _read_sheet(workbook, sheet, SHEETS_BY_KEY[key].name, budget)
    except FileRejected:
        raise
    except Exception as error:
        raise unreadable(path, file, error) from None
    finally:
        workbook.close()
    return book


def unreadable(path: Path, file: str, error: Exception) -> FileRejected:
    cause: BaseException | None = error
    while cause is not None:  # openpyxl wraps defusedxml's refusal in its own ValueError
        if type(cause).__module__.startswith("defusedxml"):
            return reject(file, "xlsx_entities")
        cause = cause.__cause__ or cause.__context__
    message = str(error).replace(str(path), file).splitlines()[0] if str(error) else ""
    return reject(file, "xlsx_unreadable", detail=f"{type(error).__name__}: {shown(message)}")


class _Sheet:
    """Streams one worksheet's XML: rows of filled cells as text, in order, within the budget."""

    def __init__(
        self, workbook: Any, sheet: Any, name: str, budget: Budget, builder: TableBuilder
    ) -> None:
        self.sheet, self.name, self.budget, self.builder = sheet, name, budget, builder
        self.file = budget.file
        # openpyxl's read-only workbook knows these from the shared parts; the attributes are
        # the ones its own worksheet parser is given (openpyxl 3.1).
        self.strings: list[str] = sheet._shared_strings
        self.date_styles: set[int] = set(workbook._date_formats)
        self.duration_styles: set[int] = set(workbook._timedelta_formats)
        self.epoch = workbook.epoch
        self.shared_formulas: dict[str, tuple[str, str]] = {}

    def broken(self, row: int | None, detail: Text, column: str | None = None) -> FileRejected:
        return reject(
            self.file, "xlsx_unreadable", sheet=self.name, row=row, column=column, detail=detail
        )

    def rows(self) -> Iterator[tuple[int, list[tuple[int, str]]]]:
        from openpyxl.xml.functions import iterparse  # defusedxml's, as openpyxl itself uses

        previous = 0
        elements = 0
        with self.sheet._get_source() as source:
            for _event, element in iterparse(source):
                tag = element.tag
                if tag == ROW:
                    elements += 1
                    number = self._row_number(element.get("r"), previous)
                    previous = number
                    # Empty rows (formatting only) count by how many there are; filled rows by
                    # their number (TableBuilder): neither can make the work unbounded.
                    self.budget.row(self.name, elements, number)
                    cells = self._cells(element, number)
                    element.clear()
                    yield number, cells
                elif tag == SHEET_DATA:
                    break  # what follows the cells (merges, formatting, …) is not read

    def _row_number(self, text: str | None, previous: int) -> int:
        if text is None:
            number = previous + 1
        elif text.isascii() and text.isdigit():
            number = int(text)
        else:
            raise self.broken(
                previous + 1,
                Text(gettext_noop("ugyldig radnummer «{number}»"), number=shown(text)),
            )
        if not 0 < number <= EXCEL_ROWS:
            raise self.broken(
                None,
                Text(gettext_noop("radnummer {number} er utenfor arket"), number=shown(text or "")),
            )
        if number <= previous:
            raise self.broken(
                number,
                Text(
                    gettext_noop(
                        "raden står to ganger eller i feil rekkefølge (etter rad {previous})"
                    ),
                    previous=previous,
                ),
            )
        return number

    def _cells(self, row: Any, number: int) -> list[tuple[int, str]]:
        filled: list[tuple[int, str]] = []
        previous = 0
        count = 0
        for cell in row:
            if cell.tag != CELL:
                continue
            count += 1
            reference = cell.get("r")
            column = self._column(reference, number, previous)
            previous = column
            try:
                text = self._text(cell, reference)
            except CellRefused as refused:
                params = dict(refused.params)
                if "value" in params:
                    params["value"] = shown(str(params["value"]))
                raise reject(
                    self.file,
                    refused.code,
                    sheet=self.name,
                    row=number,
                    column=self.builder.column_name(column),
                    **params,
                ) from None
            if text:
                filled.append((column, text))
        self.budget.cells(count, self.name, number)
        return filled

    def _column(self, reference: str | None, number: int, previous: int) -> int:
        if reference is None:
            column = previous + 1
        else:
            match = _REFERENCE.fullmatch(reference)
            if match is None or int(match[2]) != number:
                raise self.broken(
                    number,
                    Text(gettext_noop("ugyldig cellereferanse «{cell}»"), cell=shown(reference)),
                )
            column = 0
            for letter in match[1]:
                column = column * 26 + ord(letter) - 64
        if column > EXCEL_COLUMNS:
            raise self.broken(
                number,
                Text(gettext_noop("cellen {cell} er utenfor arket"), cell=shown(reference or "")),
            )
        if column <= previous:
            raise self.broken(
                number,
                Text(
                    gettext_noop("cellen {cell} står to ganger eller i feil rekkefølge"),
                    cell=shown(reference or ""),
                ),
            )
        return column

    def _text(self, cell: Any, reference: str | None) -> str:
        kind = cell.get("t", "n")
        formula = cell.find(FORMULA)
        if formula is not None:
            return self._formula(formula, reference)
        if kind == "inlineStr":
            inline = cell.find(INLINE)
            return _plain(inline).strip() if inline is not None else ""
        value = cell.findtext(VALUE)
        if value is None or value == "":
            return ""
        if kind == "s":
            return cell_text(self._shared(value))
        if kind == "str":  # the text a formula gave, stored without the formula
            return value.strip()
        if kind == "b":
            if value.strip() not in ("0", "1"):
                raise CellRefused(
                    "xlsx_unreadable",
                    detail=Text(
                        gettext_noop("ugyldig sannhetsverdi «{value}»"), value=shown(value)
                    ),
                )
            return cell_text(value.strip() == "1")
        if kind == "e":
            raise CellRefused("cell_error", value=value)
        if kind == "d":
            from openpyxl.utils.datetime import from_ISO8601

            try:
                return cell_text(from_ISO8601(value.strip()))
            except (ValueError, OverflowError, TypeError):
                raise CellRefused("cell_date_invalid", value=value) from None
        if kind == "n":
            return self._number(value.strip(), cell.get("s"))
        raise CellRefused(
            "xlsx_unreadable",
            detail=Text(gettext_noop("ukjent celletype «{kind}»"), kind=shown(kind)),
        )

    def _shared(self, value: str) -> str:
        """The shared string a cell points to; an index that is not one refuses the file."""
        digits = value.strip()
        if digits.isascii() and digits.isdigit() and len(digits) <= 12:
            index = int(digits)
            if index < len(self.strings):
                return self.strings[index]
        raise CellRefused(
            "xlsx_unreadable",
            detail=Text(
                gettext_noop("cellen viser til tekst nr. {number}, som ikke finnes"),
                number=shown(value),
            ),
        )

    def _number(self, value: str, style: str | None) -> str:
        if not _NUMBER.fullmatch(value):
            raise CellRefused("cell_not_a_number", value=value)
        style_id = int(style) if style and style.isascii() and style.isdigit() else 0
        if style_id in self.date_styles:
            from openpyxl.utils.datetime import from_excel

            try:
                day = from_excel(
                    float(value), self.epoch, timedelta=style_id in self.duration_styles
                )
            except (ValueError, OverflowError, TypeError):
                raise CellRefused("cell_date_invalid", value=value) from None
            return cell_text(day)
        if "." in value or "e" in value or "E" in value:
            number = float(value)
            if not math.isfinite(number):  # 1e999
                raise CellRefused("cell_not_a_number", value=value)
            return number_text(number)
        # An integer stays the digits it was written with: no int() (which refuses more
        # than 4 300 digits); its size is the check's business.
        sign = "-" if value.startswith("-") else ""
        digits = value.lstrip("+-").lstrip("0") or "0"
        return sign + digits if digits != "0" else "0"

    def _formula(self, formula: Any, reference: str | None) -> str:
        """Any formula as text with its "=": the check refuses it (located) as a formula."""
        kind = formula.get("t")
        text = (formula.text or "").strip()
        if kind == "dataTable":
            inputs = ",".join(v for v in (formula.get("r1"), formula.get("r2")) if v)
            return f"=TABLE({inputs})"
        if kind == "shared":
            index = formula.get("si") or ""
            if text:
                self.shared_formulas.setdefault(index, (text, reference or "A1"))
            elif index in self.shared_formulas:
                text = self._translated(*self.shared_formulas[index], reference)
        return "=" + text

    @staticmethod
    def _translated(text: str, origin: str, reference: str | None) -> str:
        from openpyxl.formula.translate import Translator

        try:
            return Translator("=" + text, origin).translate_formula(reference)[1:]
        except Exception:  # a hostile formula: show the master's text, still a formula
            return text


def _plain(element: Any) -> str:
    """Rich text as plain text: the text runs in order, without the phonetic guides (rPh)."""
    parts = []
    for child in element:
        if child.tag == TEXT:
            parts.append(child.text or "")
        elif child.tag == RUN:
            parts.append(child.findtext(TEXT) or "")
    return "".join(parts)


def _read_sheet(workbook: Any, sheet: Any, name: str, budget: Budget) -> Any:
    builder = TableBuilder(name, budget, letters=True)
    for number, cells in _Sheet(workbook, sheet, name, budget, builder).rows():
        builder.add(number, cells)
    return builder.result()
