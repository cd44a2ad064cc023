"""The Django side: members on 1 January of the budget year from a body or an arrangement, the
population of the year before, saving a model (access, one message per field, a reason, a new
version, optimistic locking) and what a calculation must say."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from samarbeid.finance.members import last_population_year, roster
from samarbeid.finance.models import FeeModel, FeeModelVersion
from samarbeid.finance.services import (
    ComputeError,
    EditForbidden,
    EditRejected,
    ModelConflict,
    calculate,
    save_model,
)
from samarbeid.portfolio.models import BodyMember
from samarbeid.reference.gazetteer import load_gazetteer
from tests.portfolio import factories as pf

from . import factories as f

pytestmark = pytest.mark.django_db


def test_a_bodys_members_on_the_first_of_january_with_last_years_population():
    body = pf.body("Grenlandsrådet", ("Skien", "Porsgrunn", "Bamble"))
    BodyMember.objects.filter(body=body, municipality__name="Bamble").update(
        joined=dt.date(2024, 3, 1)
    )
    model = f.fee_model(slug="grenland", body=body)
    g = load_gazetteer()
    early = roster(model, 2024)
    assert [m.name for m in early.members] == ["Porsgrunn", "Skien"]  # Bamble joined in March
    assert early.members[1].population == g.population("4003", 2024)  # per 31.12.2023
    assert not early.assumed
    assert [m.name for m in roster(model, 2025).members] == ["Porsgrunn", "Skien", "Bamble"]
    BodyMember.objects.filter(body=body, municipality__name="Skien").update(
        left=dt.date(2025, 1, 1)
    )
    assert [m.name for m in roster(model, 2025).members] == ["Porsgrunn", "Bamble"]


def test_assumed_members_and_estimated_population_are_said():
    model = f.fee_model()
    last = last_population_year()
    calc = calculate([model], last, last + 3, growth=Decimal("1.5"))
    notes = [str(n) for n in calc.notes]
    assert notes[0] == "Medlemslisten er antatt: Testmedlemmer"
    assert f"Folketallet for {last + 1}–{last + 3} er anslått" in notes[1]
    assert "1,5 % vekst" in notes[1]  # a decimal comma in bokmål, a point in English
    assert "1.5" in calc.notes[1].text("en")
    skien = [r.payment("4003") for r in calc.projections[0].results]
    assert all(p.exemption is not None for p in skien)
    porsgrunn = {r.year: r.payment("4001") for r in calc.projections[0].results}
    assert porsgrunn[last + 1].population == round(porsgrunn[last].population * Decimal("1.015"))


def test_calculation_refuses_what_it_cannot_do():
    model = f.fee_model()
    with pytest.raises(ComputeError, match="mellom 2024 og 2054"):
        calculate([model], 2024, 2100)
    with pytest.raises(ComputeError, match="Velg minst én modell"):
        calculate([], 2024)
    empty = f.fee_model(slug="tom", numbers=())
    with pytest.raises(ComputeError, match=r"ingen medlemmer per 1\. januar 2024"):
        calculate([empty], 2024)


def test_saving_creates_versions_and_refuses_per_field_without_saving():
    body = pf.body()
    secretary = pf.secretariat(body)
    stranger = pf.user("fremmed")
    model = save_model(
        secretary, dict(f.SPLIT_30_70), "Styringsgruppen 12.3.2024", slug="delt", body=body
    )
    assert (model.version, model.versions.count()) == (1, 1)
    assert model.versions.get().author == secretary

    changed = {**f.SPLIT_30_70, "budsjett": 1200000}
    save_model(secretary, changed, "Nytt budsjett", model=model, expected_version=1)
    model.refresh_from_db()
    assert model.version == 2 and model.spec["budsjett"] == 1200000
    assert list(model.versions.values_list("number", "reason")) == [
        (2, "Nytt budsjett"),
        (1, "Styringsgruppen 12.3.2024"),
    ]

    before = (FeeModel.objects.count(), FeeModelVersion.objects.count())
    with pytest.raises(EditRejected) as caught:
        save_model(secretary, {**changed, "tak": "mye", "deler": [{"type": "andel", "andel": 50, "fordeling": "likt"}]},
                   "", model=model, expected_version=2)  # fmt: skip
    fields = {p.field for p in caught.value.problems}
    assert {"tak", "deler", "endringskilde"} <= fields, fields
    with pytest.raises(ModelConflict, match="etter at du åpnet den"):
        save_model(secretary, changed, "Gammel versjon", model=model, expected_version=1)
    with pytest.raises(EditForbidden):
        save_model(stranger, changed, "Forsøk", model=model, expected_version=2)
    with pytest.raises(EditForbidden, match="logge inn"):
        save_model(None, changed, "Forsøk", slug="anonym")
    with pytest.raises(EditRejected) as caught:
        save_model(secretary, dict(f.SPLIT_30_70), "Kopi", slug="delt", body=body)
    assert caught.value.problems[0].field == "slug"
    assert (FeeModel.objects.count(), FeeModelVersion.objects.count()) == before
    model.refresh_from_db()
    assert model.version == 2


def test_ownership_shares_come_from_the_arrangement(loaded_example):
    from samarbeid.registry.models import Arrangement, Membership

    arrangement = Arrangement.objects.filter(mapping=loaded_example).order_by("id").first()
    members = list(arrangement.memberships.filter(municipality__isnull=False).order_by("id"))
    for i, m in enumerate(members):
        Membership.objects.filter(pk=m.pk).update(ownership_share=Decimal(i + 1))
    spec = {"navn": "IKS", "prisaar": 2021, "budsjett": 1000000,
            "deler": [{"type": "andel", "andel": 100, "fordeling": "eierandel"}]}  # fmt: skip
    model = FeeModel.objects.create(slug="iks", name="IKS", spec=spec, arrangement=arrangement)
    result = calculate([model], 2021).comparison.results[0]
    total_share = sum(range(1, len(members) + 1))
    assert result.total == 1000000
    first = result.payment(members[0].municipality.number)
    assert abs(first.kroner - 1000000 / total_share) <= 1
