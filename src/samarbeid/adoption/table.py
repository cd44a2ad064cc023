"""The adoption table (:func:`.progress.adoption_table`) as Markdown and as a workbook: one row
per solution (and group), the municipalities behind each count in a sheet of their own."""

from __future__ import annotations

from typing import Any

from samarbeid.core import cells
from samarbeid.core import markdown as md

COLUMNS = (
    "løsning",
    "innsatsområde",
    "rapportert",
    "nivå",
    "per",
    "fra registreringene",
    "differanse",
    "i bruk",
    "tilgjengeliggjort",
    "stoppet",
    "ikke startet",
    "ukjent",
    "ambisjon",
    "andel (rapportert)",
    "andel (registreringene)",
)

#: The level a count is at, as a reader says it.
LEVELS = {
    "i_bruk": "i bruk",
    "tilgjengeliggjort": "tilgjengeliggjort eller i bruk",
    "ikke_oppgitt": "ikke oppgitt",
}


def _percent(value: float | None) -> str:
    return "" if value is None else f"{value * 100:.1f} %".replace(".", ",")


def _row(row: dict[str, Any]) -> list[Any]:
    reported = row["rapportert"] or {}
    status = row["status"]
    return [
        row["losning"],
        row["innsatsomrade"] or "",
        reported.get("antall", ""),
        LEVELS.get(reported.get("niva", row["niva"]), row["niva"]),
        reported.get("som_oppgitt") or reported.get("per", ""),
        row["fra_registreringer"],
        "" if row["differanse"] is None else row["differanse"],
        status["i_bruk"],
        status["tilgjengeliggjort"],
        status["stoppet"],
        status["ikke_startet"],
        status["ukjent"],
        "" if row["ambisjon"] is None else row["ambisjon"],
        _percent(row["andel_rapportert"]),
        _percent(row["andel"]),
    ]


def _sections(table: dict[str, Any]) -> list[tuple[str | None, list[dict[str, Any]]]]:
    if "grupper" in table:
        return [(g["gruppe"], g["losninger"]) for g in table["grupper"]]
    return [(None, table["losninger"])]


def markdown(table: dict[str, Any]) -> str:
    lines = [f"# Utbredelse av fellesløsninger per {table['dato']}", ""]
    lines.append(
        "«Rapportert» er tallet kilden oppgir (f.eks. KS); «fra registreringene» er tallet av "
        "kommunene som selv har meldt status, på samme nivå («ikke oppgitt»: kilden sier ikke hva "
        "tallet teller; da telles tilgjengeliggjort eller i bruk). Differansen vises alltid."
    )
    for group, rows in _sections(table):
        lines.append("")
        if group is not None:
            lines += [f"## {md.text(group)}", ""]
        lines.append("| " + " | ".join(COLUMNS) + " |")
        lines.append("|" + "---|" * len(COLUMNS))
        for row in rows:
            lines.append("| " + " | ".join(md.cell(v) for v in _row(row)) + " |")
    return "\n".join(lines) + "\n"


def workbook(table: dict[str, Any]) -> bytes:
    book = cells.new_workbook(empty=True)
    sheet = book.create_sheet("Utbredelse")
    cells.append(sheet, ["gruppe", *COLUMNS] if "grupper" in table else COLUMNS)
    names = book.create_sheet("Kommuner")
    cells.append(names, ["gruppe", "løsning", "status", "kommunenummer", "kommune"])
    for group, rows in _sections(table):
        for row in rows:
            cells.append(sheet, [group, *_row(row)] if group is not None else _row(row))
            for status, members in row["status"].get("kommuner", {}).items():
                for member in members:
                    cells.append(
                        names,
                        [group or "", row["losning"], status, member["kommunenummer"],
                         member["navn"]],
                    )  # fmt: skip
    return cells.save_workbook(book)
