"""The findings' English comes from the one catalogue (django.po): for every finding code, the
English template the catalogue gives is the English the findings have always had."""

from __future__ import annotations

import pytest

from samarbeid.core.i18n import translate
from samarbeid.rules import findings


@pytest.mark.parametrize("code", sorted(findings.CATALOGUE))
def test_every_finding_code_has_its_english_in_the_catalogue(code) -> None:
    norwegian, english = findings.CATALOGUE[code]
    assert translate(norwegian, "en") == english
    assert translate(norwegian, "nb") == norwegian


def test_the_words_around_a_finding_have_their_english_in_the_catalogue() -> None:
    pairs = [
        *zip(findings.ROW_WORDS[0], findings.ROW_WORDS[1], strict=True),
        findings.WHEN_AT,
        findings.WHEN_UNTIL,
        findings.SUGGESTION,
        *(
            (findings.PLACE_WORDS["nb"][k], findings.PLACE_WORDS["en"][k])
            for k in findings.PLACE_WORDS["nb"]
        ),
    ]
    for norwegian, english in pairs:
        assert translate(norwegian, "en") == english
