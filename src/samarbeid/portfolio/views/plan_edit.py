"""The secretariat's forms of the yearly plan: next year's draft from this year's, a new project
with its first milestone, a project that ends, the approval. How they run: :mod:`.flow`."""

from __future__ import annotations

import rules
from django import forms
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from samarbeid.web.auth import login_required

from .. import services
from ..fields import MILESTONE_FIELDS, PROJECT_FIELDS, parse_day
from ..forms import ApproveForm, EndProjectForm, RollOverForm, raw, spec_form
from ..models import Project
from ..services.plans import plan_forbidden_message
from . import flow
from .common import body_or_404, crumbs, forbidden, plan_crumb, plan_or_404, project_or_404

NewProjectForm = spec_form(
    Project,
    PROJECT_FIELDS + MILESTONE_FIELDS[:2],
    versioned=False,
    extra={
        "i_aret": forms.CharField(
            label=gettext_lazy("Hva som skal gjøres i planåret"),
            required=False,
            strip=False,
            widget=forms.Textarea(attrs={"rows": 3}),
        )
    },
)


def _plan_url(plan) -> str:
    return reverse("portfolio:plan", args=[plan.body_id, plan.year])


@login_required
@require_http_methods(["GET", "POST"])
def roll_over(request: HttpRequest, body_id: int, year: int) -> HttpResponse:
    body = body_or_404(body_id)
    plan = plan_or_404(request, body, year)
    if not rules.has_perm("portfolio.change_body", request.user, body):
        message = _("Bare sekretariatet for %(body)s kan lage nye planer.") % {"body": body.name}
        return forbidden(request, message, body)
    new_year = plan.year + 1
    title = _("Lag utkast til handlingsplan %(new)s fra %(old)s") % {
        "new": new_year,
        "old": plan.year,
    }
    source = _("Rullert fra handlingsplan %(year)s") % {"year": plan.year}
    form = RollOverForm(request.POST or None, initial={"endringskilde": source})
    context = {
        "body": body,
        "form": form,
        "title": title,
        "submit": _("Lag utkastet"),
        "intro": _(
            "Prosjektene som ikke er avsluttet eller avlyst, blir med som «videreført». "
            "Planen for %(old)s blir stående som den er."
        )
        % {"old": plan.year},
        "cancel": _plan_url(plan),
        "crumbs": crumbs(body, plan_crumb(plan), ("", title)),
    }
    if request.method == "GET" or not form.is_valid():
        return flow.page(request, context)
    page = flow.run(
        request,
        context,
        lambda: services.roll_over(
            plan, user=request.user, source=form.cleaned_data["endringskilde"]
        ),
    )
    if page:
        return page
    message = _("Utkastet til handlingsplan %(year)s er laget.") % {"year": new_year}
    return flow.done(request, message, reverse("portfolio:plan", args=[body.pk, new_year]))


@login_required
@require_http_methods(["GET", "POST"])
def add_project(request: HttpRequest, body_id: int, year: int) -> HttpResponse:
    body = body_or_404(body_id)
    plan = plan_or_404(request, body, year)
    if not rules.has_perm("portfolio.change_plan", request.user, plan):
        return forbidden(request, plan_forbidden_message(plan), body)
    title = _("Nytt prosjekt i handlingsplan %(year)s") % {"year": plan.year}
    form = NewProjectForm(request.POST or None)
    context = {
        "body": body,
        "form": form,
        "title": title,
        "submit": _("Legg til prosjektet"),
        "groups": [
            (_("Prosjektet"), [f.key for f in PROJECT_FIELDS] + ["i_aret"]),
            (_("Første milepæl (valgfri)"), [f.key for f in MILESTONE_FIELDS[:2]]),
        ],
        "cancel": _plan_url(plan),
        "crumbs": crumbs(body, plan_crumb(plan), ("", title)),
    }
    if request.method == "GET" or not form.is_valid():
        return flow.page(request, context)
    project_raw = raw(form, PROJECT_FIELDS)
    stone_raw = raw(form, MILESTONE_FIELDS[:2])
    page = flow.run(
        request,
        context,
        lambda: services.add_project(
            plan,
            project_raw,
            milestone=stone_raw,
            this_year=form.cleaned_data.get("i_aret") or "",
            user=request.user,
            source=form.cleaned_data["endringskilde"],
        ),
    )
    if page:
        return page
    message = _("Prosjektet «%(title)s» er lagt til som nyetablert.") % {
        "title": project_raw["tittel"]
    }
    return flow.done(request, message, _plan_url(plan))


