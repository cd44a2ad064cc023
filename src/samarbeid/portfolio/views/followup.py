"""Following a project up: dated status reports (snapshots) and its expected benefits per
member municipality with their owner and indicator. The secretariat's forms; :mod:`.flow`."""

from __future__ import annotations

import rules
from django import forms
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from samarbeid.registry.models import Municipality
from samarbeid.web.auth import login_required

from .. import services
from ..fields import BENEFIT_FIELDS, STATUS_FIELDS
from ..forms import raw, spec_form
from ..models import Benefit, StatusReport
from ..rules import member_keys
from ..services.projects import NOT_SECRETARIAT
from . import flow
from .common import body_or_404, crumbs, forbidden, plan_crumb, plan_or_404, project_or_404

StatusForm = spec_form(StatusReport, STATUS_FIELDS, versioned=False)


class BenefitForm(spec_form(Benefit, BENEFIT_FIELDS, versioned=False)):
    kommune = forms.ChoiceField(label=gettext_lazy("Kommune"), choices=[], required=False)

    def __init__(self, *args, municipalities=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kommune"].choices = [("", _("Alle deltakende kommuner"))] + [
            (m.key, m.name) for m in municipalities
        ]


def _context(request, body_id: int, year: int, code: str):
    body = body_or_404(body_id)
    plan = plan_or_404(request, body, year)
    project = project_or_404(body, code)
    return body, plan, project


@login_required
@require_http_methods(["GET", "POST"])
def add_status_report(request: HttpRequest, body_id: int, year: int, code: str) -> HttpResponse:
    body, plan, project = _context(request, body_id, year, code)
    if not rules.has_perm("portfolio.change_body", request.user, body):
        return forbidden(request, NOT_SECRETARIAT.format(body=body.name), body)
    title = _("Statusrapport for %(code)s %(title)s") % {
        "code": project.code,
        "title": project.title,
    }
    form = StatusForm(request.POST or None)
    back = reverse("portfolio:plan", args=[body.pk, plan.year])
    context = {
        "body": body,
        "form": form,
        "title": title,
        "submit": _("Lagre statusrapporten"),
        "intro": _("En statusrapport lagres som den er skrevet og endres ikke senere."),
        "cancel": back,
        "crumbs": crumbs(body, plan_crumb(plan), ("", title)),
    }
    if request.method == "GET" or not form.is_valid():
        return flow.page(request, context)
    page = flow.run(
        request,
        context,
        lambda: services.add_status_report(
            project,
            raw(form, STATUS_FIELDS),
            user=request.user,
            source=form.cleaned_data["endringskilde"],
        ),
    )
    return page or flow.done(request, _("Statusrapporten er lagret."), back)


@login_required
@require_http_methods(["GET", "POST"])
def add_benefit(request: HttpRequest, body_id: int, year: int, code: str) -> HttpResponse:
    body, plan, project = _context(request, body_id, year, code)
    if not rules.has_perm("portfolio.change_body", request.user, body):
        return forbidden(request, NOT_SECRETARIAT.format(body=body.name), body)
    municipalities = list(Municipality.objects.filter(key__in=member_keys(body)).order_by("name"))
    kwargs = {"municipalities": municipalities}
    form = BenefitForm(request.POST or None, **kwargs)
    title = _("Ny gevinst for %(code)s %(title)s") % {"code": project.code, "title": project.title}
    back = reverse("portfolio:plan", args=[body.pk, plan.year])
    context = {
        "body": body,
        "form": form,
        "form_kwargs": kwargs,
        "title": title,
        "submit": _("Lagre gevinsten"),
        "cancel": back,
        "crumbs": crumbs(body, plan_crumb(plan), ("", title)),
    }
    if request.method == "GET" or not form.is_valid():
        return flow.page(request, context)
    chosen = next((m for m in municipalities if m.key == form.cleaned_data["kommune"]), None)
    page = flow.run(
        request,
        context,
        lambda: services.add_benefit(
            project,
            raw(form, BENEFIT_FIELDS),
            municipality=chosen,
            user=request.user,
            source=form.cleaned_data["endringskilde"],
        ),
    )
    return page or flow.done(request, _("Gevinsten er lagret."), back)
