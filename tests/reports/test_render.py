"""The report on its own: arrangement into chapters, findings, and every output format."""

from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
from pathlib import Path

import openpyxl
import pytest

from samarbeid.commandbase import UserError
from samarbeid.reports import figures, maps
from samarbeid.reports.build import build_overview, build_report
from samarbeid.reports.cli import parse_formats, resolve_municipality
from samarbeid.reports.fmt import display, number, slug
from samarbeid.reports.render import (
    MISSING_INLINE_MAX,
    render_html,
    render_json,
    render_md,
    render_pdf,
    render_xlsx,
)
from tests.reports.conftest import ink_share, pdf_pages, require_tool


@pytest.fixture
def report(small_data, small_tables):
    return build_report(small_data, tables=small_tables)


def table_ids(report) -> list[str]:
    return [t.id for t in report.tables()]


# --- arrangement -----------------------------------------------------------------------------


def test_chapters_follow_the_method(report) -> None:
    titles = [c.title for c in report.chapters]
    assert titles == [
        "Omfang og avgrensning",
        "Omfang og struktur",
        "Innhold og organisering",
        "Sektorene",
        "Datakvalitet",
    ]
    chapter = {t: report.chapter_of(t).title for t in table_ids(report)}
    assert chapter["per_kommune"] == "Omfang og struktur"
    assert chapter["juridisk_form"] == "Innhold og organisering"
    assert chapter["datakvalitet_mangler"] == "Datakvalitet"
    assert chapter["omfang_avsluttet"] == "Omfang og avgrensning"


def test_scope_chapter_lists_what_counts_and_what_not(report) -> None:
    scope = report.chapters[0]
    by_id = {s.table.id: s.table for s in scope.sections}
    assert by_id["omfang_kommuner"].n == 6
    assert by_id["omfang_status"].rows == [
        ["Telles (formelt samarbeid i drift)", 3],
        ["Avsluttet", 1],
        ["Utenfor definisjonen (telles ikke)", 1],
    ]
    assert by_id["omfang_avsluttet"].rows == [["T-4", "Nedlagt samarbeid", "2020"]]
    assert by_id["omfang_utenfor"].rows == [["T-5", "Fag | nettverk"]]
    assert "6 kommuner i 2 regioner (Hallingdal og Drammensregionen)" in scope.intro[0]
    assert "1. november 2021" in scope.intro[0]


def test_findings_are_filled_only_from_the_tables(report) -> None:
    text = "\n".join(report.findings)
    assert (
        "Kartleggingen omfatter 3 formelle samarbeidsordninger mellom de 6 kommunene per "
        "1. november 2021."
    ) in text
    assert "1 av ordningene (33,3 %) er regionale (4–8 kommuner)" in text
    assert (
        "Ål, Hol, Flå, Drammen og Lier deltar i flest ordninger (2), Modum i færrest (1)." in text
    )
    assert "Snittet er 1,8 ordninger per kommune; 2,0 i kommuner under 5 000 innbyggere" in text
    assert "Vanligste kjente juridiske form er interkommunalt selskap (IKS) (1 ordning)" in text


def test_a_finding_without_its_table_is_left_out(small_data, small_tables) -> None:
    tables = [t for t in small_tables if t.id not in ("geografisk_niva", "juridisk_form")]
    report = build_report(small_data, tables=tables)
    text = "\n".join(report.findings)
    assert "regionale" not in text
    assert "juridiske form" not in text
    assert "Kartleggingen omfatter 3" in text


def test_unknown_table_ids_get_their_own_chapter(small_data, small_tables) -> None:
    from samarbeid.analysis.model import Table

    extra = Table("noe_nytt", "Noe nytt", 1, ["a"], [[1]])
    report = build_report(small_data, tables=[*small_tables, extra])
    assert report.chapter_of("noe_nytt").title == "Andre tabeller"


def test_numbering(report) -> None:
    sections = report.sections()
    assert sections[0].number == "1.1"
    assert [s.number for s in report.chapters[1].sections][:2] == ["2.1", "2.2"]
    figs = [f for s in report.sections() for f in s.figures]
    assert figs and all(re.fullmatch(r"\d+\.\d+", f.number) for f in figs)


# --- formatting ------------------------------------------------------------------------------


def test_norwegian_numbers_and_unknowns() -> None:
    assert number(101859) == "101\u00a0859"
    assert number(12.5) == "12,5"
    assert display(None) == "–"
    assert display(float("nan")) == "–"
    assert display(["a", "b"]) == "a, b"
    assert slug("Øvre Eiker / Ål 2021") == "ovre-eiker-al-2021"


# --- Markdown --------------------------------------------------------------------------------


