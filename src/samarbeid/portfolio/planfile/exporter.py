"""Export a plan as a plan file (xlsx or json) that imports back to the same plan, and the empty
template. Both formats are made from one set of tables (:func:`plan_tables`).

The xlsx is written through :mod:`samarbeid.core.cells` (no live formula in any cell; a text the
workbook cannot hold stops the export before anything is written) and is deterministic: the same
plan gives the same bytes (fixed document dates and zip timestamps). The JSON has the shape of
``samarbeid handlingsplan --format json`` (:func:`samarbeid.portfolio.plan_data.plan_data`), with
``format`` and ``versjon``, the fields that shape leaves out, and without the derived ones.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import zipfile
from decimal import Decimal
from pathlib import Path
from typing import Any

from samarbeid.core import cells
from samarbeid.reference.gazetteer import load_gazetteer

from ..models import ActionPlan, Participation
from ..periods import due_by
from .schema import (
    AMOUNT,
    BOOLEAN,
    CATEGORIES,
    FORMS,
    FUNDING,
    HELP_SHEET,
    INTEGER,
    JSON_FORMAT,
    JSON_VERSION,
    MILESTONES,
    NULLABLE,
    PARTICIPATION,
    PHASES,
    PLAN,
    PROJECTS,
    SECTIONS,
    SHEETS,
    STATUSES,
)

Tables = dict[str, list[dict[str, str]]]
#: The date every exported workbook carries (document properties and zip entries).
FIXED_STAMP = "2000-01-01T00:00:00Z"
_ZIP_TIME = (2000, 1, 1, 0, 0, 0)


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nei"
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(int(value)) if value == value.to_integral_value() else str(value)
    return str(value)


def _municipality_number(key: str, year: int) -> tuple[str, str]:
    """A municipality's number and name in the plan year (else its latest period before it)."""
    periods = load_gazetteer().entity_periods(key)
    if not periods:
        return "", key
    day = dt.date(year, 1, 1)
    chosen = next((p for p in periods if p.valid_at(day)), None)
    if chosen is None:
        earlier = [p for p in periods if p.valid_from is None or p.valid_from <= day]
        chosen = earlier[-1] if earlier else periods[0]
    return chosen.number, chosen.qualified_name()


def plan_tables(plan: ActionPlan) -> Tables:
    """The plan as the file's tables of canonical strings, sheet by sheet."""
    tables: Tables = {s.name: [] for s in SHEETS}
    tables[PLAN.name].append(
        {
            "organ": plan.body.name,
            "ar": _text(plan.year),
            "tittel": plan.title,
            "status": plan.status,
            "vedtatt_av": plan.approved_by.name if plan.approved_by else "",
            "vedtatt_dato": _text(plan.approved_on),
            "oppgitt_antall_prosjekter": _text(plan.stated_project_count),
            "sammendrag": plan.summary,
            "kilde": plan.source,
        }
    )
    entries = list(plan.entries.select_related("project", "project__focus_area"))
    ids = {e.project_id: e.project.code for e in entries}
    for entry in entries:
        p = entry.project
        tables[PROJECTS.name].append(
            {
                "kode": p.code,
                "tittel": p.title,
                "kategori": entry.category,
                "type": p.kind,
                "satsingsomrade": p.focus_area.name if p.focus_area else "",
                "eier": p.owner,
                "ansvarlig": p.responsible,
                "fase": p.phase,
                "samarbeidsform": p.cooperation_form,
                "soker_midler": _text(p.seeks_funds),
                "i_aret": entry.this_year,
                "avsnitt": entry.section,
                "budsjett": _text(p.budget),
                "startet": p.started,
                "beskrivelse": p.description,
                "okonomi": p.economic_case,
                "kilde": p.source,
            }
        )
    order = {pid: i for i, pid in enumerate(ids)}
    milestones = sorted(
        plan.milestones.filter(project_id__in=list(ids)),
        key=lambda m: (order[m.project_id], m.position, m.id),
    )
    for m in milestones:
        tables[MILESTONES.name].append(
            {
                "prosjektkode": ids[m.project_id],
                "tekst": m.text,
                "nar": m.when,
                "ferdig": _text(m.done),
                "kilde": m.source,
            }
        )
    funding = [
        f
        for f in plan.body.funding.filter(year=plan.year)
        if f.project_id is None or f.project_id in ids  # another project's is not the plan's
    ]
    # The whole plan's first, then each project's in the plan's order: the order JSON keeps.
    funding.sort(key=lambda f: (-1 if f.project_id is None else order[f.project_id], f.id))
    for f in funding:
        tables[FUNDING.name].append(
            {
                "ar": _text(f.year),
                "periode_som_oppgitt": f.year_as_stated,
                "prosjektkode": ids.get(f.project_id, ""),
                "type": f.source_kind,
                "giver": f.grantor,
                "sokt": _text(f.applied),
                "innvilget": _text(f.granted),
                "egenandel": _text(f.own_contribution),
                "vedtaksdato": _text(f.decision_date),
                "kilde": f.source,
            }
        )
    taking_part = Participation.objects.filter(project_id__in=ids).select_related("municipality")
    rows = []
    for t in taking_part:
        number, name = _municipality_number(t.municipality.key, plan.year)
        row = {
            "prosjektkode": ids[t.project_id],
            "kommunenummer": number,
            "kommune": name,
            "deltar": _text(t.takes_part),
            "kilde": t.source,
        }
        rows.append(((order[t.project_id], number, name), row))
    tables[PARTICIPATION.name] = [row for _, row in sorted(rows, key=lambda r: r[0])]
    for section in plan.sections.all():
        tables[SECTIONS.name].append({"nummer": section.number, "tittel": section.title})
    return tables


