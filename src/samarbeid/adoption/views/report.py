"""Reporting one status for one municipality: the form for its editor (and the secretariat of a
body it is a member of, and administrators). A refused report is shown again with the problem at
its field and everything typed kept; a saved one leads back to the municipality with a notice."""

from __future__ import annotations

from typing import Any

import rules
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from samarbeid.web.auth import login_required

from .. import services
from ..forms import ReportForm
from .common import attach, crumbs, forbidden, municipality_of, period_of, status_label


def not_allowed(name: str) -> str:
    return _(
        "Du kan ikke melde status for %(name)s: bare kommunens kommuneredaktør, sekretariatet i "
        "et samarbeidsorgan kommunen er medlem av, eller en administrator kan det."
    ) % {"name": name}


@login_required
@require_http_methods(["GET", "POST"])
def report_form(request: HttpRequest, number: str) -> HttpResponse:
    today = timezone.localdate()
    period = period_of(number, today)
    municipality = municipality_of(period)
    if not rules.has_perm("adoption.report_status", request.user, municipality):
        return forbidden(request, not_allowed(period.name), number, period.label())
    back = reverse("adoption:municipality", args=[number])
    form = ReportForm(
        request.POST or None,
        initial={"dato": today, "losning": request.GET.get("losning", "")},
    )
    title = _("Meld status for %(name)s") % {"name": period.name}
    context: dict[str, Any] = {
        "form": form,
        "title": title,
        "period": period,
        "cancel": back,
        "has_errors": False,
        "crumbs": crumbs((back, period.label()), ("", _("Meld status"))),
    }
    if request.method == "GET":
        return render(request, "adoption/report_form.html", context)
    if not form.is_valid():
        context["has_errors"] = True
        return render(request, "adoption/report_form.html", context)
    data = form.cleaned_data
    report = services.Report(
        solution=data["losning"],
        municipality=municipality,
        status=data["status"],
        date=data["dato"],
        source=data["endringskilde"],
        note=data["merknad"],
    )
    try:
        record = services.report_status(request.user, report)
    except services.EditForbidden as refused:
        return forbidden(request, refused.message, number, period.label())
    except services.EditRejected as rejected:
        attach(form, rejected.problems)
        context["has_errors"] = True
        return render(request, "adoption/report_form.html", context)
    words = {
        "solution": report.solution.name,
        "name": period.name,
        "status": status_label(report.status),
        "day": report.date.strftime("%d.%m.%Y"),
    }
    if record is None:
        message = (
            _(
                "%(name)s hadde allerede status «%(status)s» for %(solution)s %(day)s; "
                "ingenting er endret."
            )
            % words
        )
    else:
        message = _("Meldt: %(solution)s i %(name)s, «%(status)s» fra %(day)s.") % words
    messages.success(request, message)
    return redirect(back)
