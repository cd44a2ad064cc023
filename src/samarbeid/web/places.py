"""Queries behind the place pages: one municipality in a mapping (analysis 13 of the method, its
hosts, partners and network) and a region. The views only pick and render; the maps on these
pages are drawn by :mod:`.place_maps`.

Counting follows the registry (nivi-method.md §1): only arrangements with status ``telles`` count;
"hosted" and "served by others" need a known host. Unknown stays unknown.

The figures that need the analysis (size classes, the network, the regional portraits) come from
:func:`place_facts`: the analysis functions run once per mapping and registry generation
(:func:`~samarbeid.web.page_cache.generation`) and the little the pages show is kept in Django's
cache, so a page view never runs the whole analysis.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from django.core.cache import caches
from django.db.models import Q

from samarbeid.analysis.model import MappingData
from samarbeid.registry.models import (
    Arrangement,
    Mapping,
    MappingMunicipality,
    Membership,
    MunicipalityPeriod,
    Population,
)
from samarbeid.registry.participation import taking_part_q
from samarbeid.reports.fmt import slug

from .page_cache import generation
from .queries import COUNTED, _mapping_periods

# --- One municipality in a mapping --------------------------------------------------------------


def municipality_in_mapping(mapping: Mapping, number: str) -> MunicipalityPeriod | None:
    """The municipality with this number in the mapping: in its scope, else a participant or host."""
    entry = (
        MappingMunicipality.objects.filter(mapping=mapping, period__number=number)
        .select_related("period", "period__county")
        .first()
    )
    if entry is not None:
        return entry.period
    return (
        _mapping_periods(mapping)
        .filter(number=number)
        .select_related("county")
        .order_by("-valid_from")
        .first()
    )


@dataclass
class MunicipalityRow:
    arrangement: Arrangement
    others: list[str]


@dataclass
class MunicipalityOverview:
    period: MunicipalityPeriod
    in_scope: bool
    region: str
    population: int | None
    population_year: int
    counted: list[MunicipalityRow]
    not_counted: list[MunicipalityRow]
    hosted: list[Arrangement]
    served_by_others: list[Arrangement]
    host_unknown: int


def _co_participants(arrangements: Q, entity: int) -> dict[int, list[str]]:
    """Per arrangement id: the names of its participants other than the municipality ``entity``,
    in the file's order. One query of plain values: no Membership objects are built (the largest
    municipality of the national benchmark takes part with 4 600 others in all)."""
    rows = (
        Membership.objects.filter(arrangements)
        .order_by("arrangement_id", "position", "id")
        .values_list(
            "arrangement_id",
            "municipality__municipality_id",
            "municipality__name",
            "county__name",
            "other_name",
        )
    )
    others: dict[int, list[str]] = {}
    for arrangement_id, member_entity, name, county, other in rows:
        if member_entity == entity:
            continue
        others.setdefault(arrangement_id, []).append(name or county or other)
    return others


def municipality_overview(mapping: Mapping, period: MunicipalityPeriod) -> MunicipalityOverview:
    """Analysis 13 of the method for one municipality: every arrangement it takes part in, with
    the co-participants, legal form, host, year and staff-years; what it hosts; who serves it."""
    entity = period.municipality_id
    scope_entry = (
        MappingMunicipality.objects.filter(mapping=mapping, period=period)
        .select_related("region")
        .first()
    )
    # The arrangements it takes part in on the mapping's date (participation.py), read once as a
    # list: as a subquery in the two queries below, PostgreSQL without fresh statistics (right
    # after an import, or a test's restored rows) planned it to run for seconds.
    taking_part_ids = sorted(
        set(
            Membership.objects.filter(
                taking_part_q(mapping.cutoff_date),
                arrangement__mapping=mapping,
                municipality__municipality=entity,
            ).values_list("arrangement_id", flat=True)
        )
    )
    taking_part = (
        Arrangement.objects.filter(id__in=taking_part_ids)
        .select_related("host")
        .order_by("position", "id")
    )
    others = _co_participants(
        Q(arrangement_id__in=taking_part_ids) & taking_part_q(mapping.cutoff_date), entity
    )
    counted: list[MunicipalityRow] = []
    not_counted: list[MunicipalityRow] = []
    served: list[Arrangement] = []
    host_unknown = 0
    for arrangement in taking_part:
        row = MunicipalityRow(arrangement, others.get(arrangement.id, []))
        if arrangement.status != COUNTED:
            not_counted.append(row)
            continue
        counted.append(row)
        if arrangement.host_id is None:
            host_unknown += arrangement.host_status == ""
        elif arrangement.host.municipality_id != entity:
            served.append(arrangement)
    hosted = list(
        Arrangement.objects.filter(
            mapping=mapping, status=COUNTED, host__municipality_id=entity
        ).order_by("position", "id")
    )
    year = mapping.cutoff_date.year
    population = (
        Population.objects.filter(municipality_id=entity, year=year)
        .values_list("population", flat=True)
        .first()
    )
    return MunicipalityOverview(
        period=period,
        in_scope=scope_entry is not None,
        region=scope_entry.region.name if scope_entry and scope_entry.region else "",
        population=population,
        population_year=year,
        counted=counted,
        not_counted=not_counted,
        hosted=hosted,
        served_by_others=served,
        host_unknown=host_unknown,
    )


# --- Scope and regions --------------------------------------------------------------------------


@dataclass(frozen=True)
class ScopeEntry:
    number: str
    name: str
    region: str


def scope(mapping: Mapping) -> list[ScopeEntry]:
    """The mapped municipalities in the mapping's order (the order the analysis uses)."""
    rows = (
        MappingMunicipality.objects.filter(mapping=mapping)
        .order_by("position", "id")
        .values_list("period__number", "period__name", "region__name")
    )
    return [ScopeEntry(number, name, region or "") for number, name, region in rows]


