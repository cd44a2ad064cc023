"""How every portfolio form runs: show it, call one service, and on a refusal show it again with
the problems on their fields and the input kept; on a stale save the conflict (409) with the
input kept and the version now saved; on success a notice and a redirect."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from .. import services
from ..models import PortfolioChange
from .common import attach, forbidden


def page(request: HttpRequest, context: dict, status: int = 200) -> HttpResponse:
    form = context["form"]
    context.setdefault("has_errors", bool(form.is_bound and form.errors))
    return render(request, "portfolio/form.html", context, status=status)


def conflict(
    request: HttpRequest, context: dict, clash: services.PortfolioConflict
) -> HttpResponse:
    """The form again with what the editor typed and the version saved now: saving again is a
    deliberate choice. The changes made since are listed."""
    form = context["form"]
    data = form.data.copy()
    data["versjon"] = str(clash.current_version or "")
    context["form"] = type(form)(data, **context.pop("form_kwargs", {}))
    context["form"].is_valid()
    context["conflict"] = clash
    context["has_errors"] = False
    obj = context.get("object")
    if obj is not None:
        context["their_changes"] = PortfolioChange.objects.filter(
            model=obj._meta.model_name, object_id=obj.pk
        ).order_by("-at", "-id")[:5]
    return page(request, context, status=409)


def run(request: HttpRequest, context: dict, call: Callable[[], object]) -> HttpResponse | None:
    """Call the service; ``None`` when it succeeded, else the page to show."""
    try:
        call()
    except services.EditForbidden as refused:
        return forbidden(request, refused.message, context["body"])
    except services.EditRejected as rejected:
        attach(context["form"], rejected.problems, context.get("prefix", ""))
        context["has_errors"] = True
        return page(request, context)
    except services.PortfolioConflict as clash:
        return conflict(request, context, clash)
    return None


def done(request: HttpRequest, message: str, to: str) -> HttpResponse:
    messages.success(request, message)
    return redirect(to)
