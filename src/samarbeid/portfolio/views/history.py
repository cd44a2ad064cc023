"""A body's change history (every change with who, when, source, before and after) and restoring
an earlier version from it; and the plan's downloads."""

from __future__ import annotations

import rules
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from samarbeid.web.auth import login_required

from .. import services
from ..forms import SourceForm
from ..models import PortfolioChange
from . import flow
from .common import body_or_404, crumbs, forbidden

HIDDEN = frozenset({"id", "version", "updated", "body_id", "source"})


def describe(change: PortfolioChange) -> list[tuple[str, object, object]]:
    """(field, before, after) of the fields that changed; every field of a created or deleted
    object."""
    before, after = change.before or {}, change.after or {}
    keys = [k for k in (after or before) if k not in HIDDEN]
    return [(k, before.get(k), after.get(k)) for k in keys if before.get(k) != after.get(k)]


@require_GET
def body_history(request: HttpRequest, body_id: int) -> HttpResponse:
    body = body_or_404(body_id)
    if not rules.has_perm("portfolio.view_drafts", request.user, body):
        message = _("Historikken til %(body)s er for sekretariatet og medlemmenes redaktører.") % {
            "body": body.name
        }
        return forbidden(request, message, body)
    changes = body.changes.order_by("-at", "-id")
    page = Paginator(changes, 50).get_page(request.GET.get("side"))
    rows = [(c, describe(c), services.restorable(c)) for c in page.object_list]
    return render(
        request,
        "portfolio/history.html",
        {
            "body": body,
            "page": page,
            "rows": rows,
            "can_restore": rules.has_perm("portfolio.restore", request.user, body),
            "crumbs": crumbs(body, ("", _("Historikk"))),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def restore(request: HttpRequest, body_id: int, change_id: int) -> HttpResponse:
    body = body_or_404(body_id)
    change = get_object_or_404(PortfolioChange, pk=change_id, body=body)
    if not rules.has_perm("portfolio.restore", request.user, body):
        message = _("Bare sekretariatet for %(body)s kan gjenopprette tidligere versjoner.") % {
            "body": body.name
        }
        return forbidden(request, message, body)
    title = _("Gjenopprett «%(label)s»") % {"label": change.label}
    default = _("Gjenopprettet fra endringen %(when)s") % {"when": f"{change.at:%d.%m.%Y %H:%M}"}
    form = SourceForm(request.POST or None, initial={"endringskilde": default})
    back = reverse("portfolio:history", args=[body.pk])
    context = {
        "body": body,
        "form": form,
        "title": title,
        "submit": _("Gjenopprett"),
        "intro": _(
            "Verdiene fra før endringen settes tilbake. Gjenopprettingen blir selv en "
            "endring i historikken og kan angres på samme måte."
        ),
        "changes": describe(change),
        "cancel": back,
        "crumbs": crumbs(body, (back, _("Historikk")), ("", title)),
    }
    if request.method == "GET" or not form.is_valid():
        return flow.page(request, context)
    page = flow.run(
        request,
        context,
        lambda: services.restore(
            change, user=request.user, source=form.cleaned_data["endringskilde"]
        ),
    )
    return page or flow.done(
        request, _("«%(label)s» er gjenopprettet.") % {"label": change.label}, back
    )
