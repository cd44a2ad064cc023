"""Content analyses (nivi-method.md 4.7, 4.9, 4.10, 4.12) on a hand-made mapping of ten
municipalities, so every percent is a multiple of 10 and the group boundaries are hit exactly."""

from __future__ import annotations

import pytest

from samarbeid.analysis import content
from samarbeid.analysis.model import MappingData, Table
from tests.analysis.factory import make_data, municipality

SCOPE = [municipality(f"30{i:02d}", f"M{i}", 1000 * (i + 1)) for i in range(10)]
OUTSIDE = [
    municipality("3401", "Ute1", 5000, "34", "Innlandet"),
    municipality("3402", "Ute2", 5000, "34", "Innlandet"),
]


def m(*indexes: int) -> list[str]:
    return [f"30{i:02d}" for i in indexes]


COUNTED = [
    # Areas 1 and 6: M0–M7 = 8/10 = 80 % → hyppig.
    {
        "ref": "T1",
        "name": "T1",
        "members": m(*range(8)),
        "task_areas": (1, 6),
        "legal_form": "iks",
        "sector": "helse",
    },
    # Area 2: M0–M6 = 7/10 = 70 % → vanlig (hyppig is over 70).
    {
        "ref": "T2",
        "name": "T2",
        "members": m(*range(7)),
        "task_areas": (2,),
        "legal_form": "as",
        "sector": "helse",
    },
    # Area 3: M0–M2 = 3/10 = 30 % → vanlig (sjelden is under 30).
    {
        "ref": "T3",
        "name": "T3",
        "members": m(0, 1, 2),
        "task_areas": (3,),
        "legal_form": "vertskommune",
        "sector": "sosial",
    },
    # Area 4: M0, M1 (+ Ute1, outside the area, not counted) = 20 % → sjelden.
    {
        "ref": "T4",
        "name": "T4",
        "members": [*m(0, 1), "3401"],
        "task_areas": (4,),
        "legal_form": "avtale",
    },
    # Area 5: T5a M0–M3 and T5b M2–M5 → M0–M5 = 6/10 = 60 % (municipalities, not arrangements).
    # T5a also area 18, T5b area 20 (public health = one service).
    {"ref": "T5a", "name": "T5a", "members": m(0, 1, 2, 3), "task_areas": (5, 18)},
    {"ref": "T5b", "name": "T5b", "members": m(2, 3, 4, 5), "task_areas": (5, 20)},
    # Regional council: no task area (legitimately) → missing in task_areas.
    {"ref": "R", "name": "Regionrådet", "members": m(*range(10)), "legal_form": "ipr"},
    # Area 7 (audit) but no participant in the area: not a service unit of the area.
    {
        "ref": "T7",
        "name": "T7",
        "members": ["3401", "3402"],
        "task_areas": (7,),
        "legal_form": "iks",
        "sector": "administrasjon",
    },
]
NOT_COUNTED = [
    {
        "ref": "E",
        "name": "Ended",
        "status": "avsluttet",
        "members": m(*range(10)),
        "task_areas": (3, 4, 13),
        "legal_form": "iks",
        "sector": "teknisk",
    },
    {
        "ref": "U",
        "name": "Excluded",
        "status": "utenfor",
        "members": m(*range(10)),
        "task_areas": (1, 2, 7),
        "legal_form": "",
        "sector": "kultur",
    },
]


def _data(extra: list[dict] | None = None) -> MappingData:
    return make_data(SCOPE, [*COUNTED, *(extra or [])], outside=OUTSIDE)


@pytest.fixture
def data() -> MappingData:
    return _data(NOT_COUNTED)


def _row(table: Table, label: object) -> list:
    return next(r for r in table.rows if r[0] == label)


FUNCTIONS = [
    content.task_areas,
    content.legal_forms,
    content.legal_form_groups,
    content.sectors,
    content.service_structure,
]


