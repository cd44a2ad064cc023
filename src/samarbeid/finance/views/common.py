"""What the cost-sharing pages share: the breadcrumbs, the refusal page, numbers as they read
(«100 000», «12,70», «+2 400»), each member's payment with its arithmetic in words
(«100 000 + 20 × 5 732 = 214 640», «tak 500 000 brukt»), and the rows and figures of a
calculation, all made from :func:`samarbeid.finance.document.calculation_data` — the one
structure every output and the API are made from."""

from __future__ import annotations

from decimal import ROUND_FLOOR, Decimal
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from samarbeid.registry import permissions
from samarbeid.web.display import amount

from .. import charts
from ..models import FeeModel

MINUS = "\u2212"


def language() -> str:
    """The catalogue language of the request: "en" or "nb"."""
    return "en" if (get_language() or "").startswith("en") else "nb"


def crumbs(*rest: tuple[str, str]) -> list[tuple[str, str]]:
    items = [(reverse("finance:models"), _("Kostnadsdeling")), *rest]
    items[-1] = ("", items[-1][1])
    return items


def model_crumb(model: FeeModel) -> tuple[str, str]:
    return (reverse("finance:model", args=[model.slug]), model.name)


def forbidden(request: HttpRequest, message: str, model: FeeModel | None = None) -> HttpResponse:
    """The 403 page: why, who the user is, and the way back."""
    rest = [model_crumb(model)] if model is not None else []
    return render(
        request,
        "finance/forbidden.html",
        {
            "message": message,
            "model": model,
            "roles": permissions.role_labels(request.user),
            "crumbs": crumbs(*rest, ("", _("Ingen tilgang"))),
        },
        status=403,
    )


# --- numbers as they read --------------------------------------------------------------------


def kr(value: int | Decimal | str | None) -> str:
    """Whole kroner grouped: ``1 250 000``; "–" for none."""
    if value is None or value == "":
        return "–"
    return amount(Decimal(value).to_integral_value())


def money(value: Decimal | str | None) -> str:
    """An amount that may have øre: ``87 284,50``; whole kroner without decimals."""
    if value is None or value == "":
        return "–"
    number = Decimal(value)
    if number == number.to_integral_value():
        return kr(number)
    whole = kr(abs(number).to_integral_value(rounding=ROUND_FLOOR))
    ore = f"{abs(number) % 1:.2f}"[2:]
    sign = MINUS if number < 0 else ""
    return f"{sign}{whole}{_decimal_sign()}{ore}"


def _decimal_sign() -> str:
    return "." if language() == "en" else ","


def dec(value: Decimal | str | None, places: int = 2) -> str:
    """A decimal with its places, the reader's decimal sign: ``12,70``; "–" for none."""
    if value is None or value == "":
        return "–"
    return number_format(Decimal(value), places)


def signed(value: int | None) -> str:
    """A change in kroner with its sign: ``+2 400``, ``−1 200``, ``0``; "–" for none."""
    if value is None:
        return "–"
    if value > 0:
        return f"+{kr(value)}"
    return f"{MINUS}{kr(-value)}" if value < 0 else "0"


def percent(value: Decimal | str | None) -> str:
    """``30 %``, ``12,5 %``."""
    if value is None:
        return "–"
    number = Decimal(value).normalize()
    places = (
        max(0, -number.as_tuple().exponent) if isinstance(number.as_tuple().exponent, int) else 0
    )
    return f"{number_format(number, places)}\u00a0%"


# --- one member's payment -----------------------------------------------------------------------


def arithmetic(row: dict[str, Any], paying: int, population: int) -> str:
    """The payment of one member of :func:`calculation_data` in words: the parts added up, the
    sum, the limit that was applied, the whole kroner billed. ``paying``: members who pay (the
    equal key), ``population``: their inhabitants (the population key)."""
    if row["fritatt"]:
        return _("Fritatt")
    terms = []
    for line in row["regnestykke"]:
        if line["del"] == "fast":
            terms.append(money(line["belop"]))
        elif line["del"] == "per_innbygger":
            terms.append(f"{money(line['pris'])} × {kr(line['innbyggere'])}")
        else:
            share = f"{percent(line['andel'])} × {money(line['fordelt'])}"
            if line["fordeling"] == "likt":
                terms.append(f"{share} / {paying}")
            elif line["fordeling"] == "innbyggere" and row["innbyggere"] is not None:
                terms.append(f"{share} × {kr(row['innbyggere'])} / {kr(population)}")
            else:
                fraction = Decimal(line["brok"]) * 100
                terms.append(f"{share} × {dec(fraction, 4)}\u00a0%")
    computed = Decimal(row["beregnet_for_grenser"])
    text = " + ".join(terms) or "0"
    if len(terms) > 1 or "×" in text or "/" in text:
        text += f" = {money(computed)}"
    billed = row["betaling"]
    if row["tak_brukt"]:
        text += "; " + _("tak %(amount)s brukt") % {"amount": kr(billed)}
    elif row["gulv_brukt"]:
        text += "; " + _("gulv %(amount)s brukt") % {"amount": kr(billed)}
    elif computed != billed:
        text += " ≈ " + kr(billed)
    return text


