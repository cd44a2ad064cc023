"""Host distribution (analysis 8): hand-made mapping with worked answers, and the Buskerud example."""

from __future__ import annotations

import pytest

from samarbeid.analysis.hosts import host_concentration, host_distribution
from tests.analysis.factory import make_data, municipality


def _data():
    return make_data(
        [
            municipality("3043", "Ål", 4648, region="Hallingdal"),
            municipality("3044", "Hol", 4434, region="Hallingdal"),
            municipality("3041", "Gol", 4636, region="Hallingdal"),
        ],
        [
            {"ref": "A", "name": "A", "members": ["3043", "3044"], "host": "3043"},
            {"ref": "B", "name": "B", "members": ["3043", "3044", "3041"], "host": "3043"},
            {"ref": "C", "name": "C", "members": ["3044", "3041"], "host": "3044"},
            {"ref": "D", "name": "D", "members": ["3043", "3407"], "host": "3407"},
            {"ref": "E", "name": "E (ukjent vert)", "members": ["3043", "3044"]},
            {"ref": "F", "name": "F", "members": ["3419", "3043"], "host": "3419"},
            {
                "ref": "G",
                "name": "G (avsluttet)",
                "members": ["3041", "3043"],
                "host": "3041",
                "status": "avsluttet",
            },
            {
                "ref": "H",
                "name": "H (utenfor)",
                "members": ["3041", "3043"],
                "host": "3041",
                "status": "utenfor",
            },
            {
                "ref": "I",
                "name": "I (ingen vert)",
                "members": ["3043", "3041"],
                "host_status": "ingen",
            },
        ],
        outside=[
            municipality("3407", "Gjøvik", 30000, "34", "Innlandet"),
            municipality("3419", "Våler (Innlandet)", 3700, "34", "Innlandet"),
        ],
    )


def test_host_distribution_ranks_hosts_inside_and_outside_the_area() -> None:
    table = host_distribution(_data())
    assert table.id == "vertskommuner"
    assert table.columns[:2] == ["kommune", "ordninger"]
    assert table.n == 5  # A, B, C, D, F have a known host; G/H never count; I has none
    assert [r[:2] for r in table.rows] == [
        ["Ål", 2],
        ["Hol", 1],
        ["Gjøvik", 1],
        ["Våler (Innlandet)", 1],
        ["Gol", 0],
    ]
    assert table.ids == [["A", "B"], ["C"], ["D"], ["F"], []]
    in_area = {r[0]: r[4] for r in table.rows}
    assert in_area == {
        "Ål": True,
        "Hol": True,
        "Gjøvik": False,
        "Våler (Innlandet)": False,
        "Gol": True,
    }
    served = {r[0]: r[5] for r in table.rows}
    assert served == {"Ål": 2, "Hol": 2, "Gol": 2, "Gjøvik": 0, "Våler (Innlandet)": 0}
    assert table.rows[0][2:4] == ["3043", 4648]
    assert table.missing == ["E"]  # blank host = unknown, not "none"
    assert "5 av 7 tellede ordninger" in table.note
    assert "Gjøvik (1), Våler (Innlandet) (1)" in table.note
    for row in table.rows:
        assert all(type(v) in (str, int, float, bool, type(None)) for v in row)


def test_ended_and_excluded_arrangements_never_count() -> None:
    table = host_distribution(_data())
    refs = {r for ids in table.ids for r in ids} | set(table.missing)
    assert not refs & {"G", "H"}
    assert dict((r[0], r[1]) for r in table.rows)["Gol"] == 0


def test_host_concentration() -> None:
    table = host_concentration(_data())
    assert table.id == "vertskommune_konsentrasjon"
    assert table.columns == ["mal", "verdi"]
    assert table.n == 5
    values = [r[1] for r in table.rows]
    # top 1: Ål 2/5; top 3: Ål + Hol + Gjøvik 4/5; top 5: all; 80 % needs 3 hosts; 4 hosts; Gol idle
    assert values == [40.0, 80.0, 100.0, 3, 4, 1]
    assert table.ids[0] == ["A", "B"]
    assert table.ids[3] == ["A", "B", "C", "D"]
    assert table.missing == ["E"]
    assert "Gol" in table.note


def test_no_known_host() -> None:
    data = make_data([municipality("3043", "Ål")], [{"ref": "A", "name": "A", "members": ["3043"]}])
    assert host_distribution(data).rows == [["Ål", 0, "3043", None, True, 0]]
    conc = host_concentration(data)
    assert conc.n == 0 and conc.rows[0][1] is None and conc.missing == ["A"]


@pytest.mark.django_db
def test_buskerud_example(loaded_example) -> None:
    from samarbeid.analysis.network import network_tables
    from samarbeid.analysis.regions import regional_portraits
    from samarbeid.registry.snapshot import mapping_data

    data = mapping_data(loaded_example)
    hosts = host_distribution(data)
    assert hosts.rows[0][:2] == ["Kongsberg", 3]
    assert hosts.n == 11 and len(hosts.missing) == 210
    assert {r[0] for r in hosts.rows if not r[4]} == {"Gjøvik", "Tønsberg"}
    assert len(hosts.rows) == 25 + 2
    regions = {r[0]: r for r in regional_portraits(data).rows}
    assert "Flesberg + Rollag + Nore og Uvdal (7)" in regions["Kongsbergregionen"][6]
    assert regions["Hallingdal"][2] == "Regionrådet for Hallingdal"
    assert regions["Drammensregionen"][2] == "Drammensregionen IKPR"
    pairs, communities, shares = network_tables(data)
    assert pairs.rows[0] == ["Hol", "Ål", 42]
    assert ["Flå, Gol, Hemsedal, Hol, Nesbyen, Ål", 6] in [r[1:] for r in communities.rows]
    assert sum(r[2] for r in communities.rows) == 25
    assert ["Flesberg", "Rollag", 13.2] in shares.rows
