"""The result of a round as a file: CSV (UTF-8 with BOM, one ``#Ark`` line per section, like the
mapping file) or xlsx (one sheet per section).

Sections: ``Runde`` (felt, verdi), ``Kommuner`` (one row per municipality: status, confirmed by
and when, proposals by outcome) and ``Forslag`` (one row per proposal with its decision). Both are
written through :mod:`samarbeid.core.cells`: texts that a spreadsheet would read as a formula get a
leading apostrophe, and a text too long for an xlsx cell is written in full in «Lange tekster».
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from samarbeid.core import cells
from samarbeid.registry.history import LABELS

from . import services
from .models import Round

ROUND_COLUMNS = ("felt", "verdi")
MUNICIPALITY_COLUMNS = (
    "kommunenummer",
    "kommune",
    "status",
    "apnet",
    "bekreftet_av",
    "bekreftet",
    "merknad",
    "forslag",
    "godtatt",
    "avvist",
    "venter",
    "trukket",
)
PROPOSAL_COLUMNS = (
    "forslag_id",
    "kommunenummer",
    "kommune",
    "type",
    "grunn",
    "ordning_id",
    "ordning",
    "endrede_felt",
    "kommentar",
    "kilde",
    "foreslatt_av",
    "foreslatt",
    "status",
    "avgjort_av",
    "avgjort",
    "begrunnelse",
    "historikk_versjon",
)
COLUMNS = {"Runde": ROUND_COLUMNS, "Kommuner": MUNICIPALITY_COLUMNS, "Forslag": PROPOSAL_COLUMNS}


def _local(value: dt.datetime | None) -> dt.datetime | None:
    return timezone.localtime(value).replace(tzinfo=None, microsecond=0) if value else None


def tables(round_: Round) -> dict[str, list[dict[str, Any]]]:
    """The round as rows of plain values (datetimes local and naive, counts as ints)."""
    mapping = round_.mapping
    info = [
        ("kartlegging", mapping.name),
        ("runde", round_.title),
        ("nummer", round_.number),
        ("apnet", _local(round_.opened_at)),
        ("apnet_av", round_.opened_by_name),
        ("svarfrist", round_.deadline),
        ("avsluttet", _local(round_.closed_at)),
    ]
    municipalities = []
    numbers = {}
    for row in services.dashboard(round_):
        r = row.response
        numbers[r.municipality_id] = (r.period.number, r.period.name)
        municipalities.append(
            {
                "kommunenummer": r.period.number,
                "kommune": r.period.name,
                "status": r.get_status_display(),
                "apnet": _local(r.opened_at),
                "bekreftet_av": r.confirmed_by_name,
                "bekreftet": _local(r.confirmed_at),
                "merknad": r.confirmation_note,
                "forslag": row.proposals,
                "godtatt": row.accepted,
                "avvist": row.rejected,
                "venter": row.pending,
                "trukket": row.withdrawn,
            }
        )
    proposals = []
    for p in services.proposals_of(round_):
        number, name = numbers.get(p.municipality_id, ("", p.municipality.name))
        proposals.append(
            {
                "forslag_id": p.pk,
                "kommunenummer": number,
                "kommune": name,
                "type": p.get_kind_display(),
                "grunn": p.get_removal_display() if p.removal else "",
                "ordning_id": p.ref,
                "ordning": p.name,
                "endrede_felt": "Hele ordningen (slettes)"
                if p.deletes
                else "; ".join(LABELS.get(c, c) for c in p.changed),
                "kommentar": p.comment,
                "kilde": p.source,
                "foreslatt_av": p.proposed_by_name,
                "foreslatt": _local(p.proposed_at),
                "status": p.get_status_display(),
                "avgjort_av": p.decided_by_name,
                "avgjort": _local(p.decided_at),
                "begrunnelse": p.decision_note,
                "historikk_versjon": p.change.version if p.change else None,
            }
        )
    return {
        "Runde": [{"felt": k, "verdi": v} for k, v in info],
        "Kommuner": municipalities,
        "Forslag": proposals,
    }


def _text(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def to_csv(round_: Round) -> bytes:
    rows: list[list[Any]] = []
    for index, (name, table) in enumerate(tables(round_).items()):
        if index:
            rows.append([])
        rows.append([f"#{name}"])
        columns = COLUMNS[name]
        rows.append(list(columns))
        rows.extend([_text(row.get(c)) for c in columns] for row in table)
    return cells.csv_bytes(rows)


def to_xlsx(round_: Round) -> bytes:
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = cells.new_workbook(empty=True)
    bold = Font(bold=True)
    for name, rows in tables(round_).items():
        sheet = book.create_sheet(name)
        columns = COLUMNS[name]
        sheet.freeze_panes = "A2"
        cells.append(sheet, columns)
        for cell in sheet[1]:
            cell.font = bold
        for i, column in enumerate(columns):
            sheet.column_dimensions[get_column_letter(i + 1)].width = max(12, len(column) + 4)
        for row in rows:
            cells.append(sheet, [_cell(row.get(c)) for c in columns])
            for cell in sheet[sheet.max_row]:
                if isinstance(cell.value, dt.datetime):
                    cell.number_format = "yyyy-mm-dd hh:mm"
                elif isinstance(cell.value, dt.date):
                    cell.number_format = "yyyy-mm-dd"
    return cells.save_workbook(book)


def _cell(value: Any) -> Any:
    return None if value is None or value == "" else value


def filename(round_: Round, extension: str) -> str:
    from django.utils.text import slugify

    return f"{slugify(round_.mapping.name)}-kontrollrunde-{round_.number}.{extension}"
