"""``samarbeid organ`` and ``samarbeid handlingsplan``: the stable JSON other tools read, the
Markdown, and clear messages for a body or a year that is not there."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from samarbeid.portfolio.loader import load_examples
from tests.test_cli import run

pytestmark = pytest.mark.django_db

PROJECT_KEYS = {"kode", "tittel", "kategori", "eier", "fase", "soker_midler", "milepaeler",
                "finansiering"}  # fmt: skip


@pytest.fixture
def loaded() -> None:
    load_examples(lambda _line: None)


def _out(*args, **options) -> str:
    stdout = io.StringIO()
    call_command(*args, stdout=stdout, **options)
    return stdout.getvalue()


def test_plan_json_has_the_stable_keys(loaded) -> None:
    data = json.loads(_out("action_plan", organ="Grenlandssamarbeidet", aar=2021, format="json"))
    assert len(data["prosjekter"]) == 7
    for project in data["prosjekter"]:
        assert set(project) >= PROJECT_KEYS
        assert project["kategori"] in {"videreført", "nyetablert"}
        assert project["soker_midler"] in {True, False, None}
    assert sum(p["soker_midler"] is False for p in data["prosjekter"]) == 2


def test_plan_markdown_and_the_body(loaded) -> None:
    text = _out("action_plan", organ="grenlandssamarbeidet", aar=2021, per="2021-01-01")
    assert "## Videreførte prosjekter (5)" in text and "## Nyetablerte prosjekter (2)" in text
    assert "Søker ikke skjønnsmidler; ansvarlig: Beredskapsnettverket." in text
    assert "| 2021 | kr\u00a02\u00a0200\u00a0000 | \u2212kr\u00a0200\u00a0000 |" in text
    assert "Avsnitt 2.1 mangler" in text
    body = _out("body_list", organ="Grenlandssamarbeidet")
    assert (
        "Medlemmer: 6 ifølge kilden; 0 er navngitt i registeret (listen er ufullstendig)." in body
    )
    listing = _out("body_list")
    assert "\nGrenlandssamarbeidet: 0 navngitte medlemmer (av 6 ifølge kilden)" in listing


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"organ": "Grenland", "aar": 2021}, "Fant ikke samarbeidsorganet «Grenland». Finnes: "
                                             "DigiVestland, Grenlandssamarbeidet, Kongsbergregionen."),
        ({"organ": "Grenlandssamarbeidet", "aar": 2030},
         "Grenlandssamarbeidet har ingen handlingsplan for 2030. Planer: 2021."),
        ({"organ": "Grenlandssamarbeidet", "aar": 2021, "per": "1.1.21"},
         "Ugyldig dato «1.1.21» i --per. Forventet ÅÅÅÅ-MM-DD."),
    ],
)  # fmt: skip
def test_clear_messages(loaded, options, message) -> None:
    with pytest.raises(CommandError, match=message):
        _out("action_plan", **options)


def test_the_command_line(tmp_path) -> None:
    """As other tools call it: a real process, JSON on stdout, and exit 1 with one line."""
    assert run(["load-example"], tmp_path).returncode == 0
    result = run(
        ["handlingsplan", "--organ", "Grenlandssamarbeidet", "--aar", "2021", "--format", "json"],
        tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert [p["kode"] for p in json.loads(result.stdout)["prosjekter"]][-1] == "2.3.2"
    missing = run(["organ", "--organ", "Vestlandsrådet"], tmp_path)
    assert missing.returncode == 1 and "Traceback" not in missing.stderr
    assert missing.stderr == (
        "samarbeid organ: Fant ikke samarbeidsorganet «Vestlandsrådet». Finnes: "
        "DigiVestland, Grenlandssamarbeidet, Kongsbergregionen.\n"
    )


def test_ny_fra_makes_next_years_draft_once(loaded) -> None:
    from samarbeid.portfolio.models import PortfolioChange

    data = json.loads(_out("action_plan", organ="Grenlandssamarbeidet", ny_fra=2021, format="json"))
    assert (data["ar"], data["status"]) == (2022, "utkast")
    assert {p["kategori"] for p in data["prosjekter"]} == {"videreført"}
    assert len(data["prosjekter"]) == 7
    change = PortfolioChange.objects.filter(model="actionplan", action="opprettet").latest("id")
    assert change.source == "samarbeid handlingsplan --ny-fra 2021 (kommandolinjen)"
    with pytest.raises(CommandError, match="har allerede en plan for 2022"):
        _out("action_plan", organ="Grenlandssamarbeidet", ny_fra=2021)
