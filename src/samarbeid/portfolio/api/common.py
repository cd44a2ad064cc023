"""What the portfolio's API views share: the lookups that answer 404 (a draft plan, and a project
that is only in drafts, is not found by those who may not see drafts, exactly as a missing one),
and the translation of the services' refusals into the registry API's answers
(:mod:`samarbeid.web.api.writes`):

=======================  =====================================================================
``EditRejected``         400, ``feil``: one item per problem (``felt``, ``melding``, ``kode`` …)
``EditForbidden``        403 with the service's reason
no version given         428 (``versjon`` in the body or the version in ``If-Match``)
``PortfolioConflict``    409 with the current ``versjon``, who changed it (``endret_av``), when
=======================  =====================================================================

Messages follow the request's language (Accept-Language or the language cookie, as every page of
the site); bokmål is the default and the text of any message the catalogue does not translate.
"""

from __future__ import annotations

import re

import rules
from django.db.models import F
from django.http import Http404
from django.urls import reverse
from django.utils.translation import get_language, gettext_lazy, gettext_noop
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.permissions import IsAuthenticatedOrReadOnly

from samarbeid.registry.edit_checks import source_problems
from samarbeid.registry.models import Municipality, MunicipalityPeriod
from samarbeid.web.api import writes
from samarbeid.web.api.common import ApiView

from .. import services
from ..models import ActionPlan, CooperationBody, FundingApplication, Project
from ..rules import member_keys

FOUR_DIGITS = re.compile(r"[0-9]{4}")


class PortfolioView(ApiView):
    """Reading is open; writing needs a token (401 without one), as in the arrangement API."""

    permission_classes = [IsAuthenticatedOrReadOnly]


def language() -> str:
    """The catalogue language of the request: "en" or "nb"."""
    return "en" if (get_language() or "").startswith("en") else "nb"


def absolute(request, name: str, *args) -> str:
    url = reverse(f"portfolio_api:{name}", args=args)
    return request.build_absolute_uri(url) if request is not None else url


# --- Lookups: 404 for what is missing or not to be seen ----------------------------------------


def body_or_404(body_id: int) -> CooperationBody:
    body = CooperationBody.objects.filter(pk=body_id).first()
    if body is None:
        raise Http404(_("Fant ikke noe samarbeidsorgan med nummer %(id)s.") % {"id": body_id})
    return body


def plan_or_404(user, body: CooperationBody, year: int) -> ActionPlan:
    """The body's plan for ``year`` if ``user`` may read it (``portfolio.view_plan``)."""
    plan = body.plans.filter(year=year).select_related("approved_by").first()
    if plan is None or not rules.has_perm("portfolio.view_plan", user, plan):
        raise Http404(
            _("%(body)s har ingen handlingsplan for %(year)s.") % {"body": body.name, "year": year}
        )
    plan.body = body
    return plan


def visible_plans(user, body: CooperationBody) -> list[ActionPlan]:
    return [p for p in body.plans.all() if rules.has_perm("portfolio.view_plan", user, p)]


def project_visible(user, project: Project) -> bool:
    """A project in an approved plan is public; one only in drafts (or in no plan) is a draft."""
    return rules.has_perm("portfolio.view_drafts", user, project.body) or (
        project.plan_entries.filter(plan__status=ActionPlan.Status.APPROVED).exists()
    )


def project_or_404(user, body: CooperationBody, code: str) -> Project:
    project = body.projects.filter(code=code).first()
    if project is not None:
        project.body = body
    if project is None or not project_visible(user, project):
        raise Http404(
            _("%(body)s har ikke noe prosjekt med kode «%(code)s».")
            % {"body": body.name, "code": code}
        )
    return project


def funding_or_404(user, body: CooperationBody, funding_id: int) -> FundingApplication:
    row = body.funding.filter(pk=funding_id).select_related("project").first()
    if row is not None and row.project is not None:
        row.project.body = body
    if row is None or (row.project is not None and not project_visible(user, row.project)):
        raise Http404(
            _("%(body)s har ingen finansiering med nummer %(id)s.")
            % {"body": body.name, "id": funding_id}
        )
    row.body = body
    return row


