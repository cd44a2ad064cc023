"""The cost-sharing pages to read: every model; one model in a budget year (each member's payment
with its arithmetic, the notes, the reported total beside the computed one, the versions) and,
with ``til_aar``, the years ahead; several models side by side with their figures and fairness;
and every calculation as a file (:func:`samarbeid.finance.outputs.render`).

The query (``?aar=&til_aar=&vekst=`` and, to compare, ``modell`` repeated) is read by
:func:`..query.read_query`; what cannot be used is a 400 page that says which parameter, what was
wrong and what is expected. A model that cannot be computed for the year says why."""

from __future__ import annotations

from typing import Any

import rules
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from samarbeid.core.i18n import translate

from ..document import calculation_data
from ..models import FeeModel, FeeModelVersion
from ..query import MAX_MODELS, Query, QueryError, population_years, read_query
from ..services import MAX_YEARS, ComputeError, calculate
from ..spec import BASIS_LABELS, PART_LABELS
from . import common
from .common import crumbs, kr, language, money, percent

#: The files a calculation is downloaded as (``outputs.render``), with their names on the page.
FORMATS = {"xlsx": "Excel", "pdf": "PDF", "md": "Markdown", "json": "JSON"}


def _query_string(query: Query, *, models: bool = True) -> str:
    params = query.params(models=models)
    return "?" + urlencode(params) if params else ""


def _calculate(query: Query) -> tuple[Any, str]:
    """The calculation and ""; or None and why it cannot be made."""
    try:
        return calculate(query.models, query.year, query.to_year, query.growth), ""
    except ComputeError as error:
        return None, error.message.text(language())


def _query_context(query: Query) -> dict[str, Any]:
    years = population_years()
    return {
        "query": query,
        "query_errors": query.errors,
        "field_errors": {e.param: e.message for e in query.errors},
        "first_year": years.start,
        "last_year": years.stop - 1,
        "max_years": MAX_YEARS,
        "values": {
            "aar": query.raw.get("aar") or str(query.year),
            "til_aar": query.raw.get("til_aar", ""),
            "vekst": query.raw.get("vekst", ""),
        },
    }


def _downloads(name: str, args: list, query: Query, *, models: bool) -> list[tuple[str, str]]:
    suffix = _query_string(query, models=models)
    return [(reverse(name, args=[*args, fmt]) + suffix, label) for fmt, label in FORMATS.items()]


# --- every model ---------------------------------------------------------------------------------


@require_safe
def model_list(request: HttpRequest) -> HttpResponse:
    models = list(FeeModel.objects.select_related("body").order_by("name", "slug"))
    latest: dict[int, FeeModelVersion] = {}
    for version in FeeModelVersion.objects.filter(model__in=models).order_by("model", "-number"):
        latest.setdefault(version.model_id, version)
    by_body: dict[int | None, list[str]] = {}
    for m in models:
        by_body.setdefault(m.body_id, []).append(m.slug)
    rows = []
    for m in models:
        others = [s for s in by_body[m.body_id] if s != m.slug][: MAX_MODELS - 1]
        rows.append(
            {
                "model": m,
                "latest": latest.get(m.pk),
                "assumed": bool(m.assumed_members),
                "compare": reverse("finance:compare")
                + "?"
                + urlencode([("modell", s) for s in [m.slug, *others]]),
            }
        )
    return render(
        request,
        "finance/model_list.html",
        {
            "rows": rows,
            "can_add": rules.has_perm("finance.add_model", request.user),
            "crumbs": [("", _("Kostnadsdeling"))],
        },
    )


# --- one model -----------------------------------------------------------------------------------


def model_or_404(slug: str) -> FeeModel:
    model = FeeModel.objects.select_related("body").filter(slug=slug).first()
    if model is None:
        raise Http404(_("Ingen kostnadsmodell har det korte navnet «%(slug)s».") % {"slug": slug})
    return model


