"""What the mapping editor follows: the responses and proposals of a round, the figures of every
round, and the open rounds a user takes part in."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count

from samarbeid.registry import permissions
from samarbeid.registry.models import Mapping

from ..models import MunicipalityResponse, Proposal, Round
from .access import can_manage

Status = MunicipalityResponse.Status
Kind = Proposal.Kind
PStatus = Proposal.Status


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
