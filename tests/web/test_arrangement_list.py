"""The arrangement list's filters (region, county, level, year) and sort orders, checked against
answers worked out here by another route (plain Python over the database rows, or the analysis)."""

from __future__ import annotations

import re

import pytest
from django import forms
from django.urls import reverse

from samarbeid.analysis.extent import geographic_level
from samarbeid.analysis.overview import nb_key
from samarbeid.registry.models import Arrangement, Mapping, MappingMunicipality, Membership
from samarbeid.registry.snapshot import mapping_data
from samarbeid.web import queries
from samarbeid.web.widgets import FastSelect


def _get(client, mapping: Mapping, expect: int = 200, **params):
    response = client.get(reverse("web:arrangements", args=[mapping.pk]), params)
    assert response.status_code == expect
    return response


def _all_refs(client, mapping: Mapping, **params) -> list[str]:
    refs: list[str] = []
    page = 1
    while True:
        response = _get(client, mapping, side=page, **params)
        refs += [a.ref for a in response.context["page"].object_list]
        if not response.context["page"].has_next():
            return refs
        page += 1


def _refs_where(mapping: Mapping, keep) -> set[str]:
    """Refs of the arrangements with at least one membership for which ``keep(m)`` is true."""
    members = Membership.objects.filter(arrangement__mapping=mapping).select_related(
        "arrangement", "municipality", "municipality__county"
    )
    return {m.arrangement.ref for m in members if keep(m)}


def test_filter_by_region(client, loaded_example):
    entries = MappingMunicipality.objects.filter(mapping=loaded_example).select_related(
        "region", "period"
    )
    regions = {e.region.name for e in entries if e.region}
    assert len(regions) >= 2
    for region in sorted(regions):
        entities = {
            e.period.municipality_id for e in entries if e.region and e.region.name == region
        }
        expected = _refs_where(
            loaded_example,
            lambda m, entities=entities: (
                m.municipality and m.municipality.municipality_id in entities
            ),
        )
        refs = _all_refs(client, loaded_example, region=region)
        assert set(refs) == expected and len(refs) == len(expected), region


def test_filter_by_county_of_any_participant(client, loaded_example):
    expected = _refs_where(
        loaded_example, lambda m: m.municipality and m.municipality.county.number == "38"
    )
    assert expected  # Buskerud's neighbours in Vestfold og Telemark take part in some
    assert set(_all_refs(client, loaded_example, fylke="38")) == expected
    options = _get(client, loaded_example).context["form"].fields["fylke"].choices
    assert ("30", "Viken (30)") in options and not any(c[0] == "32" for c in options)  # 2021


def test_level_filter_agrees_with_the_analysis(client, loaded_example):
    """One rule set: the list's level filter gives exactly the refs of analysis 2's rows."""
    table = geographic_level(mapping_data(loaded_example))
    by_label = {row[0]: set(ids) for row, ids in zip(table.rows, table.ids, strict=True)}
    for code, (label, _low) in queries.LEVELS.items():
        refs = _all_refs(client, loaded_example, niva=code)
        assert set(refs) == by_label[label], code
        assert len(refs) == len(by_label[label])
    assert sum(len(v) for v in by_label.values()) == table.n


def test_filter_by_establishment_years(client, loaded_example):
    rows = Arrangement.objects.filter(mapping=loaded_example)

    def established(a: Arrangement, first: int | None, last: int | None) -> bool:
        if a.established_from is None:
            return False
        end = a.established_to or a.established_from
        return (first is None or end >= first) and (last is None or a.established_from <= last)

    for first, last in ((2010, None), (None, 1999), (2000, 2009), (2015, 2015)):
        params = {k: v for k, v in (("etablert_fra", first), ("etablert_til", last)) if v}
        expected = {a.ref for a in rows if established(a, first, last)}
        assert expected, params
        assert set(_all_refs(client, loaded_example, **params)) == expected, params


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"etablert_fra": "2010", "etablert_til": "2000"}, "etablert_til", "er før «fra år»"),
        ({"etablert_fra": "tjue"}, "etablert_fra", "Oppgi et heltall"),
        ({"etablert_til": "3000"}, "etablert_til", "2100"),
        ({"niva": "kommunalt"}, "niva", "Velg et gyldig valg"),
        ({"region": "Nordland"}, "region", "Velg et gyldig valg"),
        ({"sorter": "pris"}, "sorter", "Velg et gyldig valg"),
    ],
)
def test_bad_filter_is_a_400_with_a_message(client, loaded_example, params, field, message):
    response = _get(client, loaded_example, expect=400, **params)
    assert response.context["page"] is None
    assert message in " ".join(response.context["form"].errors[field])
    assert f'href="#id_{field}"' in response.content.decode()


