"""The adoption register's pages to read, each «as of» ``?dato=`` (today when empty): every
solution with the reported count beside the count of the records; one solution nationally, per
county and per body, who is missing, the map by status and the count over time; one
municipality's status for every solution with its history (a page to print)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import rules
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from samarbeid.reference.gazetteer import load_gazetteer

from .. import charts, counting, progress
from ..models import AdoptionRecord, Pilot, ReportedCount, Solution
from .common import (
    crumbs,
    findings,
    group_rows,
    municipality_of,
    municipality_rows,
    national_figures,
    overview_row,
    period_of,
    read_day,
    series_text,
    status_label,
    status_labels,
)


def _query(request: HttpRequest) -> str:
    """``?dato=…`` to carry to the next page when the reader chose a date."""
    day = request.GET.get("dato", "").strip()
    return "?" + urlencode({"dato": day}) if day else ""


@require_safe
def overview(request: HttpRequest) -> HttpResponse:
    form, day = read_day(request)
    context: dict[str, Any] = {
        "form": form,
        "day": day,
        "crumbs": [("", _("Utbredelse av fellesløsninger"))],
        "can_upload": request.user.has_perm("adoption.report_any"),
    }
    if day is None:
        return render(request, "adoption/overview.html", context, status=400)
    solutions = list(Solution.objects.order_by("name"))
    standing = progress.standings_at(day, [s.pk for s in solutions])
    loaded = progress.Loaded(solutions, day)
    query = _query(request)
    context["rows"] = [
        overview_row(
            s,
            progress.solution_progress(s, day, standing, names=False, loaded=loaded),
            reverse("adoption:solution", args=[s.pk]) + query,
            loaded.items[s.pk],
        )
        for s in solutions
    ]
    context["findings"] = [f for row in context["rows"] for f in row["findings"]]
    return render(request, "adoption/overview.html", context)


@require_safe
def solution_detail(request: HttpRequest, solution_id: int) -> HttpResponse:
    solution = get_object_or_404(Solution, pk=solution_id)
    form, day = read_day(request)
    context: dict[str, Any] = {
        "solution": solution,
        "form": form,
        "day": day,
        "crumbs": crumbs(("", solution.name)),
    }
    if day is None:
        return render(request, "adoption/solution.html", context, status=400)
    standing = progress.standings_at(day, [solution.pk])
    loaded = progress.Loaded([solution], day)
    national = progress.solution_progress(solution, day, standing, names=False, loaded=loaded)
    item = loaded.items[solution.pk]
    keys, listed = loaded.population(solution)
    places = progress.places_at(day)
    level = national["niva"]
    rows = municipality_rows(solution, keys, places, standing, level, _query(request))
    missing = [r for r in rows if not r["reached"]]
    counts = national["status"]
    context |= {
        "item": item,
        "national": national_figures(national),
        "level": level,
        "listed": listed,
        "partial": listed and len(keys) < len(places),
        "outside": len(places) - len(keys),
        "population_note": item.population_note if item else "",
        "rows": rows,
        "missing": missing,
        "by_county": group_rows(solution, day, standing, "fylke", level, loaded),
        "by_body": group_rows(solution, day, standing, "organ", level, loaded),
        "by_region": group_rows(solution, day, standing, "region", level, loaded),
        "map": _status_map(solution, day, places, keys, listed, rows, counts),
        "pilots": Pilot.objects.filter(item__solution=solution).select_related(
            "item", "item__portfolio", "municipality"
        ),
        "reported": ReportedCount.objects.filter(solution=solution).order_by("as_of", "id"),
        "findings": findings(item),
        "items": solution.items.select_related("portfolio", "area").order_by(
            "-portfolio__year", "portfolio__level"
        ),
    }
    context |= _series(solution, item, level, day, national["ambisjon"])
    return render(request, "adoption/solution.html", context)


def _status_map(solution, day, places, keys, listed, rows, counts) -> Any:
    names = {p.number: p.name for p in places.values()}
    statuses = {r["number"]: r["status"] for r in rows if r["status"] != "ukjent"}
    within = {places[k].number for k in keys} if listed and len(keys) < len(places) else None
    text = _(
        "Kart over de %(n)s kommunene per %(day)s, farget etter status for %(solution)s: "
        "%(in_use)s i bruk, %(available)s tilgjengeliggjort, %(stopped)s stoppet, "
        "%(not_started)s ikke startet og %(unknown)s uten registrering."
    ) % {
        "n": len(places),
        "day": day.strftime("%d.%m.%Y"),
        "solution": solution.name,
        "in_use": counts["i_bruk"],
        "available": counts["tilgjengeliggjort"],
        "stopped": counts["stoppet"],
        "not_started": counts["ikke_startet"],
        "unknown": counts["ukjent"],
    }
    if within is not None:
        text += " " + _("Kommuner utenfor populasjonen er grå.")
    text += " " + _("Tabellen «Status per kommune» har de samme opplysningene.")
    return charts.status_map(day, names, statuses, status_labels(), within, text)


def _series(solution, item, level, day, ambition) -> dict[str, Any]:
    points = charts.monthly_counts(solution, item, level, day)
    reported = list(ReportedCount.objects.filter(solution=solution, as_of__lte=day))
    text = series_text(solution, points, reported, level)
    return {
        "series": points,
        "series_reported": reported,
        "chart": charts.series_chart(points, reported, ambition, text),
    }


# --- one municipality ---------------------------------------------------------------------------


def _ancestors(entity: str) -> set[str]:
    """The entity and every municipality it continues through mergers and splits."""
    gazetteer = load_gazetteer()
    found, todo = {entity}, [entity]
    while todo:
        for period in gazetteer.entity_periods(todo.pop()):
            for before in gazetteer.predecessors(period):
                if before.entity not in found:
                    found.add(before.entity)
                    todo.append(before.entity)
    return found


def _as_of(entity: str, day: dt.date) -> dt.date:
    """``day``; the last day of a municipality that ended before it."""
    periods = load_gazetteer().entity_periods(entity)
    if any(p.valid_at(day) for p in periods):
        return day
    ends = [p.valid_to for p in periods if p.valid_to is not None and p.valid_to < day]
    return max(ends) if ends else day


def _name(key: str) -> str:
    periods = load_gazetteer().entity_periods(key)
    return periods[-1].label() if periods else key


@require_safe
def municipality_detail(request: HttpRequest, number: str) -> HttpResponse:
    form, day = read_day(request)
    period = period_of(number, day or timezone.localdate())
    municipality = municipality_of(period)
    context: dict[str, Any] = {"form": form, "day": day, "number": number, "period": period}
    context["crumbs"] = crumbs(("", period.label()))
    if day is None:
        return render(request, "adoption/municipality.html", context, status=400)
    entity = municipality.key
    as_of = _as_of(entity, day)
    shown = next((p for p in load_gazetteer().entity_periods(entity) if p.valid_at(as_of)), period)
    keys = _ancestors(entity)
    records = list(
        AdoptionRecord.objects.filter(municipality__key__in=keys, date__lte=as_of)
        .select_related("solution", "municipality", "reported_by")
        .order_by("date", "id")
    )
    latest = {(r.solution_id, r.municipality.key): r for r in records}
    standing = counting.standings(
        [
            counting.Record(r.solution_id, r.municipality.key, r.date, r.status, r.pk)
            for r in latest.values()
        ],
        as_of,
        progress.exists,
        progress.ends,
    )
    can_report = rules.has_perm("adoption.report_status", request.user, municipality)
    report_url = reverse("adoption:report", args=[number])
    rows = []
    solutions = list(Solution.objects.order_by("name"))
    items = progress.Loaded(solutions, as_of).items
    for solution in solutions:
        found = standing.get((solution.pk, entity))
        record = None
        if found is not None:
            sources = found.inherited_from or (entity,)
            record = max(
                (
                    latest[(solution.pk, k)]
                    for k in sources
                    if (solution.pk, k) in latest
                    and latest[(solution.pk, k)].status == found.status
                ),
                key=lambda r: (r.date, r.pk),
                default=None,
            )
        item = items[solution.pk]
        rows.append(
            {
                "solution": solution,
                "url": reverse("adoption:solution", args=[solution.pk]) + _query(request),
                "area": item.area.name if item and item.area else "",
                "status": found.status if found else "ukjent",
                "label": status_label(found.status if found else None),
                "since": found.since if found else None,
                "inherited": [_name(k) for k in found.inherited_from] if found else [],
                "record": record,
                "report": f"{report_url}?{urlencode({'losning': solution.pk})}"
                if can_report
                else "",
            }
        )
    history = [
        {
            "record": r,
            "label": status_label(r.status),
            "other": _name(r.municipality.key) if r.municipality.key != entity else "",
        }
        for r in reversed(records)
    ]
    context |= {
        "municipality": municipality,
        "shown": shown,
        "as_of": as_of,
        "ended": as_of != day,
        "rows": rows,
        "history": history,
        "can_report": can_report,
        "report_url": report_url,
    }
    return render(request, "adoption/municipality.html", context)
