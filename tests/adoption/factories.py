"""Small adoption data for unit tests: a national portfolio with solutions and items, and
status records (the full KS example is loaded only where a test is about it)."""

from __future__ import annotations

import datetime as dt

from samarbeid.adoption.models import (
    AdoptionRecord,
    Area,
    Item,
    ReportedCount,
    Solution,
    SolutionPortfolio,
)
from samarbeid.registry.models import Municipality

SOURCE = "Testdata"


def municipality(name: str, number: str | None = None) -> Municipality:
    """The entity named ``name`` (the latest one; with ``number``: the one that had it)."""
    found = Municipality.objects.filter(name=name)
    if number:
        found = found.filter(periods__number=number)
    return found.order_by("-key").first()


def national(year: int = 2023, solutions: tuple[str, ...] = ("Kjernejournal", "DigiHelse")):
    """A national portfolio with one ranked item per solution (ambition 356, population all)."""
    portfolio = SolutionPortfolio.objects.create(
        year=year, level="nasjonal", title=f"Portefølje {year}", source=SOURCE
    )
    area = Area.objects.create(portfolio=portfolio, name="Innbyggertjenester", source=SOURCE)
    made = []
    for rank, name in enumerate(solutions, 1):
        solution = Solution.objects.get_or_create(name=name, defaults={"source": SOURCE})[0]
        Item.objects.create(
            portfolio=portfolio,
            reference=str(rank),
            rank=rank,
            kind="innforing",
            title=f"Innføring av {name}",
            area=area,
            solution=solution,
            ambition=356,
            detail_section=f"2.{rank}",
            position=rank,
            source=SOURCE,
        )
        made.append(solution)
    return portfolio, made


def reported(solution: Solution, count: int, as_of=dt.date(2023, 4, 30), level="i_bruk"):
    return ReportedCount.objects.create(
        solution=solution, count=count, level=level, as_of=as_of, reported_by="KS", source=SOURCE
    )


def record(solution, municipality, status, date, source=SOURCE) -> AdoptionRecord:
    return AdoptionRecord.objects.create(
        solution=solution, municipality=municipality, status=status, date=date, source=source
    )


def user(username: str, **extra):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.create_user(username, password="x", **extra)


def editor(username: str = "redaktor", names: tuple[str, ...] = ("Skien", "Porsgrunn")):
    """A municipality editor for the municipalities ``names`` (the status reporter of the tests)."""
    from samarbeid.registry import permissions
    from samarbeid.registry.models import RoleAssignment

    made = user(username)
    for name in names:
        permissions.grant(
            made, RoleAssignment.Role.MUNICIPALITY_EDITOR, municipality=municipality(name)
        )
    return made


def solutions(names: tuple[str, ...] = ("Kjernejournal", "DigiHelse")) -> list[Solution]:
    return [Solution.objects.get_or_create(name=n, defaults={"source": SOURCE})[0] for n in names]
