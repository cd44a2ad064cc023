"""A body and its plan as Markdown, from :mod:`plan_data` (every value escaped as text)."""

from __future__ import annotations

from typing import Any

from samarbeid.core import markdown as md

CATEGORY = {"videreført": "Videreførte prosjekter", "nyetablert": "Nyetablerte prosjekter"}
FUNDS = {
    True: "søker skjønnsmidler",
    False: "søker ikke skjønnsmidler",
    None: "ukjent om det søker midler",
}


def kroner(value: int | None, *, signed: bool = False) -> str:
    """``kr 2 200 000`` (no-break spaces); a change with its sign: ``−kr 200 000``, ``+kr 5``."""
    if value is None:
        return "–"
    digits = f"{abs(value):,}".replace(",", "\u00a0")
    sign = "\u2212" if value < 0 else ("+" if signed and value > 0 else "")
    return f"{sign}kr\u00a0{digits}"


def _sentence(parts: list[str]) -> str:
    text = "; ".join(parts)
    return text[:1].upper() + text[1:] + "."


def plan_markdown(data: dict[str, Any]) -> str:
    lines = [f"# {md.line(data['tittel'])}", ""]
    approved = data["status"] == "vedtatt"
    status = "Vedtatt" if approved else "Utkast"
    if approved and data["vedtatt_av"]:
        status += f" av {md.text(data['vedtatt_av'])}"
        if data["vedtatt_dato"]:
            status += f" {md.text(data['vedtatt_dato'])}"
    elif approved:
        status += " (vedtaksorgan og dato er ikke oppgitt i kilden)"
    lines += [f"{md.text(data['organ'])} · {data['ar']} · {status}", ""]
    if data["sammendrag"]:
        lines += [md.line(data["sammendrag"]), ""]
    for category, heading in CATEGORY.items():
        projects = [p for p in data["prosjekter"] if p["kategori"] == category]
        if not projects:
            continue
        lines += [f"## {heading} ({len(projects)})", ""]
        for p in projects:
            lines += [f"### {md.text(p['kode'])} {md.text(p['tittel'])}", ""]
            facts = [FUNDS[p["soker_midler"]]]
            if p["fase"]:
                facts.append(f"fase: {md.text(p['fase'])}")
            if p["eier"]:
                facts.append(f"eier: {md.text(p['eier'])}")
            if p["ansvarlig"]:
                facts.append(f"ansvarlig: {md.text(p['ansvarlig'])}")
            lines += [_sentence(facts), ""]
            if p["i_aret"]:
                lines += [md.line(p["i_aret"]), ""]
            for m in p["milepaeler"]:
                lines.append(f"- {md.text(m['nar'] or 'uten tidspunkt')}: {md.text(m['tekst'])}")
            if p["milepaeler"]:
                lines.append("")
    lines += ["## Finansiering", ""]
    for row in data["finansiering"]:
        lines.append(
            f"- {row['ar']}, {md.text(row['giver'])}: søkt {kroner(row['sokt'])}, "
            f"innvilget {kroner(row['innvilget'])}."
        )
    if data["finansiering"]:
        lines.append("")
    if len(data["finansiering_over_tid"]) > 1:
        lines += ["| År | Beløp | Endring fra året før |", "|---|---:|---:|"]
        for row in data["finansiering_over_tid"]:
            year = str(row["ar"])
            if row["som_oppgitt"]:
                year += f" ({md.cell(row['som_oppgitt'])})"
            lines.append(
                f"| {year} | {kroner(row['belop'])} | {kroner(row['endring'], signed=True)} |"
            )
        lines.append("")
    if not data["finansiering"] and len(data["finansiering_over_tid"]) <= 1:
        lines += ["Ingen finansiering registrert.", ""]
    if data["funn"]:
        lines += ["## Funn i dokumentet", ""]
        lines += [f"- {md.text(f['sted'])}: {md.text(f['melding'])}" for f in data["funn"]]
        lines.append("")
    return "\n".join(lines)


def body_markdown(data: dict[str, Any]) -> str:
    lines = [f"# {md.line(data['navn'])}", ""]
    stated = data["oppgitt_antall_medlemmer"]
    members = data["medlemmer"]
    if stated is not None and len(members) < stated:
        lines.append(
            f"Medlemmer: {stated} ifølge kilden; {len(members)} er navngitt i registeret "
            "(listen er ufullstendig)."
        )
    else:
        lines.append(f"Medlemmer: {', '.join(md.text(m) for m in members) or 'ingen registrert'}.")
    lines.append("")
    if data["styringsorganer"]:
        lines += ["## Styringsorganer", ""]
        for g in data["styringsorganer"]:
            lines.append(
                f"- {md.text(g['navn'])}" + (f" ({md.text(g['type'])})" if g["type"] else "")
            )
            for d in g["vedtak"]:
                when = d["dato"] or d["tidspunkt"] or d["sak"]
                case = f" ({md.text(d['sak'])})" if d["sak"] and when != d["sak"] else ""
                lines.append(f"  - {md.text(when)}{case}: {md.text(d['tekst'])}")
        lines.append("")
    if data["satsingsomrader"]:
        lines += ["## Satsingsområder", ""]
        for a in data["satsingsomrader"]:
            lines.append(
                f"- {md.text(a['navn'])}: {', '.join(md.text(s) for s in a['underomrader'])}"
            )
        lines.append("")
    if data["nettverk"]:
        lines += ["## Nettverk", "", ", ".join(md.text(n) for n in data["nettverk"]), ""]
    plans = ", ".join(str(y) for y in data["handlingsplaner"]) or "ingen"
    lines += [f"Handlingsplaner: {plans}.", ""]
    for c in data["tiltakskataloger"]:
        lines += [f"Tiltakskatalog: {md.text(c['tittel'])} ({c['antall_tiltak']} tiltak).", ""]
    if data["avtaler"]:
        lines += ["Avtaler: " + "; ".join(md.text(a) for a in data["avtaler"]) + ".", ""]
    if data["funn"]:
        lines += ["## Funn", ""]
        lines += [f"- {md.text(f['sted'])}: {md.text(f['melding'])}" for f in data["funn"]]
        lines.append("")
    return "\n".join(lines)
