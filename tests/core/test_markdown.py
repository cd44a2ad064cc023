"""samarbeid.core.markdown: data written into Markdown renders as its own characters."""

from __future__ import annotations

import pytest

from samarbeid.core import markdown as md


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"),
        ("A & B", "A &amp; B"),
        ("&lt;b&gt;", "&amp;lt;b&amp;gt;"),
        ("[klikk](javascript:alert(1))", "\\[klikk\\](javascript:alert(1))"),
        ("![x](http://evil/x.png)", "!\\[x\\](http://evil/x.png)"),
        ("*fet* _kursiv_ `kode` ~~x~~", "\\*fet\\* \\_kursiv\\_ \\`kode\\` \\~\\~x\\~\\~"),
        ("linje 1\nlinje 2\r\nlinje 3\u2028slutt", "linje 1 linje 2 linje 3 slutt"),
        ("a | b", "a | b"),
        ("c:\\mappe", "c:\\\\mappe"),
        (None, ""),
        (12, "12"),
    ],
)
def test_text(value: object, expected: str) -> None:
    assert md.text(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("# Overskrift", "\\# Overskrift"),
        ("- punkt", "\\- punkt"),
        ("+ punkt", "\\+ punkt"),
        ("= understrek", "\\= understrek"),
        ("1. nummer", "1\\. nummer"),
        ("> sitat", "&gt; sitat"),
        ("| a | b |", "\\| a | b |"),
        ("Drammen", "Drammen"),
    ],
)
def test_line_escapes_block_markers(value: str, expected: str) -> None:
    assert md.line(value) == expected


def test_cell_keeps_the_value_in_its_column() -> None:
    assert md.cell("a | b\nc") == "a \\| b c"


def test_attribute() -> None:
    assert md.attribute('x" onmouseover="alert(1)') == "x&quot; onmouseover=&quot;alert(1)"
