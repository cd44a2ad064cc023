"""One proposal: the review, the mapping editor's decision, the municipality's withdrawal."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from samarbeid.registry import history
from samarbeid.registry.models import ChangeRecord
from samarbeid.web.auth import login_required
from samarbeid.web.edit.shared import notify as leave_notice

from .. import services
from ..forms import DecisionForm
from ..models import Proposal, Round
from .common import (
    base_url,
    breadcrumbs,
    forbidden,
    list_crumb,
    list_url,
    round_crumb,
    round_or_404,
    sent_notice,
)


def _proposal(round_: Round, proposal_id: int) -> Proposal:
    return get_object_or_404(
        Proposal.objects.select_related("municipality", "change", "arrangement"),
        pk=proposal_id,
        round=round_,
    )


def _proposal_context(request, round_: Round, proposal: Proposal, **extra) -> dict:
    mapping = round_.mapping
    response = services.response_for_municipality(round_, proposal.municipality)
    response.round = round_
    current = services.current_state(proposal) if proposal.is_pending else None
    changed_since = []
    if proposal.is_pending and proposal.arrangement_id and proposal.base_version is not None:
        changed_since = [
            (record, history.describe(record.before, record.after))
            for record in ChangeRecord.objects.filter(
                arrangement_id=proposal.arrangement_id, version__gt=proposal.base_version
            ).order_by("at", "id")
        ]
    deleted_since = (
        proposal.is_pending
        and proposal.kind != Proposal.Kind.ADD
        and proposal.arrangement_id is None
    )
    follows = services.can_follow(request.user, mapping)
    mine = response.municipality.key in services.own_municipalities(request.user, mapping)
    return {
        "mapping": mapping,
        "round": round_,
        "proposal": proposal,
        "response": response,
        "changes": history.describe(proposal.before, proposal.proposed),
        "current": current,
        "changed_since": changed_since,
        "deleted_since": deleted_since,
        "can_decide": proposal.is_pending and services.can_decide(request.user, mapping),
        # The municipality takes back its own proposal; the mapping editor rejects instead.
        "can_withdraw": proposal.is_pending
        and mine
        and services.can_respond(request.user, response),
        "form": DecisionForm(),
        "crumbs": breadcrumbs(mapping, round_crumb(round_), ("", f"Forslag {proposal.pk}"))
        if follows
        else breadcrumbs(mapping, list_crumb(response), ("", f"Forslag {proposal.pk}")),
        **extra,
    }


def _may_see_proposal(request, round_: Round, proposal: Proposal) -> bool:
    mapping = round_.mapping
    return services.can_follow(request.user, mapping) or (
        proposal.municipality.key in services.own_municipalities(request.user, mapping)
    )


@login_required
@require_http_methods(["GET", "POST"])
def proposal_detail(
    request: HttpRequest, mapping_id: int, number: int, proposal_id: int
) -> HttpResponse:
    round_ = round_or_404(mapping_id, number)
    proposal = _proposal(round_, proposal_id)
    if not _may_see_proposal(request, round_, proposal):
        return forbidden(
            request,
            "Du kan bare se forslag fra kommunene du er kommuneredaktør for.",
            round_.mapping,
        )
    if request.method == "GET":
        return render(
            request, "verification/proposal.html", _proposal_context(request, round_, proposal)
        )
    if not services.can_decide(request.user, round_.mapping):
        return forbidden(
            request, "Bare kartleggeren kan godta eller avvise forslag.", round_.mapping
        )
    form = DecisionForm(request.POST)
    decision = request.POST.get("beslutning", "")
    if not form.is_valid() or decision not in {"godta", "godta_gjeldende", "avvis"}:
        if decision not in {"godta", "godta_gjeldende", "avvis"}:
            form.add_error(None, "Velg om forslaget skal godtas eller avvises.")
        context = _proposal_context(request, round_, proposal, form=form, has_errors=True)
        return render(request, "verification/proposal.html", context, status=400)
    try:
        if decision == "avvis":
            services.reject(proposal, user=request.user, note=form.note, base_url=base_url(request))
            verb = "avvist"
        else:
            services.accept(
                proposal,
                user=request.user,
                note=form.note,
                on_current=decision == "godta_gjeldende",
                base_url=base_url(request),
            )
            verb = "godtatt"
    except services.NotAllowed as refused:
        return forbidden(request, refused.message, round_.mapping)
    except services.ProposalInvalid as invalid:
        for p in invalid.problems:
            form.add_error("begrunnelse" if p.field == "begrunnelse" else None, p.message)
        context = _proposal_context(request, round_, proposal, form=form, has_errors=True)
        return render(request, "verification/proposal.html", context, status=400)
    except services.DecisionFailed as failed:
        proposal.refresh_from_db()
        context = _proposal_context(request, round_, proposal, form=form, failure=failed)
        return render(request, "verification/proposal.html", context, status=409)
    except services.VerificationError as error:
        form.add_error(None, error.message)
        proposal.refresh_from_db()
        context = _proposal_context(request, round_, proposal, form=form, has_errors=True)
        return render(request, "verification/proposal.html", context, status=409)
    proposal.refresh_from_db()
    leave_notice(
        request,
        f"Forslaget om «{proposal.name}» er {verb}."
        + sent_notice(getattr(proposal, "notified", 0)),
    )
    return redirect("verification:round", mapping_id, number)


@login_required
@require_POST
def withdraw(request: HttpRequest, mapping_id: int, number: int, proposal_id: int) -> HttpResponse:
    round_ = round_or_404(mapping_id, number)
    proposal = _proposal(round_, proposal_id)
    if not _may_see_proposal(request, round_, proposal):
        return forbidden(request, "Du har ikke tilgang til dette forslaget.", round_.mapping)
    response = services.response_for_municipality(round_, proposal.municipality)
    try:
        services.withdraw(proposal, user=request.user)
    except services.NotAllowed as refused:
        return forbidden(request, refused.message, round_.mapping)
    except services.VerificationError as error:
        leave_notice(request, error.message)
        return redirect("verification:proposal", mapping_id, number, proposal_id)
    leave_notice(request, f"Forslaget om «{proposal.name}» er trukket tilbake.")
    response.round = round_
    return redirect(list_url(response))
