"""Step 2, **Importer**: the checked file, found by the session's token, checked again and written
all or nothing exactly as ``samarbeid import`` (see :mod:`samarbeid.web.upload`)."""

from __future__ import annotations

import datetime as dt
import secrets
import time
from pathlib import Path

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_POST

from samarbeid.intake.commands import check_path
from samarbeid.intake.importer import log_run, write_mapping
from samarbeid.intake.models import ImportRun
from samarbeid.registry import history
from samarbeid.registry.models import Mapping
from samarbeid.rules.findings import FileRejected
from samarbeid.rules.validate import CheckResult
from samarbeid.web import access

from ..auth import login_required
from .check import MAX_AGE, _sha256
from .shared import (
    _crumbs,
    _findings_page,
    _forbidden,
    _forget,
    _frozen_message,
    _pending,
    _refusal,
    _slot,
    _urls,
)

REJECTED = ImportRun.Outcome.REJECTED


# --- Step 2: Importer -----------------------------------------------------------------------------


def _expired(request: HttpRequest, mapping: Mapping | None) -> HttpResponse:
    return render(
        request,
        "web/upload/expired.html",
        {"mapping": mapping, "urls": _urls(mapping), "crumbs": _crumbs(mapping, "Import")},
        status=400,
    )


def _log(
    entry: dict,
    path: Path,
    name: str,
    started: dt.datetime,
    outcome: str,
    result: CheckResult | None,
    user,
    *,
    counts: dict[str, int] | None = None,
    message: str = "",
) -> ImportRun:
    """The CLI's ``log_run``, then who did it and the file's own name (not its temporary path)."""
    run = log_run(path, name, started, outcome, result, counts=counts, message=message)
    run.user = user.get_username()[:150]
    run.file_name = entry["name"][:500]
    run.save(update_fields=["user", "file_name"])
    return run


def _import_view(request: HttpRequest, mapping_id: int | None) -> HttpResponse:
    mapping = access.mapping_or_404(request.user, mapping_id) if mapping_id is not None else None
    # Who may, first; a frozen mapping is refused below, once the checked file is known (the
    # refusal is then logged, as the CLI logs it).
    if mapping is None or not mapping.frozen:
        refused = _refusal(request, mapping)
        if refused is not None:
            return refused
    slot = _slot(mapping)
    entry = _pending(request).get(slot)
    token = request.POST.get("token", "")
    if not (
        entry
        and token
        and secrets.compare_digest(str(entry.get("token", "")), token)
        and entry.get("user_id") == request.user.pk
    ):
        if mapping is not None and mapping.frozen:
            return _forbidden(request, _frozen_message(mapping.name), mapping)
        return _expired(request, mapping)
    path = Path(entry["file"])
    if (
        time.time() - float(entry.get("checked", 0)) > MAX_AGE.total_seconds()
        or not path.is_file()
        or _sha256(path) != entry["sha256"]
    ):
        _forget(request, slot)
        return _expired(request, mapping)

    name = mapping.name if mapping else entry["mapping_name"]
    started = timezone.now()
    existing = mapping or Mapping.objects.filter(name=name).first()
    if existing is not None and existing.frozen:
        _log(entry, path, name, started, REJECTED, None, request.user, message="frosset")
        _forget(request, slot)
        return _forbidden(request, _frozen_message(existing.name), mapping)

    cutoff = dt.date.fromisoformat(entry["cutoff"]) if entry["cutoff"] else None
    try:
        result = check_path(str(path), mapping_name=name, cutoff=cutoff)
    except FileRejected as error:  # it was readable when checked; the file is private
        message = error.finding.format("nb")
        _log(entry, path, name, started, REJECTED, None, request.user, message=message)
        _forget(request, slot)
        return _expired(request, mapping)
    if result.errors:
        message = (
            f"Ingenting ble importert: {len(result.errors)} feil i {entry['name']}. "
            "Rett feilene og last opp filen på nytt."
        )
        _log(entry, path, name, started, REJECTED, result, request.user, message=message)
        _forget(request, slot)
        return _findings_page(
            request, mapping, existing, entry["name"], result, refused=message, status=400
        )

    # As the CLI: all or nothing, and the change history through write_mapping's own hook.
    saved, counts = write_mapping(
        result.spec,
        skip_invalid=False,
        source=f"Import av {entry['name']}",
        user_name=history.user_label(request.user),
    )
    changed = counts["ordninger_ny"] + counts["ordninger_endret"] + counts["kartlegging_endret"]
    outcome = ImportRun.Outcome.IMPORTED if changed else ImportRun.Outcome.UNCHANGED
    run = _log(entry, path, name, started, outcome, result, request.user, counts=counts)
    _forget(request, slot)
    return render(
        request,
        "web/upload/imported.html",
        {
            "mapping": saved,
            "run": run,
            "counts": counts,
            "warnings": len(result.warnings),
            "file_name": entry["name"],
            "imported": outcome == ImportRun.Outcome.IMPORTED,
            "crumbs": _crumbs(saved, "Importert"),
        },
    )


@login_required
@require_POST
def upload_import(request: HttpRequest, mapping_id: int) -> HttpResponse:
    """Import the checked file into the mapping (step 2)."""
    return _import_view(request, mapping_id)


@login_required
@require_POST
def upload_new_import(request: HttpRequest) -> HttpResponse:
    """Import the checked file as a new mapping (step 2, administrators)."""
    return _import_view(request, None)
