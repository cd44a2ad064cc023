"""Step 1, **Kontroller**: the upload streamed into a private temporary directory, the form, and
the check exactly as ``samarbeid check`` (see :mod:`samarbeid.web.upload`)."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import secrets
import shutil
import tempfile
import time
from pathlib import Path

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler, StopFutureHandlers
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods

from samarbeid.intake import reader
from samarbeid.intake.commands import check_path
from samarbeid.registry.formfields import CleanTextField
from samarbeid.registry.models import Mapping
from samarbeid.rules.findings import ERROR, FileRejected, Finding
from samarbeid.web import access

from ..auth import login_required
from .shared import (
    SESSION_KEY,
    _crumbs,
    _findings_page,
    _forget,
    _pending,
    _refusal,
    _slot,
    _urls,
)

FILE_FIELD = "fil"
TEMP_PREFIX = "samarbeid-opplasting-"
#: A checked file waits this long for its import; then it and its temporary directory are gone.
MAX_AGE = dt.timedelta(hours=2)
ACCEPT = ".xlsx,.csv,.json"


# --- The upload itself ----------------------------------------------------------------------------


def limit_bytes() -> int:
    """The intake's size limit (``SAMARBEID_MAX_FILE_MB``), read when used."""
    return int(reader.MAX_FILE_MB * 1024 * 1024)


def safe_name(name: str | None) -> str:
    """The uploaded file's name as it may be stored and shown: the base name, letters, digits and
    a few signs, at most 120 characters, its suffix kept (the reader goes by the suffix)."""
    base = re.split(r"[\\/]", name or "")[-1]
    base = re.sub(r"[^\w .,()+-]", "_", base).strip(" .")
    stem, dot, suffix = base.rpartition(".")
    if not dot:
        stem, suffix = base, ""
    suffix = suffix[:10]
    stem = stem[: 120 - len(suffix) - 1].strip(" .") or "fil"
    return f"{stem}.{suffix}" if suffix else stem


class _SavedUpload(UploadedFile):
    """What the handler puts into ``request.FILES``: name and size; the bytes are on disk."""

    def __init__(self, path: Path, name: str, size: int, received: int) -> None:
        super().__init__(file=None, name=name, size=size)
        self.path = path
        self.received = received

    @property
    def too_large(self) -> bool:
        return self.received > self.size

    def close(self) -> None:  # nothing open (Django closes every uploaded file after the request)
        pass


class PrivateUploadHandler(FileUploadHandler):
    """Streams the one file of the field ``fil`` into a fresh private directory; at most
    :func:`limit_bytes` are written, the rest is only counted (to say how large the file was)."""

    def __init__(self, request: HttpRequest | None = None) -> None:
        super().__init__(request)
        self.limit = limit_bytes()
        self.directory: Path | None = None
        self.path: Path | None = None
        self._handle = None
        self._active = False
        self._received = 0

    def new_file(self, field_name, file_name, *args, **kwargs) -> None:
        super().new_file(field_name, file_name, *args, **kwargs)
        self._active = field_name == FILE_FIELD and self.path is None
        if self._active:
            self.directory = Path(tempfile.mkdtemp(prefix=TEMP_PREFIX))
            self.path = self.directory / safe_name(file_name)
            self._handle = self.path.open("xb")
            self._received = 0
        raise StopFutureHandlers()

    def receive_data_chunk(self, raw_data: bytes, start: int) -> None:
        if not self._active:
            return None
        room = self.limit - self._received
        if room > 0:
            self._handle.write(raw_data[:room])
        self._received += len(raw_data)
        return None

    def file_complete(self, file_size: int) -> UploadedFile | None:
        if not self._active:
            return None
        self._active = False
        self._handle.close()
        self._handle = None
        return _SavedUpload(
            self.path, self.path.name, min(self._received, self.limit), self._received
        )

    def upload_interrupted(self) -> None:
        if self._handle is not None:
            self._handle.close()
            self._handle = None
        self.discard()

    def discard(self) -> None:
        if self.directory is not None:
            shutil.rmtree(self.directory, ignore_errors=True)
            self.directory = self.path = None


def _remove_stale_uploads(now: float | None = None) -> None:
    """Temporary directories of uploads never imported (this process's user only)."""
    now = now or time.time()
    root = Path(tempfile.gettempdir())
    for directory in root.glob(f"{TEMP_PREFIX}*"):
        try:
            info = directory.lstat()
        except OSError:
            continue
        if (
            directory.is_dir()
            and not directory.is_symlink()
            and info.st_uid == os.getuid()
            and now - info.st_mtime > MAX_AGE.total_seconds()
        ):
            shutil.rmtree(directory, ignore_errors=True)


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


# --- Forms ----------------------------------------------------------------------------------------


