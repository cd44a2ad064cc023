"""Who may do what in the verification rounds, as Django object permissions (django-rules).

The rules answer from the role rules of :mod:`samarbeid.registry.permissions`, so verification has
no role model of its own. The services (:mod:`.services.access`) and through them the views ask
``rules.has_perm(name, user, obj)``; the permissions are registered when the app is ready
(:class:`samarbeid.verification.apps.VerificationConfig`).

``rules.has_perm`` rather than ``user.has_perm``: Django lets an active superuser do everything,
but a frozen mapping binds administrators too (as in :mod:`samarbeid.registry.rules`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from samarbeid.registry import permissions
from samarbeid.registry.models import Mapping
from samarbeid.registry.rules import register_permissions

from .models import MunicipalityResponse


def own_municipalities(user, mapping: Mapping) -> set[str]:
    """Entity keys of the municipalities whose lists ``user`` answers for as municipality editor."""
    return permissions.editable_municipalities(user, mapping, even_frozen=True)


def manages_rounds(user, mapping: Mapping) -> bool:
    """Open and close rounds (mapping editors and administrators)."""
    return permissions.can_edit_mapping(user, mapping)


def decides_proposals(user, mapping: Mapping) -> bool:
    """Accept or reject the municipalities' proposals: whoever manages the rounds."""
    return manages_rounds(user, mapping)


def follows_rounds(user, mapping: Mapping) -> bool:
    """See the rounds, the dashboard and the export (also of a frozen mapping)."""
    return permissions.can_edit_mapping(user, mapping, even_frozen=True)


def views_list(user, response: MunicipalityResponse) -> bool:
    """See a municipality's list: whoever follows the rounds, and the municipality's editors."""
    mapping = response.round.mapping
    return follows_rounds(user, mapping) or response.municipality.key in own_municipalities(
        user, mapping
    )


def responds(user, response: MunicipalityResponse) -> bool:
    """Confirm and propose for the municipality: its editor, or the mapping editor on its behalf,
    while the round is open and the mapping not frozen."""
    mapping = response.round.mapping
    if not response.round.is_open or mapping.frozen:
        return False
    return manages_rounds(user, mapping) or response.municipality.key in (
        permissions.editable_municipalities(user, mapping)
    )


#: Permission name -> the rule (user, object) it asks.
PERMISSIONS: dict[str, Callable[[Any, Any], bool]] = {
    "verification.manage_round": manages_rounds,  # object: the mapping
    "verification.decide": decides_proposals,  # object: the mapping
    "verification.follow_round": follows_rounds,  # object: the mapping
    "verification.view_list": views_list,  # object: the municipality's response
    "verification.respond": responds,  # object: the municipality's response
}


def register() -> None:
    register_permissions(PERMISSIONS)
