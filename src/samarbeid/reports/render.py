"""Render a :class:`~samarbeid.reports.model.Report` as HTML, PDF, xlsx, Markdown or JSON.

Same report → same bytes for HTML, Markdown and JSON (no timestamps: the mapping's date is the
only date). The PDF is WeasyPrint's rendering of the same HTML with the print stylesheet. HTML
escapes every text from the report (Jinja's autoescape, :func:`html.escape` in the tables);
Markdown (:mod:`.render_md`) and xlsx (:mod:`.render_xlsx`) have their own modules.
"""

from __future__ import annotations

import io
import json
import re
from functools import lru_cache
from html import escape
from pathlib import Path
from typing import Any

from markupsafe import Markup

from samarbeid.analysis.model import Table

from .fmt import is_number, number, plain
from .labels import column_label
from .model import Figure, Report, Section
from .plan import MISSING_INLINE_MAX, MissingList, cell_text, missing_plan
from .render_md import render_md
from .render_xlsx import render_xlsx
from .styles import CSS

__all__ = [
    "FORMATS",
    "MISSING_INLINE_MAX",
    "cell_text",
    "missing_plan",
    "render",
    "render_html",
    "render_json",
    "render_md",
    "render_pdf",
    "render_xlsx",
    "write",
]

FORMATS = ("html", "pdf", "xlsx", "md", "json")
JSON_FORMAT = "samarbeid-rapport"
JSON_VERSION = 1

#: Long, narrow tables are printed with their rows in side-by-side column groups.
SPLIT_MIN_ROWS = 30
SPLIT_MAX_COLUMNS = 3
SPLIT_MAX_CELL = 28
#: Text width of a portrait and a landscape A4 page, in em of the print table font (7.6 pt).
PAGE_EM = 66.0
PAGE_EM_WIDE = 98.0


# ---------------------------------------------------------------------------------------------
# HTML


