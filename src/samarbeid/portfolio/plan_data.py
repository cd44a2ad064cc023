"""A body and its plan as plain data: the stable JSON of ``samarbeid handlingsplan`` and
``samarbeid organ`` (keys in Norwegian, like the mapping file), and the facts the consistency
checks read. One place reads the models; every output is made from what it returns."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import timezone

from . import checks
from .models import ActionPlan, CooperationBody, FundingApplication, Project

#: The own-contribution rule where a body states none (DigiVestland: at least 50 %).
DEFAULT_OWN_SHARE = Decimal("0.5")


def _kroner(value: Decimal | None) -> int | None:
    return None if value is None else int(value)


def _funding(row: FundingApplication) -> dict[str, Any]:
    return {
        "ar": row.year,
        "periode_som_oppgitt": row.year_as_stated,
        "type": row.source_kind,
        "giver": row.grantor,
        "sokt": _kroner(row.applied),
        "innvilget": _kroner(row.granted),
        "egenandel": _kroner(row.own_contribution),
        "vedtaksdato": row.decision_date.isoformat() if row.decision_date else None,
        "kilde": row.source,
    }


def shown_milestones(project: Project, plan: ActionPlan) -> list:
    """The project's milestones as one year's plan shows them: those set without a plan or in a
    plan up to this year (a milestone added in next year's draft is not in this year's plan,
    and never public before that draft is)."""
    return [
        m
        for m in project.milestones.all()
        if m.plan_id is None or m.plan_id == plan.pk or m.plan.year <= plan.year
    ]


def _project(entry, project: Project) -> dict[str, Any]:
    return {
        "kode": project.code,
        "tittel": project.title,
        "kategori": entry.category,
        "eier": project.owner,
        "ansvarlig": project.responsible,
        "fase": project.phase or None,
        "soker_midler": project.seeks_funds,
        "i_aret": entry.this_year,
        "milepaeler": [
            {
                "tekst": m.text,
                "nar": m.when,
                "frist": m.due_by.isoformat() if m.due_by else None,
                "ferdig": m.done.isoformat() if m.done else None,
                "kilde": m.source,
            }
            for m in shown_milestones(project, entry.plan)
        ],
        "finansiering": [_funding(f) for f in project.funding.all()],
        "okonomi": project.economic_case,
        "statusrapporter": [
            {"dato": r.date.isoformat(), "lys": r.light or None, "tekst": r.text, "kilde": r.source}
            for r in project.status_reports.all()
        ],
        "gevinster": [
            {
                "beskrivelse": g.description,
                "kommune": g.municipality.name if g.municipality_id else None,
                "gevinsteier": g.owner,
                "indikator": g.indicator,
                "utgangspunkt": g.baseline,
                "mal": g.target,
                "nar": g.when,
                "kilde": g.source,
            }
            for g in project.benefits.all()
        ],
        "kilde": project.source,
    }


def funding_comparison(body: CooperationBody) -> list[dict[str, Any]]:
    """Granted (else applied) per year, and the change from the year before."""
    totals: dict[int, Decimal] = {}
    stated: dict[int, str] = {}
    for row in body.funding.filter(project__isnull=True):
        amount = row.granted if row.granted is not None else row.applied
        totals[row.year] = totals.get(row.year, Decimal(0)) + (amount or 0)
        if row.year_as_stated:
            stated[row.year] = row.year_as_stated
    result, previous = [], None
    for year in sorted(totals):
        change = None if previous is None else int(totals[year] - previous)
        result.append(
            {
                "ar": year,
                "som_oppgitt": stated.get(year, ""),
                "belop": int(totals[year]),
                "endring": change,
            }
        )
        previous = totals[year]
    return result


def plan_data(plan: ActionPlan, as_of: dt.date | None = None) -> dict[str, Any]:
    entries = list(
        plan.entries.select_related("project").prefetch_related(
            "project__milestones__plan",
            "project__funding",
            "project__status_reports",
            "project__benefits__municipality",
        )
    )
    projects = [_project(e, e.project) for e in entries]
    return {
        "organ": plan.body.name,
        "ar": plan.year,
        "tittel": plan.title,
        "status": plan.status,
        "vedtatt_av": plan.approved_by.name if plan.approved_by else None,
        "vedtatt_dato": plan.approved_on.isoformat() if plan.approved_on else None,
        "oppgitt_antall_prosjekter": plan.stated_project_count,
        "sammendrag": plan.summary,
        "prosjekter": projects,
        "finansiering": [
            _funding(f) for f in plan.body.funding.filter(project__isnull=True, year=plan.year)
        ],
        "finansiering_over_tid": funding_comparison(plan.body),
        "funn": [f.as_json() for f in plan_findings(plan, as_of, entries)],
        "kilde": plan.source,
    }


def plan_findings(
    plan: ActionPlan, as_of: dt.date | None = None, entries: list | None = None
) -> list[checks.Finding]:
    """The plan's findings. ``entries`` are the plan's entries with their projects' milestones
    and status reports already loaded (as the plan page and ``plan_data`` load them); without
    them they are read here."""
    as_of = as_of or timezone.localdate()
    title = plan.title
    if entries is None:
        entries = list(
            plan.entries.select_related("project").prefetch_related(
                "project__milestones", "project__status_reports"
            )
        )
    codes = [e.project.code for e in entries]
    milestones = [
        checks.MilestoneFacts(e.project.code, m.text, m.when, m.due_by, m.done)
        for e in entries
        for m in e.project.milestones.all()
        if m.plan_id == plan.pk
    ]
    reports: dict[str, list[dt.date]] = {
        e.project.code: [r.date for r in e.project.status_reports.all()] for e in entries
    }
    funding = [
        checks.FundingFacts(f.project.code, f.year, f.granted, f.own_contribution)
        for f in plan.body.funding.filter(project__isnull=False, year=plan.year).select_related(
            "project"
        )
    ]
    return [
        *checks.numbering_gaps(title, list(plan.sections.values_list("number", flat=True))),
        *checks.count_mismatch(title, "prosjekter", plan.stated_project_count, codes),
        *checks.overdue_milestones(title, milestones, reports, as_of),
        *checks.own_contribution_under_rule(plan.body.name, funding, DEFAULT_OWN_SHARE),
    ]


def body_findings(body: CooperationBody) -> list[checks.Finding]:
    """The body's catalogues against their own summaries and stated counts."""
    findings: list[checks.Finding] = []
    for catalogue in body.catalogues.prefetch_related("measures"):
        measures = {m.code: m.title for m in catalogue.measures.all()}
        findings += checks.code_differences(catalogue.title, catalogue.summary_codes, measures)
        findings += checks.count_mismatch(
            catalogue.title, "tiltak", catalogue.stated_count, list(measures)
        )
    return findings


