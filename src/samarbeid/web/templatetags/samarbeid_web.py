"""Template filters for the public pages (see :mod:`samarbeid.web.display`)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _

from .. import display

register = template.Library()


def _missing(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == ()


@register.filter
def ukjent(value: Any) -> str:
    """The value, or "Ikke kjent" (marked up) when the fact is not known. Never "none"."""
    if _missing(value):
        return format_html('<span class="unknown">{}</span>', _("Ikke kjent"))
    return format_html("{}", value)


@register.filter
def ikke_registrert(value: Any) -> str:
    """For free-text notes: the text, or "Ikke registrert" when nothing was written down."""
    if _missing(value):
        return format_html('<span class="unknown">{}</span>', _("Ikke registrert"))
    return format_html("{}", value)


@register.filter
def label(code: str, vocabulary: str) -> str:
    return display.vocab_label(code, vocabulary)


@register.filter
def status_label(code: str) -> str:
    return display.status_label(code)


@register.filter
def desimal(value: Any) -> str:
    return display.decimal(value)


@register.filter
def kroner(value: Any) -> str:
    return display.amount(value)


@register.filter
def etablert(arrangement) -> str:
    return display.established(arrangement)


@register.filter
def avsluttet(arrangement) -> str:
    return display.ended(arrangement)


@register.filter
def vertskommune(arrangement) -> str:
    return display.host(arrangement)


@register.simple_tag(takes_context=True)
def page_query(context: template.Context, page: int) -> str:
    """The current query string with ``page`` replaced: pagination keeps the filters."""
    params = [(k, v) for k, v in context["request"].GET.items() if k != "side" and v]
    params.append(("side", str(page)))
    return "?" + urlencode(params)


@register.simple_tag(takes_context=True)
def sort_th(context: template.Context, key: str, label: str, css: str = "") -> str:
    """A sortable column header: a link that sorts the list by ``key`` (again: reversed), keeps
    the filters, starts at page 1, and ``aria-sort`` on the column the list is sorted by."""
    current = context["request"].GET.get("sorter", "")
    params = [
        (k, v) for k, v in context["request"].GET.items() if k not in ("side", "sorter") and v
    ]
    target = f"-{key}" if current == key else key
    params.append(("sorter", target))
    state, arrow = "", ""
    if current == key:
        state, arrow = "ascending", "▲"
    elif current == f"-{key}":
        state, arrow = "descending", "▼"
    return format_html(
        '<th scope="col"{}{}><a href="?{}">{}{}</a></th>',
        format_html(' class="{}"', css) if css else "",
        format_html(' aria-sort="{}"', state) if state else "",
        urlencode(params),
        label,
        format_html(' <span aria-hidden="true">{}</span>', arrow) if state else "",
    )
