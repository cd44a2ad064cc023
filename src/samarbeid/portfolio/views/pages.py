"""The portfolio's pages to read: the bodies, one body (members, governing bodies and decisions,
strategy, networks, plans, agreements with their expiry alert, findings), one plan (projects by
category with milestones and funding, the participation matrix, findings), one agreement."""

from __future__ import annotations

from urllib.parse import quote, urlencode

import rules
from django.db.models import Count, Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.http import RFC3986_SUBDELIMS
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from samarbeid.registry.models import Municipality

from .. import agreements as agreement_facts
from ..models import (
    ActionPlan,
    Agreement,
    CooperationBody,
    FundingApplication,
    Participation,
    PlanProject,
)
from ..plan_data import body_findings, funding_comparison, plan_findings, shown_milestones
from ..rules import edits_body, member_keys, own_member_keys
from .common import body_or_404, crumbs, language, plan_crumb, plan_or_404


@require_GET
def body_list(request: HttpRequest) -> HttpResponse:
    bodies = CooperationBody.objects.annotate(
        n_members=Count("members", distinct=True), n_plans=Count("plans", distinct=True)
    ).select_related("office_municipality")
    return render(
        request,
        "portfolio/body_list.html",
        {"bodies": bodies, "crumbs": crumbs(None, ("", _("Samarbeidsorganer")))},
    )


def _alerts(body: CooperationBody) -> list[dict]:
    today = timezone.localdate()
    soon = agreement_facts.running_out(body.agreements.all(), agreement_facts.ALERT_DAYS, today)
    return [{"agreement": a, "days": (a.ends - today).days} for a in soon]


@require_GET
def body_detail(request: HttpRequest, body_id: int) -> HttpResponse:
    body = body_or_404(body_id)
    members = list(body.members.select_related("municipality", "county"))
    plans = [p for p in body.plans.all() if rules.has_perm("portfolio.view_plan", request.user, p)]
    governing = body.governing_bodies.prefetch_related("members__municipality", "decisions")
    today = timezone.localdate()
    agreements = [
        {"agreement": a, "facts": agreement_facts.agreement_data(a, today)}
        for a in body.agreements.prefetch_related("versions")
    ]
    context = {
        "body": body,
        "members": members,
        "current_members": [m for m in members if m.left is None],
        "partial": body.stated_member_count is not None
        and len([m for m in members if m.left is None]) < body.stated_member_count,
        "governing": governing,
        "staff": body.staff.all(),
        "areas": body.focus_areas.filter(parent__isnull=True).prefetch_related("children"),
        "networks": body.networks.all(),
        "plans": plans,
        "catalogues": body.catalogues.annotate(n=Count("measures")),
        "agreements": agreements,
        "alerts": _alerts(body),
        "findings": [f.as_json(language()) for f in body_findings(body)],
        "funding_over_time": funding_comparison(body),
        "can_edit": rules.has_perm("portfolio.change_body", request.user, body),
        "crumbs": crumbs(body),
    }
    return render(request, "portfolio/body.html", context)


def _matrix(plan: ActionPlan, entries: list[PlanProject]) -> tuple[list[Municipality], dict]:
    """Columns: the member municipalities and any other that has a participation row; cells:
    True (takes part), False (opted out), None (not reported)."""
    projects = [e.project for e in entries]
    rows = list(
        Participation.objects.filter(project__in=projects).values_list(
            "project_id", "municipality__key", "takes_part"
        )
    )
    keys = member_keys(plan.body) | {key for _, key, _ in rows}
    columns = list(Municipality.objects.filter(key__in=keys).order_by("name"))
    cells: dict[int, dict[str, bool | None]] = {p.pk: {} for p in projects}
    for project_id, key, takes_part in rows:
        cells[project_id][key] = takes_part
    return columns, cells


def _matrix_rows(columns: list[Municipality], cells: dict, entries: list) -> list:
    """Each project with its row of cells as markup: three fixed, escaped fragments, so a plan
    of a hundred projects and a dozen members is not a thousand template lookups."""
    fragments = {
        None: format_html('<td><span class="muted">{}</span></td>', _("Ikke meldt")),
        True: format_html("<td>{}</td>", _("Deltar")),
        False: format_html("<td><strong>{}</strong></td>", _("Deltar ikke")),
    }
    return [
        (
            e.project,
            mark_safe("".join(fragments[cells[e.project.pk].get(m.key)] for m in columns)),
        )
        for e in entries
    ]


def _markable(user, body: CooperationBody, entries: list, cells: dict) -> set[int]:
    """The projects whose participation the user may mark, decided once for the whole plan
    (the rule ``participation_keys`` per project, without a query per project)."""
    if edits_body(user, body):
        members = bool(member_keys(body))
        return {e.project.pk for e in entries if members or cells[e.project.pk]}
    if own_member_keys(user, body):
        return {e.project.pk for e in entries}
    return set()


