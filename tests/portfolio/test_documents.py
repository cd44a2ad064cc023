"""The action plan as the document a council files: HTML, PDF and Word, from the real Grenland
2021 plan (seven projects in two groups, milestones with quarters, funding 2 400 000 → 2 200 000),
and hostile text from the database that stays text in every format."""

from __future__ import annotations

import datetime as dt
import io
import re
import subprocess
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import docx
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from samarbeid.portfolio.cli import find_body, find_plan
from samarbeid.portfolio.loader import load_examples
from samarbeid.portfolio.models import ActionPlan, CooperationBody, Milestone, PlanProject, Project
from samarbeid.portfolio.plan_data import plan_data
from samarbeid.portfolio.render_doc import plan_html, plan_pdf
from samarbeid.portfolio.render_docx import plan_docx
from tests.outputs.hostile import PAYLOADS
from tests.reports.conftest import require_tool
from tests.test_cli import run

pytestmark = pytest.mark.django_db

TITLES = [
    "eByggeSak",
    "Velferdsteknologi",
    "DigiTV",
    "Portal for miljø og helse",
    "Beredskapsvarsling",
    "Samarbeid i beredskapssituasjoner",
    "Anskaffelse av saksbehandlingsverktøy",
]
NBSP = "\u00a0"
SCRIPT = "<script>alert(1)</script>"


@pytest.fixture
def grenland() -> dict:
    load_examples(lambda _line: None)
    plan = find_plan(find_body("Grenlandssamarbeidet"), 2021)
    return plan_data(plan, dt.date(2022, 6, 1))


def _flat(text: str) -> str:
    """Extracted text with no-break spaces as spaces and lines joined (a title may wrap)."""
    return re.sub(r"\s+", " ", text.replace(NBSP, " "))


class _Outline(HTMLParser):
    """The headings (h1–h3) and the table header cells of an HTML page, in order."""

    def __init__(self) -> None:
        super().__init__()
        self.headings: list[tuple[int, str]] = []
        self.header_rows: list[list[str]] = []
        self._tag: str | None = None
        self._text = ""

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag == "thead":
            self.header_rows.append([])
        if tag in {"h1", "h2", "h3", "th"}:
            self._tag, self._text = tag, ""

    def handle_data(self, data: str) -> None:
        if self._tag:
            self._text += data

    def handle_endtag(self, tag: str) -> None:
        if tag == self._tag:
            if tag == "th":
                self.header_rows[-1].append(self._text.strip())
            else:
                self.headings.append((int(tag[1]), " ".join(self._text.split())))
            self._tag = None


def _outline(html: str) -> _Outline:
    parser = _Outline()
    parser.feed(html)
    return parser


def _docx_outline(document) -> tuple[list[tuple[int, str]], list[list[str]]]:
    levels = {"Title": 1, "Heading 1": 2, "Heading 2": 3}
    headings = [
        (levels[p.style.name], p.text) for p in document.paragraphs if p.style.name in levels
    ]
    return headings, [[c.text for c in t.rows[0].cells] for t in document.tables]


