"""Read-only queries behind the public pages. The views only pick and render; the rules live here.

Counting follows the registry (nivi-method.md §1, :mod:`samarbeid.registry.summary`): only
arrangements with status ``telles`` count; "hosted" and "served by others" need a known host.
Unknown stays unknown: no function here turns a missing value into zero or "none".
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q, QuerySet

from samarbeid.registry.gazetteer import load_gazetteer
from samarbeid.registry.models import (
    Arrangement,
    Mapping,
    MappingMunicipality,
    Membership,
    MunicipalityPeriod,
    TaskArea,
)
from samarbeid.registry.summary import SummaryTable, municipality_summary

COUNTED = "telles"
#: Value of the legal-form and sector filters that selects arrangements where the fact is unknown.
UNKNOWN = "ukjent"


def name_key(text: str) -> str:
    """Exact-name comparison: case and runs of spaces do not matter, nothing else is folded."""
    return " ".join(text.split()).casefold()


# --- Front page and mapping page ----------------------------------------------------------------


def _count_by_mapping(qs: QuerySet) -> dict[int, int]:
    return dict(qs.values_list("mapping_id").annotate(n=Count("id")).values_list("mapping_id", "n"))


def mappings_overview() -> list[Mapping]:
    """Every mapping, newest first, with ``n_total``, ``n_counted`` and ``n_scope``."""
    mappings = list(Mapping.objects.order_by("-cutoff_date", "name"))
    total = _count_by_mapping(Arrangement.objects.all())
    counted = _count_by_mapping(Arrangement.objects.filter(status=COUNTED))
    scope = _count_by_mapping(MappingMunicipality.objects.all())
    for mapping in mappings:
        mapping.n_total = total.get(mapping.pk, 0)
        mapping.n_counted = counted.get(mapping.pk, 0)
        mapping.n_scope = scope.get(mapping.pk, 0)
    return mappings


@dataclass
class KeyFigures:
    total: int
    counted: int
    ended: int
    excluded: int
    scope: int
    with_known_host: int


def key_figures(mapping: Mapping, summary: SummaryTable | None = None) -> KeyFigures:
    by_status = dict(
        Arrangement.objects.filter(mapping=mapping)
        .values_list("status")
        .annotate(n=Count("id"))
        .values_list("status", "n")
    )
    summary = summary or municipality_summary(mapping)
    return KeyFigures(
        total=sum(by_status.values()),
        counted=by_status.get(COUNTED, 0),
        ended=by_status.get("avsluttet", 0),
        excluded=by_status.get("utenfor", 0),
        scope=MappingMunicipality.objects.filter(mapping=mapping).count(),
        with_known_host=summary.with_known_host,
    )


def scope_periods(mapping: Mapping) -> list[MunicipalityPeriod]:
    """The mapped municipalities in the mapping's order."""
    return [
        entry.period
        for entry in MappingMunicipality.objects.filter(mapping=mapping)
        .select_related("period")
        .order_by("position", "period__name")
    ]


# --- Participants -------------------------------------------------------------------------------


def participant_name(membership: Membership) -> str:
    if membership.municipality_id:
        return membership.municipality.name
    if membership.county_id:
        return membership.county.name
    return membership.other_name


@dataclass
class ParticipantMatch:
    """Who a participant name stands for in one mapping (a name can be a municipality, a county
    authority or another owner)."""

    text: str
    period_ids: set[int] = field(default_factory=set)
    county_ids: set[int] = field(default_factory=set)
    other_names: set[str] = field(default_factory=set)

    def __bool__(self) -> bool:
        return bool(self.period_ids or self.county_ids or self.other_names)

    def q(self, prefix: str = "memberships__") -> Q:
        q = Q(pk__in=[])
        if self.period_ids:
            q |= Q(**{f"{prefix}municipality_id__in": self.period_ids})
        if self.county_ids:
            q |= Q(**{f"{prefix}county_id__in": self.county_ids})
        if self.other_names:
            q |= Q(**{f"{prefix}kind": "annen", f"{prefix}other_name__in": self.other_names})
        return q


def _participant_names(mapping: Mapping) -> dict[str, ParticipantMatch]:
    names: dict[str, ParticipantMatch] = {}
    rows = (
        Membership.objects.filter(arrangement__mapping=mapping)
        .values_list(
            "municipality_id",
            "municipality__name",
            "municipality__name_official",
            "county_id",
            "county__name",
            "other_name",
        )
        .distinct()
    )
    for period_id, name, official, county_id, county_name, other in rows:
        if period_id:
            for text in {name, official}:
                names.setdefault(name_key(text), ParticipantMatch(name)).period_ids.add(period_id)
        elif county_id:
            names.setdefault(name_key(county_name), ParticipantMatch(county_name)).county_ids.add(
                county_id
            )
        elif other:
            names.setdefault(name_key(other), ParticipantMatch(other)).other_names.add(other)
    return names


