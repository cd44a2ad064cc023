"""The mapping report and the comparison of two mappings as public pages, with downloads.

:mod:`samarbeid.reports` builds and renders; these views only fit its HTML into the site. The
report's own page (:func:`~samarbeid.reports.render.render_html`) is a standalone document with an
inline stylesheet and matplotlib SVGs full of ``style=""`` attributes, which the site's
Content-Security-Policy (``style-src 'self'``) blocks. :func:`embed` takes its ``<body>`` and
makes it fit: SVG styles become presentation attributes, the print-only copies of tables and their
column widths go, scrolling tables become focusable regions. ``web/report.css`` styles it.

Built reports are kept on disk under ``VAR_DIR/reports``, named by what they show and by the
registry's generation (:func:`~samarbeid.web.page_cache.generation`): any change to the registry
makes new files, and a second download of the PDF (seconds to make) is instant.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
import threading
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.http import content_disposition_header
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from samarbeid.registry.models import Arrangement, Mapping, MappingMunicipality
from samarbeid.registry.snapshot import mapping_data
from samarbeid.reports.build import build_comparison, build_report
from samarbeid.reports.fmt import slug
from samarbeid.reports.model import Report
from samarbeid.reports.render import render as render_format
from samarbeid.reports.render import render_html

from .access import mapping_or_404
from .page_cache import generation
from .views import _crumbs

#: The download formats, their content types and how the link describes them.
DOWNLOADS: dict[str, tuple[str, str]] = {
    "pdf": ("application/pdf", gettext_lazy("PDF, for utskrift")),
    "xlsx": (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        gettext_lazy("Excel (xlsx), én tabell per ark"),
    ),
    "md": ("text/markdown; charset=utf-8", gettext_lazy("Markdown, ren tekst")),
    "json": ("application/json", gettext_lazy("JSON, for videre behandling")),
}
#: Between the title part and the rest of an embedded report in its ``.side`` file (never in HTML).
SEPARATOR = "\x00"

# ---------------------------------------------------------------------------------------------
# The report's HTML inside the site

_BODY = re.compile(r"<body[^>]*>(.*)</body>", re.S)
_PRINT_ONLY = re.compile(r'<div class="table-wrap print-only">.*?</div>', re.S)
_COLGROUP = re.compile(r"<colgroup>.*?</colgroup>", re.S)
_SVG = re.compile(r"<svg\b.*?</svg>", re.S)
_SVG_STYLE_ELEMENT = re.compile(r"<style\b[^>]*>.*?</style>\s*", re.S)
_STYLED_TAG = re.compile(r'<([a-zA-Z][\w:-]*)([^>]*?)\sstyle="([^"]*)"([^>]*)>')
_FIGURE_WIDTH = re.compile(r'(<figure\b[^>]*?) style="max-width: [^"]*"([^>]*>\s*<svg\b)')
_SVG_ROOT = re.compile(r'<svg\b([^>]*?)viewBox="0 0 ([0-9.]+) ([0-9.]+)"')
_TABLE_WRAP = re.compile(r'<div class="table-wrap[^"]*"><table([^>]*)><caption>')
_LABELLED_TABLE = re.compile(r'<table class="[^"]*" aria-labelledby="([^"]+)">.*?</table>', re.S)
_HEADING = re.compile(r"<(/?)h([1-5])\b")
#: What matplotlib's ``<style>`` sets on every element, given to the chart as inherited
#: presentation attributes (an element's own value still wins, as with the ``*`` rule).
_SVG_DEFAULTS = 'stroke-linejoin="round" stroke-linecap="butt" '


def _presentation_attributes(match: re.Match[str]) -> str:
    """``<path style="fill: #fff; stroke: none"/>`` -> ``<path fill="#fff" stroke="none"/>``."""
    tag, before, style, after = match.groups()
    attributes = []
    for declaration in style.split(";"):
        name, sep, value = declaration.partition(":")
        name, value = name.strip(), value.strip().replace('"', "&quot;")
        if not sep or not re.fullmatch(r"[a-z-]+", name):
            continue
        before = re.sub(rf'\s{name}="[^"]*"', "", before)
        after = re.sub(rf'\s{name}="[^"]*"', "", after)
        attributes.append(f'{name}="{value}"')
    return f"<{tag}{before} {' '.join(attributes)}{after}>"


def _svg_without_styles(match: re.Match[str]) -> str:
    svg = _SVG_STYLE_ELEMENT.sub("", match.group(0))
    return _STYLED_TAG.sub(_presentation_attributes, svg)


def _svg_size(match: re.Match[str]) -> str:
    """The drawn size (the viewBox is in points), as the report's figure ``max-width`` was."""
    attrs, width, height = match.groups()
    return (
        f'<svg{attrs}width="{width}pt" height="{height}pt" {_SVG_DEFAULTS}'
        f'viewBox="0 0 {width} {height}"'
    )


