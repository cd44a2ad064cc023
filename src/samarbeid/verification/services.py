"""The rules of verification rounds (kontrollrunder). Views only call these functions.

Who may do what (access itself is decided by :mod:`samarbeid.registry.permissions`):

- the **mapping editor** (and an administrator) opens and closes rounds, sees the dashboard and the
  export, and accepts or rejects proposals; they may also record a municipality's answer on its
  behalf (answers often come by e-mail or telephone);
- a **municipality editor** sees the list of its own municipality, confirms it, and proposes
  corrections (new arrangement, change, removal) while the round is open.

Accepting a proposal applies it through :mod:`samarbeid.registry.editing` with the proposal's
source, so the change is validated like any edit and is in the arrangement's history. When the
edit is refused (a conflict with a later change, or the rules of the mapping file), nothing is
written and the proposal stays pending: :class:`DecisionFailed` says why.

E-mails (:mod:`.notify`) are sent after the change is saved; a mail server that fails does not
undo it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Count, Max
from django.utils import timezone

from samarbeid.analysis.model import Table
from samarbeid.analysis.overview import municipality_overview, municipality_overview_other
from samarbeid.registry import editing, history, lifecycle, permissions
from samarbeid.registry.editing import EditConflict, EditForbidden, EditRejected, Problem
from samarbeid.registry.models import (
    Arrangement,
    Mapping,
    MappingMunicipality,
    Membership,
)
from samarbeid.registry.snapshot import mapping_data

from . import notify
from .models import MunicipalityResponse, Proposal, Round

Status = MunicipalityResponse.Status
Kind = Proposal.Kind
Removal = Proposal.Removal
PStatus = Proposal.Status

#: The field of the proposal's comment (problems about it carry this name).
COMMENT_FIELD = "kommentar"


# --- Errors -------------------------------------------------------------------------------------


class VerificationError(Exception):
    """A step of the round that cannot be taken; ``message`` says why, in Norwegian."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotAllowed(VerificationError):
    """The user may not do this (shown as 403)."""


class ProposalInvalid(VerificationError):
    """The proposed arrangement breaks the rules of the mapping file (``problems``, field by field,
    from :func:`samarbeid.registry.editing.check`), or the comment or source is missing."""

    def __init__(self, problems: list[Problem], warnings: list[Problem] | None = None) -> None:
        super().__init__("; ".join(p.message for p in problems))
        self.problems = list(problems)
        self.warnings = list(warnings or [])


class DecisionFailed(VerificationError):
    """Accepting failed; nothing was written and the proposal is still pending.

    ``conflict`` is set when the arrangement changed (or was deleted) after the proposal was made;
    ``problems`` when the proposal breaks the rules as they apply now.
    """

    def __init__(
        self,
        message: str,
        *,
        conflict: EditConflict | None = None,
        problems: list[Problem] | None = None,
    ) -> None:
        super().__init__(message)
        self.conflict = conflict
        self.problems = list(problems or [])


# --- Access -------------------------------------------------------------------------------------


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


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise NotAllowed(message)


def _respond_check(user, response: MunicipalityResponse) -> None:
    if not response.round.is_open:
        raise VerificationError(
            f"{response.round.title} er avsluttet. Kontakt kartleggeren hvis listen må rettes."
        )
    if response.round.mapping.frozen:
        raise VerificationError(f"Kartleggingen «{response.round.mapping.name}» er frosset.")
    _require(
        can_respond(user, response),
        f"Du kan bare svare for kommunene du er kommuneredaktør for, ikke {response.period.name}.",
    )


def _name(user) -> str:
    return history.user_label(user)


def _now() -> dt.datetime:
    return timezone.now()


# --- Rounds -------------------------------------------------------------------------------------