def test_markdown_is_stable_and_has_every_table_anchor(small_data, small_tables) -> None:
    first = render_md(build_report(small_data, tables=small_tables)).encode()
    second = render_md(build_report(small_data, tables=small_tables)).encode()
    assert first == second
    text = first.decode()
    report = build_report(small_data, tables=small_tables)
    for table in report.tables():
        assert f'<a id="{table.id}"></a>\n\n### ' in text
    assert "## Hovedfunn" in text
    assert dt.date.today().isoformat() not in text


def test_markdown_escapes_pipes_and_prints_n_and_missing(report) -> None:
    text = render_md(report)
    assert "| T-5 | Fag \\| nettverk |" in text
    assert "n = 6." in text
    assert (
        "Mangler data (Ukjent vertskommune), 2 ordninger: T-2 Drammensregionen IKS; "
        "T-3 Alle seks | felles."
    ) in text
    # The same list again: referred to, not repeated.
    assert "Mangler data (Vertskommune ikke kjent): de samme 2 ordningene som i tabell 2.3." in text
    assert "Mangler data: ingen ordninger." in text


def test_long_missing_lists_go_to_the_appendix(small_data, small_tables) -> None:
    from samarbeid.analysis.model import Table

    refs = [f"X-{i:03d}" for i in range(MISSING_INLINE_MAX + 5)]
    long = Table(
        "datakvalitet_lang",
        "Lang liste",
        30,
        ["a"],
        [[1]],
        missing=refs,
        missing_reason="Mangler år.",
    )
    report = build_report(small_data, tables=[*small_tables, long])
    text = render_md(report)
    assert f"Mangler data (Mangler år): {len(refs)} ordninger, listet i vedlegg A.1." in text
    assert "## Vedlegg A Ordninger som mangler data" in text
    assert "- X-024" in text
    html = render_html(report, figures=False)
    assert '<a href="#vedlegg-a-1">vedlegg A.1</a>' in html


# --- JSON ------------------------------------------------------------------------------------


def test_json_has_ids_and_real_numbers(report) -> None:
    data = json.loads(render_json(report))
    assert data["format"] == "samarbeid-rapport"
    assert data["versjon"] == 1
    assert data["kartlegging"]["navn"] == "Test 2021"
    assert data["kartlegging"]["dato"] == "2021-11-01"
    tables = {t["id"]: t for t in data["tabeller"]}
    assert set(table_ids(report)) == set(tables)
    per = tables["per_kommune"]
    assert per["n"] == 6
    assert per["columns"][:2] == ["kommunenummer", "kommune"]
    assert per["rows"][0] == ["3043", "Ål", 4648, 2, 1, 0]
    assert per["ids"][0] == ["T-1", "T-3"]
    assert per["missing"] == ["T-2", "T-3"]
    assert tables["geografisk_niva"]["rows"][0][2] == 66.7
    # NaN is not JSON: an unknown share is null.
    assert tables["arsverk"]["rows"][1][3] is None
    assert render_json(report) == render_json(report)


# --- xlsx ------------------------------------------------------------------------------------


def test_xlsx_contents_sheet_numbers_and_header(tmp_path: Path, report) -> None:
    path = tmp_path / "r.xlsx"
    path.write_bytes(render_xlsx(report))
    book = openpyxl.load_workbook(path)
    assert book.sheetnames[0] == "Innhold"
    contents = book["Innhold"]
    assert [c.value for c in contents[1]][:4] == ["Tabell", "Id", "Tittel", "n"]
    listed = [contents.cell(row=r, column=2).value for r in range(2, len(report.tables()) + 2)]
    assert listed == table_ids(report)
    assert contents.cell(row=2, column=4).data_type == "n"
    sheet = book["per_kommune"]
    assert sheet.freeze_panes == "A2"
    assert all(c.font.bold for c in sheet[1])
    assert [c.value for c in sheet[1]][:4] == ["Nr.", "Kommune", "Innbyggere", "Ordninger"]
    row = [c for c in sheet[2]]
    assert row[0].value == "3043" and row[0].data_type == "s"
    assert row[2].value == 4648 and row[2].data_type == "n"
    assert book["geografisk_niva"]["C2"].value == 66.7
    assert book["arsverk"]["D3"].value is None  # unknown stays empty, not 0


def test_xlsx_opens_in_libreoffice(tmp_path: Path, report) -> None:
    soffice = require_tool("soffice")
    path = tmp_path / "rapport.xlsx"
    path.write_bytes(render_xlsx(report))
    profile = (tmp_path / "lo-profile").as_uri()
    result = subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path / "lo"),
            str(path),
        ],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    pdf = tmp_path / "lo" / "rapport.pdf"
    assert result.returncode == 0, result.stderr
    assert pdf.exists() and pdf.stat().st_size > 1000, result.stdout + result.stderr
    pages = pdf_pages(pdf, tmp_path / "lo-png")
    assert len(pages) >= 2


# --- HTML and PDF ----------------------------------------------------------------------------


