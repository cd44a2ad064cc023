"""Each member's payment for one budget year, with the arithmetic shown.

The members come in as :class:`Member` rows (number, name, population on the reference date,
ownership share); the model as a :class:`~samarbeid.finance.spec.FeeModel`. Pure: no Django.

For every paying member the fixed parts give an amount ``a`` (fixed amount + price × inhabitants).
A model that splits a budget adds ``λ·w`` where ``w`` is the member's weight (the parts' shares of
their keys: equal, population, usage, ownership) and ``λ`` is what the fixed parts leave of the
budget. A floor or cap holds each payment within its limits; when a cap (or floor) moves a
payment, ``λ`` is solved again — exactly, over the breakpoints of the piecewise-linear total — so
that what the cap cuts is carried by the other members through the same keys and the payments
still add up to the budget. Exempt members pay nothing and are left out of every key; their
in-kind contribution is shown. Rounding to whole kroner: see :mod:`samarbeid.finance.money`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, localcontext

from samarbeid.core.i18n import Grouped, Text, gettext_noop
from samarbeid.finance.money import (
    CONTEXT,
    ONE,
    ZERO,
    as_decimal,
    floor,
    largest_remainder,
    round_half_up,
    round_ore,
)
from samarbeid.finance.spec import FIXED, PER_INHABITANT, SHARE, Exemption, FeeModel

CAP = "tak"
FLOOR = "gulv"


class ComputeError(ValueError):
    """The payments cannot be computed (a member without population, usage or share …)."""

    def __init__(self, message: Text) -> None:
        self.message = message
        super().__init__(str(message))


@dataclass(frozen=True)
class Member:
    number: str
    name: str
    population: int | None
    ownership: Decimal | None = None  # per cent of the arrangement


@dataclass(frozen=True)
class Terms:
    """The model's amounts for one year, after indexation (money in whole kroner, prices in øre)."""

    year: int
    factor: Decimal  # the price index from the model's price year to this year
    fixed: Decimal  # sum of the fixed amounts per member
    price: Decimal  # sum of the prices per inhabitant
    budget: int | None
    floor: int | None
    cap: int | None
    unindexed_years: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True)
class Line:
    """One part of a payment: ``kind`` (fast, per_innbygger, andel), the amount, and what it is
    made of (inhabitants × price, or share % × key fraction × the amount split)."""

    kind: str
    amount: Decimal
    quantity: Decimal | None = None
    rate: Decimal | None = None
    basis: str | None = None
    share: Decimal | None = None


@dataclass(frozen=True, slots=True)
class Payment:
    number: str
    name: str
    population: int | None
    lines: tuple[Line, ...]
    computed: Decimal  # before the floor and cap
    exact: Decimal  # after them
    kroner: int
    limit: str | None = None  # "tak" or "gulv" when one was applied
    exemption: Exemption | None = None

    @property
    def per_inhabitant(self) -> Decimal | None:
        if not self.population or self.exemption is not None:
            return None
        return as_decimal(Decimal(self.kroner) / self.population, 2)


@dataclass(frozen=True)
class Result:
    model: FeeModel
    year: int
    terms: Terms
    payments: tuple[Payment, ...]
    split: Decimal | None = None  # λ: what the share parts split after the limits
    notes: tuple[Text, ...] = field(default=())

    @property
    def total(self) -> int:
        return sum(p.kroner for p in self.payments)

    @property
    def recovery(self) -> int | None:
        """Billed minus the budget (selvkost): negative when the model does not cover it."""
        return None if self.terms.budget is None else self.total - self.terms.budget

    @property
    def in_kind(self) -> Decimal:
        return sum((p.exemption.value or 0 for p in self.payments if p.exemption), ZERO)

    def payment(self, number: str) -> Payment | None:
        return next((p for p in self.payments if p.number == number), None)


def terms(model: FeeModel, year: int) -> Terms:
    """The model's amounts in ``year``: each indexed amount is the price-year amount times the
    product of (1 + deflator) over the years after the price year up to ``year``, rounded to whole
    kroner (prices per inhabitant to øre). A year up to the price year uses the amounts as stated
    (the model is not deflated backwards)."""
    with localcontext(CONTEXT):
        return _terms(model, year)


