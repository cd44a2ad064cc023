"""Who may do what in a round. The rules themselves are the object permissions of
:mod:`samarbeid.verification.rules`; these functions ask them, and refuse with the step's message."""

from __future__ import annotations

import rules

from samarbeid.registry.models import Mapping

from ..models import MunicipalityResponse
from ..rules import own_municipalities
from .base import NotAllowed, VerificationError

__all__ = [
    "can_decide",
    "can_follow",
    "can_manage",
    "can_respond",
    "can_view_list",
    "own_municipalities",
    "require",
    "require_respond",
]


def can_manage(user, mapping: Mapping) -> bool:
    """Open and close rounds (mapping editors and administrators)."""
    return rules.has_perm("verification.manage_round", user, mapping)


def can_decide(user, mapping: Mapping) -> bool:
    """Accept or reject proposals (the same people as :func:`can_manage`)."""
    return rules.has_perm("verification.decide", user, mapping)


def can_follow(user, mapping: Mapping) -> bool:
    """See the rounds, the dashboard and the export (also of a frozen mapping)."""
    return rules.has_perm("verification.follow_round", user, mapping)


def can_view_list(user, response: MunicipalityResponse) -> bool:
    return rules.has_perm("verification.view_list", user, response)


def can_respond(user, response: MunicipalityResponse) -> bool:
    """Confirm and propose for the municipality: its editor, or the mapping editor on its behalf,
    while the round is open and the mapping not frozen."""
    return rules.has_perm("verification.respond", user, response)


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
