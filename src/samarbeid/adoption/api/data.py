"""What the API answers, built from the registry: a solution, its portfolio items and reported
counts, one municipality's standing per solution with its records; and the reading of a status
report's body into the status file's table, so the API is checked by the very same rules
(:mod:`samarbeid.adoption.statusfile.validate`) as the file and the upload page."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from samarbeid.reference.gazetteer import MunicipalityPeriod, load_gazetteer
from samarbeid.rules.findings import Finding
from samarbeid.rules.tables import RawWorkbook, Table

from .. import progress
from ..models import AdoptionRecord, Item, ReportedCount, Solution
from ..statusfile import schema
from ..statusfile.reader import KEY
from ..statusfile.schema import COLUMNS


def absolute(request, name: str, *args) -> str:
    return request.build_absolute_uri(reverse(f"adoption_api:{name}", args=args))


def solution_item(request, solution: Solution) -> dict[str, Any]:
    return {
        "id": solution.pk,
        "navn": solution.name,
        "beskrivelse": solution.description,
        "kilde": solution.source,
        "url": absolute(request, "losning", solution.pk),
    }


def item_row(item: Item) -> dict[str, Any]:
    portfolio = item.portfolio
    return {
        "portefolje": portfolio.title,
        "ar": portfolio.year,
        "niva": portfolio.level,
        "organ": portfolio.body.name if portfolio.body_id else None,
        "referanse": item.reference,
        "tittel": item.title,
        "type": item.kind,
        "innsatsomrade": item.area.name if item.area_id else None,
        "ambisjon": item.ambition,
        "kilde": item.source,
    }


def reported_row(count: ReportedCount) -> dict[str, Any]:
    return {
        "antall": count.count,
        "niva": count.level,
        "per": count.as_of.isoformat(),
        "som_oppgitt": count.as_of_text,
        "i_teksten": count.in_text,
        "oppgitt_av": count.reported_by,
        "kilde": count.source,
    }


def solution_detail(request, solution: Solution, day: dt.date) -> dict[str, Any]:
    items = Item.objects.filter(solution=solution).select_related(
        "portfolio", "portfolio__body", "area"
    )
    standing = progress.standings_at(day, [solution.pk])
    return {
        **solution_item(request, solution),
        "tiltak": [item_row(i) for i in items.order_by("portfolio__year", "portfolio__level")],
        "rapporterte_tall": [reported_row(c) for c in solution.reported_counts.all()],
        "utbredelse": progress.solution_progress(solution, day, standing),
    }


def _label(key: str) -> str:
    periods = load_gazetteer().entity_periods(key)
    return periods[-1].label() if periods else key


def municipality_detail(period: MunicipalityPeriod, day: dt.date) -> dict[str, Any]:
    """The municipality's standing on ``day`` per solution (its own, or inherited through a
    merger) and its own records up to that day."""
    standing = progress.standings_at(day)
    records: dict[int, list[dict[str, Any]]] = {}
    rows = AdoptionRecord.objects.filter(municipality__key=period.entity, date__lte=day)
    for record in rows.order_by("date", "id"):
        records.setdefault(record.solution_id, []).append(
            {
                "status": record.status,
                "dato": record.date.isoformat(),
                "kilde": record.source,
                "merknad": record.note,
                "meldt_av": record.reported_by_name,
                "registrert": record.recorded,
            }
        )
    solutions = []
    for solution in Solution.objects.order_by("name"):
        found = standing.get((solution.pk, period.entity))
        solutions.append(
            {
                "id": solution.pk,
                "losning": solution.name,
                "status": found.status if found else None,
                "siden": found.since.isoformat() if found else None,
                "arvet_fra": [_label(k) for k in found.inherited_from] if found else [],
                "registreringer": records.get(solution.pk, []),
            }
        )
    return {
        "kommunenummer": period.number,
        "navn": period.qualified_name(),
        "dato": day.isoformat(),
        "losninger": solutions,
    }


# --- a status report's body ---------------------------------------------------------------------


def problem(
    message: str, *, field: str | None = None, index: int | None = None, code: str = "",
    value: str | None = None,
) -> dict[str, Any]:  # fmt: skip
    return {"felt": field, "indeks": index, "melding": message, "kode": code, "verdi": value}


def finding_problem(finding: Finding, lang: str) -> dict[str, Any]:
    """A finding of the status check at its item (the table's row is the item's place + 1)."""
    return problem(
        finding.text(lang),
        field=finding.column,
        index=finding.row - 1 if finding.row is not None else None,
        code=finding.code,
        value=finding.value,
    )


def _cell(value: object, key: str) -> str | None:
    """A JSON value as the cell text; None when it is not one (a text; the number also an
    integer, as a client may send 3806)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if key == "kommunenummer" and type(value) is int and 0 <= value <= 9999:
        return str(value)
    return None


def status_table(data: object) -> tuple[RawWorkbook | None, list[dict[str, Any]]]:
    """One status object or a list of them as the status file's table (the item's place + 1 is
    its row), or the problems with the body's shape."""
    items = data if isinstance(data, list) else [data]
    if not items:
        return None, [problem(_("Send minst én status."), code="empty")]
    if len(items) > schema.MAX_ROWS:
        message = _("Høyst %(limit)s statuser per forespørsel.") % {"limit": schema.MAX_ROWS}
        return None, [problem(message, code="too_many")]
    problems = []
    rows = []
    for index, item in enumerate(items):
        if not isinstance(item, dict):
            message = _("Forventet et JSON-objekt med %(keys)s.") % {"keys": ", ".join(COLUMNS)}
            problems.append(problem(message, index=index, code="not_object"))
            continue
        cells = []
        for key in item:
            if key not in COLUMNS:
                message = _("Ukjent felt. Forventet: %(keys)s.") % {"keys": ", ".join(COLUMNS)}
                problems.append(problem(message, field=key, index=index, code="unknown_field"))
        for key in COLUMNS:
            text = _cell(item.get(key), key)
            if text is None:
                problems.append(
                    problem(_("Skriv en tekst."), field=key, index=index, code="not_text")
                )
                text = ""
            cells.append(text.strip())
        rows.append((index + 1, cells))
    if problems:
        return None, problems
    table = Table("", list(COLUMNS), rows, header_row=0)
    return RawWorkbook(None, "API", "json", tables={KEY: table}), []
