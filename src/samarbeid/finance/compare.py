"""Models side by side, their fairness, and the years ahead. Pure: no Django.

Fairness is measured on the cost per inhabitant of the paying members (exempt members and
members without population are left out):

* **max/min** — the highest cost per inhabitant divided by the lowest;
* **variasjonskoeffisient** (CV) — the standard deviation (of the members, divided by *n*) over
  the mean;
* **Gini** — the mean absolute difference between all pairs over twice the mean (0: everyone
  pays the same per inhabitant; towards 1: one member carries it all).
"""

from __future__ import annotations

import gc
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal, localcontext

from samarbeid.finance.compute import CAP, FLOOR, Member, Result, compute
from samarbeid.finance.money import CONTEXT, ONE, ZERO, as_decimal, round_half_up
from samarbeid.finance.spec import FeeModel


@contextmanager
def _no_cycle_collection() -> Iterator[None]:
    """Pause CPython's cycle collector while payments are computed, and restore it as it was.

    The results hold no reference cycles (reference counting frees them), but as they grow the
    collector walks all of them, and the rest of the process, again and again: a third of the
    time of 20 models × 357 members × 11 years (benchmarks/bench_finance.py)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@dataclass(frozen=True)
class Fairness:
    members: int
    ratio: Decimal | None  # max/min per inhabitant
    cv: Decimal | None
    gini: Decimal | None
    lowest: tuple[str, Decimal] | None  # (kommunenummer, kr per inhabitant)
    highest: tuple[str, Decimal] | None


def fairness(result: Result) -> Fairness:
    """The fairness figures of one result (four decimals)."""
    with localcontext(CONTEXT):
        return _fairness(result)


def _fairness(result: Result) -> Fairness:
    values = [(p.number, Decimal(p.kroner) / p.population) for p in result.payments
              if p.exemption is None and p.population]  # fmt: skip
    n = len(values)
    if n == 0:
        return Fairness(0, None, None, None, None, None)
    costs = sorted(v for _, v in values)
    low = min(values, key=lambda x: (x[1], x[0]))
    high = max(values, key=lambda x: (x[1], x[0]))
    mean = sum(costs, ZERO) / n
    ratio = as_decimal(high[1] / low[1], 4) if low[1] > 0 else None
    if mean == 0:
        cv = gini = None
    else:
        variance = sum(((c - mean) ** 2 for c in costs), ZERO) / n
        cv = as_decimal(variance.sqrt() / mean, 4)
        # Gini over the sorted costs: Σ (2i − n − 1)·x_i / (n² · mean), i = 1..n
        weighted = sum(((2 * i - n - 1) * c for i, c in enumerate(costs, 1)), ZERO)
        gini = as_decimal(weighted / (n * n * mean), 4)
    return Fairness(n, ratio, cv, gini, (low[0], as_decimal(low[1], 2)),
                    (high[0], as_decimal(high[1], 2)))  # fmt: skip


@dataclass(frozen=True)
class Cell:
    """One member under one model."""

    kroner: int
    per_inhabitant: Decimal | None
    limit: str | None
    exempt: bool
    from_baseline: int | None  # kroner compared with the first model
    from_last_year: int | None  # compared with the same model the year before


@dataclass(frozen=True)
class Summary:
    name: str
    total: int
    budget: int | None
    recovery: int | None
    capped: int
    floored: int
    exempt: int
    fairness: Fairness


@dataclass(frozen=True)
class Comparison:
    year: int
    members: tuple[Member, ...]
    results: tuple[Result, ...]
    cells: dict[str, tuple[Cell, ...]]  # kommunenummer → one cell per model
    summaries: tuple[Summary, ...]


def summary(result: Result) -> Summary:
    return Summary(
        name=result.model.name,
        total=result.total,
        budget=result.terms.budget,
        recovery=result.recovery,
        capped=sum(p.limit == CAP for p in result.payments),
        floored=sum(p.limit == FLOOR for p in result.payments),
        exempt=sum(p.exemption is not None for p in result.payments),
        fairness=fairness(result),
    )


def compare(models: list[FeeModel], members: list[Member], year: int,
            last_year: list[Member] | None = None) -> Comparison:  # fmt: skip
    """The models on the same members in ``year``; the first model is the baseline. With
    ``last_year`` (the members and their population the year before) each cell also shows the
    change from the same model's payment then."""
    with _no_cycle_collection():
        results = tuple(compute(m, members, year) for m in models)
        before = [compute(m, last_year, year - 1) for m in models] if last_year else None
    # each result's payments by kommunenummer (Result.payment, without a search per member)
    now = [{p.number: p for p in reversed(r.payments)} for r in results]
    then = [{p.number: p for p in reversed(r.payments)} for r in before] if before else None
    cells: dict[str, tuple[Cell, ...]] = {}
    for member in sorted(members, key=lambda m: m.number):
        row = []
        base = now[0].get(member.number)
        for i in range(len(results)):
            p = now[i].get(member.number)
            old = then[i].get(member.number) if then else None
            row.append(Cell(p.kroner, p.per_inhabitant, p.limit, p.exemption is not None,
                            p.kroner - base.kroner, None if old is None else p.kroner - old.kroner))  # fmt: skip
        cells[member.number] = tuple(row)
    return Comparison(year, tuple(sorted(members, key=lambda m: m.number)), results, cells,
                      tuple(summary(r) for r in results))  # fmt: skip


@dataclass(frozen=True)
class Projection:
    model: FeeModel
    results: tuple[Result, ...]  # one per year
    first_capped: dict[str, int]  # kommunenummer → the first year its payment hits the cap

    def capped_in(self, year: int) -> int:
        result = next(r for r in self.results if r.year == year)
        return sum(p.limit == CAP for p in result.payments)


def project(model: FeeModel, members_by_year: Mapping[int, list[Member]]) -> Projection:
    """The model for each year in ``members_by_year`` (the members and population of that year);
    the payments without their arithmetic (the comparison of the first year shows it)."""
    with _no_cycle_collection():
        results = tuple(
            compute(model, members_by_year[y], y, lines=False) for y in sorted(members_by_year)
        )
    first: dict[str, int] = {}
    for result in results:
        for p in result.payments:
            if p.limit == CAP and p.number not in first:
                first[p.number] = result.year
    return Projection(model, results, first)


def extend_population(
    known: Mapping[int, int], years: range, growth: Decimal | None = None
) -> dict[int, int]:
    """Population for every year in ``years``: the known figure, or beyond the last known year the
    last figure grown by ``growth`` per cent a year (kept as it is when ``growth`` is None),
    rounded to whole persons."""
    if not known:
        return {}
    last = max(known)
    out: dict[int, int] = {}
    for year in years:
        if year in known:
            out[year] = known[year]
        elif year > last:
            with localcontext(CONTEXT):
                value = Decimal(known[last]) * (ONE + (growth or ZERO) / 100) ** (year - last)
            out[year] = round_half_up(value)
    return out
