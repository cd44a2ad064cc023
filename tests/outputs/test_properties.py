"""Property tests of the writers: whatever text a cell holds, no file holds a live formula or raw
HTML, every xlsx opens, and nothing is cut or changed without a word.

Texts are drawn from all of Unicode (control characters included), with formula starts, HTML and
Markdown syntax mixed in, and some as long as Excel's cell limit and beyond. Bounded: 50 examples
per test (``deadline=None``: a long text takes a moment to write).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from pathlib import Path

import openpyxl
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from samarbeid.analysis.model import Table
from samarbeid.core import cells
from samarbeid.intake.writers import write_csv, write_xlsx
from samarbeid.reports.model import Chapter, Report, Section
from samarbeid.reports.render_md import render_md
from samarbeid.reports.render_xlsx import render_xlsx

from .scan import csv_problems, md_problems, xlsx_problems

STARTS = [
    "=",
    "+",
    "-",
    "@",
    "\t",
    "\r",
    "\n",
    " =",
    "\u200b=",
    "'",
    "''=",
    "'+",
    "<script>",
    "<!--",
    "|",
    "# ",
    "1. ",
    "[x](javascript:alert(1))",
    "&lt;",
    "`",
    "-5",
    "+47",
]
PROFILE = settings(
    max_examples=50,
    deadline=None,
    phases=[Phase.explicit, Phase.reuse, Phase.generate, Phase.shrink],  # no slow "explain"
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

short = st.text(max_size=30)
started = st.builds(lambda a, b: a + b, st.sampled_from(STARTS), short)
long = st.builds(
    lambda start, fill, n, end: start + (fill * n)[:n] + end,
    st.sampled_from(STARTS),
    st.sampled_from(["x", "=", " ", "æ", "-", "ab|<"]),
    st.integers(min_value=32_700, max_value=33_000),
    short,
)
texts = st.one_of(short, started, started, long)


def _report(values: list[str]) -> Report:
    table = Table(
        id="t1",
        title=values[0],
        n=len(values),
        columns=["navn", "antall"],
        rows=[[v, i] for i, v in enumerate(values)],
        ids=[[f"R-{i}"] for i in range(len(values))],
        missing=["R-0"],
        missing_reason=values[-1],
        caption=values[-1],
        note=values[0],
    )
    return Report(
        kind="rapport",
        title=values[0],
        subtitle=values[-1],
        date=dt.date(2021, 11, 1),
        slug="test",
        meta={},
        findings=list(values),
        chapters=[
            Chapter(
                id="k1",
                title=values[0],
                number="1",
                intro=list(values),
                sections=[Section(table=table, number="1.1")],
            )
        ],
        names={"R-0": values[0]},
        facts=[(values[0], values[-1])],
    )


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _as_xlsx_holds(text: str) -> str:
    """The text as a report's xlsx holds it: a CR as a LF (as XML reads it back), control
    characters that XML cannot hold as U+FFFD."""
    return _CONTROL.sub("\ufffd", text).replace("\r\n", "\n").replace("\r", "\n")


@PROFILE
@given(st.lists(texts, min_size=1, max_size=4))
def test_report_xlsx_and_md_hold_no_live_formula_and_no_raw_html(values: list[str]) -> None:
    report = _report(values)
    data = render_xlsx(report)
    assert xlsx_problems(data, "rapport.xlsx") == []
    book = openpyxl.load_workbook(io.BytesIO(data))
    sheet = book["t1"]
    for i, value in enumerate(values, start=2):
        got = sheet.cell(row=i, column=1).value
        expected = _as_xlsx_holds(value)
        if got is not None and "står i arket «Lange tekster»" in got:
            parts = [
                row[2]
                for row in book[cells.LONG_TEXT_SHEET].iter_rows(min_row=2, values_only=True)
                if row[0] == f"'t1'!A{i}"
            ]
            got = "".join(cells.unescape(part) for part in parts)
        else:
            got = cells.unescape(got or "")
            assert len(sheet.cell(row=i, column=1).value or "") <= cells.EXCEL_MAX_CHARS
        assert got == expected  # nothing cut, nothing changed

    text = render_md(report)
    assert md_problems(text, "rapport.md") == []
    rows = [line for line in text.split("\n") if line.startswith("| ")]  # not the |---:| line
    assert len(rows) == 1 + len(values)  # no value ends its row or adds one
    for row in rows:
        assert len(re.findall(r"(?<!\\)\|", row)) == 3  # no value adds a column


@PROFILE
@given(st.lists(texts, min_size=1, max_size=3))
def test_mapping_file_round_trips_or_is_refused_whole(tmp_path_factory, values: list[str]) -> None:
    folder: Path = tmp_path_factory.mktemp("fil")
    tables = {
        "Kartlegging": [{"felt": "navn", "verdi": values[0]}],
        "Kommuner": [],
        "Ordninger": [{"id": f"A{i}", "navn": v, "merknader": v} for i, v in enumerate(values)],
        "Deltakere": [],
    }
    write_csv(tables, folder / "f.csv")
    data = (folder / "f.csv").read_bytes()
    assert csv_problems(data, "f.csv") == []
    lines = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    start = lines.index(["#Ordninger"]) + 2
    assert [cells.unescape(row[1]) for row in lines[start : start + len(values)]] == values

    refused = any(
        re.search(r"[\x00-\x08\x0b-\x1f]", v) or len(cells.neutralise(v)) > cells.EXCEL_MAX_CHARS
        for v in values
    )
    out = folder / "f.xlsx"
    try:
        write_xlsx(tables, out)
    except cells.CellRefused as error:
        assert refused, error
        assert not out.exists()  # nothing half-written
        return
    assert not refused
    data = out.read_bytes()
    assert xlsx_problems(data, "f.xlsx") == []
    sheet = openpyxl.load_workbook(io.BytesIO(data))["Ordninger"]
    got = [cells.unescape(sheet.cell(row=i + 2, column=2).value or "") for i in range(len(values))]
    assert got == values


@PROFILE
@given(st.lists(st.lists(texts | st.integers() | st.none(), max_size=4), max_size=4))
def test_csv_writer_neutralises_every_cell(rows: list[list[object]]) -> None:
    data = cells.csv_bytes(rows)
    assert csv_problems(data, "x.csv") == []
    back = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert [[cells.unescape(v) for v in row] for row in back] == [
        ["" if v is None else str(v) for v in row] for row in rows
    ]
