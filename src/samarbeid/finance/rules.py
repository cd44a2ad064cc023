"""Who may change a cost-sharing model (django-rules through the registry's permission module):
administrators, and the secretariat of the body the model belongs to. Reading is public."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import rules as django_rules

from samarbeid.portfolio.models import BodyRole
from samarbeid.portfolio.rules import is_secretariat
from samarbeid.registry import permissions
from samarbeid.registry.rules import register_permissions

from .models import FeeModel


def changes_model(user, model: FeeModel) -> bool:
    if permissions.is_admin(user):
        return True
    return model.body_id is not None and is_secretariat(user, model.body)


def creates_models(user, _obj: Any = None) -> bool:
    """Make a new model: administrators and any body's secretariat (for their own bodies)."""
    if permissions.is_admin(user):
        return True
    return permissions.is_signed_in(user) and BodyRole.objects.filter(user=user).exists()


PERMISSIONS: dict[str, Callable[[Any, Any], bool]] = {"finance.change_model": changes_model}
WITHOUT_OBJECT: dict[str, Callable[[Any, Any], bool]] = {"finance.add_model": creates_models}


def register() -> None:
    register_permissions(PERMISSIONS)
    for name, rule in WITHOUT_OBJECT.items():
        predicate = django_rules.predicate(rule, name=name.replace(".", "_"))
        if django_rules.perm_exists(name):
            django_rules.set_perm(name, predicate)
        else:
            django_rules.add_perm(name, predicate)
