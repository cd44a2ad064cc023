"""Write a checked plan file (:class:`.spec.PlanSpec`): in one transaction, every change in the
history with the file as its source, and nothing at all when nothing differs (the semantics are
in the package docstring, :mod:`samarbeid.portfolio.planfile`)."""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.db import models, transaction

from samarbeid.commandbase import UserError
from samarbeid.registry.models import Municipality

from .. import history
from ..models import (
    ActionPlan,
    CooperationBody,
    FundingApplication,
    Milestone,
    Participation,
    PlanProject,
    PlanSection,
    Project,
)
from .spec import PlanSpec

#: Counts of one import: "model.action" → how many (action: ny, endret, slettet).
Counts = Counter


class _Writer:
    """One import: creates, updates and deletes, each recorded in the history."""

    def __init__(self, body: CooperationBody, source: str, user: Any) -> None:
        self.body, self.source, self.user = body, source, user
        self.counts: Counts = Counter()

    def _label(self, obj: models.Model, action: str) -> None:
        self.counts[f"{obj._meta.model_name}.{action}"] += 1

    def create(self, model: type[models.Model], **values: Any) -> Any:
        obj = model.objects.create(**values)
        history.record_created(self.body, obj, source=self.source, user=self.user)
        self._label(obj, "ny")
        return obj

    def update(self, obj: Any, values: dict[str, Any]) -> bool:
        """Set ``values``; save and record only when something differs."""
        before = history.values(obj)
        for name, value in values.items():
            setattr(obj, name, value)
        after = history.values(obj)
        if {k: v for k, v in after.items() if k not in history.IGNORED} == {
            k: v for k, v in before.items() if k not in history.IGNORED
        }:
            return False
        if hasattr(obj, "version"):
            obj.version += 1
        obj.save()
        history.record_updated(self.body, obj, before, source=self.source, user=self.user)
        self._label(obj, "endret")
        return True

    def delete(self, obj: models.Model) -> None:
        history.record_deleted(self.body, obj, source=self.source, user=self.user)
        self._label(obj, "slettet")
        obj.delete()


@transaction.atomic
def write_plan(spec: PlanSpec, *, source: str, user: Any = None) -> tuple[ActionPlan, Counts]:
    """Create or update the body's draft plan for the year so that it holds exactly the file.

    Raises UserError when the stored plan was approved after the file was checked."""
    body = spec.body
    writer = _Writer(body, source, user)
    plan = ActionPlan.objects.select_for_update().filter(body=body, year=spec.year).first()
    if plan is None:
        plan = writer.create(ActionPlan, body=body, year=spec.year, **spec.values)
    elif plan.status == ActionPlan.Status.APPROVED:
        raise UserError(
            f"Handlingsplanen for {body.name} {spec.year} er vedtatt og endres ikke ved import.",
            returncode=1,
        )
    else:
        writer.update(plan, spec.values)
    if spec.sections is not None:
        _sections(writer, plan, spec)
    projects = _projects(writer, plan, spec)
    if spec.milestones is not None:
        _milestones(writer, plan, spec, projects)
    if spec.funding is not None:
        _funding(writer, plan, spec, projects)
    if spec.participation is not None:
        _participation(writer, spec, projects)
    return plan, writer.counts


def _sections(writer: _Writer, plan: ActionPlan, spec: PlanSpec) -> None:
    stored = {s.number: s for s in plan.sections.all()}
    for position, section in enumerate(spec.sections or []):
        values = {"title": section.title, "position": position}
        row = stored.pop(section.number, None)
        if row is None:
            writer.create(PlanSection, plan=plan, number=section.number, **values)
        else:
            writer.update(row, values)
    for row in stored.values():
        writer.delete(row)


def _projects(writer: _Writer, plan: ActionPlan, spec: PlanSpec) -> dict[str, Project]:
    """The file's projects, created or updated, and the plan's entries exactly the file's list."""
    body = plan.body
    stored = {
        p.code: p
        for p in Project.objects.filter(body=body, code__in=[s.code for s in spec.projects])
    }
    entries = {e.project_id: e for e in plan.entries.all()}
    projects: dict[str, Project] = {}
    for item in spec.projects:
        project = stored.get(item.code)
        if project is None:
            project = writer.create(Project, body=body, code=item.code, **item.values)
        else:
            writer.update(project, item.values)
        projects[item.code] = project
        entry = entries.pop(project.id, None)
        if entry is None:
            values = {"section": "", **item.entry}
            writer.create(PlanProject, plan=plan, project=project, **values)
        else:
            writer.update(entry, item.entry)
    for entry in entries.values():  # left out of the file: out of this plan, the project stays
        writer.delete(entry)
    return projects


def _milestones(
    writer: _Writer, plan: ActionPlan, spec: PlanSpec, projects: dict[str, Project]
) -> None:
    stored: dict[tuple[int, str], list[Milestone]] = {}
    for milestone in Milestone.objects.filter(plan=plan).order_by("position", "id"):
        stored.setdefault((milestone.project_id, milestone.text), []).append(milestone)
    for item in spec.milestones or []:
        project = projects[item.code]
        matches = stored.get((project.id, item.text))
        if matches:
            writer.update(matches.pop(0), item.values)
        else:
            writer.create(Milestone, project=project, plan=plan, text=item.text, **item.values)
    for rest in stored.values():
        for milestone in rest:
            writer.delete(milestone)


def _funding(
    writer: _Writer, plan: ActionPlan, spec: PlanSpec, projects: dict[str, Project]
) -> None:
    """The year's funding of the whole plan and of the file's projects becomes the file's rows;
    a row is paired with a stored one by project, kind, grantor and period, in order."""
    scope = FundingApplication.objects.filter(body=plan.body, year=plan.year).filter(
        models.Q(project__isnull=True) | models.Q(project__in=list(projects.values()))
    )
    by_id = {p.id: code for code, p in projects.items()}
    stored: dict[tuple, list[FundingApplication]] = {}
    for row in scope.order_by("id"):
        key = (by_id.get(row.project_id, ""), row.source_kind, row.grantor, row.year_as_stated)
        stored.setdefault(key, []).append(row)
    for item in spec.funding or []:
        matches = stored.get(item.key())
        values = {**item.values, "year": plan.year}
        if matches:
            writer.update(matches.pop(0), values)
        else:
            project = projects[item.code] if item.code else None
            writer.create(FundingApplication, body=plan.body, project=project, **values)
    for rest in stored.values():
        for row in rest:
            writer.delete(row)


def _participation(writer: _Writer, spec: PlanSpec, projects: dict[str, Project]) -> None:
    """Upserted: a row of the file creates or updates; stored rows the file does not name stay."""
    items = spec.participation or []
    municipalities = dict(
        Municipality.objects.filter(key__in={i.municipality for i in items}).values_list(
            "key", "id"
        )
    )
    stored = {
        (p.project_id, p.municipality_id): p
        for p in Participation.objects.filter(project__in=list(projects.values()))
    }
    for item in items:
        project = projects[item.code]
        municipality_id = municipalities.get(item.municipality)
        if municipality_id is None:  # the reference data is not loaded: a machine problem
            raise UserError(
                f"Kommunen {item.label} finnes ikke i databasens referansedata. Kjør "
                "«samarbeid migrate» og prøv igjen.",
                returncode=2,
            )
        row = stored.get((project.id, municipality_id))
        if row is None:
            writer.create(
                Participation, project=project, municipality_id=municipality_id, **item.values
            )
        else:
            writer.update(row, item.values)
