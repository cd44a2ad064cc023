"""``/utbredelse/opplasting/``: report adoption status in bulk in the browser, checked and
recorded exactly as ``samarbeid meld-status`` (:mod:`samarbeid.adoption.statusfile`), and the
template to fill in (``mal.xlsx``, ``mal.csv``).

One step: the file is streamed into a private temporary directory by the mapping upload's
:class:`~samarbeid.web.upload.check.PrivateUploadHandler` (never more than the intake's
``MAX_FILE_MB``; removed when the request is answered), read, checked for the signed-in user and
— unless «bare kontroller» is ticked or anything is wrong — recorded all or nothing. Every problem
is listed with its row, column and value, and nothing is written; a file that cannot be read at
all is one message. Who may: a signed-in user who may report for at least one municipality
(``adoption.report_any``); each row's municipality is checked in the file's check.
"""

from __future__ import annotations

import rules
from django import forms
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import get_language, gettext_lazy, gettext_noop
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods

from samarbeid.core.i18n import translate
from samarbeid.intake import reader
from samarbeid.registry import permissions
from samarbeid.registry.formfields import CleanTextField
from samarbeid.rules.findings import ERROR, ROW_WORDS, FileRejected, Finding
from samarbeid.web.auth import login_required
from samarbeid.web.upload.check import FILE_FIELD, PrivateUploadHandler

from .. import services
from ..statusfile import importer
from ..statusfile.template import FORMATS, template_bytes

ACCEPT = ".xlsx,.csv"
NO_ACCESS = gettext_noop(
    "Du kan ikke melde status for noen kommune. Det kan kommuneredaktører (for sin kommune), "
    "sekretariatet i et samarbeidsorgan (for medlemmene) og administratorer."
)
CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}


class StatusUploadForm(forms.Form):
    fil = forms.FileField(
        label=gettext_lazy("Statusfil"),
        allow_empty_file=True,  # an empty file gets the reader's own message
        error_messages={"required": gettext_lazy("Velg filen med status.")},
        widget=forms.FileInput(attrs={"accept": ACCEPT}),
    )
    kilde = CleanTextField(
        label=gettext_lazy("Kilde for hele filen"),
        required=False,
        help_text=gettext_lazy(
            "Brukes for rader som ikke har kilde selv, for eksempel «Årsrapport 2024». Tom: hver "
            "rad må ha kilde."
        ),
    )
    bare_kontroller = forms.BooleanField(
        label=gettext_lazy("Bare kontroller (lagre ingenting)"), required=False
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        limit = f"{reader.MAX_FILE_MB:g}"  # read now: the limit can change (tests, settings)
        self.fields[FILE_FIELD].help_text = _(
            "Excel (.xlsx, arket Status) eller CSV (.csv, UTF-8), høyst %(limit)s MB."
        ) % {"limit": limit}


def may_report(user) -> bool:
    """``adoption.report_any``. Asked with the user as the object: the registry's
    ``register_permissions`` grants nothing without one (``has_perm(name)`` alone is always
    False), and the rule itself ignores the object."""
    return rules.has_perm("adoption.report_any", user, user)


def _language() -> str:
    return "en" if (get_language() or "").startswith("en") else "nb"


def _crumbs() -> list[tuple[str, str]]:
    return [(reverse("adoption:overview"), _("Utbredelse")), ("", _("Last opp status"))]


def _forbidden(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "adoption/upload_forbidden.html",
        {
            "message": _(NO_ACCESS),
            "roles": permissions.role_labels(request.user),
            "crumbs": _crumbs(),
        },
        status=403,
    )


def _rows(findings: list[Finding], upload=None) -> list[dict[str, object]]:
    """The findings as the page's table: row (with its word, and the sheet), column, value and
    message; the server's temporary path never shows (an error from openpyxl may quote it)."""
    lang = _language()
    rows = []
    for finding in findings:
        message = finding.text(lang)
        if upload is not None:
            message = message.replace(str(upload.path.parent), "")
        rows.append(
            {
                "sheet": finding.sheet or "",
                "row": finding.row,
                "row_word": translate(ROW_WORDS[finding.row_is_line], lang),
                "column": finding.column or "",
                "value": finding.value or "",
                "message": message,
            }
        )
    return rows


def _page(
    request: HttpRequest, form: StatusUploadForm, status: int = 200, **context: object
) -> HttpResponse:
    context.setdefault("errors", [])
    has_errors = bool(form.errors or context["errors"] or context.get("rejected"))
    return render(
        request,
        "adoption/upload.html",
        {
            "form": form,
            "has_errors": has_errors,
            "crumbs": _crumbs(),
            "templates": {fmt: reverse("adoption:upload_template", args=[fmt]) for fmt in FORMATS},
            **context,
        },
        status=status,
    )


@csrf_exempt  # checked by _upload, once the private upload handler is in place
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def upload_form(request: HttpRequest) -> HttpResponse:
    """The form; a POST checks the file and (unless only checking) records it."""
    if not may_report(request.user):
        return _forbidden(request)  # before a single byte of the body is read
    if request.method != "POST":
        return _page(request, StatusUploadForm())
    handler = PrivateUploadHandler(request)
    request.upload_handlers = [handler]
    try:
        return _upload(request)
    finally:
        handler.discard()  # one step: the file is not kept


@csrf_protect  # the CSRF token is in the multipart body: read only after the handler is set
def _upload(request: HttpRequest) -> HttpResponse:
    form = StatusUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _page(request, form, status=400)
    upload = form.cleaned_data[FILE_FIELD]
    if upload.too_large:
        finding = Finding(
            ERROR,
            "file_too_large",
            upload.name,
            params={"size": f"{upload.received / 1048576:.1f}", "limit": f"{reader.MAX_FILE_MB:g}"},
        )
        return _page(request, form, 400, rejected=_rows([finding])[0], file_name=upload.name)
    check_only = form.cleaned_data["bare_kontroller"]
    try:
        outcome = importer.run(
            upload.path, request.user, source=form.cleaned_data["kilde"], check_only=check_only
        )
    except FileRejected as error:
        rejected = _rows([error.finding], upload)[0]
        return _page(request, form, 400, rejected=rejected, file_name=upload.name)
    except services.EditForbidden:  # a permission went away between the check and the write
        return _forbidden(request)
    check = outcome.check
    context = {
        "file_name": upload.name,
        "errors": _rows(check.errors, upload),
        "warnings": _rows(check.warnings, upload),
        "summary": outcome.summary(_language()),
        "recorded": outcome.written is not None,
        "check_only": check_only,
    }
    if check.errors:
        return _page(request, form, 400, **context)
    return _page(
        request, StatusUploadForm(initial={"kilde": form.cleaned_data["kilde"]}), **context
    )


@require_http_methods(["GET", "HEAD"])
def template_file(request: HttpRequest, fmt: str) -> HttpResponse:
    """The template (xlsx with Veiledning, or CSV), with a row per municipality and solution to
    fill in for a user who reports for a few municipalities."""
    if fmt not in FORMATS:
        raise Http404(_("Malen finnes som mal.xlsx og mal.csv."))
    user = request.user if request.user.is_authenticated else None
    response = HttpResponse(template_bytes(fmt, user), content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="status-mal.{fmt}"'
    return response
