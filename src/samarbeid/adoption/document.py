"""A solution portfolio as a document: the stable data of ``samarbeid portefolje`` (Norwegian keys,
like ``samarbeid handlingsplan --format json``), and its Markdown, HTML and PDF.

One place reads the models (:func:`document_data`); every format is made from what it returns.
A regional portfolio shows the national items it inherits, marked as such, and its own. The
findings are :func:`samarbeid.adoption.checks.check_items` over the items shown. The text is
bokmål; values from the database stay text in every format (Markdown escaping, autoescape)."""

from __future__ import annotations

import io
import logging
from typing import Any

from django.template.loader import render_to_string

from samarbeid.core import markdown as md
from samarbeid.portfolio.render_doc import date_text, page_footer_css, running_title_css
from samarbeid.reports.fmt import UNKNOWN, percent

from .checks import Finding, check_items
from .facts import item_facts, latest_count
from .models import Item, SolutionPortfolio
from .prioritisation import ranking

REGIONAL = SolutionPortfolio.Level.REGIONAL


def _items(portfolio: SolutionPortfolio) -> list[Item]:
    return list(
        portfolio.items.select_related(
            "portfolio", "area", "solution", "inherits__portfolio"
        ).prefetch_related("reported_counts", "pilots__municipality")
    )


def _shown(portfolio: SolutionPortfolio) -> list[tuple[Item, bool]]:
    """The items the document shows, each with whether it is inherited from the national
    portfolio: inherited first, then by rank (unranked last) and the document's order."""
    inherited = _items(portfolio.parent) if portfolio.parent_id else []
    rows = [(i, True) for i in inherited] + [(i, False) for i in _items(portfolio)]
    return sorted(rows, key=lambda r: (not r[1], r[0].rank is None, r[0].rank or 0, r[0].position))


def portfolio_findings(portfolio: SolutionPortfolio) -> list[Finding]:
    return check_items([item_facts(item) for item, _ in _shown(portfolio)])


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _item(item: Item, inherited: bool) -> dict[str, Any]:
    count = latest_count(item)
    share = None
    if count is not None and item.ambition:
        share = round(100 * count.count / item.ambition, 1)
    base = item.inherits
    return {
        "referanse": item.reference,
        "rang": item.rank,
        "type": item.kind,
        "tittel": item.title,
        "innsatsomrade": item.area.name if item.area else None,
        "losning": item.solution.name if item.solution else None,
        "eier": item.owner or None,
        "tidsramme": item.timeframe or None,
        "formal": _lines(item.purpose),
        "kommunene_bor": _lines(item.municipalities_should),
        "sektoren_gjor": _lines(item.sector_does),
        "status": _lines(item.status_text),
        "avsnitt": item.detail_section or None,
        "statustall": None
        if count is None
        else {
            "antall": count.count,
            "niva": count.level,
            "niva_tekst": count.get_level_display(),
            "dato": count.as_of.isoformat(),
            "dato_tekst": count.as_of_text or None,
            "i_tekst": count.in_text or None,
            "oppgitt_av": count.reported_by,
            "kilde": count.source,
        },
        "ambisjon": item.ambition,
        "andel_prosent": share,
        "populasjon": item.population,
        "populasjon_tekst": item.get_population_display(),
        "populasjon_merknad": item.population_note or None,
        "planlagt_i_tekst": item.planned_in_text or None,
        "planlagt_totalt": item.planned_total,
        "arvet": inherited,
        "portefolje": item.portfolio.title,
        "bygger_pa": None
        if base is None
        else {
            "portefolje": base.portfolio.title,
            "referanse": base.reference,
            "tittel": base.title,
        },
        "kilde": item.source,
    }


