"""A computed total set beside the total a source states (``FeeModel.reported``), with the
difference explained where the registry can: when the member list is assumed and the body states
fewer members than the list holds, the total is given for the stated number of members — the range
from leaving out the largest payers to leaving out the smallest."""

from __future__ import annotations

from dataclasses import dataclass

from samarbeid.core.i18n import Grouped, Text, gettext_noop

from .compute import Result
from .models import FeeModel


@dataclass(frozen=True)
class Reconciliation:
    year: int
    reported: int
    source: str
    computed: int
    difference: int  # computed − reported
    left_out: int  # members in the list beyond the stated count
    low: int | None  # total with the `left_out` largest payers left out
    high: int | None  # … the smallest ones left out
    explanation: Text | None


def reconcile(model: FeeModel, result: Result, stated_members: int | None) -> list[Reconciliation]:
    out = []
    for entry in model.reported or []:
        if int(entry.get("aar", 0)) != result.year:
            continue
        reported = int(entry["belop"])
        payers = sorted(p.kroner for p in result.payments if p.exemption is None)
        extra = len(result.payments) - stated_members if stated_members else 0
        low = high = None
        explanation = None
        if model.assumed_members and 0 < extra < len(payers):
            low, high = sum(payers[:-extra]), sum(payers[extra:])
            explanation = Text(
                gettext_noop(
                    "Medlemslisten er antatt og har {listed} kommuner, men kilden oppgir {stated} medlemmer. "
                    "Står {extra} av dem utenfor, blir summen mellom {low} kr (de største utenfor) og "
                    "{high} kr (de minste utenfor); oppgitt er {reported} kr."
                ),
                listed=len(result.payments), stated=stated_members, extra=extra,
                low=Grouped(low), high=Grouped(high), reported=Grouped(reported),
            )  # fmt: skip
        out.append(Reconciliation(result.year, reported, str(entry.get("kilde", "")), result.total,
                                  result.total - reported, max(extra, 0), low, high, explanation))  # fmt: skip
    return out
