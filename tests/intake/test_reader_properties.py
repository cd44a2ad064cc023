"""Properties of the readers over generated input (hypothesis), and the CLI over hostile files.

Whatever bytes, workbook cells or JSON shapes arrive, ``read_workbook`` either returns a
:class:`RawWorkbook` of strings or raises :class:`FileRejected`: any other exception fails. Where
the input is valid, what is read is what was written. The number of examples is bounded (see
``EXAMPLES``) so that the file runs in seconds; ``SAMARBEID_HYPOTHESIS_EXAMPLES`` raises it for a
longer hunt.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math
import os
import random
import sqlite3
import subprocess
import sys
import tempfile
import zipfile
from concurrent.futures import ThreadPoolExecutor
from html import escape
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from samarbeid.intake.reader import JSON_FORMAT, RawWorkbook, cell_text, read_workbook
from samarbeid.intake.readers.json import LIST_COLUMNS
from samarbeid.rules.findings import FileRejected
from samarbeid.rules.schema import ARRANGEMENTS
from tests.intake.xlsx_parts import table, workbook

# The module fixture runs every CLI case once: all of this module on one test worker.
pytestmark = pytest.mark.xdist_group("reader_properties")

EXAMPLES = int(os.environ.get("SAMARBEID_HYPOTHESIS_EXAMPLES", "100"))
BOUNDED = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
COLUMNS = list(ARRANGEMENTS.keys)


def read(data: bytes, suffix: str) -> RawWorkbook | FileRejected:
    """Read bytes as a file with this suffix: the book, or the refusal (anything else raises)."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"fil{suffix}"
        path.write_bytes(data)
        try:
            book = read_workbook(path)
        except FileRejected as refusal:
            refusal.finding.format("nb")  # every message can be written, in both languages
            refusal.finding.format("en")
            return refusal
    for table_ in book.tables.values():
        for _number, cells in table_.rows:
            assert all(type(c) is str and " object at 0x" not in c for c in cells)
    return book


def _xml_char(ch: str) -> bool:
    code = ord(ch)
    return (
        (code >= 0x20 or ch in "\t\n")
        and not 0xD800 <= code <= 0xDFFF
        and code
        not in (
            0xFFFE,
            0xFFFF,
        )
    )


XML_TEXT = st.text(st.characters(codec="utf-8").filter(_xml_char), max_size=12)


# --- random bytes -------------------------------------------------------------------------------

VALID_XLSX = workbook({"Ordninger": table(["id", "navn"], ["T-1", "A"], ["T-2", "B"])})


@BOUNDED
@given(
    data=st.one_of(
        st.binary(max_size=3000),
        st.binary(max_size=3000).map(lambda b: b"PK\x03\x04" + b),
        st.binary(max_size=3000).map(lambda b: "\ufeff".encode() + b),
        st.lists(
            st.tuples(st.integers(0, len(VALID_XLSX) - 1), st.integers(0, 255)),
            min_size=1,
            max_size=8,
        ).map(lambda flips: bytes(_flip(VALID_XLSX, flips))),
        st.integers(0, len(VALID_XLSX)).map(lambda n: VALID_XLSX[:n]),
    ),
    suffix=st.sampled_from([".xlsx", ".csv", ".json", ".txt", ".xlsm"]),
)
def test_any_bytes_are_read_or_refused(data: bytes, suffix: str) -> None:
    read(data, suffix)


def _flip(data: bytes, flips: list[tuple[int, int]]) -> bytearray:
    out = bytearray(data)
    for position, value in flips:
        out[position] = value
    return out


# --- random cells in a workbook's XML --------------------------------------------------------------

