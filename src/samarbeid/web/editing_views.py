"""Editing pages: create, edit and delete an arrangement, its change history, restore.

The views only collect input and show outcomes. Who may do what is :mod:`samarbeid.registry.
permissions`; what is valid, and how it is written and recorded, is :mod:`samarbeid.registry.
editing` (the intake's rules). Nothing a user typed is lost: a refused or conflicting save shows
the form again with the input in it.
"""

from __future__ import annotations

import rules
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe

from samarbeid.registry import editing, history, permissions
from samarbeid.registry.editing import EditConflict, EditForbidden, EditRejected
from samarbeid.registry.models import Arrangement, ChangeRecord, Mapping
from samarbeid.web import access

from .auth import login_required
from .edit_forms import ArrangementForm, MembershipFormSet, SourceForm, attach_problems

NOTICE_KEY = "samarbeid_notice"
MORE_ROWS = 5


# --- Helpers ------------------------------------------------------------------------------------


def _arrangement(request: HttpRequest, mapping_id: int, ref: str) -> tuple[Mapping, Arrangement]:
    mapping = access.mapping_or_404(request.user, mapping_id)
    arrangement = Arrangement.objects.filter(mapping=mapping, ref=ref).first()
    if arrangement is None:
        raise Http404(f"Fant ingen ordning med id «{ref}».")
    arrangement.mapping = mapping
    return mapping, arrangement


def _crumbs(mapping: Mapping, *rest: tuple[str, str]) -> list[tuple[str, str]]:
    crumbs = [
        (reverse("web:mapping", args=[mapping.pk]), mapping.name),
        (reverse("web:arrangements", args=[mapping.pk]), "Ordninger"),
        *rest,
    ]
    crumbs[-1] = ("", crumbs[-1][1])
    return crumbs


def _arrangement_crumb(arrangement: Arrangement) -> tuple[str, str]:
    return (
        reverse("web:arrangement", args=[arrangement.mapping_id, arrangement.ref]),
        arrangement.name,
    )


def _forbidden(
    request: HttpRequest, message: str, mapping: Mapping, arrangement: Arrangement | None = None
) -> HttpResponse:
    return render(
        request,
        "web/edit/forbidden.html",
        {
            "message": message,
            "mapping": mapping,
            "arrangement": arrangement,
            "roles": permissions.role_labels(request.user),
            "crumbs": _crumbs(
                mapping,
                *([_arrangement_crumb(arrangement)] if arrangement else []),
                ("", "Ingen tilgang"),
            ),
        },
        status=403,
    )


def notify(request: HttpRequest, message: str, warnings: list[str] | None = None) -> None:
    """A message for the next page (shown once, by ``{% edit_notice %}``)."""
    request.session[NOTICE_KEY] = {"message": message, "warnings": warnings or []}


def _saved_notice(request: HttpRequest, saved: Arrangement, verb: str) -> None:
    warnings = [w.message for w in getattr(saved, "edit_warnings", [])]
    if getattr(saved, "edit_record", None) is None:
        notify(request, "Ingenting ble endret: ordningen er allerede slik.", warnings)
    else:
        notify(request, f"«{saved.name}» er {verb} (versjon {saved.version}).", warnings)


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
        context["form"] = ArrangementForm(initial={"status": "telles"}, creating=True)
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


def _changes_since(arrangement: Arrangement, version: int | None):
    return [
        (record, history.describe(record.before, record.after))
        for record in ChangeRecord.objects.filter(
            arrangement_id=arrangement.pk, version__gt=version or 0
        ).order_by("at", "id")
    ]


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
