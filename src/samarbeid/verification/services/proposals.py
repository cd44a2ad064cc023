"""The municipality's proposals: a change, a new arrangement, a removal; and taking one back.

A proposal is checked like an edit (:func:`samarbeid.registry.editing.check`) before it is
stored, so the mapping editor decides on proposals that follow the mapping file's rules.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from samarbeid.registry import editing, history
from samarbeid.registry.editing import Problem
from samarbeid.registry.models import Arrangement, Mapping, Membership

from .. import notify
from ..models import MunicipalityResponse, Proposal
from .access import require_respond
from .base import NotAllowed, ProposalInvalid, VerificationError, current_time, user_name
from .responses import pending_proposals, refresh_status, response_of, takes_part

Kind = Proposal.Kind
Removal = Proposal.Removal
PStatus = Proposal.Status

#: The field of the proposal's comment (problems about it carry this name).
COMMENT_FIELD = "kommentar"


def _basics(comment: str, source: str) -> list[Problem]:
    """The comment and the source are required, and pass the input boundary like every text (the
    comment is prose: it may start with «=» or «-» as typed; the source may not)."""
    problems = editing.text_problems(COMMENT_FIELD, comment, prose=True) + editing.text_problems(
        editing.SOURCE_FIELD, source
    )
    if problems:
        return problems
    if not editing.clean_text_value(comment):
        problems.append(
            Problem(
                COMMENT_FIELD,
                "comment_required",
                "Skriv en kommentar: hva er feil, og hva er riktig?",
            )
        )
    if not editing.clean_text_value(source):
        problems.append(
            Problem(
                editing.SOURCE_FIELD,
                "source_required",
                "Kilden for forslaget mangler. Skriv hvor opplysningene kommer fra, for eksempel "
                "«Eierskapsmelding 2024» eller «Vedtak i kommunestyret 12. mars 2021».",
            )
        )
    return problems


def _check(
    mapping: Mapping,
    values: dict[str, str],
    memberships: list[dict[str, str]],
    *,
    exclude: int | None,
    problems: list[Problem],
):
    """The mapping file's rules (the same check as an edit), before the proposal is stored."""
    checked = editing.check(mapping, values, memberships)
    problems = problems + checked.errors
    if checked.spec is not None and not checked.errors:
        # Another arrangement with the same id or name: the edit would refuse it too.
        problems += editing.duplicates(mapping, checked.spec, exclude)
    return checked, problems


def _no_other_pending(response: MunicipalityResponse, arrangement: Arrangement) -> None:
    existing = pending_proposals(response.round_id, response.municipality_id).filter(
        arrangement=arrangement
    )
    if existing.exists():
        raise VerificationError(
            f"{response.period.name} har allerede et forslag om «{arrangement.name}» som venter på "
            "kartleggeren. Trekk det tilbake først hvis du vil sende et nytt."
        )


def _current(arrangement: Arrangement, response: MunicipalityResponse, base_version: int | None):
    current = Arrangement.objects.filter(pk=arrangement.pk).first()
    if current is None or current.mapping_id != response.round.mapping_id:
        raise VerificationError("Ordningen finnes ikke lenger i kartleggingen.")
    if not takes_part(current, response):
        raise NotAllowed(
            f"{response.period.name} deltar ikke i «{current.name}». Foreslå heller en ny ordning."
        )
    if base_version is not None and current.version != base_version:
        raise VerificationError(
            f"«{current.name}» er endret etter at du åpnet skjemaet. Last siden inn på nytt for å "
            "se gjeldende opplysninger; det du skrev, står fortsatt i skjemaet."
        )
    return current


def _store(
    response: MunicipalityResponse,
    *,
    kind: str,
    user,
    comment: str,
    source: str,
    base_url: str,
    **fields,
) -> Proposal:
    with transaction.atomic():
        locked = MunicipalityResponse.objects.select_for_update().get(pk=response.pk)
        proposal = Proposal.objects.create(
            round_id=response.round_id,
            municipality_id=response.municipality_id,
            kind=kind,
            comment=editing.clean_text_value(comment),
            source=editing.clean_text_value(source),
            proposed_by=user,
            proposed_by_name=user_name(user),
            **fields,
        )
        if locked.opened_at is None:
            locked.opened_at = proposal.proposed_at
            locked.save(update_fields=["opened_at"])
        response.opened_at = locked.opened_at
        refresh_status(response)
    proposal.notified = notify.proposal_made(proposal, response, user=user, base_url=base_url)
    return proposal


def propose_change(
    response: MunicipalityResponse,
    arrangement: Arrangement,
    values: dict[str, str],
    memberships: list[dict[str, str]] | None,
    *,
    user,
    comment: str,
    source: str,
    base_version: int | None = None,
    base_url: str = "",
) -> Proposal:
    """Propose new values (and participants) for an arrangement on the municipality's list.
    ``values`` may hold only the columns that change; ``memberships`` None keeps the participants.
    """
    require_respond(user, response)
    current = _current(arrangement, response, base_version)
    _no_other_pending(response, current)
    before = history.snapshot(current)
    proposed_values = {**before["values"], **{k: _clean(v) for k, v in values.items()}}
    proposed_values["id"] = current.ref
    proposed_members = before["memberships"] if memberships is None else memberships
    checked, problems = _check(
        response.round.mapping,
        proposed_values,
        proposed_members,
        exclude=current.pk,
        problems=_basics(comment, source),
    )
    proposed = {"values": proposed_values, "memberships": proposed_members}
    changed = history.changed_columns(before, proposed)
    if not problems and not changed:
        problems.append(
            Problem("", "nothing_changed", "Forslaget endrer ingenting. Endre minst ett felt.")
        )
    if problems:
        raise ProposalInvalid(problems, checked.warnings)
    return _store(
        response,
        kind=Kind.CHANGE,
        user=user,
        comment=comment,
        source=source,
        base_url=base_url,
        arrangement=current,
        ref=current.ref,
        name=proposed_values.get("navn") or current.name,
        base_version=current.version,
        before=before,
        values=proposed_values,
        memberships=proposed_members,
        changed=changed,
    )


