"""Prioritisation over plain data (no Django): the weighted score of each item over the
portfolio's criteria, the ranking it gives, and that ranking beside the one a body approved.

The weighted total is Σ weight × score / Σ weight over the criteria the item is scored on (0–5,
two decimals, Decimal arithmetic); an item missing a score on any weighted criterion is not
ranked («ikke fullstendig vurdert») rather than ranked on part of the criteria. Ties keep the
approved order, then the reference. Joint measures (``ranked=False``) are left unranked on
purpose and never enter the ranking."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal


@dataclass(frozen=True)
class Scored:
    reference: str
    title: str
    ranked: bool  # an introduction activity (True) or a joint measure (False)
    approved_rank: int | None
    scores: dict[str, int]  # criterion -> 0..5


@dataclass(frozen=True)
class Ranked:
    reference: str
    title: str
    total: Decimal | None  # None: not scored on every weighted criterion
    computed_rank: int | None
    approved_rank: int | None

    @property
    def difference(self) -> int | None:
        """Approved minus computed: positive when the computation puts it higher."""
        if self.computed_rank is None or self.approved_rank is None:
            return None
        return self.approved_rank - self.computed_rank


TWO_PLACES = Decimal("0.01")


def weighted_total(scores: dict[str, int], weights: dict[str, Decimal]) -> Decimal | None:
    weighted = {c: w for c, w in weights.items() if w > 0}
    if not weighted or any(c not in scores for c in weighted):
        return None
    total = sum((weights[c] * scores[c] for c in weighted), Decimal(0))
    return (total / sum(weighted.values(), Decimal(0))).quantize(TWO_PLACES, ROUND_HALF_UP)


def rank(items: list[Scored], weights: dict[str, Decimal]) -> tuple[list[Ranked], list[Scored]]:
    """The ranked items (computed rank 1… by total; unscored ones after, without a rank) and
    the joint measures left unranked on purpose."""
    ranked = [i for i in items if i.ranked]
    unranked = [i for i in items if not i.ranked]
    totals = {i.reference: weighted_total(i.scores, weights) for i in ranked}
    big = 10**6

    def order(item: Scored) -> tuple:
        total = totals[item.reference]
        return (
            total is None,
            -(total or 0),
            item.approved_rank if item.approved_rank is not None else big,
            item.reference,
        )

    result = []
    position = 0
    for item in sorted(ranked, key=order):
        total = totals[item.reference]
        if total is not None:
            position += 1
        result.append(
            Ranked(
                item.reference,
                item.title,
                total,
                position if total is not None else None,
                item.approved_rank,
            )
        )
    return result, unranked
