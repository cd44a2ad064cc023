"""Opening and closing a round, and finding a round's responses."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from samarbeid.registry import lifecycle
from samarbeid.registry.models import Mapping, MappingMunicipality

from .. import notify
from ..models import MunicipalityResponse, Round
from .access import can_manage, require
from .base import VerificationError, current_time, user_name


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
    require(can_manage(user, mapping), "Bare kartleggeren kan åpne en kontrollrunde.")
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
            opened_by_name=user_name(user),
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
    require(can_manage(user, round_.mapping), "Bare kartleggeren kan avslutte kontrollrunden.")
    with transaction.atomic():
        locked = Round.objects.select_for_update().get(pk=round_.pk)
        if locked.closed_at is not None:
            raise VerificationError(f"{locked.title} er allerede avsluttet.")
        locked.closed_at = current_time()
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