def _terms(model: FeeModel, year: int) -> Terms:
    ix = model.indexation
    factor = ONE
    missing: list[int] = []
    for y in range(model.price_year + 1, year + 1):
        rate = ix.rate(y)
        if rate is None:
            missing.append(y)
            continue
        factor *= ONE + rate / 100

    def money(value: Decimal | None, indexed: bool) -> int | None:
        return None if value is None else round_half_up(value * factor if indexed else value)

    fixed = sum((p.amount for p in model.parts if p.kind == FIXED), ZERO)
    price = sum((p.amount for p in model.parts if p.kind == PER_INHABITANT), ZERO)
    return Terms(
        year=year,
        factor=factor,
        fixed=Decimal(round_half_up(fixed * factor)) if ix.amounts else fixed,
        price=round_ore(price * factor) if ix.amounts else price,
        budget=money(model.budget, ix.amounts),
        floor=money(model.floor, ix.floor),
        cap=money(model.cap, ix.cap),
        unindexed_years=tuple(missing),
    )


def _key(model: FeeModel, basis: str, members: list[Member], year: int) -> list[Decimal]:
    """Each paying member's fraction of one key (they sum to 1)."""
    if basis == "likt":
        return [ONE / len(members)] * len(members)
    if basis == "innbyggere":
        values = [Decimal(m.population or 0) for m in members]
    elif basis == "bruk":
        figures = model.usage.get(year, {})
        absent = [m for m in members if m.number not in figures]
        if absent:
            raise ComputeError(Text(
                gettext_noop("Bruk mangler for {year} for {members}: fordeling etter bruk trenger tall for alle."),
                year=year, members=_names(absent)))  # fmt: skip
        values = [figures[m.number] for m in members]
    else:  # eierandel
        absent = [m for m in members if m.ownership is None]
        if absent:
            raise ComputeError(Text(
                gettext_noop("Eierandel mangler for {members}: fordeling etter eierandel trenger alle andeler."),
                members=_names(absent)))  # fmt: skip
        values = [m.ownership for m in members]
    total = sum(values, ZERO)
    if total == 0:
        raise ComputeError(
            Text(
                gettext_noop("Fordelingen «{basis}» har summen 0 for {year}."),
                basis=basis,
                year=year,
            )
        )
    return [v / total for v in values]


def _names(members: list[Member]) -> str:
    shown = ", ".join(f"{m.name} ({m.number})" for m in members[:5])
    return shown + (f" og {len(members) - 5} til" if len(members) > 5 else "")


def compute(model: FeeModel, members: list[Member], year: int, *, lines: bool = True) -> Result:
    """Every member's payment in ``year`` (members sorted by kommunenummer). ``lines=False``
    leaves out the arithmetic per member (the years of a projection need only the payments)."""
    with localcontext(CONTEXT):
        return _compute(model, members, year, lines)


