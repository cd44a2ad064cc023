"""Reporting adoption status: one rule set for the web form, the bulk file and the API.

A report is a new :class:`AdoptionRecord` (the register is append-only: the records are its
change history, each with who, when and the source). It is refused, with the problem on its
field and nothing written, when the user may not report for the municipality, the status is not
one of the four, the date is in the future or before the municipality existed (or after it
ended: a merged municipality's successors report for it), or the source is missing. Reporting the
standing the municipality already has changes nothing."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import rules
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from samarbeid.core.i18n import gettext_noop
from samarbeid.registry.edit_checks import (
    clean_source,
    clean_text_value,
    source_problems,
    text_problems,
)
from samarbeid.registry.editing import EditForbidden, EditRejected, Problem
from samarbeid.registry.models import Municipality

from . import progress
from .models import AdoptionRecord, Solution, Status

__all__ = [
    "EditForbidden",
    "EditRejected",
    "Report",
    "check_report",
    "date_problems",
    "forbidden_message",
    "report_status",
]

#: The earliest date a status may have (before any shared solution in the portfolio).
EARLIEST = dt.date(2000, 1, 1)


@dataclass(frozen=True)
class Report:
    solution: Solution
    municipality: Municipality
    status: str
    date: dt.date
    source: str
    note: str = ""


def _problem(field: str, code: str, template: str, value: object, **params: object) -> Problem:
    return Problem(field, code, template, value=str(value), params={"value": value, **params})


def date_problems(day: dt.date, today: dt.date | None = None) -> list[Problem]:
    """What is wrong with ``day`` as a status date on its own: after today, before 2000."""
    today = today or timezone.localdate()
    if day > today:
        return [
            _problem(
                "dato",
                "future_date",
                gettext_noop(
                    "Datoen {value} er etter i dag ({today}); meld status når den gjelder."
                ),
                day.isoformat(),
                today=today.isoformat(),
            )
        ]
    if day < EARLIEST:
        return [
            _problem(
                "dato",
                "too_early",
                gettext_noop("Datoen {value} er før {earliest}."),
                day.isoformat(),
                earliest=EARLIEST.isoformat(),
            )
        ]
    return []


def check_report(report: Report, today: dt.date | None = None) -> list[Problem]:
    """Everything wrong with ``report`` (no permission check; nothing written)."""
    problems: list[Problem] = []
    if report.status not in Status.values:
        problems.append(
            _problem(
                "status",
                "invalid_status",
                gettext_noop("Ukjent status «{value}». Gyldige verdier: {allowed}."),
                report.status,
                allowed=", ".join(Status.values),
            )
        )
    dated = date_problems(report.date, today)
    problems += dated
    if not dated and not progress.exists(report.municipality.key, report.date):
        problems.append(
            _problem(
                "dato",
                "municipality_not_valid",
                gettext_noop(
                    "{municipality} fantes ikke som kommune den {value}. Meld status for kommunen "
                    "som fantes da (etter en sammenslåing: den nye kommunen)."
                ),
                report.date.isoformat(),
                municipality=report.municipality.name,
            )
        )
    problems += text_problems("merknad", report.note, prose=True)
    problems += source_problems(report.source)
    return problems


def forbidden_message(user, municipality: Municipality) -> str:
    """Why ``user`` may not report for ``municipality`` (in the reader's language)."""
    if user is None or not user.is_authenticated:
        return _("Du må logge inn for å melde status.")
    return _(
        "Du kan ikke melde status for %(municipality)s: bare kommunens kommuneredaktør, "
        "sekretariatet i et samarbeidsorgan kommunen er medlem av, eller en administrator "
        "kan det."
    ) % {"municipality": municipality.name}


def report_status(user, report: Report, *, reported_by_name: str = "") -> AdoptionRecord | None:
    """Record ``report`` for ``user``; ``None`` when it is the standing the municipality already
    has on that date (nothing to record)."""
    if not rules.has_perm("adoption.report_status", user, report.municipality):
        raise EditForbidden(forbidden_message(user, report.municipality))
    problems = check_report(report)
    if problems:
        raise EditRejected(problems)
    with transaction.atomic():
        return _record(user, report, reported_by_name)


def _record(user, report: Report, reported_by_name: str) -> AdoptionRecord | None:
    latest = (
        AdoptionRecord.objects.select_for_update()
        .filter(solution=report.solution, municipality=report.municipality, date__lte=report.date)
        .order_by("-date", "-id")
        .first()
    )
    if latest is not None and latest.status == report.status:
        return None
    return AdoptionRecord.objects.create(
        solution=report.solution,
        municipality=report.municipality,
        status=report.status,
        date=report.date,
        source=clean_source(report.source),
        note=clean_text_value(report.note),
        reported_by=user if user is not None and user.is_authenticated else None,
        reported_by_name=reported_by_name or (user.get_username() if user else ""),
    )


def record_many(user, reports: list[Report], *, reported_by_name: str = "") -> int:
    """Record every report in one transaction (the bulk file, the API's list): each must be
    allowed and valid — the caller checks first and raises before calling — and the number of
    new records is returned (reports of the standing already held add none)."""
    written = 0
    with transaction.atomic():
        for report in reports:
            if not rules.has_perm("adoption.report_status", user, report.municipality):
                raise EditForbidden(forbidden_message(user, report.municipality))
            if _record(user, report, reported_by_name) is not None:
                written += 1
    return written