NUMBER_TEXT = st.from_regex(
    r"[+-]?[0-9]{1,25}(\.[0-9]{0,20})?([eE][+-]?[0-9]{1,4})?", fullmatch=True
)
VALUE = st.one_of(
    XML_TEXT,
    NUMBER_TEXT,
    st.sampled_from(
        [
            "0",
            "1",
            "2",
            "#REF!",
            "#N/A",
            "1e999",
            "nan",
            "2021-11-01",
            "0000-01-01",
            "99999999",
            "-1",
            " ",
            "9" * 5000,
        ]
    ),
)
FORMULA = st.one_of(
    st.none(),
    st.tuples(
        st.sampled_from([None, "array", "shared", "dataTable", "normal", "x"]),
        st.one_of(st.none(), XML_TEXT),
        st.sampled_from(["0", "1", "z"]),
    ),
)
REFERENCE_NOISE = st.sampled_from(["", "A0", "XFE1", "AAAA1", "a1", "1A", "B"])


@st.composite
def cell_xml(draw, row: int, column: int) -> str:
    from openpyxl.utils import get_column_letter

    kind = draw(st.sampled_from([None, "n", "s", "b", "e", "str", "inlineStr", "d", "zz"]))
    style = draw(st.sampled_from([None, "0", "1", "2", "99", "x"]))
    reference = f"{get_column_letter(column)}{row}"
    if draw(st.integers(0, 30)) == 0:
        reference = draw(REFERENCE_NOISE)
    attributes = f' r="{reference}"' if reference else ""
    attributes += f' t="{kind}"' if kind else ""
    attributes += f' s="{style}"' if style else ""
    body = ""
    formula = draw(FORMULA)
    if formula is not None:
        formula_kind, text, index = formula
        extra = f' t="{formula_kind}"' if formula_kind else ""
        extra += f' si="{index}" ref="{reference}" r1="A1"'
        body += f"<f{extra}>{escape(text)}</f>" if text is not None else f"<f{extra}/>"
    if kind == "inlineStr" and draw(st.booleans()):
        runs = draw(st.lists(XML_TEXT, max_size=3))
        body += "<is>" + "".join(f"<r><t>{escape(r)}</t></r>" for r in runs) + "</is>"
    elif draw(st.integers(0, 5)) > 0:
        body += f"<v>{escape(draw(VALUE))}</v>"
    return f"<c{attributes}>{body}</c>" if body else f"<c{attributes}/>"


@st.composite
def sheet_rows(draw) -> str:
    places = draw(
        st.lists(st.tuples(st.integers(2, 30), st.integers(1, 30)), unique=True, max_size=25)
    )
    rows: dict[int, list[int]] = {}
    for row_number, column in sorted(places):
        rows.setdefault(row_number, []).append(column)
    header = table(COLUMNS[:28])
    out = [header]
    for row_number, columns in rows.items():
        cells = "".join(draw(cell_xml(row_number, c)) for c in columns)
        out.append(f'<row r="{row_number}">{cells}</row>')
    return "".join(out)


@BOUNDED
@given(
    data=sheet_rows(),
    shared=st.lists(XML_TEXT, max_size=3),
    sheet=st.sampled_from(["Ordninger", "Deltakere", "Kartlegging"]),
)
def test_random_cells_in_a_workbook_are_read_or_refused_with_a_reason(data, shared, sheet) -> None:
    result = read(workbook({sheet: data}, shared=shared), ".xlsx")
    if isinstance(result, FileRejected):
        finding = result.finding
        # Each refusal is one the reader meant: never openpyxl's or Python's own error text.
        assert not isinstance(finding.params.get("detail"), str), finding.format()
        assert finding.sheet == sheet, finding.format()


@BOUNDED
@given(
    values=st.lists(
        st.one_of(
            st.none(),
            XML_TEXT.filter(lambda t: "\r" not in t),  # XML turns a bare CR into LF
            # openpyxl writes an int through a float: beyond 2**53 it is not the same number.
            st.integers(min_value=-(2**53), max_value=2**53),
            # openpyxl writes 16 significant digits: a float that needs 17 is not read back.
            st.floats(allow_nan=False, allow_infinity=False)
            .map(lambda f: float(f"{f:.15g}"))
            .filter(math.isfinite),
            st.dates(min_value=dt.date(1900, 3, 1)),
            st.booleans(),
        ),
        min_size=1,
        max_size=len(COLUMNS),
    )
)
def test_cells_written_by_openpyxl_read_back_as_their_text(values: list[object]) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Ordninger"
    sheet.append(COLUMNS)
    sheet.append(values)
    buffer = io.BytesIO()
    book.save(buffer)
    result = read(buffer.getvalue(), ".xlsx")
    if any(isinstance(v, bool) for v in values):
        assert isinstance(result, FileRejected) and result.finding.code == "cell_boolean"
        return
    assert isinstance(result, RawWorkbook), result.finding.format()
    rows = result.tables["ordninger"].rows
    expected = [cell_text(v) for v in values]
    if not any(expected):
        assert rows == []
        return
    assert rows[0][1][: len(values)] == expected


