"""Delete an arrangement (the history keeps it, so it can be restored)."""

from __future__ import annotations

import rules
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from samarbeid.registry import editing
from samarbeid.registry.editing import EditConflict, EditForbidden, EditRejected

from ..auth import login_required
from ..edit_forms import SourceForm, attach_problems
from .shared import _arrangement, _arrangement_crumb, _changes_since, _crumbs, _forbidden, notify

# --- Delete -------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def delete_arrangement(request: HttpRequest, mapping_id: int, ref: str) -> HttpResponse:
    mapping, arrangement = _arrangement(request, mapping_id, ref)
    if not rules.has_perm("registry.delete_arrangement", request.user, arrangement):
        message = editing.forbidden_message(request.user, arrangement, deleting=True)
        return _forbidden(request, message, mapping, arrangement)
    context = {
        "mapping": mapping,
        "arrangement": arrangement,
        "crumbs": _crumbs(mapping, _arrangement_crumb(arrangement), ("", "Slett")),
    }
    if request.method == "GET":
        context["form"] = SourceForm(initial={"versjon": arrangement.version})
        return render(request, "web/edit/delete.html", context)
    form = context["form"] = SourceForm(request.POST)
    if not form.is_valid():
        return render(request, "web/edit/delete.html", context)
    try:
        editing.delete_arrangement(
            arrangement,
            user=request.user,
            source=form.source,
            expected_version=form.cleaned_data.get("versjon") or 0,
        )
    except EditRejected as rejected:
        attach_problems(form, None, rejected.problems)
        return render(request, "web/edit/delete.html", context)
    except EditConflict as conflict:
        context["conflict"] = conflict
        if not conflict.deleted:
            context["form"] = SourceForm(
                initial={"versjon": conflict.current_version, "endringskilde": form.source}
            )
            context["their_changes"] = _changes_since(arrangement, form.cleaned_data["versjon"])
        return render(request, "web/edit/delete.html", context, status=409)
    except EditForbidden as forbidden:
        return _forbidden(request, forbidden.message, mapping, arrangement)
    notify(
        request,
        f"«{arrangement.name}» er slettet. Den kan gjenopprettes fra listen over slettede ordninger.",
    )
    return redirect("web:arrangements", mapping.pk)
