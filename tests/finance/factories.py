"""Small cost-sharing data for tests: a model with an assumed member list (kommunenummer valid on
1 January 2024), saved with its first version. The full DigiVestland example is loaded only
where a test is about it (``load_examples``)."""

from __future__ import annotations

from typing import Any

from samarbeid.finance.models import FeeModel, FeeModelVersion
from samarbeid.finance.spec import parse, to_data

#: Four Telemark municipalities of 2024: Porsgrunn, Skien, Bamble, Midt-Telemark.
TELEMARK = ("4003", "4001", "4012", "4020")

DIGIVESTLAND_LIKE: dict[str, Any] = {
    "navn": "Fast + per innbygger med tak",
    "prisaar": 2024,
    "deler": [{"type": "fast", "belop": 100000}, {"type": "per_innbygger", "belop": 20}],
    "tak": 500000,
    "fritak": [{"kommunenummer": "4003", "egenbidrag": "Vertskommune", "verdi": 250000}],
    "indeksering": {"standard": "3", "belop": True, "tak": False},
}

SPLIT_30_70: dict[str, Any] = {
    "navn": "30/70",
    "prisaar": 2024,
    "budsjett": 1000000,
    "deler": [
        {"type": "andel", "andel": 30, "fordeling": "likt"},
        {"type": "andel", "andel": 70, "fordeling": "innbyggere"},
    ],
}


def fee_model(spec: dict[str, Any] | None = None, *, slug: str = "testmodell",
              numbers: tuple[str, ...] = TELEMARK, body=None, assumption: str = "Testmedlemmer",
              reported: list | None = None) -> FeeModel:  # fmt: skip
    data = to_data(parse(spec or DIGIVESTLAND_LIKE))
    model = FeeModel.objects.create(
        slug=slug, name=data["navn"], spec=data, body=body,
        assumed_members=list(numbers) if body is None else [], assumption=assumption if body is None else "",
        reported=reported or [],
    )  # fmt: skip
    FeeModelVersion.objects.create(
        model=model, number=1, spec=data, author_name="test", reason="Testdata"
    )
    return model
