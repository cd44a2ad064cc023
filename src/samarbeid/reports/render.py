"""Render a :class:`~samarbeid.reports.model.Report` as HTML, PDF, xlsx, Markdown or JSON.

Same report → same bytes for HTML, Markdown and JSON (no timestamps: the mapping's date is the
only date). The PDF is WeasyPrint's rendering of the same HTML with the print stylesheet.
"""

from __future__ import annotations

import io
import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from html import escape
from pathlib import Path
from typing import Any

from markupsafe import Markup

from samarbeid.analysis.model import Table

from .fmt import display, is_number, join_nb, number, plain, plural
from .labels import NO_GROUPING, column_label
from .model import Figure, Report, Section
from .styles import CSS

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
#: Longer "Mangler data" lists are printed in the appendix instead of under the table.
MISSING_INLINE_MAX = 20


# ---------------------------------------------------------------------------------------------
# Cells


def cell_text(table: Table, col: int, value: Any) -> str:
    value = plain(value)
    if is_number(value) and table.columns[col] in NO_GROUPING:
        return str(value)
    return display(value)


@dataclass
class MissingList:
    """A long "Mangler data" list, printed once in the appendix and referred to by its tables."""

    number: str
    reason: str
    refs: list[str]
    tables: list[str] = field(default_factory=list)

    @property
    def anchor(self) -> str:
        return "vedlegg-" + self.number.lower().replace(".", "-")


def missing_plan(report: Report) -> tuple[dict[str, str], list[MissingList]]:
    """The "Mangler data" line of every table (by table id) and the appendix lists.

    Short lists are printed under the table (ids and names); a list already printed is referred
    to; lists longer than :data:`MISSING_INLINE_MAX` go to the appendix (Vedlegg A).
    """
    sentences: dict[str, str] = {}
    seen: dict[tuple[str, ...], str] = {}
    lists: dict[tuple[str, ...], MissingList] = {}
    for section in report.sections():
        table = section.table
        if not table.missing:
            sentences[table.id] = "Mangler data: ingen ordninger."
            continue
        reason = f" ({table.missing_reason.rstrip('.')})" if table.missing_reason else ""
        key = tuple(table.missing)
        count = number(len(table.missing))
        if len(table.missing) > MISSING_INLINE_MAX:
            if key not in lists:
                lists[key] = MissingList(
                    f"A.{len(lists) + 1}", table.missing_reason.rstrip("."), list(table.missing)
                )
            entry = lists[key]
            entry.tables.append(section.number)
            sentences[table.id] = (
                f"Mangler data{reason}: {count} ordninger, listet i vedlegg {entry.number}."
            )
        elif key in seen:
            same = "den samme ordningen" if len(key) == 1 else f"de samme {count} ordningene"
            sentences[table.id] = f"Mangler data{reason}: {same} som i tabell {seen[key]}."
        else:
            seen[key] = section.number
            sentences[table.id] = (
                f"Mangler data{reason}, {plural(len(key))}: {report.missing_text(table)}."
            )
    return sentences, list(lists.values())


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
# Markdown and JSON


