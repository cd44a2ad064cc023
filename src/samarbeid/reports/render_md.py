"""A report as Markdown: every table with an anchor named by its id.

Every text that comes from the report (titles, findings, captions, cells, names) goes through
:mod:`samarbeid.core.markdown`, so data cannot add HTML, links or structure to the document: a
name ``<script>`` is written ``&lt;script&gt;``, a ``|`` cannot split a table cell, a line break
cannot start a block. Only the layout written here is Markdown.
"""

from __future__ import annotations

import re

from samarbeid.core import markdown as md

from .fmt import is_number, join_nb, number, plain
from .labels import column_label
from .model import Report
from .plan import cell_text, missing_plan


def _row(cells: list[str]) -> str:
    return "| " + " | ".join(md.cell(c) for c in cells) + " |"


def render_md(report: Report) -> str:
    """Markdown: every table with an anchor named by its id. Stable: same report, same text."""
    missing, appendix = missing_plan(report)
    out = [f"# {md.line(report.title)}", "", md.line(report.subtitle), ""]
    out += [f"- {md.line(label)}: {md.text(value)}" for label, value in report.facts]
    out += ["", "## Hovedfunn", ""]
    out += [f"- {md.line(s)}" for s in report.findings]
    out += ["", "«–» i en tabell betyr at verdien ikke er kjent.", ""]
    for chapter in report.chapters:
        out += [f"## {md.text(chapter.number)} {md.text(chapter.title)}", ""]
        for paragraph in chapter.intro:
            out += [md.line(paragraph), ""]
        for section in chapter.sections:
            t = section.table
            out += [
                f'<a id="{md.attribute(t.id)}"></a>',
                "",
                f"### {md.text(section.number)} {md.text(t.title)}",
                "",
            ]
            for figure in section.figures:
                out += [
                    f"*Figur {md.text(figure.number)}. {md.text(figure.title)}.* "
                    f"{md.text(figure.alt)}",
                    "",
                ]
            if t.caption:
                out += [md.line(t.caption), ""]
            numeric = [any(is_number(plain(r[i])) for r in t.rows) for i in range(len(t.columns))]
            out.append(_row([column_label(c) for c in t.columns]))
            out.append("|" + "|".join("---:" if n else "---" for n in numeric) + "|")
            for row in t.rows:
                out.append(_row([cell_text(t, i, v) for i, v in enumerate(row)]))
            if not t.rows:
                out += ["", "Ingen rader."]
            out += ["", f"n = {number(t.n)}.", ""]
            if t.note:
                out += [f"Merknad: {md.text(t.note)}", ""]
            out += [md.line(missing[t.id]), ""]
    if appendix:
        out += ["## Vedlegg A Ordninger som mangler data", ""]
        for entry in appendix:
            reason = md.text(entry.reason or "Mangler data")
            out += [
                f'<a id="{md.attribute(entry.anchor)}"></a>',
                "",
                f"### {entry.number} {reason} ({number(len(entry.refs))} ordninger)",
                "",
                f"Gjelder tabell {md.text(join_nb(entry.tables))}.",
                "",
            ]
            out += [
                f"- {md.line(ref)} {md.text(report.names.get(ref, ''))}".rstrip()
                for ref in entry.refs
            ]
            out.append("")
    text = "\n".join(out).replace("\u00a0", " ")
    return re.sub(r"\n{3,}", "\n\n", text).rstrip("\n") + "\n"