class UploadForm(forms.Form):
    fil = forms.FileField(
        label="Kartleggingsfil",
        allow_empty_file=True,  # an empty file gets the intake's own message
        error_messages={"required": "Velg filen som skal kontrolleres."},
        widget=forms.FileInput(attrs={"accept": ACCEPT}),
    )
    dato = forms.DateField(
        label="Kartleggingsdato",
        required=False,
        input_formats=["%Y-%m-%d", "%d.%m.%Y"],
        help_text="Bare når filen ikke har datoen selv (ÅÅÅÅ-MM-DD).",
        error_messages={"invalid": "Ugyldig dato. Skriv den som ÅÅÅÅ-MM-DD."},
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        limit = f"{reader.MAX_FILE_MB:g}"  # read now: the limit can change (tests, settings)
        self.fields[
            FILE_FIELD
        ].help_text = f"Excel (.xlsx), CSV (.csv, UTF-8) eller JSON (.json), høyst {limit} MB."


class NewMappingUploadForm(UploadForm):
    navn = CleanTextField(
        label="Navn på kartleggingen",
        max_length=150,
        help_text="Navnet i registeret, for eksempel «Buskerud 2021». Finnes det fra før, "
        "oppdaterer importen den kartleggingen.",
        error_messages={"required": "Skriv navnet på kartleggingen."},
    )
    field_order = ["navn", "fil", "dato"]


# --- The form page --------------------------------------------------------------------------------


def _rejection_text(finding: Finding, upload: _SavedUpload | None) -> str:
    """Where and what, as the CLI says it; the server's temporary path never shows (an error from
    openpyxl may quote it)."""
    text = f"{finding.location('nb')}: {finding.text('nb')}"
    if upload is not None:
        text = text.replace(str(upload.path), upload.name).replace(str(upload.path.parent), "")
    return text


def _form_page(
    request: HttpRequest,
    mapping: Mapping | None,
    form: UploadForm,
    *,
    rejected: Finding | None = None,
    status: int = 200,
) -> HttpResponse:
    if rejected is not None:  # the intake's one message, at the file field and in the summary
        form.add_error(FILE_FIELD, _rejection_text(rejected, form.cleaned_data.get(FILE_FIELD)))
    return render(
        request,
        "web/upload/upload.html",
        {
            "mapping": mapping,
            "form": form,
            "rejected": rejected,
            "has_errors": bool(form.errors),
            "urls": _urls(mapping),
            "crumbs": _crumbs(mapping, "Last opp fil"),
        },
        status=status,
    )


# --- Step 1: Kontroller ---------------------------------------------------------------------------


def _check_view(request: HttpRequest, mapping_id: int | None) -> HttpResponse:
    mapping = access.mapping_or_404(request.user, mapping_id) if mapping_id is not None else None
    refused = _refusal(request, mapping)  # before a single byte of the body is read
    if refused is not None:
        return refused
    form_class = NewMappingUploadForm if mapping is None else UploadForm
    if request.method != "POST":
        return _form_page(request, mapping, form_class())
    handler = PrivateUploadHandler(request)
    request.upload_handlers = [handler]
    try:
        response = _check_upload(request, mapping, form_class, handler)
    finally:
        if handler.directory is not None and not getattr(handler, "kept", False):
            handler.discard()
    return response


@csrf_protect  # the CSRF token is in the multipart body: read only after the handler is set
def _check_upload(
    request: HttpRequest,
    mapping: Mapping | None,
    form_class: type[UploadForm],
    handler: PrivateUploadHandler,
) -> HttpResponse:
    form = form_class(request.POST, request.FILES)
    if not form.is_valid():
        return _form_page(request, mapping, form, status=400)
    upload = form.cleaned_data["fil"]
    name = mapping.name if mapping else form.cleaned_data["navn"].strip()
    cutoff = form.cleaned_data.get("dato")
    if upload.too_large:
        finding = Finding(
            ERROR,
            "file_too_large",
            upload.name,
            params={"size": f"{upload.received / 1048576:.1f}", "limit": f"{reader.MAX_FILE_MB:g}"},
        )
        return _form_page(request, mapping, form, rejected=finding, status=400)
    try:
        result = check_path(str(upload.path), mapping_name=name, cutoff=cutoff)
    except FileRejected as error:
        return _form_page(request, mapping, form, rejected=error.finding, status=400)

    slot = _slot(mapping)
    _forget(request, slot)  # a new check replaces the file checked before
    _remove_stale_uploads()
    token = secrets.token_urlsafe(24)
    pending = _pending(request)
    pending[slot] = {
        "token": token,
        "dir": str(handler.directory),
        "file": str(upload.path),
        "name": upload.name,
        "mapping_id": mapping.pk if mapping else None,
        "mapping_name": name,
        "cutoff": cutoff.isoformat() if cutoff else None,
        "sha256": _sha256(upload.path),
        "user_id": request.user.pk,
        "checked": time.time(),
    }
    request.session[SESSION_KEY] = pending
    handler.kept = True
    existing = mapping or Mapping.objects.filter(name=name).first()
    return _findings_page(request, mapping, existing, upload.name, result, token=token)


@csrf_exempt  # checked by _check_upload, once the private upload handler is in place
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def upload(request: HttpRequest, mapping_id: int) -> HttpResponse:
    """Upload a file for an existing mapping and check it (step 1)."""
    return _check_view(request, mapping_id)


@csrf_exempt  # checked by _check_upload, once the private upload handler is in place
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def upload_new(request: HttpRequest) -> HttpResponse:
    """Upload a file for a new mapping (administrators) and check it (step 1)."""
    return _check_view(request, None)