def find_participant(mapping: Mapping, text: str) -> ParticipantMatch:
    """The participants of the mapping called exactly ``text`` (case aside): "Ål" is not "Våler"."""
    return _participant_names(mapping).get(name_key(text), ParticipantMatch(text))


def suggest_participants(mapping: Mapping, text: str, n: int = 3) -> list[str]:
    """Participant names of the mapping close to ``text`` (misspellings like "Hjardal")."""
    known = {name_key(m.text): m.text for m in _participant_names(mapping).values()}
    out: list[str] = []
    for period in load_gazetteer().suggest(text, mapping.cutoff_date, n=n):
        label = known.get(name_key(period.name))
        if label and label not in out:
            out.append(label)
    if not out:
        for key in difflib.get_close_matches(name_key(text), list(known), n=n, cutoff=0.7):
            out.append(known[key])
    return out


# --- The arrangement list -----------------------------------------------------------------------


@dataclass
class ArrangementFilter:
    municipality: MunicipalityPeriod | None = None
    participant: ParticipantMatch | None = None
    legal_form: str = ""
    sector: str = ""
    status: str = ""
    task_area: int | None = None
    text: str = ""

    @property
    def active(self) -> bool:
        return any(
            (
                self.municipality,
                self.participant is not None,
                self.legal_form,
                self.sector,
                self.status,
                self.task_area,
                self.text,
            )
        )


def arrangements(mapping: Mapping, filters: ArrangementFilter | None = None) -> QuerySet:
    """The mapping's arrangements (file order) matching every given filter."""
    filters = filters or ArrangementFilter()
    qs = Arrangement.objects.filter(mapping=mapping)
    if filters.municipality is not None:
        entity = filters.municipality.municipality_id
        qs = qs.filter(memberships__municipality__municipality_id=entity)
    if filters.participant is not None:
        qs = qs.filter(filters.participant.q())
    for attr, value in (("legal_form", filters.legal_form), ("sector", filters.sector)):
        if value == UNKNOWN:
            qs = qs.filter(**{attr: ""})
        elif value:
            qs = qs.filter(**{attr: value})
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.task_area:
        qs = qs.filter(task_areas__nr=filters.task_area)
    if filters.text:
        text = filters.text.strip()
        qs = qs.filter(Q(name__icontains=text) | Q(abbreviation__icontains=text))
    ids = qs.values("id")
    return (
        Arrangement.objects.filter(id__in=ids)
        .select_related("host")
        .annotate(n_participants=Count("memberships"))
        .order_by("position", "id")
    )


def status_counts(qs: QuerySet) -> dict[str, int]:
    counts = dict(
        Arrangement.objects.filter(id__in=qs.values("id"))
        .values_list("status")
        .annotate(n=Count("id"))
        .values_list("status", "n")
    )
    return {"total": sum(counts.values()), "counted": counts.get(COUNTED, 0)}


def task_areas() -> QuerySet[TaskArea]:
    return TaskArea.objects.order_by("nr")


# --- One arrangement ----------------------------------------------------------------------------


def arrangement_detail(mapping: Mapping, ref: str) -> Arrangement | None:
    return (
        Arrangement.objects.filter(mapping=mapping, ref=ref)
        .select_related("host", "host__county", "mapping")
        .prefetch_related(
            Prefetch(
                "memberships",
                queryset=Membership.objects.select_related("municipality", "county").order_by(
                    "position", "id"
                ),
            ),
            Prefetch("task_areas", queryset=TaskArea.objects.order_by("nr")),
        )
        .first()
    )


def _mapping_periods(mapping: Mapping) -> QuerySet[MunicipalityPeriod]:
    """Municipalities with a page in the mapping: the scope, every participant and every host."""
    return MunicipalityPeriod.objects.filter(
        Q(memberships__arrangement__mapping=mapping)
        | Q(id__in=MappingMunicipality.objects.filter(mapping=mapping).values("period_id"))
        | Q(id__in=Arrangement.objects.filter(mapping=mapping).values("host_id"))
    ).distinct()


def linkable_numbers(mapping: Mapping) -> set[str]:
    """Numbers of the municipalities that have a page within the mapping."""
    return set(_mapping_periods(mapping).values_list("number", flat=True))
