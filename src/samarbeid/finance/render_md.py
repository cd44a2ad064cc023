"""A calculation as Markdown (:func:`markdown`), from the document of :mod:`.tables`: every value
escaped as text (:mod:`samarbeid.core.markdown`), numbers right-aligned in the tables."""

from __future__ import annotations

from samarbeid.core import markdown as md

from .layout import NUMERIC, Bullets, Document, Facts, Table, texts


def _table(table: Table, lang: str) -> list[str]:
    header, rows, total = texts(table, lang)
    align = ["---:" if c.kind in NUMERIC else "---" for c in table.columns]
    lines = ["| " + " | ".join(md.cell(h) for h in header) + " |", "|" + "|".join(align) + "|"]
    for row in rows:
        lines.append("| " + " | ".join(md.cell(v) for v in row) + " |")
    if total:
        lines.append("| " + " | ".join(f"**{md.cell(v)}**" if v else "" for v in total) + " |")
    if table.caption:
        lines += ["", md.line(table.caption)]
    return lines


def markdown(doc: Document, lang: str = "nb") -> str:
    lines = [f"# {md.line(doc.title)}", ""]
    lines += [f"- **{md.text(label)}:** {md.text(value)}" for label, value in doc.facts.items]
    for section in doc.sections:
        lines += ["", f"{'#' * section.level} {md.line(section.title)}"]
        for block in section.blocks:
            lines.append("")
            if isinstance(block, Table):
                lines += _table(block, lang)
            elif isinstance(block, Bullets):
                lines += [f"- {md.text(item)}" for item in block.items]
            elif isinstance(block, Facts):
                lines += [
                    f"- **{md.text(label)}:** {md.text(value)}" for label, value in block.items
                ]
            else:
                lines.append(md.line(block))
    return "\n".join(lines) + "\n"
