"""The text part of the input boundary."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from samarbeid.core.text import _INVISIBLE, INVISIBLE_RANGES, clean_text, is_clean


def test_invisible_ranges_are_exactly_unicode_category_cf() -> None:
    """The hard-coded ranges (a regex class, so the scan runs in C) are the Cf characters of the
    running Python's Unicode database; a newer database with new ones makes this fail."""
    cf = {c for c in range(0x110000) if unicodedata.category(chr(c)) == "Cf"}
    ours = {c for a, b in INVISIBLE_RANGES for c in range(a, b + 1)}
    assert ours == cf
    assert all(_INVISIBLE.fullmatch(chr(c)) for c in cf)


@pytest.mark.parametrize(
    ("raw", "text", "removed"),
    [
        ("  Kongsberg  ", "Kongsberg", ()),
        ("Kongs\u200bberg", "Kongsberg", ("U+200B ZERO WIDTH SPACE",)),
        ("\ufeffDrammen", "Drammen", ("U+FEFF ZERO WIDTH NO-BREAK SPACE",)),
        (
            "a\u202eb\u2066c",
            "abc",
            ("U+202E RIGHT-TO-LEFT OVERRIDE", "U+2066 LEFT-TO-RIGHT ISOLATE"),
        ),
        ("A\u030al", "Ål", ()),
        ("linje\r\nto\rtre\u2028fire", "linje\nto\ntre\nfire", ()),
        ("\u00a0Ål\u00a0", "Ål", ()),
        ("tab\tinne", "tab\tinne", ()),
    ],
)
def test_cleaned(raw: str, text: str, removed: tuple[str, ...]) -> None:
    result = clean_text(raw)
    assert (result.text, result.removed, result.refused) == (text, removed, None)


@pytest.mark.parametrize(
    ("raw", "char", "position"),
    [
        ("a\x00b", "U+0000", 2),
        ("\x1b[31m", "U+001B", 1),
        ("x\x9by", "U+009B", 2),
        ("ok\ud800", "U+D800", 3),
        ("\x7f", "U+007F", 1),
    ],
)
def test_refused(raw: str, char: str, position: int) -> None:
    result = clean_text(raw)
    assert not result.ok
    assert result.refused.startswith(char) and result.refused_at == position


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(codec=None), max_size=60))
def test_any_text_is_cleaned_to_a_fixed_point_or_refused(raw: str) -> None:
    result = clean_text(raw)
    if not result.ok:
        assert result.text == ""
        return
    assert is_clean(result.text)
    assert clean_text(result.text).text == result.text
    assert unicodedata.is_normalized("NFC", result.text)
    assert not _INVISIBLE.search(result.text)
    assert result.text == result.text.strip()
    result.text.encode("utf-8")  # storable