def propose_new(
    response: MunicipalityResponse,
    values: dict[str, str],
    memberships: list[dict[str, str]],
    *,
    user,
    comment: str,
    source: str,
    base_url: str = "",
) -> Proposal:
    """Propose an arrangement that is missing from the mapping; the municipality must be among
    its participants. It gets its id when accepted."""
    require_respond(user, response)
    mapping = response.round.mapping
    proposed_values = {k: _clean(v) for k, v in values.items() if k != "id"}
    placeholder = {**proposed_values, "id": editing.next_ref(mapping)}
    checked, problems = _check(
        mapping, placeholder, memberships, exclude=None, problems=_basics(comment, source)
    )
    if checked.spec is not None and not checked.errors:
        entities = {m.period.entity for m in checked.spec.memberships if m.period is not None}
        if response.municipality.key not in entities:
            problems.append(
                Problem(
                    editing.PARTICIPANTS,
                    "municipality_not_participant",
                    f"{response.period.name} må være blant deltakerne: listen gjelder ordninger "
                    "kommunen deltar i.",
                )
            )
    if problems:
        raise ProposalInvalid(problems, checked.warnings)
    proposed = {"values": {**placeholder, "id": ""}, "memberships": memberships}
    return _store(
        response,
        kind=Kind.ADD,
        user=user,
        comment=comment,
        source=source,
        base_url=base_url,
        name=proposed_values.get("navn", ""),
        values=proposed["values"],
        memberships=memberships,
        changed=history.changed_columns(None, proposed),
    )


def propose_removal(
    response: MunicipalityResponse,
    arrangement: Arrangement,
    *,
    removal: str,
    user,
    comment: str,
    source: str,
    ended: str = "",
    base_version: int | None = None,
    base_url: str = "",
) -> Proposal:
    """Propose that an arrangement leaves the municipality's list:

    - ``deltar_ikke``: the municipality is not a participant (its row is removed);
    - ``avsluttet``: the arrangement has ended (status avsluttet, ``ended`` the year or date);
    - ``slett``: the arrangement does not exist or was registered by mistake (deleted).
    """
    require_respond(user, response)
    if removal not in Removal.values:
        raise ProposalInvalid(
            [Problem("grunn", "removal_reason", "Velg hvorfor ordningen skal fjernes fra listen.")]
        )
    current = _current(arrangement, response, base_version)
    _no_other_pending(response, current)
    before = history.snapshot(current)
    problems = _basics(comment, source)
    values: dict[str, str] = {}
    members: list[dict[str, str]] | None = None
    warnings: list[Problem] = []
    if removal != Removal.DELETE:
        values = dict(before["values"])
        members = list(before["memberships"])
        if removal == Removal.NOT_MEMBER:
            numbers = set(
                Membership.objects.filter(
                    arrangement=current, municipality__municipality=response.municipality
                ).values_list("municipality__number", flat=True)
            )
            members = [
                m
                for m in members
                if not (m.get("type", "kommune") == "kommune" and m.get("kommunenummer") in numbers)
            ]
        else:
            values["status"] = "avsluttet"
            values["avsluttet"] = _clean(ended)
        checked, problems = _check(
            response.round.mapping, values, members, exclude=current.pk, problems=problems
        )
        warnings = checked.warnings
    if problems:
        raise ProposalInvalid(problems, warnings)
    proposed = None if removal == Removal.DELETE else {"values": values, "memberships": members}
    return _store(
        response,
        kind=Kind.REMOVE,
        user=user,
        comment=comment,
        source=source,
        base_url=base_url,
        removal=removal,
        arrangement=current,
        ref=current.ref,
        name=current.name,
        base_version=current.version,
        before=before,
        values=values,
        memberships=members,
        changed=[] if proposed is None else history.changed_columns(before, proposed),
    )


def withdraw(proposal: Proposal, *, user) -> Proposal:
    """The municipality takes back a pending proposal (while the round is open)."""
    response = response_of(proposal)
    require_respond(user, response)
    with transaction.atomic():
        locked = Proposal.objects.select_for_update().get(pk=proposal.pk)
        if locked.status != PStatus.PENDING:
            raise VerificationError("Forslaget er allerede avgjort og kan ikke trekkes tilbake.")
        locked.status = PStatus.WITHDRAWN
        locked.decided_at = current_time()
        locked.decided_by = user
        locked.decided_by_name = user_name(user)
        locked.save(update_fields=["status", "decided_at", "decided_by", "decided_by_name"])
        refresh_status(response)
    return locked


def _clean(value: Any) -> str:
    return "" if value is None else str(value).strip()
