"""A model is data: every bad field gets its own message (what, where, what was expected), and
the arithmetic of money never goes through a float."""

from __future__ import annotations

from decimal import Decimal

import pytest

from samarbeid.finance.money import as_decimal, exact, largest_remainder, round_half_up
from samarbeid.finance.spec import SpecError, parse

GOOD = {"navn": "M", "prisaar": 2024, "deler": [{"type": "fast", "belop": 100000}]}


def _errors(**changes) -> dict[str, str]:
    with pytest.raises(SpecError) as caught:
        parse({**GOOD, **changes})
    return {k: str(v) for k, v in caught.value.errors.items()}


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"navn": " "}, "navn", "Mangler"),
        ({"prisaar": "tjuetjuefire"}, "prisaar", "ikke et årstall"),
        ({"prisaar": 1850}, "prisaar", "mellom 1990 og 2100"),
        ({"deler": []}, "deler", "minst én del"),
        ({"deler": [{"type": "prosent"}]}, "deler[1].type", "ingen deltype"),
        ({"deler": [{"type": "fast", "belop": "mye"}]}, "deler[1].belop", "«mye» er ikke et tall"),
        ({"deler": [{"type": "fast", "belop": -5}]}, "deler[1].belop", "større enn 0"),
        (
            {"deler": [{"type": "per_innbygger", "belop": "20,125"}]},
            "deler[1].belop",
            "to desimaler",
        ),
        (
            {"deler": [{"type": "andel", "andel": 30, "fordeling": "likt"}], "budsjett": 10},
            "deler",
            "100 prosent (nå 30)",
        ),
        (
            {"deler": [{"type": "andel", "andel": 100, "fordeling": "tilfeldig"}], "budsjett": 10},
            "deler[1].fordeling",
            "Ukjent fordeling",
        ),
        (
            {"deler": [{"type": "andel", "andel": 100, "fordeling": "likt"}]},
            "budsjett",
            "trenger budsjettet",
        ),
        ({"tak": 0}, "tak", "større enn 0"),
        ({"tak": "500000,50"}, "tak", "hele kroner"),
        ({"tak": 100, "gulv": 200}, "gulv", "høyere enn taket"),
        ({"fritak": [{"kommunenummer": "46"}]}, "fritak[1].kommunenummer", "fire sifre"),
        (
            {"fritak": [{"kommunenummer": "4601"}, {"kommunenummer": "4601"}]},
            "fritak[2].kommunenummer",
            "to ganger",
        ),
        ({"indeksering": {"standard": "200"}}, "indeksering.standard", "mellom -50 og 100"),
        ({"indeksering": {"tak": "ja"}}, "indeksering.tak", "true eller false"),
        (
            {"indeksering": {"deflator": {"neste år": 3}}},
            "indeksering.deflator.neste år",
            "ikke et årstall",
        ),
        ({"bruk": {"2024": {"4601": "x"}}}, "bruk.2024.4601", "ikke et tall"),
        ({"formel": "=1+1"}, "formel", "Ukjent felt"),
        ({"deler": [{"type": "fast", "belop": True}]}, "deler[1].belop", "ikke et tall"),
        ({"budsjett": 10**12}, "budsjett", "For stort"),
    ],
)
def test_each_bad_field_gets_its_own_message(changes, field, words):
    errors = _errors(**changes)
    assert field in errors, errors
    assert words in errors[field]


def test_all_problems_at_once():
    errors = _errors(navn="", prisaar=None, tak=-1, deler=[{"type": "x"}])
    assert {"navn", "prisaar", "tak", "deler[1].type"} <= set(errors)


def test_not_an_object():
    with pytest.raises(SpecError) as caught:
        parse(["navn"])
    assert "modell" in caught.value.errors


def test_numbers_are_read_as_written():
    model = parse({**GOOD, "deler": [{"type": "per_innbygger", "belop": "20,50"}, {"type": "fast", "belop": 1e5}],
                   "tak": "500 000"})  # fmt: skip
    assert model.parts[0].amount == Decimal("20.50") and model.parts[1].amount == 100000
    assert model.cap == 500000


def test_money_helpers():
    with pytest.raises(TypeError):
        exact(0.1)
    assert round_half_up(Decimal("2.5")) == 3 and round_half_up(Decimal("-2.5")) == -3
    assert round_half_up(Decimal("2.4999")) == 2
    assert largest_remainder([Decimal("1.5"), Decimal("1.5"), Decimal("1")], 4) == [2, 1, 1]
    assert largest_remainder([Decimal("0.2"), Decimal("0.9")], 1) == [0, 1]
    with pytest.raises(ValueError):
        largest_remainder([Decimal(1)], 3)
    assert as_decimal(Decimal(1) / 3, 2) == Decimal("0.33")
