"""A project's own data, its milestones, its participation matrix, and the funding of a body:
edits the secretariat makes at any time (also when the year's plan is approved), and the
municipality editors' opt in / opt out for their own municipality."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext_noop

from samarbeid.registry.models import Municipality

from .. import history
from ..fields import clean_values
from ..models import (
    ActionPlan,
    Benefit,
    CooperationBody,
    FundingApplication,
    Milestone,
    Participation,
    Project,
    StatusReport,
)
from ..periods import due_by
from ..rules import member_keys, participation_keys
from .base import EditForbidden, EditRejected, Problem, bump_version, checked_source, require

NOT_SECRETARIAT = "Bare sekretariatet for {body} kan endre dette."


@transaction.atomic
def update_project(
    project: Project, raw: dict[str, Any], *, user=None, source: str, expected_version: int | None
) -> Project:
    body = project.body
    require(user, "portfolio.change_body", body, NOT_SECRETARIAT.format(body=body.name))
    values, problems = clean_values(Project, raw, partial=True)
    code = values.get("code")
    if code and code != project.code and body.projects.filter(code=code).exists():
        problems.append(
            Problem(
                "kode",
                "code_taken",
                gettext_noop("Koden «{value}» er allerede brukt i {body}."),
                value=code,
                params={"value": code, "body": body.name},
            )
        )
    source = checked_source(source, problems)
    before = history.values(project)
    bump_version(project, expected_version, body)
    for attr, value in values.items():
        setattr(project, attr, value)
    project.save()
    history.record_updated(body, project, before, source=source, user=user)
    return project


def create_milestone(
    project: Project, plan: ActionPlan | None, values: dict[str, Any], *, user, source: str
) -> Milestone:
    last = project.milestones.aggregate(m=Max("position"))["m"] or 0
    stone = Milestone.objects.create(
        project=project,
        plan=plan,
        due_by=due_by(values.get("when") or ""),
        position=last + 1,
        source=source,
        **values,
    )
    history.record_created(project.body, stone, source=source, user=user)
    bump_version(project, None, project.body)
    return stone


@transaction.atomic
def add_milestone(
    project: Project, raw: dict[str, Any], *, plan: ActionPlan | None = None, user=None, source: str
) -> Milestone:
    body = project.body
    require(user, "portfolio.change_body", body, NOT_SECRETARIAT.format(body=body.name))
    values, problems = clean_values(Milestone, raw)
    source = checked_source(source, problems)
    return create_milestone(project, plan, values, user=user, source=source)


@transaction.atomic
def update_milestone(
    stone: Milestone, raw: dict[str, Any], *, user=None, source: str, expected_version: int | None
) -> Milestone:
    """Change a milestone (its text, when, done); the project's version guards the change."""
    project = stone.project
    body = project.body
    require(user, "portfolio.change_body", body, NOT_SECRETARIAT.format(body=body.name))
    values, problems = clean_values(Milestone, raw, partial=True)
    source = checked_source(source, problems)
    before = history.values(stone)
    bump_version(project, expected_version, body)
    for attr, value in values.items():
        setattr(stone, attr, value)
    stone.due_by = due_by(stone.when or "")
    stone.save()
    history.record_updated(body, stone, before, source=source, user=user)
    return stone


@transaction.atomic
def add_status_report(
    project: Project, raw: dict[str, Any], *, user=None, source: str
) -> StatusReport:
    """A dated status of the project (a snapshot: never changed afterwards)."""
    body = project.body
    require(user, "portfolio.change_body", body, NOT_SECRETARIAT.format(body=body.name))
    values, problems = clean_values(StatusReport, raw)
    source = checked_source(source, problems)
    report = StatusReport.objects.create(project=project, source=source, **values)
    history.record_created(body, report, source=source, user=user)
    bump_version(project, None, body)
    return report