@pytest.mark.parametrize("function", FUNCTIONS)
def test_ended_and_excluded_never_count(function) -> None:
    plain, more = function(_data()), function(_data(NOT_COUNTED))
    assert (more.n, more.rows, more.ids, more.missing) == (
        plain.n,
        plain.rows,
        plain.ids,
        plain.missing,
    )


def test_task_areas(data: MappingData) -> None:
    table = content.task_areas(data)
    assert table.n == 10
    assert [r[0] for r in table.rows] == list(range(1, 46))
    assert table.columns == [
        "nr",
        "oppgaveomrade",
        "kommuner",
        "prosent",
        "gruppe",
        "referanse_prosent",
    ]
    assert _row(table, 1)[2:5] == [8, 80.0, "hyppig"]
    assert _row(table, 6)[2:5] == [8, 80.0, "hyppig"]
    assert _row(table, 2)[2:5] == [7, 70.0, "vanlig"]  # exactly 70 → vanlig
    assert _row(table, 3)[2:5] == [3, 30.0, "vanlig"]  # exactly 30 → vanlig
    assert _row(table, 4)[2:5] == [2, 20.0, "sjelden"]
    assert _row(table, 5)[2:5] == [6, 60.0, "vanlig"]
    assert _row(table, 45)[2:5] == [0, 0.0, "sjelden"]
    assert table.ids[4] == ["T5a", "T5b"]
    assert _row(table, 1)[1] == "Brann 110-sentral" and _row(table, 1)[5] == 100.0
    assert table.missing == ["R"] and "regionr" in table.missing_reason.lower()


def test_task_area_groups_with_uneven_counts() -> None:
    # 3 municipalities: 2/3 = 66.7 % → vanlig; 3/3 → hyppig; 1/3 = 33.3 % → vanlig.
    scope = SCOPE[:3]
    arrangements = [
        {"ref": "A", "name": "A", "members": m(0, 1), "task_areas": (1,)},
        {"ref": "B", "name": "B", "members": m(0, 1, 2), "task_areas": (2,)},
        {"ref": "C", "name": "C", "members": m(0, 3), "task_areas": (3,)},
    ]
    table = content.task_areas(make_data(scope, arrangements, outside=SCOPE[3:]))
    assert [r[2:5] for r in table.rows[:3]] == [
        [2, 66.7, "vanlig"],
        [3, 100.0, "hyppig"],
        [1, 33.3, "vanlig"],
    ]


def test_task_area_reference_missing_is_none(data: MappingData) -> None:
    data.task_areas.loc[data.task_areas["nr"] == 45, "reference_pct"] = float("nan")
    assert _row(content.task_areas(data), 45)[5] is None


def test_legal_forms(data: MappingData) -> None:
    table = content.legal_forms(data)
    # 8 counted: iks T1 T7, as T2, vertskommune T3, avtale T4, ipr R, unknown T5a T5b.
    # Ties in vocabulary order; unknown last. 2/8 = 25 %, 1/8 = 12.5 %.
    assert table.n == 8
    assert table.rows == [
        ["Interkommunalt selskap (IKS)", 2, 25.0],
        ["Avtalebasert samarbeid (kjøp/salg av tjenester)", 1, 12.5],
        ["Administrativt vertskommunesamarbeid (kommuneloven § 20-2)", 1, 12.5],
        ["Interkommunalt politisk råd (kommuneloven kap. 18)", 1, 12.5],
        ["Aksjeselskap (AS)", 1, 12.5],
        ["Ikke kjent", 2, 25.0],
    ]
    assert table.ids[0] == ["T1", "T7"] and table.ids[-1] == ["T5a", "T5b"]
    # Known 6: kommuneloven = vertskommune + ipr = 2 → 33.3 %; no elected body = vertskommune +
    # avtale = 2 → 33.3 %.
    assert "Av 6 ordninger" in table.note and "33.3 % organisert etter kommuneloven" in table.note
    assert "2 ordninger med ukjent form" in table.note


