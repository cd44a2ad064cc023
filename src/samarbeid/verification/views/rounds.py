"""The rounds of a mapping: the signed-in user's open rounds, a mapping's rounds, opening and
closing a round."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from samarbeid.registry.models import Mapping
from samarbeid.web.auth import login_required
from samarbeid.web.edit.shared import notify as leave_notice

from .. import services
from ..forms import OpenRoundForm
from ..models import Round
from .common import base_url, breadcrumbs, forbidden, round_or_404, sent_notice


@login_required
@require_safe
def my_rounds(request: HttpRequest) -> HttpResponse:
    """The open rounds the signed-in user answers in or runs."""
    return render(
        request,
        "verification/my_rounds.html",
        {"entries": services.rounds_for_user(request.user)},
    )


@login_required
@require_safe
def rounds(request: HttpRequest, mapping_id: int) -> HttpResponse:
    mapping = get_object_or_404(Mapping, pk=mapping_id)
    follows = services.can_follow(request.user, mapping)
    mine = services.own_municipalities(request.user, mapping)
    if not follows and not mine:
        return forbidden(
            request,
            "Kontrollrundene er for kartleggeren og kommuneredaktørene i kartleggingen.",
            mapping,
        )
    open_round = services.open_round_of(mapping)
    my_lists = (
        list(open_round.responses.filter(municipality__key__in=mine).select_related("period"))
        if open_round
        else []
    )
    return render(
        request,
        "verification/rounds.html",
        {
            "mapping": mapping,
            "follows": follows,
            "can_open": services.can_manage(request.user, mapping) and open_round is None,
            "open_round": open_round,
            "my_lists": my_lists,
            "figures": services.round_figures(mapping) if follows else [],
            "crumbs": breadcrumbs(mapping),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def open_round(request: HttpRequest, mapping_id: int) -> HttpResponse:
    mapping = get_object_or_404(Mapping, pk=mapping_id)
    if not services.can_manage(request.user, mapping):
        return forbidden(request, "Bare kartleggeren kan åpne en kontrollrunde.", mapping)
    current = services.open_round_of(mapping)
    form = OpenRoundForm(request.POST or None)
    context = {
        "mapping": mapping,
        "form": form,
        "current": current,
        "number": Round.objects.filter(mapping=mapping).count() + 1,
        "crumbs": breadcrumbs(mapping, ("", "Åpne en kontrollrunde")),
    }
    if request.method == "POST" and form.is_valid():
        try:
            round_ = services.open_round(
                mapping,
                user=request.user,
                deadline=form.cleaned_data["svarfrist"],
                name=form.cleaned_data["navn"],
                message=form.cleaned_data["beskjed"],
                base_url=base_url(request),
            )
        except services.NotAllowed as refused:
            return forbidden(request, refused.message, mapping)
        except services.VerificationError as error:
            form.add_error(None, error.message)
        else:
            leave_notice(
                request,
                f"{round_.title} er åpnet med svarfrist {round_.deadline:%d.%m.%Y}."
                + sent_notice(round_.notified),
            )
            return redirect("verification:round", mapping.pk, round_.number)
    context["has_errors"] = bool(form.errors)
    return render(request, "verification/open_round.html", context)


@login_required
@require_POST
def close_round(request: HttpRequest, mapping_id: int, number: int) -> HttpResponse:
    round_ = round_or_404(mapping_id, number)
    try:
        services.close_round(round_, user=request.user)
    except services.NotAllowed as refused:
        return forbidden(request, refused.message, round_.mapping)
    except services.VerificationError as error:
        leave_notice(request, error.message)
    else:
        leave_notice(request, f"{round_.title} er avsluttet. Kommunene kan ikke lenger svare.")
    return redirect("verification:round", mapping_id, number)
