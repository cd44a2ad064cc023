"""``samarbeid kostnad`` through the real entry point after ``samarbeid load-example``: every
DigiVestland payment recomputed here from the shipped population file by the model's formula, the
comparison with its fairness figures, the cap effect of the years ahead, and bad input refused
with one clear line, the exit code the CLI documents and nothing written. In-process
(``call_command``) for the smaller cases."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
import sys
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.test_cli import migrated_database

from . import factories as f

__all__ = ["migrated_database"]  # a fixture, imported to be found
#: The commands run once, in one batch process (the module's fixture): on one test worker.
pytestmark = pytest.mark.xdist_group("finance_cli")

ROOT = Path(__file__).resolve().parents[2]
POPULATION = ROOT / "src" / "samarbeid" / "reference" / "data" / "population.csv"
BATCH = ROOT / "tests" / "intake" / "cli_batch.py"
BASE = "digivestland-grunnfinansiering"
MODELS = [BASE, "digivestland-folketall", "digivestland-30-70"]
BUDGET = Decimal(10_100_000)
KNOWN = "Finnes: digivestland-30-70, digivestland-folketall, digivestland-grunnfinansiering."


def _population(year: int) -> dict[str, int]:
    """Vestland's municipalities on 1 January ``year`` (SSB's figure per 31 December before),
    read straight from the shipped file."""
    with POPULATION.open(encoding="utf-8") as handle:
        return {
            row["kommunenummer"]: int(row["population"])
            for row in csv.DictReader(handle)
            if row["year"] == str(year) and row["fylkesnummer"] == "46"
        }


def _kroner(value: Decimal) -> int:
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _base_payment(number: str, population: int, year: int) -> int:
    """DigiVestland's base funding: kr 100 000 + kr 20 per inhabitant, at most kr 500 000,
    Bergen exempt; the amounts indexed 3 % a year from 2024, the cap not."""
    if number == "4601":
        return 0
    factor = Decimal("1.03") ** (year - 2024)
    fixed = _kroner(100_000 * factor)
    price = (20 * factor).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return min(_kroner(fixed + price * population), 500_000)


COMMANDS = {
    "load": ["load-example"],
    "one": ["kostnad", "--modell", BASE, "--aar", "2024", "--format", "json"],
    "compare": ["kostnad", *[a for m in MODELS for a in ("--modell", m)], "--aar", "2024",
                "--format", "json", "--ut", "sammenligning.json"],
    "compare_md": ["kostnad", *[a for m in MODELS for a in ("--modell", m)], "--aar", "2024"],
    "ahead": ["kostnad", "--modell", BASE, "--aar", "2024", "--til-aar", "2034", "--format",
              "json", "--ut", "framskriving.json"],
    "pdf": ["kostnad", "--modell", BASE, "--aar", "2023", "--format", "pdf", "--ut", "k.pdf"],
    "unknown": ["kostnad", "--modell", "digivestland", "--aar", "2024", "--ut", "x.md"],
    "early": ["kostnad", "--modell", BASE, "--aar", "2019", "--ut", "x.md"],
    "not_a_year": ["kostnad", "--modell", BASE, "--aar", "tjuefire", "--ut", "x.md"],
    "before": ["kostnad", "--modell", BASE, "--aar", "2024", "--til-aar", "2023", "--ut", "x.md"],
    "too_far": ["kostnad", "--modell", BASE, "--aar", "2024", "--til-aar", "2055", "--ut", "x.md"],
    "growth": ["kostnad", "--modell", BASE, "--aar", "2024", "--vekst", "mye", "--ut", "x.md"],
    "screen": ["kostnad", "--modell", BASE, "--aar", "2024", "--format", "xlsx"],
    "folder": ["kostnad", "--modell", BASE, "--aar", "2024", "--format", "pdf", "--ut",
               "finnes-ikke/k.pdf"],
}  # fmt: skip


@pytest.fixture(scope="module")
def runs(tmp_path_factory, migrated_database: Path) -> tuple[dict[str, dict], Path]:
    """Every command of :data:`COMMANDS`, in order, in one process (tests/intake/cli_batch.py)
    on a copy of the migrated database; (name → {"returncode", "output"}, the folder)."""
    work = tmp_path_factory.mktemp("kostnad")
    shutil.copytree(migrated_database, work / "var")
    environment = {"SAMARBEID_VAR_DIR": str(work / "var"), "PYTHONIOENCODING": "utf-8",
                   "DJANGO_SETTINGS_MODULE": "samarbeid.settings"}  # fmt: skip
    done = subprocess.run(
        [sys.executable, str(BATCH)],
        input=json.dumps(list(COMMANDS.values())),
        cwd=work,
        env={k: v for k, v in os.environ.items() if k != "DATABASE_URL"} | environment,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return dict(zip(COMMANDS, json.loads(done.stdout), strict=True)), work


def test_every_payment_follows_the_formula(runs) -> None:
    """The issue's acceptance: 100 000 + 20 × innbyggere, at most 500 000, Bergen 0 and exempt;
    the members are Vestland's 43 municipalities with SSB's figure per 31.12.2023."""
    results, _ = runs
    assert results["load"]["returncode"] == 0, results["load"]["output"]
    assert results["one"]["returncode"] == 0, results["one"]["output"]
    data = json.loads(results["one"]["output"])
    population = _population(2024)
    assert len(population) == 43
    assert data["folketall"] == "Folketall per 31.12.2023 (SSB, tabell 07459)"
    assert data["medlemsliste_antatt"] is True
    assert any(n.startswith("Medlemslisten er antatt: ") for n in data["merknader"])
    rows = data["medlemmer"]
    assert [r["kommunenummer"] for r in rows] == sorted(population)
    for row in rows:
        number, people = row["kommunenummer"], population[row["kommunenummer"]]
        expected = _base_payment(number, people, 2024)
        assert (row["innbyggere"], row["betaling"]) == (people, expected), number
        assert row["fritatt"] is (number == "4601")
        assert row["tak_brukt"] is (number != "4601" and 100_000 + 20 * people > 500_000)
        if number == "4601":
            assert row["per_innbygger"] is None and row["egenbidrag"].startswith("Vertskommune")
            continue
        per = (Decimal(expected) / people).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        assert row["per_innbygger"] == str(per)
        assert [(line["del"], line["belop"]) for line in row["regnestykke"]] == [
            ("fast", "100000.00"),
            ("per_innbygger", f"{20 * people}.00"),
        ]
    model = data["modeller"][0]
    assert model["sum"] == sum(r["betaling"] for r in rows) == data["sum"][BASE]
    assert (model["budsjett"], model["dekning"]) == (10_100_000, model["sum"] - 10_100_000)
    assert model["tak_brukt"] == 5 and model["fritatt"] == 1


def test_the_comparison_and_its_fairness(runs) -> None:
    results, work = runs
    assert results["compare"]["returncode"] == 0, results["compare"]["output"]
    assert "Skrev sammenligning.json" in results["compare"]["output"]
    data = json.loads((work / "sammenligning.json").read_text(encoding="utf-8"))
    assert [m["slug"] for m in data["modeller"]] == MODELS
    population = _population(2024)
    paying = {n: p for n, p in population.items() if n != "4601"}
    total = sum(paying.values())
    for row in data["medlemmer"]:
        base, by_people, split = row["modeller"]
        number = row["kommunenummer"]
        assert base["betaling"] == _base_payment(number, population[number], 2024)
        if number == "4601":
            assert by_people["betaling"] == split["betaling"] == 0 and split["fritatt"]
            continue
        exact_people = BUDGET * paying[number] / total
        exact_split = (
            BUDGET * Decimal("0.3") / len(paying) + BUDGET * Decimal("0.7") * paying[number] / total
        )
        assert (
            abs(by_people["betaling"] - exact_people) < 1
            and abs(split["betaling"] - exact_split) < 1
        )
        assert by_people["endring_fra_basis"] == by_people["betaling"] - base["betaling"]
        assert base["endring_fra_i_fjor"] is not None  # 2023 is there to compare with
    assert [m["sum"] for m in data["modeller"]] == [
        data["modeller"][0]["sum"],
        10_100_000,
        10_100_000,
    ]
    costs = [Decimal(r["betaling"]) / population[r["kommunenummer"]]
             for r in data["medlemmer"] if r["kommunenummer"] != "4601"]  # fmt: skip
    fairness = data["modeller"][0]["rettferdighet"]
    ratio = (max(costs) / min(costs)).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)
    assert fairness["medlemmer"] == 42 and fairness["maks_min"] == str(ratio)
    assert (
        fairness["lavest"]["kommune"] == "Øygarden" and fairness["hoyest"]["kommune"] == "Modalen"
    )
    assert Decimal(data["modeller"][1]["rettferdighet"]["gini"]) == 0
    assert 0 < Decimal(data["modeller"][2]["rettferdighet"]["gini"]) < Decimal(fairness["gini"])
    text = results["compare_md"]["output"]
    assert results["compare_md"]["returncode"] == 0
    assert "# Sammenligning av kostnadsmodeller 2024" in text and "## Rettferdighet" in text
    assert "Medlemslisten er antatt" in text


def test_the_years_ahead_show_the_cap_biting(runs) -> None:
    """The amounts grow by the assumed 3 % a year and the cap does not: more members reach it."""
    results, work = runs
    assert results["ahead"]["returncode"] == 0, results["ahead"]["output"]
    data = json.loads((work / "framskriving.json").read_text(encoding="utf-8"))
    [ahead] = data["framskriving"]
    years = ahead["aar"]
    assert [y["aar"] for y in years] == list(range(2024, 2035))
    assert {y["tak"] for y in years} == {500_000}
    capped = [y["tak_brukt"] for y in years]
    assert capped == sorted(capped) and capped[0] == 5 and capped[-1] > capped[0]
    assert [y["folketall_anslatt"] for y in years] == [y > 2026 for y in range(2024, 2035)]
    known = {year: _population(year) for year in (2024, 2025, 2026)}
    for number, paid in ahead["betaling"].items():
        for year, kroner in paid.items():
            people = known[min(int(year), 2026)][number]  # no growth after the last figure
            assert kroner == _base_payment(number, people, int(year)), (number, year)
    first = {e["kommunenummer"]: e["aar"] for e in ahead["forste_aar_med_tak"]}
    assert first["4602"] == 2028  # Kinn: 446 980 in 2024, at the cap from 2028
    assert any("Folketallet for 2027–2034 er anslått" in n for n in data["merknader"])


def test_the_pdf_through_the_command_line(runs) -> None:
    results, work = runs
    assert results["pdf"]["returncode"] == 0, results["pdf"]["output"]
    assert (work / "k.pdf").read_bytes().startswith(b"%PDF-")


@pytest.mark.parametrize(
    ("name", "code", "message"),
    [
        ("unknown", 1, f"Fant ikke kostnadsmodellen «digivestland». {KNOWN}"),
        ("early", 2, "Det finnes ikke folketall for budsjettåret 2019: de medfølgende tallene "
                     "(SSB, per 1. januar) begynner i 2020. Velg --aar 2020 eller senere."),
        ("not_a_year", 2, "Ugyldig år «tjuefire» i --aar. Forventet et årstall, f.eks. 2024."),
        ("before", 2, "--til-aar 2023 er før --aar 2024."),
        ("too_far", 2, "--til-aar kan ligge høyst 30 år etter --aar, altså 2054 (ikke 2055)."),
        ("growth", 2, "Ugyldig --vekst «mye»."),
        ("screen", 2, "Formatet xlsx er en fil og kan ikke skrives til skjermen. Oppgi filen med "
                      "--ut, f.eks. --ut kostnad.xlsx."),
        ("folder", 2, "Kan ikke skrive finnes-ikke/k.pdf: mappen finnes ikke."),
    ],
)  # fmt: skip
def test_bad_input_is_one_line_and_writes_nothing(runs, name, code, message) -> None:
    results, work = runs
    run = results[name]
    assert run["returncode"] == code, run["output"]
    assert f"samarbeid kostnad: {message}" in run["output"]
    assert run["output"].strip().count("\n") == 0 and "Traceback" not in run["output"]
    assert not (work / "x.md").exists() and not (work / "finnes-ikke").exists()


# -- in-process ---------------------------------------------------------------------------------


def _call(*models: str, **options) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    arguments = [a for m in models for a in ("--modell", m)]
    call_command("cost_sharing", *arguments, stdout=out, stderr=err, **options)
    return out.getvalue(), err.getvalue()


@pytest.mark.django_db
def test_markdown_to_the_screen_and_a_workbook_to_a_file(tmp_path: Path) -> None:
    f.fee_model()
    text, _ = _call("testmodell", aar="2024")
    assert text.startswith("# Kostnadsfordeling 2024: Fast + per innbygger med tak\n")
    assert "| Bamble | 4012 |" in text and "tak 500\u00a0000 brukt (beregnet" in text
    target = tmp_path / "kostnad.xlsx"
    _, err = _call(
        modell=["testmodell"], aar="2024", til_aar="2026", format="xlsx", out=str(target)
    )
    assert target.read_bytes()[:2] == b"PK" and f"Skrev {target}" in err


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("models", "code", "message"),
    [
        (["ingen-slik"], 1,
         "Fant ikke kostnadsmodellen «ingen-slik». Finnes: ingen. Last inn eksemplene med "
         "«samarbeid load-example»."),
        (["bruk", "bruk"], 2, "--modell bruk er oppgitt flere ganger."),
        (["bruk"], 1, "Bruk mangler for 2024 for Porsgrunn (4001), Skien (4003), Bamble (4012)"),
    ],
)  # fmt: skip
def test_clear_messages(models, code, message, tmp_path: Path) -> None:
    if models[0] == "bruk":
        f.fee_model({"navn": "Etter bruk", "prisaar": 2024, "budsjett": 100000,
                     "deler": [{"type": "andel", "andel": 100, "fordeling": "bruk"}]}, slug="bruk")  # fmt: skip
    target = tmp_path / "k.json"
    with pytest.raises(CommandError) as refused:
        _call(*models, aar="2024", format="json", out=str(target))
    assert message in str(refused.value) and refused.value.returncode == code
    assert not target.exists()
