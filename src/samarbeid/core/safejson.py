"""JSON from outside, parsed with limits: one parser for mapping files and API request bodies.

Python's ``json`` accepts what no file of ours should hold and fails on some input with errors that
are not about the input: NaN and Infinity are accepted; of a key given twice the last one wins
silently; an integer of 5 000 digits raises a ValueError about Python's own limit; a document
nested 60 000 deep raises RecursionError. :func:`loads` refuses each of these with
:class:`JsonRefused`, which names the reason (``code``) and the details (``params``) so that each
caller words the message in its own channel (a finding in a file check, a 400 in the API).
"""

from __future__ import annotations

import json
import math
from typing import Any

from .i18n import Text, gettext_noop

#: Deepest nesting of objects and arrays accepted. A mapping file needs 3 ({"ordninger": [{...}]}),
#: an API body 3–4; anything near this limit is not data of ours.
MAX_DEPTH = 32
#: Longest number accepted, in characters (budgets in kroner have at most 15 digits).
MAX_NUMBER_CHARS = 40


class JsonRefused(ValueError):
    """The text is not JSON we accept. ``code`` is one of ``syntax``, ``too_deep``,
    ``duplicate_key``, ``not_a_number``, ``number_too_long``, ``number_out_of_range``,
    ``encoding``."""

    def __init__(self, code: str, **params: object) -> None:
        self.code = code
        self.params = params
        super().__init__(f"{code}: {params}")

    def detail(self, lang: str = "nb") -> str:
        """The reason in words, for messages that have a slot for the detail."""
        return self.reason().text(lang)

    def reason(self) -> Text:
        """The reason as a text for the reader, put into words in the language it is shown in."""
        template = _REASONS.get(self.code)
        return Text(self.code) if template is None else Text(template, **self.params)


#: The reason of each code, a template filled from the params (bokmål msgids; English in django.po).
_REASONS = {
    "syntax": gettext_noop("{message} (linje {line}, kolonne {column})"),
    "too_deep": gettext_noop("nøstet dypere enn {limit} nivåer"),
    "duplicate_key": gettext_noop("nøkkelen «{key}» står to ganger i samme objekt"),
    "not_a_number": gettext_noop("«{value}» er ikke et tall i JSON"),
    "number_too_long": gettext_noop("et tall med {length} tegn (høyst {limit})"),
    "number_out_of_range": gettext_noop("tallet {value} er for stort til å regne med"),
    "encoding": gettext_noop("ikke UTF-8 (første ugyldige byte på posisjon {position})"),
}


def _pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise JsonRefused("duplicate_key", key=key[:80])
        result[key] = value
    return result


def _constant(name: str) -> Any:
    raise JsonRefused("not_a_number", value=name)


def _number(text: str, convert: Any) -> Any:
    if len(text) > MAX_NUMBER_CHARS:
        raise JsonRefused("number_too_long", length=len(text), limit=MAX_NUMBER_CHARS)
    return convert(text)


def _int(text: str) -> int:
    return _number(text, int)


def _float(text: str) -> float:
    value = _number(text, float)
    if not math.isfinite(value):  # 1e999: valid JSON, but infinite as a float
        raise JsonRefused("number_out_of_range", value=text)
    return value


def depth(value: Any) -> int:
    """Nesting depth of objects and arrays (a scalar is 0), without recursion."""
    deepest = 0
    stack: list[tuple[Any, int]] = [(value, 0)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, dict):
            children = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        level += 1
        deepest = max(deepest, level)
        stack.extend((child, level) for child in children if isinstance(child, (dict, list)))
    return deepest


def loads(data: bytes | str, *, max_depth: int = MAX_DEPTH) -> Any:
    """Parse JSON text (bytes are UTF-8, a BOM allowed) or raise :class:`JsonRefused`."""
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise JsonRefused("encoding", position=error.start) from None
    elif data.startswith("\ufeff"):
        data = data[1:]
    try:
        value = json.loads(
            data,
            object_pairs_hook=_pairs,
            parse_constant=_constant,
            parse_int=_int,
            parse_float=_float,
        )
    except RecursionError:
        # The C decoder stops cleanly at the interpreter's recursion limit (~1 000 levels).
        raise JsonRefused("too_deep", limit=max_depth) from None
    except json.JSONDecodeError as error:
        raise JsonRefused(
            "syntax", message=error.msg, line=error.lineno, column=error.colno
        ) from None
    if depth(value) > max_depth:
        raise JsonRefused("too_deep", limit=max_depth)
    return value
