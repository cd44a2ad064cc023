"""An action plan as the document a council files: standalone HTML (with a print stylesheet) and
PDF (WeasyPrint's rendering of the same HTML), from :func:`.plan_data.plan_data`.

:func:`plan_view` formats the values once (groups, money, dates, the status line, the funding
comparison) for the HTML template and for :mod:`.render_docx`, which writes the same content in the
same order as Word. The structure and wording follow :mod:`.render_md`. Fixed wording is bokmål
msgids (``{% translate %}`` in ``portfolio/plan_document.html``, gettext here and in the Word
writer); every text from the data is escaped by Django's autoescape and stays text.
"""

from __future__ import annotations

import datetime as dt
import io
import itertools
import re
from typing import Any

from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from samarbeid.reports.fmt import UNKNOWN

from .render_md import kroner

#: The groups of a plan, in the order the source plans use.
CATEGORIES = ("videreført", "nyetablert")
#: A project with at most this many table rows is kept on one page in print.
KEEP_TOGETHER_ROWS = 8
#: The plan's title at the top of the printed pages is shortened to this many characters.
RUNNING_TITLE_MAX = 90


def date_text(iso: str | None) -> str:
    """``2021-08-31`` as ``31.08.2021``; no date as "–"."""
    return f"{dt.date.fromisoformat(iso):%d.%m.%Y}" if iso else UNKNOWN


def status_line(data: dict[str, Any]) -> str:
    """«Utkast», «Vedtatt av Styret 12.03.2021», or what the source leaves out said as such."""
    if data["status"] != "vedtatt":
        return _("Utkast")
    by, date = data["vedtatt_av"], data["vedtatt_dato"]
    if by and date:
        return _("Vedtatt av %(by)s %(date)s") % {"by": by, "date": date_text(date)}
    if by:
        return _("Vedtatt av %(by)s (datoen er ikke oppgitt i kilden)") % {"by": by}
    if date:
        return _("Vedtatt %(date)s (vedtaksorganet er ikke oppgitt i kilden)") % {
            "date": date_text(date)
        }
    return _("Vedtatt (vedtaksorgan og dato er ikke oppgitt i kilden)")


def seeks_funds(value: bool | None) -> str:
    """Whether a project seeks funds: «ja», «nei» or «ikke kjent» (unknown stays unknown)."""
    if value is None:
        return _("ikke kjent")
    return _("ja") if value else _("nei")


def _year(year: int, as_stated: str) -> str:
    return f"{year} ({as_stated})" if as_stated else str(year)


def _sources(rows: list[dict[str, Any]]) -> list[str]:
    """The distinct sources of some rows, in order."""
    return list(dict.fromkeys(r["kilde"] for r in rows if r.get("kilde")))


def _funding_rows(rows: list[dict[str, Any]]) -> list[list[str]]:
    return [
        [
            _year(r["ar"], r["periode_som_oppgitt"]),
            r["giver"] or UNKNOWN,
            kroner(r["sokt"]),
            kroner(r["innvilget"]),
            kroner(r["egenandel"]),
        ]
        for r in rows
    ]


def _project(p: dict[str, Any]) -> dict[str, Any]:
    facts = [(_("Søker midler"), seeks_funds(p["soker_midler"]))]
    for label, key in ((_("Fase"), "fase"), (_("Eier"), "eier"), (_("Ansvarlig"), "ansvarlig")):
        if p[key]:
            facts.append((label, p[key]))
    milestones = [
        [m["tekst"], m["nar"] or UNKNOWN, date_text(m["frist"]), date_text(m["ferdig"])]
        for m in p["milepaeler"]
    ]
    sources = [(_("Kilde"), p["kilde"])] if p["kilde"] else []
    for label, rows in (
        (_("milepælene"), p["milepaeler"]),
        (_("finansieringen"), p["finansiering"]),
    ):
        sources += [(label, s) for s in _sources(rows) if s != p["kilde"]]
    return {
        "heading": f"{p['kode']} {p['tittel']}".strip(),
        "facts": facts,
        "this_year": p["i_aret"],
        "milestones": milestones,
        "funding": _funding_rows(p["finansiering"]),
        "sources": sources,
        "keep_together": len(p["milepaeler"]) + len(p["finansiering"]) <= KEEP_TOGETHER_ROWS,
    }


