"""A calculation as PDF (:func:`pdf`): WeasyPrint's rendering of :func:`html`, landscape A4 with
the title at the top of the pages and «Side x av y» at the foot, as the action plan and the
solution portfolio.

A table wider than a page is split into tables of at most :data:`COLUMNS_PER_TABLE` value columns,
each repeating the key columns (kommune, kommunenummer …), so that 20 models or 30 years never run
off the page; a table's header repeats on every page it spans."""

from __future__ import annotations

import io
import logging
from typing import Any

from django.template.loader import render_to_string
from django.utils.translation import get_language

from samarbeid.portfolio.render_doc import page_footer_css, running_title_css

from .layout import NUMERIC, Bullets, Document, Facts, Table, texts

#: Value columns per table beside the key columns (landscape A4 at 8 pt holds about 14 numbers).
COLUMNS_PER_TABLE = 11


def split(table: Table, size: int = COLUMNS_PER_TABLE) -> list[Table]:
    """``table`` as tables of at most ``size`` value columns, each with the key columns first."""
    key, values = table.key, len(table.columns) - table.key
    if values <= size:
        return [table]
    parts = []
    for start in range(key, len(table.columns), size):
        end = min(start + size, len(table.columns))
        picked = list(range(key)) + list(range(start, end))
        parts.append(
            Table(
                [table.columns[i] for i in picked],
                [[row[i] for i in picked] for row in table.rows],
                [table.total[i] for i in picked] if table.total else None,
                key,
                table.caption if end == len(table.columns) else "",
            )
        )
    return parts


def _block(block: Any, lang: str) -> list[dict[str, Any]]:
    if isinstance(block, Table):
        out = []
        for part in split(block):
            header, rows, total = texts(part, lang)
            numeric = [c.kind in NUMERIC for c in part.columns]
            out.append(
                {
                    "type": "table",
                    "header": list(zip(header, numeric, strict=True)),
                    "rows": [list(zip(row, numeric, strict=True)) for row in rows],
                    "total": list(zip(total, numeric, strict=True)) if total else None,
                    "caption": part.caption,
                    "wide": any(c.width >= 40 for c in part.columns),
                }
            )
        return out
    if isinstance(block, Bullets):
        return [{"type": "bullets", "items": block.items}]
    if isinstance(block, Facts):
        return [{"type": "facts", "items": block.items}]
    return [{"type": "text", "text": block}]


def html(doc: Document, lang: str = "nb") -> str:
    """The document as one standalone HTML page with its print stylesheet."""
    sections = [
        {
            "title": s.title,
            "level": s.level,
            "blocks": [part for block in s.blocks for part in _block(block, lang)],
        }
        for s in doc.sections
    ]
    context = {
        "doc": doc,
        "sections": sections,
        "lang": get_language() or lang,
        "page_footer": page_footer_css(),
        "running_title": running_title_css(doc.title),
    }
    return render_to_string("finance/calculation_document.html", context)


def pdf(doc: Document, lang: str = "nb") -> bytes:
    from weasyprint import HTML

    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    buffer = io.BytesIO()
    HTML(string=html(doc, lang), base_url=None).render().write_pdf(
        buffer, pdf_identifier=b"kostnadsdeling"
    )
    return buffer.getvalue()
