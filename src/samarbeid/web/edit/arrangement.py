"""Create and edit an arrangement; after a conflicting save, the three-way merge that keeps
what the editor typed."""

from __future__ import annotations

import rules
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from samarbeid.registry import editing, history
from samarbeid.registry.editing import EditConflict, EditForbidden, EditRejected
from samarbeid.registry.models import COUNTED, Arrangement, ChangeRecord
from samarbeid.web import access

from ..auth import login_required
from ..edit_forms import ArrangementForm, MembershipFormSet, attach_problems
from .shared import _arrangement, _arrangement_crumb, _crumbs, _forbidden, _saved_notice

MORE_ROWS = 5


# --- Helpers ------------------------------------------------------------------------------------


def _norm(text: str) -> str:
    return (text or "").replace("\r\n", "\n").replace("\r", "\n").strip()


def _with_more_rows(data) -> object:
    data = data.copy()
    key = f"{MembershipFormSet().prefix}-TOTAL_FORMS"
    try:
        total = int(data.get(key) or 0)
    except ValueError:
        total = 0
    data[key] = str(min(total, 2000) + MORE_ROWS)
    return data


def _focus_first_new_row(formset: MembershipFormSet) -> None:
    """After "more rows" the page opens with the first new row's name field in focus."""
    forms = formset.forms
    if len(forms) >= MORE_ROWS:
        forms[len(forms) - MORE_ROWS].fields["deltaker"].widget.attrs["autofocus"] = True


def _render_form(request: HttpRequest, context: dict, status: int = 200) -> HttpResponse:
    form = context["form"]
    formset = context["formset"]
    errors = bool(
        form.errors
        or any(f.errors for f in formset.forms)
        or formset.general_errors
        or formset.non_form_errors()
    )
    context.setdefault("has_errors", errors)
    return render(request, "web/edit/arrangement_form.html", context, status=status)


# --- Create and edit ----------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def edit_arrangement(request: HttpRequest, mapping_id: int, ref: str) -> HttpResponse:
    mapping, arrangement = _arrangement(request, mapping_id, ref)
    if not rules.has_perm("registry.change_arrangement", request.user, arrangement):
        message = editing.forbidden_message(request.user, arrangement)
        return _forbidden(request, message, mapping, arrangement)
    context = {
        "mapping": mapping,
        "arrangement": arrangement,
        "creating": False,
        "action": reverse("web:edit_arrangement", args=[mapping.pk, arrangement.ref]),
        "crumbs": _crumbs(mapping, _arrangement_crumb(arrangement), ("", "Endre")),
        "can_delete": rules.has_perm("registry.delete_arrangement", request.user, arrangement),
    }
    if request.method == "GET":
        current = history.snapshot(arrangement)
        initial = {
            **ArrangementForm.initial_from(current["values"]),
            "versjon": arrangement.version,
        }
        context["form"] = ArrangementForm(initial=initial)
        context["formset"] = MembershipFormSet(initial=current["memberships"])
        return _render_form(request, context)
    if "flere" in request.POST:
        data = _with_more_rows(request.POST)
        context["form"], context["formset"] = ArrangementForm(data), MembershipFormSet(data)
        _focus_first_new_row(context["formset"])
        return _render_form(request, context)
    form, formset = ArrangementForm(request.POST), MembershipFormSet(request.POST)
    context["form"], context["formset"] = form, formset
    if not (form.is_valid() & formset.is_valid()):
        return _render_form(request, context)
    values, rows = form.values(), formset.rows()
    expected = form.cleaned_data.get("versjon") or 0
    try:
        saved = editing.update_arrangement(
            arrangement,
            values,
            rows,
            user=request.user,
            source=form.source,
            expected_version=expected,
        )
    except EditRejected as rejected:
        attach_problems(form, formset, rejected.problems)
        return _render_form(request, context)
    except EditConflict as conflict:
        return _conflict(request, context, conflict, values, rows, form.source, expected)
    except EditForbidden as forbidden:
        return _forbidden(request, forbidden.message, mapping, arrangement)
    _saved_notice(request, saved, "lagret")
    return redirect("web:arrangement", mapping.pk, saved.ref)


