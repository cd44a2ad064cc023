"""Who may do what with adoption (django-rules, registered through the registry's permission
module like the portfolio's rules): a municipality's editor reports its own municipality's
status; a body's secretariat reports for the body's current members; administrators for all.
Reading is public: the register has no drafts."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import rules as django_rules

from samarbeid.portfolio.models import BodyMember
from samarbeid.portfolio.rules import is_secretariat
from samarbeid.registry import permissions
from samarbeid.registry.models import Municipality
from samarbeid.registry.rules import register_permissions


def reportable_keys(user) -> set[str] | None:
    """The municipalities whose status ``user`` may report: ``None`` for all (administrators),
    else the entity keys (own municipalities as editor, members of the bodies as secretariat)."""
    if not permissions.is_signed_in(user):
        return set()
    if permissions.is_admin(user):
        return None
    cached = getattr(user, "_samarbeid_reportable", None)
    if cached is not None:
        return cached
    keys = set(permissions.municipality_editor_keys(user))
    members = BodyMember.objects.filter(
        municipality__isnull=False, left__isnull=True
    ).select_related("body", "municipality")
    for member in members:
        if is_secretariat(user, member.body):
            keys.add(member.municipality.key)
    user._samarbeid_reportable = keys  # once per user object (one request, one file)
    return keys


def reports_for(user, municipality: Municipality) -> bool:
    keys = reportable_keys(user)
    return keys is None or municipality.key in keys


def reports_any(user, _obj: Any = None) -> bool:
    keys = reportable_keys(user)
    return keys is None or bool(keys)


#: Permission name -> the rule (user, object) it asks.
PERMISSIONS: dict[str, Callable[[Any, Any], bool]] = {
    "adoption.report_status": reports_for,  # object: the municipality
}


#: Asked without an object (``has_perm(name, user)``): registered as plain predicates.
WITHOUT_OBJECT: dict[str, Callable[[Any, Any], bool]] = {
    "adoption.report_any": reports_any,
    "adoption.change_portfolio": lambda user, _obj=None: permissions.is_admin(user),
}


def register() -> None:
    register_permissions(PERMISSIONS)
    for name, rule in WITHOUT_OBJECT.items():
        predicate = django_rules.predicate(rule, name=name.replace(".", "_"))
        if django_rules.perm_exists(name):
            django_rules.set_perm(name, predicate)
        else:
            django_rules.add_perm(name, predicate)
