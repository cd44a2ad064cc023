"""Pages of the verification rounds. They collect input and show outcomes; the rules are in
:mod:`.services` (and, for who may do what, :mod:`samarbeid.registry.permissions`)."""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from samarbeid.registry import history, permissions
from samarbeid.registry.models import Arrangement, ChangeRecord, Mapping
from samarbeid.web.auth import login_required
from samarbeid.web.edit.shared import notify as leave_notice
from samarbeid.web.edit_forms import ArrangementForm, MembershipFormSet, attach_problems

from . import export, services
from .forms import ConfirmForm, DecisionForm, OpenRoundForm, ProposalForm, RemovalForm
from .models import MunicipalityResponse, Proposal, Round

MORE_ROWS = 5


# --- Helpers ------------------------------------------------------------------------------------


def _base_url(request: HttpRequest) -> str:
    """Where the links in the notices point: ``settings.SITE_URL`` when set (a forged Host header
    cannot steer what other people are sent), else the address of the request (Django has checked
    its host against ALLOWED_HOSTS)."""
    return settings.SITE_URL or request.build_absolute_uri("/").rstrip("/")


def _round(mapping_id: int, number: int) -> Round:
    return get_object_or_404(
        Round.objects.select_related("mapping"), mapping_id=mapping_id, number=number
    )


def _response(round_: Round, kommune: str) -> MunicipalityResponse:
    response = services.response_for(round_, kommune)
    if response is None:
        raise Http404(f"Kommune {kommune} er ikke med i {round_.title}.")
    response.round = round_
    return response


def _crumbs(mapping: Mapping, *rest: tuple[str, str]) -> list[tuple[str, str]]:
    crumbs = [
        (reverse("web:mapping", args=[mapping.pk]), mapping.name),
        (reverse("verification:rounds", args=[mapping.pk]), "Kontrollrunder"),
        *rest,
    ]
    crumbs[-1] = ("", crumbs[-1][1])
    return crumbs


def _round_crumb(round_: Round) -> tuple[str, str]:
    return (reverse("verification:round", args=[round_.mapping_id, round_.number]), round_.title)


def _list_crumb(response: MunicipalityResponse) -> tuple[str, str]:
    return (_list_url(response), f"Listen til {response.period.name}")


def _list_url(response: MunicipalityResponse) -> str:
    r = response.round
    return reverse("verification:list", args=[r.mapping_id, r.number, response.period.number])


def _forbidden(request: HttpRequest, message: str, mapping: Mapping) -> HttpResponse:
    return render(
        request,
        "web/edit/forbidden.html",
        {
            "message": message,
            "mapping": mapping,
            "arrangement": None,
            "roles": permissions.role_labels(request.user),
            "crumbs": _crumbs(mapping, ("", "Ingen tilgang")),
        },
        status=403,
    )


def _sent(n: int) -> str:
    if not n:
        return ""
    return f" Varsel sendt på e-post til {n} {'person' if n == 1 else 'personer'}."


