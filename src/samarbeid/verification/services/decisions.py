"""The mapping editor's decision on a proposal: accept it (through the registry's editing, with
the proposal's source) or reject it with a reason.

When the edit is refused (a conflict with a later change, or the rules of the mapping file),
nothing is written and the proposal stays pending: :class:`.DecisionFailed` says why.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from samarbeid.registry import editing, history
from samarbeid.registry.editing import EditConflict, EditForbidden, EditRejected, Problem
from samarbeid.registry.models import Arrangement

from .. import notify
from ..models import MunicipalityResponse, Proposal
from .access import can_decide, require
from .base import (
    DecisionFailed,
    NotAllowed,
    ProposalInvalid,
    VerificationError,
    current_time,
    user_name,
)
from .responses import refresh_status, response_of

Kind = Proposal.Kind
PStatus = Proposal.Status


def change_source(proposal: Proposal, response: MunicipalityResponse) -> str:
    """The source written to the arrangement's history: the proposal's own, and where it came
    from."""
    return (
        f"{proposal.source} (forslag fra {response.period.name} i {proposal.round.title}, "
        f"{proposal.round.mapping.name})"
    )


def accept(
    proposal: Proposal,
    *,
    user,
    note: str = "",
    on_current: bool = False,
    base_url: str = "",
) -> Proposal:
    """Apply the proposal through :mod:`samarbeid.registry.editing` and mark it accepted.

    The edit starts from the version the municipality saw; if the arrangement has changed since,
    :class:`DecisionFailed` carries the conflict. ``on_current=True`` (after the editor has seen
    the conflict) applies only the fields the proposal changes, to the current version.
    """
    round_ = proposal.round
    mapping = round_.mapping
    require(can_decide(user, mapping), "Bare kartleggeren kan godta eller avvise forslag.")
    response = response_of(proposal)
    source = change_source(proposal, response)
    try:
        with transaction.atomic():
            locked = Proposal.objects.select_for_update().get(pk=proposal.pk)
            if locked.status != PStatus.PENDING:
                raise VerificationError(
                    f"Forslaget er allerede {locked.get_status_display().lower()}."
                )
            record = _apply(locked, user=user, source=source, on_current=on_current)
            locked.status = PStatus.ACCEPTED
            locked.decided_by = user
            locked.decided_by_name = user_name(user)
            locked.decided_at = current_time()
            locked.decision_note = note.strip()
            locked.change = record
            locked.save()
            refresh_status(response)
    except EditConflict as conflict:
        raise DecisionFailed(_conflict_message(conflict), conflict=conflict) from conflict
    except EditRejected as rejected:
        raise DecisionFailed(
            "Forslaget bryter reglene for kartleggingsfilen slik de gjelder nå, og er ikke "
            "godtatt. Det venter fortsatt: avvis det med en begrunnelse, eller be kommunen sende "
            "et nytt.",
            problems=rejected.problems,
        ) from rejected
    except EditForbidden as forbidden:
        raise NotAllowed(forbidden.message) from forbidden
    proposal.refresh_from_db()
    proposal.notified = notify.proposal_decided(proposal, response, user=user, base_url=base_url)
    return proposal


def _conflict_message(conflict: EditConflict) -> str:
    when = (
        f" {timezone.localtime(conflict.changed_at):%d.%m.%Y kl. %H:%M}"
        if conflict.changed_at
        else ""
    )
    who = f" av {conflict.changed_by}" if conflict.changed_by else ""
    what = "slettet" if conflict.deleted else "endret"
    return (
        f"Ordningen ble {what}{who}{when}, etter at forslaget ble sendt. Forslaget er ikke "
        "godtatt og venter fortsatt."
    )


def _apply(proposal: Proposal, *, user, source: str, on_current: bool):
    """Make the edit; returns the :class:`~samarbeid.registry.models.ChangeRecord` (or None)."""
    mapping = proposal.round.mapping
    if proposal.kind == Kind.ADD:
        saved = editing.create_arrangement(
            mapping, proposal.values, proposal.memberships or [], user=user, source=source
        )
        proposal.arrangement = saved
        proposal.ref = saved.ref
        return saved.edit_record
    arrangement = Arrangement.objects.filter(pk=proposal.arrangement_id).first()
    if arrangement is None:  # deleted since: the edit reports the conflict (who deleted it, when)
        arrangement = Arrangement(pk=proposal.arrangement_id, mapping=mapping, ref=proposal.ref)
    expected = arrangement.version if on_current else proposal.base_version
    if proposal.deletes:
        record = editing.delete_arrangement(
            arrangement, user=user, source=source, expected_version=expected
        )
        proposal.arrangement = None  # the row is gone; the history record keeps ref and name
        return record
    changed = set(proposal.changed)
    values = {k: v for k, v in proposal.values.items() if k in changed}
    values["id"] = arrangement.ref
    memberships = proposal.memberships if editing.PARTICIPANTS in changed else None
    saved = editing.update_arrangement(
        arrangement, values, memberships, user=user, source=source, expected_version=expected
    )
    return saved.edit_record


def reject(proposal: Proposal, *, user, note: str, base_url: str = "") -> Proposal:
    """Reject the proposal with a reason; the registry is not changed."""
    require(
        can_decide(user, proposal.round.mapping),
        "Bare kartleggeren kan godta eller avvise forslag.",
    )
    if not note.strip():
        raise ProposalInvalid(
            [
                Problem(
                    "begrunnelse",
                    "note_required",
                    "Skriv en begrunnelse: kommunen får den sammen med avgjørelsen.",
                )
            ]
        )
    response = response_of(proposal)
    with transaction.atomic():
        locked = Proposal.objects.select_for_update().get(pk=proposal.pk)
        if locked.status != PStatus.PENDING:
            raise VerificationError(f"Forslaget er allerede {locked.get_status_display().lower()}.")
        locked.status = PStatus.REJECTED
        locked.decided_by = user
        locked.decided_by_name = user_name(user)
        locked.decided_at = current_time()
        locked.decision_note = note.strip()
        locked.save()
        refresh_status(response)
    proposal.refresh_from_db()
    proposal.notified = notify.proposal_decided(proposal, response, user=user, base_url=base_url)
    return proposal


def current_state(proposal: Proposal) -> dict | None:
    """The arrangement as it is now (None when it does not exist (any more))."""
    if proposal.arrangement_id is None:
        return None
    arrangement = Arrangement.objects.filter(pk=proposal.arrangement_id).first()
    return history.snapshot(arrangement) if arrangement else None
