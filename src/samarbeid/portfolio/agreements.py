"""Agreements as data for the command, the API and the pages: term, days left, latest version,
missing statutory content; and the list of those running out within a number of days."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from samarbeid.core.i18n import translate

from . import statutory
from .models import Agreement

#: An agreement's alert shows this many days before it runs out (the body page, the API, e-mail).
ALERT_DAYS = 90


def legal_form(agreement: Agreement) -> str:
    if agreement.legal_form:
        return agreement.legal_form
    return agreement.body.legal_form if agreement.body_id else ""


def agreement_data(agreement: Agreement, today: dt.date | None = None) -> dict[str, Any]:
    today = today or timezone.localdate()
    versions = list(agreement.versions.all())
    form = legal_form(agreement)
    checked = agreement.kind != Agreement.Kind.VENDOR and form in statutory.CHECKLISTS
    return {
        "tittel": agreement.title,
        "organ": agreement.body.name if agreement.body_id else None,
        "type": agreement.kind,
        "parter": agreement.parties,
        "leverandor": agreement.vendor or None,
        "lovgrunnlag": agreement.legal_basis,
        "fra": agreement.starts.isoformat() if agreement.starts else None,
        "til": agreement.ends.isoformat() if agreement.ends else None,
        "varighet_som_oppgitt": agreement.term_as_stated,
        "dager_igjen": (agreement.ends - today).days if agreement.ends else None,
        "versjon": versions[-1].label if versions else None,
        "versjonslogg": [
            {
                "versjon": v.label,
                "dato": v.date.isoformat() if v.date else v.date_as_stated,
                "forum": v.forum,
                "mote_eller_utsending": v.occasion,
                "endringer": v.changes,
                "ansvarlig": v.responsible,
            }
            for v in versions
        ],
        "kommunestyrevedtak": [
            {
                "kommune": c.council,
                "dato": c.date.isoformat() if c.date else c.date_as_stated,
                "sak": c.case_number,
                "utfall": c.outcome,
            }
            for c in agreement.council_decisions.all()
        ],
        "juridisk_form": form or None,
        "minsteinnhold_sjekket": checked,
        "mangler": [
            {"punkt": item.key, "tekst": translate(item.label), "alvor": severity}
            for severity, item in (statutory.missing(form, agreement.covers) if checked else [])
        ],
        "kilde": agreement.source,
    }


def running_out(
    agreements: QuerySet[Agreement], within_days: int, today: dt.date | None = None
) -> QuerySet[Agreement]:
    """Those that end from today and within ``within_days`` days (ended ones are not alerts)."""
    today = today or timezone.localdate()
    return agreements.filter(ends__gte=today, ends__lte=today + dt.timedelta(days=within_days))