# --- random JSON shapes ---------------------------------------------------------------------------

JSON_VALUE = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=10),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=6), children, max_size=4)
    ),
    max_leaves=20,
)


@BOUNDED
@given(
    value=JSON_VALUE,
    place=st.sampled_from(["document", "sheet", "row", "cell"]),
    column=st.sampled_from(["navn", "navnevarianter", "oppgaveomrader", "arsverk", "deltakere"]),
    version=st.sampled_from([1, 1, 1, 2, "1", None, True]),
)
def test_any_json_shape_is_read_or_refused(value, place, column, version) -> None:
    head = {"format": JSON_FORMAT, "versjon": version}
    document = {
        "document": value,
        "sheet": {**head, "ordninger": value},
        "row": {**head, "ordninger": [value]},
        "cell": {**head, "ordninger": [{"id": "T-1", column: value}]},
    }[place]
    result = read(json.dumps(document, allow_nan=True).encode(), ".json")
    if place == "cell" and isinstance(result, RawWorkbook):
        # Read only when the value was a scalar, or a list of scalars in a list column.
        assert not isinstance(value, (dict, bool))
        assert not isinstance(value, list) or (
            column in LIST_COLUMNS and not any(isinstance(v, (dict, list)) for v in value)
        )


# --- random Unicode in every column of a CSV -------------------------------------------------------


@BOUNDED
@given(
    rows=st.lists(
        st.lists(st.text(max_size=15), min_size=len(COLUMNS), max_size=len(COLUMNS)),
        min_size=1,
        max_size=4,
    )
)
def test_csv_cells_read_back_as_written(rows: list[list[str]]) -> None:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(["#Ordninger"])
    writer.writerow(COLUMNS)
    writer.writerows(rows)
    result = read(buffer.getvalue().encode("utf-8", "surrogatepass"), ".csv")
    text = buffer.getvalue()
    if isinstance(result, FileRejected):
        code = result.finding.code
        assert (
            "\x00" in text
            or any(0xD800 <= ord(c) <= 0xDFFF for c in text)
            or (
                code == "csv_section_unknown"  # a row that is "#something" alone is a section line
            )
        ), result.finding.format()
        return
    expected = [[c.strip() for c in r] for r in rows]
    got = [cells for _n, cells in result.tables["ordninger"].rows]
    assert got == [r for r in expected if any(r)]


# --- the real command over a handful of hostile files ---------------------------------------------


