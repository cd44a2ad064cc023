"""``samarbeid kostnadsmodell``: a model saved from a JSON file (new, then a new version), every
bad field named with nothing saved, a stale version refused, and the model shown back."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command

from samarbeid.commandbase import UserError
from samarbeid.finance.models import FeeModel, FeeModelVersion

from . import factories as f

pytestmark = pytest.mark.django_db


def _run(*args, **options) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("fee_model", *args, stdout=out, stderr=err, **options)
    return out.getvalue(), err.getvalue()


def _file(tmp_path, data, name="modell.json"):
    path = tmp_path / name
    path.write_text(json.dumps(data) if not isinstance(data, str) else data, encoding="utf-8")
    return str(path)


def test_new_model_then_a_new_version(tmp_path):
    out, _ = _run(
        _file(tmp_path, f.SPLIT_30_70), navn="delt", begrunnelse="Styringsgruppen 1.2.2024"
    )
    assert "(delt) er lagret som ny modell" in out
    changed = {**f.SPLIT_30_70, "budsjett": 1100000}
    out, _ = _run(_file(tmp_path, changed), navn="delt", begrunnelse="Nytt budsjett", versjon=1)
    assert "lagret som versjon 2" in out
    shown = json.loads(_run(vis="delt")[0])
    assert shown["modell"]["budsjett"] == 1100000
    assert [v["versjon"] for v in shown["versjoner"]] == [2, 1]
    assert shown["versjoner"][0]["av"].startswith("kommandolinjen")
    with pytest.raises(UserError, match="etter at du åpnet den"):
        _run(_file(tmp_path, changed), navn="delt", begrunnelse="Gammel", versjon=1)


@pytest.mark.parametrize(
    ("content", "words"),
    [
        ("", "er tom"),
        ("{", "ikke gyldig JSON"),
        ("[1]", "ett JSON-objekt"),
        ('{"navn": "x", "navn": "y"}', "ikke gyldig JSON"),
    ],
)
def test_files_that_cannot_be_read(tmp_path, content, words):
    with pytest.raises(UserError, match=words) as caught:
        _run(_file(tmp_path, content), begrunnelse="x")
    assert caught.value.returncode == 2
    assert FeeModel.objects.count() == 0


def test_every_bad_field_is_named_and_nothing_is_saved(tmp_path):
    bad = {
        **f.SPLIT_30_70,
        "tak": "=1+1",
        "deler": [{"type": "andel", "andel": 40, "fordeling": "likt"}],
    }
    err = io.StringIO()
    with pytest.raises(UserError, match="Ingenting ble lagret"):
        call_command("fee_model", _file(tmp_path, bad), stdout=io.StringIO(), stderr=err)
    lines = err.getvalue()
    assert (
        "modell.json, tak:" in lines
        and "modell.json, deler:" in lines
        and "modell.json, begrunnelse:" in lines
    )
    assert (FeeModel.objects.count(), FeeModelVersion.objects.count()) == (0, 0)


def test_unknown_model_and_missing_file(tmp_path):
    with pytest.raises(UserError, match="Fant ingen kostnadsmodell «finnes-ikke»"):
        _run(vis="finnes-ikke")
    with pytest.raises(UserError, match="Kan ikke lese"):
        _run(str(tmp_path / "borte.json"), begrunnelse="x")
    with pytest.raises(UserError, match="er en mappe"):
        _run(str(tmp_path), begrunnelse="x")


def test_a_model_for_an_arrangement_uses_its_ownership_shares(tmp_path, loaded_example):
    from decimal import Decimal

    from samarbeid.finance.document import calculation_data
    from samarbeid.finance.services import calculate
    from samarbeid.registry.models import Arrangement, Membership

    arrangement = Arrangement.objects.filter(mapping=loaded_example).order_by("id").first()
    members = list(arrangement.memberships.filter(municipality__isnull=False).order_by("id"))
    for i, m in enumerate(members):
        Membership.objects.filter(pk=m.pk).update(ownership_share=Decimal(10 * (i + 1)))
    spec = {"navn": "Eierandeler", "prisaar": 2021, "budsjett": 100000,
            "deler": [{"type": "andel", "andel": 100, "fordeling": "eierandel"}]}  # fmt: skip
    where = f"{loaded_example.name}:{arrangement.ref}"
    out, _ = _run(_file(tmp_path, spec), navn="iks", begrunnelse="Selskapsavtalen", ordning=where)
    assert "(iks) er lagret som ny modell" in out
    model = FeeModel.objects.get(slug="iks")
    assert model.arrangement == arrangement and model.body is None
    data = calculation_data(calculate([model], 2021))
    assert data["modeller"][0]["ordning"].endswith(f"{arrangement.ref})")
    shares = [10 * (i + 1) for i in range(len(members))]
    paid = {row["kommunenummer"]: row["betaling"] for row in data["medlemmer"]}
    first = members[0].municipality.number
    assert abs(paid[first] - 100000 * shares[0] / sum(shares)) <= 1
    assert sum(paid.values()) == 100000
    with pytest.raises(UserError, match="Fant ingen ordning X-1"):
        _run(
            _file(tmp_path, spec),
            navn="iks2",
            begrunnelse="x",
            ordning=f"{loaded_example.name}:X-1",
        )
    with pytest.raises(UserError, match="KARTLEGGING:ID"):
        _run(_file(tmp_path, spec), navn="iks3", begrunnelse="x", ordning="uten-kolon")
