"""The limited JSON parser shared by mapping files and API bodies."""

from __future__ import annotations

import contextlib
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from samarbeid.core.safejson import MAX_DEPTH, JsonRefused, depth, loads


def test_plain_json_parses_like_json() -> None:
    text = '{"a": [1, 2.5, "x", null, true], "b": {"c": "æøå"}}'
    assert loads(text) == json.loads(text)
    assert loads(("\ufeff" + text).encode()) == json.loads(text)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("[" * 60_000 + "]" * 60_000, "too_deep"),
        ('{"a":' * 5_000 + "1" + "}" * 5_000, "too_deep"),
        ("[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1), "too_deep"),
        ('{"navn": "a", "navn": "b"}', "duplicate_key"),
        ('[{"x": 1}, {"y": {"k": 1, "k": 2}}]', "duplicate_key"),
        ("[NaN]", "not_a_number"),
        ('{"a": Infinity}', "not_a_number"),
        ("[-Infinity]", "not_a_number"),
        ("[" + "9" * 5_000 + "]", "number_too_long"),
        ("[1." + "5" * 5_000 + "]", "number_too_long"),
        ("[1e999]", "number_out_of_range"),  # valid JSON, an infinite float
        ('{"a": -1E400}', "number_out_of_range"),
        ('{"a": ', "syntax"),
        ("", "syntax"),
    ],
)
def test_refused(text: str, code: str) -> None:
    with pytest.raises(JsonRefused) as caught:
        loads(text)
    assert caught.value.code == code
    assert caught.value.detail("nb") and caught.value.detail("en")


def test_exactly_max_depth_is_accepted() -> None:
    assert depth(loads("[" * MAX_DEPTH + "]" * MAX_DEPTH)) == MAX_DEPTH


def test_bytes_not_utf8() -> None:
    with pytest.raises(JsonRefused) as caught:
        loads(b'{"a": "\xff"}')
    assert caught.value.code == "encoding"
    assert caught.value.params["position"] == 7


def test_syntax_error_is_located() -> None:
    with pytest.raises(JsonRefused) as caught:
        loads('{\n  "a": 1,\n  oops\n}')
    assert caught.value.params["line"] == 3
    assert "linje 3" in caught.value.detail()


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=5), children, max_size=4)
    ),
    max_leaves=20,
)


@settings(max_examples=100, deadline=None)
@given(json_values)
def test_any_plain_document_round_trips(value: object) -> None:
    text = json.dumps(value)
    if depth(value) > MAX_DEPTH or any(len(t) > 40 for t in _numbers(value)):
        return
    assert loads(text) == json.loads(text)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=200) | st.text(max_size=200).map(str.encode))
def test_any_bytes_either_parse_or_are_refused(data: bytes) -> None:
    with contextlib.suppress(JsonRefused):
        loads(data)


def _numbers(value: object) -> list[str]:
    out, stack = [], [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, (int, float)) and not isinstance(item, bool):
            out.append(json.dumps(item))
    return out
