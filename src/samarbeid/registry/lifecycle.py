"""A mapping's lifecycle: draft (utkast) → verification (til kontroll) → frozen (frosset).

- A **draft** is seen only by signed-in users with a role for the mapping (readers included) and
  by administrators: the public pages, the API and the downloads answer 404 for it.
- **In verification** the mapping is public, and the municipalities check their lists in
  verification rounds (:mod:`samarbeid.verification`).
- **Frozen** it is public and read-only for everyone, administrators included.

Mapping editors move their mapping forward and back between draft and verification, and freeze
it; only an administrator unfreezes a mapping. Every step is recorded
(:class:`~samarbeid.registry.models.MappingStatusChange`) with who, when and why.
"""

from __future__ import annotations

from django.db import transaction

from . import permissions
from .models import Mapping, MappingStatusChange

Status = Mapping.Status


class LifecycleError(Exception):
    """The step is not allowed (the message says why, in Norwegian)."""


def label(status: str) -> str:
    return Status(status).label


def allowed_steps(user, mapping: Mapping) -> list[str]:
    """The statuses ``user`` may move ``mapping`` to from where it is now."""
    if not permissions.can_manage_mapping(user, mapping):
        return []
    if mapping.status == Status.FROZEN:
        return [Status.VERIFICATION, Status.DRAFT] if permissions.is_admin(user) else []
    return [s for s in (Status.DRAFT, Status.VERIFICATION, Status.FROZEN) if s != mapping.status]


def set_status(
    mapping: Mapping, status: str, *, user, source: str, command: str = ""
) -> MappingStatusChange:
    """Move ``mapping`` to ``status``; raises :class:`LifecycleError` when ``user`` may not, the
    status is unknown or no reason is given. ``command`` names the ``samarbeid`` command doing
    it for the operator (who has the database itself): then no user is needed."""
    if status not in Status.values:
        known = ", ".join(f"«{s}»" for s in Status.values)
        raise LifecycleError(f"Ukjent status «{status}». Gyldige verdier: {known}.")
    source = " ".join((source or "").split())
    if not source:
        raise LifecycleError("Oppgi en begrunnelse eller kilde for endringen av status.")
    with transaction.atomic():
        current = Mapping.objects.select_for_update().get(pk=mapping.pk)
        if current.status == status:
            raise LifecycleError(
                f"Kartleggingen «{current.name}» har allerede status «{label(status)}»."
            )
        if not command and status not in allowed_steps(user, current):
            raise LifecycleError(_refusal(user, current, status))
        change = MappingStatusChange.objects.create(
            mapping=current,
            before=current.status,
            after=status,
            user=user if getattr(user, "is_authenticated", False) else None,
            user_name=f"kommando: {command}" if command else getattr(user, "username", ""),
            source=source,
        )
        current.status = status
        current.save(update_fields=["status", "updated"])
    mapping.status = status
    return change


def _refusal(user, mapping: Mapping, status: str) -> str:
    if mapping.status == Status.FROZEN and permissions.can_manage_mapping(user, mapping):
        return (
            f"Kartleggingen «{mapping.name}» er frosset. Bare en administrator kan åpne den igjen."
        )
    return (
        f"Du har ikke rett til å endre status for kartleggingen «{mapping.name}» "
        f"(fra «{label(mapping.status)}» til «{label(status)}»): det kan kartleggerne for den og "
        "administratorer."
    )
