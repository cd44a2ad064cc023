"""A problem with an edit is worded once, in bokmål: the English comes from the one catalogue
(django.po), and a message the catalogue does not hold stays bokmål in English too."""

from __future__ import annotations

from django.utils.translation import gettext_noop

from samarbeid.registry.editing import Problem
from samarbeid.rules.findings import ERROR, Finding


def test_the_english_of_a_marked_template_comes_from_the_catalogue() -> None:
    problem = Problem(
        "id",
        "id_fixed",
        gettext_noop(
            "Id-en kan ikke endres (den er «{ref}»). Opprett heller en ny ordning og slett denne."
        ),
        params={"ref": "A-{1}"},
    )
    assert problem.message == (
        "Id-en kan ikke endres (den er «A-{1}»). Opprett heller en ny ordning og slett denne."
    )
    assert problem.message_en == "The id cannot be changed (it is “A-{1}”)."
    assert problem.text("en") == problem.message_en and problem.text("nb") == problem.message
    assert problem.as_dict("en")["message"] == problem.message_en


def test_a_message_the_catalogue_does_not_hold_is_bokmal_in_english() -> None:
    problem = Problem("", "nothing_changed", "Forslaget endrer ingenting {ikke et felt}.")
    assert problem.message == problem.message_en == "Forslaget endrer ingenting {ikke et felt}."


def test_a_problem_the_intake_found_has_the_findings_words() -> None:
    finding = Finding(ERROR, "orgnr_format", "navn", value="123")
    problem = Problem("orgnr", finding.code, finding.text("nb"), finding=finding)
    assert problem.message == "Organisasjonsnummeret «123» har ikke ni siffer."
    assert problem.message_en == "The organisation number “123” does not have nine digits."


def test_problems_differ_by_their_parameters() -> None:
    template = gettext_noop("Forventet en tekst eller et tall, ikke {kind}.")
    assert Problem("a", "value_not_text", template, params={"kind": "dict"}) != Problem(
        "a", "value_not_text", template, params={"kind": "list"}
    )
    assert len({Problem("a", "value_not_text", template, params={"kind": "dict"})}) == 1
