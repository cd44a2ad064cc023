"""Extent analyses (nivi-method.md 4.1–4.6) on a hand-made mapping whose answers are worked out
below, plus the real Buskerud 2021 example through the database."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from samarbeid.analysis import content, extent
from samarbeid.analysis.model import MappingData, Table
from tests.analysis.factory import make_data, municipality

# The mapped area spans two counties: Viken (30: Aby, Bby, Cby, Eby) and Vestfold og Telemark
# (38: Dby). Regions: Vest = Aby, Bby; Øst = Cby, Dby; Eby has none (and no known population).
VT = {"county": "38", "county_name": "Vestfold og Telemark"}
SCOPE = [
    municipality("3001", "Aby", 3000, region="Vest"),
    municipality("3002", "Bby", 10000, region="Vest"),
    municipality("3003", "Cby", 20000, region="Øst"),
    municipality("3801", "Dby", 4000, region="Øst", **VT),
    municipality("3004", "Eby", None),
]
OUTSIDE = [
    municipality("3401", "Xby", 5000, "34", "Innlandet"),
    municipality("4601", "Yby", 5000, "46", "Vestland"),
    municipality("3099", "Zby", 5000, "30", "Viken"),
    municipality("0301", "Oslo", 700000, "03", "Oslo"),
]
COUNTED = [
    # 2 municipalities → local; host Aby; 2018 → 2015–2021.
    {
        "ref": "K1",
        "name": "En",
        "members": ["3001", "3002"],
        "host": "3001",
        "established": 2018,
        "legal_form": "iks",
        "arsverk": 2.0,
    },
    # Xby (outside the area) counts: 4 → regional. Host outside the area. Period 2015–2021.
    {
        "ref": "K2",
        "name": "To",
        "members": ["3001", "3002", "3003", "3401"],
        "host": "3401",
        "established_from": 2015,
        "established_to": 2021,
        "arsverk": 3.0,
    },
    # Partial list, 1 listed, stated 12 → higher level (9+). 1995 → before 2000.
    {
        "ref": "K3",
        "name": "Tre",
        "members": ["3001"],
        "completeness": "delvis",
        "participant_count_stated": 12,
        "established": 1995,
        "legal_form": "as",
    },
    # Partial list, stated 3 < 5 listed → the 5 listed count → regional. Unspecified year.
    {
        "ref": "K4",
        "name": "Fire",
        "members": ["3001", "3002", "3003", "3801", "3099"],
        "completeness": "delvis",
        "participant_count_stated": 3,
        "established_unspecified": True,
        "legal_form": "vertskommune",
        "host": "3002",
        "arsverk": 1.5,
    },
    # One municipality (+ the state) → no level. Period 2010–2016 spans two periods → unknown.
    {
        "ref": "K5",
        "name": "Fem",
        "members": ["3001", {"name": "Staten"}],
        "established_from": 2010,
        "established_to": 2016,
        "legal_form": "avtale",
    },
    # Cby (30) and Dby (38) are both in the area; Yby is in a third county → Vestland. 2005.
    {
        "ref": "K6",
        "name": "Seks",
        "members": ["3003", "3801", "4601"],
        "established": 2005,
        "legal_form": "ipr",
    },
    # Nothing known but the members; Innlandet and Oslo → "Flere fylker".
    {"ref": "K7", "name": "Sju", "members": ["3002", "3401", "0301"]},
    # Zby is outside the area but in Viken like Cby → not cross-county. Host "ingen". 2000.
    {
        "ref": "K8",
        "name": "Åtte",
        "members": ["3003", "3099"],
        "established": 2000,
        "host_status": "ingen",
    },
]
# Would change every table if they were counted.
NOT_COUNTED = [
    {
        "ref": "E1",
        "name": "Ended",
        "status": "avsluttet",
        "members": ["3001", "3002", "3003", "3801", "3004", "3401", "4601"],
        "host": "3003",
        "established": 2019,
        "legal_form": "iks",
        "arsverk": 100.0,
        "task_areas": (1, 2, 13),
        "sector": "helse",
    },
    {
        "ref": "U1",
        "name": "Excluded",
        "status": "utenfor",
        "members": ["3004", "3801", "0301"],
        "host": "3004",
        "established": 1990,
        "legal_form": "as",
        "arsverk": 50.0,
        "task_areas": (3, 7),
        "sector": "sosial",
    },
]
TOTAL_ARSVERK = {"E3001": 100.0, "E3002": 200.0, "E3003": 300.0, "E3004": 50.0}  # Dby unknown


def _data(extra: list[dict] | None = None) -> MappingData:
    return make_data(
        SCOPE, [*COUNTED, *(extra or [])], outside=OUTSIDE, total_arsverk=TOTAL_ARSVERK
    )


@pytest.fixture
def data() -> MappingData:
    return _data()


def _row(table: Table, label: str) -> list[Any]:
    return next(r for r in table.rows if r[0] == label)


ALL = [
    extent.total,
    extent.geographic_level,
    extent.per_municipality,
    extent.size_classes,
    extent.per_region,
    extent.establishment_periods,
    extent.establishment_years,
    lambda d: extent.new_since(d, 2015),
    extent.staff_years,
    extent.cross_county,
    content.task_areas,
    content.legal_forms,
    content.legal_form_groups,
    content.sectors,
    content.service_structure,
]


@pytest.mark.parametrize("function", ALL)
def test_ended_and_excluded_never_count(function) -> None:
    plain, more = function(_data()), function(_data(NOT_COUNTED))
    for attr in ("id", "n", "columns", "rows", "ids", "missing"):
        assert getattr(more, attr) == getattr(plain, attr), attr
    seen = {r for refs in more.ids for r in refs} | set(more.missing)
    assert not {"E1", "U1"} & seen


@pytest.mark.parametrize("function", ALL)
def test_values_are_plain_python(function) -> None:
    table = function(_data(NOT_COUNTED))
    assert table.title and table.caption and table.id
    assert len(table.ids) == len(table.rows)
    for row in table.rows:
        assert len(row) == len(table.columns)
        for value in row:
            assert value is None or type(value) in (int, float, str), (row, type(value))
            assert not isinstance(value, np.generic)
    assert all(refs == sorted(refs) for refs in table.ids)
    assert table.missing == sorted(table.missing)
    assert isinstance(table.n, int)


def test_total(data: MappingData) -> None:
    table = extent.total(_data(NOT_COUNTED))
    assert table.rows == [[8]] and table.n == 8
    assert table.ids == [["K1", "K2", "K3", "K4", "K5", "K6", "K7", "K8"]]
    assert "1 avsluttet, 1 utenfor" in table.note


def test_geographic_level(data: MappingData) -> None:
    table = extent.geographic_level(data)
    # local: K1 (2), K6 (3), K7 (3), K8 (2); regional: K2 (4 incl. Xby outside), K4 (5 listed,
    # stated 3 is smaller); higher: K3 (stated 12 on a partial list). K5 has 1 municipality.
    # n = 7: 4/7 = 57.1 %, 2/7 = 28.6 %, 1/7 = 14.3 %.
    assert table.n == 7
    assert table.rows == [
        ["Lokalt (2–3 kommuner)", 4, 57.1],
        ["Regionalt (4–8 kommuner)", 2, 28.6],
        ["Høyere nivå (9 eller flere)", 1, 14.3],
    ]
    assert table.ids == [["K1", "K6", "K7", "K8"], ["K2", "K4"], ["K3"]]
    assert table.missing == ["K5"] and table.missing_reason
    assert "K3" in table.note and "K4" not in table.note


def test_geographic_level_stated_count_only_for_partial_lists() -> None:
    # Same 2 listed and stated 10: complete list → local; group → higher.
    arrangements = [
        {"ref": "F", "name": "F", "members": ["3001", "3002"], "participant_count_stated": 10},
        {
            "ref": "G",
            "name": "G",
            "members": ["3001", "3002"],
            "participant_count_stated": 10,
            "completeness": "gruppe",
        },
    ]
    table = extent.geographic_level(make_data(SCOPE, arrangements))
    assert table.ids == [["F"], [], ["G"]]


def test_per_municipality(data: MappingData) -> None:
    table = extent.per_municipality(data)
    # Aby: K1–K5 = 5, hosts K1, served by others in K2 (Xby) and K4 (Bby).
    # Bby: K1 K2 K4 K7 = 4, hosts K4, served in K1 (Aby) and K2 (Xby).
    # Cby: K2 K4 K6 K8 = 4, served in K2 and K4; K6 (host unknown) and K8 (no host) not.
    # Dby: K4 K6 = 2, served in K4 only: the unknown host of K6 is not "another host".
    # Eby: nothing. Ties by name (Bby before Cby).
    assert table.n == 5
    assert table.rows == [
        ["3001", "Aby", 3000, 5, 1, 2],
        ["3002", "Bby", 10000, 4, 1, 2],
        ["3003", "Cby", 20000, 4, 0, 2],
        ["3801", "Dby", 4000, 2, 0, 1],
        ["3004", "Eby", None, 0, 0, 0],
    ]
    assert table.ids[0] == ["K1", "K2", "K3", "K4", "K5"]
    assert table.ids[4] == []
    # Known hosts: K1, K2 (outside the area), K4. K8 has none. Unknown: K3 K5 K6 K7.
    assert table.missing == ["K3", "K5", "K6", "K7"]
    assert "3 av 8" in table.note and "1 med vertskommune utenfor" in table.note


def test_per_municipality_sorts_norwegian_letters() -> None:
    scope = [
        municipality("1", "Åsen"),
        municipality("2", "Ørsta"),
        municipality("3", "Ærøy"),
        municipality("4", "Zeta"),
    ]
    table = extent.per_municipality(make_data(scope, []))
    assert [r[1] for r in table.rows] == ["Zeta", "Ærøy", "Ørsta", "Åsen"]


def test_size_classes(data: MappingData) -> None:
    table = extent.size_classes(data)
    # < 5 000: Aby 5, Dby 2 → 3.5; 5 000–15 000: Bby 4; > 15 000: Cby 4. Eby: no population.
    assert table.n == 4
    assert table.rows == [["< 5 000", 2, 3.5], ["5 000–15 000", 1, 4.0], ["> 15 000", 1, 4.0]]
    assert table.ids[2] == ["K2", "K4", "K6", "K8"]
    assert "Eby" in table.note


def test_per_region(data: MappingData) -> None:
    table = extent.per_region(data)
    # Vest: (5 + 4) / 2 = 4.5; Aby ∪ Bby = K1 K2 K3 K4 K5 K7.
    # Øst: (4 + 2) / 2 = 3.0; Cby ∪ Dby = K2 K4 K6 K8. Eby: no region.
    assert table.rows == [
        ["Vest", 2, 4.5, 6],
        ["Øst", 2, 3.0, 4],
        ["Uten region", 1, 0.0, 0],
    ]
    assert table.ids[1] == ["K2", "K4", "K6", "K8"]
    assert "3.0" in table.note  # (5 + 4 + 4 + 2 + 0) / 5


def test_establishment_periods(data: MappingData) -> None:
    table = extent.establishment_periods(data)
    # 2015–2021: K1 (2018), K2 (period 2015–2021); 2000–2014: K6 (2005), K8 (2000);
    # before 2000: K3 (1995); unspecified: K4. Unknown: K5 (2010–2016 spans), K7 (no year).
    # Percent over the 6 with a known period.
    assert table.n == 6
    assert table.rows == [
        ["2015–2021", 2, 33.3],
        ["2000–2014", 2, 33.3],
        ["Før 2000", 1, 16.7],
        ["Over lengre tid (uspesifisert)", 1, 16.7],
    ]
    assert table.ids == [["K1", "K2"], ["K6", "K8"], ["K3"], ["K4"]]
    assert table.missing == ["K5", "K7"]


def test_establishment_period_label_follows_cutoff_year() -> None:
    import datetime as dt

    data = make_data(
        SCOPE,
        [{"ref": "A", "name": "A", "members": ["3001", "3002"], "established": 2024}],
        cutoff=dt.date(2024, 6, 1),
    )
    assert extent.establishment_periods(data).rows[0] == ["2015–2024", 1, 100.0]


def test_establishment_years(data: MappingData) -> None:
    table = extent.establishment_years(data)
    # Exact years only: K3 1995, K8 2000, K6 2005, K1 2018.
    assert table.rows == [[1995, 1], [2000, 1], [2005, 1], [2018, 1]]
    assert table.n == 4
    assert table.missing == ["K2", "K4", "K5", "K7"]


def test_new_since(data: MappingData) -> None:
    table = extent.new_since(data, 2015)
    # K2 (2015–2021) then K1 (2018). K5 (2010–2016) and K7 (unknown) may be new.
    assert table.rows == [
        ["K2", "To", "2015–2021", "Aby; Bby; Cby; Xby"],
        ["K1", "En", "2018", "Aby; Bby"],
    ]
    assert table.ids == [["K2"], ["K1"]]
    assert table.missing == ["K5", "K7"]
    # From 2016, K2 (from 2015) is no longer certainly new.
    later = extent.new_since(data, 2016)
    assert [r[0] for r in later.rows] == ["K1"]
    assert later.missing == ["K2", "K5", "K7"]
    assert "2016" in later.title


def test_staff_years(data: MappingData) -> None:
    table = extent.staff_years(data)
    # With årsverk: K1 2.0, K2 3.0, K4 1.5 (n = 3).
    # Vest (Aby, Bby): K1 K2 K4 = 6.5 of 100 + 200 → 2.2 %.
    # Øst (Cby, Dby): K2 K4 = 4.5; Dby's total unknown → no share.
    # Eby (no region): none, 0 of 50 → 0.0 %. Whole area: K1 K2 K4 = 6.5; Dby unknown → None.
    assert table.n == 3
    assert table.rows == [
        ["Vest", 3, 6.5, 2.2],
        ["Øst", 2, 4.5, None],
        ["Uten region", 0, 0.0, 0.0],
        ["Hele området", 3, 6.5, None],
    ]
    assert table.ids[0] == ["K1", "K2", "K4"]
    assert table.missing == ["K3", "K5", "K6", "K7", "K8"]


def test_staff_years_without_totals() -> None:
    data = make_data(SCOPE, COUNTED, outside=OUTSIDE)
    table = extent.staff_years(data)
    assert [r[3] for r in table.rows] == [None, None, None, None]
    assert "ikke oppgitt" in table.note


def test_cross_county(data: MappingData) -> None:
    table = extent.cross_county(data)
    # The main county is Viken (30): four of the five mapped municipalities. K2: Viken +
    # Innlandet → Innlandet. K4: Viken + Vestfold og Telemark (Dby, inside the area) → V&T.
    # K6: Viken + V&T + Vestland → two others → several. K7: Viken + Innlandet + Oslo → several.
    # K8: Cby and Zby, both Viken (Zby outside the area) → does not cross.
    assert table.n == 8
    assert table.rows == [["Innlandet", 1], ["Vestfold og Telemark", 1], ["Flere fylker", 2]]
    assert table.ids == [["K2"], ["K4"], ["K6", "K7"]]
    assert "4 av 8" in table.note
    assert "hovedfylke (Viken)" in table.caption


def test_cross_county_is_named_relative_to_the_main_county() -> None:
    # Dby (V&T, inside the area) with Zby (Viken, outside) and with Aby (Viken, inside): both cross
    # into V&T as seen from the main county; Xby + Dby (Innlandet + V&T) is "several"; Dby with an
    # outside V&T municipality stays within one county.
    outside = [*OUTSIDE, municipality("3802", "Wby", 5000, **VT)]
    arrangements = [
        {"ref": "A", "name": "A", "members": ["3801", "3099"]},
        {"ref": "B", "name": "B", "members": ["3801", "3001", "3099"]},
        {"ref": "C", "name": "C", "members": ["3801", "3401"]},
        {"ref": "D", "name": "D", "members": ["3801", "3802"]},
    ]
    table = extent.cross_county(make_data(SCOPE, arrangements, outside=outside))
    assert table.rows == [["Vestfold og Telemark", 2], ["Flere fylker", 1]]
    assert table.ids == [["A", "B"], ["C"]]


def test_empty_mapping() -> None:
    data = make_data(SCOPE, [])
    for function in ALL:
        table = function(data)
        assert len(table.ids) == len(table.rows)
    assert extent.geographic_level(data).rows[0] == ["Lokalt (2–3 kommuner)", 0, None]


@pytest.mark.django_db
def test_buskerud_example(loaded_example) -> None:
    from samarbeid.registry.snapshot import mapping_data

    data = mapping_data(loaded_example)
    assert extent.total(data).rows == [[221]]
    level = extent.geographic_level(data)
    assert sum(r[1] for r in level.rows) + len(level.missing) == 221
    assert sum(len(refs) for refs in level.ids) == level.n
    periods = extent.establishment_periods(data)
    assert sum(r[1] for r in periods.rows) + len(periods.missing) == 221
    per_kommune = extent.per_municipality(data)
    assert per_kommune.n == 25 and len(per_kommune.rows) == 25
    forms = content.legal_forms(data)
    assert sum(r[1] for r in forms.rows) == 221
