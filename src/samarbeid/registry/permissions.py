"""Who may change what. Every rule of editing access lives here; views and the API only ask.

Roles (issue #6):

- **The public** – no account: reads every mapping that is not a draft, changes nothing.
- **Reader** (leser) – signed in: also reads drafts, of one mapping or of every mapping.
- **Municipality editor** (kommuneredaktør) – tied to one or more municipality *entities*
  (:class:`~samarbeid.registry.models.Municipality`, stable across number changes), in one mapping
  or in all: edits the arrangements one of its municipalities takes part in on the mapping's date
  (:mod:`.participation`: a municipality that had left by then, or joined only later, does not),
  creates new ones it takes part in, and confirms or corrects its list in verification rounds.
- **Mapping editor** (kartlegger) – tied to one or more mappings: creates, edits, deletes and
  restores any arrangement of the mapping, runs its verification rounds and moves it through its
  lifecycle (:mod:`.lifecycle`).
- **Administrator** – a Django superuser: everything a mapping editor may, in every mapping.

A draft is seen only by users with a role for it (any role; roles without a mapping count for
every mapping) and administrators. A frozen mapping is read-only for everyone, administrators
included.
"""

from __future__ import annotations

from django.db.models import Q

from .models import Arrangement, Mapping, Membership, RoleAssignment
from .participation import taking_part_q

Role = RoleAssignment.Role

PUBLIC_LABEL = "Uten rolle (offentlig innsyn)"
ADMIN_LABEL = "Administrator"


