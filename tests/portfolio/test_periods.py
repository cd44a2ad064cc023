"""When a milestone is due, read from a plan's own words (pure, no database)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from samarbeid.portfolio.periods import due_by


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("1.–2. kvartal 2021", dt.date(2021, 6, 30)),
        ("1.-2. kvartal 2021", dt.date(2021, 6, 30)),
        ("3. kvartal 2021", dt.date(2021, 9, 30)),
        ("4. kvartal 2020", dt.date(2020, 12, 31)),
        ("første kvartal 2022", dt.date(2022, 3, 31)),
        ("Fjerde  kvartal 2023", dt.date(2023, 12, 31)),
        ("mai 2021", dt.date(2021, 5, 31)),
        ("i løpet av februar 2024", dt.date(2024, 2, 29)),
        ("31.8.21", dt.date(2021, 8, 31)),
        ("1.9.2021", dt.date(2021, 9, 1)),
        ("2025-01-01", dt.date(2025, 1, 1)),
        ("2021", dt.date(2021, 12, 31)),
        ("i løpet av 2021", dt.date(2021, 12, 31)),
    ],
)
def test_words_with_a_last_day(words: str, expected: dt.date) -> None:
    assert due_by(words) == expected


@pytest.mark.parametrize(
    "words",
    ["", "  ", "våren 2021", "vinteren 2021", "før sommeren 2021", "5. kvartal 2021",
     "0. kvartal 2021", "30.2.21", "Pågående", "2023–2029", "smarch 2021"],
)  # fmt: skip
def test_words_without_a_date_to_measure_against(words: str) -> None:
    assert due_by(words) is None


@settings(max_examples=200, derandomize=True)
@given(st.integers(2000, 2100), st.integers(1, 4), st.integers(0, 3))
def test_a_quarter_range_ends_with_its_last_quarter(year: int, first: int, extra: int) -> None:
    last = min(4, first + extra)
    words = f"{first}. kvartal {year}" if last == first else f"{first}.–{last}. kvartal {year}"
    day = due_by(words)
    assert day is not None and day.month == last * 3 and (day + dt.timedelta(1)).day == 1


@settings(max_examples=300, derandomize=True)
@given(st.text())
def test_any_text_gives_a_date_or_none(words: str) -> None:
    assert due_by(words) is None or isinstance(due_by(words), dt.date)