def _hostile_files(folder: Path) -> dict[str, Path]:
    """Generated, deterministic (seeded): what an outside corpus might throw at the command."""
    rng = random.Random(2026)
    files: dict[str, bytes] = {
        "random.xlsx": rng.randbytes(4000),
        "random.csv": rng.randbytes(4000),
        "random.json": rng.randbytes(4000),
        "zip-noise.xlsx": b"PK\x03\x04" + rng.randbytes(4000),
        "truncated.xlsx": VALID_XLSX[: len(VALID_XLSX) // 2],
        "deep.json": b'{"format": "samarbeid-kartlegging", "versjon": 1, "ordninger": '
        + b"[" * 100_000
        + b"]" * 100_000
        + b"}",
        "million-rows.csv": b"id,navn\n" + b"T,x\n" * 1_000_000,
        "huge-field.csv": b'id,navn\nT-1,"' + b"x" * 2_000_000 + b'"\n',
        os.fsdecode(b"navn-\xff\xfe.csv"): b"id,navn\nT-1,Numedal\n",
    }
    cells = []
    for row_number in range(2, 40):
        for column in sorted(rng.sample(range(1, 30), 5)):
            kind = rng.choice(["n", "s", "b", "e", "str", "d", "x"])
            value = rng.choice(["1e999", "#REF!", "nan", "0", "99999999", "x" * 50, "-", "=1+2"])
            from openpyxl.utils import get_column_letter

            reference = f"{get_column_letter(column)}{row_number}"
            cells.append(
                f'<row r="{row_number}"><c r="{reference}" t="{kind}"><v>{escape(value)}</v></c>'
                "</row>"
            )
    files["random-cells.xlsx"] = workbook(
        {"Ordninger": table(COLUMNS[:28]) + "".join(cells)}, shared=["a"]
    )
    paths = {}
    for name, data in files.items():
        path = folder / name
        path.write_bytes(data)
        paths[name] = path
    return paths


def _samarbeid(args: list[str], var_dir: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(SAMARBEID_VAR_DIR=str(var_dir), PYTHONIOENCODING="utf-8")
    return subprocess.run(
        [sys.executable, "-m", "samarbeid", *args],
        env=env,
        capture_output=True,
        encoding="utf-8",
        errors="replace",
        timeout=300,
        check=False,
    )


@pytest.fixture(scope="session")  # once per worker, whatever runs between this module's tests
def hostile(tmp_path_factory) -> dict[str, tuple[Path, subprocess.CompletedProcess]]:
    folder = tmp_path_factory.mktemp("hostile")
    paths = _hostile_files(folder)
    with ThreadPoolExecutor(max_workers=2) as pool:
        runs = {
            name: pool.submit(_samarbeid, ["check", str(path)], folder / "var")
            for name, path in paths.items()
        }
        return {name: (paths[name], run.result()) for name, run in runs.items()}


@pytest.mark.parametrize(
    "name",
    [
        "random.xlsx",
        "random.csv",
        "random.json",
        "zip-noise.xlsx",
        "truncated.xlsx",
        "deep.json",
        "million-rows.csv",
        "huge-field.csv",
        os.fsdecode(b"navn-\xff\xfe.csv"),
        "random-cells.xlsx",
    ],
    ids=lambda n: n.encode("utf-8", "surrogateescape").decode("ascii", "replace"),
)
def test_check_over_hostile_files_never_fails_internally(hostile, name) -> None:
    _path, done = hostile[name]
    output = done.stdout + done.stderr
    assert done.returncode in (1, 2), output
    assert "Traceback" not in output and "intern feil" not in output, output


def test_a_million_rows_are_refused_not_cut(hostile) -> None:
    _path, done = hostile["million-rows.csv"]
    assert done.returncode == 2
    assert (
        "million-rows.csv, seksjon Ordninger, linje 200001: feil: Arket har data utenfor "
        "grensen på 200\u00a0000 rader per ark." in done.stderr
    )


def test_a_name_that_is_not_utf8_is_printed_safely(hostile) -> None:
    _path, done = hostile[os.fsdecode(b"navn-\xff\xfe.csv")]
    assert "navn-\ufffd\ufffd.csv: " in done.stdout


def test_import_of_a_file_whose_name_is_not_utf8(hostile, tmp_path) -> None:
    path, _done = hostile[os.fsdecode(b"navn-\xff\xfe.csv")]
    done = _samarbeid(["import", str(path), "--mapping", "X"], tmp_path / "var")
    assert done.returncode == 1, done.stderr
    assert "intern feil" not in done.stderr
    with sqlite3.connect(tmp_path / "var" / "samarbeid.sqlite3") as db:
        assert db.execute("SELECT count(*) FROM registry_arrangement").fetchone() == (0,)
    db.close()


def test_hostile_zip_members_are_listed_not_extracted(tmp_path) -> None:
    # A member name with a path (../) or a huge declared size is not a reason to fail internally.
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("../../etc/passwd", b"x")
        archive.writestr("xl/workbook.xml", b"<workbook/>")
    assert isinstance(read(buffer.getvalue(), ".xlsx"), FileRejected)
