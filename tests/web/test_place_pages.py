"""The place pages (issue #6): the mapping's map, a municipality's position, size class, partners
and network, and the region page. Expected figures are counted here straight from the database,
not taken from the code under test."""

from __future__ import annotations

import itertools
import re
import xml.etree.ElementTree as ET
from collections import Counter
from html.parser import HTMLParser

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from samarbeid.registry import editing
from samarbeid.registry.models import (
    Arrangement,
    MappingMunicipality,
    Membership,
    MunicipalityPeriod,
    Population,
)
from samarbeid.web import place_maps, places

SVG = "{http://www.w3.org/2000/svg}"
KONGSBERG, OSLO = "3006", "0301"


@pytest.fixture(autouse=True)
def _empty_facts_cache():
    """The facts are cached by registry generation, which can repeat between tests (rollback)."""
    caches["default"].clear()
    yield
    caches["default"].clear()


def _url(name: str, *args) -> str:
    return reverse(f"web:{name}", args=args)


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.headings: list[int] = []

    def handle_starttag(self, tag, attrs) -> None:
        self.tags.append((tag, dict(attrs)))
        if re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))


def _tags(html: str) -> _Tags:
    parser = _Tags()
    parser.feed(html)
    return parser


# --- Independent counts from the database --------------------------------------------------------


def _scope(mapping) -> dict[str, tuple[int, str, str]]:
    """number -> (municipality entity, name, region)."""
    return {
        e.period.number: (
            e.period.municipality_id,
            e.period.name,
            e.region.name if e.region else "",
        )
        for e in MappingMunicipality.objects.filter(mapping=mapping).select_related(
            "period", "region"
        )
    }


def _participants(mapping) -> dict[int, set[int]]:
    """Counted arrangement id -> the municipality entities taking part."""
    out: dict[int, set[int]] = {}
    for arrangement_id, entity in Membership.objects.filter(
        arrangement__mapping=mapping, arrangement__status="telles", municipality__isnull=False
    ).values_list("arrangement_id", "municipality__municipality_id"):
        out.setdefault(arrangement_id, set()).add(entity)
    return out


def _counts(mapping) -> dict[str, int]:
    scope = _scope(mapping)
    parts = _participants(mapping)
    return {n: sum(e in p for p in parts.values()) for n, (e, _, _) in scope.items()}


# --- The mapping page and its map ---------------------------------------------------------------


