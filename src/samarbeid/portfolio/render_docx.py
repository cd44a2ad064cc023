"""An action plan as a Word document (.docx) for councils that edit their papers in Word.

The same content in the same order as the HTML (:mod:`.render_doc`, from :func:`.render_doc.plan_view`):
the title (style Title), the groups and the funding and findings (Heading 1), each project
(Heading 2), milestones and funding as real tables with a repeated header row, the sources small.
Every text from the data is written as a plain run: python-docx stores it as ``w:t`` text, so a
title such as ``=1+1`` or ``@SUM(A1)`` stays text (the only fields are the page numbers of the
footer, written here); characters XML cannot hold are left out.
"""

from __future__ import annotations

import io
import re
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from .render_doc import plan_view

MUTED = RGBColor(0x5B, 0x61, 0x68)
#: The text width of the page (A4 less the margins), shared out between a table's columns.
PAGE_WIDTH = Mm(210)
PAGE_HEIGHT = Mm(297)
MARGIN = Mm(20)
TEXT_WIDTH = PAGE_WIDTH - 2 * MARGIN
#: Characters an XML 1.0 document cannot hold (C0 controls but tab/newline, surrogates, …).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def clean(text: object) -> str:
    """A value as text Word can hold (characters XML forbids are dropped)."""
    return _NOT_XML.sub("", str(text))


def _small(paragraph, text: str):
    run = paragraph.add_run(clean(text))
    run.font.size = Pt(7.5)
    run.font.color.rgb = MUTED
    return run


def _source_line(document, parts: list[tuple[str, str]]) -> None:
    if not parts:
        return
    paragraph = document.add_paragraph()
    _small(paragraph, "; ".join(f"{label}: {source}" for label, source in parts))


def _labelled(document, label: str, text: str) -> None:
    paragraph = document.add_paragraph()
    paragraph.paragraph_format.space_after = Pt(2)
    paragraph.add_run(clean(f"{label}:")).bold = True
    paragraph.add_run(" " + clean(text))


def _caption(document, text: str) -> None:
    paragraph = document.add_paragraph()
    paragraph.paragraph_format.keep_with_next = True
    paragraph.paragraph_format.space_before = Pt(6)
    paragraph.paragraph_format.space_after = Pt(2)
    run = paragraph.add_run(clean(text))
    run.bold = True
    run.font.size = Pt(9)


def _shade(cell, fill: str) -> None:
    properties = cell._tc.get_or_add_tcPr()
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    properties.append(shading)


def _table(
    document, header: list[str], rows: list[list[str]], widths: list[int], numeric: set[int]
) -> None:
    """A table with a bold, shaded header row repeated on every page; ``widths`` in percent."""
    table = document.add_table(rows=1, cols=len(header))
    table.style = document.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    table.autofit = False
    for column, width in zip(table.columns, widths, strict=True):  # the grid, for LibreOffice
        column.width = int(TEXT_WIDTH * width / 100)
    header_row = table.rows[0]
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    header_row._tr.get_or_add_trPr().append(repeat)
    _fill(header_row.cells, header, widths, numeric, heading=True)
    for values in rows:
        _fill(table.add_row().cells, values, widths, numeric, heading=False)
    for row in table.rows:  # a row is never split over two pages
        row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))


def _fill(cells, values: list[str], widths: list[int], numeric: set[int], *, heading: bool) -> None:
    for i, (cell, value) in enumerate(zip(cells, values, strict=True)):
        cell.width = int(TEXT_WIDTH * widths[i] / 100)  # what Word reads
        paragraph = cell.paragraphs[0]
        paragraph.paragraph_format.space_after = Pt(0)
        if i in numeric:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        run = paragraph.add_run(clean(value))
        run.font.size = Pt(9)
        if heading:
            run.bold = True
            _shade(cell, "EEF2F6")


def _funding_table(document, rows: list[list[str]]) -> None:
    header = [_("År"), _("Giver"), _("Søkt"), _("Innvilget"), _("Egenandel")]
    _table(document, header, rows, [18, 30, 17, 18, 17], {2, 3, 4})


