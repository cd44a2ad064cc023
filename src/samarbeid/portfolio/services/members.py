"""A body's members over time (the secretariat records who joined and when)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext_noop

from samarbeid.registry.models import Municipality

from .. import history
from ..models import BodyMember, CooperationBody
from .base import Problem, bump_version, checked_source, require


@transaction.atomic
def add_member(
    body: CooperationBody,
    municipality: Municipality | None,
    *,
    joined: dt.date | None = None,
    user=None,
    source: str,
) -> BodyMember:
    require(
        user,
        "portfolio.change_body",
        body,
        f"Bare sekretariatet for {body.name} kan endre medlemslisten.",
    )
    problems = []
    if municipality is None:
        problems.append(Problem("kommune", "municipality", gettext_noop("Velg en kommune.")))
    elif body.members.filter(municipality=municipality, left__isnull=True).exists():
        problems.append(
            Problem(
                "kommune",
                "member_exists",
                gettext_noop("{name} er allerede medlem."),
                params={"name": municipality.name},
            )
        )
    source = checked_source(source, problems)
    member = BodyMember.objects.create(
        body=body, municipality=municipality, joined=joined, source=source
    )
    history.record_created(body, member, source=source, user=user)
    bump_version(body, None, body)
    return member