def test_html_is_self_contained_and_accessible(report) -> None:
    html = render_html(report)
    assert html.startswith("<!DOCTYPE html>")
    assert '<html lang="nb">' in html
    assert "<style>" in html and "<link" not in html and "<script" not in html
    assert "http://" not in html.replace('xmlns="http://www.w3.org/2000/svg"', "").replace(
        'xmlns:xlink="http://www.w3.org/1999/xlink"', ""
    )
    assert html.count("<caption>") >= len(report.tables())
    assert '<th scope="col"' in html
    assert '<svg role="img" aria-labelledby=' in html
    assert "<figcaption" in html
    assert "<?xml" not in html
    assert render_html(report) == html  # no timestamps, deterministic SVG


def test_pdf_has_pages_with_ink(tmp_path: Path, report) -> None:
    pdf = tmp_path / "r.pdf"
    render_pdf(report, pdf)
    assert pdf.read_bytes().startswith(b"%PDF")
    pages = pdf_pages(pdf, tmp_path / "png")
    assert len(pages) >= 5  # title, contents, findings, chapters
    assert all(ink_share(p) > 0.002 for p in pages)


# --- figures ---------------------------------------------------------------------------------


def test_charts_are_deterministic_svg() -> None:
    a = figures.bar_chart("f", ["Ål", "Hol"], [2, 3], horizontal=True)
    b = figures.bar_chart("f", ["Ål", "Hol"], [2, 3], horizontal=True)
    assert a == b
    assert a.startswith("<svg") and "<metadata>" not in a and "Date" not in a
    assert "Ål" in a  # text stays text


def test_map_uses_the_boundaries_of_the_mapping_date() -> None:
    assert maps.boundary_file(dt.date(2021, 11, 1)) == "kommuner_2020.geojson"
    assert maps.boundary_file(dt.date(2024, 1, 1)) == "kommuner_2024.geojson"
    svg, absent = maps.choropleth(
        "k", {"3043": 2, "3044": 3, "9999": 1}, {"3043": "Ål", "3044": "Hol"}, dt.date(2021, 11, 1)
    )
    assert absent == ["9999"]
    assert ">Ål" in svg or "Ål\n" in svg or "Ål" in svg
    again, _ = maps.choropleth(
        "k", {"3043": 2, "3044": 3, "9999": 1}, {"3043": "Ål", "3044": "Hol"}, dt.date(2021, 11, 1)
    )
    assert svg == again
    # 2024 numbers: Drammen is 3301 in the 2024 file
    svg24, absent24 = maps.choropleth("k", {"3301": 5}, {"3301": "Drammen"}, dt.date(2024, 6, 1))
    assert absent24 == [] and svg24


def test_map_projection_keeps_shapes() -> None:
    """Equal-area-ish: a municipality's drawn width/height ratio matches its real one."""
    import math

    shapes = maps.load_shapes("kommuner_2020.geojson")
    hol = shapes["3044"]
    scale = maps.projection_scale([hol])
    lon0, lat0, lon1, lat1 = hol.bbox
    drawn = (lon1 - lon0) * scale / (lat1 - lat0)
    real = (lon1 - lon0) * math.cos(math.radians((lat0 + lat1) / 2)) / (lat1 - lat0)
    assert abs(drawn - real) < 1e-9


# --- municipality lookup and formats ---------------------------------------------------------


def test_resolve_municipality_by_number_or_exact_name(small_data) -> None:
    assert resolve_municipality(small_data, "3043") == "0619@"
    assert resolve_municipality(small_data, "Ål") == "0619@"
    assert resolve_municipality(small_data, "  ål ") == "0619@"
    assert resolve_municipality(small_data, "Ål (3043)") == "0619@"
    with pytest.raises(UserError) as error:
        resolve_municipality(small_data, "Våler")
    assert "Fant ingen kommune «Våler»" in str(error.value)
    assert "Ål (3043)" in str(error.value)
    with pytest.raises(UserError) as error:
        resolve_municipality(small_data, "Drammn")
    assert "Mente du «Drammen»?" in str(error.value)
    with pytest.raises(UserError):
        resolve_municipality(small_data, "Dram")  # never a substring match
    with pytest.raises(UserError):
        resolve_municipality(small_data, "9999")


def test_parse_formats() -> None:
    assert parse_formats(None) == ["html", "pdf"]
    assert parse_formats(["md,json", "md", "XLSX"]) == ["md", "json", "xlsx"]
    with pytest.raises(UserError) as error:
        parse_formats(["docx"])
    assert error.value.returncode == 2


def test_overview_report(small_data) -> None:
    report = build_overview(small_data, "0619@")
    assert report.title == "Ål: interkommunalt samarbeid"
    assert report.slug == "test-2021-oversikt-3043-al"
    text = render_md(report)
    assert "Ål deltar i 2 tellende samarbeidsordninger per 1. november 2021." in text
    assert "Hallingdal barnevern" in text and "Drammensregionen IKS" not in text