def _page_number_field(paragraph, instruction: str) -> None:
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), instruction)
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)


def _page_setup(document, title: str) -> None:
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
    section.left_margin = section.right_margin = MARGIN
    section.top_margin = section.bottom_margin = MARGIN
    section.different_first_page_header_footer = True
    header = section.header.paragraphs[0]
    header.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    _small(header, title)
    # «Side 2 av 3»: the words around the page counters, as in the PDF's footer.
    words = re.split(r"(%\((?:page|pages)\)s)", _("Side %(page)s av %(pages)s"))
    for footer in (section.footer, section.first_page_footer):
        paragraph = footer.paragraphs[0]
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        for part in words:
            if part == "%(page)s":
                _page_number_field(paragraph, "PAGE")
            elif part == "%(pages)s":
                _page_number_field(paragraph, "NUMPAGES")
            elif part:
                _small(paragraph, part)
    normal = document.styles["Normal"]
    normal.font.size = Pt(10)
    language = OxmlElement("w:lang")
    language.set(qn("w:val"), "nb-NO")
    normal.element.get_or_add_rPr().append(language)


def _properties(document, data: dict[str, Any]) -> None:
    properties = document.core_properties
    now = timezone.now().replace(microsecond=0)
    properties.title = clean(data["tittel"])
    properties.subject = clean(f"{data['organ']} {data['ar']}")
    properties.author = clean(data["organ"])
    properties.last_modified_by = "samarbeid"
    properties.language = "nb-NO"
    properties.comments = ""
    properties.revision = 1
    properties.created = properties.modified = now


def _project(document, p: dict[str, Any], year: int) -> None:
    document.add_heading(clean(p["heading"]), level=2)
    for label, value in p["facts"]:
        _labelled(document, label, value)
    if p["this_year"]:
        _labelled(document, _("I %(year)s") % {"year": year}, p["this_year"])
    if p["milestones"]:
        _caption(document, _("Milepæler"))
        header = [_("Milepæl"), _("Når"), _("Frist"), _("Ferdig")]
        _table(document, header, p["milestones"], [52, 22, 13, 13], set())
    if p["funding"]:
        _caption(document, _("Finansiering"))
        _funding_table(document, p["funding"])
    _source_line(document, p["sources"])


def plan_docx(data: dict[str, Any]) -> bytes:
    """The plan as a .docx: Word headings, paragraphs and tables; core properties set."""
    view = plan_view(data)
    document = Document()
    _page_setup(document, view["title"])
    _properties(document, data)
    document.add_heading(clean(view["title"]), level=0)
    byline = document.add_paragraph()
    byline.add_run(clean(view["byline"])).font.color.rgb = MUTED
    if view["summary"]:
        document.add_paragraph(clean(view["summary"]))
    if view["source"]:
        _source_line(document, [(_("Kilde"), view["source"])])
    headings = {
        "videreført": _("Videreførte prosjekter"),
        "nyetablert": _("Nyetablerte prosjekter"),
    }
    for group in view["groups"]:
        document.add_heading(f"{headings[group['category']]} ({len(group['projects'])})", level=1)
        for project in group["projects"]:
            _project(document, project, view["year"])
    document.add_heading(_("Finansiering"), level=1)
    if view["funding"]:
        _funding_table(document, view["funding"])
        _source_line(document, [(_("Kilde"), s) for s in view["funding_sources"]])
    if view["comparison"]:
        document.add_paragraph(clean(view["comparison"]))
    if view["over_time"]:
        _caption(document, _("Finansiering over tid"))
        header = [_("År"), _("Beløp"), _("Endring fra året før")]
        _table(document, header, view["over_time"], [50, 25, 25], {1, 2})
    if not view["funding"] and not view["over_time"]:
        document.add_paragraph(_("Ingen finansiering registrert."))
    if view["findings"]:
        document.add_heading(_("Funn i dokumentet"), level=1)
        for place, message in view["findings"]:
            item = document.add_paragraph(style="List Bullet")
            item.add_run(clean(f"{place}:")).font.color.rgb = MUTED
            item.add_run(" " + clean(message))
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