def spec_facts(spec: dict[str, Any]) -> list[tuple[str, str]]:
    """The model's terms in words, as stored (the price year's amounts)."""
    lang = language()
    facts = [(_("Prisår"), str(spec.get("prisaar", "–")))]
    if spec.get("budsjett") is not None:
        facts.append((_("Budsjett"), f"{money(spec['budsjett'])} kr"))
    for part in spec.get("deler") or []:
        label = translate(PART_LABELS.get(part["type"], part["type"]), lang)
        if part["type"] == "andel":
            basis = translate(BASIS_LABELS.get(part.get("fordeling"), ""), lang)
            facts.append((label, f"{percent(part['andel'])} {basis}"))
        else:
            facts.append((label, f"{money(part['belop'])} kr"))
    if spec.get("tak") is not None:
        facts.append((_("Tak per medlem"), f"{money(spec['tak'])} kr"))
    if spec.get("gulv") is not None:
        facts.append((_("Gulv per medlem"), f"{money(spec['gulv'])} kr"))
    ix = spec.get("indeksering") or {}
    indexed = [
        words
        for key, words in (
            ("belop", _("beløpene og budsjettet")),
            ("tak", _("taket")),
            ("gulv", _("gulvet")),
        )
        if ix.get(key)
    ]
    rates = []
    if ix.get("standard") is not None:
        rates.append(_("%(rate)s per år") % {"rate": percent(ix["standard"])})
    rates += [
        f"{year}: {percent(rate)}" for year, rate in sorted((ix.get("deflator") or {}).items())
    ]
    if indexed and rates:
        facts.append(
            (
                _("Prisjustering"),
                _("%(what)s med deflator %(rates)s")
                % {"what": ", ".join(indexed).capitalize(), "rates": "; ".join(rates)},
            )
        )
    else:
        facts.append((_("Prisjustering"), _("Ingen")))
    return facts


@require_safe
def model_detail(request: HttpRequest, slug: str) -> HttpResponse:
    model = model_or_404(slug)
    query = read_query(request.GET, slugs=[model.slug])
    query.models = [model]
    compare_url = (
        reverse("finance:compare")
        + "?"
        + urlencode([("modell", model.slug), *(query.params(models=False) if query.ok else [])])
    )
    context: dict[str, Any] = {
        "model": model,
        "compare_url": compare_url,
        "facts": spec_facts(model.spec),
        "versions": list(model.versions.select_related("author").order_by("-number")),
        "can_edit": rules.has_perm("finance.change_model", request.user, model),
        "crumbs": crumbs(("", model.name)),
        **_query_context(query),
    }
    if not query.ok:
        return render(request, "finance/model.html", context, status=400)
    calc, problem = _calculate(query)
    if calc is None:
        context["compute_error"] = problem
        return render(request, "finance/model.html", context, status=400 if query.given else 200)
    data = calculation_data(calc, language())
    first = data["modeller"][0]
    context |= {
        "data": data,
        "summary": common.summary(first),
        "rows": common.member_rows(data),
        "exempt": [r for r in common.member_rows(data) if r["exempt"]],
        "projection": common.projection(data),
        "other_years": [r for r in model.reported or [] if int(r.get("aar", 0)) != calc.year],
        "downloads": _downloads("finance:download", [model.slug], query, models=False),
    }
    return render(request, "finance/model.html", context)


# --- several models --------------------------------------------------------------------------------


def _member_table(data: dict[str, Any]) -> list[dict[str, Any]]:
    rows = []
    for m in common.by_population(data["medlemmer"], largest_first=True):
        cells = []
        for i, c in enumerate(m["modeller"]):
            cells.append(
                {
                    "payment": kr(c["betaling"]),
                    "per_inhabitant": common.dec(c["per_innbygger"]),
                    "limit": common.limit_words(c),
                    "from_baseline": common.signed(c["endring_fra_basis"]) if i else "",
                    "from_last_year": common.signed(c["endring_fra_i_fjor"]),
                }
            )
        rows.append(
            {
                "name": m["kommune"],
                "number": m["kommunenummer"],
                "population": kr(m["innbyggere"]) if m["innbyggere"] is not None else "–",
                "cells": cells,
            }
        )
    return rows


