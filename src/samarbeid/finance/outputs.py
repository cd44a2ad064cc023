"""A calculation as a file to attach to a council case (saksframlegg): JSON, Markdown, Excel, PDF.

One entry, :func:`render`, used by the command ``samarbeid kostnad`` and the web downloads. Every
format is made from :func:`samarbeid.finance.document.calculation_data`, the one structure of a
calculation: :mod:`.layout` and :mod:`.tables` turn it into typed tables (kroner as int, costs per
inhabitant and fairness figures as Decimal; never a float) and a document of sections, which
:mod:`.render_md` and :mod:`.render_pdf` lay out and :mod:`.render_xlsx` puts in sheets with real
numbers. Every output states the notes (an assumed member list, estimated population, what
limited a model). ``lang`` chooses the language of the headers and fixed texts (gettext, bokmål
msgids) and the number format (bokmål ``12 345,70`` with no-break spaces; English ``12,345.70``).
"""

from __future__ import annotations

import json
from typing import Any

from django.utils import translation

from .document import calculation_data
from .services import Calculation
from .tables import document

FORMATS = ("json", "md", "xlsx", "pdf")
CONTENT_TYPES = {
    "json": "application/json; charset=utf-8",
    "md": "text/markdown; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}


def render(calc: Calculation, fmt: str, lang: str = "nb") -> tuple[bytes, str, str]:
    """The calculation as ``fmt`` (json, md, xlsx, pdf) in ``lang``: (content, content type,
    file name)."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; one of {', '.join(FORMATS)}")
    with translation.override(lang):
        data = calculation_data(calc, lang)
        if fmt == "json":
            content = (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
        elif fmt == "md":
            from .render_md import markdown

            content = markdown(document(data, lang), lang).encode("utf-8")
        elif fmt == "xlsx":
            from .render_xlsx import workbook

            content = workbook(data, lang)
        else:
            from .render_pdf import pdf

            content = pdf(document(data, lang), lang)
    return content, CONTENT_TYPES[fmt], filename(data, fmt)


def filename(data: dict[str, Any], fmt: str) -> str:
    """``kostnad-digivestland-folketall-2024.pdf``; several models: ``kostnad-sammenligning-…``;
    with a projection the last year too (``…-2024-2034.xlsx``)."""
    models = data["modeller"]
    what = models[0]["slug"] if len(models) == 1 else "sammenligning"
    years = str(data["aar"])
    if data["til_aar"] and data["til_aar"] != data["aar"]:
        years += f"-{data['til_aar']}"
    return f"kostnad-{what}-{years}.{fmt}"
