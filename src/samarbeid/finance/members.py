"""The members of a model's body or arrangement on a date, with the population of a budget year.

Members are those on 1 January of the budget year: a body's members that joined before or on
that day and had not left; an arrangement's municipalities (with their ownership share). A model
with ``assumed_members`` uses that list instead and says so (:attr:`Roster.assumed`).

Population for budget year *Y* is SSB's figure per 31 December *Y−1* — the shipped figure for
1 January *Y* (:data:`samarbeid.finance.spec.POPULATION_RULE`). Beyond the last shipped year the
last figure is carried, grown by a stated percentage a year when one is given.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from samarbeid.core.i18n import Text, gettext_noop
from samarbeid.reference.gazetteer import Gazetteer, load_gazetteer

from .compare import extend_population
from .compute import ComputeError, Member
from .models import FeeModel

#: How every output names the population date.
POPULATION_NOTE = gettext_noop("Folketall per {day} (SSB, tabell 07459)")


@dataclass(frozen=True)
class Roster:
    """Who pays in a year: the members, whether the list is assumed, and what was estimated."""

    year: int
    members: tuple[Member, ...]
    assumed: bool
    assumption: str
    estimated_population: bool  # a year beyond the shipped figures


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    return load_gazetteer()


def last_population_year() -> int:
    return gazetteer().population_years()[-1]


def _numbers(model: FeeModel, day: dt.date) -> list[tuple[str, str, Decimal | None]]:
    """(kommunenummer, name, ownership share) of the members on ``day``."""
    g = gazetteer()
    if model.assumed_members:
        out = []
        for number in model.assumed_members:
            period = g.by_number(str(number), day)
            out.append((str(number), period.name if period else str(number), None))
        return out
    if model.body_id is not None:
        rows = model.body.members.filter(municipality__isnull=False).select_related("municipality")
        out = []
        for row in rows:
            if (row.joined and row.joined > day) or (row.left and row.left <= day):
                continue
            period = (
                row.municipality.periods.filter(_valid_on(day)).first()
                or row.municipality.periods.order_by("-valid_from").first()
            )
            if period is not None:
                out.append((period.number, period.name, None))
        return out
    if model.arrangement_id is not None:
        rows = model.arrangement.memberships.filter(municipality__isnull=False).select_related(
            "municipality"
        )
        return [(m.municipality.number, m.municipality.name, m.ownership_share) for m in rows]
    return []


def _valid_on(day: dt.date):
    from django.db.models import Q

    return (Q(valid_from__isnull=True) | Q(valid_from__lte=day)) & (
        Q(valid_to__isnull=True) | Q(valid_to__gte=day)
    )


def roster(model: FeeModel, year: int, growth: Decimal | None = None) -> Roster:
    """The members of ``model`` in budget ``year`` with their population."""
    return rosters(model, range(year, year + 1), growth)[year]


def rosters(model: FeeModel, years: range, growth: Decimal | None = None) -> dict[int, Roster]:
    """The members of ``model`` for each budget year in ``years``."""
    g = gazetteer()
    last = last_population_year()
    out: dict[int, Roster] = {}
    for year in years:
        day = dt.date(year, 1, 1)
        numbers = _numbers(model, day)
        if not numbers:
            raise ComputeError(Text(gettext_noop("«{model}» har ingen medlemmer per 1. januar {year}."),
                                    model=model.name, year=year))  # fmt: skip
        members = []
        for number, name, share in numbers:
            known = {
                y: p for y in range(2000, last + 1) if (p := g.population(number, y)) is not None
            }
            population = extend_population(known, range(year, year + 1), growth).get(year)
            members.append(Member(number, name, population, share))
        out[year] = Roster(year, tuple(sorted(members, key=lambda m: m.number)),
                           bool(model.assumed_members), model.assumption, year > last)  # fmt: skip
    return out
