"""The catalogue without Django: the committed django.mo read with the standard library's gettext,
and every text the Django-free code marks with ``gettext_noop`` translated in it."""

from __future__ import annotations

import gettext
from pathlib import Path

from samarbeid.core import i18n
from samarbeid.core.i18n import Grouped, Text, gettext_noop, in_words, translate

PACKAGE = Path(i18n.__file__).resolve().parents[1]
MO = PACKAGE / "locale" / "en" / "LC_MESSAGES" / "django.mo"


def _english() -> dict[str, str]:
    with MO.open("rb") as file:
        return dict(gettext.GNUTranslations(file)._catalog)


def test_english_comes_from_the_compiled_catalogue() -> None:
    assert translate("Hopp til hovedinnholdet", "en") == "Skip to main content"
    assert translate("Hopp til hovedinnholdet") == "Hopp til hovedinnholdet"
    assert translate("Hopp til hovedinnholdet", "nb") == "Hopp til hovedinnholdet"


def test_what_the_catalogue_does_not_hold_stays_bokmal() -> None:
    assert translate("Ingen slik melding finnes", "en") == "Ingen slik melding finnes"
    assert translate("Hopp til hovedinnholdet", "de") == "Hopp til hovedinnholdet"
    assert translate("", "en") == ""  # never the catalogue's header


def test_the_marker_returns_the_text() -> None:
    assert gettext_noop("Filen finnes ikke.") == "Filen finnes ikke."


def test_a_text_is_put_into_words_when_shown() -> None:
    inner = Text("{n} av {total}", n=Grouped(1234), total=Grouped(200000))
    outer = Text("Fant {what}.", what=inner)
    assert outer.text("nb") == "Fant 1\u00a0234 av 200\u00a0000."
    assert outer.text("en") == "Fant 1,234 av 200,000."  # not in the catalogue: bokmål words
    assert str(outer) == outer.text("nb")
    assert Text("{a}", a=1) == Text("{a}", a=1) != Text("{a}", a=2)
    assert Text("{ikke et felt}").text("en") == "{ikke et felt}"  # no parameters: as it is
    assert in_words(Grouped(5), "en") == "5" and in_words(7, "en") == 7