def open_round(
    mapping: Mapping,
    *,
    user,
    deadline: dt.date,
    name: str = "",
    message: str = "",
    base_url: str = "",
) -> Round:
    """Open the next round: every municipality of the mapping's scope gets its response row
    ("ikke åpnet"), and the municipality editors with an e-mail address are told."""
    _require(can_manage(user, mapping), "Bare kartleggeren kan åpne en kontrollrunde.")
    if deadline < timezone.localdate():
        raise VerificationError("Svarfristen kan ikke være før i dag.")
    with transaction.atomic():
        Mapping.objects.select_for_update().get(pk=mapping.pk)  # one opener at a time
        current = Round.objects.filter(mapping=mapping, closed_at__isnull=True).first()
        if current is not None:
            raise VerificationError(
                f"{current.title} er fortsatt åpen. Avslutt den før du åpner en ny runde."
            )
        scope = list(
            MappingMunicipality.objects.filter(mapping=mapping)
            .select_related("period")
            .order_by("position", "id")
        )
        if not scope:
            raise VerificationError(
                "Kartleggingen har ingen kartlagte kommuner å sende listen til."
            )
        number = (Round.objects.filter(mapping=mapping).aggregate(n=Max("number"))["n"] or 0) + 1
        round_ = Round.objects.create(
            mapping=mapping,
            number=number,
            name=name.strip(),
            message=message.strip(),
            deadline=deadline,
            opened_by=user,
            opened_by_name=_name(user),
        )
        MunicipalityResponse.objects.bulk_create(
            MunicipalityResponse(
                round=round_,
                municipality_id=entry.period.municipality_id,
                period=entry.period,
                position=i,
            )
            for i, entry in enumerate(scope)
        )
        if mapping.status == Mapping.Status.DRAFT:
            # Verification is the lifecycle's second step: the lists go out, the mapping is public.
            lifecycle.set_status(
                mapping,
                Mapping.Status.VERIFICATION,
                user=user,
                source=f"{round_.title} åpnet, svarfrist {deadline:%d.%m.%Y}",
            )
    round_.notified = notify.round_opened(round_, base_url=base_url)
    return round_


def close_round(round_: Round, *, user) -> Round:
    """Close the round: municipalities can no longer answer. Pending proposals can still be
    decided."""
    _require(can_manage(user, round_.mapping), "Bare kartleggeren kan avslutte kontrollrunden.")
    with transaction.atomic():
        locked = Round.objects.select_for_update().get(pk=round_.pk)
        if locked.closed_at is not None:
            raise VerificationError(f"{locked.title} er allerede avsluttet.")
        locked.closed_at = _now()
        locked.closed_by = user
        locked.save(update_fields=["closed_at", "closed_by"])
    round_.closed_at, round_.closed_by = locked.closed_at, locked.closed_by
    return round_


def open_round_of(mapping: Mapping) -> Round | None:
    return Round.objects.filter(mapping=mapping, closed_at__isnull=True).first()


def response_for(round_: Round, number: str) -> MunicipalityResponse | None:
    """The response of the municipality with this number in the mapping (as in the web's URLs)."""
    return (
        MunicipalityResponse.objects.filter(round=round_, period__number=number)
        .select_related("round__mapping", "municipality", "period")
        .first()
    )


def response_for_municipality(round_: Round, municipality) -> MunicipalityResponse:
    return MunicipalityResponse.objects.select_related("municipality", "period").get(
        round=round_, municipality=municipality
    )


# --- Status -------------------------------------------------------------------------------------


def _pending(round_id: int, municipality_id: int):
    return Proposal.objects.filter(
        round_id=round_id, municipality_id=municipality_id, status=PStatus.PENDING
    )


def status_of(response: MunicipalityResponse) -> str:
    """Pending proposals → "endringer venter"; else confirmed → "bekreftet"; else opened →
    "under arbeid"; else "ikke åpnet"."""
    if _pending(response.round_id, response.municipality_id).exists():
        return Status.PENDING
    if response.confirmed_at is not None:
        return Status.CONFIRMED
    if response.opened_at is not None:
        return Status.IN_PROGRESS
    return Status.NOT_OPENED


def refresh_status(response: MunicipalityResponse) -> MunicipalityResponse:
    status = status_of(response)
    if status != response.status:
        response.status = status
        MunicipalityResponse.objects.filter(pk=response.pk).update(status=status)
    return response


def _response_of(proposal: Proposal) -> MunicipalityResponse:
    return MunicipalityResponse.objects.select_related("round__mapping", "period").get(
        round_id=proposal.round_id, municipality_id=proposal.municipality_id
    )


def mark_opened(response: MunicipalityResponse, *, user) -> MunicipalityResponse:
    """The municipality's own editor opened the list: "ikke åpnet" becomes "under arbeid". (A
    mapping editor looking at the list does not count.)"""
    if (
        response.opened_at is None
        and response.round.is_open
        and response.municipality.key
        in permissions.editable_municipalities(user, response.round.mapping)
    ):
        now = _now()
        MunicipalityResponse.objects.filter(pk=response.pk, opened_at__isnull=True).update(
            opened_at=now
        )
        response.opened_at = now
        refresh_status(response)
    return response


# --- The municipality's list (analysis 13) ------------------------------------------------------


