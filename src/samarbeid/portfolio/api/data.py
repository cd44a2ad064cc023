"""The API's answers as plain data. A plan is :func:`~samarbeid.portfolio.plan_data.plan_data` and
a body :func:`~samarbeid.portfolio.plan_data.body_data` (the JSON of ``samarbeid handlingsplan``
and ``samarbeid organ``, so the API and the command agree), with what only the API needs on top:
ids, versions (also the ETag), addresses, and only the plans the reader may see."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse
from django.utils import timezone

from .. import agreements as agreement_facts
from ..fields import CHOICE, KRONER, PROJECT_FIELDS
from ..models import ActionPlan, Agreement, CooperationBody, FundingApplication, Project
from ..plan_data import _funding, body_data, plan_data
from .common import absolute, municipality_number, project_visible, visible_plans


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def body_item(request, body: CooperationBody) -> dict[str, Any]:
    return {
        "id": body.pk,
        "navn": body.name,
        "kortnavn": body.short_name or None,
        "juridisk_form": body.legal_form or None,
        "antall_medlemmer": body.n_members,
        "lenker": {
            "api": absolute(request, "organ", body.pk),
            "nettside": request.build_absolute_uri(reverse("portfolio:body", args=[body.pk])),
        },
    }


def plan_item(request, plan: ActionPlan) -> dict[str, Any]:
    return {
        "ar": plan.year,
        "tittel": plan.title,
        "status": plan.status,
        "url": absolute(request, "plan", plan.body_id, plan.year),
    }


def alerts(body: CooperationBody, today: dt.date | None = None) -> list[dict[str, Any]]:
    """The body's agreements that run out within ALERT_DAYS (the body page's alert)."""
    today = today or timezone.localdate()
    soon = agreement_facts.running_out(body.agreements.all(), agreement_facts.ALERT_DAYS, today)
    return [
        {
            "id": a.pk,
            "tittel": a.title,
            "type": a.kind,
            "til": a.ends.isoformat(),
            "dager_igjen": (a.ends - today).days,
        }
        for a in soon
    ]


def body_detail(request, body: CooperationBody) -> dict[str, Any]:
    data = {"id": body.pk, "kortnavn": body.short_name or None, **body_data(body)}
    ids = dict(body.governing_bodies.values_list("name", "id"))
    for item in data["styringsorganer"]:
        item["id"] = ids[item["navn"]]
    plans = visible_plans(request.user, body)
    data["handlingsplaner"] = [p.year for p in plans]  # never a draft the reader may not see
    data["planer"] = [plan_item(request, p) for p in plans]
    data["varsler"] = alerts(body)
    data["varsel_dager"] = agreement_facts.ALERT_DAYS
    data["versjon"] = body.version
    data["url"] = absolute(request, "organ", body.pk)
    return data


def plan_detail(request, plan: ActionPlan) -> dict[str, Any]:
    data = plan_data(plan)
    versions = dict(Project.objects.filter(plan_entries__plan=plan).values_list("code", "version"))
    for project in data["prosjekter"]:
        project["versjon"] = versions[project["kode"]]
        project["url"] = absolute(request, "prosjekt", plan.body_id, project["kode"])
    data["organ_id"] = plan.body_id
    data["versjon"] = plan.version
    data["url"] = absolute(request, "plan", plan.body_id, plan.year)
    return data


def _value(kind: str, value: Any) -> Any:
    if kind == KRONER:
        return None if value is None else int(value)
    if kind == CHOICE:
        return value or None
    return value


def project_detail(request, project: Project) -> dict[str, Any]:
    body = project.body
    data: dict[str, Any] = {
        field.key: _value(field.kind, getattr(project, field.attr)) for field in PROJECT_FIELDS
    }
    visible = {p.pk for p in visible_plans(request.user, body)}
    data["milepaeler"] = [
        {
            "id": m.pk,
            "tekst": m.text,
            "nar": m.when,
            "frist": _iso(m.due_by),
            "ferdig": _iso(m.done),
            "kilde": m.source,
        }
        for m in project.milestones.all()
        if m.plan_id is None or m.plan_id in visible  # not a draft's milestone
    ]
    data["deltakelse"] = [
        {
            "kommunenummer": municipality_number(row.municipality),
            "kommune": row.municipality.name,
            "deltar": row.takes_part,
            "kilde": row.source,
        }
        for row in project.participation.select_related("municipality").order_by(
            "municipality__name"
        )
    ]
    data["statusrapporter"] = [
        {"dato": r.date.isoformat(), "lys": r.light or None, "tekst": r.text, "kilde": r.source}
        for r in project.status_reports.all()
    ]
    data["gevinster"] = [
        {
            "kommunenummer": municipality_number(g.municipality) if g.municipality_id else None,
            "kommune": g.municipality.name if g.municipality_id else None,
            "beskrivelse": g.description,
            "gevinsteier": g.owner,
            "indikator": g.indicator,
            "utgangspunkt": g.baseline,
            "mal": g.target,
            "nar": g.when,
            "kilde": g.source,
        }
        for g in project.benefits.select_related("municipality")
    ]
    data["handlingsplaner"] = sorted(
        entry.plan.year
        for entry in project.plan_entries.select_related("plan")
        if entry.plan_id in visible
    )
    data["organ_id"] = body.pk
    data["versjon"] = project.version
    data["kilde"] = project.source
    data["url"] = absolute(request, "prosjekt", body.pk, project.code)
    return data


def funding_row(request, row: FundingApplication, body: CooperationBody) -> dict[str, Any]:
    return {
        "id": row.pk,
        "prosjekt": row.project.code if row.project_id else None,
        **_funding(row),
        "organ_versjon": body.version,
        "url": absolute(request, "finansieringspost", body.pk, row.pk),
    }


def visible_funding(request, body: CooperationBody) -> list[FundingApplication]:
    rows = list(body.funding.select_related("project").order_by("year", "id"))
    seen: dict[int, bool] = {}
    out = []
    for row in rows:
        if row.project_id is not None:
            if row.project_id not in seen:
                row.project.body = body
                seen[row.project_id] = project_visible(request.user, row.project)
            if not seen[row.project_id]:
                continue
        out.append(row)
    return out


def agreement_row(agreement: Agreement, today: dt.date) -> dict[str, Any]:
    return {
        "id": agreement.pk,
        "organ_id": agreement.body_id,
        **agreement_facts.agreement_data(agreement, today),
    }


def participation_row(project: Project, row) -> dict[str, Any]:
    return {
        "prosjekt": project.code,
        "kommunenummer": municipality_number(row.municipality),
        "kommune": row.municipality.name,
        "deltar": row.takes_part,
        "kilde": row.source,
        "prosjekt_versjon": project.version,
    }