def test_legal_forms_keeps_unknown_row_when_none_unknown() -> None:
    data = make_data(SCOPE, [{"ref": "A", "name": "A", "members": m(0, 1), "legal_form": "ko"}])
    assert content.legal_forms(data).rows == [
        ["Kommunalt oppgavefellesskap (kommuneloven kap. 19)", 1, 100.0],
        ["Ikke kjent", 0, 0.0],
    ]


def test_legal_form_groups(data: MappingData) -> None:
    table = content.legal_form_groups(data)
    assert table.id == "juridisk_form_gruppe" and table.n == 8
    assert table.rows == [
        ["Selskaper (IKS og AS)", 3, 37.5],
        ["Administrativt vertskommunesamarbeid", 1, 12.5],
        ["Kommunalt oppgavefellesskap og interkommunalt politisk råd", 1, 12.5],
        ["Styre etter § 27", 0, 0.0],
        ["Avtalebasert samarbeid (kjøp/salg)", 1, 12.5],
        ["Annet", 0, 0.0],
        ["Ikke kjent", 2, 25.0],
    ]
    assert table.ids[0] == ["T1", "T2", "T7"]


def test_legal_form_groups_other_and_host_with_board() -> None:
    forms = ["stiftelse", "plansamarbeid", "forening", "vertskommune-nemnd", "styre-27"]
    data = make_data(
        SCOPE,
        [
            {"ref": f"A{i}", "name": "A", "members": m(0, 1), "legal_form": f}
            for i, f in enumerate(forms)
        ],
    )
    table = content.legal_form_groups(data)
    assert _row(table, "Annet")[1] == 3
    assert _row(table, "Vertskommune med felles folkevalgt nemnd")[1] == 1
    assert _row(table, "Styre etter § 27")[1] == 1
    # kommuneloven: nemnd + § 27 = 2 of 5 → 40 %; no elected body: none → 0 %.
    assert "40.0 % organisert etter kommuneloven" in table.note
    assert "0.0 % har ikke noe styringsorgan" in table.note


def test_sectors(data: MappingData) -> None:
    table = content.sectors(data)
    # helse T1 T2; sosial T3; administrasjon T7; no sector T4 T5a T5b R.
    assert table.rows == [
        ["Helsetjenester", 2],
        ["Administrasjon og støttetjenester", 1],
        ["Sosialtjenester", 1],
        ["Ikke plassert", 4],
    ]
    assert table.n == 8 and table.ids[-1] == ["R", "T4", "T5a", "T5b"]


def test_service_structure(data: MappingData) -> None:
    table = content.service_structure(data)
    assert table.n == 10
    # 110 (area 1): T1 covers M0–M7 → 1 joint, 2 alone, 3 units.
    assert _row(table, "110-sentral") == ["110-sentral", 3, 2, 1, 8]
    # Legevaktsentral (3): T3 covers 3 → 1 joint + 7 alone = 8.
    assert _row(table, "Legevaktsentral") == ["Legevaktsentral", 8, 7, 1, 3]
    # Public health (18 or 20): T5a + T5b cover M0–M5 → 2 joint + 4 alone = 6.
    assert _row(table, "Miljørettet helsevern og samfunnsmedisin") == [
        "Miljørettet helsevern og samfunnsmedisin",
        6,
        4,
        2,
        6,
    ]
    # Audit (7): T7 has no participant in the area → every municipality alone.
    assert _row(table, "Revisjon") == ["Revisjon", 10, 10, 0, 0]
    # IT (13): only the ended arrangement had it.
    assert _row(table, "IKT") == ["IKT", 10, 10, 0, 0]
    assert table.ids[
        [r[0] for r in table.rows].index("Miljørettet helsevern og samfunnsmedisin")
    ] == ["T5a", "T5b"]
    assert "utledet" in table.note
    assert len(table.rows) == 21