def _table_html(section: Section, media: str = "all") -> str:
    table = section.table
    numeric = [
        any(is_number(plain(r[i])) for r in table.rows if i < len(r))
        and all(plain(r[i]) is None or is_number(plain(r[i])) for r in table.rows if i < len(r))
        for i in range(len(table.columns))
    ]
    caption = (
        f"<caption>Tabell {escape(section.number)}. {escape(table.title)} "
        f'<span class="n-inline">(n = {number(table.n)})</span></caption>'
    )

    def header(groups: int) -> str:
        cells = []
        for g in range(groups):
            for i, col in enumerate(table.columns):
                classes = " ".join(
                    c
                    for c in ("num" if numeric[i] else "", "group-start" if g and i == 0 else "")
                    if c
                )
                attr = f' class="{classes}"' if classes else ""
                cells.append(f'<th scope="col"{attr}>{escape(column_label(col))}</th>')
        return "<thead><tr>" + "".join(cells) + "</tr></thead>"

    def cells(row: list[Any], group_start: bool) -> str:
        out = []
        for i, value in enumerate(row):
            text = escape(cell_text(table, i, value))
            classes = []
            if numeric[i]:
                classes.append("num")
            elif len(text) > 60:
                classes.append("wide")
            elif len(text) <= 12:
                classes.append("short")
            if group_start and i == 0:
                classes.append("group-start")
            attr = f' class="{" ".join(classes)}"' if classes else ""
            tag = "th" if i == 0 and not numeric[0] else "td"
            scope = ' scope="row"' if tag == "th" else ""
            out.append(f"<{tag}{scope}{attr}>{text}</{tag}>")
        return "".join(out)

    body = "".join(f"<tr>{cells(list(r), False)}</tr>" for r in table.rows)
    if not table.rows:
        body = f'<tr><td colspan="{max(len(table.columns), 1)}">Ingen rader.</td></tr>'
    weights = column_weights(table)
    total_weight = sum(weights) or 1
    colgroup = (
        "<colgroup>"
        + "".join(f'<col style="width: {100 * w / total_weight:.1f}%">' for w in weights)
        + "</colgroup>"
    )
    screen = (
        f'<div class="table-wrap"><table>{caption}{colgroup}{header(1)}<tbody>{body}</tbody>'
        "</table></div>"
    )
    groups = _split_groups(table)
    if groups < 2:
        return screen
    per = -(-len(table.rows) // groups)
    rows_html = []
    for i in range(per):
        parts = []
        for g in range(groups):
            j = i * groups + g
            if j < len(table.rows):
                parts.append(cells(list(table.rows[j]), g > 0))
            else:
                parts.append("".join("<td></td>" for _ in table.columns))
        rows_html.append("<tr>" + "".join(parts) + "</tr>")
    widths = column_weights(table, PAGE_EM / groups, cap=12)
    total = sum(widths) * groups
    cols = "".join(
        f'<col style="width: {100 * w / total:.1f}%">' for _ in range(groups) for w in widths
    )
    printed = (
        f'<div class="table-wrap print-only"><table class="split">{caption}'
        f"<colgroup>{cols}</colgroup>{header(groups)}<tbody>"
        + "".join(rows_html)
        + "</tbody></table></div>"
    )
    if media == "print":
        return printed.replace('<div class="table-wrap print-only">', '<div class="table-wrap">', 1)
    return (
        screen.replace('<div class="table-wrap">', '<div class="table-wrap screen-only">', 1)
        + printed
    )


def _reflist_html(entry: MissingList, names: dict[str, str]) -> str:
    """An appendix list as a two-column-group table (id, name | id, name): compact in print."""
    per = -(-len(entry.refs) // 2)
    rows = []
    for i in range(per):
        cells = []
        for j in (2 * i, 2 * i + 1):
            if j < len(entry.refs):
                ref = entry.refs[j]
                cells.append(
                    f'<td class="short">{escape(ref)}</td><td>{escape(names.get(ref, ""))}</td>'
                )
            else:
                cells.append("<td></td><td></td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    head = (
        '<thead><tr><th scope="col">Id</th><th scope="col">Ordning</th>'
        '<th scope="col" class="group-start">Id</th><th scope="col">Ordning</th></tr></thead>'
    )
    cols = (
        '<colgroup><col style="width: 12%"><col style="width: 38%"><col style="width: 12%">'
        '<col style="width: 38%"></colgroup>'
    )
    return (
        f'<table class="split reflist" aria-labelledby="{entry.anchor}-tittel">{cols}{head}'
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


def _column_needs(table: Table, cap: float) -> tuple[list[float], list[float]]:
    """Per column, in em of the print font: the least width (heading words and short cells
    unbroken) and the width the text would like (typical cell length, capped)."""
    needs, wants = [], []
    for i, col in enumerate(table.columns):
        texts = [cell_text(table, i, r[i]) for r in table.rows if i < len(r)] or [""]
        lengths = [len(t) for t in texts]
        longest_word = max((len(w) for t in texts for w in t.split()), default=1)
        heading = max(len(w) for w in column_label(col).split()) * 0.76
        cell = (max(lengths) if max(lengths) <= 14 else min(longest_word, 22)) * 0.66
        need = max(heading, cell, 2.0) + 1.2
        typical = (0.7 * sum(lengths) / len(lengths) + 0.3 * max(lengths)) * 0.6 + 0.9
        needs.append(need)
        wants.append(max(need, min(typical, cap)))
    return needs, wants


def column_weights(table: Table, available: float | None = None, cap: float = 36) -> list[float]:
    """Column widths in em that fill ``available`` (the page width in em of the print font):
    every column gets at least what it needs; what is left goes to the long-text columns."""
    needs, wants = _column_needs(table, cap)
    if available is None:
        available = PAGE_EM_WIDE if is_wide(table) else PAGE_EM
    if sum(wants) <= available or sum(needs) >= available:
        base = wants if sum(wants) <= available else needs
        scale = available / (sum(base) or 1)
        return [w * scale for w in base]
    spare = available - sum(needs)
    extra = [w - n for w, n in zip(wants, needs, strict=True)]
    return [n + spare * e / (sum(extra) or 1) for n, e in zip(needs, extra, strict=True)]


def is_wide(table: Table) -> bool:
    """Too much text for a portrait page: printed on landscape pages."""
    needs, wants = _column_needs(table, 36)
    return len(table.columns) >= 5 and (sum(wants) > 1.6 * PAGE_EM or sum(needs) > PAGE_EM)


def _split_groups(table: Table) -> int:
    """How many copies of the columns side by side a long, narrow table is printed in (1 = as is)."""
    if not _splittable(table):
        return 1
    width = sum(_column_needs(table, 12)[0])
    return next((g for g in (3, 2) if g * width <= PAGE_EM), 1)


def _splittable(table: Table) -> bool:
    if len(table.rows) < SPLIT_MIN_ROWS or len(table.columns) > SPLIT_MAX_COLUMNS:
        return False
    return all(
        len(cell_text(table, i, v)) <= SPLIT_MAX_CELL
        for row in table.rows
        for i, v in enumerate(row)
    )


def _figure_svg(figure: Figure) -> Markup:
    svg = figure.svg
    if not svg:
        return Markup("")
    title = f"<title>{escape(figure.title)}</title><desc>{escape(figure.alt)}</desc>"
    svg = re.sub(
        r"<svg\b",
        f'<svg role="img" aria-labelledby="{figure.id}-tittel {figure.id}-beskrivelse"',
        svg,
        count=1,
    )
    svg = re.sub(
        r"(<svg[^>]*>)",
        lambda m: (
            m.group(1)
            + title.replace("<title>", f'<title id="{figure.id}-tittel">').replace(
                "<desc>", f'<desc id="{figure.id}-beskrivelse">'
            )
        ),
        svg,
        count=1,
    )
    return Markup(svg)


@lru_cache(maxsize=1)
def _environment():
    from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

    return Environment(
        loader=PackageLoader("samarbeid.reports", "templates"),
        autoescape=select_autoescape(["html"]),
        undefined=StrictUndefined,
        trim_blocks=False,
        lstrip_blocks=False,
        keep_trailing_newline=True,
    )


def _missing_html(text: str, lists: list[MissingList]) -> Markup:
    html = escape(text)
    for entry in lists:
        html = html.replace(
            f"vedlegg {entry.number}.", f'<a href="#{entry.anchor}">vedlegg {entry.number}</a>.'
        )
    return Markup(html)


def _figure_width(svg: str) -> str:
    """The chart's drawn width (its viewBox is in points) as a CSS max-width."""
    match = re.search(r'viewBox="0 0 ([0-9.]+) ', svg)
    return f"{float(match.group(1)) / 72:.2f}in" if match else "100%"


def render_html(report: Report, *, figures: bool = True, media: str = "all") -> str:
    """One self-contained HTML page (inline CSS, charts as inline SVG), ``lang="nb"``.

    ``media="print"`` leaves out the screen-only copies of tables (what the PDF is made from)."""
    missing, appendix = missing_plan(report)
    template = _environment().get_template("report.html")
    return template.render(
        report=report,
        css=Markup(CSS.strip()),
        figure_svg=_figure_svg if figures else (lambda _f: Markup("")),
        figure_width=_figure_width,
        table_html=lambda section: Markup(_table_html(section, media)),
        reflist_html=lambda entry: Markup(_reflist_html(entry, report.names)),
        is_wide=is_wide,
        missing_text=lambda section: _missing_html(missing[section.table.id], appendix),
        appendix=appendix,
        names=report.names,
        fmt_n=number,
    )


def render_pdf(report: Report, target: str | Path | None = None) -> bytes:
    """The report as PDF (A4; title page, contents with page numbers, page numbers in the
    footer). Writes ``target`` when given; returns the bytes."""
    import logging

    from weasyprint import HTML

    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    html = render_html(report, media="print")
    document = HTML(string=html, base_url=None).render()
    buffer = io.BytesIO()
    document.write_pdf(buffer, pdf_identifier=report.slug.encode("ascii", "ignore") or b"rapport")
    data = buffer.getvalue()
    if target is not None:
        Path(target).write_bytes(data)
    return data


# ---------------------------------------------------------------------------------------------
# JSON


def table_json(table: Table, chapter: str = "") -> dict[str, Any]:
    data = plain(table.as_dict())
    data["kolonner"] = [column_label(c) for c in table.columns]
    if chapter:
        data["kapittel"] = chapter
    return data


def report_json(report: Report) -> dict[str, Any]:
    tables = []
    for chapter in report.chapters:
        for section in chapter.sections:
            tables.append(table_json(section.table, chapter.title))
    return {
        "format": JSON_FORMAT,
        "versjon": JSON_VERSION,
        "type": report.kind,
        "tittel": report.title,
        "kartlegging": plain(report.meta),
        "hovedfunn": list(report.findings),
        "tabeller": tables,
    }


def render_json(report: Report) -> str:
    """{"format": "samarbeid-rapport", "versjon": 1, "kartlegging": …, "tabeller": […]}."""
    return json.dumps(report_json(report), ensure_ascii=False, indent=2, allow_nan=False) + "\n"


# ---------------------------------------------------------------------------------------------


def render(report: Report, fmt: str) -> bytes:
    """The report in one format, as bytes (UTF-8 for the text formats)."""
    if fmt == "html":
        return render_html(report).encode("utf-8")
    if fmt == "pdf":
        return render_pdf(report)
    if fmt == "xlsx":
        return render_xlsx(report)
    if fmt == "md":
        return render_md(report).encode("utf-8")
    if fmt == "json":
        return render_json(report).encode("utf-8")
    raise ValueError(f"ukjent format: {fmt}")


def write(report: Report, formats: list[str], out_dir: Path, stem: str) -> list[Path]:
    """Write ``out_dir/<stem>.<ext>`` for each format; returns the paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for fmt in formats:
        path = out_dir / f"{stem}.{fmt}"
        path.write_bytes(render(report, fmt))
        paths.append(path)
    return paths