def test_sort_by_name_uses_the_norwegian_alphabet(client, loaded_example):
    names = list(Arrangement.objects.filter(mapping=loaded_example).values_list("name", flat=True))
    expected = sorted(names, key=nb_key)
    first_letters = [n[:1].upper() for n in expected]
    assert "Å" not in first_letters[: first_letters.index("Ø")] if "Ø" in first_letters else True
    pages = []
    for page in (1, 2, 3, 4, 5):
        response = _get(client, loaded_example, sorter="navn", side=page)
        pages += [a.name for a in response.context["page"].object_list]
    assert pages == expected
    backwards = _get(client, loaded_example, sorter="-navn").context["page"].object_list
    assert [a.name for a in backwards] == expected[::-1][:50]


@pytest.mark.parametrize(
    ("sort", "attr"),
    [("-deltakere", "n_participants"), ("arsverk", "arsverk"), ("-etablert", "established_from")],
)
def test_sort_by_a_number_puts_unknown_last(client, loaded_example, sort, attr):
    refs = _all_refs(client, loaded_example, sorter=sort)
    qs = queries.arrangements(loaded_example)
    by_ref = {a.ref: getattr(a, attr) for a in qs}
    values = [by_ref[r] for r in refs]
    known = [v for v in values if v is not None]
    assert values[: len(known)] == known  # every unknown after every known value
    assert known == sorted(known, reverse=sort.startswith("-"))
    assert len(refs) == len(by_ref)


def test_sortable_headers_link_and_announce_the_order(client, loaded_example):
    html = _get(client, loaded_example, sorter="navn", fylke="30").content.decode()
    header = re.search(r'<th scope="col" aria-sort="ascending"><a href="\?([^"]+)">Ordning', html)
    assert header, "the name column says it is sorted ascending"
    assert "sorter=-navn" in header.group(1) and "fylke=30" in header.group(1)
    assert "side=" not in header.group(1)  # a new order starts on page 1
    assert html.count("aria-sort=") == 1


def test_fast_select_writes_what_django_writes():
    choices = [("", "Alle"), ("1", "Ål & <Våler>"), ("Gruppe", [("2", "b"), ("3", "c")])]
    attrs = {"id": "id_x", "aria-describedby": "id_x_helptext", "required": True}
    for value in ("", "1", "3", None):
        ours = FastSelect(choices=choices).render("x", value, attrs)
        django = forms.Select(choices=choices).render("x", value, attrs)
        assert re.sub(r"\s+", " ", ours) == re.sub(r"\s+", " ", django)


def test_long_lists_elide_page_links(client, loaded_example, monkeypatch):
    from samarbeid.web import views

    total = Arrangement.objects.filter(mapping=loaded_example).count()
    last = -(-total // 10)
    assert _get(client, loaded_example).context["pages"] == list(range(1, -(-total // 50) + 1))
    monkeypatch.setattr(views, "PAGE_SIZE", 10)
    response = _get(client, loaded_example, side=12, sorter="navn")
    ellipsis = response.context["page"].paginator.ELLIPSIS
    assert response.context["pages"] == [1, ellipsis, 10, 11, 12, 13, 14, ellipsis, last]
    html = response.content.decode()
    assert 'href="?sorter=navn&amp;side=12" aria-current="page"' in html
    assert html.count('<span aria-hidden="true">…</span>') == 2
