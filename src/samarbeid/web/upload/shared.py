"""What both steps share: who may upload, the checked file's place in the session, and the
pages both show (no access, the findings)."""

from __future__ import annotations

import shutil

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from samarbeid.registry import permissions
from samarbeid.registry.models import Mapping
from samarbeid.rules.findings import Finding
from samarbeid.rules.validate import CheckResult

SESSION_KEY = "samarbeid_uploads"


# --- Helpers --------------------------------------------------------------------------------------


def _crumbs(mapping: Mapping | None, *rest: str) -> list[tuple[str, str]]:
    crumbs = [(reverse("web:mapping", args=[mapping.pk]), mapping.name)] if mapping else []
    crumbs += [("", text) for text in rest]
    return crumbs


def _forbidden(request: HttpRequest, message: str, mapping: Mapping | None) -> HttpResponse:
    return render(
        request,
        "web/upload/forbidden.html",
        {
            "message": message,
            "mapping": mapping,
            "roles": permissions.role_labels(request.user),
            "crumbs": _crumbs(mapping, "Ingen tilgang"),
        },
        status=403,
    )


def _frozen_message(name: str) -> str:
    return f"Kartleggingen «{name}» er frosset og kan ikke endres."


def _refusal(request: HttpRequest, mapping: Mapping | None) -> HttpResponse | None:
    """403 when the user may not upload to the mapping (None: a new one, administrators only)."""
    if mapping is None:
        if permissions.is_admin(request.user):
            return None
        return _forbidden(
            request,
            "Bare administratorer kan laste opp en fil for en ny kartlegging.",
            None,
        )
    if mapping.frozen:
        return _forbidden(request, _frozen_message(mapping.name), mapping)
    if permissions.can_edit_mapping(request.user, mapping):
        return None
    return _forbidden(
        request,
        f"Du kan ikke laste opp filer til «{mapping.name}». Det kan kartleggerne for denne "
        "kartleggingen og administratorer.",
        mapping,
    )


def _slot(mapping: Mapping | None) -> str:
    return f"kartlegging-{mapping.pk}" if mapping else "ny"


def _pending(request: HttpRequest) -> dict:
    return dict(request.session.get(SESSION_KEY) or {})


def _forget(request: HttpRequest, slot: str) -> None:
    pending = _pending(request)
    entry = pending.pop(slot, None)
    if entry:
        shutil.rmtree(entry["dir"], ignore_errors=True)
    request.session[SESSION_KEY] = pending


def _urls(mapping: Mapping | None) -> dict[str, str]:
    if mapping is None:
        return {"check": reverse("web:upload_new"), "import": reverse("web:upload_new_import")}
    return {
        "check": reverse("web:upload", args=[mapping.pk]),
        "import": reverse("web:upload_import", args=[mapping.pk]),
    }


def _summary(result: CheckResult) -> dict[str, int]:
    return {
        "arrangements": len(result.spec.arrangements),
        "members": sum(len(a.memberships) for a in result.spec.arrangements),
        "scope": len(result.spec.scope),
    }


def _rows(findings: list[Finding]) -> list[dict[str, str]]:
    return [{"location": f.location("nb"), "message": f.text("nb")} for f in findings]


def _findings_page(
    request: HttpRequest,
    mapping: Mapping | None,
    existing: Mapping | None,
    file_name: str,
    result: CheckResult,
    *,
    token: str = "",
    refused: str = "",
    status: int = 200,
) -> HttpResponse:
    frozen = bool(existing and existing.frozen)
    errors, warnings = result.errors, result.warnings
    return render(
        request,
        "web/upload/findings.html",
        {
            "mapping": mapping,
            "existing": existing,
            "mapping_name": result.spec.name,
            "file_name": file_name,
            "errors": _rows(errors),
            "warnings": _rows(warnings),
            "summary": _summary(result),
            "token": token if not errors and not frozen else "",
            "frozen": frozen,
            "refused": refused,
            "urls": _urls(mapping),
            "crumbs": _crumbs(mapping, "Last opp fil", "Kontroll"),
        },
        status=status,
    )
