"""Every finding's English comes from the one catalogue (django.po): each code's bokmål template
(the msgid) has an English translation there with the same fields, and so do the words around a
finding (the place, the severity, the dates, the suggestion)."""

from __future__ import annotations

import string

import pytest

from samarbeid.core.i18n import translate
from samarbeid.rules import findings
from samarbeid.rules.findings import ERROR, WARNING, Finding


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}


@pytest.mark.parametrize("code", sorted(findings.CATALOGUE))
def test_every_finding_code_has_an_english_translation(code) -> None:
    norwegian = findings.CATALOGUE[code]
    english = translate(norwegian, "en")
    assert english != norwegian, f"{code}: no English in django.po (run scripts/messages.sh)"
    assert _fields(english) == _fields(norwegian)
    params = dict.fromkeys(_fields(norwegian), "x")
    finding = Finding(ERROR, code, "f.xlsx", "Ordninger", 2, "navn", params=params)
    assert finding.text("en") == english.format(**params)
    assert finding.text("nb") == norwegian.format(**params)


def test_the_words_around_a_finding_are_translated() -> None:
    words = [
        *findings.ROW_WORDS,
        findings.WHEN_AT,
        findings.WHEN_UNTIL,
        findings.SUGGESTION,
        *findings.PLACE_WORDS.values(),
    ]
    for norwegian in words:
        english = translate(norwegian, "en")
        assert english != norwegian and _fields(english) == _fields(norwegian), norwegian
    finding = Finding(
        WARNING,
        "municipality_unknown",
        "f.csv",
        "Deltakere",
        7,
        value="Hjardal",
        suggestion="Hjartdal",
        params={"when_until": "2020-01-01"},
        row_is_line=True,
    )
    assert finding.format("en") == (
        "f.csv, section Deltakere, line 7: warning: Unknown municipality “Hjardal”. Expected the "
        "name or number of a municipality that existed while the arrangement ran (before "
        "2020-01-01). Suggestion: Hjartdal."
    )
