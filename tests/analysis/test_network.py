"""The cooperation network: weights, deterministic communities, neighbour shares, the cap."""

from __future__ import annotations

from samarbeid.analysis import network
from samarbeid.analysis.network import graph, network_tables
from tests.analysis.factory import make_data, municipality

NUMEDAL = ["3050", "3051", "3052"]  # Flesberg, Rollag, Nore og Uvdal
HALLINGDAL = ["3041", "3043", "3044"]  # Gol, Ål, Hol


def _data():
    return make_data(
        [
            municipality("3050", "Flesberg", 2713, region="K"),
            municipality("3051", "Rollag", 1386, region="K"),
            municipality("3052", "Nore og Uvdal", 2412, region="K"),
            municipality("3041", "Gol", 4636, region="H"),
            municipality("3043", "Ål", 4648, region="H"),
            municipality("3044", "Hol", 4434, region="H"),
            municipality("3049", "Lier", 27118),
        ],
        [
            *({"ref": f"N{i}", "name": f"N{i}", "members": NUMEDAL} for i in range(3)),
            *(
                {"ref": f"H{i}", "name": f"H{i}", "members": [*HALLINGDAL, "3419"]}
                for i in range(3)
            ),
            {"ref": "B", "name": "Bro", "members": ["3051", "3044"]},
            {"ref": "X", "name": "Avsluttet", "members": ["3050", "3043"], "status": "avsluttet"},
            {"ref": "U", "name": "Utenfor", "members": ["3050", "3043"], "status": "utenfor"},
            {"ref": "S", "name": "Alene", "members": ["3049", "3419"]},
        ],
        outside=[municipality("3419", "Våler (Innlandet)", 3700, "34", "Innlandet")],
    )


def test_graph_weights_and_attributes() -> None:
    g = graph(_data())
    assert set(g.nodes) == {"E3050", "E3051", "E3052", "E3041", "E3043", "E3044", "E3049"}
    assert g.nodes["E3043"] == {"name": "Ål", "number": "3043", "region": "H", "population": 4648}
    assert g["E3050"]["E3051"]["weight"] == 3
    assert g["E3041"]["E3043"]["weight"] == 3
    assert g["E3051"]["E3044"]["weight"] == 1
    assert not g.has_edge("E3050", "E3043")  # only ended/excluded arrangements join them
    assert g.number_of_edges() == 7
    assert g.degree("E3049") == 0  # its only partner is outside the area


def test_pairs_table() -> None:
    pairs, _, _ = network_tables(_data())
    assert pairs.id == "nettverk"
    assert pairs.columns == ["kommune_a", "kommune_b", "felles_ordninger"]
    assert pairs.n == 7  # counted arrangements with at least two participants in the area
    assert pairs.rows == [
        ["Flesberg", "Nore og Uvdal", 3],
        ["Flesberg", "Rollag", 3],
        ["Gol", "Hol", 3],
        ["Gol", "Ål", 3],
        ["Hol", "Ål", 3],
        ["Nore og Uvdal", "Rollag", 3],
        ["Hol", "Rollag", 1],
    ]
    assert pairs.ids[0] == ["N0", "N1", "N2"]
    assert pairs.ids[-1] == ["B"]
    assert all(type(v) in (str, int) for row in pairs.rows for v in row)


def test_communities_are_the_two_clusters_and_deterministic() -> None:
    _, communities, _ = network_tables(_data())
    assert communities.id == "nettverk_fellesskap"
    assert communities.columns == ["fellesskap", "kommuner", "antall_kommuner"]
    assert communities.rows == [[1, "Flesberg, Nore og Uvdal, Rollag", 3], [2, "Gol, Hol, Ål", 3]]
    assert communities.ids == [["N0", "N1", "N2"], ["H0", "H1", "H2"]]
    assert communities.n == 6
    assert "Louvain" in communities.note and "Lier" in communities.note
    again = network_tables(_data())[1]
    assert again.rows == communities.rows


def test_neighbour_shares() -> None:
    _, _, shares = network_tables(_data())
    assert shares.id == "nettverk_naboandeler"
    rows = {(r[0], r[1]): r[2] for r in shares.rows}
    # Rollag: Flesberg 3 + Nore og Uvdal 3 + Hol 1 = 7
    assert rows[("Rollag", "Flesberg")] == 42.9
    assert rows[("Rollag", "Nore og Uvdal")] == 42.9
    assert rows[("Rollag", "Hol")] == 14.3
    assert rows[("Flesberg", "Nore og Uvdal")] == 50.0
    assert [r[0] for r in shares.rows][:2] == ["Flesberg", "Flesberg"]
    assert shares.ids[shares.rows.index(["Rollag", "Hol", 14.3])] == ["B"]
    assert all(type(r[2]) is float for r in shares.rows)


def test_cap_on_large_arrangements_is_said() -> None:
    pairs, communities, _ = network_tables(_data(), max_participants=2)
    assert pairs.rows == [["Hol", "Rollag", 1]]
    assert "6 ordninger med mer enn 2" in pairs.note
    assert communities.rows == [[1, "Hol, Rollag", 2]]


def test_label_propagation_splits_two_clusters(monkeypatch) -> None:
    # The fast method used for very large networks finds the same two clusters.
    monkeypatch.setattr(network, "LOUVAIN_MAX_EDGES", 0)
    _, communities, _ = network_tables(_data())
    assert communities.rows == [[1, "Flesberg, Nore og Uvdal, Rollag", 3], [2, "Gol, Hol, Ål", 3]]
    assert "etikettspredning" in communities.note


def test_empty_network() -> None:
    data = make_data([municipality("3043", "Ål")], [{"ref": "A", "name": "A", "members": ["3043"]}])
    pairs, communities, shares = network_tables(data)
    assert pairs.rows == [] and communities.rows == [] and shares.rows == []
    assert pairs.n == 0
    assert graph(data).number_of_nodes() == 1
