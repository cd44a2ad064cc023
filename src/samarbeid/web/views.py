"""Public read-only pages. Each view fetches through :mod:`.queries` and renders; no rules here."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from samarbeid.registry.models import Mapping

from . import access, queries
from .forms import ArrangementFilterForm

PAGE_SIZE = 50


def _crumbs(mapping: Mapping, *rest: tuple[str, str]) -> list[tuple[str, str]]:
    """Breadcrumbs after the front page: the mapping, then ``rest``; the last one is this page."""
    crumbs = [(reverse("web:mapping", args=[mapping.pk]), mapping.name), *rest]
    crumbs[-1] = ("", crumbs[-1][1])
    return crumbs


def _list_crumb(mapping: Mapping) -> tuple[str, str]:
    return (reverse("web:arrangements", args=[mapping.pk]), _("Ordninger"))


@require_safe
def front(request: HttpRequest) -> HttpResponse:
    return render(request, "web/front.html", {"mappings": queries.mappings_overview(request.user)})


@require_safe
def arrangement_list(request: HttpRequest, mapping_id: int) -> HttpResponse:
    mapping = access.mapping_or_404(request.user, mapping_id)
    form = ArrangementFilterForm(request.GET or None, mapping=mapping)
    page = None
    pages = []
    counts = None
    filters = None
    status = 200
    if form.is_bound and not form.is_valid():
        status = (
            400  # the error summary says what to fix; no list that could be taken for the answer
        )
    else:
        filters = form.filters() if form.is_bound else queries.ArrangementFilter()
        found = queries.arrangements(mapping, filters)
        counts = queries.status_counts(found)
        sort = form.cleaned_data.get("sorter", "") if form.is_bound else ""
        page = queries.sorted_page(found, sort, request.GET.get("side"), counts["total"], PAGE_SIZE)
        pages = list(page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1))
    return render(
        request,
        "web/arrangement_list.html",
        {
            "mapping": mapping,
            "form": form,
            "filters": filters,
            "page": page,
            "pages": pages,
            "counts": counts,
            "crumbs": _crumbs(mapping, _list_crumb(mapping)),
        },
        status=status,
    )


@require_safe
def arrangement_detail(request: HttpRequest, mapping_id: int, ref: str) -> HttpResponse:
    mapping = access.mapping_or_404(request.user, mapping_id)
    arrangement = queries.arrangement_detail(mapping, ref)
    if arrangement is None:
        raise Http404(_("Fant ingen ordning med id «%(ref)s».") % {"ref": ref})
    memberships = list(arrangement.memberships.all())
    return render(
        request,
        "web/arrangement_detail.html",
        {
            "mapping": mapping,
            "arrangement": arrangement,
            "memberships": memberships,
            "columns": {
                "share": any(m.ownership_share is not None for m in memberships),
                "joined": any(m.joined_on for m in memberships),
                "left": any(m.left_on for m in memberships),
                "notes": any(m.as_printed or m.source for m in memberships),
            },
            # Every participant and the host of an arrangement in the mapping has a page in it.
            "participant_numbers": queries.page_numbers(arrangement, memberships),
            "task_areas": list(arrangement.task_areas.all()),
            "crumbs": _crumbs(mapping, _list_crumb(mapping), ("", arrangement.name)),
        },
    )
