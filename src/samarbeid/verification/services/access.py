"""Who may do what in a round (access itself is decided by :mod:`samarbeid.registry.permissions`),
and the refusals with the step's message."""

from __future__ import annotations

from samarbeid.registry import permissions
from samarbeid.registry.models import Mapping

from ..models import MunicipalityResponse
from .base import NotAllowed, VerificationError


def _unfrozen(mapping: Mapping) -> Mapping:
    """The same mapping as if not frozen: reading a frozen mapping's rounds needs the roles, not
    the right to change anything (the permission rules treat frozen mappings as read-only)."""
    if not mapping.frozen:
        return mapping
    return Mapping(
        pk=mapping.pk,
        name=mapping.name,
        cutoff_date=mapping.cutoff_date,
        status=Mapping.Status.VERIFICATION,
    )


def can_manage(user, mapping: Mapping) -> bool:
    """Open and close rounds, decide proposals (mapping editors and administrators)."""
    return permissions.can_edit_mapping(user, mapping)


def can_follow(user, mapping: Mapping) -> bool:
    """See the rounds, the dashboard and the export (also of a frozen mapping)."""
    return permissions.can_edit_mapping(user, _unfrozen(mapping))


def own_municipalities(user, mapping: Mapping) -> set[str]:
    """Entity keys of the municipalities whose lists ``user`` answers for as municipality editor."""
    return permissions.editable_municipalities(user, _unfrozen(mapping))


def can_view_list(user, response: MunicipalityResponse) -> bool:
    mapping = response.round.mapping
    return can_follow(user, mapping) or response.municipality.key in own_municipalities(
        user, mapping
    )


def can_respond(user, response: MunicipalityResponse) -> bool:
    """Confirm and propose for the municipality: its editor, or the mapping editor on its behalf,
    while the round is open and the mapping not frozen."""
    mapping = response.round.mapping
    if not response.round.is_open or mapping.frozen:
        return False
    return can_manage(user, mapping) or response.municipality.key in (
        permissions.editable_municipalities(user, mapping)
    )


def require(allowed: bool, message: str) -> None:
    """Refuse with ``message`` (403) unless ``allowed``."""
    if not allowed:
        raise NotAllowed(message)


def require_respond(user, response: MunicipalityResponse) -> None:
    """The round must be open, the mapping not frozen and the user may answer for the
    municipality; each with its own message."""
    if not response.round.is_open:
        raise VerificationError(
            f"{response.round.title} er avsluttet. Kontakt kartleggeren hvis listen må rettes."
        )
    if response.round.mapping.frozen:
        raise VerificationError(f"Kartleggingen «{response.round.mapping.name}» er frosset.")
    require(
        can_respond(user, response),
        f"Du kan bare svare for kommunene du er kommuneredaktør for, ikke {response.period.name}.",
    )
