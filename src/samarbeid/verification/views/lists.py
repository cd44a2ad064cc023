"""The municipality's list ("Din liste") and its confirmation."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST, require_safe

from samarbeid.web.auth import login_required
from samarbeid.web.edit.shared import notify as leave_notice

from .. import services
from ..forms import ConfirmForm
from ..models import MunicipalityResponse
from .common import (
    base_url,
    breadcrumbs,
    forbidden,
    list_url,
    response_or_404,
    round_crumb,
    round_or_404,
    sent_notice,
)


def _list_context(request: HttpRequest, response: MunicipalityResponse, **extra) -> dict:
    round_ = response.round
    mapping = round_.mapping
    listing = services.municipality_list(response)
    proposals = list(services.proposals_of(round_, municipality=response.municipality))
    return {
        "mapping": mapping,
        "round": round_,
        "response": response,
        "listing": listing,
        "counted_rows": listing.counted_rows,
        "other_rows": listing.other_rows,
        "proposals": proposals,
        "can_respond": services.can_respond(request.user, response),
        "follows": services.can_follow(request.user, mapping),
        "confirm_form": ConfirmForm(),
        "crumbs": breadcrumbs(
            mapping, round_crumb(round_), ("", f"Listen til {response.period.name}")
        )
        if services.can_follow(request.user, mapping)
        else breadcrumbs(mapping, ("", f"Listen til {response.period.name}")),
        **extra,
    }


@login_required
@require_safe
def municipality_list(
    request: HttpRequest, mapping_id: int, number: int, kommune: str
) -> HttpResponse:
    round_ = round_or_404(mapping_id, number)
    response = response_or_404(round_, kommune)
    if not services.can_view_list(request.user, response):
        return forbidden(
            request,
            f"Du kan bare se listen til kommunene du er kommuneredaktør for, ikke "
            f"{response.period.name}.",
            round_.mapping,
        )
    services.mark_opened(response, user=request.user)
    return render(request, "verification/list.html", _list_context(request, response))


@login_required
@require_POST
def confirm(request: HttpRequest, mapping_id: int, number: int, kommune: str) -> HttpResponse:
    round_ = round_or_404(mapping_id, number)
    response = response_or_404(round_, kommune)
    form = ConfirmForm(request.POST)
    if form.is_valid():
        try:
            services.confirm(
                response,
                user=request.user,
                note=form.cleaned_data["merknad"],
                base_url=base_url(request),
            )
        except services.NotAllowed as refused:
            return forbidden(request, refused.message, round_.mapping)
        except services.VerificationError as error:
            form.add_error(None, error.message)
        else:
            waiting = response.status == MunicipalityResponse.Status.PENDING
            leave_notice(
                request,
                f"Listen til {response.period.name} er bekreftet."
                + (" Forslagene dere har sendt, venter på kartleggeren." if waiting else "")
                + sent_notice(response.notified),
            )
            return redirect(list_url(response))
    if not services.can_view_list(request.user, response):
        return forbidden(request, "Du har ikke tilgang til denne listen.", round_.mapping)
    context = _list_context(request, response, confirm_form=form, has_errors=True)
    return render(request, "verification/list.html", context, status=400)
