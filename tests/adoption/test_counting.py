"""Counting «as of a date» over status histories, hand-derived, with the real gazetteer's changes:
the 2020 merger of Sande and Holmestrand into Holmestrand (3802), the 2020 merger into Ålesund
(1507) and its 2024 split into Ålesund (1508) and Haram (1580). No Django."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from samarbeid.adoption import counting
from samarbeid.adoption.counting import Record, Standing
from samarbeid.reference.gazetteer import load_gazetteer

D = dt.date
KJ = "Kjernejournal"
SANDE, OLD_HOLMESTRAND, HOLMESTRAND = "0713@", "0715@2018-01-01", "3802@2020-01-01"
OLD_HARAM, ALESUND_2020 = "1534@", "1507@2020-01-01"
ALESUND_2024, HARAM_2024 = "1508@2024-01-01", "1580@2024-01-01"
SKIEN = "0806@"


def exists(key: str, day: dt.date) -> bool:
    return any(p.valid_at(day) for p in load_gazetteer().entity_periods(key))


def ends(key: str) -> tuple[dt.date | None, tuple[str, ...]]:
    periods = load_gazetteer().entity_periods(key)
    if any(p.valid_to is None for p in periods):
        return None, ()
    last = max(periods, key=lambda p: p.valid_to)
    return last.valid_to, tuple(sorted({q.entity for q in load_gazetteer().successors(last)}))


def standings(records: list[Record], day: dt.date) -> dict:
    return counting.standings(records, day, exists, ends)


def test_the_entities_are_the_gazetteers() -> None:
    gaz = load_gazetteer()
    names = {key: gaz.entity_periods(key)[0].name for key in (SANDE, HOLMESTRAND, HARAM_2024)}
    assert names == {SANDE: "Sande", HOLMESTRAND: "Holmestrand", HARAM_2024: "Haram"}
    assert exists(SKIEN, D(2023, 1, 1))


def test_the_last_record_on_or_before_the_day() -> None:
    records = [
        Record(KJ, SKIEN, D(2022, 1, 1), counting.NOT_STARTED, 1),
        Record(KJ, SKIEN, D(2022, 6, 1), counting.AVAILABLE, 2),
        Record(KJ, SKIEN, D(2023, 3, 1), counting.IN_USE, 3),
    ]
    assert standings(records, D(2021, 12, 31)) == {}
    assert standings(records, D(2022, 5, 31))[(KJ, SKIEN)].status == counting.NOT_STARTED
    assert standings(records, D(2022, 6, 1))[(KJ, SKIEN)] == Standing(
        "tilgjengeliggjort", D(2022, 6, 1)
    )
    assert standings(records, D(2030, 1, 1))[(KJ, SKIEN)].status == counting.IN_USE


def test_on_the_same_day_the_later_record_wins() -> None:
    records = [
        Record(KJ, SKIEN, D(2023, 1, 1), counting.IN_USE, 7),
        Record(KJ, SKIEN, D(2023, 1, 1), counting.STOPPED, 9),
        Record(KJ, SKIEN, D(2023, 1, 1), counting.AVAILABLE, 8),
    ]
    assert standings(records, D(2023, 1, 1))[(KJ, SKIEN)].status == counting.STOPPED


def test_a_merged_municipality_passes_its_most_advanced_standing_on() -> None:
    records = [
        Record(KJ, SANDE, D(2019, 5, 1), counting.IN_USE, 1),
        Record(KJ, OLD_HOLMESTRAND, D(2019, 2, 1), counting.AVAILABLE, 2),
    ]
    before = standings(records, D(2019, 12, 31))
    assert {k[1]: s.status for k, s in before.items()} == {
        SANDE: "i_bruk",
        OLD_HOLMESTRAND: "tilgjengeliggjort",
    }
    after = standings(records, D(2020, 6, 1))
    assert after == {(KJ, HOLMESTRAND): Standing("i_bruk", D(2019, 5, 1), (SANDE, OLD_HOLMESTRAND))}
    # Its own record, once it has one, wins over what it inherited.
    records.append(Record(KJ, HOLMESTRAND, D(2021, 1, 1), counting.STOPPED, 3))
    assert standings(records, D(2021, 1, 1)) == {
        (KJ, HOLMESTRAND): Standing("stoppet", D(2021, 1, 1))
    }
    assert standings(records, D(2020, 12, 31))[(KJ, HOLMESTRAND)].status == "i_bruk"


def test_a_split_passes_the_standing_to_both_and_through_two_changes() -> None:
    records = [
        Record(KJ, OLD_HARAM, D(2019, 3, 1), counting.IN_USE, 1),  # Haram before 2020
        Record(KJ, ALESUND_2020, D(2022, 1, 1), counting.AVAILABLE, 2),
    ]
    # 2021: the Ålesund of 2020 has its own record? Not until 2022: it inherits old Haram's.
    assert standings(records, D(2021, 1, 1))[(KJ, ALESUND_2020)] == Standing(
        "i_bruk", D(2019, 3, 1), (OLD_HARAM,)
    )
    # 2022: its own record (made available) wins.
    assert standings(records, D(2022, 6, 1))[(KJ, ALESUND_2020)].status == "tilgjengeliggjort"
    # 2024: both successors of the split inherit what Ålesund 2020 had on its last day: its own
    # «tilgjengeliggjort» of 2022, which had replaced old Haram's «i bruk» (one change at a time).
    split = standings(records, D(2024, 6, 1))
    assert split == {
        (KJ, ALESUND_2024): Standing("tilgjengeliggjort", D(2022, 1, 1), (ALESUND_2020,)),
        (KJ, HARAM_2024): Standing("tilgjengeliggjort", D(2022, 1, 1), (ALESUND_2020,)),
    }
    # Without Ålesund 2020's own record, old Haram's «i bruk» reaches both through two changes.
    only_haram = standings(records[:1], D(2024, 6, 1))
    assert only_haram[(KJ, HARAM_2024)] == Standing("i_bruk", D(2019, 3, 1), (ALESUND_2020,))
    records.append(Record(KJ, HARAM_2024, D(2024, 3, 1), counting.NOT_STARTED, 3))
    split = standings(records, D(2024, 6, 1))
    assert split[(KJ, HARAM_2024)] == Standing("ikke_startet", D(2024, 3, 1))
    assert split[(KJ, ALESUND_2024)].status == "tilgjengeliggjort"


def test_counts_over_a_population() -> None:
    records = [
        Record(KJ, SKIEN, D(2022, 1, 1), counting.IN_USE, 1),
        Record(KJ, HOLMESTRAND, D(2022, 1, 1), counting.AVAILABLE, 2),
        Record(KJ, HARAM_2024, D(2024, 2, 1), counting.STOPPED, 3),
        Record("DigiHelse", SKIEN, D(2022, 1, 1), counting.IN_USE, 4),
    ]
    population = [SKIEN, HOLMESTRAND, ALESUND_2024, HARAM_2024]
    counts = counting.count(standings(records, D(2024, 6, 1)), KJ, population)
    assert counts.population == 4
    assert counts.by_status == {
        "ikke_startet": 0,
        "stoppet": 1,
        "tilgjengeliggjort": 1,
        "i_bruk": 1,
    }
    assert counts.unknown == 1 and counts.members["ukjent"] == [ALESUND_2024]
    assert counts.available_or_in_use == 2 and counts.reached("i_bruk") == 1
    assert counting.share(215, 356) == 215 / 356 and counting.share(1, None) is None


def test_a_time_series() -> None:
    records = [
        Record(KJ, SKIEN, D(2022, 1, 1), counting.AVAILABLE, 1),
        Record(KJ, HOLMESTRAND, D(2022, 3, 1), counting.IN_USE, 2),
        Record(KJ, SKIEN, D(2022, 5, 1), counting.IN_USE, 3),
    ]
    days = [D(2021, 12, 1), D(2022, 2, 1), D(2022, 4, 1), D(2022, 6, 1)]
    points = counting.series(records, KJ, days, lambda _d: [SKIEN, HOLMESTRAND], exists, ends)
    assert [(c.by_status["tilgjengeliggjort"], c.by_status["i_bruk"]) for _, c in points] == [
        (0, 0),
        (1, 0),
        (1, 1),
        (0, 2),
    ]


KEYS = [SKIEN, "0805@", "2012@"]  # renumbered since, never merged


@settings(max_examples=60, derandomize=True, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(KEYS),
            st.dates(D(2020, 1, 1), D(2023, 12, 31)),
            st.sampled_from(counting.STATUSES),
        ),
        max_size=30,
    ),
    st.dates(D(2020, 1, 1), D(2024, 1, 1)),
)
def test_without_changes_the_standing_is_the_latest_record(rows, day) -> None:
    records = [Record(KJ, key, date, status, seq) for seq, (key, date, status) in enumerate(rows)]
    expected = {}
    for record in sorted(records, key=lambda r: (r.date, r.seq)):
        if record.date <= day:
            expected[(KJ, record.municipality)] = Standing(record.status, record.date)
    assert standings(records, day) == expected
    counts = counting.count(standings(records, day), KJ, KEYS)
    assert sum(counts.by_status.values()) + counts.unknown == len(KEYS)