def body_data(body: CooperationBody) -> dict[str, Any]:
    members = [m.label for m in body.members.select_related("municipality", "county")]
    return {
        "navn": body.name,
        "juridisk_form": body.legal_form or None,
        "organisasjonsnummer": body.organisation_number or None,
        "oppgitt_antall_medlemmer": body.stated_member_count,
        "medlemmer": members,
        "medlemslisten_er_komplett": body.stated_member_count is not None
        and len(members) >= body.stated_member_count,
        "styringsorganer": [
            {
                "navn": g.name,
                "type": g.kind or None,
                "mandat": g.mandate,
                "vedtak": [
                    {
                        "dato": d.date.isoformat() if d.date else None,
                        "tidspunkt": d.date_as_stated,
                        "sak": d.case_number,
                        "tekst": d.text,
                        "kilde": d.source,
                    }
                    for d in g.decisions.all()
                ],
            }
            for g in body.governing_bodies.prefetch_related("decisions")
        ],
        "satsingsomrader": [
            {"navn": a.name, "underomrader": [c.name for c in a.children.all()]}
            for a in body.focus_areas.filter(parent__isnull=True).prefetch_related("children")
        ],
        "nettverk": [n.name for n in body.networks.all()],
        "handlingsplaner": [p.year for p in body.plans.all()],
        "tiltakskataloger": [
            {
                "tittel": c.title,
                "antall_tiltak": c.measures.count(),
                "oppgitt_antall": c.stated_count,
            }
            for c in body.catalogues.all()
        ],
        "avtaler": [a.title for a in body.agreements.all()],
        "funn": [f.as_json() for f in body_findings(body)],
        "kilde": body.source,
    }