def test_the_pdf_has_the_whole_plan(grenland, tmp_path: Path) -> None:
    pdftotext = require_tool("pdftotext")
    pdf = tmp_path / "plan.pdf"
    pdf.write_bytes(plan_pdf(grenland))
    raw = subprocess.run(
        [pdftotext, "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    text = _flat(raw)
    for title in TITLES:
        assert title in text
    assert "Videreførte prosjekter (5)" in text and "Nyetablerte prosjekter (2)" in text
    assert text.index("Videreførte prosjekter") < text.index("eByggeSak")
    assert text.index("Beredskapsvarsling") < text.index("Nyetablerte prosjekter")
    assert "1.–2. kvartal 2021" in text and "første kvartal 2022" in text
    assert "30.06.2021" in text  # the last day the quarter allows, as dd.mm.yyyy
    assert "kr 2 400 000 → kr 2 200 000 (endring −kr 200 000)" in text
    assert "Søker midler: nei" in text
    pages = raw.split("\f")[:-1]
    assert len(pages) >= 2
    assert f"Side 1 av {len(pages)}" in _flat(pages[0])
    assert f"Side {len(pages)} av {len(pages)}" in _flat(pages[-1])
    # The running title is on the pages after the first.
    assert _flat(pages[1]).strip().startswith("Handlingsplan for Grenlandssamarbeidet 2021")


def test_the_html_is_a_standalone_document(grenland) -> None:
    html = plan_html(grenland)
    assert html.startswith("<!DOCTYPE html>") and '<html lang="nb">' in html
    assert "@page" in html and "counter(page)" in html and "size: A4" in html
    assert '"Side " counter(page) " av " counter(pages)' in html
    assert '@top-right { content: "Handlingsplan for Grenlandssamarbeidet 2021";' in html
    assert "Vedtatt (vedtaksorgan og dato er ikke oppgitt i kilden)" in html
    assert f"kr{NBSP}2{NBSP}400{NBSP}000" in html and f"\u2212kr{NBSP}200{NBSP}000" in html
    assert "<dt>Søker midler:</dt><dd>nei</dd>" in html
    assert '<td>1.–2. kvartal 2021</td><td class="nowrap">30.06.2021</td>' in html
    outline = _outline(html)
    assert outline.headings[:3] == [
        (1, "Handlingsplan for Grenlandssamarbeidet 2021"),
        (2, "Videreførte prosjekter (5)"),
        (3, "2.2.1 eByggeSak"),
    ]
    assert [h for h in outline.headings if h[0] == 2] == [
        (2, "Videreførte prosjekter (5)"),
        (2, "Nyetablerte prosjekter (2)"),
        (2, "Finansiering"),
        (2, "Funn i dokumentet"),
    ]
    assert [h[1].split(" ", 1)[1] for h in outline.headings if h[0] == 3] == TITLES
    assert "Avsnitt 2.1 mangler: nummereringen hopper til 2.2." in html


def test_the_status_line_says_who_approved_and_when(grenland) -> None:
    approved = {**grenland, "vedtatt_av": "Regionrådet", "vedtatt_dato": "2021-03-12"}
    assert "Grenlandssamarbeidet · 2021 · Vedtatt av Regionrådet 12.03.2021" in plan_html(approved)
    draft = {**grenland, "status": "utkast"}
    assert "Grenlandssamarbeidet · 2021 · Utkast</p>" in plan_html(draft)
    unknown = {**grenland, "prosjekter": [{**grenland["prosjekter"][0], "soker_midler": None}]}
    assert "<dt>Søker midler:</dt><dd>ikke kjent</dd>" in plan_html(unknown)


def test_the_word_file_has_headings_tables_and_properties(grenland) -> None:
    document = docx.Document(io.BytesIO(plan_docx(grenland)))
    headings, header_rows = _docx_outline(document)
    assert headings[0] == (1, "Handlingsplan for Grenlandssamarbeidet 2021")
    assert [h for h in headings if h[0] == 2] == [
        (2, "Videreførte prosjekter (5)"),
        (2, "Nyetablerte prosjekter (2)"),
        (2, "Finansiering"),
        (2, "Funn i dokumentet"),
    ]
    assert next(h[1] for h in headings if h[0] == 3) == "2.2.1 eByggeSak"
    assert [h[1].split(" ", 1)[1] for h in headings if h[0] == 3] == TITLES
    milestones = [t for t in document.tables if t.rows[0].cells[0].text == "Milepæl"]
    assert len(milestones) == 5  # the projects with milestones
    assert all(header == ["Milepæl", "Når", "Frist", "Ferdig"] for header in header_rows[:5])
    assert [c.text for c in milestones[0].rows[1].cells] == [
        "Gjennomgang/revisjon av anbudsdokumenter til neste utlysning",
        "1.–2. kvartal 2021",
        "30.06.2021",
        "–",
    ]
    assert header_rows[-2:] == [
        ["År", "Giver", "Søkt", "Innvilget", "Egenandel"],
        ["År", "Beløp", "Endring fra året før"],
    ]
    over_time = document.tables[-1]
    assert [c.text for c in over_time.rows[2].cells] == [
        "2021",
        f"kr{NBSP}2{NBSP}200{NBSP}000",
        f"\u2212kr{NBSP}200{NBSP}000",
    ]
    texts = [p.text for p in document.paragraphs]
    assert "Søker midler: nei" in texts
    assert any("kr 2 400 000 → kr 2 200 000" in t.replace(NBSP, " ") for t in texts)
    properties = document.core_properties
    assert properties.title == "Handlingsplan for Grenlandssamarbeidet 2021"
    assert properties.language == "nb-NO"
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)


def test_html_and_word_have_the_same_outline(grenland) -> None:
    html = _outline(plan_html(grenland))
    headings, header_rows = _docx_outline(docx.Document(io.BytesIO(plan_docx(grenland))))
    assert headings == html.headings
    assert header_rows == html.header_rows


def _hostile_plan(title: str, other: str) -> dict:
    body = CooperationBody.objects.create(name="Organ", source="x")
    plan = ActionPlan.objects.create(body=body, year=2026, title=other, summary=other, source=other)
    for code, text in (("1", title), ("2", other)):
        project = Project.objects.create(
            body=body, code=code, title=text, owner=other, responsible=other, source=other
        )
        PlanProject.objects.create(
            plan=plan, project=project, category="nyetablert", this_year=other
        )
        Milestone.objects.create(project=project, plan=plan, text=other, when=other, source=other)
    return plan_data(plan, dt.date(2026, 1, 1))


def test_hostile_titles_stay_text() -> None:
    data = _hostile_plan(SCRIPT, "=1+1")
    html = plan_html(data)
    assert "<script" not in html
    assert "<h3>1 &lt;script&gt;alert(1)&lt;/script&gt;</h3>" in html
    assert "<h3>2 =1+1</h3>" in html and "<title>=1+1</title>" in html
    content = plan_docx(data)
    document = docx.Document(io.BytesIO(content))
    headings, _ = _docx_outline(document)
    assert (3, f"1 {SCRIPT}") in headings and (3, "2 =1+1") in headings
    assert document.core_properties.title == "=1+1"
    assert [c.text for c in document.tables[0].rows[1].cells][:2] == ["=1+1", "=1+1"]
    with zipfile.ZipFile(io.BytesIO(content)) as package:
        body = package.read("word/document.xml").decode("utf-8")
        footers = [package.read(n).decode() for n in package.namelist() if "footer" in n]
    # No field in the text: the only fields are the footer's page numbers.
    assert not re.search(r"fldSimple|fldChar|instrText", body)
    assert {m for f in footers for m in re.findall(r'w:instr="([^"]*)"', f)} == {
        "PAGE",
        "NUMPAGES",
    }
    assert "&lt;script&gt;" in body


# Control characters never pass the input boundary, and PostgreSQL stores no NUL at all; if one
# reached the database anyway (SQLite), the documents would still drop it.
CONTROL = "soh\x01byte\x07bell"


@pytest.mark.parametrize("payload", [*PAYLOADS, CONTROL])
def test_every_payload_in_every_field(payload: str) -> None:
    data = _hostile_plan(payload, payload)
    html = plan_html(data)
    assert "<script" not in html
    outline = _outline(html)
    assert outline.headings[0] == (1, " ".join(payload.split()))
    document = docx.Document(io.BytesIO(plan_docx(data)))
    kept = re.sub("[\x00-\x08]", "", payload)
    assert document.paragraphs[0].text.replace("\n", "\r") in {kept, kept.replace("\r", "\n")}


def test_the_command_writes_pdf_and_word_files(tmp_path: Path) -> None:
    load_examples(lambda _line: None)
    for fmt, magic in (("pdf", b"%PDF-"), ("docx", b"PK")):
        out = tmp_path / f"plan.{fmt}"
        stderr = io.StringIO()
        call_command(
            "action_plan",
            organ="Grenlandssamarbeidet",
            aar=2021,
            format=fmt,
            out=str(out),
            stderr=stderr,
        )
        assert out.read_bytes().startswith(magic) and f"Skrev {out}" in stderr.getvalue()
    titles = [p.text for p in docx.Document(str(tmp_path / "plan.docx")).paragraphs]
    assert "2.3.2 Anskaffelse av saksbehandlingsverktøy" in titles
    html = io.StringIO()
    call_command("action_plan", organ="Grenlandssamarbeidet", aar=2021, format="html", stdout=html)
    assert "<h3>2.2.3 DigiTV</h3>" in html.getvalue()
    with pytest.raises(CommandError, match="Formatet pdf er en fil") as refused:
        call_command("action_plan", organ="Grenlandssamarbeidet", aar=2021, format="pdf")
    assert refused.value.returncode == 2


def test_the_command_line_refuses_a_binary_format_on_the_screen(tmp_path: Path) -> None:
    result = run(
        ["handlingsplan", "--organ", "Grenlandssamarbeidet", "--aar", "2021", "--format", "docx"],
        tmp_path,
    )
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr == (
        "samarbeid handlingsplan: Formatet docx er en fil og kan ikke skrives til skjermen. "
        "Oppgi filen med --out, f.eks. --out handlingsplan.docx.\n"
    )


def test_the_other_portfolio_commands_keep_their_formats(tmp_path: Path) -> None:
    """Only the plan is a document: ``samarbeid organ`` still offers md and json alone."""
    result = run(["organ", "--organ", "Grenlandssamarbeidet", "--format", "pdf"], tmp_path)
    assert result.returncode == 2 and "invalid choice: 'pdf'" in result.stderr
