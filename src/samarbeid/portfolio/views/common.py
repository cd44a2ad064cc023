"""What the portfolio pages share: finding the body, plan and project of the URL (a draft plan
is a 404 to those who may not see it, as a draft mapping is), the breadcrumbs, the refusal page,
and turning the services' problems into form errors."""

from __future__ import annotations

import rules
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from samarbeid.registry import permissions

from ..models import ActionPlan, CooperationBody, Project
from ..services import Problem


def body_or_404(body_id: int) -> CooperationBody:
    return get_object_or_404(CooperationBody, pk=body_id)


def plan_or_404(request: HttpRequest, body: CooperationBody, year: int) -> ActionPlan:
    plan = body.plans.filter(year=year).select_related("approved_by").first()
    if plan is None or not rules.has_perm("portfolio.view_plan", request.user, plan):
        raise Http404(
            _("%(body)s har ingen handlingsplan for %(year)s.") % {"body": body.name, "year": year}
        )
    plan.body = body
    return plan


def project_or_404(body: CooperationBody, code: str) -> Project:
    project = body.projects.filter(code=code).first()
    if project is None:
        raise Http404(
            _("%(body)s har ikke noe prosjekt med kode «%(code)s».")
            % {"body": body.name, "code": code}
        )
    project.body = body
    return project


def crumbs(body: CooperationBody | None, *rest: tuple[str, str]) -> list[tuple[str, str]]:
    items = [(reverse("portfolio:bodies"), _("Samarbeidsorganer"))]
    if body is not None:
        items.append((reverse("portfolio:body", args=[body.pk]), body.name))
    items += rest
    items[-1] = ("", items[-1][1])
    return items


def plan_crumb(plan: ActionPlan) -> tuple[str, str]:
    return (
        reverse("portfolio:plan", args=[plan.body_id, plan.year]),
        _("Handlingsplan %(year)s") % {"year": plan.year},
    )


def forbidden(request: HttpRequest, message: str, body: CooperationBody) -> HttpResponse:
    return render(
        request,
        "portfolio/forbidden.html",
        {
            "message": message,
            "body": body,
            "roles": permissions.role_labels(request.user),
            "crumbs": crumbs(body, ("", _("Ingen tilgang"))),
        },
        status=403,
    )


def language() -> str:
    """The catalogue language of the request: "en" or "nb"."""
    return "en" if (get_language() or "").startswith("en") else "nb"


def attach(form, problems: list[Problem], prefix: str = "") -> None:
    """Each problem on its field (``endringskilde`` included); the rest on the form."""
    lang = language()
    for problem in problems:
        name = problem.field if problem.field in form.fields else prefix + problem.field
        if name not in form.fields and name.startswith("milepael_"):
            name = name.removeprefix("milepael_")
        form.add_error(name if name in form.fields else None, problem.text(lang))
