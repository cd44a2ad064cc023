"""Read-only queries behind the public pages. The views only pick and render; the rules live here.

Counting follows the registry (nivi-method.md §1, :mod:`samarbeid.registry.summary`): only
arrangements with status ``telles`` count; "hosted" and "served by others" need a known host.
Unknown stays unknown: no function here turns a missing value into zero or "none".
"""

from __future__ import annotations

import datetime as dt
import difflib
from dataclasses import dataclass, field

from django.core.paginator import Page, Paginator
from django.db.models import Count, F, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from samarbeid.analysis.extent.totals import HIGHER, LOCAL, PARTIAL, REGIONAL
from samarbeid.analysis.overview import nb_key
from samarbeid.reference.gazetteer import load_gazetteer
from samarbeid.registry.models import (
    COUNTED,
    Arrangement,
    County,
    Mapping,
    MappingMunicipality,
    Membership,
    MunicipalityPeriod,
    Region,
    TaskArea,
)
from samarbeid.registry.participation import taking_part_q
from samarbeid.registry.summary import SummaryTable

from . import derived

#: Value of the legal-form and sector filters that selects arrangements where the fact is unknown.
UNKNOWN = "ukjent"


def name_key(text: str) -> str:
    """Exact-name comparison: case and runs of spaces do not matter, nothing else is folded."""
    return " ".join(text.split()).casefold()


# --- Front page and mapping page ----------------------------------------------------------------


def _count_by_mapping(qs: QuerySet) -> dict[int, int]:
    return dict(qs.values_list("mapping_id").annotate(n=Count("id")).values_list("mapping_id", "n"))


def mappings_overview(user=None) -> list[Mapping]:
    """Every mapping ``user`` may read (drafts need a role), newest first, with ``n_total``,
    ``n_counted`` and ``n_scope``."""
    mappings = list(Mapping.objects.visible_to(user).order_by("-cutoff_date", "name"))
    total = _count_by_mapping(Arrangement.objects.all())
    counted = _count_by_mapping(Arrangement.objects.counted())
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
    summary = summary or derived.summary(mapping)
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


def scope_entities(mapping: Mapping) -> dict[str, tuple[str, int]]:
    """The mapped municipalities in the mapping's order: number -> (name, municipality entity)."""
    rows = (
        MappingMunicipality.objects.filter(mapping=mapping)
        .order_by("position", "period__name")
        .values_list("period__number", "period__name", "period__municipality_id")
    )
    return {number: (name, entity) for number, name, entity in rows}


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

#: Geographic level (analysis 2 of the method): URL value -> (label, smallest municipality count).
LEVELS = {"lokalt": (LOCAL, 2), "regionalt": (REGIONAL, 4), "hoyere": (HIGHER, 9)}

#: The levels as the filter form shows them (the reader's language).
LEVEL_LABELS = {
    "lokalt": _("Lokalt (2–3 kommuner)"),
    "regionalt": _("Regionalt (4–8 kommuner)"),
    "hoyere": _("Høyere nivå (9 eller flere)"),
}

#: Sort orders of the list: URL value -> label. "" is the mapping file's order.
SORTS = {
    "": _("Kartleggingens rekkefølge"),
    "navn": _("Navn (A–Å)"),
    "-navn": _("Navn (Å–A)"),
    "etablert": _("Etablert, eldste først"),
    "-etablert": _("Etablert, nyeste først"),
    "deltakere": _("Deltakere, færrest først"),
    "-deltakere": _("Deltakere, flest først"),
    "arsverk": _("Årsverk, færrest først"),
    "-arsverk": _("Årsverk, flest først"),
}


@dataclass
class ArrangementFilter:
    #: The municipality entity (across renumbering) of a mapped municipality.
    municipality: int | None = None
    participant: ParticipantMatch | None = None
    region: Region | None = None
    county: str = ""
    level: str = ""
    legal_form: str = ""
    sector: str = ""
    status: str = ""
    task_area: int | None = None
    year_from: int | None = None
    year_to: int | None = None
    text: str = ""

    @property
    def active(self) -> bool:
        return any(
            (
                self.municipality is not None,
                self.participant is not None,
                self.region,
                self.county,
                self.level,
                self.legal_form,
                self.sector,
                self.status,
                self.task_area,
                self.year_from is not None,
                self.year_to is not None,
                self.text,
            )
        )


def _members(mapping: Mapping, *conditions: Q, **lookups: object) -> QuerySet:
    """Ids of the arrangements with a participant matching ``lookups`` that takes part on the
    mapping's date (registry/participation.py: the rule of the analyses and the roles) — a
    subquery, no join."""
    return Membership.objects.filter(
        taking_part_q(mapping.cutoff_date), *conditions, **lookups
    ).values("arrangement_id")


