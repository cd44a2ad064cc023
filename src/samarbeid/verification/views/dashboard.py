"""What the mapping editor follows in a round: the dashboard and the result as CSV or Excel."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_safe

from samarbeid.web.auth import login_required

from .. import export, services
from ..models import MunicipalityResponse, Proposal, Round
from .common import breadcrumbs, forbidden, list_url, round_or_404


@login_required
@require_safe
def round_dashboard(request: HttpRequest, mapping_id: int, number: int) -> HttpResponse:
    round_ = round_or_404(mapping_id, number)
    mapping = round_.mapping
    if not services.can_follow(request.user, mapping):
        response = _own_response(request, round_)
        if response is not None:  # a municipality editor: to the list
            return redirect(list_url(response))
        return forbidden(request, "Oversikten over runden er for kartleggeren.", mapping)
    rows = services.dashboard(round_)
    names = services.period_names(round_)
    proposals = list(services.proposals_of(round_))
    for p in proposals:
        p.municipality_name = names.get(p.municipality_id, p.municipality.name)
    by_status = {s: 0 for s in MunicipalityResponse.Status.values}
    for row in rows:
        by_status[row.response.status] += 1
    return render(
        request,
        "verification/dashboard.html",
        {
            "mapping": mapping,
            "round": round_,
            "rows": rows,
            "by_status": [
                (s, label, by_status[s]) for s, label in MunicipalityResponse.Status.choices
            ],
            "pending": [p for p in proposals if p.status == Proposal.Status.PENDING],
            "decided": [p for p in proposals if p.status != Proposal.Status.PENDING],
            "figures": services.round_figures(mapping),
            "can_manage": services.can_manage(request.user, mapping),
            "crumbs": breadcrumbs(mapping, ("", round_.title)),
        },
    )


def _own_response(request: HttpRequest, round_: Round) -> MunicipalityResponse | None:
    mine = services.own_municipalities(request.user, round_.mapping)
    return (
        round_.responses.filter(municipality__key__in=mine).select_related("period").first()
        if mine
        else None
    )


@login_required
@require_safe
def export_round(request: HttpRequest, mapping_id: int, number: int, fmt: str) -> HttpResponse:
    round_ = round_or_404(mapping_id, number)
    if not services.can_follow(request.user, round_.mapping):
        return forbidden(request, "Resultatet av runden er for kartleggeren.", round_.mapping)
    if fmt == "csv":
        body, content_type = export.to_csv(round_), "text/csv; charset=utf-8"
    elif fmt == "xlsx":
        body = export.to_xlsx(round_)
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        raise Http404("Ukjent format.")
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{export.filename(round_, fmt)}"'
    return response
