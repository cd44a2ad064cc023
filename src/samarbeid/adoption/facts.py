"""An item's facts for the consistency checks (:mod:`.checks`), read from the models: the
document, the adoption table and the pages check the same thing the same way."""

from __future__ import annotations

from .checks import ItemFacts
from .models import Item, ReportedCount


def latest_count(item: Item) -> ReportedCount | None:
    """The item's last reported count (by its date, then as entered)."""
    counts = list(item.reported_counts.all())
    return max(counts, key=lambda c: (c.as_of, c.pk)) if counts else None


def item_facts(item: Item) -> ItemFacts:
    count = latest_count(item)
    return ItemFacts(
        portfolio=item.portfolio.title,
        reference=item.reference,
        title=item.title,
        kind=item.kind,
        detail_section=item.detail_section,
        reported_count=count.count if count else None,
        count_in_text=count.in_text if count else "",
        ambition=item.ambition,
        planned_total=item.planned_total,
        planned_in_text=item.planned_in_text,
    )
