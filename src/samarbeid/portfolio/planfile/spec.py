"""A checked plan file as plain objects, ready to be written (:mod:`.importer`).

``values`` hold model fields by name. For the plan and its projects (updated in place) only those
whose column is in the file: a column the file does not have leaves the stored value as it is (a
new object gets the model's default). Milestones and funding rows are the file's rows as they are.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class ProjectSpec:
    row: int
    code: str
    values: dict[str, Any] = field(default_factory=dict)  # Project fields
    entry: dict[str, Any] = field(default_factory=dict)  # PlanProject fields (category, …)


@dataclass
class MilestoneSpec:
    code: str
    text: str
    values: dict[str, Any] = field(default_factory=dict)  # when, due_by, done, position, source


@dataclass
class FundingSpec:
    code: str  # "" = the whole plan
    values: dict[str, Any] = field(default_factory=dict)  # FundingApplication fields

    def key(self) -> tuple[str, str, str, str]:
        """What pairs a row of the file with a stored row: project, kind, grantor, period."""
        v = self.values
        return (self.code, v["source_kind"], v["grantor"], v["year_as_stated"])


@dataclass
class ParticipationSpec:
    code: str
    municipality: str  # the gazetteer's entity = registry Municipality.key
    label: str  # «Porsgrunn (4001)», for messages
    values: dict[str, Any] = field(default_factory=dict)  # takes_part, source


@dataclass
class SectionSpec:
    number: str
    title: str


@dataclass
class PlanSpec:
    body: Any = None  # CooperationBody
    year: int | None = None
    values: dict[str, Any] = field(default_factory=dict)  # ActionPlan fields
    projects: list[ProjectSpec] = field(default_factory=list)
    #: None: the file has no such sheet (or list), and nothing of it changes.
    milestones: list[MilestoneSpec] | None = None
    funding: list[FundingSpec] | None = None
    participation: list[ParticipationSpec] | None = None
    sections: list[SectionSpec] | None = None
