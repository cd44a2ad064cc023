"""What the editing pages share: finding the arrangement, the breadcrumbs, the no-access page,
the notice shown on the next page, and the changes made since a version."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from samarbeid.registry import history, permissions
from samarbeid.registry.models import Arrangement, ChangeRecord, Mapping
from samarbeid.web import access

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
    """A message for the next page (Django's messages, shown once by ``{% edit_notice %}``):
    the notice itself, then the intake's warnings about what was saved."""
    messages.success(request, message)
    for warning in warnings or []:
        messages.warning(request, warning)


def _saved_notice(request: HttpRequest, saved: Arrangement, verb: str) -> None:
    warnings = [w.message for w in getattr(saved, "edit_warnings", [])]
    if getattr(saved, "edit_record", None) is None:
        notify(request, "Ingenting ble endret: ordningen er allerede slik.", warnings)
    else:
        notify(request, f"«{saved.name}» er {verb} (versjon {saved.version}).", warnings)


def _changes_since(arrangement: Arrangement, version: int | None):
    return [
        (record, history.describe(record.before, record.after))
        for record in ChangeRecord.objects.filter(
            arrangement_id=arrangement.pk, version__gt=version or 0
        ).order_by("at", "id")
    ]
