"""Small bodies for the portfolio's unit tests: made directly, without the example documents."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model

from samarbeid.portfolio.models import (
    ActionPlan,
    BodyMember,
    CooperationBody,
    GoverningBody,
    Milestone,
    PlanProject,
    Project,
)
from samarbeid.portfolio.rules import grant_secretariat
from samarbeid.registry import permissions
from samarbeid.registry.models import Municipality, RoleAssignment

SOURCE = "Testdata"


def municipality(name: str) -> Municipality:
    return Municipality.objects.filter(name=name).order_by("-key").first()


def body(
    name: str = "Testrådet", members: tuple[str, ...] = ("Skien", "Porsgrunn")
) -> CooperationBody:
    made = CooperationBody.objects.create(name=name, source=SOURCE)
    for member in members:
        BodyMember.objects.create(body=made, municipality=municipality(member), source=SOURCE)
    GoverningBody.objects.create(body=made, name="Rådet", kind="besluttende", source=SOURCE)
    return made


def plan(
    owner: CooperationBody, year: int = 2021, *, approved: bool = False, codes=("P1", "P2")
) -> ActionPlan:
    made = ActionPlan.objects.create(
        body=owner,
        year=year,
        title=f"Handlingsplan {year}",
        source=SOURCE,
        status=ActionPlan.Status.APPROVED if approved else ActionPlan.Status.DRAFT,
    )
    for position, code in enumerate(codes, 1):
        project = Project.objects.filter(body=owner, code=code).first() or Project.objects.create(
            body=owner, code=code, title=f"Prosjekt {code}", phase="hovedprosjekt", source=SOURCE
        )
        PlanProject.objects.create(
            plan=made, project=project, category="nyetablert", position=position
        )
        Milestone.objects.create(
            project=project,
            plan=made,
            text=f"Milepæl {code}",
            when=f"3. kvartal {year}",
            due_by=dt.date(year, 9, 30),
            source=SOURCE,
        )
    return made


def user(username: str, **extra):
    return get_user_model().objects.create_user(username, password="x", **extra)


def secretariat(owner: CooperationBody, username: str = "sekretar"):
    made = user(username)
    grant_secretariat(made, owner)
    return made


def municipality_editor(name: str, username: str = "kommune"):
    made = user(username)
    permissions.grant(
        made, RoleAssignment.Role.MUNICIPALITY_EDITOR, municipality=municipality(name)
    )
    return made
