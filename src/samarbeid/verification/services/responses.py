"""A municipality's response in a round: its status, its list (analysis 13) and its
confirmation."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import QuerySet

from samarbeid.analysis.model import Table
from samarbeid.analysis.overview import municipality_overview, municipality_overview_other
from samarbeid.registry import permissions
from samarbeid.registry.models import Arrangement
from samarbeid.registry.snapshot import mapping_data

from .. import notify
from ..models import MunicipalityResponse, Proposal
from .access import require_respond
from .base import current_time, user_name

Status = MunicipalityResponse.Status
PStatus = Proposal.Status


# --- Status -------------------------------------------------------------------------------------


def pending_proposals(round_id: int, municipality_id: int) -> QuerySet[Proposal]:
    """The municipality's proposals in the round that wait for a decision."""
    return Proposal.objects.filter(
        round_id=round_id, municipality_id=municipality_id, status=PStatus.PENDING
    )


def status_of(response: MunicipalityResponse) -> str:
    """Pending proposals → "endringer venter"; else confirmed → "bekreftet"; else opened →
    "under arbeid"; else "ikke åpnet"."""
    if pending_proposals(response.round_id, response.municipality_id).exists():
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


def response_of(proposal: Proposal) -> MunicipalityResponse:
    """The response of the municipality that made the proposal."""
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
        now = current_time()
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
    for p in pending_proposals(response.round_id, response.municipality_id).exclude(ref=""):
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
    require_respond(user, response)
    listed = municipality_list(response).counted
    refs = [str(r[0]) for r in listed.rows]
    versions = dict(
        Arrangement.objects.filter(mapping=response.round.mapping, ref__in=refs).values_list(
            "ref", "version"
        )
    )
    with transaction.atomic():
        locked = MunicipalityResponse.objects.select_for_update().get(pk=response.pk)
        now = current_time()
        locked.opened_at = locked.opened_at or now
        locked.confirmed_at = now
        locked.confirmed_by = user
        locked.confirmed_by_name = user_name(user)
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
