"""A validated mapping: plain objects ready to be written to the registry (no Django here)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any


@dataclass
class ScopeSpec:
    row: int
    period: Any  # gazetteer.MunicipalityPeriod
    region: str


@dataclass
class MembershipSpec:
    sheet: str
    row: int
    kind: str
    period: Any = None  # gazetteer.MunicipalityPeriod for kind "kommune"
    county: Any = None  # gazetteer.County for kind "fylkeskommune"
    other_name: str = ""
    role: str = "deltaker"
    ownership_share: Decimal | None = None
    joined_on: dt.date | None = None
    left_on: dt.date | None = None
    as_printed: str = ""
    source: str = ""

    def identity(self) -> tuple[str, str]:
        if self.kind == "kommune" and self.period is not None:
            return ("kommune", self.period.entity)
        if self.kind == "fylkeskommune" and self.county is not None:
            return ("fylkeskommune", f"{self.county.number}:{self.county.name}")
        return ("annen", self.other_name.casefold())


@dataclass
class ArrangementSpec:
    row: int
    ref: str
    name: str
    abbreviation: str = ""
    name_variants: list[str] = field(default_factory=list)
    status: str = "telles"
    exclusion_reason: str = ""
    status_note: str = ""
    ended_on: dt.date | None = None
    ended_precision: str = ""
    legal_form: str = ""
    legal_form_source: str = ""
    org_number: str = ""
    sector: str = ""
    task_areas: list[int] = field(default_factory=list)
    established_from: int | None = None
    established_to: int | None = None
    established_unspecified: bool = False
    host_status: str = ""
    host: Any = None  # gazetteer.MunicipalityPeriod
    host_source: str = ""
    arsverk: Decimal | None = None
    arsverk_source: str = ""
    budget: Decimal | None = None
    description: str = ""
    notes: str = ""
    sources: str = ""
    participant_count_stated: int | None = None
    participants_completeness: str = ""
    participants_note: str = ""
    participants_as_printed: str = ""
    memberships: list[MembershipSpec] = field(default_factory=list)
    valid: bool = True
    problems: list[Any] = field(default_factory=list)  # the errors that reject this arrangement


@dataclass
class MappingSpec:
    name: str = ""
    title: str = ""
    cutoff_date: dt.date | None = None
    description: str = ""
    source: str = ""
    scope: list[ScopeSpec] = field(default_factory=list)
    arrangements: list[ArrangementSpec] = field(default_factory=list)
