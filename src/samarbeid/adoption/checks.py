"""Consistency checks a portfolio document fails, over plain data (no Django): a count the table
states that the text states otherwise («215» vs «ca. 214»), an ambition below what the text plans
(Helseplattformen: 10 in use and «ti til» in 2023 against an ambition of 19), a ranked activity
with no status count, an item whose detail section is missing. Each finding names its place; a
clean portfolio gives none. Messages are bokmål msgids, shown in the reader's language."""

from __future__ import annotations

import re
from dataclasses import dataclass

from samarbeid.core.i18n import Text, gettext_noop
from samarbeid.portfolio.checks import Finding

__all__ = ["Finding", "ItemFacts", "check_items", "number_in_text"]


@dataclass(frozen=True)
class ItemFacts:
    portfolio: str  # the portfolio's title
    reference: str
    title: str
    kind: str  # "innforing" or "felles"
    detail_section: str  # "" when the document has none
    reported_count: int | None  # the table's count
    count_in_text: str  # the text's words for it («ca. 214»), "" when it gives none
    ambition: int | None
    planned_total: int | None  # what the text plans, as a number
    planned_in_text: str  # the text's words for it


_NUMBER = re.compile(r"\d[\d  ]*")


def number_in_text(text: str) -> int | None:
    """The first whole number in the text («ca. 214 kommuner» → 214); None without one."""
    found = _NUMBER.search(text or "")
    if not found:
        return None
    return int(re.sub(r"\D", "", found.group()))


def _place(item: ItemFacts) -> Text:
    return Text(
        gettext_noop("{portfolio}, {reference} {title}"),
        portfolio=item.portfolio,
        reference=item.reference,
        title=item.title,
    )


def check_items(items: list[ItemFacts]) -> list[Finding]:
    findings: list[Finding] = []
    for item in items:
        in_text = number_in_text(item.count_in_text)
        differs = in_text is not None and item.reported_count not in (None, in_text)
        if differs:
            findings.append(
                Finding(
                    "count_differs_from_text",
                    _place(item),
                    Text(
                        gettext_noop(
                            "tabellen oppgir {count}, men teksten sier «{words}» "
                            "(forskjell {difference})"
                        ),
                        count=item.reported_count,
                        words=item.count_in_text,
                        difference=(in_text or 0) - (item.reported_count or 0),
                    ),
                )
            )
        if (
            item.ambition is not None
            and item.planned_total is not None
            and item.planned_total > item.ambition
        ):
            findings.append(
                Finding(
                    "ambition_below_plan",
                    _place(item),
                    Text(
                        gettext_noop(
                            "ambisjonen er {ambition}, men teksten planlegger {planned} («{words}»)"
                        ),
                        ambition=item.ambition,
                        planned=item.planned_total,
                        words=item.planned_in_text,
                    ),
                )
            )
        if item.kind == "innforing" and item.reported_count is None and item.ambition:
            findings.append(
                Finding(
                    "no_status_count",
                    _place(item),
                    Text(
                        gettext_noop(
                            "tabellen har en ambisjon ({ambition}), men ikke noe statustall"
                        ),
                        ambition=item.ambition,
                    ),
                )
            )
        if not item.detail_section:
            findings.append(
                Finding(
                    "detail_missing",
                    _place(item),
                    Text(
                        gettext_noop(
                            "tiltaket står i tabellen, men dokumentet har ikke noe avsnitt "
                            "som utdyper det"
                        )
                    ),
                )
            )
    return findings
