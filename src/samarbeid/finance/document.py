"""A calculation as data: the one structure the JSON output, the API, Markdown, Excel, PDF and
the pages are made from (``calculation_data``). Money is whole kroner (int); cost per inhabitant
and the fairness figures are decimal strings («12.70»), never floats. Texts are in ``lang``."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from samarbeid.core.i18n import translate

from .compare import Fairness
from .compute import CAP, FLOOR, Line, Payment
from .members import POPULATION_NOTE
from .reconcile import reconcile
from .services import Calculation
from .spec import BASIS_LABELS, PART_LABELS, SHARE


def _dec(value: Decimal | None) -> str | None:
    return None if value is None else format(value, "f")


def _line(line: Line, lang: str) -> dict[str, Any]:
    out: dict[str, Any] = {"del": line.kind, "tekst": translate(PART_LABELS[line.kind], lang),
                           "belop": _dec(line.amount.quantize(Decimal("0.01")))}  # fmt: skip
    if line.kind == SHARE:
        out.update(andel=_dec(line.share), fordeling=line.basis,
                   fordeling_tekst=translate(BASIS_LABELS[line.basis], lang),
                   brok=_dec(line.quantity.quantize(Decimal("0.000001"))),
                   fordelt=_dec(line.rate.quantize(Decimal("0.01"))))  # fmt: skip
    elif line.quantity is not None:
        out.update(innbyggere=int(line.quantity), pris=_dec(line.rate))
    return out


def _payment(p: Payment, lang: str) -> dict[str, Any]:
    return {
        "betaling": p.kroner,
        "per_innbygger": _dec(p.per_inhabitant),
        "tak_brukt": p.limit == CAP,
        "gulv_brukt": p.limit == FLOOR,
        "fritatt": p.exemption is not None,
        "beregnet_for_grenser": _dec(p.computed.quantize(Decimal("0.01"))),
        "egenbidrag": p.exemption.in_kind if p.exemption else None,
        "egenbidrag_verdi": None
        if not p.exemption or p.exemption.value is None
        else int(p.exemption.value),
        "regnestykke": [_line(line, lang) for line in p.lines],
    }


def _fairness(f: Fairness, names: dict[str, str]) -> dict[str, Any]:
    def end(pair):
        return None if pair is None else {"kommunenummer": pair[0], "kommune": names.get(pair[0], pair[0]),
                                          "per_innbygger": _dec(pair[1])}  # fmt: skip

    return {"medlemmer": f.members, "maks_min": _dec(f.ratio), "variasjonskoeffisient": _dec(f.cv),
            "gini": _dec(f.gini), "lavest": end(f.lowest), "hoyest": end(f.highest)}  # fmt: skip


def _arrangement(model) -> str | None:
    arrangement = model.arrangement
    if arrangement is None:
        return None
    return f"{arrangement.name} ({arrangement.mapping.name}, {arrangement.ref})"


def _by_member(projection) -> dict[str, dict[str, int]]:
    """Each member's payment per year of a projection (a member that is not there a year is
    left out that year)."""
    out: dict[str, dict[str, int]] = {p.number: {} for p in projection.results[0].payments}
    for result in projection.results:
        for p in result.payments:
            if p.number in out:
                out[p.number][str(result.year)] = p.kroner
    return out


def calculation_data(calc: Calculation, lang: str = "nb") -> dict[str, Any]:
    """Everything a reader of the calculation needs, first model as the baseline."""
    comparison = calc.comparison
    names = {m.number: m.name for m in comparison.members}
    models = []
    for model, result, summary in zip(
        calc.models, comparison.results, comparison.summaries, strict=True
    ):
        body = model.body
        models.append({
            "slug": model.slug,
            "navn": model.name,
            "versjon": model.version,
            "organ": body.name if body else None,
            "ordning": _arrangement(model),
            "beskrivelse": result.model.description,
            "modell": model.spec,
            "sum": summary.total,
            "budsjett": summary.budget,
            "dekning": summary.recovery,
            "tak_brukt": summary.capped,
            "gulv_brukt": summary.floored,
            "fritatt": summary.exempt,
            "tak": result.terms.cap,
            "gulv": result.terms.floor,
            "fast_belop": _dec(result.terms.fixed),
            "pris_per_innbygger": _dec(result.terms.price),
            "prisindeks": _dec(result.terms.factor.quantize(Decimal("0.000001"))),
            "rettferdighet": _fairness(summary.fairness, names),
            "merknader": [n.text(lang) for n in result.notes],
            "oppgitt": [
                {"aar": r.year, "belop": r.reported, "kilde": r.source, "beregnet": r.computed,
                 "differanse": r.difference, "utenfor": r.left_out, "lavest": r.low, "hoyest": r.high,
                 "forklaring": r.explanation.text(lang) if r.explanation else None}
                for r in reconcile(model, result, body.stated_member_count if body else None)
            ],
        })  # fmt: skip
    members = []
    for member in comparison.members:
        cells = comparison.cells[member.number]
        first = comparison.results[0].payment(member.number)
        row = {"kommune": member.name, "kommunenummer": member.number, "innbyggere": member.population,
               **_payment(first, lang)}  # fmt: skip
        row["modeller"] = [
            {"slug": m.slug, "betaling": c.kroner, "per_innbygger": _dec(c.per_inhabitant),
             "tak_brukt": c.limit == CAP, "gulv_brukt": c.limit == FLOOR, "fritatt": c.exempt,
             "endring_fra_basis": c.from_baseline, "endring_fra_i_fjor": c.from_last_year}
            for m, c in zip(calc.models, cells, strict=True)
        ]  # fmt: skip
        members.append(row)
    projections = []
    for model, projection in zip(calc.models, calc.projections, strict=False):
        projections.append({
            "slug": model.slug,
            "aar": [{"aar": r.year, "sum": r.total, "budsjett": r.terms.budget, "tak": r.terms.cap,
                     "fast_belop": _dec(r.terms.fixed), "pris_per_innbygger": _dec(r.terms.price),
                     "tak_brukt": projection.capped_in(r.year),
                     "folketall_anslatt": calc.rosters[r.year].estimated_population}
                    for r in projection.results],
            "forste_aar_med_tak": [{"kommunenummer": n, "kommune": names.get(n, n), "aar": y}
                                   for n, y in sorted(projection.first_capped.items(), key=lambda x: (x[1], x[0]))],
            "betaling": _by_member(projection),
        })  # fmt: skip
    return {
        "aar": calc.year,
        "til_aar": calc.to_year,
        "folketall": translate(POPULATION_NOTE, lang).format(day=f"31.12.{calc.year - 1}"),
        "medlemsliste_antatt": calc.roster.assumed,
        "merknader": [n.text(lang) for n in calc.notes],
        "modeller": models,
        "medlemmer": members,
        "sum": {m["slug"]: m["sum"] for m in models},
        "framskriving": projections,
    }
