"""The municipality's proposal forms: a change, a new arrangement, a removal."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from samarbeid.registry import history
from samarbeid.registry.models import COUNTED, Arrangement
from samarbeid.web.auth import login_required
from samarbeid.web.edit.shared import notify as leave_notice
from samarbeid.web.edit_forms import ArrangementForm, MembershipFormSet, attach_problems

from .. import services
from ..forms import ProposalForm, RemovalForm
from ..models import MunicipalityResponse
from .common import (
    base_url,
    breadcrumbs,
    forbidden,
    list_crumb,
    list_url,
    response_or_404,
    round_or_404,
    sent_notice,
)

MORE_ROWS = 5


def _more_rows(data):
    data = data.copy()
    key = f"{MembershipFormSet().prefix}-TOTAL_FORMS"
    try:
        total = int(data.get(key) or 0)
    except ValueError:
        total = 0
    data[key] = str(min(total, 2000) + MORE_ROWS)
    return data


def _respond_guard(request, response: MunicipalityResponse) -> HttpResponse | None:
    if services.can_respond(request.user, response):
        return None
    if not response.round.is_open:
        message = f"{response.round.title} er avsluttet; det kan ikke sendes flere forslag."
    elif response.round.mapping.frozen:
        message = f"Kartleggingen «{response.round.mapping.name}» er frosset."
    else:
        message = (
            f"Du kan bare foreslå endringer for kommunene du er kommuneredaktør for, ikke "
            f"{response.period.name}."
        )
    return forbidden(request, message, response.round.mapping)


def _arrangement_on_list(response: MunicipalityResponse, ref: str) -> Arrangement:
    arrangement = Arrangement.objects.filter(mapping=response.round.mapping, ref=ref).first()
    if arrangement is None or not services.takes_part(arrangement, response):
        raise Http404(f"Ordningen «{ref}» er ikke på listen til {response.period.name}.")
    return arrangement


def _submit_proposal(request, context: dict, send, sent_message: str, response) -> HttpResponse:
    """The POST of a proposal form (change or new): more rows, validation, sending with
    ``send(form, formset)``, the intake's problems on their fields, refusal and conflict."""
    data = _more_rows(request.POST) if "flere" in request.POST else request.POST
    form, formset = ProposalForm(data), MembershipFormSet(data)
    context["form"], context["formset"] = form, formset
    if "flere" in request.POST or not (form.is_valid() & formset.is_valid()):
        return _render_proposal_form(request, context)
    try:
        proposal = send(form, formset)
    except services.ProposalInvalid as invalid:
        attach_problems(form, formset, invalid.problems)
        return _render_proposal_form(request, context)
    except services.NotAllowed as refused:
        return forbidden(request, refused.message, context["mapping"])
    except services.VerificationError as error:
        form.add_error(None, error.message)
        return _render_proposal_form(request, context, status=409)
    leave_notice(request, sent_message.format(name=proposal.name) + sent_notice(proposal.notified))
    return redirect(list_url(response))


def _render_proposal_form(request, context: dict, status: int = 200) -> HttpResponse:
    form, formset = context["form"], context["formset"]
    context.setdefault(
        "has_errors",
        bool(
            form.errors
            or any(f.errors for f in formset.forms)
            or formset.general_errors
            or formset.non_form_errors()
        ),
    )
    if context["has_errors"] and status == 200:
        status = 400
    return render(request, "verification/proposal_form.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def propose_change(
    request: HttpRequest, mapping_id: int, number: int, kommune: str, ref: str
) -> HttpResponse:
    round_ = round_or_404(mapping_id, number)
    response = response_or_404(round_, kommune)
    if refused := _respond_guard(request, response):
        return refused
    arrangement = _arrangement_on_list(response, ref)
    context = {
        "mapping": round_.mapping,
        "round": round_,
        "response": response,
        "arrangement": arrangement,
        "creating": False,
        "action": request.path,
        "crumbs": breadcrumbs(
            round_.mapping, list_crumb(response), ("", f"Foreslå endring: {arrangement.name}")
        ),
    }
    if request.method == "GET":
        current = history.snapshot(arrangement)
        initial = {
            **ArrangementForm.initial_from(current["values"]),
            "versjon": arrangement.version,
        }
        context["form"] = ProposalForm(initial=initial)
        context["formset"] = MembershipFormSet(initial=current["memberships"])
        return _render_proposal_form(request, context)

    def send(form, formset):
        return services.propose_change(
            response,
            arrangement,
            form.values(),
            formset.rows(),
            user=request.user,
            comment=form.comment,
            source=form.source,
            base_version=form.cleaned_data.get("versjon"),
            base_url=base_url(request),
        )

    return _submit_proposal(
        request, context, send, "Forslaget om «{name}» er sendt til kartleggeren.", response
    )


