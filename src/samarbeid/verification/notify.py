"""E-mails of the verification rounds, through Django's e-mail backend (``EMAIL_BACKEND``; the
console backend unless the site sets another).

- a round opens → each municipality editor of a municipality in the round (with an address);
- a municipality confirms or proposes → the mapping editors of the mapping;
- a proposal is decided → the person who proposed it.

Nobody gets a mail about their own action. A failing mail server is logged, never raised: the
change it reports is already saved. Each function returns the number of mails sent.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse

from samarbeid.registry.models import RoleAssignment

from .models import MunicipalityResponse, Proposal, Round

log = logging.getLogger(__name__)
Role = RoleAssignment.Role


def _link(base_url: str, path: str) -> str:
    return f"{base_url.rstrip('/')}{path}" if base_url else path


def _send(subject: str, template: str, context: dict, recipients: Iterable[str]) -> int:
    body = render_to_string(f"verification/email/{template}", context)
    sent = 0
    for address in sorted(set(recipients)):
        try:
            sent += send_mail(subject, body, None, [address])
        except Exception:  # the change is saved; a mail that fails must not undo or hide it
            log.exception("E-post til %s om %r kunne ikke sendes", address, subject)
    return sent


def _actor_id(user) -> int | None:
    return user.pk if user is not None and getattr(user, "is_authenticated", False) else None


def mapping_editor_addresses(round_: Round, *, exclude_user=None) -> list[str]:
    users = (
        get_user_model()
        .objects.filter(
            role_assignments__role=Role.MAPPING_EDITOR,
            role_assignments__mapping=round_.mapping,
            is_active=True,
        )
        .exclude(email="")
        .distinct()
    )
    actor = _actor_id(exclude_user)
    return [u.email for u in users if u.pk != actor]


def list_url(response: MunicipalityResponse, base_url: str = "") -> str:
    round_ = response.round
    return _link(
        base_url,
        reverse(
            "verification:list", args=[round_.mapping_id, round_.number, response.period.number]
        ),
    )


def round_url(round_: Round, base_url: str = "") -> str:
    return _link(base_url, reverse("verification:round", args=[round_.mapping_id, round_.number]))


def proposal_url(proposal: Proposal, base_url: str = "") -> str:
    round_ = proposal.round
    return _link(
        base_url,
        reverse("verification:proposal", args=[round_.mapping_id, round_.number, proposal.pk]),
    )


def round_opened(round_: Round, *, base_url: str = "") -> int:
    """One mail per municipality editor, with the lists they answer for and the deadline."""
    responses = {
        r.municipality_id: r for r in round_.responses.select_related("period", "municipality")
    }
    assignments = RoleAssignment.objects.filter(
        Q(mapping__isnull=True) | Q(mapping=round_.mapping),
        role=Role.MUNICIPALITY_EDITOR,
        municipality_id__in=responses,
        user__is_active=True,
    )
    per_user: dict[int, list[MunicipalityResponse]] = {}
    for a in assignments:
        per_user.setdefault(a.user_id, []).append(responses[a.municipality_id])
    users = get_user_model().objects.filter(pk__in=per_user).exclude(email="")
    sent = 0
    subject = f"{round_.title} for {round_.mapping.name}: kontroller kommunens liste innen " + (
        f"{round_.deadline:%d.%m.%Y}"
    )
    for user in users:
        mine = sorted(per_user[user.pk], key=lambda r: r.position)
        sent += _send(
            subject,
            "round_opened.txt",
            {
                "round": round_,
                "mapping": round_.mapping,
                "user": user,
                "lists": [(r, list_url(r, base_url)) for r in mine],
            },
            [user.email],
        )
    return sent


def municipality_confirmed(response: MunicipalityResponse, *, user, base_url: str = "") -> int:
    round_ = response.round
    return _send(
        f"{response.period.name} har bekreftet listen sin ({round_.title}, {round_.mapping.name})",
        "confirmed.txt",
        {
            "round": round_,
            "response": response,
            "pending": response.status == MunicipalityResponse.Status.PENDING,
            "url": round_url(round_, base_url),
        },
        mapping_editor_addresses(round_, exclude_user=user),
    )


def proposal_made(
    proposal: Proposal, response: MunicipalityResponse, *, user, base_url: str = ""
) -> int:
    round_ = response.round
    return _send(
        f"Nytt forslag fra {response.period.name}: {proposal.get_kind_display().lower()} – "
        f"{proposal.name}",
        "proposed.txt",
        {
            "round": round_,
            "response": response,
            "proposal": proposal,
            "url": proposal_url(proposal, base_url),
        },
        mapping_editor_addresses(round_, exclude_user=user),
    )


def proposal_decided(
    proposal: Proposal, response: MunicipalityResponse, *, user, base_url: str = ""
) -> int:
    proposer = proposal.proposed_by
    if proposer is None or not proposer.email or not proposer.is_active:
        return 0
    if proposer.pk == _actor_id(user):
        return 0
    verb = "godtatt" if proposal.status == Proposal.Status.ACCEPTED else "avvist"
    return _send(
        f"Forslaget ditt er {verb}: {proposal.name}",
        "decided.txt",
        {
            "round": response.round,
            "response": response,
            "proposal": proposal,
            "verb": verb,
            "url": list_url(response, base_url),
        },
        [proposer.email],
    )