@dataclass(frozen=True)
class RegionLink:
    name: str
    slug: str
    municipalities: int


def regions(entries: list[ScopeEntry]) -> list[RegionLink]:
    """The regions of a scope in order of first appearance, each with a slug unique in the
    mapping ("Øvre Numedal" -> "ovre-numedal"); none when the mapping has no regions."""
    counts: dict[str, int] = {}
    for entry in entries:
        if entry.region:
            counts[entry.region] = counts.get(entry.region, 0) + 1
    links: list[RegionLink] = []
    used: set[str] = set()
    for name, n in counts.items():
        base = candidate = slug(name)
        suffix = 2
        while candidate in used:
            candidate, suffix = f"{base}-{suffix}", suffix + 1
        used.add(candidate)
        links.append(RegionLink(name, candidate, n))
    return links


# --- What the pages need from the analysis ------------------------------------------------------

#: Partners kept per municipality (the strongest ties first).
TOP_PARTNERS = 10
FACTS_TIMEOUT_S = 24 * 60 * 60
#: Part of the cache key: a new layout of the facts must not meet pickles of an old one.
FACTS_VERSION = 1


@dataclass
class Partner:
    number: str
    name: str
    shared: int  # counted arrangements both take part in
    share: float  # percent of the municipality's ties (network.py, nettverk_naboandeler)


@dataclass
class MunicipalityFacts:
    number: str
    name: str
    region: str
    population: int | None
    size_class: str  # "" unknown
    arrangements: int
    partners: list[Partner]
    partner_count: int
    ties: int  # shared arrangements summed over all partners (the shares' denominator)
    community: int  # 0: in no community (no shared arrangement with another mapped municipality)


@dataclass
class SizeClass:
    label: str
    municipalities: int
    mean: float | None


@dataclass
class RegionFacts:
    name: str
    numbers: list[str]
    mean: float | None
    touching: int  # counted arrangements with at least one participant from the region
    inside: list[str]  # refs: every municipal participant is in the region
    across: list[str]  # refs: with other mapped municipalities only
    outside: list[str]  # refs: with at least one municipality outside the mapped area
    councils: str
    council_forms: str
    clusters: str


@dataclass
class PlaceFacts:
    municipalities: dict[str, MunicipalityFacts]  # by number, in the scope's order
    size_classes: list[SizeClass]
    size_class_note: str
    mean: float | None
    communities: dict[int, list[str]]  # community number -> municipality numbers
    community_method: str  # how the communities were found
    network_note: str  # arrangements left out of the network (too many participants), or ""
    regions: dict[str, RegionFacts] = field(default_factory=dict)


def place_facts(mapping: Mapping) -> PlaceFacts:
    """The facts of :func:`build_facts`, computed once per mapping and registry generation."""
    stamp = hashlib.sha256(generation().encode()).hexdigest()[:16]
    key = f"steder:{FACTS_VERSION}:{mapping.pk}:{stamp}"
    cache = caches["default"]
    facts = cache.get(key)
    if facts is None:
        from samarbeid.registry.snapshot import mapping_data

        facts = build_facts(mapping_data(mapping))
        cache.set(key, facts, FACTS_TIMEOUT_S)
    return facts


