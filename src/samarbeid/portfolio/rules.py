"""Who may do what with a cooperation body's data, as Django object permissions (django-rules).

Roles:

- **The public** and every signed-in user: the bodies, their approved plans and agreements.
- **Reader for all** (the registry's reader role without a mapping): also draft plans, as with
  draft mappings.
- **Municipality editor** of a member municipality: also the body's draft plans; marks whether
  her own municipality takes part in the body's projects (opt in / opt out).
- **Secretariat** (:class:`~samarbeid.portfolio.models.BodyRole`): edits everything of its body:
  plans (draft; roll over; approve), projects, milestones, funding, participation of every
  member, agreements; restores earlier versions.
- **Administrator**: what a secretariat may, for every body.

An approved plan is a filed document: its list of projects no longer changes (a new year's draft
does); projects, milestones, funding and status go on being kept. The rules read the role facts
of :mod:`samarbeid.registry.permissions` and are registered with the registry's
``register_permissions``; the services and views ask ``rules.has_perm(name, user, obj)``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from samarbeid.registry import permissions
from samarbeid.registry.rules import register_permissions

from .models import ActionPlan, BodyRole, CooperationBody, Project


def is_secretariat(user, body: CooperationBody) -> bool:
    if not permissions.is_signed_in(user):
        return False
    cached = getattr(user, "_samarbeid_bodies", None)
    if cached is None:
        cached = set(BodyRole.objects.filter(user=user).values_list("body_id", flat=True))
        user._samarbeid_bodies = cached
    return body.pk in cached


def forget(user) -> None:
    """Drop the cached body roles (after granting one to a user object in use)."""
    if user is not None and hasattr(user, "_samarbeid_bodies"):
        del user._samarbeid_bodies


def edits_body(user, body: CooperationBody) -> bool:
    """Edit everything of the body: its secretariat and administrators."""
    return permissions.is_admin(user) or is_secretariat(user, body)


def member_keys(body: CooperationBody) -> set[str]:
    """Entity keys of the member municipalities that have not left."""
    return set(
        body.members.filter(municipality__isnull=False, left__isnull=True).values_list(
            "municipality__key", flat=True
        )
    )


def own_member_keys(user, body: CooperationBody) -> set[str]:
    """The member municipalities ``user`` is municipality editor for."""
    mine = permissions.municipality_editor_keys(user) if permissions.is_signed_in(user) else set()
    return mine & member_keys(body) if mine else set()


def sees_drafts(user, body: CooperationBody) -> bool:
    return (
        permissions.reads_every_draft(user)
        or edits_body(user, body)
        or bool(own_member_keys(user, body))
    )


def views_plan(user, plan: ActionPlan) -> bool:
    return plan.status == ActionPlan.Status.APPROVED or sees_drafts(user, plan.body)


def edits_plan(user, plan: ActionPlan) -> bool:
    """Change the plan's list of projects, its text, approve it: a draft, by the secretariat."""
    return plan.status == ActionPlan.Status.DRAFT and edits_body(user, plan.body)


def participation_keys(user, project: Project) -> set[str]:
    """The municipalities whose participation in ``project`` the user may mark."""
    if edits_body(user, project.body):
        return member_keys(project.body) | set(
            project.participation.values_list("municipality__key", flat=True)
        )
    return own_member_keys(user, project.body)


def marks_participation(user, project: Project) -> bool:
    return bool(participation_keys(user, project))


#: Permission name -> the rule (user, object) it asks.
PERMISSIONS: dict[str, Callable[[Any, Any], bool]] = {
    "portfolio.change_body": edits_body,  # object: the body (also projects, funding, agreements)
    "portfolio.view_drafts": sees_drafts,  # object: the body
    "portfolio.view_plan": views_plan,
    "portfolio.change_plan": edits_plan,  # also approve
    "portfolio.mark_participation": marks_participation,  # object: the project
    "portfolio.restore": edits_body,  # object: the body
}


def role_labels(user) -> list[str]:
    """«Sekretariat for Grenlandssamarbeidet», one per body (shown with the registry's roles)."""
    names = BodyRole.objects.filter(user=user).values_list("body__name", flat=True)
    return [f"Sekretariat for {name}" for name in names]


def register() -> None:
    register_permissions(PERMISSIONS)
    if role_labels not in permissions.ROLE_LABELLERS:
        permissions.ROLE_LABELLERS.append(role_labels)


def grant_secretariat(user, body: CooperationBody) -> BodyRole:
    """Make ``user`` the body's secretariat (idempotent)."""
    row, _ = BodyRole.objects.get_or_create(user=user, body=body, role=BodyRole.Role.SECRETARIAT)
    forget(user)
    return row
