"""The yearly cycle of a plan: next year's draft from this year's (roll over), the plan's own
text, a new project in the plan, a project that ends (it drops out of the draft and stays in the
earlier plans and the history), and the approval by a named governing body on a date.

Every function is one transaction, checks access, requires a source, and records each created,
changed or removed object in the history (:mod:`samarbeid.portfolio.history`)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext_noop

from samarbeid.registry.edit_checks import clean_text_value, text_problems

from .. import history
from ..fields import clean_values
from ..models import ActionPlan, GoverningBody, Milestone, PlanProject, PlanSection, Project
from .base import Problem, bump_version, checked_source, require

ENDED = (Project.Phase.ENDED, Project.Phase.CANCELLED)
NOT_SECRETARIAT = "Bare sekretariatet for {body} kan endre planene og prosjektene."
APPROVED = "Handlingsplanen for {year} er vedtatt og kan ikke endres. Lag et utkast for neste år."


def plan_forbidden_message(plan: ActionPlan) -> str:
    """Why the plan cannot be changed by someone who may not (approved, or not the secretariat)."""
    if plan.status == ActionPlan.Status.APPROVED:
        return APPROVED.format(year=plan.year)
    return NOT_SECRETARIAT.format(body=plan.body.name)


def _next_title(title: str, old: int, new: int, body_name: str) -> str:
    if str(old) in title:
        return re.sub(rf"\b{old}\b", str(new), title)
    return f"Handlingsplan {new} for {body_name}"


@transaction.atomic
def roll_over(
    plan: ActionPlan,
    *,
    user=None,
    source: str = "",
    year: int | None = None,
    operator: bool = False,
) -> ActionPlan:
    """A draft for ``year`` (default: the next) from ``plan``: its projects that have not ended
    carry over as «videreført», in the same order and sections; the sections are copied.
    ``operator``: run from the command line by whoever runs the installation (no user)."""
    body = plan.body
    if not operator:
        require(user, "portfolio.change_body", body, NOT_SECRETARIAT.format(body=body.name))
    year = year or plan.year + 1
    problems = []
    if year <= plan.year:
        problems.append(
            Problem(
                "ar",
                "year_order",
                gettext_noop("Det nye året må komme etter {old}."),
                params={"old": plan.year},
            )
        )
    elif body.plans.filter(year=year).exists():
        problems.append(
            Problem(
                "ar",
                "plan_exists",
                gettext_noop("{body} har allerede en plan for {year}."),
                params={"body": body.name, "year": year},
            )
        )
    source = checked_source(source or f"Rullert fra {plan.title}", problems)
    new = ActionPlan.objects.create(
        body=body,
        year=year,
        title=_next_title(plan.title, plan.year, year, body.name),
        status=ActionPlan.Status.DRAFT,
        source=source,
    )
    history.record_created(body, new, source=source, user=user)
    for section in plan.sections.all():
        PlanSection.objects.create(
            plan=new, number=section.number, title=section.title, position=section.position
        )
    position = 0
    for entry in plan.entries.select_related("project"):
        if entry.project.phase in ENDED:
            continue
        position += 1
        copy = PlanProject.objects.create(
            plan=new,
            project=entry.project,
            category=PlanProject.Category.CONTINUED,
            section=entry.section,
            position=position,
        )
        history.record_created(body, copy, source=source, user=user)
    return new


@transaction.atomic
def update_plan(
    plan: ActionPlan, raw: dict[str, Any], *, user=None, source: str, expected_version: int | None
) -> ActionPlan:
    require(user, "portfolio.change_plan", plan, plan_forbidden_message(plan))
    values, problems = clean_values(ActionPlan, raw, partial=True)
    source = checked_source(source, problems)
    before = history.values(plan)
    bump_version(plan, expected_version, plan.body)
    for attr, value in values.items():
        setattr(plan, attr, value)
    plan.save()
    history.record_updated(plan.body, plan, before, source=source, user=user)
    return plan


@transaction.atomic
def approve(
    plan: ActionPlan,
    governing_body: GoverningBody | None,
    day: dt.date | None,
    *,
    user=None,
    source: str,
    expected_version: int | None,
) -> ActionPlan:
    """Draft → approved by ``governing_body`` (of the plan's body) on ``day``."""
    require(user, "portfolio.change_plan", plan, plan_forbidden_message(plan))
    problems = []
    if governing_body is None or governing_body.body_id != plan.body_id:
        problems.append(
            Problem(
                "vedtatt_av",
                "governing_body",
                gettext_noop("Velg organet som vedtok planen (et av organets styringsorganer)."),
            )
        )
    if day is None:
        problems.append(
            Problem("vedtatt_dato", "date", gettext_noop("Skriv datoen planen ble vedtatt."))
        )
    source = checked_source(source, problems)
    before = history.values(plan)
    bump_version(plan, expected_version, plan.body)
    plan.status = ActionPlan.Status.APPROVED
    plan.approved_by = governing_body
    plan.approved_on = day
    plan.save()
    history.record_updated(plan.body, plan, before, source=source, user=user)
    return plan


def _clean_milestone(raw: dict[str, Any] | None) -> tuple[dict[str, Any] | None, list[Problem]]:
    if not raw or not any(str(v or "").strip() for v in raw.values()):
        return None, []
    values, problems = clean_values(Milestone, raw)
    return values, [
        Problem(
            f"milepael_{p.field}",
            p.code,
            p.template,
            p.severity,
            value=p.value,
            finding=p.finding,
            params=p.params,
        )
        for p in problems
    ]


@transaction.atomic
def add_project(
    plan: ActionPlan,
    raw: dict[str, Any],
    *,
    milestone: dict[str, Any] | None = None,
    this_year: str = "",
    user=None,
    source: str,
) -> PlanProject:
    """A new project (kode unique in the body) in the draft plan as «nyetablert», with its first
    milestone when one is given."""
    require(user, "portfolio.change_plan", plan, plan_forbidden_message(plan))
    body = plan.body
    values, problems = clean_values(Project, raw)
    if values.get("code") and body.projects.filter(code=values["code"]).exists():
        problems.append(
            Problem(
                "kode",
                "code_taken",
                gettext_noop("Koden «{value}» er allerede brukt i {body}."),
                value=values["code"],
                params={"value": values["code"], "body": body.name},
            )
        )
    stone, stone_problems = _clean_milestone(milestone)
    problems += text_problems("i_aret", this_year, prose=True)
    this_year = clean_text_value(this_year)
    source = checked_source(source, problems + stone_problems)
    project = Project.objects.create(body=body, source=source, **values)
    history.record_created(body, project, source=source, user=user)
    last = plan.entries.aggregate(m=Max("position"))["m"] or 0
    entry = PlanProject.objects.create(
        plan=plan,
        project=project,
        category=PlanProject.Category.NEW,
        this_year=this_year,
        position=last + 1,
    )
    history.record_created(body, entry, source=source, user=user)
    bump_version(plan, None, body)
    if stone:
        from .projects import create_milestone

        create_milestone(project, plan, stone, user=user, source=source)
    return entry


@transaction.atomic
def end_project(
    plan: ActionPlan,
    project: Project,
    phase: str,
    *,
    user=None,
    source: str,
    expected_version: int | None,
) -> Project:
    """The project ends (avsluttet) or is cancelled (avlyst): its phase changes and it drops out
    of the draft ``plan``; earlier plans keep it, the history keeps everything."""
    require(user, "portfolio.change_plan", plan, plan_forbidden_message(plan))
    problems = []
    if phase not in ENDED:
        problems.append(
            Problem("fase", "phase_end", gettext_noop("Velg «Avsluttet» eller «Avlyst»."))
        )
    source = checked_source(source, problems)
    before = history.values(project)
    bump_version(project, expected_version, plan.body)
    project.phase = phase
    project.save()
    history.record_updated(plan.body, project, before, source=source, user=user)
    for entry in plan.entries.filter(project=project):
        history.record_deleted(plan.body, entry, source=source, user=user)
        entry.delete()
    bump_version(plan, None, plan.body)
    return project