#: What Django's ``reverse`` leaves unquoted in an argument; ``/`` is not in a code's segment.
CODE_SAFE = RFC3986_SUBDELIMS + "~:@"


class _Links:
    """The secretariat's and the editor's links of each project, each address reversed once
    per page with a stand-in for the code (Django's own quoting), not seven times per project."""

    STAND_IN = "0KODE0"

    def __init__(self, body: CooperationBody, plan: ActionPlan) -> None:
        self.body, self.plan = body, plan
        self.patterns: dict[str, str] = {}

    def url(self, name: str, code: str, *, with_code: bool = True) -> str:
        if name not in self.patterns:
            args = [self.body.pk] if name == "edit_project" else [self.body.pk, self.plan.year]
            self.patterns[name] = reverse(
                f"portfolio:{name}", args=[*args, self.STAND_IN] if with_code else args
            )
        return self.patterns[name].replace(self.STAND_IN, quote(code, safe=CODE_SAFE))

    def of(self, code: str, edit_body: bool, edit_plan: bool, mark: bool) -> list:
        c = {"code": code}
        links = []
        if edit_body:
            query = urlencode({"plan": self.plan.year})
            links += [
                (f"{self.url('edit_project', code)}?{query}", _("Endre %(code)s") % c),
                (self.url("add_milestone", code), _("Ny milepæl for %(code)s") % c),
                (self.url("add_status_report", code), _("Statusrapport for %(code)s") % c),
                (self.url("add_benefit", code), _("Ny gevinst for %(code)s") % c),
                (
                    self.url("add_funding", code, with_code=False)
                    + "?"
                    + urlencode({"prosjekt": code}),
                    _("Søknad om midler for %(code)s") % c,
                ),
            ]
        if edit_plan:
            links.append((self.url("end_project", code), _("Avslutt %(code)s") % c))
        if mark:
            links.append((self.url("participation", code), _("Meld deltakelse i %(code)s") % c))
        return links


@require_GET
def plan_detail(request: HttpRequest, body_id: int, year: int) -> HttpResponse:
    body = body_or_404(body_id)
    plan = plan_or_404(request, body, year)
    entries = list(
        plan.entries.select_related("project", "project__focus_area").prefetch_related(
            "project__milestones__plan",
            "project__status_reports",
            "project__benefits__municipality",
            Prefetch(
                "project__funding", queryset=FundingApplication.objects.order_by("year", "id")
            ),
        )
    )
    for entry in entries:
        entry.plan = plan
        entry.milestones = shown_milestones(entry.project, plan)
    columns, cells = _matrix(plan, entries)
    user = request.user
    can_edit_plan = rules.has_perm("portfolio.change_plan", user, plan)
    can_edit_body = rules.has_perm("portfolio.change_body", user, body)
    markable = _markable(user, body, entries, cells)
    links = _Links(body, plan)
    for entry in entries:
        code = entry.project.code
        entry.links = links.of(code, can_edit_body, can_edit_plan, entry.project.pk in markable)
    headings = {
        PlanProject.Category.CONTINUED: _("Videreførte prosjekter"),
        PlanProject.Category.NEW: _("Nyetablerte prosjekter"),
    }
    groups = [
        (headings[category], [e for e in entries if e.category == category])
        for category in PlanProject.Category.values
    ]
    context = {
        "body": body,
        "plan": plan,
        "groups": [(label, rows) for label, rows in groups if rows],
        "entries": entries,
        "columns": columns,
        "matrix": _matrix_rows(columns, cells, entries),
        "plan_funding": body.funding.filter(project__isnull=True, year=plan.year),
        "funding_over_time": funding_comparison(body),
        "findings": [f.as_json(language()) for f in plan_findings(plan, entries=entries)],
        "can_edit_plan": can_edit_plan,
        "can_edit_body": can_edit_body,
        "next_year_exists": body.plans.filter(year=plan.year + 1).exists(),
        "crumbs": crumbs(body, plan_crumb(plan)),
    }
    return render(request, "portfolio/plan.html", context)


@require_GET
def agreement_detail(request: HttpRequest, body_id: int, agreement_id: int) -> HttpResponse:
    body = body_or_404(body_id)
    agreement = get_object_or_404(Agreement, pk=agreement_id, body=body)
    facts = agreement_facts.agreement_data(agreement)
    context = {
        "body": body,
        "agreement": agreement,
        "facts": facts,
        "versions": agreement.versions.all(),
        "inputs": agreement.inputs.all(),
        "decisions": agreement.council_decisions.all(),
        "alert": facts["dager_igjen"] is not None
        and 0 <= facts["dager_igjen"] <= agreement_facts.ALERT_DAYS,
        "crumbs": crumbs(body, ("", agreement.title)),
    }
    return render(request, "portfolio/agreement.html", context)
