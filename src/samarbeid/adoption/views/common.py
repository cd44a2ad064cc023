"""What the adoption pages share: the day of ``?dato=``, finding the municipality of a number
(the one that had the number on the day, else the last one that had it), the breadcrumbs, the
refusal page, how counts and shares read (decimal comma, «215 av 356»), and turning the service's
problems into form errors."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from samarbeid.reference.gazetteer import MunicipalityPeriod, load_gazetteer
from samarbeid.registry import permissions
from samarbeid.registry.editing import Problem
from samarbeid.registry.models import Municipality

from .. import counting, progress
from ..checks import check_items
from ..facts import item_facts
from ..forms import STATUS_LABELS, DayForm
from ..models import Item, ReportedCount, Solution

UNKNOWN = "ukjent"


def status_label(code: str | None) -> str:
    """The status in words; «Ikke registrert» for a municipality with no record."""
    if not code or code == UNKNOWN:
        return _("Ikke registrert")
    return str(STATUS_LABELS.get(code, code))


def level_label(level: str) -> str:
    """What a count counts: «i bruk», or «tilgjengeliggjort eller i bruk»."""
    if level == "i_bruk":
        return _("i bruk")
    return _("tilgjengeliggjort eller i bruk")


def reported_level_label(level: str) -> str:
    """What a reported count counts, as the source says it."""
    if level == "i_bruk":
        return _("i bruk")
    if level == "tilgjengeliggjort":
        return _("tilgjengeliggjort")
    return _("uten oppgitt nivå")


def findings(item: Item | None) -> list[dict[str, str]]:
    """What the portfolio document gets wrong about the item (:mod:`..checks`), in the reader's
    language."""
    if item is None:
        return []
    return [f.as_json(language()) for f in check_items([item_facts(item)])]


def percent(share: float | None) -> str:
    """``60,4 %`` (the reader's decimal sign); "" without a share."""
    if share is None:
        return ""
    return f"{number_format(round(share * 100, 1), 1)}\u00a0%"


def part_of(part: int, whole: int | None) -> str:
    """``215 av 356``; just the part when there is no whole."""
    if whole is None:
        return str(part)
    return _("%(part)s av %(whole)s") % {"part": part, "whole": whole}


def signed(value: int | None) -> str:
    """A difference with its sign (``+3``, ``−2``, ``0``); "" when there is none."""
    if value is None:
        return ""
    if value > 0:
        return f"+{value}"
    return f"\u2212{-value}" if value < 0 else "0"


def read_day(request: HttpRequest) -> tuple[DayForm, dt.date | None]:
    """The form of ``?dato=`` and its day (today when empty); ``None`` when it is not a date
    the register can answer for (the page then says why, with status 400)."""
    if not request.GET.get("dato", "").strip():
        today = timezone.localdate()
        return DayForm(initial={"dato": today}), today
    form = DayForm(request.GET)
    if form.is_valid():
        return form, form.cleaned_data["dato"]
    return form, None


def crumbs(*rest: tuple[str, str]) -> list[tuple[str, str]]:
    items = [(reverse("adoption:overview"), _("Utbredelse av fellesløsninger")), *rest]
    items[-1] = ("", items[-1][1])
    return items


NUMBER = re.compile(r"[0-9]{4}")


def period_of(number: str, day: dt.date) -> MunicipalityPeriod:
    """The municipality with ``number`` on ``day`` (the gazetteer); else the last one that had
    the number (an address kept after a merger still finds its municipality). 404 otherwise."""
    if not NUMBER.fullmatch(number):
        raise Http404(_("«%(number)s» er ikke et kommunenummer.") % {"number": number})
    gazetteer = load_gazetteer()
    period = gazetteer.by_number(number, day)
    if period is None:
        history = gazetteer.number_history(number)
        if history:
            period = max(history, key=lambda p: p.valid_from or dt.date.min)
    if period is None:
        raise Http404(_("Ingen kommune har hatt nummeret %(number)s.") % {"number": number})
    return period


def municipality_of(period: MunicipalityPeriod) -> Municipality:
    found = Municipality.objects.filter(key=period.entity).first()
    if found is None:
        raise Http404(_("Kommunen %(name)s er ikke i registeret.") % {"name": period.name})
    return found


def forbidden(request: HttpRequest, message: str, number: str, name: str) -> HttpResponse:
    """The 403 page: why, who the user is, and the way back."""
    return render(
        request,
        "adoption/forbidden.html",
        {
            "message": message,
            "number": number,
            "name": name,
            "roles": permissions.role_labels(request.user),
            "crumbs": crumbs(
                (reverse("adoption:municipality", args=[number]), name), ("", _("Ingen tilgang"))
            ),
        },
        status=403,
    )


def language() -> str:
    """The catalogue language of the request: "en" or "nb"."""
    return "en" if (get_language() or "").startswith("en") else "nb"


def attach(form, problems: list[Problem]) -> None:
    """Each problem on its field; one about something the form has no field for on the form."""
    lang = language()
    for problem in problems:
        name = problem.field if problem.field in form.fields else None
        form.add_error(name, problem.text(lang))


# --- the rows of the tables ---------------------------------------------------------------------


def status_labels() -> dict[str, str]:
    """Every status code, and «ukjent», in words (the reader's language)."""
    return {code: status_label(code) for code in (*STATUS_LABELS, UNKNOWN)}


def reaches(status: str, level: str) -> bool:
    """Whether a municipality at ``status`` counts at ``level`` (made available counts «i bruk»
    too, as the sources count it)."""
    if level == counting.IN_USE:
        return status == counting.IN_USE
    return status in (counting.AVAILABLE, counting.IN_USE)


def _day(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def national_figures(row: dict[str, Any]) -> dict[str, Any]:
    """One solution's national row of :func:`..progress.solution_progress`, as it reads."""
    reported = row["rapportert"]
    ambition = row["ambisjon"]
    status = row["status"]
    return {
        "area": row["innsatsomrade"] or "",
        "item": row["tiltak"] or "",
        "reported": None
        if reported is None
        else {
            "count": reported["antall"],
            "level": reported_level_label(reported["niva"]),
            "as_of": _day(reported["per"]),
            "as_stated": reported["som_oppgitt"],
            "by": reported["oppgitt_av"],
            "source": reported["kilde"],
            "of": part_of(reported["antall"], ambition),
            "share": percent(row["andel_rapportert"]),
        },
        "counted": row["fra_registreringer"],
        "level": level_label(row["niva"]),
        "difference": signed(row["differanse"]),
        "in_use": status["i_bruk"],
        "available": status["tilgjengeliggjort"],
        "stopped": status["stoppet"],
        "not_started": status["ikke_startet"],
        "unknown": status["ukjent"],
        "ambition": ambition,
        "of": part_of(row["fra_registreringer"], ambition),
        "share": percent(row["andel"]),
        "population": row["populasjon"]["antall"],
        "population_note": row["populasjon"]["merknad"],
    }


def overview_row(
    solution: Solution, row: dict[str, Any], url: str, item: Item | None
) -> dict[str, Any]:
    return {"solution": solution, "url": url, "findings": findings(item), **national_figures(row)}


def municipality_rows(
    solution: Solution,
    keys: list[str],
    places: dict[str, progress.Place],
    standing: dict,
    level: str,
    query: str,
) -> list[dict[str, Any]]:
    """Every municipality of the population with its status, by name."""
    rows = []
    for key in keys:
        place = places[key]
        found = standing.get((solution.pk, key))
        status = found.status if found else UNKNOWN
        rows.append(
            {
                "number": place.number,
                "name": place.name,
                "county": place.county_name,
                "status": status,
                "label": status_label(status),
                "since": found.since if found else None,
                "inherited": bool(found and found.inherited_from),
                "reached": reaches(status, level),
                "url": reverse("adoption:municipality", args=[place.number]) + query,
            }
        )
    return sorted(rows, key=lambda r: (r["name"], r["number"]))


def group_rows(
    solution: Solution, day: dt.date, standing: dict, per: str, level: str, loaded: progress.Loaded
) -> list[dict]:
    """The solution per county or body: counts, the number at ``level`` of the group's part of
    the population, and its share. Groups with no municipality of the population are left
    out (a body with no named member)."""
    rows = []
    for label, members in progress.groups(per, day):
        row = progress.solution_progress(
            solution, day, standing, within=members, names=False, loaded=loaded
        )
        status = row["status"]
        size = row["populasjon"]["antall"]
        total = sum(status[k] for k in ("i_bruk", "tilgjengeliggjort", "stoppet", "ikke_startet"))
        if not total + status["ukjent"]:
            continue
        reached = status["i_bruk"] + (
            0 if level == counting.IN_USE else status["tilgjengeliggjort"]
        )
        rows.append(
            {
                "label": label,
                "population": size,
                "in_use": status["i_bruk"],
                "available": status["tilgjengeliggjort"],
                "stopped": status["stoppet"],
                "not_started": status["ikke_startet"],
                "unknown": status["ukjent"],
                "reached": reached,
                "of": part_of(reached, size),
                "share": percent(counting.share(reached, size)),
            }
        )
    return rows


def series_text(
    solution: Solution,
    points: list[tuple[dt.date, int]],
    reported: list[ReportedCount],
    level: str,
) -> str:
    """The time series in words (the figure's text alternative; the table has every point)."""
    if points:
        text = _(
            "Antall kommuner med %(solution)s %(level)s ved utgangen av hver måned fra "
            "%(first)s til %(last)s, fra registreringene: først %(start)s, sist %(end)s."
        ) % {
            "solution": solution.name,
            "level": level_label(level),
            "first": points[0][0].strftime("%m.%Y"),
            "last": points[-1][0].strftime("%d.%m.%Y"),
            "start": points[0][1],
            "end": points[-1][1],
        }
    else:
        text = _("Ingen kommune har registrert status for %(solution)s.") % {
            "solution": solution.name
        }
    if reported:
        said = "; ".join(
            f"{r.count} {reported_level_label(r.level)} ({r.as_of.strftime('%d.%m.%Y')}, {r.reported_by})"
            for r in reported
        )
        text += " " + _("Rapporterte tall, vist som firkanter: %(said)s.") % {"said": said}
    return text
