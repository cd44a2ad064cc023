"""Prioritisation of a portfolio, read from and written to the database: the criteria's weights,
the scores with their justification (a JSON file, checked whole: every problem with its place,
nothing written on any), and the ranking they give beside the one the body approved
(:mod:`.priority` does the arithmetic, without Django).

The scores file::

    {"kilde": "Prioriteringsmøtet 12.01.2023",
     "vekter": {"Lovpålagt": 2},
     "poeng": [{"referanse": "2", "kriterium": "Lovpålagt", "poeng": 4,
                "begrunnelse": "Pasientjournalloven"}]}

``vekter`` (optional) sets criteria's weights (0–100, decimals allowed); ``poeng`` gives a score
0–5 per item and criterion (a new score replaces the old). Items and criteria are named as the
portfolio does: an item by its reference («2», «3.2b»), a criterion by its short name.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction

from samarbeid.core import safejson
from samarbeid.registry.edit_checks import clean_source, source_problems, text_problems

from . import priority
from .models import Criterion, Item, Score, SolutionPortfolio

MAX_WEIGHT = Decimal(100)


@dataclass(frozen=True)
class Problem:
    place: str  # «poeng[3].kriterium», «vekter.Lovpålagt», «kilde»
    message: str

    def text(self) -> str:
        return f"{self.place}: {self.message}"


class ScoresRefused(ValueError):
    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(p.text() for p in problems))
        self.problems = problems


def ranking(portfolio: SolutionPortfolio) -> dict[str, Any]:
    """The weighted totals and the computed ranking of the portfolio's items beside the approved
    one; the joint measures are listed as left unranked on purpose."""
    criteria = list(portfolio.criteria.all())
    weights = {c.short: c.weight for c in criteria}
    items = list(portfolio.items.prefetch_related("scores__criterion"))
    scored = [
        priority.Scored(
            item.reference,
            item.title,
            item.kind == Item.Kind.INTRODUCTION,
            item.rank,
            {s.criterion.short: s.value for s in item.scores.all()},
        )
        for item in items
    ]
    ranked, unranked = priority.rank(scored, weights)
    justifications = {
        (item.reference, s.criterion.short): s.justification
        for item in items
        for s in item.scores.all()
    }
    return {
        "kriterier": [{"kort": c.short, "vekt": str(c.weight)} for c in criteria],
        "har_poeng": any(s.scores for s in scored),
        "rangert": [
            {
                "referanse": r.reference,
                "tittel": r.title,
                "poeng": {
                    c.short: {
                        "verdi": next(s for s in scored if s.reference == r.reference).scores.get(
                            c.short
                        ),
                        "begrunnelse": justifications.get((r.reference, c.short), ""),
                    }
                    for c in criteria
                },
                "vektet_sum": None if r.total is None else str(r.total),
                "beregnet_rang": r.computed_rank,
                "vedtatt_rang": r.approved_rank,
                "forskjell": r.difference,
            }
            for r in ranked
        ],
        "ikke_rangert": [{"referanse": u.reference, "tittel": u.title} for u in unranked],
    }


def _weight(value: Any) -> Decimal | None:
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        return None
    try:
        weight = Decimal(str(value).replace(",", "."))
    except InvalidOperation:
        return None
    return weight if weight.is_finite() and 0 <= weight <= MAX_WEIGHT else None


def check_scores(portfolio: SolutionPortfolio, data: Any) -> tuple[dict, list[tuple], str]:
    """The weights and scores of ``data`` (parsed JSON), or :class:`ScoresRefused` with every
    problem."""
    problems: list[Problem] = []
    if not isinstance(data, dict):
        raise ScoresRefused([Problem("filen", "forventet et JSON-objekt med «poeng»")])
    unknown = sorted(set(data) - {"kilde", "vekter", "poeng"})
    problems += [Problem(k, "ukjent nøkkel (forventet kilde, vekter, poeng)") for k in unknown]
    source = data.get("kilde")
    if not isinstance(source, str):
        problems.append(Problem("kilde", "påkrevd: hvor poengene kommer fra (tekst)"))
        source = ""
    else:
        problems += [Problem("kilde", p.text()) for p in source_problems(source)]
    criteria = {c.short.casefold(): c for c in portfolio.criteria.all()}
    names = ", ".join(c.short for c in criteria.values()) or "ingen"
    items = {i.reference.casefold(): i for i in portfolio.items.all()}
    weights: dict[Criterion, Decimal] = {}
    raw_weights = data.get("vekter", {})
    if not isinstance(raw_weights, dict):
        problems.append(Problem("vekter", "forventet et objekt {kriterium: vekt}"))
        raw_weights = {}
    for name, value in raw_weights.items():
        criterion = criteria.get(str(name).casefold())
        weight = _weight(value)
        if criterion is None:
            problems.append(Problem(f"vekter.{name}", f"ukjent kriterium; finnes: {names}"))
        elif weight is None:
            problems.append(Problem(f"vekter.{name}", f"«{value}» er ikke en vekt fra 0 til 100"))
        else:
            weights[criterion] = weight
    scores: list[tuple[Item, Criterion, int, str]] = []
    raw_scores = data.get("poeng", [])
    if not isinstance(raw_scores, list):
        problems.append(Problem("poeng", "forventet en liste"))
        raw_scores = []
    seen: set[tuple[int, int]] = set()
    for index, row in enumerate(raw_scores):
        place = f"poeng[{index}]"
        if not isinstance(row, dict):
            problems.append(Problem(place, "forventet et objekt"))
            continue
        item = items.get(str(row.get("referanse", "")).casefold())
        criterion = criteria.get(str(row.get("kriterium", "")).casefold())
        value = row.get("poeng")
        note = row.get("begrunnelse", "")
        if item is None:
            problems.append(
                Problem(f"{place}.referanse", f"ukjent tiltak «{row.get('referanse')}»")
            )
        if criterion is None:
            problems.append(
                Problem(
                    f"{place}.kriterium",
                    f"ukjent kriterium «{row.get('kriterium')}»; finnes: {names}",
                )
            )
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 5:
            problems.append(Problem(f"{place}.poeng", f"«{value}» er ikke et heltall fra 0 til 5"))
        if not isinstance(note, str):
            problems.append(Problem(f"{place}.begrunnelse", "forventet tekst"))
            note = ""
        else:
            problems += [
                Problem(f"{place}.begrunnelse", p.text())
                for p in text_problems("begrunnelse", note, prose=True)
            ]
        if item is not None and criterion is not None:
            if (item.pk, criterion.pk) in seen:
                problems.append(Problem(place, "samme tiltak og kriterium står to ganger"))
            seen.add((item.pk, criterion.pk))
            scores.append((item, criterion, value, note))  # stored only when nothing is wrong
    if problems:
        raise ScoresRefused(problems)
    return weights, scores, source


def save_scores(portfolio: SolutionPortfolio, payload: bytes) -> tuple[int, int]:
    """Check the scores file and store it in one transaction: (weights set, scores set)."""
    try:
        data = safejson.loads(payload)
    except safejson.JsonRefused as refused:
        raise ScoresRefused(
            [Problem("filen", f"ikke gyldig JSON: {refused.reason().text()}")]
        ) from None
    weights, scores, source = check_scores(portfolio, data)
    source = clean_source(source)
    with transaction.atomic():
        for criterion, weight in weights.items():
            criterion.weight = weight
            criterion.save(update_fields=["weight"])
        for item, criterion, value, note in scores:
            Score.objects.update_or_create(
                item=item,
                criterion=criterion,
                defaults={"value": value, "justification": note, "source": source},
            )
        portfolio.version += 1
        portfolio.save(update_fields=["version", "updated"])
    return len(weights), len(scores)
