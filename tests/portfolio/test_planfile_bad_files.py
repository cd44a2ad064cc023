"""The corpus of bad plan files (tests/portfolio/bad_plan_files.py): each is refused with its one
exact message, at its place, and nothing is written. Then the commands as users call them
(``plan-eksport``, ``plan-import`` of good files, ``plan-mal``) on the same database.

Through the real CLI: every file is imported with ``samarbeid plan-import`` into one copy of a
database holding the example bodies (and a draft plan), in one process (tests/intake/cli_batch.py);
each run must exit 1 (errors in the file) or 2 (a file that cannot be read), print the exact line
and no traceback, and the counts of every portfolio table must be the same afterwards. In-process,
per file: the findings themselves (code, place, text, the only error) and the counts of every
portfolio model before and after ``plan_import``.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import load_workbook

from samarbeid.intake.readers import limits
from samarbeid.portfolio.loader import load_examples
from samarbeid.portfolio.models import ActionPlan, CooperationBody
from samarbeid.portfolio.planfile.reader import read_plan_file
from samarbeid.portfolio.planfile.schema import HELP_SHEET, SHEETS
from samarbeid.portfolio.planfile.validate_rows import check_plan
from samarbeid.rules.findings import ERROR, FileRejected
from tests.portfolio.bad_plan_files import CASES, BadFile, build, draft_tables, xlsx

BATCH = Path(__file__).resolve().parents[1] / "intake" / "cli_batch.py"
#: What the database of the tests holds besides the example bodies: a draft plan.
SETUP = """
import django
django.setup()
from samarbeid.portfolio.loader import load_examples
from samarbeid.portfolio.models import ActionPlan, CooperationBody
load_examples(lambda line: None)
ActionPlan.objects.create(
    body=CooperationBody.objects.get(name="Kongsbergregionen"), year=2025,
    title="Handlingsplan 2025", source="Utkast",
)
"""


def add_draft() -> None:
    load_examples(lambda _line: None)
    ActionPlan.objects.create(
        body=CooperationBody.objects.get(name="Kongsbergregionen"),
        year=2025,
        title="Handlingsplan 2025",
        source="Utkast",
    )


def _env(var_dir: Path, extra: dict[str, str] | None = None) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k != "DATABASE_URL" and not k.startswith("SAMARBEID_MAX_")
    }
    env.update(SAMARBEID_VAR_DIR=str(var_dir), PYTHONIOENCODING="utf-8", **(extra or {}))
    env["DJANGO_SETTINGS_MODULE"] = "samarbeid.settings"
    return env


def _python(args: list[str], var_dir: Path, **kw) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args],
        env=_env(var_dir, kw.pop("extra", None)),
        cwd=var_dir.parent,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=300,
        check=False,
        **kw,
    )


def table_counts(database: Path) -> dict[str, int]:
    with sqlite3.connect(database) as connection:
        names = [
            row[0]
            for row in connection.execute(
                "SELECT name FROM sqlite_master WHERE type='table' AND name LIKE 'portfolio_%'"
            )
        ]
        return {n: connection.execute(f'SELECT COUNT(*) FROM "{n}"').fetchone()[0] for n in names}


@pytest.fixture(scope="session")
def corpus(tmp_path_factory) -> Path:
    return build(tmp_path_factory.mktemp("bad_plan_files"))


@pytest.fixture(scope="session")
def cli_database(tmp_path_factory) -> Path:
    """A migrated database (SAMARBEID_VAR_DIR) with the example bodies and a draft plan."""
    root = tmp_path_factory.mktemp("plan_cli")
    var_dir = root / "var"
    var_dir.mkdir()
    migrated = _python(["-m", "samarbeid", "migrate"], var_dir)
    assert migrated.returncode == 0, migrated.stdout + migrated.stderr
    setup = _python(["-c", SETUP], var_dir)
    assert setup.returncode == 0, setup.stderr
    return var_dir


def batch(var_dir: Path, commands: list[list[str]]) -> list[tuple[int, str]]:
    """``samarbeid`` commands in one process (cwd: the folder of ``var_dir``)."""
    done = _python([str(BATCH)], var_dir, input=json.dumps(commands))
    assert done.returncode == 0, done.stderr
    return [(r["returncode"], r["output"]) for r in json.loads(done.stdout)]


@pytest.fixture(scope="session")
def cli(cli_database, corpus) -> dict[str, tuple[int, str]]:
    """Every case through ``samarbeid plan-import``: name → (exit code, stdout + stderr). Checks
    on the way that the counts of every portfolio table did not change."""
    var_dir = cli_database
    database = var_dir / "samarbeid.sqlite3"
    before = table_counts(database)
    assert before["portfolio_actionplan"] == 2 and before["portfolio_project"] > 30
    batched = [c for c in CASES if not c.env]
    results = batch(var_dir, [["plan-import", str(corpus / c.name)] for c in batched])
    runs = {c.name: result for c, result in zip(batched, results, strict=True)}
    assert table_counts(database) == before, "a bad file wrote to the database"
    for case in CASES:
        if case.env:
            single = var_dir.parent / case.name / "var"
            shutil.copytree(var_dir, single)
            run = _python(
                ["-m", "samarbeid", "plan-import", str(corpus / case.name)],
                single,
                extra=case.env,
            )
            runs[case.name] = (run.returncode, run.stdout + "\n" + run.stderr)
            assert table_counts(single / "samarbeid.sqlite3") == before
    return runs


def _ids(cases: list[BadFile]) -> list:
    return [pytest.param(c, id=c.name) for c in cases]


def test_the_corpus_has_a_file_per_kind_of_problem() -> None:
    assert len(CASES) >= 25
    assert len({c.name for c in CASES}) == len(CASES)
    assert {c.returncode for c in CASES} == {1, 2}


@pytest.mark.parametrize("case", _ids(CASES))
def test_plan_import_prints_the_exact_line(cli, case: BadFile) -> None:
    code, output = cli[case.name]
    assert "Traceback" not in output
    assert code == case.returncode, output
    lines = output.splitlines()
    assert case.line() in lines, output
    errors = [line for line in lines if ": feil: " in line]
    if case.only_error:
        assert errors == [case.line()], output
    if case.returncode == 1:
        assert f"Ingenting ble importert: {len(errors)} feil i {case.name}." in lines


# --- in-process: the findings, and nothing written ---------------------------------------------


def _counts() -> dict[str, int]:
    return {
        m.__name__: m._base_manager.count() for m in apps.get_app_config("portfolio").get_models()
    }


@pytest.mark.django_db
@pytest.mark.parametrize("case", _ids(CASES))
def test_the_finding_and_nothing_written(corpus, case: BadFile, monkeypatch, capsys) -> None:
    add_draft()
    if case.env:
        monkeypatch.setattr(limits, "MAX_ROWS", int(case.env["SAMARBEID_MAX_ROWS"]))
    path = corpus / case.name
    before = _counts()
    if case.returncode == 2:
        with pytest.raises(FileRejected) as refused:
            read_plan_file(path)
        assert refused.value.finding.code == case.code
        assert "samarbeid plan-import: " + refused.value.finding.format() == case.line()
        with pytest.raises(CommandError) as error:
            call_command("plan_import", str(path))
        assert error.value.returncode == 2
    else:
        result = check_plan(read_plan_file(path))
        lines = [f.format() for f in result.errors]
        assert case.line() in lines
        assert next(f for f in result.errors if f.format() == case.line()).code == case.code
        if case.only_error:
            assert len(result.errors) == 1, lines
        assert all(f.severity == ERROR for f in result.errors)
        with pytest.raises(SystemExit) as exit_:
            call_command("plan_import", str(path))
        assert exit_.value.code == 1
        assert case.line() in capsys.readouterr().out.splitlines()
    assert _counts() == before


# --- the commands with good files ----------------------------------------------------------------

COMMANDS = {
    "help": ["--help"],
    "export": ["plan-eksport", "--organ", "Grenlandssamarbeidet", "--aar", "2021", "--out", "g.xlsx"],
    "export_json": ["plan-eksport", "--organ", "grenlandssamarbeidet", "--aar", "2021",
                    "--format", "json", "--out", "g.json"],
    "export_default_name": ["plan-eksport", "--organ", "Grenlandssamarbeidet", "--aar", "2021"],
    "export_body_unknown": ["plan-eksport", "--organ", "Grenland", "--aar", "2021"],
    "export_year_unknown": ["plan-eksport", "--organ", "Grenlandssamarbeidet", "--aar", "2030"],
    "export_no_folder": ["plan-eksport", "--organ", "Grenlandssamarbeidet", "--aar", "2021",
                         "--out", "finnes-ikke/g.xlsx"],
    "template": ["plan-mal", "--out", "mal.xlsx"],
    "template_again": ["plan-mal", "--out", "mal.xlsx"],
    "import_template": ["plan-import", "mal.xlsx"],
    "import_approved": ["plan-import", "g.xlsx", "--kontroller"],
    "check_draft": ["plan-import", "utkast.xlsx", "--kontroller"],
    "import_draft": ["plan-import", "utkast.xlsx"],
    "import_draft_again": ["plan-import", "utkast.xlsx"],
    "export_draft": ["plan-eksport", "--organ", "Kongsbergregionen", "--aar", "2025",
                     "--out", "k1.xlsx"],
    "export_draft_again": ["plan-eksport", "--organ", "Kongsbergregionen", "--aar", "2025",
                           "--out", "k2.xlsx"],
    "import_export": ["plan-import", "k1.xlsx"],
}  # fmt: skip


@pytest.fixture(scope="session")
def runs(cli, cli_database) -> dict[str, tuple[int, str]]:
    folder = cli_database.parent
    (folder / "utkast.xlsx").write_bytes(xlsx(draft_tables()))
    before = table_counts(cli_database / "samarbeid.sqlite3")
    results = batch(cli_database, list(COMMANDS.values()))
    done = dict(zip(COMMANDS, results, strict=True))
    done["_counts"] = (before, table_counts(cli_database / "samarbeid.sqlite3"))  # type: ignore[assignment]
    return done


def _lines(run: tuple[int, str]) -> list[str]:
    return [line for line in run[1].splitlines() if line]


def test_the_commands_are_listed(runs) -> None:
    usage = runs["help"][1]
    for name in ("plan-eksport", "plan-import", "plan-mal"):
        assert f"  {name} " in usage


def test_export_writes_the_file_or_says_why_not(runs, cli_database) -> None:
    folder = cli_database.parent
    assert runs["export"] == (0, "Skrev g.xlsx\n\n")
    assert runs["export_json"][0] == 0 and (folder / "g.json").stat().st_size > 1000
    assert runs["export_default_name"][0] == 0
    assert (folder / "handlingsplan-grenlandssamarbeidet-2021.xlsx").read_bytes() == (
        folder / "g.xlsx"
    ).read_bytes()
    assert runs["export_body_unknown"][0] == 1
    assert _lines(runs["export_body_unknown"]) == [
        "samarbeid plan-eksport: Fant ikke samarbeidsorganet «Grenland». Finnes: DigiVestland, "
        "Grenlandssamarbeidet, Kongsbergregionen."
    ]
    assert _lines(runs["export_year_unknown"]) == [
        "samarbeid plan-eksport: Grenlandssamarbeidet har ingen handlingsplan for 2030. "
        "Planer: 2021."
    ]
    code, output = runs["export_no_folder"]
    assert code == 2 and "Kan ikke skrive finnes-ikke/g.xlsx: mappen finnes ikke." in output
    assert not [name for name, run in runs.items() if "Traceback" in str(run)]


def test_the_template(runs, cli_database) -> None:
    assert runs["template"] == (0, "Skrev mal.xlsx\n\n")
    assert runs["template_again"][0] == 1
    assert "mal.xlsx finnes allerede; velg et annet navn med --out." in runs["template_again"][1]
    book = load_workbook(cli_database.parent / "mal.xlsx")
    assert book.sheetnames == [HELP_SHEET, *(s.name for s in SHEETS)]
    for sheet in SHEETS:
        rows = list(book[sheet.name].iter_rows(values_only=True))
        assert rows == [sheet.keys]  # the headers, no data: the examples are in the help sheet
    help_rows = list(book[HELP_SHEET].iter_rows(values_only=True))
    assert any(row[:3] == ("Prosjekter", "kode", "ja") for row in help_rows)
    assert any(row[:2] == ("fase", "ide, forprosjekt, hovedprosjekt, drift, avsluttet, avlyst")
               for row in help_rows)  # fmt: skip
    assert _lines(runs["import_template"]) == [
        "mal.xlsx, ark Plan: feil: Arket har ingen rader med data.",
        "Ingenting ble importert: 1 feil i mal.xlsx.",
    ]
    assert runs["import_template"][0] == 1


def test_import_a_good_file_then_again(runs) -> None:
    assert runs["import_approved"][0] == 1
    assert runs["check_draft"] == (
        0,
        "utkast.xlsx er i orden (Kongsbergregionen 2025: 2 prosjekter). Ingenting er lagret "
        "(--kontroller).\n\n",
    )
    assert runs["import_draft"] == (
        0,
        "Kongsbergregionen 2025: 2 prosjekter, status utkast. Lagret fra utkast.xlsx: plan: "
        "1 endret; prosjekter: 2 nye; prosjekter i planen: 2 nye; milepæler: 2 nye; "
        "finansieringsrader: 2 nye; avsnitt: 6 nye.\n\n",
    )
    assert runs["import_draft_again"][1].startswith(
        "Kongsbergregionen 2025: 2 prosjekter, status utkast. Ingen endringer"
    )
    assert runs["import_export"][1].startswith("Kongsbergregionen 2025: 2 prosjekter, status "
                                               "utkast. Ingen endringer")  # fmt: skip
    before, after = runs["_counts"]
    assert after["portfolio_project"] == before["portfolio_project"] + 2
    assert after["portfolio_planproject"] == before["portfolio_planproject"] + 2


def test_the_export_is_the_same_bytes_each_time(runs, cli_database) -> None:
    folder = cli_database.parent
    assert runs["export_draft"][0] == runs["export_draft_again"][0] == 0
    assert (folder / "k1.xlsx").read_bytes() == (folder / "k2.xlsx").read_bytes()
