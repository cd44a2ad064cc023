"""An arrangement's change history, restoring an earlier version, and the deleted arrangements
of a mapping with restoring one of them."""

from __future__ import annotations

import rules
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe

from samarbeid.registry import editing, history
from samarbeid.registry.editing import EditConflict, EditForbidden, EditRejected
from samarbeid.registry.models import Arrangement, ChangeRecord
from samarbeid.web import access

from ..auth import login_required
from ..edit_forms import SourceForm, attach_problems
from .shared import (
    _arrangement,
    _arrangement_crumb,
    _changes_since,
    _crumbs,
    _forbidden,
    _saved_notice,
)

# --- History and restore ------------------------------------------------------------------------


@require_safe
def arrangement_history(request: HttpRequest, mapping_id: int, ref: str) -> HttpResponse:
    mapping, arrangement = _arrangement(request, mapping_id, ref)
    records = list(history.changes_of(arrangement).select_related("restored_from"))
    oldest = records[-1] if records else None
    return render(
        request,
        "web/edit/history.html",
        {
            "mapping": mapping,
            "arrangement": arrangement,
            "entries": [(r, history.describe(r.before, r.after)) for r in records],
            "can_restore": rules.has_perm("registry.restore_arrangement", request.user, mapping),
            # The version before the oldest recorded change is in no record's "after".
            "restore_before": oldest if oldest and oldest.before and oldest.after else None,
            "crumbs": _crumbs(mapping, _arrangement_crumb(arrangement), ("", "Endringshistorikk")),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def restore(
    request: HttpRequest, mapping_id: int, ref: str, change_id: int, before: bool = False
) -> HttpResponse:
    mapping, arrangement = _arrangement(request, mapping_id, ref)
    change = get_object_or_404(ChangeRecord, pk=change_id, arrangement=arrangement)
    if not rules.has_perm("registry.restore_arrangement", request.user, mapping):
        message = editing.forbidden_message(request.user, arrangement, restoring=True)
        return _forbidden(request, message, mapping, arrangement)
    before = before or change.after is None
    target = change.before if before else change.after
    if target is None:
        raise Http404("Endringen har ingen versjon å gjenopprette.")
    context = {
        "mapping": mapping,
        "arrangement": arrangement,
        "change": change,
        "before": before,
        "target_version": change.version - 1 if before else change.version,
        "crumbs": _crumbs(
            mapping,
            _arrangement_crumb(arrangement),
            (reverse("web:arrangement_history", args=[mapping.pk, arrangement.ref]), "Historikk"),
            ("", "Gjenopprett"),
        ),
    }

    def show(form: SourceForm, status: int = 200) -> HttpResponse:
        fresh = Arrangement.objects.get(pk=arrangement.pk)
        context["form"] = form
        context["differences"] = history.describe(history.snapshot(fresh), target)
        return render(request, "web/edit/restore.html", context, status=status)

    if request.method == "GET":
        return show(SourceForm(initial={"versjon": arrangement.version}))
    form = SourceForm(request.POST)
    if not form.is_valid():
        return show(form)
    try:
        saved = editing.restore_version(
            change,
            user=request.user,
            source=form.source,
            expected_version=form.cleaned_data.get("versjon") or 0,
            before=before,
        )
    except EditRejected as rejected:
        attach_problems(form, None, rejected.problems)
        return show(form)
    except EditConflict as conflict:
        context["conflict"] = conflict
        if conflict.deleted:
            return redirect("web:deleted_arrangements", mapping.pk)
        context["their_changes"] = _changes_since(arrangement, form.cleaned_data["versjon"])
        return show(
            SourceForm(initial={"versjon": conflict.current_version, "endringskilde": form.source}),
            status=409,
        )
    except EditForbidden as forbidden:
        return _forbidden(request, forbidden.message, mapping, arrangement)
    when = timezone.localtime(change.at)
    _saved_notice(request, saved, f"gjenopprettet slik den var {when:%d.%m.%Y kl. %H:%M}")
    return redirect("web:arrangement", mapping.pk, saved.ref)


@require_safe
def deleted_arrangements(request: HttpRequest, mapping_id: int) -> HttpResponse:
    mapping = access.mapping_or_404(request.user, mapping_id)
    return render(
        request,
        "web/edit/deleted.html",
        {
            "mapping": mapping,
            "records": history.deleted_in(mapping),
            "can_restore": rules.has_perm("registry.restore_arrangement", request.user, mapping),
            "crumbs": _crumbs(mapping, ("", "Slettede ordninger")),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def restore_deleted(request: HttpRequest, mapping_id: int, change_id: int) -> HttpResponse:
    mapping = access.mapping_or_404(request.user, mapping_id)
    change = get_object_or_404(
        ChangeRecord, pk=change_id, mapping=mapping, action=ChangeRecord.Action.DELETED
    )
    if not rules.has_perm("registry.restore_arrangement", request.user, mapping):
        message = editing.forbidden_message(request.user, None, mapping=mapping, restoring=True)
        return _forbidden(request, message, mapping)
    existing = Arrangement.objects.filter(mapping=mapping, ref=change.ref).first()
    if existing is not None:  # restored already (or the id is in use again)
        return redirect("web:arrangement", mapping.pk, existing.ref)
    context = {
        "mapping": mapping,
        "change": change,
        "differences": history.describe(None, change.before),
        "crumbs": _crumbs(
            mapping,
            (reverse("web:deleted_arrangements", args=[mapping.pk]), "Slettede ordninger"),
            ("", "Gjenopprett"),
        ),
    }
    if request.method == "GET":
        context["form"] = SourceForm()
        return render(request, "web/edit/restore.html", context)
    form = context["form"] = SourceForm(request.POST)
    if not form.is_valid():
        return render(request, "web/edit/restore.html", context)
    try:
        saved = editing.restore_version(change, user=request.user, source=form.source)
    except EditRejected as rejected:
        attach_problems(form, None, rejected.problems)
        return render(request, "web/edit/restore.html", context)
    except EditForbidden as forbidden:
        return _forbidden(request, forbidden.message, mapping)
    _saved_notice(request, saved, "gjenopprettet")
    return redirect("web:arrangement", mapping.pk, saved.ref)