@login_required
@require_http_methods(["GET", "POST"])
def propose_new(request: HttpRequest, mapping_id: int, number: int, kommune: str) -> HttpResponse:
    round_ = round_or_404(mapping_id, number)
    response = response_or_404(round_, kommune)
    if refused := _respond_guard(request, response):
        return refused
    context = {
        "mapping": round_.mapping,
        "round": round_,
        "response": response,
        "arrangement": None,
        "creating": True,
        "action": request.path,
        "crumbs": breadcrumbs(round_.mapping, list_crumb(response), ("", "Foreslå ny ordning")),
    }
    if request.method == "GET":
        context["form"] = ProposalForm(initial={"status": COUNTED})
        own = {"deltaker": response.period.name, "kommunenummer": response.period.number}
        context["formset"] = MembershipFormSet(initial=[own])
        return _render_proposal_form(request, context)

    def send(form, formset):
        return services.propose_new(
            response,
            form.values(),
            formset.rows(),
            user=request.user,
            comment=form.comment,
            source=form.source,
            base_url=base_url(request),
        )

    return _submit_proposal(
        request,
        context,
        send,
        "Forslaget om den nye ordningen «{name}» er sendt til kartleggeren.",
        response,
    )


@login_required
@require_http_methods(["GET", "POST"])
def propose_removal(
    request: HttpRequest, mapping_id: int, number: int, kommune: str, ref: str
) -> HttpResponse:
    round_ = round_or_404(mapping_id, number)
    response = response_or_404(round_, kommune)
    if refused := _respond_guard(request, response):
        return refused
    arrangement = _arrangement_on_list(response, ref)
    form = RemovalForm(request.POST or None, initial={"versjon": arrangement.version})
    context = {
        "mapping": round_.mapping,
        "round": round_,
        "response": response,
        "arrangement": arrangement,
        "form": form,
        "crumbs": breadcrumbs(
            round_.mapping, list_crumb(response), ("", f"Foreslå fjernet: {arrangement.name}")
        ),
    }
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                proposal = services.propose_removal(
                    response,
                    arrangement,
                    removal=form.cleaned_data["grunn"],
                    ended=form.cleaned_data["avsluttet"],
                    user=request.user,
                    comment=form.comment,
                    source=form.source,
                    base_version=form.cleaned_data.get("versjon"),
                    base_url=base_url(request),
                )
            except services.ProposalInvalid as invalid:
                _attach_removal_problems(form, invalid.problems)
            except services.NotAllowed as refused:
                return forbidden(request, refused.message, round_.mapping)
            except services.VerificationError as error:
                form.add_error(None, error.message)
                status = 409
            else:
                leave_notice(
                    request,
                    f"Forslaget om å fjerne «{arrangement.name}» fra listen er sendt til "
                    "kartleggeren." + sent_notice(proposal.notified),
                )
                return redirect(list_url(response))
    context["has_errors"] = bool(form.errors)
    return render(request, "verification/removal_form.html", context, status=status)


def _attach_removal_problems(form: RemovalForm, problems) -> None:
    for p in problems:
        if p.field == "avsluttet" or (p.field == "status"):
            form.add_error("avsluttet", p.message)
        elif p.field == services.COMMENT_FIELD:
            form.add_error("kommentar", p.message)
        elif p.field == "endringskilde":
            form.add_error("endringskilde", p.message)
        elif p.field == "grunn":
            form.add_error("grunn", p.message)
        else:
            form.add_error(None, p.message)
