"""Links from the public pages to the verification rounds, for those who take part in them."""

from __future__ import annotations

from django import template

from .. import services
from ..models import Round

register = template.Library()


def _user(context: template.Context):
    request = context.get("request")
    user = getattr(request, "user", None) if request is not None else None
    return user if user is not None and user.is_authenticated else None


@register.inclusion_tag("verification/_nav.html", takes_context=True)
def verification_nav(context: template.Context) -> dict:
    """ "Kontrollrunder" in the header, for a signed-in user with an open round to answer or run."""
    user = _user(context)
    return {"show": bool(user and services.rounds_for_user(user))}


@register.inclusion_tag("verification/_mapping_links.html", takes_context=True)
def verification_mapping_links(context: template.Context, mapping) -> dict:
    user = _user(context)
    if user is None:
        return {"show": False}
    follows = services.can_follow(user, mapping)
    mine = services.own_municipalities(user, mapping)
    if not follows and not mine:
        return {"show": False}
    open_round = services.open_round_of(mapping)
    lists = (
        list(open_round.responses.filter(municipality__key__in=mine).select_related("period"))
        if open_round
        else []
    )
    return {
        "show": True,
        "mapping": mapping,
        "follows": follows,
        "open_round": open_round,
        "lists": lists,
        "any_round": follows and Round.objects.filter(mapping=mapping).exists(),
    }


@register.inclusion_tag("verification/_municipality_link.html", takes_context=True)
def verification_municipality_link(context: template.Context, mapping, period) -> dict:
    user = _user(context)
    open_round = services.open_round_of(mapping) if user else None
    if open_round is None:
        return {"response": None}
    key = period.municipality.key
    if key not in services.own_municipalities(user, mapping) and not services.can_follow(
        user, mapping
    ):
        return {"response": None}
    response = open_round.responses.filter(municipality__key=key).select_related("period").first()
    return {"response": response, "round": open_round}


@register.filter
def response_status(response) -> str:
    return response.get_status_display()