# --- xlsx ---------------------------------------------------------------------------------------


def _cell(column: str, text: str) -> object:
    if text == "":
        return None
    if column in INTEGER or column in AMOUNT:
        return int(Decimal(text))
    return text


def _workbook(tables: Tables) -> Any:
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = cells.new_workbook(strict=True, empty=True)
    bold = Font(bold=True)
    for sheet_spec in SHEETS:
        sheet = book.create_sheet(sheet_spec.name)
        columns = sheet_spec.keys
        sheet.freeze_panes = "A2"
        for i, column in enumerate(columns, start=1):
            width = 40 if sheet_spec.column(column).max_length > 300 else len(column) + 6
            sheet.column_dimensions[get_column_letter(i)].width = max(12, width)
        cells.append(sheet, columns)
        for cell in sheet[1]:
            cell.font = bold
        for row in tables.get(sheet_spec.name, []):
            cells.append(sheet, [_cell(c, row.get(c, "")) for c in columns])
    return book


def deterministic(data: bytes) -> bytes:
    """An xlsx with fixed dates: the document's created/modified and every zip entry's time."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    stamp = FIXED_STAMP.encode()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = re.sub(
                    rb"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:\2>)",
                    rb"\g<1>" + stamp + rb"\g<3>",
                    content,
                )
            entry = zipfile.ZipInfo(info.filename, date_time=_ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = info.external_attr
            target.writestr(entry, content)
    return out.getvalue()


def xlsx_bytes(tables: Tables, *, help_sheet: bool = False) -> bytes:
    """The workbook's bytes. Raises CellRefused (nothing written) for a cell it cannot hold."""
    book = _workbook(tables)
    if help_sheet:
        _add_help_sheet(book)
    return deterministic(cells.save_workbook(book))


# --- json ---------------------------------------------------------------------------------------


def _json_value(column: str, text: str) -> object:
    if text == "":
        return None if column in NULLABLE else ""
    if column in INTEGER or column in AMOUNT:
        return int(Decimal(text))
    if column in BOOLEAN:
        return text == "ja"
    return text


def _typed(row: dict[str, str], leave_out: tuple[str, ...] = ()) -> dict[str, object]:
    return {k: _json_value(k, v) for k, v in row.items() if k not in leave_out}