def _md_cell(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def render_md(report: Report) -> str:
    """Markdown: every table with an anchor named by its id. Stable: same report, same text."""
    missing, appendix = missing_plan(report)
    out = [f"# {report.title}", "", report.subtitle, ""]
    out += [f"- {label}: {value}" for label, value in report.facts]
    out += ["", "## Hovedfunn", ""]
    out += [f"- {s}" for s in report.findings]
    out += ["", "«–» i en tabell betyr at verdien ikke er kjent.", ""]
    for chapter in report.chapters:
        out += [f"## {chapter.number} {chapter.title}", ""]
        for paragraph in chapter.intro:
            out += [paragraph, ""]
        for section in chapter.sections:
            t = section.table
            out += [f'<a id="{t.id}"></a>', "", f"### {section.number} {t.title}", ""]
            for figure in section.figures:
                out += [f"*Figur {figure.number}. {figure.title}.* {figure.alt}", ""]
            if t.caption:
                out += [t.caption, ""]
            numeric = [any(is_number(plain(r[i])) for r in t.rows) for i in range(len(t.columns))]
            out.append("| " + " | ".join(_md_cell(column_label(c)) for c in t.columns) + " |")
            out.append("|" + "|".join("---:" if n else "---" for n in numeric) + "|")
            for row in t.rows:
                out.append(
                    "| "
                    + " | ".join(_md_cell(cell_text(t, i, v)) for i, v in enumerate(row))
                    + " |"
                )
            if not t.rows:
                out += ["", "Ingen rader."]
            out += ["", f"n = {number(t.n)}.", ""]
            if t.note:
                out += [f"Merknad: {t.note}", ""]
            out += [missing[t.id], ""]
    if appendix:
        out += ["## Vedlegg A Ordninger som mangler data", ""]
        for entry in appendix:
            out += [
                f'<a id="{entry.anchor}"></a>',
                "",
                f"### {entry.number} {entry.reason or 'Mangler data'} ({number(len(entry.refs))} ordninger)",
                "",
                f"Gjelder tabell {join_nb(entry.tables)}.",
                "",
            ]
            out += [f"- {ref} {report.names.get(ref, '')}".rstrip() for ref in entry.refs]
            out.append("")
    text = "\n".join(out).replace("\u00a0", " ")
    return re.sub(r"\n{3,}", "\n\n", text).rstrip("\n") + "\n"


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
# xlsx


def _sheet_name(table_id: str, used: set[str]) -> str:
    name = re.sub(r"[\[\]:*?/\\]", "_", table_id)[:31] or "tabell"
    base, i = name, 2
    while name.lower() in used:
        suffix = f"_{i}"
        name = base[: 31 - len(suffix)] + suffix
        i += 1
    used.add(name.lower())
    return name


def render_xlsx(report: Report) -> bytes:
    """A workbook: "Innhold" (every table with title, n, chapter, caption, missing), then one
    sheet per table named by its id. Numbers are numbers; bold, frozen header row."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="EEF2F6")
    book = Workbook()
    contents = book.active
    contents.title = "Innhold"
    used = {"innhold"}
    headers = [
        "Tabell",
        "Id",
        "Tittel",
        "n",
        "Kapittel",
        "Forklaring",
        "Merknad",
        "Mangler data (antall)",
        "Mangler data (id)",
        "Mangler data (grunn)",
    ]
    contents.append(headers)
    sheets = []
    for chapter in report.chapters:
        for section in chapter.sections:
            t = section.table
            name = _sheet_name(t.id, used)
            sheets.append((name, section))
            contents.append(
                [
                    section.number,
                    t.id,
                    t.title,
                    int(t.n),
                    chapter.title,
                    t.caption,
                    t.note,
                    len(t.missing),
                    "; ".join(t.missing),
                    t.missing_reason,
                ]
            )
            link = contents.cell(row=contents.max_row, column=2)
            link.hyperlink = f"#'{name}'!A1"
            link.style = "Hyperlink"
    _header(contents, bold, fill)
    for col, width in zip("ABCDEFGHIJ", (8, 26, 44, 7, 26, 60, 50, 12, 40, 40), strict=True):
        contents.column_dimensions[col].width = width
    for row in contents.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(vertical="top", wrap_text=cell.column_letter in "CFGI")
    info_row = contents.max_row + 2
    contents.cell(row=info_row, column=1, value=report.title).font = bold
    for i, (label, value) in enumerate(report.facts, start=1):
        contents.cell(row=info_row + i, column=1, value=label)
        contents.cell(row=info_row + i, column=3, value=value)

    for name, section in sheets:
        t = section.table
        sheet = book.create_sheet(name)
        with_ids = any(t.ids)
        sheet.append(
            [column_label(c) for c in t.columns] + (["Ordninger (id)"] if with_ids else [])
        )
        for i, row in enumerate(t.rows):
            values = [_xlsx_value(v) for v in row]
            if with_ids:
                values.append("; ".join(t.ids[i]) if i < len(t.ids) else "")
            sheet.append(values)
        _header(sheet, bold, fill)
        for c, col in enumerate(t.columns, start=1):
            cells = [sheet.cell(row=r, column=c).value for r in range(2, sheet.max_row + 1)]
            width = max(
                [len(column_label(col)), *(len(str(v)) for v in cells if v is not None)], default=8
            )
            sheet.column_dimensions[get_column_letter(c)].width = min(max(width + 2, 8), 60)
            if any(isinstance(v, float) for v in cells):
                for r in range(2, sheet.max_row + 1):
                    cell = sheet.cell(row=r, column=c)
                    if isinstance(cell.value, float):
                        cell.number_format = "0.0"
        if with_ids:
            sheet.column_dimensions[get_column_letter(len(t.columns) + 1)].width = 40
    buffer = io.BytesIO()
    book.properties.creator = "Samarbeidsregisteret"
    book.save(buffer)
    return buffer.getvalue()


def _header(sheet, bold, fill) -> None:
    for cell in sheet[1]:
        cell.font = bold
        cell.fill = fill
    sheet.freeze_panes = "A2"
    if sheet.max_row > 1:
        sheet.auto_filter.ref = sheet.dimensions


def _xlsx_value(value: Any) -> Any:
    value = plain(value)
    if isinstance(value, list):
        return ", ".join(display(v) for v in value)
    if isinstance(value, dict):
        return display(value)
    if isinstance(value, str) and len(value) > 32000:
        return value[:32000] + " …"
    return value


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
