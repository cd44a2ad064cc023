"""The input boundary for text: what every value entered by a person goes through once.

Files, web forms, uploads and the API all hand their text here before any rule looks at it, so a
name reads the same whichever way it came in:

- line ends become ``\\n`` (``\\r\\n``, ``\\r``, and the Unicode line and paragraph separators);
- invisible formatting characters — zero-width space and joiners, the byte-order mark, soft hyphen,
  the bidirectional controls (Unicode category *Cf*) — are removed, and the caller warns about it:
  «Kongs\\u200bberg» would otherwise be a different name from «Kongsberg», and bidi controls can
  make a text display as something else than it is (the «Trojan Source» trick);
- control characters (NUL, the other C0 and C1 controls apart from tab and line feed) and lone
  surrogates are refused: they are never typed, PostgreSQL refuses NUL, and an invalid code point
  cannot be stored as UTF-8;
- the text is put in Unicode normal form NFC (a decomposed «å» — a + combining ring, as some Mac
  programs write it — is the same letter as the composed one);
- leading and trailing white space is trimmed.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

#: Control characters refused: C0 except tab and line feed, DEL, C1; lone surrogates.
_REFUSED = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")
_LINE_ENDS = re.compile("\r\n|[\r\u2028\u2029\x85]")


#: Unicode category Cf (format characters: invisible), as ranges; tests/core/test_text.py holds it
#: to the category of the running Python's Unicode database.
INVISIBLE_RANGES: tuple[tuple[int, int], ...] = (
    (0x00AD, 0x00AD),
    (0x0600, 0x0605),
    (0x061C, 0x061C),
    (0x06DD, 0x06DD),
    (0x070F, 0x070F),
    (0x0890, 0x0891),
    (0x08E2, 0x08E2),
    (0x180E, 0x180E),
    (0x200B, 0x200F),
    (0x202A, 0x202E),
    (0x2060, 0x2064),
    (0x2066, 0x206F),
    (0xFEFF, 0xFEFF),
    (0xFFF9, 0xFFFB),
    (0x110BD, 0x110BD),
    (0x110CD, 0x110CD),
    (0x13430, 0x13438),
    (0x1BCA0, 0x1BCA3),
    (0x1D173, 0x1D17A),
    (0xE0001, 0xE0001),
    (0xE0020, 0xE007F),
)
_INVISIBLE = re.compile("[" + "".join(f"\\U{a:08x}-\\U{b:08x}" for a, b in INVISIBLE_RANGES) + "]")


@dataclass(frozen=True)
class CleanText:
    """The cleaned text, the invisible characters removed (as ``U+XXXX`` names), and the first
    refused character if any (then ``text`` is empty and must not be used)."""

    text: str
    removed: tuple[str, ...] = ()
    refused: str | None = None
    refused_at: int | None = None  # 1-based character position in the text as given

    @property
    def ok(self) -> bool:
        return self.refused is None


def codepoint(char: str) -> str:
    """``U+200B ZERO WIDTH SPACE``: how a message names an invisible character."""
    name = unicodedata.name(char, "")
    return f"U+{ord(char):04X}" + (f" {name}" if name else "")


def clean_text(raw: str) -> CleanText:
    """Normalise one value as described in the module docstring."""
    if raw.isprintable():  # the common case: no control, invisible or line-end character
        if raw.isascii() or unicodedata.is_normalized("NFC", raw):
            return CleanText(raw.strip())
        return CleanText(unicodedata.normalize("NFC", raw).strip())
    text = _LINE_ENDS.sub("\n", raw)
    bad = _REFUSED.search(text)
    if bad is not None:
        return CleanText("", refused=codepoint(bad.group()), refused_at=bad.start() + 1)
    removed: tuple[str, ...] = ()
    if _INVISIBLE.search(text):
        removed = tuple(dict.fromkeys(codepoint(c) for c in _INVISIBLE.findall(text)))
        text = _INVISIBLE.sub("", text)
    return CleanText(unicodedata.normalize("NFC", text).strip(), removed)


def replace_refused(raw: str) -> str:
    """``raw`` with every refused character replaced by U+FFFD: for messages about a value that
    cannot be stored, never for storing."""
    return _REFUSED.sub("\ufffd", raw)


def is_clean(text: str) -> bool:
    """True when :func:`clean_text` would leave ``text`` exactly as it is."""
    result = clean_text(text)
    return result.ok and not result.removed and result.text == text
