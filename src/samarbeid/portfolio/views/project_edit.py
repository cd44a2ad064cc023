"""Forms of a project, its milestones, the body's funding and members (the secretariat), and the
participation form (a member municipality's editor, or the secretariat). How they run:
:mod:`.flow`."""

from __future__ import annotations

import rules
from django import forms
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from samarbeid.registry.models import Municipality, MunicipalityPeriod
from samarbeid.web.auth import login_required

from .. import services
from ..fields import FUNDING_FIELDS, MILESTONE_FIELDS, PROJECT_FIELDS, as_raw, parse_day
from ..forms import MemberForm, ParticipationForm, raw, spec_form
from ..models import FundingApplication, Milestone, Project
from ..rules import participation_keys
from ..services.projects import NOT_SECRETARIAT
from . import flow
from .common import body_or_404, crumbs, forbidden, plan_crumb, plan_or_404, project_or_404
from .plan_edit import not_a_date

ProjectForm = spec_form(Project, PROJECT_FIELDS)
MilestoneForm = spec_form(Milestone, MILESTONE_FIELDS, versioned=False)
GrantForm = spec_form(FundingApplication, FUNDING_FIELDS)


class FundingForm(spec_form(FundingApplication, FUNDING_FIELDS, versioned=False)):
    prosjekt = forms.ChoiceField(label=_("Prosjekt"), choices=[], required=False)

    def __init__(self, *args, projects=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["prosjekt"].label = _("Prosjekt")
        self.fields["prosjekt"].choices = [("", _("Hele planen"))] + [
            (p.code, f"{p.code} {p.title}") for p in projects
        ]


def _not_secretariat(request: HttpRequest, body) -> HttpResponse:
    return forbidden(request, NOT_SECRETARIAT.format(body=body.name), body)


@login_required
@require_http_methods(["GET", "POST"])
def edit_project(request: HttpRequest, body_id: int, code: str) -> HttpResponse:
    body = body_or_404(body_id)
    project = project_or_404(body, code)
    if not rules.has_perm("portfolio.change_body", request.user, body):
        return _not_secretariat(request, body)
    back = request.GET.get("plan") or request.POST.get("plan_ar") or ""
    cancel = (
        reverse("portfolio:plan", args=[body.pk, back])
        if back.isdigit()
        else reverse("portfolio:body", args=[body.pk])
    )
    title = _("Endre %(code)s %(title)s") % {"code": project.code, "title": project.title}
    if request.method == "GET":
        form = ProjectForm(initial={**as_raw(project), "versjon": project.version})
    else:
        form = ProjectForm(request.POST)
    context = {
        "body": body,
        "form": form,
        "title": title,
        "submit": _("Lagre endringene"),
        "object": project,
        "hidden": {"plan_ar": back},
        "cancel": cancel,
        "lead": _("Prosjekt %(code)s, versjon %(version)s.")
        % {"code": project.code, "version": project.version},
        "crumbs": crumbs(body, ("", title)),
    }
    if request.method == "GET" or not form.is_valid():
        return flow.page(request, context)
    page = flow.run(
        request,
        context,
        lambda: services.update_project(
            project,
            raw(form, PROJECT_FIELDS),
            user=request.user,
            source=form.cleaned_data["endringskilde"],
            expected_version=form.cleaned_data.get("versjon") or 0,
        ),
    )
    if page:
        return page
    message = _("«%(title)s» er lagret (versjon %(version)s).") % {
        "title": project.title,
        "version": project.version,
    }
    return flow.done(request, message, cancel)


@login_required
@require_http_methods(["GET", "POST"])
def add_milestone(request: HttpRequest, body_id: int, year: int, code: str) -> HttpResponse:
    body = body_or_404(body_id)
    plan = plan_or_404(request, body, year)
    project = project_or_404(body, code)
    if not rules.has_perm("portfolio.change_body", request.user, body):
        return _not_secretariat(request, body)
    title = _("Ny milepæl for %(code)s %(title)s") % {"code": project.code, "title": project.title}
    form = MilestoneForm(request.POST or None)
    back = reverse("portfolio:plan", args=[body.pk, plan.year])
    context = {
        "body": body,
        "form": form,
        "title": title,
        "submit": _("Legg til milepælen"),
        "cancel": back,
        "crumbs": crumbs(body, plan_crumb(plan), ("", title)),
    }
    if request.method == "GET" or not form.is_valid():
        return flow.page(request, context)
    page = flow.run(
        request,
        context,
        lambda: services.add_milestone(
            project,
            raw(form, MILESTONE_FIELDS),
            plan=plan,
            user=request.user,
            source=form.cleaned_data["endringskilde"],
        ),
    )
    return page or flow.done(request, _("Milepælen er lagt til."), back)


@login_required
@require_http_methods(["GET", "POST"])
def add_funding(request: HttpRequest, body_id: int, year: int) -> HttpResponse:
    body = body_or_404(body_id)
    plan = plan_or_404(request, body, year)
    if not rules.has_perm("portfolio.change_body", request.user, body):
        return _not_secretariat(request, body)
    kwargs = {"projects": [e.project for e in plan.entries.select_related("project")]}
    initial = {"ar": plan.year, "prosjekt": request.GET.get("prosjekt", "")}
    form = FundingForm(request.POST or None, initial=initial, **kwargs)
    title = _("Ny søknad om midler, %(year)s") % {"year": plan.year}
    back = reverse("portfolio:plan", args=[body.pk, plan.year])
    context = {
        "body": body,
        "form": form,
        "form_kwargs": kwargs,
        "title": title,
        "submit": _("Lagre søknaden"),
        "intro": _("Skriv søkt beløp nå og innvilget beløp når vedtaket kommer (eller begge)."),
        "cancel": back,
        "crumbs": crumbs(body, plan_crumb(plan), ("", title)),
    }
    if request.method == "GET" or not form.is_valid():
        return flow.page(request, context)
    page = flow.run(
        request,
        context,
        lambda: services.add_funding(
            body,
            raw(form, FUNDING_FIELDS),
            project_code=form.cleaned_data.get("prosjekt") or None,
            user=request.user,
            source=form.cleaned_data["endringskilde"],
        ),
    )
    return page or flow.done(request, _("Søknaden er lagret."), back)


@login_required
@require_http_methods(["GET", "POST"])
def edit_funding(request: HttpRequest, body_id: int, funding_id: int) -> HttpResponse:
    body = body_or_404(body_id)
    row = get_object_or_404(FundingApplication, pk=funding_id, body=body)
    if not rules.has_perm("portfolio.change_body", request.user, body):
        return _not_secretariat(request, body)
    title = _("Endre søknad: %(grantor)s %(year)s") % {"grantor": row.grantor, "year": row.year}
    if request.method == "GET":
        form = GrantForm(initial={**as_raw(row), "versjon": body.version})
    else:
        form = GrantForm(request.POST)
    if body.plans.filter(year=row.year).exists():
        back = reverse("portfolio:plan", args=[body.pk, row.year])
    else:
        back = reverse("portfolio:body", args=[body.pk])
    context = {
        "body": body,
        "form": form,
        "title": title,
        "submit": _("Lagre"),
        "object": row,
        "intro": _("Skriv innvilget beløp og vedtaksdato når vedtaket foreligger."),
        "cancel": back,
        "crumbs": crumbs(body, ("", title)),
    }
    if request.method == "GET" or not form.is_valid():
        return flow.page(request, context)
    page = flow.run(
        request,
        context,
        lambda: services.update_funding(
            row,
            raw(form, FUNDING_FIELDS),
            user=request.user,
            source=form.cleaned_data["endringskilde"],
            expected_version=form.cleaned_data.get("versjon") or 0,
        ),
    )
    return page or flow.done(request, _("Søknaden er lagret."), back)


@login_required
@require_http_methods(["GET", "POST"])
def participation(request: HttpRequest, body_id: int, year: int, code: str) -> HttpResponse:
    body = body_or_404(body_id)
    plan = plan_or_404(request, body, year)
    project = project_or_404(body, code)
    keys = participation_keys(request.user, project)
    if not keys:
        message = _(
            "Bare kommuneredaktører for medlemskommunene og sekretariatet kan melde deltakelse "
            "i prosjektene til %(body)s."
        ) % {"body": body.name}
        return forbidden(request, message, body)
    municipalities = list(Municipality.objects.filter(key__in=keys).order_by("name"))
    current = dict(project.participation.values_list("municipality__key", "takes_part"))
    kwargs = {"municipalities": municipalities, "current": current}
    form = ParticipationForm(request.POST or None, **kwargs)
    title = _("Deltakelse i %(code)s %(title)s") % {"code": project.code, "title": project.title}
    back = reverse("portfolio:plan", args=[body.pk, plan.year]) + "#deltakelse"
    context = {
        "body": body,
        "form": form,
        "form_kwargs": kwargs,
        "title": title,
        "submit": _("Lagre deltakelsen"),
        "intro": _(
            "Velg om kommunen deltar. En kommune som ikke deltar, melder seg ut av prosjektet; "
            "sekretariatet ser det i deltakermatrisen."
        ),
        "cancel": back,
        "crumbs": crumbs(body, plan_crumb(plan), ("", title)),
    }
    if request.method == "GET" or not form.is_valid():
        return flow.page(request, context)

    @transaction.atomic
    def save() -> None:
        for m in municipalities:
            value = form.cleaned_data.get(f"kommune_{m.key}")
            if value in ("ja", "nei") and current.get(m.key) != (value == "ja"):
                services.set_participation(
                    project,
                    m,
                    value == "ja",
                    user=request.user,
                    source=form.cleaned_data["endringskilde"],
                )

    page = flow.run(request, context, save)
    return page or flow.done(request, _("Deltakelsen er lagret."), back)


@login_required
@require_http_methods(["GET", "POST"])
def add_member(request: HttpRequest, body_id: int) -> HttpResponse:
    body = body_or_404(body_id)
    if not rules.has_perm("portfolio.change_body", request.user, body):
        message = _("Bare sekretariatet for %(body)s kan endre medlemslisten.") % {
            "body": body.name
        }
        return forbidden(request, message, body)
    members = set(
        body.members.filter(left__isnull=True).values_list("municipality__key", flat=True)
    )
    current = MunicipalityPeriod.objects.filter(valid_to__isnull=True).select_related(
        "municipality"
    )
    choices = sorted(
        (p.municipality for p in current if p.municipality.key not in members),
        key=lambda m: m.name,
    )
    for period in current:
        period.municipality.label = f"{period.name} ({period.number})"
    kwargs = {"municipalities": choices}
    form = MemberForm(request.POST or None, **kwargs)
    title = _("Nytt medlem i %(body)s") % {"body": body.name}
    back = reverse("portfolio:body", args=[body.pk])
    context = {
        "body": body,
        "form": form,
        "form_kwargs": kwargs,
        "title": title,
        "submit": _("Legg til medlemmet"),
        "cancel": back,
        "crumbs": crumbs(body, ("", title)),
    }
    if request.method == "GET" or not form.is_valid():
        return flow.page(request, context)
    municipality = next((m for m in choices if m.key == form.cleaned_data["kommune"]), None)
    text = form.cleaned_data.get("inn_dato") or ""
    joined = parse_day(text)
    if text and joined is None:
        form.add_error("inn_dato", not_a_date(text))
        return flow.page(request, context)
    page = flow.run(
        request,
        context,
        lambda: services.add_member(
            body,
            municipality,
            joined=joined,
            user=request.user,
            source=form.cleaned_data["endringskilde"],
        ),
    )
    return page or flow.done(request, _("Medlemmet er lagt til."), back)
