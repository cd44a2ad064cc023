"""Consistency checks the bodies' own documents fail, over plain data (no Django): numbering gaps,
a stated count that differs from the list, codes that differ between a summary and the body of a
document, milestones past due without a status report, a funded project whose own contribution is
under the body's rule. Each finding names its place; a clean body gives none.

Messages are bokmål msgids (``samarbeid.core.i18n``), shown in the reader's language."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from samarbeid.core.i18n import SOURCE_LANGUAGE, Grouped, Text, gettext_noop


@dataclass(frozen=True)
class Finding:
    code: str
    place: Text
    message: Text

    def text(self, lang: str = SOURCE_LANGUAGE) -> str:
        return f"{self.place.text(lang)}: {self.message.text(lang)}"

    def as_json(self, lang: str = SOURCE_LANGUAGE) -> dict[str, str]:
        return {
            "kode": self.code,
            "sted": self.place.text(lang),
            "melding": self.message.text(lang),
        }


@dataclass(frozen=True)
class MilestoneFacts:
    project: str  # the project's code
    text: str
    when: str  # the plan's words
    due_by: dt.date | None
    done: dt.date | None


@dataclass(frozen=True)
class FundingFacts:
    project: str
    year: int
    granted: Decimal | None
    own_contribution: Decimal | None


def _number(section: str) -> tuple[int, ...] | None:
    parts = section.strip().rstrip(".").split(".")
    if not all(p.isdigit() for p in parts):
        return None
    return tuple(int(p) for p in parts)


def numbering_gaps(document: str, sections: list[str]) -> list[Finding]:
    """Sections numbered 1, 2, 3 … under each heading: a missing number is a finding at the
    heading it belongs under («2.1 mangler: under 2 kommer 2.2 først»)."""
    numbers = [n for n in (_number(s) for s in sections) if n]
    children: dict[tuple[int, ...], list[int]] = {}
    for n in numbers:
        children.setdefault(n[:-1], []).append(n[-1])
    findings = []
    for parent, numbered in sorted(children.items()):
        present = set(numbered)
        for missing in range(1, max(present)):
            if missing in present:
                continue
            label = ".".join(str(p) for p in (*parent, missing))
            after = min(n for n in present if n > missing)
            following = ".".join(str(p) for p in (*parent, after))
            findings.append(
                Finding(
                    "numbering_gap",
                    Text(
                        gettext_noop("{document}, avsnitt {parent}"),
                        document=document,
                        parent=".".join(map(str, parent)) or "1–",
                    ),
                    Text(
                        gettext_noop(
                            "Avsnitt {missing} mangler: nummereringen hopper til {following}."
                        ),
                        missing=label,
                        following=following,
                    ),
                )
            )
    return findings


def count_mismatch(
    document: str, what: str, stated: int | None, listed: list[str]
) -> list[Finding]:
    """The text says how many («syv prosjekter»); the list holds another number."""
    if stated is None or stated == len(listed):
        return []
    return [
        Finding(
            "count_mismatch",
            Text(gettext_noop("{document}"), document=document),
            Text(
                gettext_noop("Teksten oppgir {stated} {what}, men listen har {listed}."),
                stated=stated,
                what=what,
                listed=len(listed),
            ),
        )
    ]


def code_differences(document: str, summary: dict[str, str], body: dict[str, str]) -> list[Finding]:
    """The same measure under different codes in the summary and in the body of a document: a
    title found in both under two codes, or a code in one only."""
    findings = []
    by_title: dict[str, list[str]] = {}
    for code, title in body.items():
        by_title.setdefault(title.casefold(), []).append(code)
    for code, title in summary.items():
        others = by_title.get(title.casefold(), [])
        if others and code not in others:
            findings.append(
                Finding(
                    "code_differs",
                    Text(
                        gettext_noop("{document}, tiltak «{title}»"), document=document, title=title
                    ),
                    Text(
                        gettext_noop("Koden er {summary} i sammendraget, men {body} i teksten."),
                        summary=code,
                        body=" / ".join(others),
                    ),
                )
            )
    return findings


def overdue_milestones(
    document: str,
    milestones: list[MilestoneFacts],
    reports: dict[str, list[dt.date]],
    as_of: dt.date,
) -> list[Finding]:
    """A milestone whose last day has passed, not marked done, with no status report of its
    project on or after that day. A milestone without a date to measure against is never due."""
    findings = []
    for m in milestones:
        if m.due_by is None or m.done is not None or m.due_by >= as_of:
            continue
        if any(day >= m.due_by for day in reports.get(m.project, [])):
            continue
        findings.append(
            Finding(
                "milestone_overdue",
                Text(
                    gettext_noop("{document}, prosjekt {project}"),
                    document=document,
                    project=m.project,
                ),
                Text(
                    gettext_noop(
                        "Milepælen «{text}» ({when}) er passert uten at den er meldt ferdig "
                        "eller det er kommet en statusrapport."
                    ),
                    text=m.text,
                    when=m.when,
                ),
            )
        )
    return findings


def own_contribution_under_rule(
    body: str, funding: list[FundingFacts], rule: Decimal
) -> list[Finding]:
    """A project with a grant whose own contribution is under ``rule`` (a share, 0.5 for 50 %)
    of the project's total (grant + own contribution). Unknown own contribution: no finding."""
    findings = []
    for f in funding:
        if not f.granted or f.own_contribution is None:
            continue
        total = f.granted + f.own_contribution
        if f.own_contribution < rule * total:
            findings.append(
                Finding(
                    "own_contribution_low",
                    Text(
                        gettext_noop("{body}, prosjekt {project} ({year})"),
                        body=body,
                        project=f.project,
                        year=f.year,
                    ),
                    Text(
                        # xgettext:no-python-format
                        gettext_noop(
                            "Egenandelen er kr {own} av kr {total}; regelen krever minst {rule} %."
                        ),
                        own=Grouped(int(f.own_contribution)),
                        total=Grouped(int(total)),
                        rule=int(rule * 100),
                    ),
                )
            )
    return findings
