"""Regional portraits (analysis 11): councils, inside/with others, local sub-clusters."""

from __future__ import annotations

from samarbeid.analysis.regions import regional_portraits
from tests.analysis.factory import make_data, municipality

KB = "Kongsbergregionen"
HD = "Hallingdal"


def _data():
    numedal = ["3050", "3051", "3052"]
    return make_data(
        [
            municipality("3006", "Kongsberg", region=KB),
            municipality("3050", "Flesberg", region=KB),
            municipality("3051", "Rollag", region=KB),
            municipality("3052", "Nore og Uvdal", region=KB),
            municipality("3043", "Ål", region=HD),
            municipality("3044", "Hol", region=HD),
            municipality("3049", "Lier"),
        ],
        [
            {
                "ref": "R1",
                "name": "Kongsbergregionen IKPR",
                "legal_form": "ipr",
                "members": ["3006", *numedal],
            },
            *({"ref": f"N{i}", "name": f"Numedal {i}", "members": numedal} for i in range(1, 5)),
            {"ref": "N5", "name": "Rollag og Flesberg", "members": ["3050", "3051"]},
            {"ref": "N6", "name": "Numedal avsluttet", "members": numedal, "status": "avsluttet"},
            {"ref": "K1", "name": "Med Tinn", "members": ["3006", "3050", "3818"]},
            {
                "ref": "O1",
                "name": "Osloregionen IKPR",
                "legal_form": "ipr",
                "members": ["3006", "3043", "3049"],
            },
            # Unknown legal form, but the name says regional council.
            {"ref": "H1", "name": "Regionrådet for Hallingdal", "members": ["3043", "3044"]},
            {"ref": "H2", "name": "Hol og Ål 2", "members": ["3044", "3043"]},
            {"ref": "H3", "name": "Hol og Ål 3", "members": ["3043", "3044"]},
            # A council-like name inside a region, but not its council form nor its name pattern.
            {"ref": "H4", "name": "Fagrådet for Hallingdal", "members": ["3043", "3044", "3041"]},
        ],
        outside=[municipality("3818", "Tinn"), municipality("3041", "Gol")],
    )


def test_regional_portraits() -> None:
    table = regional_portraits(_data())
    assert table.id == "regioner"
    assert table.columns == [
        "region",
        "kommuner",
        "regionrad",
        "regionrad_form",
        "ordninger_innad",
        "ordninger_med_andre",
        "lokale_klynger",
    ]
    assert table.rows == [
        [
            KB,
            "Kongsberg, Flesberg, Rollag, Nore og Uvdal",
            "Kongsbergregionen IKPR",
            "Interkommunalt politisk råd (kommuneloven kap. 18)",
            6,
            2,
            "Flesberg + Rollag + Nore og Uvdal (4)",
        ],
        [HD, "Ål, Hol", "Regionrådet for Hallingdal", "Ikke kjent", 3, 2, "Ål + Hol (3)"],
    ]
    assert table.ids[0] == ["K1", "N1", "N2", "N3", "N4", "N5", "O1", "R1"]
    assert table.ids[1] == ["H1", "H2", "H3", "H4", "O1"]
    assert table.n == 12  # counted arrangements touching a region (N6 ended never counts)
    assert "Lier" in table.note  # a municipality without region is said


def test_no_regions() -> None:
    data = make_data([municipality("3043", "Ål")], [{"ref": "A", "name": "A", "members": ["3043"]}])
    table = regional_portraits(data)
    assert table.rows == [] and table.n == 0
    assert "ingen regioninndeling" in table.note
