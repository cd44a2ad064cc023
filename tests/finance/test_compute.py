"""Payments worked out by hand: fixed part + price per inhabitant with a cap and an exemption, a
30/70 split with a cap that moves money to the others, a floor, the largest-remainder rounding,
indexation of the amounts but not the cap, ownership and usage keys, and the refusals. Pure: no
database."""

from __future__ import annotations

from decimal import Decimal

import pytest

from samarbeid.finance.compare import compare, fairness, project
from samarbeid.finance.compute import CAP, FLOOR, ComputeError, Member, compute, terms
from samarbeid.finance.spec import parse

A, B, C, H = (Member("0001", "A", 1000), Member("0002", "B", 30000), Member("0003", "C", 10000),
              Member("0004", "Vert", 285000))  # fmt: skip


def _model(**fields):
    base = {"navn": "Test", "prisaar": 2024, "deler": [{"type": "fast", "belop": 100000},
            {"type": "per_innbygger", "belop": 20}], "tak": 500000}  # fmt: skip
    base.update(fields)
    return parse(base)


def _paid(result) -> dict[str, int]:
    return {p.name: p.kroner for p in result.payments}


def test_fixed_plus_per_inhabitant_with_cap_and_exemption():
    model = _model(
        fritak=[{"kommunenummer": "0004", "egenbidrag": "Kontor og ledelse", "verdi": 400000}]
    )
    result = compute(model, [A, B, C, H], 2024)
    # A: 100 000 + 20 × 1 000 = 120 000; B: 100 000 + 20 × 30 000 = 700 000 → cap 500 000;
    # C: 100 000 + 200 000 = 300 000; the host pays nothing.
    assert _paid(result) == {"A": 120000, "B": 500000, "C": 300000, "Vert": 0}
    b = result.payment("0002")
    assert b.limit == CAP and b.computed == 700000
    assert [(line.kind, line.amount) for line in b.lines] == [
        ("fast", 100000),
        ("per_innbygger", 600000),
    ]
    host = result.payment("0004")
    assert host.exemption.in_kind == "Kontor og ledelse" and host.lines == ()
    assert result.total == 920000 and result.in_kind == 400000
    assert result.recovery is None  # no budget given
    assert [p.per_inhabitant for p in result.payments] == [Decimal("120.00"), Decimal("16.67"),
                                                            Decimal("30.00"), None]  # fmt: skip


def test_fairness_figures_by_hand():
    result = compute(_model(fritak=[{"kommunenummer": "0004"}]), [A, B, C, H], 2024)
    f = fairness(result)
    # per inhabitant: A 120, B 500 000 / 30 000 = 16 2/3, C 30 (the host is left out)
    assert f.members == 3
    assert f.ratio == Decimal("7.2000")  # 120 / 16 2/3
    # mean 55 5/9; deviations 64 4/9, −38 8/9, −25 5/9; variance (4153.09 + 1512.35 + 653.09) / 3
    # = 2106.17; sd 45.893; CV = 45.893 / 55.556 = 0.8261
    assert f.cv == Decimal("0.8261")
    # Gini: Σ|xi − xj| over ordered pairs = 2 × (13 1/3 + 103 1/3 + 90) = 413 1/3;
    # / (2 · 3² · 55 5/9 = 1 000) = 0.4133
    assert f.gini == Decimal("0.4133")
    assert f.lowest == ("0002", Decimal("16.67")) and f.highest == ("0001", Decimal("120.00"))


def test_equal_shares_are_perfectly_fair():
    model = parse(
        {
            "navn": "Likt",
            "prisaar": 2024,
            "budsjett": 900,
            "deler": [{"type": "andel", "andel": 100, "fordeling": "innbyggere"}],
        }
    )
    members = [Member("0001", "A", 100), Member("0002", "B", 200), Member("0003", "C", 600)]
    f = fairness(compute(model, members, 2024))
    assert (f.ratio, f.cv, f.gini) == (Decimal("1.0000"), Decimal("0.0000"), Decimal("0.0000"))


SPLIT = {"navn": "30/70", "prisaar": 2024, "budsjett": 1000000,
         "deler": [{"type": "andel", "andel": 30, "fordeling": "likt"},
                   {"type": "andel", "andel": 70, "fordeling": "innbyggere"}]}  # fmt: skip
THREE = [Member("0001", "A", 1000), Member("0002", "B", 3000), Member("0003", "C", 6000)]


def test_a_30_70_split():
    result = compute(parse(SPLIT), THREE, 2024)
    # 300 000 equally: 100 000 each; 700 000 by population 1:3:6 → 70 000, 210 000, 420 000
    assert _paid(result) == {"A": 170000, "B": 310000, "C": 520000}
    assert result.total == result.terms.budget == 1000000 and result.recovery == 0
    a = result.payment("0001")
    assert [(line.basis, line.amount) for line in a.lines] == [
        ("likt", 100000),
        ("innbyggere", 70000),
    ]


def test_a_cap_in_a_split_moves_the_rest_to_the_others_through_the_same_keys():
    result = compute(parse({**SPLIT, "tak": 450000}), THREE, 2024)
    # C is capped at 450 000; 550 000 is left for A and B with weights
    # A: 0.3/3 + 0.7 · 0.1 = 0.17, B: 0.1 + 0.7 · 0.3 = 0.31 → λ = 550 000 / 0.48
    # A = 0.17 λ = 194 791.67, B = 0.31 λ = 355 208.33; rounded down 194 791 + 355 208 + 450 000
    # = 999 999: the one krone left goes to the largest remainder (A, .67).
    assert _paid(result) == {"A": 194792, "B": 355208, "C": 450000}
    assert result.total == 1000000
    assert result.payment("0003").limit == CAP