# --- Rounds -------------------------------------------------------------------------------------


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
        return _forbidden(
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
            "crumbs": _crumbs(mapping),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def open_round(request: HttpRequest, mapping_id: int) -> HttpResponse:
    mapping = get_object_or_404(Mapping, pk=mapping_id)
    if not services.can_manage(request.user, mapping):
        return _forbidden(request, "Bare kartleggeren kan åpne en kontrollrunde.", mapping)
    current = services.open_round_of(mapping)
    form = OpenRoundForm(request.POST or None)
    context = {
        "mapping": mapping,
        "form": form,
        "current": current,
        "number": Round.objects.filter(mapping=mapping).count() + 1,
        "crumbs": _crumbs(mapping, ("", "Åpne en kontrollrunde")),
    }
    if request.method == "POST" and form.is_valid():
        try:
            round_ = services.open_round(
                mapping,
                user=request.user,
                deadline=form.cleaned_data["svarfrist"],
                name=form.cleaned_data["navn"],
                message=form.cleaned_data["beskjed"],
                base_url=_base_url(request),
            )
        except services.NotAllowed as refused:
            return _forbidden(request, refused.message, mapping)
        except services.VerificationError as error:
            form.add_error(None, error.message)
        else:
            leave_notice(
                request,
                f"{round_.title} er åpnet med svarfrist {round_.deadline:%d.%m.%Y}."
                + _sent(round_.notified),
            )
            return redirect("verification:round", mapping.pk, round_.number)
    context["has_errors"] = bool(form.errors)
    return render(request, "verification/open_round.html", context)


@login_required
@require_safe
def round_dashboard(request: HttpRequest, mapping_id: int, number: int) -> HttpResponse:
    round_ = _round(mapping_id, number)
    mapping = round_.mapping
    if not services.can_follow(request.user, mapping):
        response = _own_response(request, round_)
        if response is not None:  # a municipality editor: to the list
            return redirect(_list_url(response))
        return _forbidden(request, "Oversikten over runden er for kartleggeren.", mapping)
    rows = services.dashboard(round_)
    names = services.period_names(round_)
    proposals = list(services.proposals_of(round_))
    for p in proposals:
        p.municipality_name = names.get(p.municipality_id, p.municipality.name)
    by_status = {s: 0 for s in MunicipalityResponse.Status.values}
    for row in rows:
        by_status[row.response.status] += 1
    return render(
        request,
        "verification/dashboard.html",
        {
            "mapping": mapping,
            "round": round_,
            "rows": rows,
            "by_status": [
                (s, label, by_status[s]) for s, label in MunicipalityResponse.Status.choices
            ],
            "pending": [p for p in proposals if p.status == Proposal.Status.PENDING],
            "decided": [p for p in proposals if p.status != Proposal.Status.PENDING],
            "figures": services.round_figures(mapping),
            "can_manage": services.can_manage(request.user, mapping),
            "crumbs": _crumbs(mapping, ("", round_.title)),
        },
    )


def _own_response(request: HttpRequest, round_: Round) -> MunicipalityResponse | None:
    mine = services.own_municipalities(request.user, round_.mapping)
    return (
        round_.responses.filter(municipality__key__in=mine).select_related("period").first()
        if mine
        else None
    )


@login_required
@require_POST
def close_round(request: HttpRequest, mapping_id: int, number: int) -> HttpResponse:
    round_ = _round(mapping_id, number)
    try:
        services.close_round(round_, user=request.user)
    except services.NotAllowed as refused:
        return _forbidden(request, refused.message, round_.mapping)
    except services.VerificationError as error:
        leave_notice(request, error.message)
    else:
        leave_notice(request, f"{round_.title} er avsluttet. Kommunene kan ikke lenger svare.")
    return redirect("verification:round", mapping_id, number)


@login_required
@require_safe
def export_round(request: HttpRequest, mapping_id: int, number: int, fmt: str) -> HttpResponse:
    round_ = _round(mapping_id, number)
    if not services.can_follow(request.user, round_.mapping):
        return _forbidden(request, "Resultatet av runden er for kartleggeren.", round_.mapping)
    if fmt == "csv":
        body, content_type = export.to_csv(round_), "text/csv; charset=utf-8"
    elif fmt == "xlsx":
        body = export.to_xlsx(round_)
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        raise Http404("Ukjent format.")
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{export.filename(round_, fmt)}"'
    return response


# --- The municipality's list ---------------------------------------------------------------------


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
        "crumbs": _crumbs(mapping, _round_crumb(round_), ("", f"Listen til {response.period.name}"))
        if services.can_follow(request.user, mapping)
        else _crumbs(mapping, ("", f"Listen til {response.period.name}")),
        **extra,
    }


