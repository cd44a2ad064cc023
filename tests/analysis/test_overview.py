"""Per-municipality overview (analysis 13) and its list of ended/excluded arrangements."""

from __future__ import annotations

import pytest

from samarbeid.analysis.overview import (
    established_text,
    municipality_overview,
    municipality_overview_other,
    nb_key,
)
from tests.analysis.factory import make_data, municipality


def _data():
    return make_data(
        [
            municipality("3043", "Ål", 4648),
            municipality("3044", "Hol", 4434),
            municipality("3041", "Gol", 4636),
        ],
        [
            {
                "ref": "A",
                "name": "Legevakt",
                "members": ["3043", "3044"],
                "host": "3043",
                "legal_form": "vertskommune",
                "established": 2005,
                "arsverk": 2.5,
            },
            {
                "ref": "B",
                "name": "Barnevern",
                "members": ["3044", "3043", "3041"],
                "legal_form": "iks",
                "established_from": 2015,
                "established_to": 2021,
                "arsverk": 4.0,
                "host": "3044",
            },
            {
                "ref": "C",
                "name": "Kraft",
                "members": ["3043", "3419"],
                "legal_form": "as",
                "established_unspecified": True,
                "host_status": "ingen",
                "arsverk": 0.0,
                "participant_count_stated": 5,
                "completeness": "delvis",
            },
            {
                "ref": "D",
                "name": "Ukjent",
                "members": ["3043", {"kind": "annen", "name": "Staten"}],
            },
            {"ref": "E", "name": "Bare Hol og Gol", "members": ["3044", "3041"]},
            {
                "ref": "F",
                "name": "Gammel",
                "members": ["3043", "3044"],
                "status": "avsluttet",
                "ended": "2020",
            },
            {"ref": "G", "name": "Prosjekt", "members": ["3043"], "status": "utenfor"},
        ],
        outside=[municipality("3419", "Våler (Innlandet)", 3700, "34", "Innlandet")],
    )


def test_overview_lists_every_counted_arrangement_of_the_municipality() -> None:
    table = municipality_overview(_data(), "E3043")
    assert table.id == "oversikt"
    assert table.title == "Kommunevis oversikt: Ål"
    assert table.columns == [
        "id",
        "ordning",
        "juridisk_form",
        "vertskommune",
        "etablert",
        "arsverk",
        "deltakere",
        "andre_deltakere",
        "mangler",
    ]
    assert table.n == 4
    assert table.rows == [
        [
            "A",
            "Legevakt",
            "Administrativt vertskommunesamarbeid (kommuneloven § 20-2)",
            "Ål",
            "2005",
            2.5,
            2,
            "Hol",
            "",
        ],
        [
            "B",
            "Barnevern",
            "Interkommunalt selskap (IKS)",
            "Hol",
            "2015–2021",
            4.0,
            3,
            "Hol; Gol",
            "",
        ],
        [
            "C",
            "Kraft",
            "Aksjeselskap (AS)",
            "Ingen",
            "Uspesifisert",
            0.0,
            5,
            "Våler (Innlandet)",
            "",
        ],
        [
            "D",
            "Ukjent",
            "Ikke kjent",
            "Ikke kjent",
            "Ikke kjent",
            None,
            2,
            "Staten",
            "år, vertskommune, juridisk form, årsverk",
        ],
    ]
    assert table.ids == [["A"], ["B"], ["C"], ["D"]]
    assert table.note == (
        "Mangler: år 1, vertskommune 1, juridisk form 1, årsverk 1 (av 4 ordninger)."
    )


def test_a_name_inside_another_is_not_the_same_municipality() -> None:
    # "Ål" occurs inside "Våler": Våler's overview has only its own arrangement.
    data = _data()
    table = municipality_overview(data, "E3419")
    assert table.title == "Kommunevis oversikt: Våler (Innlandet)"
    assert [r[0] for r in table.rows] == ["C"]
    assert table.rows[0][7] == "Ål"


def test_other_lists_ended_and_excluded_only() -> None:
    table = municipality_overview_other(_data(), "E3043")
    assert table.id == "oversikt_ikke_telt"
    assert [r[:3] for r in table.rows] == [
        ["F", "Gammel", "Avsluttet"],
        ["G", "Prosjekt", "Utenfor definisjonen (telles ikke)"],
    ]
    assert table.rows[0][4] == "2020"
    assert table.rows[0][5] == "Hol"


def test_unknown_municipality() -> None:
    with pytest.raises(ValueError):
        municipality_overview(_data(), "nope")


def test_helpers() -> None:
    assert sorted(["Ål", "Øvre Eiker", "Æsøy", "Aremark", "Zeta"], key=nb_key) == [
        "Aremark",
        "Zeta",
        "Æsøy",
        "Øvre Eiker",
        "Ål",
    ]
    row = {"established_from": None, "established_to": 1999, "established_unspecified": False}
    assert established_text(row) == "–1999"
