"""Markdown from data: the one escaping every Markdown writer of the app uses.

A Markdown file is rendered by other tools (GitHub, wikis, static-site generators), most of which
pass raw HTML through. A value from the registry must therefore come out as text, whatever it
holds:

- ``&``, ``<`` and ``>`` become character references (``<script>`` → ``&lt;script&gt;``), so no
  raw HTML, no autolink and no entity from data survives; a renderer shows the characters;
- Markdown's inline punctuation (`` \\ ` * _ [ ] ~ ``) is escaped with a backslash, so data makes
  no emphasis, link, image or code span, and in a table cell ``|`` too, so it makes no column;
- line breaks (every character Python's ``str.splitlines`` breaks at, the Unicode line and
  paragraph separators included) become spaces, so data cannot start a block of its own (a
  heading, a list, a table row, an HTML block);
- where a value may open a line of the document (:func:`line`), a block marker at its start
  (``#``, ``>``, ``+``, ``-``, ``=``, ``|``, ``1.``) is escaped too.

The escaped text reads the same once rendered. Nothing here imports Django or another ``samarbeid``
package.
"""

from __future__ import annotations

import re
from typing import Any

_INLINE = re.compile(r"([\\`*_\[\]~])")
_LINE_BREAKS = re.compile(r"\r\n|[\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")
_BLOCK_START = re.compile(r"^(\s*)([#>+=|-])")
_ORDERED_START = re.compile(r"^(\s*\d{1,9})([.)])")


def text(value: Any) -> str:
    """``value`` as inline Markdown text that renders as exactly its characters (inside a line;
    :func:`line` for text that starts one)."""
    out = "" if value is None else str(value)
    out = out.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    out = _LINE_BREAKS.sub(" ", out)
    return _INLINE.sub(r"\\\1", out)


def line(value: Any) -> str:
    """:func:`text` that may start a line (a paragraph, a list item, a heading's text): a block
    marker at its start is escaped too."""
    out = _BLOCK_START.sub(r"\1\\\2", text(value), count=1)
    return _ORDERED_START.sub(r"\1\\\2", out, count=1)


def cell(value: Any) -> str:
    """``value`` as the text of a Markdown table cell: :func:`text` with ``|`` escaped, so that
    the value stays in its column."""
    return text(value).replace("|", "\\|")


def attribute(value: Any) -> str:
    """``value`` inside a double-quoted HTML attribute written into Markdown (an anchor id)."""
    out = "" if value is None else str(value)
    return (
        out.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    )