@login_required
@require_safe
def municipality_list(request: HttpRequest, mapping_id: int, number: int, kommune: str):
    round_ = _round(mapping_id, number)
    response = _response(round_, kommune)
    if not services.can_view_list(request.user, response):
        return _forbidden(
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
    round_ = _round(mapping_id, number)
    response = _response(round_, kommune)
    form = ConfirmForm(request.POST)
    if form.is_valid():
        try:
            services.confirm(
                response,
                user=request.user,
                note=form.cleaned_data["merknad"],
                base_url=_base_url(request),
            )
        except services.NotAllowed as refused:
            return _forbidden(request, refused.message, round_.mapping)
        except services.VerificationError as error:
            form.add_error(None, error.message)
        else:
            waiting = response.status == MunicipalityResponse.Status.PENDING
            leave_notice(
                request,
                f"Listen til {response.period.name} er bekreftet."
                + (" Forslagene dere har sendt, venter på kartleggeren." if waiting else "")
                + _sent(response.notified),
            )
            return redirect(_list_url(response))
    if not services.can_view_list(request.user, response):
        return _forbidden(request, "Du har ikke tilgang til denne listen.", round_.mapping)
    context = _list_context(request, response, confirm_form=form, has_errors=True)
    return render(request, "verification/list.html", context, status=400)


# --- Proposals ----------------------------------------------------------------------------------


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
    return _forbidden(request, message, response.round.mapping)


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
        return _forbidden(request, refused.message, context["mapping"])
    except services.VerificationError as error:
        form.add_error(None, error.message)
        return _render_proposal_form(request, context, status=409)
    leave_notice(request, sent_message.format(name=proposal.name) + _sent(proposal.notified))
    return redirect(_list_url(response))


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
def propose_change(request, mapping_id: int, number: int, kommune: str, ref: str):
    round_ = _round(mapping_id, number)
    response = _response(round_, kommune)
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
        "crumbs": _crumbs(
            round_.mapping, _list_crumb(response), ("", f"Foreslå endring: {arrangement.name}")
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
            base_url=_base_url(request),
        )

    return _submit_proposal(
        request, context, send, "Forslaget om «{name}» er sendt til kartleggeren.", response
    )


@login_required
@require_http_methods(["GET", "POST"])
def propose_new(request, mapping_id: int, number: int, kommune: str):
    round_ = _round(mapping_id, number)
    response = _response(round_, kommune)
    if refused := _respond_guard(request, response):
        return refused
    context = {
        "mapping": round_.mapping,
        "round": round_,
        "response": response,
        "arrangement": None,
        "creating": True,
        "action": request.path,
        "crumbs": _crumbs(round_.mapping, _list_crumb(response), ("", "Foreslå ny ordning")),
    }
    if request.method == "GET":
        context["form"] = ProposalForm(initial={"status": "telles"})
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
            base_url=_base_url(request),
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
def propose_removal(request, mapping_id: int, number: int, kommune: str, ref: str):
    round_ = _round(mapping_id, number)
    response = _response(round_, kommune)
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
        "crumbs": _crumbs(
            round_.mapping, _list_crumb(response), ("", f"Foreslå fjernet: {arrangement.name}")
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
                    base_url=_base_url(request),
                )
            except services.ProposalInvalid as invalid:
                _attach_removal_problems(form, invalid.problems)
            except services.NotAllowed as refused:
                return _forbidden(request, refused.message, round_.mapping)
            except services.VerificationError as error:
                form.add_error(None, error.message)
                status = 409
            else:
                leave_notice(
                    request,
                    f"Forslaget om å fjerne «{arrangement.name}» fra listen er sendt til "
                    "kartleggeren." + _sent(proposal.notified),
                )
                return redirect(_list_url(response))
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


# --- One proposal: review, decision, withdrawal --------------------------------------------------


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
        "can_decide": proposal.is_pending and services.can_manage(request.user, mapping),
        # The municipality takes back its own proposal; the mapping editor rejects instead.
        "can_withdraw": proposal.is_pending
        and mine
        and services.can_respond(request.user, response),
        "form": DecisionForm(),
        "crumbs": _crumbs(mapping, _round_crumb(round_), ("", f"Forslag {proposal.pk}"))
        if follows
        else _crumbs(mapping, _list_crumb(response), ("", f"Forslag {proposal.pk}")),
        **extra,
    }


def _may_see_proposal(request, round_: Round, proposal: Proposal) -> bool:
    mapping = round_.mapping
    return services.can_follow(request.user, mapping) or (
        proposal.municipality.key in services.own_municipalities(request.user, mapping)
    )


@login_required
@require_http_methods(["GET", "POST"])
def proposal_detail(request, mapping_id: int, number: int, proposal_id: int) -> HttpResponse:
    round_ = _round(mapping_id, number)
    proposal = _proposal(round_, proposal_id)
    if not _may_see_proposal(request, round_, proposal):
        return _forbidden(
            request,
            "Du kan bare se forslag fra kommunene du er kommuneredaktør for.",
            round_.mapping,
        )
    if request.method == "GET":
        return render(
            request, "verification/proposal.html", _proposal_context(request, round_, proposal)
        )
    if not services.can_manage(request.user, round_.mapping):
        return _forbidden(
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
            services.reject(
                proposal, user=request.user, note=form.note, base_url=_base_url(request)
            )
            verb = "avvist"
        else:
            services.accept(
                proposal,
                user=request.user,
                note=form.note,
                on_current=decision == "godta_gjeldende",
                base_url=_base_url(request),
            )
            verb = "godtatt"
    except services.NotAllowed as refused:
        return _forbidden(request, refused.message, round_.mapping)
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
        f"Forslaget om «{proposal.name}» er {verb}." + _sent(getattr(proposal, "notified", 0)),
    )
    return redirect("verification:round", mapping_id, number)


@login_required
@require_POST
def withdraw(request, mapping_id: int, number: int, proposal_id: int) -> HttpResponse:
    round_ = _round(mapping_id, number)
    proposal = _proposal(round_, proposal_id)
    if not _may_see_proposal(request, round_, proposal):
        return _forbidden(request, "Du har ikke tilgang til dette forslaget.", round_.mapping)
    response = services.response_for_municipality(round_, proposal.municipality)
    try:
        services.withdraw(proposal, user=request.user)
    except services.NotAllowed as refused:
        return _forbidden(request, refused.message, round_.mapping)
    except services.VerificationError as error:
        leave_notice(request, error.message)
        return redirect("verification:proposal", mapping_id, number, proposal_id)
    leave_notice(request, f"Forslaget om «{proposal.name}» er trukket tilbake.")
    response.round = round_
    return redirect(_list_url(response))