@transaction.atomic
def add_benefit(
    project: Project,
    raw: dict[str, Any],
    *,
    municipality: Municipality | None = None,
    user=None,
    source: str,
) -> Benefit:
    """An expected benefit for one member municipality (or for all, without one)."""
    body = project.body
    require(user, "portfolio.change_body", body, NOT_SECRETARIAT.format(body=body.name))
    values, problems = clean_values(Benefit, raw)
    if municipality is not None and municipality.key not in member_keys(body):
        problems.append(
            Problem(
                "kommune",
                "not_a_member",
                gettext_noop("{name} er ikke medlem av {body}."),
                params={"name": municipality.name, "body": body.name},
            )
        )
    source = checked_source(source, problems)
    benefit = Benefit.objects.create(
        project=project, municipality=municipality, source=source, **values
    )
    history.record_created(body, benefit, source=source, user=user)
    bump_version(project, None, body)
    return benefit


@transaction.atomic
def set_participation(
    project: Project, municipality: Municipality, takes_part: bool, *, user=None, source: str
) -> Participation:
    """Mark whether ``municipality`` takes part in ``project`` (its editor, or the secretariat)."""
    body = project.body
    if municipality.key not in participation_keys(user, project):
        if user is None or not user.is_authenticated:
            raise EditForbidden("Du må logge inn for å endre registeret.")
        raise EditForbidden(
            f"Du kan bare melde deltakelse for din egen kommune, og bare i prosjektene til "
            f"samarbeidsorgan den er medlem av. {municipality.name} er ikke blant dem."
        )
    source = checked_source(source)
    row = Participation.objects.filter(project=project, municipality=municipality).first()
    if row is None:
        row = Participation.objects.create(
            project=project, municipality=municipality, takes_part=takes_part, source=source
        )
        history.record_created(body, row, source=source, user=user)
    elif row.takes_part != takes_part:
        before = history.values(row)
        row.takes_part = takes_part
        row.source = source
        row.save()
        history.record_updated(body, row, before, source=source, user=user)
    bump_version(project, None, body)
    return row


def _funding_problems(
    body: CooperationBody, values: dict[str, Any], project_code: str | None
) -> tuple[Project | None, list[Problem]]:
    problems: list[Problem] = []
    project = None
    if project_code:
        project = body.projects.filter(code=project_code).first()
        if project is None:
            problems.append(
                Problem(
                    "prosjekt",
                    "unknown_project",
                    gettext_noop("{body} har ikke noe prosjekt med kode «{value}»."),
                    value=project_code,
                    params={"value": project_code, "body": body.name},
                )
            )
    if values.get("applied") is None and values.get("granted") is None:
        problems.append(
            Problem(
                "sokt",
                "amount_required",
                gettext_noop("Skriv beløpet som er søkt, innvilget eller begge."),
            )
        )
    return project, problems


@transaction.atomic
def add_funding(
    body: CooperationBody,
    raw: dict[str, Any],
    *,
    project_code: str | None = None,
    user=None,
    source: str,
) -> FundingApplication:
    """A funding application (or a grant) for a year, for one project or the whole plan."""
    require(user, "portfolio.change_body", body, NOT_SECRETARIAT.format(body=body.name))
    values, problems = clean_values(FundingApplication, raw)
    project, more = _funding_problems(body, values, project_code)
    source = checked_source(source, problems + more)
    row = FundingApplication.objects.create(body=body, project=project, source=source, **values)
    history.record_created(body, row, source=source, user=user)
    bump_version(body, None, body)
    return row


@transaction.atomic
def update_funding(
    row: FundingApplication,
    raw: dict[str, Any],
    *,
    user=None,
    source: str,
    expected_version: int | None,
) -> FundingApplication:
    """Record the grant and its decision date (or correct the application); the body's version
    guards the change."""
    body = row.body
    require(user, "portfolio.change_body", body, NOT_SECRETARIAT.format(body=body.name))
    values, problems = clean_values(FundingApplication, raw, partial=True)
    merged = {"applied": row.applied, "granted": row.granted, **values}
    _, more = _funding_problems(body, merged, None)
    source = checked_source(source, problems + more)
    before = history.values(row)
    bump_version(body, expected_version, body)
    for attr, value in values.items():
        setattr(row, attr, value)
    row.save()
    history.record_updated(body, row, before, source=source, user=user)
    return row


__all__ = ["EditRejected"]
