"""The role rules of :mod:`.permissions` as Django object permissions (django-rules).

``user.has_perm("registry.view_mapping", mapping)`` and the others below answer from the same
functions the domain code uses, so there is one rule set. Registered when the app is ready
(:class:`samarbeid.registry.apps.RegistryConfig`); ``rules.permissions.ObjectPermissionBackend``
is in ``settings.AUTHENTICATION_BACKENDS``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import rules

from . import permissions

#: Permission name -> the rule (user, object) it asks.
PERMISSIONS = {
    "registry.view_mapping": permissions.can_view_mapping,
    "registry.change_mapping_status": permissions.can_manage_mapping,
    "registry.change_mapping": permissions.can_edit_mapping,
    "registry.add_arrangement": permissions.can_create_arrangement,  # object: the mapping
    "registry.change_arrangement": permissions.can_edit_arrangement,
    "registry.delete_arrangement": permissions.can_delete_arrangement,
    "registry.restore_arrangement": permissions.can_restore,  # object: the mapping
}


def _on_object(rule: Callable[[Any, Any], bool]) -> Callable[[Any, Any], bool]:
    """The rule for an object; without one (``has_perm(name)``) nothing is granted."""

    def check(user, obj) -> bool:
        return obj is not None and bool(rule(user, obj))

    return check


def register_permissions(permissions: dict[str, Callable[[Any, Any], bool]]) -> None:
    """Register object permissions (name -> rule) with django-rules; the apps call it from
    ``ready()`` with their own table (the registry's below, verification's in its rules.py)."""
    for name, rule in permissions.items():
        predicate = rules.predicate(_on_object(rule), name=rule.__name__)
        if rules.perm_exists(name):
            rules.set_perm(name, predicate)
        else:
            rules.add_perm(name, predicate)


def register() -> None:
    register_permissions(PERMISSIONS)