@login_required
@require_http_methods(["GET", "POST"])
def end_project(request: HttpRequest, body_id: int, year: int, code: str) -> HttpResponse:
    body = body_or_404(body_id)
    plan = plan_or_404(request, body, year)
    project = project_or_404(body, code)
    if not rules.has_perm("portfolio.change_plan", request.user, plan):
        return forbidden(request, plan_forbidden_message(plan), body)
    title = _("Avslutt %(code)s %(title)s") % {"code": project.code, "title": project.title}
    initial = {"versjon": project.version, "fase": Project.Phase.ENDED}
    form = EndProjectForm(request.POST or None, initial=initial)
    context = {
        "body": body,
        "form": form,
        "title": title,
        "submit": _("Avslutt prosjektet"),
        "object": project,
        "intro": _(
            "Prosjektet tas ut av utkastet for %(year)s. Tidligere planer og historikken "
            "beholder det."
        )
        % {"year": plan.year},
        "cancel": _plan_url(plan),
        "crumbs": crumbs(body, plan_crumb(plan), ("", title)),
    }
    if request.method == "GET" or not form.is_valid():
        return flow.page(request, context)
    page = flow.run(
        request,
        context,
        lambda: services.end_project(
            plan,
            project,
            form.cleaned_data["fase"],
            user=request.user,
            source=form.cleaned_data["endringskilde"],
            expected_version=form.cleaned_data.get("versjon") or 0,
        ),
    )
    if page:
        return page
    message = _("«%(title)s» er avsluttet og tatt ut av planen for %(year)s.") % {
        "title": project.title,
        "year": plan.year,
    }
    return flow.done(request, message, _plan_url(plan))


@login_required
@require_http_methods(["GET", "POST"])
def approve(request: HttpRequest, body_id: int, year: int) -> HttpResponse:
    body = body_or_404(body_id)
    plan = plan_or_404(request, body, year)
    if not rules.has_perm("portfolio.change_plan", request.user, plan):
        return forbidden(request, plan_forbidden_message(plan), body)
    kwargs = {"governing_bodies": list(body.governing_bodies.all())}
    form = ApproveForm(request.POST or None, initial={"versjon": plan.version}, **kwargs)
    title = _("Vedta handlingsplan %(year)s") % {"year": plan.year}
    context = {
        "body": body,
        "form": form,
        "form_kwargs": kwargs,
        "title": title,
        "submit": _("Marker planen som vedtatt"),
        "object": plan,
        "intro": _(
            "En vedtatt plan er et arkivert dokument: prosjektlisten endres ikke lenger. "
            "Milepæler, status og finansiering kan fortsatt føres."
        ),
        "cancel": _plan_url(plan),
        "crumbs": crumbs(body, plan_crumb(plan), ("", title)),
    }
    if request.method == "GET" or not form.is_valid():
        return flow.page(request, context)
    chosen = next(
        (g for g in kwargs["governing_bodies"] if str(g.pk) == form.cleaned_data["vedtatt_av"]),
        None,
    )
    text = form.cleaned_data.get("vedtatt_dato") or ""
    day = parse_day(text)
    if text and day is None:
        form.add_error("vedtatt_dato", not_a_date(text))
        return flow.page(request, context)
    page = flow.run(
        request,
        context,
        lambda: services.approve(
            plan,
            chosen,
            day,
            user=request.user,
            source=form.cleaned_data["endringskilde"],
            expected_version=form.cleaned_data.get("versjon") or 0,
        ),
    )
    if page:
        return page
    message = _("Handlingsplan %(year)s er markert som vedtatt.") % {"year": plan.year}
    return flow.done(request, message, _plan_url(plan))


def not_a_date(text: str) -> str:
    return _("«%(value)s» er ikke en dato. Skriv ÅÅÅÅ-MM-DD eller DD.MM.ÅÅÅÅ.") % {"value": text}
