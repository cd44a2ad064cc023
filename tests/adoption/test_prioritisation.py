"""Prioritisation of KS's portfolio: weights and scores from a file (all or nothing, every
problem with its place), the computed ranking beside the approved one (hand-derived), the joint
measures left unranked on purpose, and the portfolio document showing the comparison."""

from __future__ import annotations

import io
import json
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from samarbeid.adoption import prioritisation
from samarbeid.adoption.loader import load_examples as load_adoption
from samarbeid.adoption.models import Criterion, Score, SolutionPortfolio
from samarbeid.portfolio.loader import load_examples as load_bodies

pytestmark = pytest.mark.django_db


@pytest.fixture
def ks():
    load_bodies(lambda *_: None)
    load_adoption(lambda *_: None)
    return SolutionPortfolio.objects.get(level="nasjonal", year=2023)


def _short(ks, position: int) -> str:
    return ks.criteria.order_by("position", "id")[position].short


def _file(tmp_path, data) -> str:
    path = tmp_path / "poeng.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return str(path)


def test_without_scores_the_order_is_the_approved_one(ks) -> None:
    data = prioritisation.ranking(ks)
    assert data["har_poeng"] is False and len(data["kriterier"]) == 8
    assert [r["vedtatt_rang"] for r in data["rangert"]] == [1, 2, 3, 4, 5, 6, 7]
    assert all(r["beregnet_rang"] is None for r in data["rangert"])
    assert len(data["ikke_rangert"]) == 10  # the joint measures, unranked on purpose


def test_scores_give_a_ranking_beside_the_approved_one(ks, tmp_path) -> None:
    first, second = _short(ks, 0), _short(ks, 1)
    others = [c.short for c in ks.criteria.all()][2:]
    scores = []
    # Item 7 (DigiHelse): 5 and 5; item 2 (Kjernejournal): 4 and 2; the rest 1 — each 0 on the
    # other six criteria, whose weight is set to 0 so they do not count.
    for reference, (a, b) in {"7": (5, 5), "2": (4, 2)}.items():
        scores += [
            {"referanse": reference, "kriterium": first, "poeng": a, "begrunnelse": "x"},
            {"referanse": reference, "kriterium": second, "poeng": b},
        ]
    for reference in ("1", "3", "4", "5", "6"):
        scores += [
            {"referanse": reference, "kriterium": first, "poeng": 1},
            {"referanse": reference, "kriterium": second, "poeng": 1},
        ]
    weights = {first: 3, second: "1,5", **dict.fromkeys(others, 0)}
    out = io.StringIO()
    err = io.StringIO()
    call_command(
        "prioritisation",
        aar=2023,
        poeng=_file(tmp_path, {"kilde": "Prioriteringsmøte", "vekter": weights, "poeng": scores}),
        format="json",
        stdout=out,
        stderr=err,
    )
    assert "Lagret 8 vekter og 14 poeng" in err.getvalue()
    data = json.loads(out.getvalue())
    # DigiHelse (3×5 + 1.5×5) / 4.5 = 5.00; Kjernejournal (3×4 + 1.5×2) / 4.5 = 3.33; the rest
    # 1.00 each, in the approved order.
    top = [
        (r["referanse"], r["vektet_sum"], r["beregnet_rang"], r["forskjell"])
        for r in data["rangert"]
    ]
    assert top[:3] == [("7", "5.00", 1, 6), ("2", "3.33", 2, 0), ("1", "1.00", 3, -2)]
    assert Criterion.objects.get(portfolio=ks, short=second).weight == Decimal("1.5")
    assert Score.objects.filter(item__portfolio=ks).count() == 14
    md = io.StringIO()
    call_command("solution_portfolio", aar=2023, stdout=md)
    assert "## Beregnet rangering mot den vedtatte" in md.getvalue()


def test_a_bad_scores_file_names_every_problem_and_writes_nothing(ks, tmp_path) -> None:
    first = _short(ks, 0)
    bad = {
        "vekter": {first: -1, "Ukjent": 2},
        "poeng": [
            {"referanse": "99", "kriterium": first, "poeng": 3},
            {"referanse": "2", "kriterium": first, "poeng": 6},
            {"referanse": "2", "kriterium": "Ukjent", "poeng": 2},
            {"referanse": "3.2b", "kriterium": first, "poeng": 1},
            {"referanse": "3.2b", "kriterium": first, "poeng": 2},
            "tekst",
        ],
        "ekstra": True,
    }
    err = io.StringIO()
    with pytest.raises(CommandError, match=r"9 feil i poeng\.json\. Ingenting ble lagret\."):
        call_command("prioritisation", aar=2023, poeng=_file(tmp_path, bad), stderr=err)
    names = ", ".join(c.short for c in ks.criteria.all())
    assert err.getvalue().splitlines() == [
        "poeng.json, ekstra: ukjent nøkkel (forventet kilde, vekter, poeng)",
        "poeng.json, kilde: påkrevd: hvor poengene kommer fra (tekst)",
        f"poeng.json, vekter.{first}: «-1» er ikke en vekt fra 0 til 100",
        f"poeng.json, vekter.Ukjent: ukjent kriterium; finnes: {names}",
        "poeng.json, poeng[0].referanse: ukjent tiltak «99»",
        "poeng.json, poeng[1].poeng: «6» er ikke et heltall fra 0 til 5",
        f"poeng.json, poeng[2].kriterium: ukjent kriterium «Ukjent»; finnes: {names}",
        "poeng.json, poeng[4]: samme tiltak og kriterium står to ganger",
        "poeng.json, poeng[5]: forventet et objekt",
    ]
    assert Score.objects.count() == 0
    assert set(Criterion.objects.values_list("weight", flat=True)) == {Decimal(1)}
    path = tmp_path / "x.json"
    path.write_text('{"poeng": [1, 2,]}')
    err = io.StringIO()
    with pytest.raises(CommandError, match=r"1 feil i x\.json"):
        call_command("prioritisation", aar=2023, poeng=str(path), stderr=err)
    assert err.getvalue().startswith("x.json, filen: ikke gyldig JSON: ")
    with pytest.raises(CommandError, match="Fant ingen portefølje for 2031"):
        call_command("prioritisation", aar=2031)