def test_a_floor_in_a_split():
    model = parse({"navn": "Gulv", "prisaar": 2024, "budsjett": 100000, "gulv": 5000,
                   "deler": [{"type": "andel", "andel": 100, "fordeling": "innbyggere"}]})  # fmt: skip
    result = compute(model, [Member("0001", "Liten", 100), Member("0002", "Stor", 9900)], 2024)
    # by population 1 000 and 99 000; the floor lifts the small one to 5 000, the big one pays the rest
    assert _paid(result) == {"Liten": 5000, "Stor": 95000}
    assert result.payment("0001").limit == FLOOR


def test_largest_remainder_ties_go_to_the_lowest_number():
    model = parse(
        {
            "navn": "Tre",
            "prisaar": 2024,
            "budsjett": 100,
            "deler": [{"type": "andel", "andel": 100, "fordeling": "likt"}],
        }
    )
    result = compute(model, THREE, 2024)
    assert [p.kroner for p in result.payments] == [34, 33, 33]


def test_a_cap_that_cannot_cover_the_budget_says_so():
    result = compute(parse({**SPLIT, "tak": 300000}), THREE, 2024)
    assert _paid(result) == {"A": 300000, "B": 300000, "C": 300000}
    assert result.recovery == -100000
    assert "100 000 kr av budsjettet blir ikke fordelt" in str(result.notes[0]).replace(
        "\u00a0", " "
    )


def test_indexed_amounts_with_an_unindexed_cap():
    model = _model(indeksering={"standard": "3", "belop": True, "tak": False})
    t = terms(model, 2026)
    # 1.03² = 1.0609: fixed 106 090, price 20 × 1.0609 = 21.218 → 21.22, the cap stays
    assert (t.fixed, t.price, t.cap) == (Decimal(106090), Decimal("21.22"), 500000)
    member = Member("0001", "Mellom", 19000)
    assert compute(model, [member], 2024).payments[0].limit is None  # 480 000
    assert compute(model, [member], 2026).payments[0].kroner == 500000  # 509 270 → cap
    indexed = _model(indeksering={"standard": "3", "belop": True, "tak": True})
    assert terms(indexed, 2026).cap == 530450
    assert compute(indexed, [member], 2026).payments[0].kroner == 106090 + 403180  # 21.22 × 19 000
    # years up to the price year use the amounts as stated
    assert terms(model, 2023).fixed == 100000


def test_the_projection_shows_the_year_a_member_reaches_the_cap():
    model = _model(indeksering={"standard": "3"})
    member = Member("0001", "Mellom", 18000)  # 460 000 in 2024
    projection = project(model, {y: [member] for y in range(2024, 2030)})
    # 2026: 106 090 + 21.22 × 18 000 = 488 050; 2027: 109 273 + 21.85 × 18 000 = 502 573 → cap
    assert projection.first_capped == {"0001": 2027}
    assert [projection.capped_in(y) for y in range(2024, 2030)] == [0, 0, 0, 1, 1, 1]


def test_ownership_and_usage_keys():
    model = parse({"navn": "Eierandel", "prisaar": 2024, "budsjett": 1000,
                   "deler": [{"type": "andel", "andel": 100, "fordeling": "eierandel"}]})  # fmt: skip
    owners = [
        Member("0001", "A", 10, Decimal(50)),
        Member("0002", "B", 10, Decimal(30)),
        Member("0003", "C", 10, Decimal(20)),
    ]
    assert _paid(compute(model, owners, 2024)) == {"A": 500, "B": 300, "C": 200}
    with pytest.raises(ComputeError, match="Eierandel mangler for B"):
        compute(model, [owners[0], Member("0002", "B", 10)], 2024)
    usage = parse({"navn": "Bruk", "prisaar": 2024, "budsjett": 900, "bruk": {"2024": {"0001": 1, "0002": 2}},
                   "deler": [{"type": "andel", "andel": 100, "fordeling": "bruk"}]})  # fmt: skip
    assert _paid(compute(usage, owners[:2], 2024)) == {"A": 300, "B": 600}
    with pytest.raises(ComputeError, match="Bruk mangler for 2025"):
        compute(usage, owners[:2], 2025)


def test_refusals():
    with pytest.raises(ComputeError, match="Folketall mangler for A"):
        compute(_model(), [Member("0001", "A", None)], 2024)
    fixed_over = parse({**SPLIT, "deler": [{"type": "fast", "belop": 400000}, *SPLIT["deler"]]})
    with pytest.raises(ComputeError, match="mer enn budsjettet"):
        compute(fixed_over, THREE, 2024)
    with pytest.raises(ComputeError, match="Ingen medlemmer"):
        compute(_model(), [], 2024)


def test_compare_against_the_baseline_and_last_year():
    models = [_model(), parse({**SPLIT, "budsjett": 920000})]
    last = [Member("0001", "A", 900), Member("0002", "B", 30000), Member("0003", "C", 10000)]
    comparison = compare(models, [A, B, C], 2024, last)
    a = comparison.cells["0001"]
    assert a[0].kroner == 120000 and a[0].from_baseline == 0 and a[0].from_last_year == 2000
    assert a[1].from_baseline == a[1].kroner - 120000
    assert [s.capped for s in comparison.summaries] == [1, 0]
    assert comparison.summaries[1].total == 920000