def build_facts(data: MappingData) -> PlaceFacts:
    """The place pages' share of the analysis: arrangements per municipality and size class
    (analysis 3), the network's partners and communities, and the regional portraits (11)."""
    from samarbeid.analysis import extent, network

    scope = data.municipalities
    number_of = dict(zip(map(str, scope["entity"]), map(str, scope["number"]), strict=True))
    by_name = dict(zip(map(str, scope["name"]), map(str, scope["number"]), strict=True))
    info = {
        str(n): (str(r), str(c))
        for n, r, c in zip(scope["number"], scope["region"], scope["size_class"], strict=True)
    }
    _pairs, community_table, shares_table = network.network_tables(data)
    communities = {
        int(row[0]): [by_name[name] for name in str(row[1]).split(", ") if name in by_name]
        for row in community_table.rows
    }
    community_of = {n: c for c, numbers in communities.items() for n in numbers}
    partners = _partners(network.graph(data), number_of)
    municipalities = {}
    for number, name, population, count, *_hosting in extent.per_municipality(data).rows:
        ties = partners.get(number, [])
        municipalities[number] = MunicipalityFacts(
            number=number,
            name=name,
            region=info[number][0],
            population=population,
            size_class=info[number][1],
            arrangements=int(count),
            partners=ties[:TOP_PARTNERS],
            partner_count=len(ties),
            ties=sum(p.shared for p in ties),
            community=community_of.get(number, 0),
        )
    order = {str(n): i for i, n in enumerate(scope["number"])}
    municipalities = dict(sorted(municipalities.items(), key=lambda kv: order[kv[0]]))
    sizes = extent.size_classes(data)
    counts = [m.arrangements for m in municipalities.values()]
    return PlaceFacts(
        municipalities=municipalities,
        size_classes=[SizeClass(str(c), int(k), m) for c, k, m in sizes.rows],
        size_class_note=sizes.note,
        mean=round(sum(counts) / len(counts), 1) if counts else None,
        communities=communities,
        community_method=community_table.note.split(". ")[0].rstrip(".") + ".",
        network_note=shares_table.note,
        regions=_region_facts(data),
    )


def _partners(graph, number_of: dict[str, str]) -> dict[str, list[Partner]]:
    """Every municipality's partners in the network, strongest first (ties by name, as in
    :mod:`samarbeid.analysis.network`), with the share of its ties: weight / sum of weights."""
    from samarbeid.analysis.overview import nb_key

    out: dict[str, list[Partner]] = {}
    for node in graph.nodes:
        edges = [(other, int(w)) for _, other, w in graph.edges(node, data="weight")]
        total = sum(w for _, w in edges)
        edges.sort(key=lambda e: (-e[1], nb_key(graph.nodes[e[0]]["name"])))
        out[number_of[node]] = [
            Partner(
                number_of[other],
                graph.nodes[other]["name"],
                w,
                round(100.0 * w / total, 1),
            )
            for other, w in edges
        ]
    return out


def _region_facts(data: MappingData) -> dict[str, RegionFacts]:
    """Per region: the portrait (analysis 11) and the mean per municipality (analysis 3), and
    the arrangements with others split into those within the mapped area and the rest."""
    from samarbeid.analysis import extent, regions

    scope = data.municipalities
    region_of = {str(e): str(r) for e, r in zip(scope["entity"], scope["region"], strict=True)}
    numbers: dict[str, list[str]] = {}
    for number, region in zip(scope["number"], scope["region"], strict=True):
        if region:
            numbers.setdefault(str(region), []).append(str(number))
    members = data.counted_memberships()
    members = members[(members["kind"] == "kommune") & (members["entity"] != "")]
    participants: dict[str, set[str]] = {}
    for ref, entity in zip(members["ref"], members["entity"], strict=True):
        participants.setdefault(str(ref), set()).add(str(entity))
    per_region = {str(row[0]): row for row in extent.per_region(data).rows}
    portraits = regions.regional_portraits(data)
    out: dict[str, RegionFacts] = {}
    for row, refs in zip(portraits.rows, portraits.ids, strict=True):
        name = str(row[0])
        inside, across, outside = [], [], []
        for ref in refs:
            homes = {region_of.get(e) for e in participants.get(ref, ())}
            if homes == {name}:
                inside.append(ref)
            elif None in homes:
                outside.append(ref)
            else:
                across.append(ref)
        out[name] = RegionFacts(
            name=name,
            numbers=numbers.get(name, []),
            mean=per_region[name][2] if name in per_region else None,
            touching=int(per_region[name][3]) if name in per_region else len(refs),
            inside=inside,
            across=across,
            outside=outside,
            councils=str(row[2]),
            council_forms=str(row[3]),
            clusters=str(row[6]),
        )
    return out


def arrangement_names(mapping: Mapping, refs: list[str]) -> list[tuple[str, str]]:
    """(ref, name) of the given arrangements, in the file's order (a long list of refs reads
    the mapping's names rather than growing one SQL parameter per ref)."""
    rows = Arrangement.objects.filter(mapping=mapping).order_by("position", "id")
    if len(refs) <= 500:
        rows = rows.filter(ref__in=refs)
    wanted = set(refs)
    return [(ref, name) for ref, name in rows.values_list("ref", "name") if ref in wanted]