def limit_words(row: dict[str, Any]) -> str:
    if row.get("fritatt"):
        return _("fritatt")
    if row.get("tak_brukt"):
        return _("tak brukt")
    if row.get("gulv_brukt"):
        return _("gulv brukt")
    return ""


def by_population(members: list[dict[str, Any]], *, largest_first: bool) -> list[dict[str, Any]]:
    """Members by population (ties and unknown by name)."""
    known = [m for m in members if m["innbyggere"] is not None]
    unknown = [m for m in members if m["innbyggere"] is None]
    known.sort(key=lambda m: (-m["innbyggere"] if largest_first else m["innbyggere"], m["kommune"]))
    return known + sorted(unknown, key=lambda m: m["kommune"])


def keys(data: dict[str, Any]) -> tuple[int, int]:
    """(members who pay, their inhabitants) under the first model: the equal and the
    population key of its shares."""
    paying = [m for m in data["medlemmer"] if not m["fritatt"]]
    return len(paying), sum(m["innbyggere"] or 0 for m in paying)


def member_rows(data: dict[str, Any]) -> list[dict[str, Any]]:
    """The first model's table: each member, largest first, with the arithmetic."""
    paying, population = keys(data)
    rows = []
    for m in by_population(data["medlemmer"], largest_first=True):
        rows.append(
            {
                "name": m["kommune"],
                "number": m["kommunenummer"],
                "population": kr(m["innbyggere"]) if m["innbyggere"] is not None else "–",
                "payment": kr(m["betaling"]),
                "per_inhabitant": dec(m["per_innbygger"]),
                "limit": limit_words(m),
                "capped": m["tak_brukt"],
                "floored": m["gulv_brukt"],
                "exempt": m["fritatt"],
                "in_kind": m["egenbidrag"] or "",
                "in_kind_value": None
                if m["egenbidrag_verdi"] is None
                else kr(m["egenbidrag_verdi"]),
                "arithmetic": arithmetic(m, paying, population),
            }
        )
    return rows


def fairness_rows(model: dict[str, Any]) -> dict[str, Any]:
    f = model["rettferdighet"]

    def end(pair):
        return "–" if pair is None else f"{pair['kommune']} ({dec(pair['per_innbygger'])} kr)"

    return {
        "members": f["medlemmer"],
        "ratio": dec(f["maks_min"], 2),
        "cv": dec(f["variasjonskoeffisient"], 3),
        "gini": dec(f["gini"], 3),
        "lowest": end(f["lavest"]),
        "highest": end(f["hoyest"]),
    }


def summary(model: dict[str, Any]) -> dict[str, Any]:
    """A model's totals as they read."""
    recovery = model["dekning"]
    return {
        "slug": model["slug"],
        "name": model["navn"],
        "version": model["versjon"],
        "body": model["organ"] or "",
        "total": kr(model["sum"]),
        "budget": kr(model["budsjett"]),
        "recovery": signed(recovery) if recovery is not None else "–",
        "covers": recovery is not None and recovery >= 0,
        "short": recovery is not None and recovery < 0,
        "capped": model["tak_brukt"],
        "floored": model["gulv_brukt"],
        "exempt": model["fritatt"],
        "cap": kr(model["tak"]),
        "floor": kr(model["gulv"]),
        "fixed": money(model["fast_belop"]),
        "price": money(model["pris_per_innbygger"]),
        "index": dec(model["prisindeks"], 4),
        "fairness": fairness_rows(model),
        "notes": model["merknader"],
        "reported": [
            {
                "year": r["aar"],
                "amount": kr(r["belop"]),
                "source": r["kilde"],
                "computed": kr(r["beregnet"]),
                "difference": signed(r["differanse"]),
                "left_out": r["utenfor"],
                "low": kr(r["lavest"]) if r["lavest"] is not None else "",
                "high": kr(r["hoyest"]) if r["hoyest"] is not None else "",
                "explanation": r["forklaring"] or "",
            }
            for r in model["oppgitt"]
        ],
    }


# --- the figures ---------------------------------------------------------------------------------


def _kr_text(value) -> str:
    return f"{kr(value)} kr"


def _per_text(value) -> str:
    return f"{dec(value, 2)} kr"


def _axis_number(value) -> str:
    """An axis label: whole numbers grouped, others with the decimals they need."""
    number = Decimal(value)
    if number == number.to_integral_value():
        return kr(number)
    places = -number.normalize().as_tuple().exponent
    return dec(number, max(0, min(2, places)))