def level_ids(mapping: Mapping, level: str) -> set[int]:
    """Counted arrangements at a geographic level (analysis 2: 2–3 local, 4–8 regional, 9+
    higher), counting every participating municipality, also outside the mapped area; where the
    list is partial or a group and the stated count is larger, the stated count is used."""
    _label, low = LEVELS[level]
    high = min((n for _, n in LEVELS.values() if n > low), default=None)
    rows = (
        Arrangement.objects.counted()
        .filter(mapping=mapping)
        .annotate(
            listed=Count(
                "memberships__municipality__municipality",
                filter=Q(memberships__kind="kommune")
                & taking_part_q(mapping.cutoff_date, "memberships__"),
                distinct=True,
            )
        )
        .values_list("id", "listed", "participant_count_stated", "participants_completeness")
    )
    found = set()
    for pk, listed, stated, completeness in rows:
        size = listed
        if completeness in PARTIAL and stated is not None and stated > listed:
            size = stated
        if size >= low and (high is None or size < high):
            found.add(pk)
    return found


def arrangements(mapping: Mapping, filters: ArrangementFilter | None = None) -> QuerySet:
    """The mapping's arrangements matching every given filter, in the file's order, each with
    ``n_participants``. Filters on participants are subqueries, so nothing is counted twice and
    the count of the list needs no join."""
    filters = filters or ArrangementFilter()
    qs = Arrangement.objects.filter(mapping=mapping)
    if filters.municipality is not None:
        qs = qs.filter(id__in=_members(mapping, municipality__municipality_id=filters.municipality))
    if filters.participant is not None:
        qs = qs.filter(id__in=_members(mapping, filters.participant.q("")))
    if filters.region is not None:
        entities = MappingMunicipality.objects.filter(mapping=mapping, region=filters.region)
        qs = qs.filter(
            id__in=_members(
                mapping,
                municipality__municipality_id__in=entities.values("period__municipality_id"),
            )
        )
    if filters.county:
        qs = qs.filter(id__in=_members(mapping, municipality__county__number=filters.county))
    if filters.level:
        qs = qs.filter(id__in=level_ids(mapping, filters.level))
    for attr, value in (("legal_form", filters.legal_form), ("sector", filters.sector)):
        if value == UNKNOWN:
            qs = qs.filter(**{attr: ""})
        elif value:
            qs = qs.filter(**{attr: value})
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.task_area:
        through = Arrangement.task_areas.through.objects.filter(taskarea__nr=filters.task_area)
        qs = qs.filter(id__in=through.values("arrangement_id"))
    if filters.year_from is not None:
        qs = qs.filter(
            Q(established_to__gte=filters.year_from)
            | Q(established_to__isnull=True, established_from__gte=filters.year_from)
        )
    if filters.year_to is not None:
        qs = qs.filter(established_from__lte=filters.year_to)
    if filters.text:
        text = filters.text.strip()
        qs = qs.filter(Q(name__icontains=text) | Q(abbreviation__icontains=text))
    n_members = (
        Membership.objects.filter(arrangement=OuterRef("pk"))
        .order_by()
        .values("arrangement")
        .annotate(n=Count("*"))
        .values("n")
    )
    return (
        qs.select_related("host")
        .annotate(n_participants=Coalesce(Subquery(n_members), 0))
        .order_by("position", "id")
    )


def status_counts(qs: QuerySet) -> dict[str, int]:
    """How many arrangements the list has, and how many of them count."""
    counts = dict(qs.order_by().values_list("status").annotate(n=Count("id")))
    return {"total": sum(counts.values()), "counted": counts.get(COUNTED, 0)}


def sorted_page(qs: QuerySet, sort: str, number: object, total: int, per_page: int) -> Page:
    """One page of the list in the chosen order (``SORTS``). Names sort in the Norwegian
    alphabet (æ, ø, å after z) whatever the database's collation; unknown values come last."""
    descending = sort.startswith("-")
    key = sort.lstrip("-")
    if key == "navn":
        pairs = sorted(qs.values_list("id", "name"), key=lambda row: (nb_key(row[1]), row[0]))
        ids = [pk for pk, _name in (reversed(pairs) if descending else pairs)]
        page = Paginator(ids, per_page).get_page(number)
        objects = qs.in_bulk(list(page.object_list))
        page.object_list = [objects[pk] for pk in page.object_list]
        return page
    columns = {"etablert": "established_from", "deltakere": "n_participants", "arsverk": "arsverk"}
    if key in columns:
        expression = F(columns[key])
        expression = (
            expression.desc(nulls_last=True) if descending else expression.asc(nulls_last=True)
        )
        qs = qs.order_by(expression, "position", "id")
    paginator = Paginator(qs, per_page)
    paginator.count = total  # known from status_counts: no second COUNT query
    return paginator.get_page(number)


def scope_regions(mapping: Mapping) -> list[Region]:
    """The regions of the mapped municipalities, by name."""
    ids = MappingMunicipality.objects.filter(mapping=mapping, region__isnull=False)
    return list(Region.objects.filter(id__in=ids.values("region_id")).order_by("name"))


def counties_at(date: dt.date) -> list[County]:
    """The counties valid on ``date``, by number."""
    return list(
        County.objects.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=date))
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=date))
        .order_by("number")
    )


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


def page_numbers(arrangement: Arrangement, memberships: list[Membership]) -> set[str]:
    """Numbers of the arrangement's municipalities that have a page within its mapping: all its
    municipal participants and its host (see ``_mapping_periods``)."""
    numbers = {m.municipality.number for m in memberships if m.municipality_id}
    if arrangement.host_id:
        numbers.add(arrangement.host.number)
    return numbers