def document_data(portfolio: SolutionPortfolio) -> dict[str, Any]:
    """The portfolio document as plain data (the JSON of ``samarbeid portefolje``)."""
    shown = _shown(portfolio)
    items = [_item(item, inherited) for item, inherited in shown]
    parent = portfolio.parent
    areas = list(portfolio.areas.all()) or (list(parent.areas.all()) if parent else [])
    criteria = list(portfolio.criteria.all())
    criteria_from = None
    if not criteria and parent is not None:
        criteria, criteria_from = list(parent.criteria.all()), parent.title
    return {
        "ar": portfolio.year,
        "niva": portfolio.level,
        "organ": portfolio.body.name if portfolio.body_id else None,
        "tittel": portfolio.title,
        "eier": portfolio.owner or None,
        "vedtatt_av": portfolio.approved_by or None,
        "vedtatt_dato": portfolio.approved_on.isoformat() if portfolio.approved_on else None,
        "status_per": portfolio.status_as_of or None,
        "sammendrag": portfolio.summary,
        "kilde": portfolio.source,
        "bygger_pa": {"ar": parent.year, "tittel": parent.title} if parent else None,
        "innsatsomrader": [{"navn": a.name, "kilde": a.source} for a in areas],
        "innforingsaktiviteter": [i for i in items if i["type"] == Item.Kind.INTRODUCTION],
        "felles_tiltak": [i for i in items if i["type"] == Item.Kind.JOINT],
        "kriterier": [
            {
                "kort": c.short,
                "tekst": c.text,
                "vekt": int(c.weight) if c.weight == int(c.weight) else float(c.weight),
                "kilde": c.source,
            }
            for c in criteria
        ],
        "kriterier_fra": criteria_from,
        "piloter": [
            {
                "tiltak": item.reference,
                "tiltak_tittel": item.title,
                "kommune": p.municipality.name,
                "del": p.part or None,
                "hva": p.what or None,
                "periode": p.period or None,
                "utfall": p.outcome or None,
                "arvet": inherited,
                "kilde": p.source,
            }
            for item, inherited in shown
            for p in item.pilots.all()
        ],
        "funn": [f.as_json() for f in check_items([item_facts(i) for i, _ in shown])],
        "prioritering": ranking(portfolio),
    }


# --- Display text shared by Markdown and HTML ------------------------------------------------------


def byline(data: dict[str, Any]) -> str:
    """«KS · 2023 · Vedtatt av KommIT-rådet 24.01.2023 · Status per april 2023»."""
    parts = [data["organ"] or data["eier"] or "", str(data["ar"])]
    if data["vedtatt_av"] or data["vedtatt_dato"]:
        approved = "Vedtatt"
        if data["vedtatt_av"]:
            approved += f" av {data['vedtatt_av']}"
        if data["vedtatt_dato"]:
            approved += f" {date_text(data['vedtatt_dato'])}"
        parts.append(approved)
    elif data["niva"] == REGIONAL:
        parts.append("Vedtak er ikke oppgitt i kilden")
    if data["status_per"]:
        parts.append(f"Status per {data['status_per']}")
    if data["bygger_pa"]:
        parts.append(f"Bygger på «{data['bygger_pa']['tittel']}»")
    return " · ".join(p for p in parts if p)


def status_cell(item: dict[str, Any]) -> str:
    """«215 tilgjengeliggjort (april 2023)»; «–» without a count."""
    count = item["statustall"]
    if count is None:
        return UNKNOWN
    when = count["dato_tekst"] or date_text(count["dato"])
    return f"{count['antall']} {count['niva_tekst'].lower()} ({when})"


def origin(item: dict[str, Any]) -> str:
    if item["arvet"]:
        return "Nasjonal (arvet)"
    if item["bygger_pa"]:
        return f"Regional, bygger på nasjonal {item['bygger_pa']['referanse']}"
    return "Regional"


def _cells(row: dict[str, Any], keys: tuple[str, ...]) -> list[str]:
    return [UNKNOWN if row[k] is None or row[k] == "" else str(row[k]) for k in keys]


Table = tuple[list[str], list[list[str]]]
TABLE_ONE = "Innføringsaktiviteter (tabell 1, prioritert rekkefølge)"
TABLE_TWO = "Felles tiltak (tabell 2, ikke prioritert rekkefølge)"
COMMON = ("tittel", "innsatsomrade", "eier", "tidsramme")


def table_one(data: dict[str, Any]) -> Table:
    """Table 1: the introduction activities by rank, with status count, ambition and share."""
    header = ["Rang", "Tiltak", "Innsatsområde", "Eier", "Tidsramme", "Status", "Ambisjon", "Andel"]
    items = data["innforingsaktiviteter"]
    rows = [
        [
            *_cells(i, ("rang", *COMMON)),
            status_cell(i),
            *_cells(i, ("ambisjon",)),
            percent(i["andel_prosent"]),
        ]
        for i in items
    ]
    return _with_origin(data, header, rows, items)