def member_charts(data: dict[str, Any]) -> tuple[charts.Chart, charts.Chart]:
    """«Betaling per medlem» and «kostnad per innbygger per medlem»: members by population
    (smallest on the left), one line per model; an exempt member has no point."""
    members = by_population(data["medlemmer"], largest_first=False)
    names = [m["kommune"] for m in members]
    models = data["modeller"]
    year = data["aar"]
    payments = [
        (
            mo["navn"],
            [
                None if m["modeller"][i]["fritatt"] else m["modeller"][i]["betaling"]
                for m in members
            ],
        )
        for i, mo in enumerate(models)
    ]
    per = [
        (mo["navn"], [_maybe(m["modeller"][i]["per_innbygger"]) for m in members])
        for i, mo in enumerate(models)
    ]
    order = _("Medlemmene står etter folketall, minst til venstre.")
    exempt = _("Fritatte medlemmer står uten punkt.")
    pay = charts.line_chart(
        "betaling-figur",
        _("Betaling per medlem i %(year)s") % {"year": year},
        " ".join([order, *_ranges(payments, names, _kr_text), exempt]),
        "kr",
        names,
        payments,
        _kr_text,
        _axis_number,
    )
    cost = charts.line_chart(
        "per-innbygger-figur",
        _("Kostnad per innbygger per medlem i %(year)s") % {"year": year},
        " ".join([order, *_ranges(per, names, _per_text), exempt]),
        _("kr per innbygger"),
        names,
        per,
        _per_text,
        _axis_number,
    )
    return pay, cost


def _maybe(value: str | None) -> Decimal | None:
    return None if value is None else Decimal(value)


def _ranges(series, names: list[str], text) -> list[str]:
    """«Modell: fra 100 120 kr (Utsira) til 500 000 kr (Bergen).» per model."""
    out = []
    for name, values in series:
        points = [(v, n) for v, n in zip(values, names, strict=True) if v is not None]
        if not points:
            continue
        low = min(points, key=lambda p: p[0])
        high = max(points, key=lambda p: p[0])
        if low[0] == high[0]:
            out.append(_("%(model)s: alle %(value)s.") % {"model": name, "value": text(low[0])})
            continue
        out.append(
            _("%(model)s: fra %(low)s (%(low_name)s) til %(high)s (%(high_name)s).")
            % {
                "model": name,
                "low": text(low[0]),
                "low_name": low[1],
                "high": text(high[0]),
                "high_name": high[1],
            }
        )
    return out


def projection(data: dict[str, Any]) -> dict[str, Any] | None:
    """The years ahead: per model the figures of each year and the first year each member hits
    the cap; a figure of the members at the cap per year."""
    if not data["framskriving"]:
        return None
    names = {m["slug"]: m["navn"] for m in data["modeller"]}
    years = [str(y["aar"]) for y in data["framskriving"][0]["aar"]]
    models = []
    series = []
    for p in data["framskriving"]:
        rows = [
            {
                "year": y["aar"],
                "total": kr(y["sum"]),
                "budget": kr(y["budsjett"]),
                "cap": kr(y["tak"]),
                "fixed": money(y["fast_belop"]),
                "price": money(y["pris_per_innbygger"]),
                "capped": y["tak_brukt"],
                "estimated": y["folketall_anslatt"],
            }
            for y in p["aar"]
        ]
        first = [
            {"name": f["kommune"], "number": f["kommunenummer"], "year": f["aar"]}
            for f in p["forste_aar_med_tak"]
        ]
        has_cap = any(y["tak"] is not None for y in p["aar"])
        models.append(
            {
                "slug": p["slug"],
                "name": names[p["slug"]],
                "rows": rows,
                "first": first,
                "has_cap": has_cap,
            }
        )
        if has_cap:
            series.append((names[p["slug"]], [y["tak_brukt"] for y in p["aar"]]))
    chart = None
    if series:
        uncapped = [
            _("%(model)s har ikke tak.") % {"model": m["name"]} for m in models if not m["has_cap"]
        ]
        lines = [
            _("%(model)s: %(first)s i %(start)s og %(last)s i %(end)s.")
            % {
                "model": name,
                "first": values[0],
                "start": years[0],
                "last": values[-1],
                "end": years[-1],
            }
            for name, values in series
        ]
        chart = charts.line_chart(
            "tak-figur",
            _("Medlemmer som betaler taket, %(start)s–%(end)s")
            % {"start": years[0], "end": years[-1]},
            " ".join([_("Antall medlemmer som når taket hvert år."), *lines, *uncapped]),
            _("medlemmer"),
            years,
            series,
            lambda v: str(v),
            whole=True,
        )
    return {"models": models, "chart": chart, "years": years}