def municipality_or_404(project: Project, number: str) -> Municipality:
    """The municipality with this number: among the body's members and the project's participants
    first (the entity that had the number), else the latest municipality that had it."""
    periods = []
    if FOUR_DIGITS.fullmatch(number):
        periods = list(
            MunicipalityPeriod.objects.filter(number=number)
            .select_related("municipality")
            .order_by(F("valid_from").desc(nulls_last=True))
        )
    if not periods:
        raise Http404(_("Ingen kommune har hatt nummeret %(number)s.") % {"number": number})
    keys = member_keys(project.body) | set(
        project.participation.values_list("municipality__key", flat=True)
    )
    ours = [p.municipality for p in periods if p.municipality.key in keys]
    return ours[0] if ours else periods[0].municipality


def municipality_number(municipality: Municipality) -> str | None:
    """The municipality's number in its latest period."""
    return (
        municipality.periods.order_by(F("valid_from").desc(nulls_last=True))
        .values_list("number", flat=True)
        .first()
    )


def forbid(message: str):
    raise exceptions.PermissionDenied(message)


def require(user, permission: str, obj, message: str) -> None:
    """403 with the service's reason before the body is read (as the arrangement API does)."""
    if not rules.has_perm(permission, user, obj):
        forbid(message)


# --- Writes: the body, the version, the refusals ------------------------------------------------


class PreconditionRequired(exceptions.APIException):
    status_code = status.HTTP_428_PRECONDITION_REQUIRED
    default_detail = gettext_lazy(
        "Oppgi versjonen endringen bygger på: «versjon» i innholdet eller If-Match-topptekst "
        "(les den først; ETag-en er versjonen)."
    )


def expected_version(request, body_version: int | None) -> int:
    """``versjon`` or ``If-Match`` (the arrangement API's reading of them); 428 without."""
    try:
        return writes.expected_version(request, body_version)
    except writes.PreconditionRequired:
        raise PreconditionRequired() from None


def problem(p: services.Problem, lang: str) -> dict:
    return {
        "felt": p.field or None,
        "melding": p.text(lang),
        "kode": p.code,
        "rad": p.row,
        "kolonne": p.column,
        "verdi": p.value,
    }


class Rejected(exceptions.APIException):
    status_code = status.HTTP_400_BAD_REQUEST

    def __init__(self, rejected: services.EditRejected) -> None:
        lang = language()
        texts = "; ".join(p.text(lang) for p in rejected.problems)
        message = _("Endringen ble ikke lagret: %(problems)s") % {"problems": texts}
        super().__init__(message)
        self.body = {
            "detail": message,
            "feil": [problem(p, lang) for p in rejected.problems],
            "advarsler": [problem(p, lang) for p in rejected.warnings],
        }


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT

    def __init__(self, clash: services.PortfolioConflict) -> None:
        super().__init__(clash.message)
        self.body = {
            "detail": clash.message,
            "versjon": clash.current_version,
            "endret_av": clash.changed_by or None,
            "endret": clash.changed_at.isoformat() if clash.changed_at else None,
            "slettet": clash.deleted,
        }


def call(function, *args, **kwargs):
    """Run a service; its refusals become HTTP errors (the service wrote nothing)."""
    try:
        return function(*args, **kwargs)
    except services.EditRejected as error:
        raise Rejected(error) from error
    except services.EditForbidden as error:
        raise exceptions.PermissionDenied(error.message) from error
    except services.PortfolioConflict as error:
        raise Conflict(error) from error


def parse(request, serializer_class) -> tuple[dict, int | None, str]:
    """The body's values (the codec's Norwegian keys), ``versjon`` and ``endringskilde``."""
    body = serializer_class(data=request.data)
    body.is_valid(raise_exception=True)
    values = dict(body.validated_data)
    version = values.pop("versjon", None)
    source = values.pop("endringskilde", "") or ""
    return values, version, source


def rejected_source(source: str) -> None:
    """400 when the change's source is missing (for a service that would make one up)."""
    if problems := source_problems(source):
        raise Rejected(services.EditRejected(problems))


def not_a_date(field: str, text: str) -> services.Problem:
    """The codec's own problem for a date it cannot read."""
    return services.Problem(
        field,
        "date",
        gettext_noop("«{value}» er ikke en dato. Skriv ÅÅÅÅ-MM-DD eller DD.MM.ÅÅÅÅ."),
        value=text,
        params={"value": text},
    )