def _compute(model: FeeModel, members: list[Member], year: int, show: bool = True) -> Result:
    members = sorted(members, key=lambda m: m.number)
    if not members:
        raise ComputeError(Text(gettext_noop("Ingen medlemmer i {year}."), year=year))
    t = terms(model, year)
    exempt = {e.number: e for e in reversed(model.exemptions)}  # model.exempt, as a dict
    paying = [m for m in members if m.number not in exempt]
    needs_population = t.price or any(
        p.basis == "innbyggere" for p in model.parts if p.kind == SHARE
    )
    absent = [m for m in paying if m.population is None] if needs_population else []
    if absent:
        raise ComputeError(Text(gettext_noop("Folketall mangler for {members} i {year}."),
                                members=_names(absent), year=year))  # fmt: skip
    base = [t.fixed + t.price * (m.population or 0) for m in paying]
    shares = (
        [(p, _key(model, p.basis, paying, year)) for p in model.parts if p.kind == SHARE]
        if paying
        else []
    )
    fractions = [(p, p.share / 100, key) for p, key in shares]
    weights = [sum((f * key[i] for _, f, key in fractions), ZERO) for i in range(len(paying))]
    low = Decimal(t.floor) if t.floor is not None else None
    high = Decimal(t.cap) if t.cap is not None else None
    notes: list[Text] = []
    split = None
    if model.splits_budget and paying:
        left = t.budget - sum(base)
        if left < 0:
            raise ComputeError(Text(
                gettext_noop("De faste delene gir {fixed} kr i {year}, mer enn budsjettet på {budget} kr."),
                fixed=Grouped(round_half_up(sum(base))), year=year, budget=Grouped(t.budget)))  # fmt: skip
        split, reached = _solve(base, weights, low, high, Decimal(t.budget))
        if reached < t.budget:
            notes.append(Text(gettext_noop("Taket hindrer full dekning: {missing} kr av budsjettet blir ikke fordelt."),
                              missing=Grouped(round_half_up(t.budget - reached))))  # fmt: skip
        elif reached > t.budget:
            notes.append(Text(gettext_noop("Gulvet gir mer enn budsjettet: {extra} kr over."),
                              extra=Grouped(round_half_up(reached - t.budget))))  # fmt: skip
    exacts = []
    rows = []
    fixed_line = Line(FIXED, t.fixed) if t.fixed else None  # the same for every member
    for i, m in enumerate(paying):
        computed = base[i] + (split or 0) * weights[i]
        value, limit = _clamp(computed, low, high)
        lines = [fixed_line] if fixed_line is not None and show else []
        if t.price and show:
            lines.append(
                Line(PER_INHABITANT, t.price * m.population, Decimal(m.population), t.price)
            )
        for part, fraction, key in fractions if show else ():
            amount = round_ore(fraction * key[i] * split)
            lines.append(Line(SHARE, amount, key[i], split, part.basis, part.share))
        exacts.append(value)
        rows.append((m, tuple(lines), computed, value, limit))
    if model.splits_budget and paying:
        whole = sum(exacts)
        target = min(max(round_half_up(whole), floor(whole)), floor(whole) + len(exacts))
        kroner = largest_remainder(exacts, target)
    else:
        kroner = [round_half_up(v) for v in exacts]
    by_number = {m.number: (row, k) for row, k in zip(rows, kroner, strict=True) for m in [row[0]]}
    payments = []
    for m in members:
        exemption = exempt.get(m.number)
        if exemption is not None:
            payments.append(
                Payment(m.number, m.name, m.population, (), ZERO, ZERO, 0, None, exemption)
            )
            continue
        (_, lines, computed, value, limit), k = by_number[m.number]
        payments.append(Payment(m.number, m.name, m.population, lines, computed, value, k, limit))
    if t.unindexed_years and (model.indexation.deflators or model.indexation.default is not None):
        notes.append(Text(gettext_noop("Ingen deflator oppgitt for {years}: beløpene er ikke justert for de årene."),
                          years=", ".join(map(str, t.unindexed_years))))  # fmt: skip
    return Result(model, year, t, tuple(payments), split, tuple(notes))


def _clamp(value: Decimal, low: Decimal | None, high: Decimal | None) -> tuple[Decimal, str | None]:
    if high is not None and value > high:
        return high, CAP
    if low is not None and value < low:
        return low, FLOOR
    return value, None


def _solve(base: list[Decimal], weights: list[Decimal], low: Decimal | None,
           high: Decimal | None, budget: Decimal) -> tuple[Decimal, Decimal]:  # fmt: skip
    """The smallest λ ≥ 0 with Σ clamp(base + λ·w) = budget, and the total it reaches (less than
    the budget when every member that could pay more is capped; more when the floors alone
    exceed it). Exact: the total is piecewise linear in λ, so walk its breakpoints."""

    pairs = list(zip(base, weights, strict=True))

    def total(lam: Decimal) -> Decimal:
        # Σ _clamp(b + λ·w) in member order, the clamp written out: this runs for every member
        # at every step of the search
        reached = ZERO
        for b, w in pairs:
            value = b + lam * w
            if high is not None and value > high:
                value = high
            elif low is not None and value < low:
                value = low
            reached += value
        return reached

    totals: dict[int, Decimal] = {}

    def at(index: int) -> Decimal:
        """The total at the ``index``-th breakpoint, each computed once."""
        if index not in totals:
            totals[index] = total(ordered[index])
        return totals[index]

    points = {ZERO}
    for b, w in zip(base, weights, strict=True):
        if w > 0:
            for limit in (low, high):
                if limit is not None and limit > b:
                    points.add((limit - b) / w)
    ordered = sorted(points)
    reached = at(0)
    if reached >= budget:
        return ordered[0], reached
    # the first breakpoint where the total reaches the budget: bisection (the total never falls)
    lo, hi = 0, len(ordered)  # total(ordered[lo]) < budget; hi: first index known to reach it
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if at(mid) >= budget:
            hi = mid
        else:
            lo = mid
    previous, reached = ordered[lo], at(lo)
    if hi < len(ordered):
        point, value = ordered[hi], at(hi)
        return previous + (budget - reached) * (point - previous) / (value - reached), budget
    slope = sum((w for b, w in zip(base, weights, strict=True)
                 if w > 0 and (high is None or b + previous * w < high)), ZERO)  # fmt: skip
    if slope == 0:
        return previous, reached
    return previous + (budget - reached) / slope, budget
