"""DigiVestland's base funding (kunnskapsgrunnlaget 2024, section 5.6) as ``load-example`` loads
it: every member's payment by the document's formula, Bergen exempt with its in-kind
contribution, the 2023 total beside the document's «10,1 mill.» with the difference explained,
the two alternatives on the same budget, and the cap that more members reach when the amounts are
indexed and the cap is not."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

import pytest

from samarbeid.finance import loader
from samarbeid.finance.document import calculation_data
from samarbeid.finance.models import FeeModel
from samarbeid.finance.services import calculate
from samarbeid.portfolio.loader import load_examples as load_bodies
from samarbeid.reference.gazetteer import load_gazetteer

pytestmark = pytest.mark.django_db
SLUGS = ["digivestland-grunnfinansiering", "digivestland-folketall", "digivestland-30-70"]


@pytest.fixture
def models():
    load_bodies(lambda *_: None)
    messages: list[str] = []
    loader.load_examples(messages.append)
    assert "43 kommuner, antatt medlemsliste" in messages[0]
    again: list[str] = []
    loader.load_examples(again.append)
    assert "ingenting endret" in again[0]
    return [FeeModel.objects.get(slug=s) for s in SLUGS]


def _vestland(year: int) -> dict[str, int]:
    g = load_gazetteer()
    return {p.number: g.population(p.number, year) for p in g.valid_at(dt.date(year, 1, 1))
            if p.number.startswith("46")}  # fmt: skip


def test_every_payment_follows_the_formula_and_bergen_pays_nothing(models):
    data = calculation_data(calculate(models[:1], 2024))
    population = _vestland(2024)
    assert len(data["medlemmer"]) == len(population) == 43
    assert data["medlemsliste_antatt"] is True
    assert data["merknader"][0].startswith(
        "Medlemslisten er antatt: Kunnskapsgrunnlaget sier at 40 av Vestlands 43"
    )
    for row in data["medlemmer"]:
        pop = population[row["kommunenummer"]]
        assert row["innbyggere"] == pop
        if row["kommunenummer"] == "4601":
            assert (row["betaling"], row["fritatt"], row["per_innbygger"]) == (0, True, None)
            assert row["egenbidrag"].startswith("Vertskommune: kontorfasiliteter")
            continue
        assert row["betaling"] == min(100000 + 20 * pop, 500000), row
        assert row["tak_brukt"] == (100000 + 20 * pop > 500000)
    assert data["modeller"][0]["sum"] == sum(
        min(100000 + 20 * p, 500000) for n, p in population.items() if n != "4601"
    )


def test_the_2023_total_beside_the_documents_figure(models):
    data = calculation_data(calculate(models[:1], 2023))
    population = _vestland(2023)
    computed = sum(min(100000 + 20 * p, 500000) for n, p in population.items() if n != "4601")
    payers = sorted(min(100000 + 20 * p, 500000) for n, p in population.items() if n != "4601")
    [reported] = data["modeller"][0]["oppgitt"]
    assert (reported["belop"], reported["beregnet"], reported["differanse"]) == (
        10100000,
        computed,
        computed - 10100000,
    )
    # 43 listed, 40 stated: three more payers than the document's
    assert (reported["utenfor"], reported["lavest"], reported["hoyest"]) == (
        3,
        sum(payers[:-3]),
        sum(payers[3:]),
    )
    assert reported["lavest"] < reported["belop"] < computed
    assert "kilden oppgir 40 medlemmer" in reported["forklaring"]


def test_the_alternatives_on_the_same_budget_and_their_fairness(models):
    data = calculation_data(calculate(models, 2024))
    base, population_share, split = data["modeller"]
    assert population_share["sum"] == split["sum"] == 10100000
    assert population_share["dekning"] == split["dekning"] == 0
    assert base["dekning"] == base["sum"] - 10100000
    gini = [float(m["rettferdighet"]["gini"]) for m in data["modeller"]]
    assert gini[1] < gini[2] < gini[0]  # population share is the most even, today's model the least
    assert population_share["rettferdighet"]["variasjonskoeffisient"] == "0.0000"
    row = next(r for r in data["medlemmer"] if r["kommune"] == "Modalen")
    assert row["modeller"][0]["endring_fra_basis"] == 0
    assert row["modeller"][1]["betaling"] < row["modeller"][0]["betaling"]


def test_indexed_amounts_and_an_unindexed_cap_catch_more_members(models):
    data = calculation_data(calculate(models[:1], 2024, 2034))
    [projection] = data["framskriving"]
    capped = [y["tak_brukt"] for y in projection["aar"]]
    assert capped == sorted(capped) and capped[-1] > capped[0]
    assert all(y["tak"] == 500000 for y in projection["aar"])
    assert projection["aar"][-1]["fast_belop"] == str(
        (100000 * Decimal("1.03") ** 10).quantize(Decimal(1), ROUND_HALF_UP)
    )
    later = [m for m in projection["forste_aar_med_tak"] if m["aar"] > 2024]
    assert later and all(
        projection["betaling"][m["kommunenummer"]][str(m["aar"])] == 500000 for m in later
    )