def _active(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def is_admin(user) -> bool:
    return _active(user) and bool(user.is_superuser)


def _assignments(user) -> list[RoleAssignment]:
    """The user's role rows, read once per user object (one request)."""
    if not _active(user):
        return []
    cached = getattr(user, "_samarbeid_roles", None)
    if cached is None:
        cached = list(
            RoleAssignment.objects.filter(user=user).select_related("mapping", "municipality")
        )
        user._samarbeid_roles = cached
    return cached


def forget(user) -> None:
    """Drop the cached role rows (after assigning roles to a user object in use)."""
    if user is not None and hasattr(user, "_samarbeid_roles"):
        del user._samarbeid_roles


def can_view_mapping(user, mapping: Mapping) -> bool:
    """Read the mapping: everyone unless it is a draft; a draft needs a role for it."""
    if mapping.is_public or is_admin(user):
        return True
    return any(a.mapping_id in (None, mapping.pk) for a in _assignments(user))


def visible_mappings(user) -> Q:
    """A filter on :class:`Mapping` for the mappings ``user`` may read."""
    public = ~Q(status=Mapping.Status.DRAFT)
    if is_admin(user):
        return Q()
    ids = {a.mapping_id for a in _assignments(user)}
    if None in ids:
        return Q()
    return public | Q(pk__in=ids)


def can_manage_mapping(user, mapping: Mapping) -> bool:
    """Move the mapping through its lifecycle (its mapping editors and administrators; also
    when it is frozen: unfreezing is for administrators only, see :mod:`.lifecycle`)."""
    if not _active(user):
        return False
    if is_admin(user):
        return True
    return any(
        a.role == Role.MAPPING_EDITOR and a.mapping_id == mapping.pk for a in _assignments(user)
    )


def can_edit_mapping(user, mapping: Mapping, *, even_frozen: bool = False) -> bool:
    """Edit every arrangement of the mapping, create, delete and restore (mapping editor, admin).
    ``even_frozen``: the role alone, also on a frozen mapping (to read its rounds, not to edit)."""
    if (mapping.frozen and not even_frozen) or not _active(user):
        return False
    if is_admin(user):
        return True
    return any(
        a.role == Role.MAPPING_EDITOR and a.mapping_id == mapping.pk for a in _assignments(user)
    )


def editable_municipalities(user, mapping: Mapping, *, even_frozen: bool = False) -> set[str]:
    """Entity keys (``Municipality.key``) of the municipalities through which ``user`` edits
    arrangements of ``mapping`` as a municipality editor. Empty for readers, for a frozen mapping
    (unless ``even_frozen``: the role alone), and for users without a municipality role (a mapping
    editor's reach is :func:`can_edit_mapping`)."""
    if mapping.frozen and not even_frozen:
        return set()
    return {
        a.municipality.key
        for a in _assignments(user)
        if a.role == Role.MUNICIPALITY_EDITOR and a.mapping_id in (None, mapping.pk)
    }


def participant_entities(arrangement: Arrangement) -> set[str]:
    """Entity keys of the municipalities that take part in the arrangement on its mapping's date
    (:func:`.participation.taking_part_q`: joined by then and not yet left)."""
    return set(
        Membership.objects.filter(
            taking_part_q(arrangement.mapping.cutoff_date),
            arrangement=arrangement,
            municipality__isnull=False,
        ).values_list("municipality__municipality__key", flat=True)
    )


def can_edit_arrangement(user, arrangement: Arrangement) -> bool:
    mapping = arrangement.mapping
    if mapping.frozen or not _active(user):
        return False
    if can_edit_mapping(user, mapping):
        return True
    mine = editable_municipalities(user, mapping)
    return bool(mine and mine & participant_entities(arrangement))


def can_create_arrangement(user, mapping: Mapping) -> bool:
    """Mapping editors; municipality editors too, for arrangements their municipality is in."""
    return can_edit_mapping(user, mapping) or bool(editable_municipalities(user, mapping))


def can_delete_arrangement(user, arrangement: Arrangement) -> bool:
    return can_edit_mapping(user, arrangement.mapping)


def can_restore(user, mapping: Mapping) -> bool:
    """Restore an earlier version (of any arrangement of the mapping, deleted ones too)."""
    return can_edit_mapping(user, mapping)


def can_edit_anything(user) -> bool:
    return is_admin(user) or any(a.role != Role.READER for a in _assignments(user))


#: Other apps' roles in :func:`role_labels`: functions user -> labels, registered from their
#: ``ready()`` (the portfolio's «Sekretariat for Grenlandssamarbeidet»).
ROLE_LABELLERS: list = []


def role_labels(user) -> list[str]:
    """What the user is, in Norwegian: ["Kartlegger for Buskerud 2021", "Kommuneredaktør for
    Tinn"]; ["Uten rolle (offentlig innsyn)"] without a role or account."""
    labels = [ADMIN_LABEL] if is_admin(user) else []
    if _active(user):
        for labeller in ROLE_LABELLERS:
            labels += labeller(user)
    for a in _assignments(user):
        if a.role == Role.MAPPING_EDITOR:
            labels.append(f"Kartlegger for {a.mapping.name}")
        elif a.role == Role.READER:
            labels.append(f"Leser for {a.mapping.name}" if a.mapping_id else "Leser for alle")
        else:
            where = f" i {a.mapping.name}" if a.mapping_id else ""
            labels.append(f"Kommuneredaktør for {a.municipality.name}{where}")
    return labels or [PUBLIC_LABEL]


def grant(user, role: str, *, mapping: Mapping | None = None, municipality=None) -> RoleAssignment:
    """Give ``user`` a role (idempotent)."""
    if role in (Role.MAPPING_EDITOR, Role.READER):
        row, _ = RoleAssignment.objects.get_or_create(user=user, role=role, mapping=mapping)
    else:
        row, _ = RoleAssignment.objects.get_or_create(
            user=user, role=role, municipality=municipality, mapping=mapping
        )
    forget(user)
    return row


# --- What other apps' rules read (the portfolio's secretariat and member rules) ---------------


def is_signed_in(user) -> bool:
    """An active, signed-in user."""
    return _active(user)


def municipality_editor_keys(user) -> set[str]:
    """Entity keys of every municipality ``user`` is municipality editor for (in any mapping)."""
    return {a.municipality.key for a in _assignments(user) if a.role == Role.MUNICIPALITY_EDITOR}


def reads_every_draft(user) -> bool:
    """Administrators and readers for all (a reader role without a mapping)."""
    return is_admin(user) or any(
        a.role == Role.READER and a.mapping_id is None for a in _assignments(user)
    )
