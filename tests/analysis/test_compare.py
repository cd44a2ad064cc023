"""Comparison of two mappings, with a real merger (Drammen + Nedre Eiker -> Drammen, 2020)."""

from __future__ import annotations

import datetime as dt

from samarbeid.analysis.compare import compare
from samarbeid.analysis.matching import match
from samarbeid.reference.gazetteer import load_gazetteer
from tests.analysis.factory import make_data, municipality

A_DATE = dt.date(2019, 6, 1)
B_DATE = dt.date(2021, 11, 1)


def _entity(number: str, at: dt.date) -> str:
    return load_gazetteer().by_number(number, at).entity


def _mappings():
    a = make_data(
        [
            municipality("0602", "Drammen", entity=_entity("0602", A_DATE)),
            municipality("0625", "Nedre Eiker", entity=_entity("0625", A_DATE)),
            municipality("0626", "Lier", entity=_entity("0626", A_DATE)),
        ],
        [
            {
                "ref": "A-1",
                "name": "Legevakt Drammen",
                "members": ["0602", "0625", "0626"],
                "host": "0602",
                "legal_form": "vertskommune",
                "established": 2005,
                "arsverk": 10.0,
            },
            {"ref": "A-2", "name": "Kemneren", "members": ["0602", "0625"]},
            {"ref": "A-3", "name": "Bibliotek", "members": ["0602", "0626"]},
            {"ref": "A-4", "name": "Gammelt", "members": ["0602", "0626"], "status": "avsluttet"},
            {"ref": "A-5", "name": "Krisesenter", "members": ["0602", "0626"], "legal_form": "iks"},
        ],
        cutoff=A_DATE,
    )
    b = make_data(
        [
            municipality("3005", "Drammen", entity=_entity("3005", B_DATE)),
            municipality("3049", "Lier", entity=_entity("3049", B_DATE)),
        ],
        [
            {
                "ref": "B-1",
                "name": "legevakt drammen",
                "members": ["3005", "3049", "3025"],
                "host": "3005",
                "legal_form": "iks",
                "established": 2005,
                "arsverk": 12.5,
            },
            {
                "ref": "A-3",
                "name": "Bibliotek",
                "members": ["3005", "3049"],
                "status": "avsluttet",
                "ended": "2021",
            },
            {"ref": "B-2", "name": "Nytt samarbeid", "members": ["3005", "3049"]},
            {"ref": "B-3", "name": "Gammelt", "members": ["3005", "3049"]},
            {"ref": "A-5", "name": "Krisesenteret", "members": ["3049"], "legal_form": "iks"},
        ],
        outside=[municipality("3025", "Asker", entity=_entity("3025", B_DATE))],
        cutoff=B_DATE,
    )
    return a, b


def _tables():
    return {t.id: t for t in compare(*_mappings())}


def test_matching_by_ref_then_name() -> None:
    a, b = _mappings()
    assert match(a, b) == {"A-3": "A-3", "A-5": "A-5", "B-1": "A-1", "B-3": "A-4"}


def test_overview() -> None:
    table = _tables()["sammenligning_oversikt"]
    assert table.columns == ["mal", "fra", "til", "endring"]
    assert table.rows[:4] == [
        ["Tellede ordninger", 4, 4, 0],
        ["Deltakelser (kommuner i området)", 9, 7, -2],
        ["Kommuner i området", 3, 2, -1],
        ["Gjennomsnittlig antall ordninger per kommune", 3.0, 3.5, 0.5],
    ]
    assert table.n == 6  # A-1..A-3, A-5 + the new B-2, B-3
    assert "2 kommuner" in table.note


def test_new_and_ended() -> None:
    tables = _tables()
    new = tables["sammenligning_nye"]
    assert [r[0] for r in new.rows] == ["B-2", "B-3"]
    assert new.rows[1][5].startswith("Ikke telt i fra-kartleggingen (Avsluttet")
    ended = tables["sammenligning_avsluttet"]
    assert [r[:4] for r in ended.rows] == [
        ["A-2", "Kemneren", "Ikke med i til-kartleggingen", ""],
        ["A-3", "Bibliotek", "Avsluttet", "2021"],
    ]
    assert ended.ids == [["A-2"], ["A-3"]]


def test_changed_fields() -> None:
    table = _tables()["sammenligning_endret"]
    assert table.columns == ["id", "ordning", "felt", "fra", "til"]
    # The host Drammen (0602) became Drammen (3005) by the merger: the same host, not a change.
    # The name differs only in case: not a change.
    assert table.rows == [
        [
            "B-1",
            "legevakt drammen",
            "juridisk form",
            "Administrativt vertskommunesamarbeid (kommuneloven § 20-2)",
            "Interkommunalt selskap (IKS)",
        ],
        ["B-1", "legevakt drammen", "årsverk", "10", "12,5"],
        ["A-5", "Krisesenteret", "navn", "Krisesenter", "Krisesenteret"],
    ]
    assert table.ids[0] == ["A-1", "B-1"]


def test_members_merged_are_not_left_and_joined() -> None:
    table = _tables()["sammenligning_medlemmer"]
    assert table.rows == [
        [
            "B-1",
            "legevakt drammen",
            "Asker",
            "",
            "Drammen (0602) + Nedre Eiker (0625) → Drammen (3005)",
        ],
        ["A-5", "Krisesenteret", "", "Drammen", ""],
    ]


def test_not_comparable_municipalities() -> None:
    table = _tables()["sammenligning_ikke_sammenlignbar"]
    assert table.columns == ["kommune_fra", "kommune_til", "endring", "dato"]
    # Lier only changed its number (0626 -> 3049): the same municipality, comparable.
    assert table.rows == [
        [
            "Drammen (0602)",
            "Drammen (3005)",
            "Slått sammen med Nedre Eiker (0625), Svelvik (0711)",
            "2020-01-01",
        ],
        [
            "Nedre Eiker (0625)",
            "Drammen (3005)",
            "Slått sammen med Drammen (0602), Svelvik (0711)",
            "2020-01-01",
        ],
    ]
    assert table.n == 3


def test_comparing_a_mapping_with_itself_finds_nothing() -> None:
    a, _ = _mappings()
    tables = {t.id: t for t in compare(a, a)}
    for key in (
        "sammenligning_nye",
        "sammenligning_avsluttet",
        "sammenligning_endret",
        "sammenligning_medlemmer",
        "sammenligning_ikke_sammenlignbar",
    ):
        assert tables[key].rows == [], key


def test_comparing_backwards_names_the_same_municipalities() -> None:
    a, b = _mappings()
    table = {t.id: t for t in compare(b, a)}["sammenligning_ikke_sammenlignbar"]
    assert [r[:2] for r in table.rows] == [
        ["Drammen (3005)", "Drammen (0602)"],
        ["Drammen (3005)", "Nedre Eiker (0625)"],
    ]
    members = {t.id: t for t in compare(b, a)}["sammenligning_medlemmer"]
    assert members.rows[0][4] == (
        "Drammen (3005) → Drammen (0602); Drammen (3005) → Nedre Eiker (0625)"
    )
    assert members.rows[0][2:4] == ["", "Asker"]
