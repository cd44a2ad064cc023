"""What the pages of the verification rounds share: finding the round and the response of the
URL, the breadcrumbs, the refusal page and the notice of sent e-mails."""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from samarbeid.registry import permissions
from samarbeid.registry.models import Mapping

from .. import services
from ..models import MunicipalityResponse, Round


def base_url(request: HttpRequest) -> str:
    """Where the links in the notices point: ``settings.SITE_URL`` when set (a forged Host header
    cannot steer what other people are sent), else the address of the request (Django has checked
    its host against ALLOWED_HOSTS)."""
    return settings.SITE_URL or request.build_absolute_uri("/").rstrip("/")


def round_or_404(mapping_id: int, number: int) -> Round:
    return get_object_or_404(
        Round.objects.select_related("mapping"), mapping_id=mapping_id, number=number
    )


def response_or_404(round_: Round, kommune: str) -> MunicipalityResponse:
    response = services.response_for(round_, kommune)
    if response is None:
        raise Http404(f"Kommune {kommune} er ikke med i {round_.title}.")
    response.round = round_
    return response


def breadcrumbs(mapping: Mapping, *rest: tuple[str, str]) -> list[tuple[str, str]]:
    crumbs = [
        (reverse("web:mapping", args=[mapping.pk]), mapping.name),
        (reverse("verification:rounds", args=[mapping.pk]), "Kontrollrunder"),
        *rest,
    ]
    crumbs[-1] = ("", crumbs[-1][1])
    return crumbs


def round_crumb(round_: Round) -> tuple[str, str]:
    return (reverse("verification:round", args=[round_.mapping_id, round_.number]), round_.title)


def list_crumb(response: MunicipalityResponse) -> tuple[str, str]:
    return (list_url(response), f"Listen til {response.period.name}")


def list_url(response: MunicipalityResponse) -> str:
    r = response.round
    return reverse("verification:list", args=[r.mapping_id, r.number, response.period.number])


def forbidden(request: HttpRequest, message: str, mapping: Mapping) -> HttpResponse:
    return render(
        request,
        "web/edit/forbidden.html",
        {
            "message": message,
            "mapping": mapping,
            "arrangement": None,
            "roles": permissions.role_labels(request.user),
            "crumbs": breadcrumbs(mapping, ("", "Ingen tilgang")),
        },
        status=403,
    )


def sent_notice(n: int) -> str:
    if not n:
        return ""
    return f" Varsel sendt på e-post til {n} {'person' if n == 1 else 'personer'}."