@dataclass
class MunicipalityList:
    """What "Din liste" shows: the counted arrangements (analysis 13) and, for information, the
    ended and excluded ones; with the arrangements' ids in the database and their pending
    proposals."""

    counted: Table
    other: Table
    arrangements: dict[str, Arrangement]
    pending: dict[str, list[Proposal]] = field(default_factory=dict)

    def rows(self, table: Table) -> list[dict[str, Any]]:
        out = []
        for values in table.rows:
            row = dict(zip(table.columns, values, strict=True))
            ref = str(row["id"])
            row["arrangement"] = self.arrangements.get(ref)
            row["pending"] = self.pending.get(ref, [])
            out.append(row)
        return out

    @property
    def counted_rows(self) -> list[dict[str, Any]]:
        return self.rows(self.counted)

    @property
    def other_rows(self) -> list[dict[str, Any]]:
        return self.rows(self.other)


def municipality_list(response: MunicipalityResponse) -> MunicipalityList:
    mapping = response.round.mapping
    data = mapping_data(mapping)
    key = response.municipality.key
    counted = municipality_overview(data, key)
    other = municipality_overview_other(data, key)
    refs = {str(r[0]) for r in counted.rows} | {str(r[0]) for r in other.rows}
    arrangements = {a.ref: a for a in Arrangement.objects.filter(mapping=mapping, ref__in=refs)}
    pending: dict[str, list[Proposal]] = {}
    for p in _pending(response.round_id, response.municipality_id).exclude(ref=""):
        pending.setdefault(p.ref, []).append(p)
    return MunicipalityList(counted, other, arrangements, pending)


def takes_part(arrangement: Arrangement, response: MunicipalityResponse) -> bool:
    return response.municipality.key in permissions.participant_entities(arrangement)


# --- Confirming ---------------------------------------------------------------------------------


def confirm(
    response: MunicipalityResponse, *, user, note: str = "", base_url: str = ""
) -> MunicipalityResponse:
    """The municipality confirms its list (with the corrections it has proposed). The list as
    confirmed (id and version of each counted arrangement) is kept with the confirmation."""
    _respond_check(user, response)
    listed = municipality_list(response).counted
    refs = [str(r[0]) for r in listed.rows]
    versions = dict(
        Arrangement.objects.filter(mapping=response.round.mapping, ref__in=refs).values_list(
            "ref", "version"
        )
    )
    with transaction.atomic():
        locked = MunicipalityResponse.objects.select_for_update().get(pk=response.pk)
        now = _now()
        locked.opened_at = locked.opened_at or now
        locked.confirmed_at = now
        locked.confirmed_by = user
        locked.confirmed_by_name = _name(user)
        locked.confirmation_note = note.strip()
        locked.confirmed_list = [[ref, versions.get(ref)] for ref in refs]
        locked.status = status_of(locked)
        locked.save()
    for name in (
        "opened_at",
        "confirmed_at",
        "confirmed_by",
        "confirmed_by_name",
        "confirmation_note",
        "confirmed_list",
        "status",
    ):
        setattr(response, name, getattr(locked, name))
    response.notified = notify.municipality_confirmed(response, user=user, base_url=base_url)
    return response


# --- Proposing ----------------------------------------------------------------------------------


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
        problems += editing._duplicates(mapping, checked.spec, exclude)
    return checked, problems


def _no_other_pending(response: MunicipalityResponse, arrangement: Arrangement) -> None:
    existing = _pending(response.round_id, response.municipality_id).filter(arrangement=arrangement)
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
            proposed_by_name=_name(user),
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
    _respond_check(user, response)
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
    _respond_check(user, response)
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
    _respond_check(user, response)
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
    response = _response_of(proposal)
    _respond_check(user, response)
    with transaction.atomic():
        locked = Proposal.objects.select_for_update().get(pk=proposal.pk)
        if locked.status != PStatus.PENDING:
            raise VerificationError("Forslaget er allerede avgjort og kan ikke trekkes tilbake.")
        locked.status = PStatus.WITHDRAWN
        locked.decided_at = _now()
        locked.decided_by = user
        locked.decided_by_name = _name(user)
        locked.save(update_fields=["status", "decided_at", "decided_by", "decided_by_name"])
        refresh_status(response)
    return locked


def _clean(value: Any) -> str:
    return "" if value is None else str(value).strip()