def embed(html: str, *, shift_headings: int = 0) -> tuple[str, str]:
    """The body of a rendered report, fit for a site page: ``(title part, the rest)``.

    Nothing is left that the Content-Security-Policy blocks (inline ``<style>`` or ``style``
    attributes); the ``<main>`` becomes a ``<div>`` (the site page has its own); headings move
    ``shift_headings`` levels down (a page with its own ``<h1>``).
    """
    match = _BODY.search(html)
    body = match.group(1) if match else html
    body = _PRINT_ONLY.sub("", body)
    body = _COLGROUP.sub("", body)
    body = _FIGURE_WIDTH.sub(r"\1\2", body)
    body = _SVG_ROOT.sub(_svg_size, body)
    body = _SVG.sub(_svg_without_styles, body)
    counter = iter(range(1, 1_000_000))

    def region(m: re.Match[str]) -> str:
        caption = f"rapporttabell-{next(counter)}"
        return (
            f'<div class="table-wrap" role="region" tabindex="0" aria-labelledby="{caption}">'
            f'<table{m.group(1)}><caption id="{caption}">'
        )

    body = _TABLE_WRAP.sub(region, body)
    body = _LABELLED_TABLE.sub(
        lambda m: (
            f'<div class="table-wrap" role="region" tabindex="0" aria-labelledby="{m[1]}">'
            f"{m[0]}</div>"
        ),
        body,
    )
    body = body.replace("<main>", '<div class="report-main">').replace("</main>", "</div>")
    # Whatever styles are left would only be blocked: drop them rather than log CSP violations.
    body = re.sub(r'\sstyle="[^"]*"', "", _SVG_STYLE_ELEMENT.sub("", body))
    if shift_headings:
        body = _HEADING.sub(lambda m: f"<{m[1]}h{int(m[2]) + shift_headings}", body)
    head, sep, rest = body.partition("</header>")
    return (head + sep, rest) if sep else ("", body)


# ---------------------------------------------------------------------------------------------
# Built reports on disk


def cache_dir() -> Path:
    return Path(settings.VAR_DIR) / "reports"


def cached(name: str, fmt: str, make: Callable[[], bytes]) -> bytes:
    """``make()``, kept in ``VAR_DIR/reports/<name>-<generation>.<fmt>`` until the registry
    changes. Written to a temporary file and renamed, so no reader ever sees half a file; the
    files of earlier generations of the same report are removed. Requests that miss the same
    file at once wait for one ``make()`` (a national PDF takes minutes) rather than each run it.
    """
    key = hashlib.sha256(generation().encode()).hexdigest()[:16]
    folder = cache_dir()
    path = folder / f"{name}-{key}.{fmt}"
    try:
        return path.read_bytes()
    except FileNotFoundError:
        pass
    with _GUARD:
        lock = _BUILDING.setdefault(path, threading.Lock())
    with lock:
        try:
            return path.read_bytes()  # made while this request waited
        except FileNotFoundError:
            pass
        try:
            data = make()
            _write(path, data)
        finally:
            with _GUARD:
                _BUILDING.pop(path, None)
    for old in folder.glob(f"{name}-*.{fmt}"):
        if old != path:
            old.unlink(missing_ok=True)
    return data


_GUARD = threading.Lock()
_BUILDING: dict[Path, threading.Lock] = {}


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _download(data: bytes, fmt: str, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=DOWNLOADS[fmt][0])
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


def _links(name: str, args: list, query: str = "") -> list[tuple[str, str, str]]:
    """``(format, address, description)`` of each download."""
    return [
        (fmt.upper(), reverse(name, args=[*args, fmt]) + query, str(text))
        for fmt, (_type, text) in DOWNLOADS.items()
    ]


def _embedded(name: str, make: Callable[[], Report], shift_headings: int = 0) -> tuple[str, str]:
    """The report's page embedded (:func:`embed`), built once per registry generation."""

    def build() -> bytes:
        header, body = embed(render_html(make()), shift_headings=shift_headings)
        return f"{header}{SEPARATOR}{body}".encode()

    header, _sep, body = cached(name, "side", build).decode("utf-8").partition(SEPARATOR)
    return header, body


def _reportable(mapping: Mapping) -> bool:
    """A report needs municipalities in scope and arrangements (the analyses assume both)."""
    return (
        MappingMunicipality.objects.filter(mapping=mapping).exists()
        and Arrangement.objects.filter(mapping=mapping).exists()
    )


# ---------------------------------------------------------------------------------------------
# The mapping report


def _report(mapping: Mapping) -> Report:
    return _built_report(mapping.pk, generation())


@lru_cache(maxsize=2)
def _built_report(mapping_id: int, registry_generation: str) -> Report:
    """The last reports built in this process: the page and each download format (not yet on
    disk) share one build; the national mapping takes seconds to analyse."""
    return build_report(mapping_data(Mapping.objects.get(pk=mapping_id)))


