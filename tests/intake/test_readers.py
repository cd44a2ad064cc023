"""The file readers on their own: what a cell becomes, the limits, the structure of each format.

The corpus (test_bad_files.py) checks one file per kind of problem through the real CLI; these
tests take the readers apart: every kind of xlsx cell, rows and cells without references, the
limits at their edges, CSV line numbers, JSON shapes, file names that are not UTF-8.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

import pytest

from samarbeid.intake import reader
from samarbeid.intake.reader import CellRefused, cell_text, display_name, read_workbook
from samarbeid.intake.readers import limits
from samarbeid.intake.readers.tables import number_text
from samarbeid.rules.findings import FileRejected
from tests.intake.xlsx_parts import inline, row, table, workbook

HEADER = ["id", "navn", "arsverk"]


def xlsx(tmp_path: Path, data: str, name: str = "Ordninger", **options) -> Path:
    path = tmp_path / "fil.xlsx"
    path.write_bytes(workbook({name: data}, **options))
    return path


def rows_of(path: Path, sheet: str = "ordninger") -> list[tuple[int, list[str]]]:
    return read_workbook(path).tables[sheet].rows


def refused(path: Path) -> tuple[str, str, str]:
    with pytest.raises(FileRejected) as caught:
        read_workbook(path)
    finding = caught.value.finding
    return finding.code, finding.location(), finding.text()


# --- the xlsx as it is, not as it says it is ------------------------------------------------------

PARTICIPANTS = [["ordning_id", "deltaker"]] + [["T-1", f"Kommune {i}"] for i in range(63)]


@pytest.mark.parametrize("dimension", [None, "A1", "A1:B3", "A1:B62", "A1:XFD1048576"])
def test_every_row_is_read_whatever_the_dimension_says(tmp_path, dimension) -> None:
    path = xlsx(tmp_path, table(*PARTICIPANTS), "Deltakere", dimension=dimension)
    started = time.perf_counter()
    rows = rows_of(path, "deltakere")
    assert time.perf_counter() - started < 2  # a declared XFD1048576 pads nothing
    assert len(rows) == 63
    assert rows[-1] == (64, ["T-1", "Kommune 62"])


def test_an_empty_cell_far_away_is_not_padded_out_to(tmp_path) -> None:
    # A formatted but empty cell at the last place of a sheet: the old reader padded every row to
    # 16 384 columns for a million rows (minutes); now it is one cell element, counted and skipped.
    data = table(HEADER, ["T-1", "A", "2"]) + '<row r="1048576"><c r="XFD1048576" s="1"/></row>'
    path = xlsx(tmp_path, data, dimension="A1:XFD1048576")
    started = time.perf_counter()
    assert rows_of(path) == [(2, ["T-1", "A", "2"])]
    assert time.perf_counter() - started < 2


def test_rows_and_cells_without_references_follow_the_previous(tmp_path) -> None:
    data = (
        row(1, inline("A1", "id"), inline("B1", "navn"))
        + '<row><c t="inlineStr"><is><t>T-1</t></is></c><c t="inlineStr"><is><t>A</t></is></c></row>'
        + '<row r="5"><c r="B5" t="inlineStr"><is><t>B</t></is></c></row>'
    )
    assert rows_of(xlsx(tmp_path, data)) == [(2, ["T-1", "A"]), (5, ["", "B"])]


@pytest.mark.parametrize(
    ("data", "detail"),
    [
        (
            table(HEADER) + row(3) + row(2),
            "raden står to ganger eller i feil rekkefølge (etter rad 3)",
        ),
        (table(HEADER) + '<row r="x2"/>', "ugyldig radnummer «x2»"),
        (table(HEADER) + '<row r="2"><c r="2A"><v>1</v></c></row>', "ugyldig cellereferanse «2A»"),
        (table(HEADER) + '<row r="2"><c r="A3"><v>1</v></c></row>', "ugyldig cellereferanse «A3»"),
        (
            table(HEADER) + '<row r="2"><c r="B2"><v>1</v></c><c r="A2"><v>1</v></c></row>',
            "cellen A2 står to ganger eller i feil rekkefølge",
        ),
        (table(HEADER) + '<row r="2"><c r="A2" t="s"><v>7</v></c></row>', "som ikke finnes"),
        (table(HEADER) + '<row r="2"><c r="A2" t="q"><v>1</v></c></row>', "ukjent celletype «q»"),
        (table(HEADER) + '<row r="2"><c r="A2" t="b"><v>2</v></c></row>', "ugyldig sannhetsverdi"),
    ],
)
def test_a_broken_sheet_is_refused_where_it_breaks(tmp_path, data, detail) -> None:
    code, location, text = refused(xlsx(tmp_path, data))
    assert code == "xlsx_unreadable"
    assert location.startswith("fil.xlsx, ark Ordninger")
    assert detail in text


def test_a_zip_of_an_unknown_version_is_refused(tmp_path) -> None:
    # Found by the property test: zipfile raises NotImplementedError("zip file version 6.4")
    # while listing a member that declares a version it cannot extract.
    data = bytearray(workbook({"Ordninger": table(HEADER)}))
    central = data.index(b"PK\x01\x02")
    data[central + 6 : central + 8] = (64).to_bytes(2, "little")  # version needed to extract
    path = tmp_path / "fil.xlsx"
    path.write_bytes(bytes(data))
    code, _location, text = refused(path)
    assert code == "xlsx_not_zip" and "zip file version 6.4" in text


def test_the_same_sheet_twice_is_refused_before_anything_is_read(tmp_path) -> None:
    path = tmp_path / "fil.xlsx"
    path.write_bytes(workbook({"Ordninger": table(HEADER), "ORDNINGER ": "<row r='x'/>"}))
    assert refused(path)[0] == "sheet_duplicate"


def test_unknown_sheets_are_not_read_at_all(tmp_path) -> None:
    path = tmp_path / "fil.xlsx"
    path.write_bytes(workbook({"Ordninger": table(HEADER), "Notater": "<row r='x'/>"}))
    book = read_workbook(path)
    assert book.unknown_sheets == ["Notater"] and list(book.tables) == ["ordninger"]


# --- what a cell becomes -----------------------------------------------------------------------


def cell(tmp_path: Path, xml: str) -> str:
    """The text of one cell (B2 under the header navn)."""
    return rows_of(xlsx(tmp_path, table(HEADER) + row(2, inline("A2", "T-1"), xml)))[0][1][1]


@pytest.mark.parametrize(
    ("xml", "text"),
    [
        ("<c r='B2'><v>6.255</v></c>", "6.255"),  # no binary noise, as typed
        ("<c r='B2'><v>6.2549999999999999</v></c>", "6.255"),  # Excel's 17 digits
        ("<c r='B2'><v>2.5</v></c>", "2.5"),
        ("<c r='B2'><v>28.0</v></c>", "28"),
        ("<c r='B2'><v>1E+308</v></c>", "1e+308"),
        ("<c r='B2'><v>1e-9</v></c>", "1e-09"),
        ("<c r='B2'><v>1234567890123456789012</v></c>", "1234567890123456789012"),
        pytest.param(  # no int() of 5 000 digits
            "<c r='B2'><v>" + "9" * 5000 + "</v></c>", "9" * 5000, id="5000-digits"
        ),
        ("<c r='B2'><v>-0</v></c>", "0"),
        ("<c r='B2'><v>0042</v></c>", "42"),
        ("<c r='B2' s='1'><v>44501</v></c>", "2021-11-01"),  # a date style
        ("<c r='B2' s='1'><v>44501.5</v></c>", "2021-11-01T12:00:00"),
        ("<c r='B2' s='1'><v>0.25</v></c>", "06:00:00"),  # a time of day
        ("<c r='B2' s='2'><v>1.5</v></c>", "36:00:00"),  # a duration style
        ("<c r='B2' t='d'><v>2021-11-01</v></c>", "2021-11-01"),
        ("<c r='B2' t='str'><v> tekst </v></c>", "tekst"),
        ("<c r='B2' t='inlineStr'/>", ""),
        ("<c r='B2'><v></v></c>", ""),
        ("<c r='B2' t='s'><v>0</v></c>", "delt"),
        # Rich text: the runs in order, without the phonetic guide.
        (
            "<c r='B2' t='inlineStr'><is><r><rPr><b/></rPr><t>Nu</t></r><r><t>medal</t></r>"
            "<rPh sb='0' eb='1'><t>x</t></rPh></is></c>",
            "Numedal",
        ),
        # Formulas of every kind become their text with "=", which the check refuses as a formula.
        ("<c r='B2'><f>SUM(C2:C3)</f><v>3</v></c>", "=SUM(C2:C3)"),
        ("<c r='B2' t='str'><f t='array' ref='B2'>UPPER(A2)</f><v>T-1</v></c>", "=UPPER(A2)"),
        ("<c r='B2'><f t='dataTable' ref='B2' r1='C1' r2='C2'/><v>1</v></c>", "=TABLE(C1,C2)"),
        ("<c r='B2'><f t='shared' si='4'/><v>1</v></c>", "="),  # its master is elsewhere
        ("<c r='B2' t='e'><f>1/0</f><v>#DIV/0!</v></c>", "=1/0"),
    ],
)
def test_each_kind_of_cell_becomes_text_on_purpose(tmp_path, xml, text) -> None:
    path = xlsx(tmp_path, table(HEADER) + row(2, inline("A2", "T-1"), xml), shared=["delt"])
    assert rows_of(path)[0][1][1] == text


@pytest.mark.parametrize(
    ("xml", "code", "value"),
    [
        ("<c r='B2' t='e'><v>#REF!</v></c>", "cell_error", "#REF!"),
        ("<c r='B2' t='e'><v>#N/A</v></c>", "cell_error", "#N/A"),
        ("<c r='B2' t='b'><v>0</v></c>", "cell_boolean", "FALSE"),
        ("<c r='B2'><v>1e999</v></c>", "cell_not_a_number", "1e999"),
        ("<c r='B2'><v>INF</v></c>", "cell_not_a_number", "INF"),
        ("<c r='B2'><v>NaN</v></c>", "cell_not_a_number", "NaN"),
        ("<c r='B2'><v>1,5</v></c>", "cell_not_a_number", "1,5"),
        ("<c r='B2' s='1'><v>99999999</v></c>", "cell_date_invalid", "99999999"),
        ("<c r='B2' s='1'><v>1e308</v></c>", "cell_date_invalid", "1e308"),
        ("<c r='B2' t='d'><v>0000-01-01</v></c>", "cell_date_invalid", "0000-01-01"),
    ],
)
def test_a_cell_that_is_not_plain_data_refuses_the_file_at_its_place(
    tmp_path, xml, code, value
) -> None:
    path = xlsx(tmp_path, table(HEADER) + row(2, inline("A2", "T-1"), xml))
    with pytest.raises(FileRejected) as caught:
        read_workbook(path)
    finding = caught.value.finding
    assert (finding.code, finding.location()) == (
        code,
        "fil.xlsx, ark Ordninger, rad 2, kolonne navn",
    )
    assert f"{value}" in finding.text() and "object at 0x" not in finding.text()


@pytest.mark.parametrize(
    ("value", "text"),
    [
        ("  x  ", "x"),
        (None, ""),
        (7, "7"),
        (2.5, "2.5"),
        (6.255, "6.255"),
        (1e16, "1e+16"),
        (123456789012345.0, "123456789012345"),
        (1e308, "1e+308"),
        (5e-324, "5e-324"),
        (0.1 + 0.2, "0.30000000000000004"),
        (-0.0, "0"),
        (Decimal("6.2500"), "6.25"),
        (Decimal("1E+400"), "1e+400"),
        (dt.date(2021, 11, 1), "2021-11-01"),
        (dt.datetime(2021, 11, 1), "2021-11-01"),
        (dt.datetime(2021, 11, 1, 8, 30), "2021-11-01T08:30:00"),
        (dt.time(8, 30), "08:30:00"),
        (dt.timedelta(days=1, hours=2), "26:00:00"),
        (dt.timedelta(hours=-1), "-1:00:00"),
    ],
)
def test_cell_text(value, text) -> None:
    assert cell_text(value) == text


def test_cell_text_of_rich_text_is_its_plain_text() -> None:
    from openpyxl.cell.rich_text import CellRichText, TextBlock
    from openpyxl.cell.text import InlineFont

    rich = CellRichText([TextBlock(InlineFont(b=True), "Nu"), " medal "])
    assert cell_text(rich) == "Nu medal"


@pytest.mark.parametrize(
    ("value", "code"),
    [
        (True, "cell_boolean"),
        (float("inf"), "cell_not_a_number"),
        (float("nan"), "cell_not_a_number"),
        (Decimal("NaN"), "cell_not_a_number"),
        pytest.param(10**5000, "cell_not_a_number", id="int-of-5001-digits"),
        (object(), "cell_type_unknown"),
        ({"a": 1}, "cell_type_unknown"),
        (b"bytes", "cell_type_unknown"),
    ],
)
def test_cell_text_refuses_what_is_not_a_plain_value(value, code) -> None:
    with pytest.raises(CellRefused) as caught:
        cell_text(value)
    assert caught.value.code == code
    assert "0x" not in str(caught.value.params)


def test_number_text_is_a_round_trip_of_the_float() -> None:
    for value in (6.255, 33.333333, 1 / 3, 2.5e-7, 1234.5678, 9007199254740993.0):
        assert float(number_text(value)) == value


# --- limits -------------------------------------------------------------------------------------


def test_rows_beyond_the_limit_refuse_the_file_in_every_format(tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(limits, "MAX_ROWS", 3)
    data = table(HEADER, ["T-1", "A"], ["T-2", "B"], ["T-3", "C"])
    assert refused(xlsx(tmp_path, data))[:2] == ("too_many_rows", "fil.xlsx, ark Ordninger, rad 4")
    csv_path = tmp_path / "fil.csv"
    csv_path.write_text("id,navn\nT-1,A\n\nT-2,B\n", encoding="utf-8")
    assert refused(csv_path)[:2] == ("too_many_rows", "fil.csv, seksjon Ordninger, linje 4")
    json_path = tmp_path / "fil.json"
    json_path.write_text(
        json.dumps({"format": reader.JSON_FORMAT, "versjon": 1, "ordninger": [{}] * 4}), "utf-8"
    )
    assert refused(json_path)[:2] == ("too_many_rows", "fil.json, ark Ordninger, rad 4")


def test_empty_rows_count_too_so_that_the_work_stays_bounded(tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(limits, "MAX_ROWS", 5)
    data = table(HEADER, ["T-1", "A"]) + "".join(row(n) for n in range(3, 9))
    # Rows 3-8 are empty: the sixth row element (row 6) is one too many.
    assert refused(xlsx(tmp_path, data))[:2] == ("too_many_rows", "fil.xlsx, ark Ordninger, rad 6")


def test_columns_beyond_the_limit(tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(limits, "MAX_COLUMNS", 3)
    path = tmp_path / "fil.csv"
    path.write_text("id,navn,arsverk,,,,,\nT-1,A,2,,,,,,,\nT-2,B,3,x\n", encoding="utf-8")
    code, location, text = refused(path)  # empty fields after the last filled one do not count
    assert (code, location) == (
        "too_many_columns",
        "fil.csv, seksjon Ordninger, linje 3, kolonne 4",
    )
    assert "grensen på 3 kolonner per ark" in text
    json_path = tmp_path / "fil.json"
    many = {"id": "T-1", "navn": "A", "arsverk": 1, "merknader": "x"}
    json_path.write_text(
        json.dumps({"format": reader.JSON_FORMAT, "versjon": 1, "ordninger": [many]}), "utf-8"
    )
    assert refused(json_path)[0] == "too_many_columns"


def test_cells_beyond_the_limit_count_empty_cell_elements_in_a_workbook(
    tmp_path, monkeypatch
) -> None:
    monkeypatch.setattr(limits, "MAX_CELLS", 8)
    empties = "".join(f'<c r="{c}2" s="1"/>' for c in "DEFGH")
    data = table(HEADER) + row(2, inline("A2", "T-1"), empties)
    assert refused(xlsx(tmp_path, data))[:2] == ("too_many_cells", "fil.xlsx, ark Ordninger, rad 2")


def test_a_bad_limit_in_the_environment_is_a_clear_message(tmp_path) -> None:
    path = tmp_path / "fil.csv"
    path.write_text("id,navn\nT-1,A\n", encoding="utf-8")
    env = dict(os.environ, SAMARBEID_MAX_ROWS="mange", SAMARBEID_VAR_DIR=str(tmp_path / "var"))
    done = subprocess.run(
        [sys.executable, "-m", "samarbeid", "check", str(path)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 2, done.stderr
    assert "SAMARBEID_MAX_ROWS='mange' er ikke et positivt tall" in done.stderr
    assert "Traceback" not in done.stderr


# --- CSV ----------------------------------------------------------------------------------------


def csv_book(tmp_path: Path, text: str):
    path = tmp_path / "fil.csv"
    path.write_text(text, encoding="utf-8")
    return read_workbook(path)


def test_csv_line_numbers_are_physical_lines_after_multi_line_cells(tmp_path) -> None:
    book = csv_book(tmp_path, 'id,navn,merknader\nT-1,A,"to\nlinjer"\nT-2,B,\n')
    assert book.tables["ordninger"].rows == [(2, ["T-1", "A", "to\nlinjer"]), (4, ["T-2", "B", ""])]


def test_csv_blank_lines_before_the_first_section_are_not_a_section(tmp_path) -> None:
    book = csv_book(
        tmp_path, "\n,,\n#Kartlegging\nfelt,verdi\nnavn,X\n#ordninger\nid,navn\nT-1,A\n"
    )
    assert set(book.tables) == {"kartlegging", "ordninger"}
    assert book.tables["ordninger"].rows == [(8, ["T-1", "A"])]


def test_csv_rows_before_any_section_are_ordninger_and_cannot_come_again(tmp_path) -> None:
    path = tmp_path / "fil.csv"
    path.write_text("id,navn\nT-1,A\n#Ordninger\nid,navn\nT-2,B\n", encoding="utf-8")
    code, location, text = refused(path)
    assert (code, location) == ("csv_section_duplicate", "fil.csv, linje 3")
    assert "(også linje 1)" in text


def test_csv_broken_quoting_is_located(tmp_path) -> None:
    path = tmp_path / "fil.csv"
    path.write_text('id,navn\nT-1,"A"B\n', encoding="utf-8")
    code, location, _text = refused(path)
    assert (code, location) == ("csv_unreadable", "fil.csv, linje 2")


# --- JSON ---------------------------------------------------------------------------------------


def json_file(tmp_path: Path, data: object) -> Path:
    path = tmp_path / "fil.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def mapping(**sheets: object) -> dict:
    return {"format": reader.JSON_FORMAT, "versjon": 1, **sheets}


def test_json_lists_in_list_columns_and_the_mapping_as_one_object(tmp_path) -> None:
    book = read_workbook(
        json_file(
            tmp_path,
            mapping(
                kartlegging={"navn": "X", "dato": "2021-11-01"},
                ordninger=[{"id": "T-1", "Navnevarianter": ["A", " B "], "oppgaveomrader": [3, 8]}],
                notater=[],
            ),
        )
    )
    assert book.tables["kartlegging"].rows == [(1, ["navn", "X"]), (2, ["dato", "2021-11-01"])]
    table_ = book.tables["ordninger"]
    assert table_.columns == ["id", "navnevarianter", "oppgaveomrader"]
    assert table_.rows == [(1, ["T-1", "A; B", "3; 8"])]
    assert book.unknown_sheets == ["notater"]


@pytest.mark.parametrize(
    ("version", "code"),
    [
        (2, "json_version_unsupported"),
        ("1", "json_version_unsupported"),
        (True, "json_version_unsupported"),
        (1.0, "json_version_unsupported"),
        (None, "json_version_unsupported"),
    ],
)
def test_json_version_must_be_the_integer_1(tmp_path, version, code) -> None:
    assert refused(json_file(tmp_path, {**mapping(), "versjon": version}))[0] == code


@pytest.mark.parametrize(
    ("row_", "code", "column"),
    [
        ({"navn": None, "merknader": {"x": [1]}}, "json_value_not_scalar", "merknader"),
        ({"navn": ["a"]}, "json_list_not_allowed", "navn"),
        ({"deltakere": ["Kongsberg", None]}, "json_list_item", "deltakere"),
        ({"deltakere": ["Kongsberg", {"navn": "Rollag"}]}, "json_list_item", "deltakere"),
        ({"navnevarianter": [False]}, "cell_boolean", "navnevarianter"),
        ({"navn": False}, "cell_boolean", "navn"),
    ],
)
def test_json_values_that_are_not_one_scalar_are_located(tmp_path, row_, code, column) -> None:
    path = json_file(tmp_path, mapping(ordninger=[{"id": "T-1"}, {"id": "T-2", **row_}]))
    found, location, text = refused(path)
    assert (found, location) == (code, f"fil.json, ark Ordninger, rad 2, kolonne {column}")
    assert "{'" not in text  # never a Python repr


# --- file names and files that are not files ------------------------------------------------------


def test_display_name_is_printable_utf8_on_one_line() -> None:
    assert display_name(Path(os.fsdecode(b"a\xff\xfe.csv"))) == "a\ufffd\ufffd.csv"
    assert display_name(Path("to\nlinjer.csv")) == "to\ufffdlinjer.csv"
    assert display_name(Path("fil\u202egnp.csv")) == "fil\ufffdgnp.csv"  # a bidi override
    assert display_name(Path("Kartlegging Øst.xlsx")) == "Kartlegging Øst.xlsx"


def test_a_file_name_that_is_not_utf8_is_shown_safely(tmp_path) -> None:
    name = os.fsdecode(b"kartlegging-\xe6\xf8.pdf")  # Latin-1 bytes in the name
    path = tmp_path / name
    path.write_bytes(b"%PDF")
    code, location, text = refused(path)
    assert code == "file_type_unknown" and location == "kartlegging-\ufffd\ufffd.pdf"
    assert "«.pdf»" in text
    location.encode("utf-8")  # printable and storable


def test_a_folder_and_an_unreadable_file(tmp_path, monkeypatch) -> None:
    folder = tmp_path / "mappe.csv"
    folder.mkdir()
    assert refused(folder)[0] == "file_not_regular"
    path = tmp_path / "fil.csv"
    path.write_text("id,navn\n", encoding="utf-8")

    def denied(self: Path) -> bytes:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "read_bytes", denied)
    code, _location, text = refused(path)
    assert code == "file_os_error" and "Permission denied" in text
