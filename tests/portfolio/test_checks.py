"""The consistency checks over plain data (pure, no database): each finds its fault with its
place, and a clean document gives nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from samarbeid.portfolio import checks

GRENLAND_SECTIONS = [
    "1", "1.1", "1.1.1", "1.1.2", "1.1.3", "1.1.4", "2", "2.2", "2.2.1", "2.2.2", "2.2.3",
    "2.2.4", "2.2.5", "2.3", "2.3.1", "2.3.2", "3",
]  # fmt: skip


def texts(findings: list[checks.Finding], lang: str = "nb") -> list[str]:
    return [f.text(lang) for f in findings]


def test_grenlands_missing_section_2_1() -> None:
    found = checks.numbering_gaps("Handlingsplan 2021", GRENLAND_SECTIONS)
    assert texts(found) == [
        "Handlingsplan 2021, avsnitt 2: Avsnitt 2.1 mangler: nummereringen hopper til 2.2."
    ]
    assert [f.code for f in found] == ["numbering_gap"]


def test_clean_numbering_gives_nothing() -> None:
    clean = [s.replace("2.2", "2.1").replace("2.3", "2.2") for s in GRENLAND_SECTIONS]
    assert checks.numbering_gaps("Plan", clean) == []
    assert checks.numbering_gaps("Plan", []) == []


def test_every_gap_at_every_level() -> None:
    found = checks.numbering_gaps("P", ["1", "3", "3.1", "3.4", "3.4.2"])
    assert texts(found) == [
        "P, avsnitt 1–: Avsnitt 2 mangler: nummereringen hopper til 3.",
        "P, avsnitt 3: Avsnitt 3.2 mangler: nummereringen hopper til 3.4.",
        "P, avsnitt 3: Avsnitt 3.3 mangler: nummereringen hopper til 3.4.",
        "P, avsnitt 3.4: Avsnitt 3.4.1 mangler: nummereringen hopper til 3.4.2.",
    ]


def test_stated_count_against_the_list() -> None:
    seven = [f"P{i}" for i in range(7)]
    assert checks.count_mismatch("Plan", "prosjekter", 7, seven) == []
    assert checks.count_mismatch("Plan", "prosjekter", None, seven) == []
    assert texts(checks.count_mismatch("Plan", "prosjekter", 7, seven[:6])) == [
        "Plan: Teksten oppgir 7 prosjekter, men listen har 6."
    ]


def test_codes_that_differ_between_summary_and_body() -> None:
    """As in Kongsbergregionen's report: the HR measures are numbered differently in the
    summary table and in the chapter."""
    summary = {"HR3": "Felles lederutvikling", "HR4": "Felles rekruttering", "HR5": "Heltid"}
    body = {"HR4": "Felles lederutvikling", "HR5": "Felles rekruttering", "HR3": "Heltid"}
    found = checks.code_differences("Rapport", summary, body)
    assert texts(found) == [
        "Rapport, tiltak «Felles lederutvikling»: Koden er HR3 i sammendraget, men HR4 i teksten.",
        "Rapport, tiltak «Felles rekruttering»: Koden er HR4 i sammendraget, men HR5 i teksten.",
        "Rapport, tiltak «Heltid»: Koden er HR5 i sammendraget, men HR3 i teksten.",
    ]
    assert checks.code_differences("Rapport", summary, dict(summary)) == []
    shared = {"O1": "Strategi", "T1": "Strategi"}  # one title under several codes is no fault
    assert checks.code_differences("Rapport", shared, shared) == []


def test_milestones_past_due_without_a_report() -> None:
    m = checks.MilestoneFacts("2.2.1", "Utlysning", "3. kvartal 2021", dt.date(2021, 9, 30), None)
    undated = checks.MilestoneFacts("2.2.3", "Avtale sendt", "våren 2021", None, None)
    done = checks.MilestoneFacts("2.2.1", "Revisjon", "2. kvartal", dt.date(2021, 6, 30),
                                 dt.date(2021, 6, 1))  # fmt: skip
    before = dt.date(2021, 9, 30)
    after = dt.date(2021, 10, 1)
    assert checks.overdue_milestones("P", [m, undated, done], {}, before) == []
    assert [f.code for f in checks.overdue_milestones("P", [m, undated, done], {}, after)] == [
        "milestone_overdue"
    ]
    reported = {"2.2.1": [dt.date(2021, 10, 1)]}
    assert checks.overdue_milestones("P", [m], reported, after) == []
    old_report = {"2.2.1": [dt.date(2021, 3, 1)]}
    assert len(checks.overdue_milestones("P", [m], old_report, after)) == 1


def test_own_contribution_under_the_rule() -> None:
    half = Decimal("0.5")
    low = checks.FundingFacts("T1", 2024, Decimal(600_000), Decimal(400_000))
    even = checks.FundingFacts("T2", 2024, Decimal(500_000), Decimal(500_000))
    unknown = checks.FundingFacts("T3", 2024, Decimal(500_000), None)
    found = checks.own_contribution_under_rule("DigiVestland", [low, even, unknown], half)
    assert texts(found) == [
        "DigiVestland, prosjekt T1 (2024): Egenandelen er kr 400\u00a0000 av kr 1\u00a0000\u00a0000; "
        "regelen krever minst 50 %."
    ]
    assert texts(found, "en")[0].startswith("DigiVestland, project T1 (2024): ")