def merge(
    base: history.Snapshot | None,
    current: history.Snapshot,
    mine_values: dict[str, str],
    mine_rows: list[dict[str, str]],
) -> tuple[dict[str, str], list[dict[str, str]], list[dict], list[str]]:
    """Three-way merge after a conflict: what the editor changed (mine vs. the version they
    started from, ``base``) is kept; what only the other editor changed is taken in. Where both
    changed the same field differently the editor's value is kept and the field is listed as a
    clash (with the value saved now). Without ``base`` every difference is a clash.

    Returns (values, rows, clashes, taken-in columns).
    """
    cur = current["values"]
    values: dict[str, str] = {}
    clashes: list[dict] = []
    taken: list[str] = []
    for column, mine in mine_values.items():
        now = _norm(cur.get(column, ""))
        mine = _norm(mine)
        was = _norm(base["values"].get(column, "")) if base else None
        if mine == now:
            values[column] = mine
        elif was is not None and mine == was:
            values[column] = now  # only the other editor changed it
            taken.append(column)
        else:
            values[column] = mine
            if was is None or now != was:
                clashes.append(
                    {"column": column, "label": history.LABELS[column], "mine": mine, "now": now}
                )
    rows = mine_rows
    now_rows = current["memberships"]
    if mine_rows != now_rows:
        if base is not None and mine_rows == base["memberships"]:
            rows = now_rows
            taken.append(history.PARTICIPANTS)
        elif base is None or now_rows != base["memberships"]:
            clashes.append(
                {
                    "column": history.PARTICIPANTS,
                    "label": history.LABELS[history.PARTICIPANTS],
                    "lines": history.participant_lines(mine_rows, now_rows),
                }
            )
    return values, rows, clashes, taken


def _conflict(
    request: HttpRequest,
    context: dict,
    conflict: EditConflict,
    values: dict[str, str],
    rows: list[dict[str, str]],
    source: str,
    expected: int,
) -> HttpResponse:
    """The form again, with the editor's input, what the other editor changed, and the current
    version: saving now is a deliberate choice, never a silent overwrite."""
    mapping = context["mapping"]
    context["conflict"] = conflict
    if conflict.deleted:
        # Nothing to save into: offer the input as a new arrangement (to those who may create).
        initial = {**ArrangementForm.initial_from(values), "endringskilde": source}
        initial["id"] = context["arrangement"].ref
        context["form"] = ArrangementForm(initial=initial, creating=True)
        context["formset"] = MembershipFormSet(initial=rows)
        context["creating"] = True
        context["action"] = reverse("web:create_arrangement", args=[mapping.pk])
        context["can_create"] = rules.has_perm("registry.add_arrangement", request.user, mapping)
        return _render_form(request, context, status=409)
    fresh = Arrangement.objects.get(pk=context["arrangement"].pk)
    current = history.snapshot(fresh)
    base = history.snapshot_at(fresh, expected) if expected else None
    merged_values, merged_rows, clashes, taken = merge(base, current, values, rows)
    initial = {
        **ArrangementForm.initial_from(merged_values),
        "versjon": fresh.version,
        "endringskilde": source,
    }
    context["form"] = ArrangementForm(initial=initial)
    context["formset"] = MembershipFormSet(initial=merged_rows)
    context["clashes"] = clashes
    context["taken"] = [history.LABELS[c] for c in taken]
    context["their_changes"] = [
        (record, history.describe(record.before, record.after))
        for record in ChangeRecord.objects.filter(arrangement=fresh, version__gt=expected).order_by(
            "at", "id"
        )
    ]
    return _render_form(request, context, status=409)


@login_required
@require_http_methods(["GET", "POST"])
def create_arrangement(request: HttpRequest, mapping_id: int) -> HttpResponse:
    mapping = access.mapping_or_404(request.user, mapping_id)
    if not rules.has_perm("registry.add_arrangement", request.user, mapping):
        message = editing.forbidden_message(request.user, None, mapping=mapping)
        return _forbidden(request, message, mapping)
    context = {
        "mapping": mapping,
        "arrangement": None,
        "creating": True,
        "can_create": True,
        "action": reverse("web:create_arrangement", args=[mapping.pk]),
        "crumbs": _crumbs(mapping, ("", "Ny ordning")),
        "next_ref": editing.next_ref(mapping),
    }
    if request.method == "GET":
        context["form"] = ArrangementForm(initial={"status": COUNTED}, creating=True)
        context["formset"] = MembershipFormSet()
        return _render_form(request, context)
    if "flere" in request.POST:
        data = _with_more_rows(request.POST)
        context["form"] = ArrangementForm(data, creating=True)
        context["formset"] = MembershipFormSet(data)
        _focus_first_new_row(context["formset"])
        return _render_form(request, context)
    form, formset = ArrangementForm(request.POST, creating=True), MembershipFormSet(request.POST)
    context["form"], context["formset"] = form, formset
    if not (form.is_valid() & formset.is_valid()):
        return _render_form(request, context)
    try:
        saved = editing.create_arrangement(
            mapping, form.values(), formset.rows(), user=request.user, source=form.source
        )
    except EditRejected as rejected:
        attach_problems(form, formset, rejected.problems)
        return _render_form(request, context)
    except EditForbidden as forbidden:
        return _forbidden(request, forbidden.message, mapping)
    _saved_notice(request, saved, "opprettet")
    return redirect("web:arrangement", mapping.pk, saved.ref)
