"""The example models (``examples/digivestland.json``): DigiVestland's base funding and two
alternatives on the same budget, attached to the body DigiVestland (loaded by the portfolio
app first), with the member list marked as assumed. ``samarbeid load-example`` calls this in one
transaction; loading again changes nothing and says so."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from importlib import resources
from typing import Any

from django.db import transaction

from samarbeid.commandbase import UserError
from samarbeid.portfolio.models import CooperationBody

from .members import gazetteer
from .models import FeeModel, FeeModelVersion
from .spec import SpecError, parse, to_data

EXAMPLE = "digivestland.json"


def read_example() -> dict[str, Any]:
    text = resources.files("samarbeid.finance.examples").joinpath(EXAMPLE).read_text("utf-8")
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise UserError(
            f"Eksempelet {EXAMPLE} er ikke gyldig JSON: {error.msg} (linje {error.lineno})."
        ) from None
    if not isinstance(document, dict):
        raise UserError(f"Eksempelet {EXAMPLE} må være et JSON-objekt.")
    return document


def load_examples(write: Callable[[str], None]) -> None:
    document = read_example()
    try:
        with transaction.atomic():
            message = _load(document)
    except (KeyError, SpecError, ValueError) as error:
        raise UserError(f"Eksempelet {EXAMPLE} kan ikke lastes inn: {error}.") from error
    write(message)


def _load(document: dict[str, Any]) -> str:
    title = document["dokument"]
    body = CooperationBody.objects.filter(name=document["organ"]).first()
    if body is None:
        raise ValueError(
            f"organet «{document['organ']}» finnes ikke (last portefølje-eksemplene først)"
        )
    members = document["medlemmer"]
    day = dt.date.fromisoformat(members["dato"])
    numbers = sorted(
        p.number for p in gazetteer().valid_at(day) if p.number[:2] == members["fylke"]
    )
    assumption = f"{members['antakelse']} ({title}, {members['kilde']})"
    made = []
    for entry in document["modeller"]:
        if FeeModel.objects.filter(slug=entry["slug"]).exists():
            continue
        spec = to_data(parse(entry["modell"]))
        reported = [dict(r, kilde=f"{title}, {r['kilde']}") for r in entry.get("oppgitt", [])]
        model = FeeModel.objects.create(slug=entry["slug"], name=spec["navn"], body=body, spec=spec,
                                        assumed_members=numbers, assumption=assumption,
                                        reported=reported)  # fmt: skip
        FeeModelVersion.objects.create(model=model, number=1, spec=spec, author_name="load-example",
                                       reason=f"{title}: {entry['begrunnelse']}")  # fmt: skip
        made.append(entry["slug"])
    if not made:
        return "Kostnadsmodellene for DigiVestland finnes allerede; ingenting endret."
    return f"Kostnadsmodeller for DigiVestland: {', '.join(made)} ({len(numbers)} kommuner, antatt medlemsliste)."