def plan_json(tables: Tables) -> dict[str, object]:
    """The tables in the shape of ``plan_data`` (see the package docstring for the keys)."""
    head = _typed(tables[PLAN.name][0])
    by_code: dict[str, dict[str, list]] = {}
    projects = []
    for row in tables[PROJECTS.name]:
        nested: dict[str, list] = {"milepaeler": [], "finansiering": [], "deltakelse": []}
        by_code[row["kode"]] = nested
        projects.append({**_typed(row), **nested})
    for row in tables[MILESTONES.name]:
        milestone = _typed(row, ("prosjektkode",))
        deadline = due_by(row["nar"])
        milestone["frist"] = deadline.isoformat() if deadline else None
        by_code[row["prosjektkode"]]["milepaeler"].append(milestone)
    plan_funding = []
    for row in tables[FUNDING.name]:
        item = _typed(row, ("prosjektkode",))
        (
            by_code[row["prosjektkode"]]["finansiering"] if row["prosjektkode"] else plan_funding
        ).append(item)
    for row in tables[PARTICIPATION.name]:
        by_code[row["prosjektkode"]]["deltakelse"].append(_typed(row, ("prosjektkode",)))
    source = head.pop("kilde")
    return {
        "format": JSON_FORMAT,
        "versjon": JSON_VERSION,
        **head,
        "prosjekter": projects,
        "finansiering": plan_funding,
        "avsnitt": [_typed(r) for r in tables[SECTIONS.name]],
        "kilde": source,
    }


def json_bytes(tables: Tables) -> bytes:
    return (json.dumps(plan_json(tables), ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def export_plan(plan: ActionPlan, fmt: str, out: Path) -> None:
    """Write the plan as ``fmt`` (xlsx or json) to ``out`` (a temporary file: the command
    renames it into place when everything is written)."""
    tables = plan_tables(plan)
    out.write_bytes(xlsx_bytes(tables) if fmt == "xlsx" else json_bytes(tables))


# --- the template -------------------------------------------------------------------------------


def template_bytes() -> bytes:
    """An empty plan workbook: every sheet with its headers, no data, and the sheet Veiledning
    with every column explained, the allowed values and an example (the examples are only
    there: the data sheets are empty)."""
    return xlsx_bytes({s.name: [] for s in SHEETS}, help_sheet=True)


def _add_help_sheet(book: Any) -> None:
    from openpyxl.styles import Alignment, Font

    sheet = book.create_sheet(HELP_SHEET, 0)
    lines = [
        ["Handlingsplan som fil: ett samarbeidsorgan, ett år. Fyll ut arkene Plan (én rad), "
         "Prosjekter, Milepæler og Finansiering (påkrevd), og Deltakelse og Avsnitt om du vil."],
        ["Kontroller filen med «samarbeid plan-import FIL --kontroller», importer med "
         "«samarbeid plan-import FIL». Se docs/planfil.md."],
        ["Eksemplene står bare i dette arket (kolonnen «eksempel»); dette arket leses ikke."],
        [],
        ["ark", "kolonne", "påkrevd", "forklaring", "eksempel"],
    ]  # fmt: skip
    for line in lines:
        cells.append(sheet, line)
    header = sheet.max_row
    for cell in sheet[header]:
        cell.font = Font(bold=True)
    for s in SHEETS:
        for column in s.columns:
            cells.append(
                sheet,
                [
                    s.name,
                    column.key,
                    "ja" if column.required else "",
                    column.help_nb,
                    column.example,
                ],
            )
    cells.append(sheet, [])
    cells.append(sheet, ["kolonne", "tillatte verdier"])
    for column, vocab in (
        ("status", STATUSES),
        ("kategori", CATEGORIES),
        ("fase", PHASES),
        ("samarbeidsform", FORMS),
    ):
        cells.append(sheet, [column, ", ".join(vocab.codes())])
    cells.append(sheet, ["soker_midler, deltar", "ja, nei"])
    sheet.column_dimensions["D"].width = 80
    for row in sheet.iter_rows(min_row=header + 1, min_col=4, max_col=4):
        row[0].alignment = Alignment(wrap_text=True)