def test_map_svg_is_served(client, loaded_example):
    url = _url("mapping_map", loaded_example.pk)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml; charset=utf-8"
    root = ET.fromstring(response.content)  # well-formed XML
    assert root.tag == f"{SVG}svg"
    # One path per mapped municipality (drawn with a dark outline; neighbours have white ones).
    mapped = [p for p in root.iter(f"{SVG}path") if "stroke: #555555" in p.get("style", "")]
    assert len(mapped) == MappingMunicipality.objects.filter(mapping=loaded_example).count() == 25
    texts = " ".join(t.text or "" for t in root.iter(f"{SVG}text"))
    counts = _counts(loaded_example)
    for number, (_, name, _) in _scope(loaded_example).items():
        assert f"{name}\n{counts[number]}" in texts or name in texts, name
    # Its own policy: styles inside the SVG document, nothing else.
    policy = response["Content-Security-Policy"]
    assert "default-src 'none'" in policy and "script" not in policy
    # Revalidation by ETag: nothing is sent again while the registry is unchanged.
    again = client.get(url, HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304 and not again.content


def test_map_svg_of_a_mapping_without_scope_is_404(client, loaded_example):
    MappingMunicipality.objects.filter(mapping=loaded_example).delete()
    assert client.get(_url("mapping_map", loaded_example.pk)).status_code == 404
    response = client.get(_url("mapping", loaded_example.pk))
    assert response.status_code == 200 and b"kart.svg" not in response.content


def test_mapping_page_shows_the_map_and_links_the_regions(client, loaded_example):
    html = client.get(_url("mapping", loaded_example.pk)).content.decode()
    img = [a for t, a in _tags(html).tags if t == "img" and "kart.svg" in a.get("src", "")]
    assert len(img) == 1
    counts = _counts(loaded_example)
    names = {n: name for n, (_, name, _) in _scope(loaded_example).items()}
    most = max(counts, key=lambda n: counts[n])
    least = min(counts, key=lambda n: counts[n])
    alt = img[0]["alt"]
    assert f"{names[most]} ({counts[most]})" in alt and f"{names[least]} ({counts[least]})" in alt
    regions = {r for _, _, r in _scope(loaded_example).values()}
    hrefs = set(re.findall(rf'href="(/kartlegginger/{loaded_example.pk}/regioner/[^"]+)"', html))
    assert len(hrefs) == len(regions) == 5
    assert f"/kartlegginger/{loaded_example.pk}/regioner/kongsbergregionen/" in hrefs


# --- One municipality ---------------------------------------------------------------------------


def _size_class(population: int) -> str:
    return "< 5 000" if population < 5000 else "5 000–15 000" if population <= 15000 else "> 15 000"


def test_municipality_compared_with_its_size_class(client, loaded_example):
    scope = _scope(loaded_example)
    counts = _counts(loaded_example)
    year = loaded_example.cutoff_date.year
    population = dict(
        Population.objects.filter(
            year=year, municipality_id__in=[e for e, _, _ in scope.values()]
        ).values_list("municipality_id", "population")
    )
    classes = {n: _size_class(population[e]) for n, (e, _, _) in scope.items()}
    response = client.get(_url("municipality", loaded_example.pk, KONGSBERG))
    own = response.context["own"]
    size_class = response.context["size_class"]
    peers = [counts[n] for n in scope if classes[n] == classes[KONGSBERG]]
    assert own.arrangements == counts[KONGSBERG]
    assert size_class.label == classes[KONGSBERG] == "> 15 000"
    assert size_class.municipalities == len(peers)
    assert size_class.mean == round(sum(peers) / len(peers), 1)
    assert response.context["facts"].mean == round(sum(counts.values()) / len(counts), 1)
    html = response.content.decode()
    mean = f"{size_class.mean:.1f}".replace(".", ",").removesuffix(",0")
    assert "Kommuner med over 15 000 innbyggere" in html
    assert re.search(rf">\s*{re.escape(mean)}\s*<", html)


def test_municipality_partners(client, loaded_example):
    scope = _scope(loaded_example)
    entity = scope[KONGSBERG][0]
    parts = _participants(loaded_example).values()
    shared = {
        n: sum(entity in p and e in p for p in parts)
        for n, (e, _, _) in scope.items()
        if n != KONGSBERG
    }
    shared = {n: k for n, k in shared.items() if k}
    ties = sum(shared.values())
    response = client.get(_url("municipality", loaded_example.pk, KONGSBERG))
    rows = response.context["partner_rows"]
    assert len(rows) == min(10, len(shared))
    shown = [row["partner"] for row in rows]
    # The strongest ties, strongest first, each with its count and share of all ties.
    assert [p.shared for p in shown] == sorted(shared.values(), reverse=True)[: len(rows)]
    for partner in shown:
        assert partner.shared == shared[partner.number], partner.name
        assert partner.share == round(100 * shared[partner.number] / ties, 1)
    assert response.context["own"].ties == ties
    html = response.content.decode()
    first = shown[0]
    assert (
        f'href="{_url("municipality", loaded_example.pk, first.number)}">{first.name}</a>' in html
    )
    # The count links to the list of the counted arrangements the two share.
    listed = client.get(rows[0]["url"])
    assert listed.context["counts"]["total"] == first.shared


def test_partners_agree_with_the_network_table(client, loaded_example):
    from samarbeid.analysis import network
    from samarbeid.registry.snapshot import mapping_data

    table = network.network_tables(mapping_data(loaded_example))[2]
    expected = [(row[1], row[2]) for row in table.rows if row[0] == "Kongsberg"]
    rows = client.get(_url("municipality", loaded_example.pk, KONGSBERG)).context["partner_rows"]
    assert [(r["partner"].name, r["partner"].share) for r in rows[: len(expected)]] == expected


def test_municipality_network_and_community(client, loaded_example):
    from samarbeid.analysis import network
    from samarbeid.registry.snapshot import mapping_data

    communities = network.network_tables(mapping_data(loaded_example))[1]
    (own,) = [row for row in communities.rows if "Kongsberg" in row[1].split(", ")]
    response = client.get(_url("municipality", loaded_example.pk, KONGSBERG))
    community = response.context["community"]
    assert {m.name for m in community} == set(own[1].split(", ")) - {"Kongsberg"}
    html = response.content.decode()
    assert f"hører Kongsberg til fellesskap {own[0]} av {len(communities.rows)}" in html
    # The network figure: one line per partner, and a text alternative naming the strongest.
    svgs = re.findall(r"<svg\b.*?</svg>", html, re.S)
    figure = ET.fromstring(next(s for s in svgs if "<line" in s))
    rows = response.context["partner_rows"]
    assert len(list(figure.iter(f"{SVG}line"))) == len(rows)
    top = rows[0]["partner"]
    assert figure.get("role") == "img"
    assert f"{top.name} {top.shared}" in figure.get("aria-label")


def test_municipality_map_position(client, loaded_example):
    response = client.get(_url("municipality", loaded_example.pk, KONGSBERG))
    svg = re.search(r"<svg\b.*?</svg>", response.content.decode(), re.S).group(0)
    root = ET.fromstring(svg)
    assert root.get("role") == "img" and "Kongsberg" in root.get("aria-label")
    titled = {
        p.find(f"{SVG}title").text: p.get("fill")
        for p in root.iter(f"{SVG}path")
        if p.find(f"{SVG}title") is not None
    }
    scope = _scope(loaded_example)
    assert set(titled) == {name for _, name, _ in scope.values()}  # one path each
    region = scope[KONGSBERG][2]
    assert titled["Kongsberg"] == place_maps.HIGHLIGHT
    same_region = {name for _, name, r in scope.values() if r == region} - {"Kongsberg"}
    assert {n for n, fill in titled.items() if fill == place_maps.RELATED} == same_region
    html = response.content.decode()
    assert f'href="{_url("region", loaded_example.pk, "kongsbergregionen")}">{region}</a>' in html


def test_municipality_outside_the_area(client, loaded_example):
    response = client.get(_url("municipality", loaded_example.pk, OSLO))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Oslo er ikke med i det kartlagte området" in html
    assert "<svg" not in html and "Samarbeidspartnere" not in html
    assert "own" not in response.context


def test_facts_are_computed_once_per_registry_generation(
    client, loaded_example, django_user_model, monkeypatch
):
    from samarbeid.registry import snapshot

    calls = Counter()
    real = snapshot.mapping_data

    def counting(mapping, *args, **kwargs):
        calls["mapping_data"] += 1
        return real(mapping, *args, **kwargs)

    monkeypatch.setattr(snapshot, "mapping_data", counting)
    url = _url("municipality", loaded_example.pk, KONGSBERG)
    before = client.get(url).context["own"].arrangements
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
        client.get(_url("region", loaded_example.pk, "kongsbergregionen"))
    assert calls["mapping_data"] == 1
    assert len(queries) < 40
    # A change to the registry makes the facts stale: Kongsberg leaves one counted arrangement.
    arrangement = Arrangement.objects.get(mapping=loaded_example, ref="BUS21-001")
    admin = django_user_model.objects.create_superuser("admin", password="x")
    editing.update_arrangement(
        arrangement,
        {"status": "avsluttet", "avsluttet": "2021"},
        None,
        user=admin,
        source="Test",
        expected_version=arrangement.version,
    )
    assert client.get(url).context["own"].arrangements == before - 1
    assert calls["mapping_data"] == 2


# --- The region page ----------------------------------------------------------------------------


def test_region_page_figures(client, loaded_example):
    scope = _scope(loaded_example)
    region = "Kongsbergregionen"
    members = {e for e, _, r in scope.values() if r == region}
    in_area = {e for e, _, _ in scope.values()}
    levels = Counter()
    for entities in _participants(loaded_example).values():
        if not entities & members:
            continue
        if entities <= members:
            levels["innad"] += 1
        elif entities <= in_area:
            levels["andre-regioner"] += 1
        else:
            levels["utenfor"] += 1
    response = client.get(_url("region", loaded_example.pk, "kongsbergregionen"))
    assert response.status_code == 200
    shown = {level["id"]: len(level["arrangements"]) for level in response.context["levels"]}
    assert shown == dict(levels)
    found = response.context["region"]
    assert found.touching == sum(levels.values())
    counts = _counts(loaded_example)
    mine = [counts[n] for n, (_, _, r) in scope.items() if r == region]
    assert found.mean == round(sum(mine) / len(mine), 1)
    html = response.content.decode()
    for number, (_, name, r) in scope.items():
        link = f'href="{_url("municipality", loaded_example.pk, number)}">{name}</a>'
        assert (link in html) == (r == region), name
    assert "Kongsbergregionen IKPR" in html  # the regional council (analysis 11)


def test_region_split_agrees_with_the_regional_portraits(client, loaded_example):
    from samarbeid.analysis import regions
    from samarbeid.registry.snapshot import mapping_data

    table = regions.regional_portraits(mapping_data(loaded_example))
    for row in table.rows:
        link = next(r for r in places.regions(places.scope(loaded_example)) if r.name == row[0])
        found = client.get(_url("region", loaded_example.pk, link.slug)).context["region"]
        assert len(found.inside) == row[4], row[0]
        assert len(found.across) + len(found.outside) == row[5], row[0]


@pytest.mark.parametrize("slug", ["finnes-ikke", "kongsberg"])
def test_unknown_region_is_404(client, loaded_example, slug):
    assert client.get(_url("region", loaded_example.pk, slug)).status_code == 404


def test_mapping_without_regions(client, loaded_example):
    MappingMunicipality.objects.filter(mapping=loaded_example).update(region=None)
    assert client.get(_url("region", loaded_example.pk, "kongsbergregionen")).status_code == 404
    html = client.get(_url("mapping", loaded_example.pk)).content.decode()
    assert "/regioner/" not in html
    html = client.get(_url("municipality", loaded_example.pk, KONGSBERG)).content.decode()
    assert "/regioner/" not in html
    assert client.get(_url("region", 999, "kongsbergregionen")).status_code == 404


def test_region_slugs_are_unique_and_ascii():
    entries = [
        places.ScopeEntry("1", "A", "Øvre Numedal"),
        places.ScopeEntry("2", "B", "Ovre Numedal"),
        places.ScopeEntry("3", "C", "Øvre Numedal"),
        places.ScopeEntry("4", "D", ""),
    ]
    links = places.regions(entries)
    assert [(r.slug, r.municipalities) for r in links] == [
        ("ovre-numedal", 2),
        ("ovre-numedal-2", 1),
    ]


# --- Markup: accessible and within the Content-Security-Policy ---------------------------------


@pytest.mark.parametrize(
    "page",
    [
        ("mapping",),
        ("municipality", KONGSBERG),
        ("municipality", OSLO),
        ("region", "kongsbergregionen"),
    ],
)
def test_markup(client, loaded_example, page):
    name, *args = page
    html = client.get(_url(name, loaded_example.pk, *args)).content.decode()
    parsed = _tags(html)
    assert parsed.headings.count(1) == 1 and parsed.headings[0] == 1
    assert all(b - a <= 1 for a, b in itertools.pairwise(parsed.headings))
    for tag, attrs in parsed.tags:
        assert tag not in ("style", "script") or "src" in attrs, tag
        assert "style" not in attrs, (tag, attrs)
        if tag == "svg":
            assert attrs.get("role") == "img" and attrs.get("aria-label")
        if tag == "img":
            assert attrs.get("alt")
        if tag == "th":
            assert attrs.get("scope") in ("col", "row")
    assert html.count("<table") == html.count("<caption")
    for svg in re.findall(r"<svg\b.*?</svg>", html, re.S):
        ET.fromstring(svg)  # well-formed, so the numbers are not localised ("12,5")


def test_every_municipality_page_renders(client, loaded_example):
    for number in [*_scope(loaded_example), OSLO]:
        assert client.get(_url("municipality", loaded_example.pk, number)).status_code == 200


def test_overview_reads_co_participants_without_membership_objects(loaded_example):
    period = MunicipalityPeriod.objects.get(number=KONGSBERG, name="Kongsberg")
    with CaptureQueriesContext(connection) as queries:
        overview = places.municipality_overview(loaded_example, period)
    assert len(queries) <= 6
    first = overview.counted[0]
    assert first.arrangement.ref == "BUS21-001" and "Kongsberg" not in first.others
    expected = [
        m.municipality.name
        if m.municipality_id
        else (m.county.name if m.county_id else m.other_name)
        for m in Membership.objects.filter(arrangement=first.arrangement)
        .select_related("municipality", "county")
        .order_by("position", "id")
        if not (m.municipality_id and m.municipality.name == "Kongsberg")
    ]
    assert first.others == expected
