"""The plan file's columns hold what the database columns hold (a value the input boundary lets
through always fits: SQLite does not enforce lengths, PostgreSQL does), the allowed values are the
models' choices, and docs/planfil.md documents every sheet and column."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.db import models

from samarbeid.portfolio.models import (
    ActionPlan,
    CooperationBody,
    FocusArea,
    FundingApplication,
    GoverningBody,
    Milestone,
    Participation,
    PlanProject,
    PlanSection,
    Project,
)
from samarbeid.portfolio.planfile.messages import EXPECTED, PLAN_MESSAGES, PlanFinding
from samarbeid.portfolio.planfile.schema import (
    CATEGORIES,
    FORMS,
    FUNDING,
    MILESTONES,
    PARTICIPATION,
    PHASES,
    PLAN,
    PROJECTS,
    SECTIONS,
    SHEETS,
    STATUSES,
    TEXT_MAX,
    fold,
)
from samarbeid.rules.findings import CATALOGUE, ERROR

DOC = Path(__file__).resolve().parents[2] / "docs" / "planfil.md"

#: Column of the file → the model field its (cleaned) text is stored in.
STORED = [
    (PLAN, "organ", CooperationBody, "name"),
    (PLAN, "tittel", ActionPlan, "title"),
    (PLAN, "vedtatt_av", GoverningBody, "name"),
    (PLAN, "sammendrag", ActionPlan, "summary"),
    (PLAN, "kilde", ActionPlan, "source"),
    (PROJECTS, "kode", Project, "code"),
    (PROJECTS, "tittel", Project, "title"),
    (PROJECTS, "type", Project, "kind"),
    (PROJECTS, "satsingsomrade", FocusArea, "name"),
    (PROJECTS, "eier", Project, "owner"),
    (PROJECTS, "ansvarlig", Project, "responsible"),
    (PROJECTS, "i_aret", PlanProject, "this_year"),
    (PROJECTS, "avsnitt", PlanProject, "section"),
    (PROJECTS, "budsjett", Project, "budget"),
    (PROJECTS, "startet", Project, "started"),
    (PROJECTS, "beskrivelse", Project, "description"),
    (PROJECTS, "okonomi", Project, "economic_case"),
    (PROJECTS, "kilde", Project, "source"),
    (MILESTONES, "prosjektkode", Project, "code"),
    (MILESTONES, "tekst", Milestone, "text"),
    (MILESTONES, "nar", Milestone, "when"),
    (MILESTONES, "kilde", Milestone, "source"),
    (FUNDING, "periode_som_oppgitt", FundingApplication, "year_as_stated"),
    (FUNDING, "prosjektkode", Project, "code"),
    (FUNDING, "type", FundingApplication, "source_kind"),
    (FUNDING, "giver", FundingApplication, "grantor"),
    (FUNDING, "sokt", FundingApplication, "applied"),
    (FUNDING, "innvilget", FundingApplication, "granted"),
    (FUNDING, "egenandel", FundingApplication, "own_contribution"),
    (FUNDING, "kilde", FundingApplication, "source"),
    (PARTICIPATION, "prosjektkode", Project, "code"),
    (PARTICIPATION, "kilde", Participation, "source"),
    (SECTIONS, "nummer", PlanSection, "number"),
    (SECTIONS, "tittel", PlanSection, "title"),
]


@pytest.mark.parametrize(
    ("sheet", "column", "model", "name"),
    STORED,
    ids=[f"{s.name}.{c}" for s, c, _, _ in STORED],
)
def test_a_column_holds_what_its_database_column_holds(sheet, column, model, name) -> None:
    spec = sheet.column(column)
    field = model._meta.get_field(name)
    if isinstance(field, models.DecimalField):
        assert spec.number == (field.max_digits, field.decimal_places)
    elif isinstance(field, models.TextField):
        assert spec.max_length == TEXT_MAX and not spec.one_line
    else:
        assert spec.max_length == field.max_length


def test_every_text_column_is_stored_somewhere_or_is_a_value_of_a_vocabulary() -> None:
    stored = {(s.name, c) for s, c, _, _ in STORED}
    coded = {"ar", "status", "vedtatt_dato", "oppgitt_antall_prosjekter", "kategori", "fase",
             "samarbeidsform", "soker_midler", "ferdig", "vedtaksdato", "kommunenummer",
             "kommune", "deltar"}  # fmt: skip
    left = [f"{s.name}.{c.key}" for s in SHEETS for c in s.columns if (s.name, c.key) not in stored]
    assert [name for name in left if name.split(".")[1] not in coded] == []


@pytest.mark.parametrize(
    ("vocabulary", "choices"),
    [
        (CATEGORIES, PlanProject.Category),
        (PHASES, Project.Phase),
        (FORMS, Project.Form),
        (STATUSES, ActionPlan.Status),
    ],
)
def test_the_allowed_values_are_the_models_choices(vocabulary, choices) -> None:
    assert vocabulary.codes() == list(choices.values)


def test_headers_are_matched_without_case_spaces_or_special_letters() -> None:
    assert fold("Søker midler") == "soker_midler"
    assert fold(" I året ") == "i_aret"
    assert fold("Milepæler") == fold("MILEPAELER") == "milepaeler"


def test_every_sheet_and_column_is_documented() -> None:
    text = DOC.read_text(encoding="utf-8")
    named = set(re.findall(r"`([a-z_]+)`", text))
    assert [f"{s.name}.{c.key}" for s in SHEETS for c in s.columns if c.key not in named] == []
    for sheet in SHEETS:
        assert f"**{sheet.name}**" in text and f"`{sheet.name}`" in text
    for command in ("plan-eksport", "plan-import", "plan-mal", "--kontroller"):
        assert command in text


def test_every_plan_message_formats_and_none_shadows_the_mappings() -> None:
    assert not set(PLAN_MESSAGES) & set(CATALOGUE)
    for code, template in PLAN_MESSAGES.items():
        fields = set(re.findall(r"{(\w+)}", template))
        finding = PlanFinding(
            ERROR, code, "p.xlsx", "Plan", 2, "ar", "x", params=dict.fromkeys(fields, "y")
        )
        assert "{" not in finding.text() and finding.format().startswith("p.xlsx, ark Plan, rad 2")
    assert all(isinstance(words, str) and words for words in EXPECTED.values())