def _comparison(data: dict[str, Any]) -> str:
    """The plan year's funding against the year before it: «… kr 2 400 000 → kr 2 200 000 …»."""
    over_time = data["finansiering_over_tid"]
    for before, after in itertools.pairwise(over_time):
        if after["ar"] == data["ar"] and after["endring"] is not None:
            return _(
                "Fra %(before_year)s til %(year)s: %(before)s → %(after)s (endring %(change)s)."
            ) % {
                "before_year": _year(before["ar"], before["som_oppgitt"]),
                "year": _year(after["ar"], after["som_oppgitt"]),
                "before": kroner(before["belop"]),
                "after": kroner(after["belop"]),
                "change": kroner(after["endring"], signed=True),
            }
    return ""


def plan_view(data: dict[str, Any]) -> dict[str, Any]:
    """The plan's content as display text, in document order, for the HTML and the Word file."""
    groups = []
    for category in CATEGORIES:
        projects = [_project(p) for p in data["prosjekter"] if p["kategori"] == category]
        if projects:
            groups.append({"category": category, "projects": projects})
    over_time = data["finansiering_over_tid"]
    return {
        "title": data["tittel"],
        "byline": f"{data['organ']} · {data['ar']} · {status_line(data)}",
        "year": data["ar"],
        "summary": data["sammendrag"],
        "source": data["kilde"],
        "groups": groups,
        "funding": _funding_rows(data["finansiering"]),
        "funding_sources": _sources(data["finansiering"]),
        "comparison": _comparison(data),
        "over_time": [
            [
                _year(r["ar"], r["som_oppgitt"]),
                kroner(r["belop"]),
                kroner(r["endring"], signed=True),
            ]
            for r in over_time
        ]
        if len(over_time) > 1
        else [],
        "findings": [(f["sted"], f["melding"]) for f in data["funn"]],
    }


def _css_string(text: str) -> str:
    """``text`` as a quoted CSS string that cannot end the string or the style element."""
    escaped = "".join(c if c.isalnum() or c in " .,:-–" else f"\\{ord(c):x} " for c in text)
    return f'"{escaped}"'


def running_title_css(title: str) -> SafeString:
    """The title at the top of the pages as a CSS string, shortened to fit on one line."""
    if len(title) > RUNNING_TITLE_MAX:
        title = title[: RUNNING_TITLE_MAX - 1].rstrip() + "…"
    return mark_safe(_css_string(title))


def page_footer_css() -> SafeString:
    """The footer's CSS ``content`` value: «Side 3 av 7» with the page counters."""
    parts = re.split(r"(%\((?:page|pages)\)s)", _("Side %(page)s av %(pages)s"))
    counters = {"%(page)s": "counter(page)", "%(pages)s": "counter(pages)"}
    return mark_safe(" ".join(counters.get(p) or _css_string(p) for p in parts if p))


def plan_html(data: dict[str, Any]) -> str:
    """The plan as one standalone HTML document in bokmål (inline print stylesheet: A4, the
    plan's title at the top of the pages, page numbers in the footer)."""
    return render_to_string(
        "portfolio/plan_document.html",
        {
            "plan": plan_view(data),
            "page_footer": page_footer_css(),
            "running_title": running_title_css(data["tittel"]),
        },
    )


def plan_pdf(data: dict[str, Any]) -> bytes:
    """The plan as PDF: WeasyPrint's rendering of :func:`plan_html`."""
    import logging

    from weasyprint import HTML

    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    buffer = io.BytesIO()
    HTML(string=plan_html(data), base_url=None).render().write_pdf(
        buffer, pdf_identifier=f"handlingsplan-{data['ar']}".encode()
    )
    return buffer.getvalue()


def plan_docx(data: dict[str, Any]) -> bytes:
    """The plan as a Word document: :func:`.render_docx.plan_docx` (one entry point for the
    three document formats; python-docx is imported only when a .docx is asked for)."""
    from .render_docx import plan_docx as write_docx

    return write_docx(data)
