"""The catalogue without Django: the committed django.mo read with the standard library's gettext,
and every text the Django-free code marks with ``gettext_noop`` translated in it."""

from __future__ import annotations

import ast
import gettext
import string
from pathlib import Path

import pytest

from samarbeid.core import i18n
from samarbeid.core.i18n import Grouped, Text, gettext_noop, in_words, translate
from tests.marked import marked_strings

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


# --- Every marked text is in the catalogue -------------------------------------------------------


def _marked_texts() -> dict[str, str]:
    """The string literals of ``gettext_noop`` calls in modules that import it from
    ``samarbeid.core.i18n``: text -> where it is."""

    def markers(node: ast.ImportFrom) -> set[str]:
        if not (node.module or "").endswith("i18n"):
            return set()
        if node.module != "samarbeid.core.i18n" and node.level == 0:
            return set()
        return {a.asname or a.name for a in node.names if a.name == "gettext_noop"}

    return marked_strings(markers)


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}


def test_every_text_marked_without_django_is_translated() -> None:
    """A new ``gettext_noop`` text fails here until scripts/messages.sh has put it in the .po,
    it has been translated and the .mo compiled; the English keeps the template's fields."""
    marked = _marked_texts()
    assert len(marked) > 100
    english = _english()
    missing = {text: where for text, where in marked.items() if not english.get(text)}
    assert not missing, "Kjør scripts/messages.sh og oversett:\n" + "\n".join(
        f"{where}: {text[:70]}" for text, where in sorted(missing.items(), key=lambda i: i[1])
    )
    differ = [
        f"{where}: {text[:70]}"
        for text, where in marked.items()
        if _fields(text) != _fields(english[text])
    ]
    assert not differ, "Den engelske teksten har andre felt ({…}):\n" + "\n".join(differ)


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_every_marked_template_formats(lang) -> None:
    """Each marked template takes its own fields by name (no stray brace, no positional field)."""
    for text in _marked_texts():
        template = translate(text, lang)
        fields = _fields(template)
        assert "" not in fields and not any(f.isdigit() for f in fields), text
        template.format(**dict.fromkeys(fields, "x"))


def _vocabularies() -> list:
    from samarbeid.reference import vocab

    return [v for v in vars(vocab).values() if isinstance(v, vocab.Vocabulary)]


def test_every_vocabulary_term_has_its_english_label_in_the_catalogue() -> None:
    english = _english()
    terms = [t for v in _vocabularies() for t in v.terms]
    assert len(terms) > 40
    missing = [f"{t.code}: {t.nb}" for t in terms if not english.get(t.nb)]
    assert not missing, "Kjør scripts/messages.sh og oversett:\n" + "\n".join(missing)
    for term in terms:
        assert term.en == english[term.nb] == term.label("en") and term.label("nb") == term.nb


def test_an_english_label_is_read_as_its_term() -> None:
    from samarbeid.reference.vocab import LEGAL_FORMS, SECTORS

    assert LEGAL_FORMS.parse("Limited company (AS)").code == "as"
    assert SECTORS.parse("health services").code == "helse"