@require_safe
def report_page(request: HttpRequest, mapping_id: int) -> HttpResponse:
    mapping = mapping_or_404(request.user, mapping_id)  # a draft only for those with a role
    header = body = ""
    if _reportable(mapping):
        header, body = _embedded(f"rapport-{mapping.pk}", lambda: _report(mapping))
    return render(
        request,
        "web/report.html",
        {
            "mapping": mapping,
            "header": header,
            "body": body,
            "downloads": _links("web:report_download", [mapping.pk]),
            "crumbs": _crumbs(mapping, ("", _("Rapport"))),
        },
    )


@require_safe
def report_download(request: HttpRequest, mapping_id: int, fmt: str) -> HttpResponse:
    mapping = mapping_or_404(request.user, mapping_id)
    if fmt not in DOWNLOADS:
        raise Http404(_("Rapporten finnes ikke i formatet «%(fmt)s».") % {"fmt": fmt})
    if not _reportable(mapping):
        raise Http404(_("Kartleggingen har ingen rapport ennå."))
    data = cached(f"rapport-{mapping.pk}", fmt, lambda: render_format(_report(mapping), fmt))
    return _download(data, fmt, f"{slug(mapping.name)}-rapport.{fmt}")


# ---------------------------------------------------------------------------------------------
# The comparison


class MappingField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Mapping) -> str:
        date = date_format(obj.cutoff_date, "j. F Y")
        return _("%(name)s (per %(date)s)") % {"name": obj.name, "date": date}

    def to_python(self, value: Any) -> Mapping | None:
        try:
            return super().to_python(value)
        except ValidationError:
            raise ValidationError(
                _("Fant ingen kartlegging med id «%(value)s». Velg en fra listen."),
                code="invalid_choice",
                params={"value": Truncator(str(value)).chars(20)},
            ) from None


class CompareForm(forms.Form):
    """Two mappings the user may read (a draft looks like an unknown id to everyone else)."""

    fra = MappingField(
        queryset=Mapping.objects.none(),
        label=gettext_lazy("Fra kartlegging"),
        help_text=gettext_lazy("Vanligvis den eldste."),
        empty_label=gettext_lazy("Velg kartlegging"),
        error_messages={"required": gettext_lazy("Velg kartleggingen du sammenligner fra.")},
    )
    til = MappingField(
        queryset=Mapping.objects.none(),
        label=gettext_lazy("Til kartlegging"),
        help_text=gettext_lazy("Vanligvis den nyeste."),
        empty_label=gettext_lazy("Velg kartlegging"),
        error_messages={"required": gettext_lazy("Velg kartleggingen du sammenligner til.")},
    )

    def __init__(self, data: QueryDict | None = None, *, user: Any) -> None:
        super().__init__(data)
        visible = Mapping.objects.visible_to(user)
        for name in ("fra", "til"):
            self.fields[name].queryset = visible.order_by("cutoff_date", "name")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        a, b = data.get("fra"), data.get("til")
        if a is not None and a == b:
            self.add_error("til", _("Velg to forskjellige kartlegginger."))
            return data
        for name in ("fra", "til"):
            mapping = data.get(name)
            if mapping is not None and not _reportable(mapping):
                self.add_error(
                    name,
                    _("«%(name)s» har ingen kommuner eller ordninger ennå å sammenligne.")
                    % {"name": mapping.name},
                )
        return data


def _comparison(a: Mapping, b: Mapping) -> Report:
    return build_comparison(mapping_data(a), mapping_data(b))


def _compare_form(request: HttpRequest, form: CompareForm, **context: Any) -> HttpResponse:
    status = 400 if form.is_bound and form.errors else 200
    return render(
        request,
        "web/compare.html",
        {"form": form, "crumbs": [("", _("Sammenlign kartlegginger"))], **context},
        status=status,
    )


@require_safe
def compare_page(request: HttpRequest) -> HttpResponse:
    bound = "fra" in request.GET or "til" in request.GET
    form = CompareForm(request.GET if bound else None, user=request.user)
    if not bound or not form.is_valid():
        return _compare_form(request, form)
    a, b = form.cleaned_data["fra"], form.cleaned_data["til"]
    header, body = _embedded(
        f"sammenligning-{a.pk}-{b.pk}", lambda: _comparison(a, b), shift_headings=1
    )
    return _compare_form(
        request,
        form,
        title=_("Endringer fra %(a)s til %(b)s") % {"a": a.name, "b": b.name},
        header=header,
        body=body,
        downloads=_links("web:compare_download", [], f"?fra={a.pk}&til={b.pk}"),
    )


@require_safe
def compare_download(request: HttpRequest, fmt: str) -> HttpResponse:
    if fmt not in DOWNLOADS:
        raise Http404(_("Sammenligningen finnes ikke i formatet «%(fmt)s».") % {"fmt": fmt})
    form = CompareForm(request.GET, user=request.user)
    if not form.is_valid():
        return _compare_form(request, form)
    a, b = form.cleaned_data["fra"], form.cleaned_data["til"]
    data = cached(
        f"sammenligning-{a.pk}-{b.pk}", fmt, lambda: render_format(_comparison(a, b), fmt)
    )
    return _download(data, fmt, f"{slug(a.name)}-til-{slug(b.name)}-sammenligning.{fmt}")