def _limits(data: dict[str, Any]) -> list[dict[str, Any]]:
    """Per model: who pays the cap, who the floor, who is exempt."""
    out = []
    members = common.by_population(data["medlemmer"], largest_first=True)
    for i, model in enumerate(data["modeller"]):
        out.append(
            {
                "name": model["navn"],
                "capped": [m["kommune"] for m in members if m["modeller"][i]["tak_brukt"]],
                "floored": [m["kommune"] for m in members if m["modeller"][i]["gulv_brukt"]],
                "exempt": [m["kommune"] for m in members if m["modeller"][i]["fritatt"]],
            }
        )
    return out


@require_safe
def compare(request: HttpRequest) -> HttpResponse:
    query = read_query(request.GET)
    choices = list(FeeModel.objects.select_related("body").order_by("name", "slug"))
    picked = query.slugs + [""] * (MAX_MODELS - len(query.slugs))
    context: dict[str, Any] = {
        "choices": choices,
        "selects": [(n, slug) for n, slug in enumerate(picked[:MAX_MODELS], 1)],
        "crumbs": crumbs(("", _("Sammenlign modeller"))),
        **_query_context(query),
    }
    if not query.ok:
        return render(request, "finance/compare.html", context, status=400)
    if not query.models:
        return render(request, "finance/compare.html", context)
    calc, problem = _calculate(query)
    if calc is None:
        context["compute_error"] = problem
        return render(request, "finance/compare.html", context, status=400)
    data = calculation_data(calc, language())
    pay, per = common.member_charts(data)
    context |= {
        "data": data,
        "summaries": [common.summary(m) for m in data["modeller"]],
        "rows": _member_table(data),
        "limits": _limits(data),
        "charts_list": [pay, per],
        "projection": common.projection(data),
        "baseline": data["modeller"][0]["navn"],
        "has_last_year": calc.last_year,
        "downloads": _downloads("finance:compare_download", [], query, models=True),
    }
    return render(request, "finance/compare.html", context)


# --- files ------------------------------------------------------------------------------------------


def _file(request: HttpRequest, query: Query, fmt: str, back: str) -> HttpResponse:
    if not query.ok or not query.models:
        if not query.errors:
            query.errors.append(_missing_model())
        return _refused(request, query, "", back)
    calc, problem = _calculate(query)
    if calc is None:
        return _refused(request, query, problem, back)
    from ..outputs import render as render_file

    content, content_type, filename = render_file(calc, fmt, language())
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _missing_model() -> QueryError:
    return QueryError(
        "modell", _("Modell"), _("Velg minst én modell: ?modell=kort-navn (kan gjentas).")
    )


def _refused(request: HttpRequest, query: Query, problem: str, back: str) -> HttpResponse:
    return render(
        request,
        "finance/bad_query.html",
        {
            "query_errors": query.errors,
            "field_errors": {e.param: e.message for e in query.errors},
            "compute_error": problem,
            "back": back,
            "crumbs": crumbs(("", _("Beregningen kan ikke lages"))),
        },
        status=400,
    )


def _format_or_404(fmt: str) -> None:
    if fmt not in FORMATS:
        raise Http404(
            _("Beregningen finnes ikke i formatet «%(fmt)s»; velg %(formats)s.")
            % {"fmt": fmt[:20], "formats": ", ".join(FORMATS)}
        )


@require_safe
def download(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    _format_or_404(fmt)
    model = model_or_404(slug)
    query = read_query(request.GET, slugs=[model.slug])
    query.models = [model]
    back = reverse("finance:model", args=[model.slug]) + _query_string(query, models=False)
    return _file(request, query, fmt, back)


@require_safe
def compare_download(request: HttpRequest, fmt: str) -> HttpResponse:
    _format_or_404(fmt)
    query = read_query(request.GET)
    return _file(request, query, fmt, reverse("finance:compare") + _query_string(query))