def table_two(data: dict[str, Any]) -> Table:
    """Table 2: the joint measures, unranked on purpose."""
    items = data["felles_tiltak"]
    rows = [_cells(i, ("referanse", *COMMON)) for i in items]
    return _with_origin(data, ["Ref.", "Tiltak", "Innsatsområde", "Eier", "Tidsramme"], rows, items)


def _with_origin(data: dict[str, Any], header: list[str], rows: list, items: list) -> Table:
    if data["niva"] != REGIONAL:
        return header, rows
    return [*header, "Opphav"], [[*r, origin(i)] for r, i in zip(rows, items, strict=True)]


def detail_facts(
    item: dict[str, Any], year: int, doer: str = "Kommunal sektor"
) -> list[tuple[str, list[str], bool]]:
    """An item's detail as (label, texts, whether the texts are bullets), in the document's
    order; the first has no label: where the item is detailed, its area, owner and timeframe."""
    facts: list[tuple[str, list[str], bool]] = []
    line = [
        f"Avsnitt {item['avsnitt']}" if item["avsnitt"] else "Ikke utdypet i dokumentet",
        f"Innsatsområde: {item['innsatsomrade'] or UNKNOWN}",
        f"Eier: {item['eier'] or 'ikke oppgitt'}",
        f"Tidsramme: {item['tidsramme'] or 'ikke oppgitt'}",
    ]
    if item["losning"]:
        line.append(f"Løsning: {item['losning']}")
    if item["bygger_pa"]:
        base = item["bygger_pa"]
        line.append(f"Bygger på: {base['referanse']} {base['tittel']} ({base['portefolje']})")
    facts.append(("", [" · ".join(line)], False))
    for label, key, bullets in (
        ("Formål", "formal", False),
        (f"Kommunene bør i {year}", "kommunene_bor", True),
        (f"{doer} gjør i {year}", "sektoren_gjor", True),
        ("Status", "status", False),
    ):
        if item[key]:
            facts.append((label, item[key], bullets))
    count = item["statustall"]
    if count:
        said = f"{status_cell(item)}, oppgitt av {count['oppgitt_av']}"
        if count["i_tekst"]:
            said += f"; teksten sier «{count['i_tekst']}»"
        facts.append(("Statustall", [said + "."], False))
    if item["ambisjon"] is not None:
        scope = item["populasjon_merknad"] or item["populasjon_tekst"]
        facts.append(("Ambisjon", [f"{item['ambisjon']} ({scope})."], False))
    if item["planlagt_i_tekst"]:
        planned = f"«{item['planlagt_i_tekst']}»"
        if item["planlagt_totalt"] is not None:
            planned += f" (til sammen {item['planlagt_totalt']})"
        facts.append(("Planlagt i teksten", [planned], False))
    return facts


def doer(data: dict[str, Any]) -> str:
    """Who «does» an item's work: the sector nationally, the body in its regional portfolio."""
    return data["organ"] or "Kommunal sektor"


def detailed_items(data: dict[str, Any]) -> list[dict[str, Any]]:
    """The items whose detail the document gives: all of a national portfolio; a regional one's
    own (the inherited ones are detailed in the national document)."""
    items = data["innforingsaktiviteter"] + data["felles_tiltak"]
    return [i for i in items if not i["arvet"]]


def inherited_note(data: dict[str, Any]) -> str:
    if not data["bygger_pa"]:
        return ""
    parent = data["bygger_pa"]
    return (
        f"De arvede nasjonale tiltakene er utdypet i «{parent['tittel']}» "
        f"(samarbeid portefolje --aar {parent['ar']})."
    )


PILOT_HEADER = ["Tiltak", "Kommune", "Del", "Hva", "Periode", "Utfall"]


def pilot_rows(data: dict[str, Any]) -> list[list[str]]:
    keys = ("tiltak", "kommune", "del", "hva", "periode", "utfall")
    return [_cells(p, keys) for p in data["piloter"]]


# --- Markdown ----------------------------------------------------------------------------------


def _md_table(header: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(md.cell(c) for c in row) + " |" for row in rows]
    return [*lines, ""]


