"""One catalogue for every message, read without Django.

The user-facing text is written in bokmål, and the bokmål is the msgid. English lives in one
place: the gettext catalogue ``src/samarbeid/locale/en/LC_MESSAGES/django.po``, compiled to
``django.mo`` next to it (``scripts/messages.sh``). Django code translates with Django's gettext;
the packages that never import Django (core, reference, rules, analysis) read the same compiled
catalogue with the standard library's :mod:`gettext` through this module:

- :func:`gettext_noop` marks a text for the catalogue (``makemessages`` passes ``gettext_noop``
  to xgettext) and returns it unchanged: the text stays bokmål until it is shown.
- :func:`translate` is a marked text in one language: English from the catalogue, bokmål as it
  is. A text the catalogue does not hold stays bokmål.
- :class:`Text` is a marked template with its parameters, put into words when it is shown; a
  parameter may itself be :class:`Localized` (a :class:`Text`, a :class:`Grouped` number).

Templates use ``str.format`` fields by name (``{value}``); xgettext flags them python-brace-format
and ``msgfmt --check`` holds the English to the same fields.
"""

from __future__ import annotations

import functools
import gettext
from collections.abc import Mapping
from pathlib import Path

#: The language of the source text (the msgids).
SOURCE_LANGUAGE = "nb"
#: The languages a message is shown in; anything else is shown in bokmål.
LANGUAGES = (SOURCE_LANGUAGE, "en")
#: Where the compiled catalogues are (``<lang>/LC_MESSAGES/django.mo``), Django's LOCALE_PATHS.
LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
DOMAIN = "django"


def gettext_noop(text: str) -> str:
    """Mark ``text`` (a bokmål msgid) for the catalogue; it is translated when shown."""
    return text


@functools.cache
def _catalogue(lang: str) -> gettext.NullTranslations:
    return gettext.translation(DOMAIN, LOCALE_DIR, languages=[lang], fallback=True)


def translate(text: str, lang: str = SOURCE_LANGUAGE) -> str:
    """``text`` in ``lang``: the catalogue's translation, or ``text`` itself in bokmål, in a
    language without a catalogue, or when the catalogue does not hold it."""
    if not text or lang == SOURCE_LANGUAGE or lang not in LANGUAGES:
        return text  # "" is the catalogue's header, never a message
    return _catalogue(lang).gettext(text)


class Localized:
    """A value of a message that is put into words in the language the message is shown in."""

    def text(self, lang: str = SOURCE_LANGUAGE) -> str:
        raise NotImplementedError


def in_words(value: object, lang: str = SOURCE_LANGUAGE) -> object:
    """A parameter of a message as it is shown in ``lang`` (other values as they are)."""
    return value.text(lang) if isinstance(value, Localized) else value


class Text(Localized):
    """A marked template and its parameters: ``Text(gettext_noop("ødelagt ZIP: {error}"),
    error=...)``. Without parameters the template is shown as it is (braces included)."""

    __slots__ = ("params", "template")

    def __init__(self, template: str, /, **params: object) -> None:
        self.template = template
        self.params: Mapping[str, object] = params

    def text(self, lang: str = SOURCE_LANGUAGE) -> str:
        template = translate(self.template, lang)
        if not self.params:
            return template
        return template.format(**{k: in_words(v, lang) for k, v in self.params.items()})

    def __str__(self) -> str:
        return self.text()

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Text):
            return NotImplemented
        return (self.template, dict(self.params)) == (other.template, dict(other.params))

    def __hash__(self) -> int:
        return hash(self.template)

    def __repr__(self) -> str:
        params = "".join(f", {k}={v!r}" for k, v in self.params.items())
        return f"Text({self.template!r}{params})"


class Grouped(Localized):
    """A whole number with its thousands grouped as the language writes them: ``200 000``
    (a no-break space) in bokmål, ``200,000`` in English."""

    __slots__ = ("number",)

    def __init__(self, number: int) -> None:
        self.number = number

    def text(self, lang: str = SOURCE_LANGUAGE) -> str:
        digits = f"{self.number:,}"
        return digits if lang == "en" else digits.replace(",", "\u00a0")

    def __str__(self) -> str:
        return self.text()

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Grouped) and other.number == self.number

    def __hash__(self) -> int:
        return hash(self.number)

    def __repr__(self) -> str:
        return f"Grouped({self.number})"


class DecimalText(Localized):
    """A decimal number as the language writes it: ``0,5`` in bokmål, ``0.5`` in English (the
    value's own digits, never through a float)."""

    __slots__ = ("value",)

    def __init__(self, value: object) -> None:
        self.value = value

    def text(self, lang: str = SOURCE_LANGUAGE) -> str:
        plain = format(self.value, "f") if not isinstance(self.value, str) else self.value
        return plain if lang == "en" else plain.replace(".", ",")

    def __str__(self) -> str:
        return self.text()

    def __eq__(self, other: object) -> bool:
        return isinstance(other, DecimalText) and other.value == self.value

    def __hash__(self) -> int:
        return hash(self.value)

    def __repr__(self) -> str:
        return f"DecimalText({self.value!r})"