# --- Deciding -----------------------------------------------------------------------------------


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
    _require(can_manage(user, mapping), "Bare kartleggeren kan godta eller avvise forslag.")
    response = _response_of(proposal)
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
            locked.decided_by_name = _name(user)
            locked.decided_at = _now()
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
    _require(
        can_manage(user, proposal.round.mapping),
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
    response = _response_of(proposal)
    with transaction.atomic():
        locked = Proposal.objects.select_for_update().get(pk=proposal.pk)
        if locked.status != PStatus.PENDING:
            raise VerificationError(f"Forslaget er allerede {locked.get_status_display().lower()}.")
        locked.status = PStatus.REJECTED
        locked.decided_by = user
        locked.decided_by_name = _name(user)
        locked.decided_at = _now()
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


# --- Dashboard ----------------------------------------------------------------------------------


@dataclass
class ResponseRow:
    response: MunicipalityResponse
    pending: int = 0
    accepted: int = 0
    rejected: int = 0
    withdrawn: int = 0

    @property
    def proposals(self) -> int:
        return self.pending + self.accepted + self.rejected + self.withdrawn


@dataclass
class RoundFigures:
    """The changes of one round: what the dashboard and the round list show."""

    round: Round
    municipalities: int
    by_status: dict[str, int]
    proposals: int
    pending: int
    accepted: int
    rejected: int
    withdrawn: int
    accepted_by_kind: dict[str, int]

    @property
    def confirmed(self) -> int:
        return self.by_status.get(Status.CONFIRMED, 0)


def dashboard(round_: Round) -> list[ResponseRow]:
    counts: dict[int, dict[str, int]] = {}
    for municipality_id, status, n in (
        Proposal.objects.filter(round=round_)
        .values_list("municipality_id", "status")
        .annotate(n=Count("id"))
    ):
        counts.setdefault(municipality_id, {})[status] = n
    rows = []
    for response in round_.responses.select_related("period", "municipality", "confirmed_by"):
        c = counts.get(response.municipality_id, {})
        rows.append(
            ResponseRow(
                response,
                pending=c.get(PStatus.PENDING, 0),
                accepted=c.get(PStatus.ACCEPTED, 0),
                rejected=c.get(PStatus.REJECTED, 0),
                withdrawn=c.get(PStatus.WITHDRAWN, 0),
            )
        )
    return rows


def round_figures(mapping: Mapping) -> list[RoundFigures]:
    """One row per round of the mapping, oldest first: the changes per round."""
    rounds = list(
        Round.objects.filter(mapping=mapping)
        .annotate(
            n_municipalities=Count("responses", distinct=True),
        )
        .order_by("number")
    )
    statuses: dict[int, dict[str, int]] = {}
    for round_id, status, n in (
        MunicipalityResponse.objects.filter(round__mapping=mapping)
        .values_list("round_id", "status")
        .annotate(n=Count("id"))
    ):
        statuses.setdefault(round_id, {})[status] = n
    proposals: dict[int, dict[tuple[str, str], int]] = {}
    for round_id, status, kind, n in (
        Proposal.objects.filter(round__mapping=mapping)
        .values_list("round_id", "status", "kind")
        .annotate(n=Count("id"))
    ):
        proposals.setdefault(round_id, {})[(status, kind)] = n
    out = []
    for r in rounds:
        p = proposals.get(r.pk, {})

        def total(status: str, p=p) -> int:
            return sum(n for (s, _k), n in p.items() if s == status)

        out.append(
            RoundFigures(
                round=r,
                municipalities=r.n_municipalities,
                by_status=statuses.get(r.pk, {}),
                proposals=sum(p.values()),
                pending=total(PStatus.PENDING),
                accepted=total(PStatus.ACCEPTED),
                rejected=total(PStatus.REJECTED),
                withdrawn=total(PStatus.WITHDRAWN),
                accepted_by_kind={kind: p.get((PStatus.ACCEPTED, kind), 0) for kind in Kind.values},
            )
        )
    return out


def proposals_of(round_: Round, *, municipality=None, status: str | None = None):
    qs = Proposal.objects.filter(round=round_).select_related(
        "municipality", "change", "arrangement"
    )
    if municipality is not None:
        qs = qs.filter(municipality=municipality)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("proposed_at", "id")


def period_names(round_: Round) -> dict[int, str]:
    """Municipality entity id -> its name in the mapping (for proposal lists)."""
    return dict(round_.responses.values_list("municipality_id", "period__name"))


def rounds_for_user(user) -> list[tuple[Round, list[MunicipalityResponse], bool]]:
    """The open rounds the user takes part in: (round, the user's municipality responses, whether
    the user manages the mapping)."""
    out = []
    for round_ in (
        Round.objects.filter(closed_at__isnull=True)
        .select_related("mapping")
        .order_by("mapping__name")
    ):
        mapping = round_.mapping
        mine = permissions.editable_municipalities(user, mapping)
        manages = can_manage(user, mapping)
        if not mine and not manages:
            continue
        responses = list(
            round_.responses.filter(municipality__key__in=mine).select_related("period")
        )
        out.append((round_, responses, manages))
    return out