def document_markdown(data: dict[str, Any]) -> str:
    lines = [f"# {md.line(data['tittel'])}", "", md.line(byline(data)), ""]
    if data["sammendrag"]:
        lines += [md.line(data["sammendrag"]), ""]
    lines += [f"Kilde: {md.text(data['kilde'])}", "", "## Innsatsområder", ""]
    lines += [f"- {md.text(a['navn'])}" for a in data["innsatsomrader"]] or ["Ingen."]
    lines += ["", f"## {TABLE_ONE}", "", *_md_table(*table_one(data))]
    lines += [f"## {TABLE_TWO}", "", *_md_table(*table_two(data))]
    lines += ["## Tiltakene i detalj", ""]
    if inherited_note(data):
        lines += [md.line(inherited_note(data)), ""]
    for item in detailed_items(data):
        lines += [f"### {md.text(item['referanse'])} {md.text(item['tittel'])}", ""]
        for label, texts, bullets in detail_facts(item, data["ar"], doer(data)):
            if not label:
                lines += [f"*{md.text(texts[0])}*", ""]
            elif bullets:
                lines += [f"**{md.text(label)}:**", ""]
                lines += [f"- {md.text(t)}" for t in texts] + [""]
            else:
                lines += [f"**{md.text(label)}:** {md.text(texts[0])}", ""]
                lines += [x for t in texts[1:] for x in (md.line(t), "")]
        lines += [f"Kilde: {md.text(item['kilde'])}", ""]
    lines += ["## Prioriteringskriterier", ""]
    if data["kriterier_fra"]:
        lines += [f"Fra «{md.text(data['kriterier_fra'])}».", ""]
    criteria = [[c["kort"], c["tekst"], str(c["vekt"])] for c in data["kriterier"]]
    lines += _md_table(["Kriterium", "Spørsmål", "Vekt"], criteria) if criteria else ["Ingen.", ""]
    if data["prioritering"]["har_poeng"]:
        lines += ["## Beregnet rangering mot den vedtatte", ""]
        ranked = [
            [str(r["vedtatt_rang"] or "–"), str(r["beregnet_rang"] or "–"),
             str(r["vektet_sum"] or "–"), f"{r['referanse']} {r['tittel']}"]
            for r in data["prioritering"]["rangert"]
        ]  # fmt: skip
        lines += _md_table(["Vedtatt", "Beregnet", "Vektet sum", "Tiltak"], ranked)
    lines += ["## Pilotkommuner", ""]
    lines += _md_table(PILOT_HEADER, pilot_rows(data)) if data["piloter"] else ["Ingen.", ""]
    lines += ["## Funn i dokumentet", ""]
    lines += [f"- {md.text(f['sted'])}: {md.text(f['melding'])}" for f in data["funn"]] or [
        "Ingen funn."
    ]
    return "\n".join([*lines, ""])


# --- HTML and PDF --------------------------------------------------------------------------------


def document_html(data: dict[str, Any]) -> str:
    """The portfolio as one standalone HTML document (A4 print stylesheet, the title at the top
    of the pages, page numbers in the footer), as the action plan's."""
    context = {
        "data": data,
        "byline": byline(data),
        "tables": [(TABLE_ONE, *table_one(data)), (TABLE_TWO, *table_two(data))],
        "inherited_note": inherited_note(data),
        "details": [
            (f"{i['referanse']} {i['tittel']}", detail_facts(i, data["ar"], doer(data)), i["kilde"])
            for i in detailed_items(data)
        ],
        "pilot_header": PILOT_HEADER,
        "pilots": pilot_rows(data),
        "page_footer": page_footer_css(),
        "running_title": running_title_css(data["tittel"]),
    }
    return render_to_string("adoption/portfolio_document.html", context)


def document_pdf(data: dict[str, Any]) -> bytes:
    """The portfolio as PDF: WeasyPrint's rendering of :func:`document_html`."""
    from weasyprint import HTML

    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    buffer = io.BytesIO()
    identifier = f"portefolje-{data['ar']}-{data['organ'] or 'nasjonal'}"
    HTML(string=document_html(data), base_url=None).render().write_pdf(
        buffer, pdf_identifier=identifier.encode("utf-8")
    )
    return buffer.getvalue()
