"""Data-quality tables: missing facts, stated vs listed participants, suspected duplicates."""

from __future__ import annotations

import random
import string
import time

from samarbeid.analysis.quality import quality_tables
from tests.analysis.factory import make_data, municipality

HOL_AL = ["3044", "3043"]


def _data():
    return make_data(
        [municipality("3043", "Ål"), municipality("3044", "Hol"), municipality("3041", "Gol")],
        [
            {
                "ref": "A",
                "name": "Hol og Ål legevakt",
                "members": HOL_AL,
                "established": 2005,
                "host": "3043",
                "legal_form": "vertskommune",
                "arsverk": 1.0,
                "sector": "helse",
                "task_areas": (12,),
                "participant_count_stated": 2,
            },
            {
                "ref": "B",
                "name": "Hol og Ål legevakta",
                "members": HOL_AL,
                "participant_count_stated": 19,
            },
            {
                "ref": "C",
                "name": "NAV Hallingdal",
                "members": ["3041", "3043"],
                "established_unspecified": True,
                "host_status": "ingen",
                "completeness": "delvis",
            },
            {
                "ref": "D",
                "name": "IKT Hallingdal",
                "members": ["3041", "3043"],
                "legal_form": "iks",
                "arsverk": 3.0,
                "sector": "administrasjon",
                "task_areas": (1,),
                "established": 2010,
                "host": "3041",
            },
            {
                "ref": "E",
                "name": "Interkommunalt arkiv Buskerud",
                "members": ["3041"],
                "legal_form": "iks",
                "arsverk": 3.0,
                "sector": "administrasjon",
                "task_areas": (1,),
                "established": 2010,
                "host": "3041",
            },
            {
                "ref": "F",
                "name": "Interkommunalt arkiv i Buskerud",
                "members": ["3044"],
                "legal_form": "iks",
                "arsverk": 3.0,
                "sector": "administrasjon",
                "task_areas": (1,),
                "established": 2010,
                "host": "3044",
            },
            {"ref": "G", "name": "Hol og Ål legevakt", "members": HOL_AL, "status": "avsluttet"},
        ],
    )


def _tables():
    return {t.id: t for t in quality_tables(_data())}


def test_missing_facts() -> None:
    table = _tables()["datakvalitet_mangler"]
    assert table.columns == ["felt", "mangler", "prosent"]
    assert table.n == 6  # G is ended and never counts
    # C: a long-standing unspecified year and a recorded "no host" are known, not missing.
    assert table.rows == [
        ["etableringsår", 1, 16.7],
        ["vertskommune", 1, 16.7],
        ["juridisk form", 2, 33.3],
        ["årsverk", 2, 33.3],
        ["sektor", 2, 33.3],
        ["oppgaveområde", 2, 33.3],
    ]
    assert table.ids == [["B"], ["B"], ["B", "C"], ["B", "C"], ["B", "C"], ["B", "C"]]


def test_participant_counts() -> None:
    table = _tables()["datakvalitet_deltakertall"]
    assert table.columns == ["id", "ordning", "oppgitt", "listet", "liste"]
    assert table.rows == [
        ["B", "Hol og Ål legevakta", 19, 2, "Fullstendig liste"],
        ["C", "NAV Hallingdal", None, 2, "Delvis liste (oppgitt antall er reelt)"],
    ]
    assert table.ids == [["B"], ["C"]]


def test_duplicates() -> None:
    table = _tables()["datakvalitet_duplikater"]
    assert table.columns[:5] == ["id_a", "navn_a", "id_b", "navn_b", "likhet"]
    pairs = {(r[0], r[2]): r for r in table.rows}
    assert set(pairs) == {("A", "B"), ("E", "F")}
    assert pairs[("A", "B")][5] == "samme deltakere"
    assert pairs[("E", "F")][5] == "nesten likt navn"
    assert pairs[("E", "F")][4] >= 0.9
    assert isinstance(pairs[("A", "B")][4], float)
    # NAV Hallingdal / IKT Hallingdal: same participants, alike names, but different services.
    assert ("C", "D") not in pairs


def test_duplicates_scale_without_all_pairs() -> None:
    rng = random.Random(1)
    words = [
        "".join(rng.choice(string.ascii_lowercase) for _ in range(rng.randint(3, 10)))
        for _ in range(400)
    ]
    munis = [municipality(f"{i:04d}", f"K{i}") for i in range(300)]
    arrangements = [
        {
            "ref": f"A{i:05d}",
            "name": " ".join(rng.sample(words, rng.randint(2, 4))),
            "members": rng.sample([m["number"] for m in munis], rng.randint(2, 4)),
        }
        for i in range(15000)
    ]
    arrangements.append({**arrangements[0], "ref": "COPY"})
    data = make_data(munis, arrangements)
    start = time.perf_counter()
    table = {t.id: t for t in quality_tables(data)}["datakvalitet_duplikater"]
    # All pairs would be 112 million comparisons; blocking keeps it to seconds.
    assert time.perf_counter() - start < 15
    assert table.n == 15001
    assert ["A00000", "COPY"] in table.ids
