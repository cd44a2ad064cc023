"""Properties of the plan file, with hypothesis: any text the input boundary takes as it is
survives export → import unchanged, in xlsx and json; and no text becomes a live formula in the
export — a formula-like text is written with an apostrophe, and read back it is refused as a
formula (never stored)."""

from __future__ import annotations

import io
import os

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from samarbeid.core.cells import is_formula_like, looks_like_formula
from samarbeid.portfolio.models import CooperationBody
from samarbeid.portfolio.planfile.exporter import json_bytes, xlsx_bytes
from samarbeid.portfolio.planfile.reader import read_plan_file
from samarbeid.portfolio.planfile.schema import PROJECTS, SHEETS
from samarbeid.portfolio.planfile.validate_rows import check_plan
from samarbeid.rules.boundary import clean_cell

pytestmark = pytest.mark.django_db
EXAMPLES = int(os.environ.get("SAMARBEID_HYPOTHESIS_EXAMPLES", "40"))
SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
#: Text as people and programs write it: letters of any script, digits, punctuation, spaces,
#: line breaks, and the characters that start formulas.
TEXT = st.text(
    alphabet=st.one_of(
        st.characters(codec="utf-8", exclude_categories=("Cs",)),
        st.sampled_from("=+-@'\n\t æøåÆØÅ"),
    ),
    min_size=1,
    max_size=80,
)


def tables(**project: str) -> dict[str, list[dict[str, str]]]:
    """The smallest plan file: the plan and one project (with ``project``'s cells)."""
    return {
        **{sheet.name: [] for sheet in SHEETS},
        "Plan": [
            {
                "organ": "Testrådet",
                "ar": "2024",
                "tittel": "Handlingsplan 2024",
                "status": "utkast",
                "kilde": "Plan 2024",
            }
        ],
        "Prosjekter": [
            {
                "kode": "P1",
                "tittel": "Prosjekt",
                "kategori": "nyetablert",
                "kilde": "Plan 2024, avsnitt 2",
                **project,
            }
        ],
    }


@pytest.fixture
def body(db) -> CooperationBody:
    return CooperationBody.objects.create(name="Testrådet", source="Test")


def _check(tmp_path, name: str, data: bytes):
    path = tmp_path / name
    path.write_bytes(data)
    return check_plan(read_plan_file(path))


@SETTINGS
@given(title=TEXT, description=TEXT)
def test_any_clean_text_survives_export_and_import(body, tmp_path, title, description) -> None:
    for column, text in (("tittel", title), ("beskrivelse", description)):
        cleaned, issues = clean_cell(PROJECTS.column(column), text)
        if (cleaned, issues) != (text, []):
            return  # the boundary changes or refuses it: not a value the registry holds
    file = tables(tittel=title, beskrivelse=description)
    for name, data in (("p.xlsx", xlsx_bytes(file)), ("p.json", json_bytes(file))):
        result = _check(tmp_path, name, data)
        assert result.errors == [], [f.format() for f in result.errors]
        values = result.spec.projects[0].values
        assert (values["title"], values["description"]) == (title, description)


#: Text an xlsx cell can hold (no control characters but tab and line feed).
CELL_TEXT = st.text(
    alphabet=st.one_of(
        st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")),
        st.sampled_from("=+-@'\n\t æøå"),
    ),
    max_size=80,
)


@SETTINGS
@given(start=st.sampled_from("=+-@"), rest=CELL_TEXT)
def test_no_live_formula_in_the_export(body, tmp_path, start, rest) -> None:
    owner = (start + rest).replace("\n", " ")[:300]
    data = xlsx_bytes(tables(eier=owner))
    book = openpyxl.load_workbook(io.BytesIO(data))
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
    written = book["Prosjekter"]["F2"].value
    if is_formula_like(owner.lstrip("'")):
        assert written == "'" + owner
    cleaned, _ = clean_cell(PROJECTS.column("eier"), owner)
    if looks_like_formula(cleaned.lstrip("'")):
        result = _check(tmp_path, "p.xlsx", data)
        assert [(f.code, f.sheet, f.row, f.column) for f in result.errors] == [
            ("formula", "Prosjekter", 2, "eier")
        ]
