"""The command line as users and scripts call it: real subprocesses, real files, real SQLite."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from tests.conftest import EXAMPLE, FIXTURES


def run(args: list[str], cwd: Path, **env: str) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    environment.update({"SAMARBEID_VAR_DIR": str(cwd / "var"), **env})
    return subprocess.run(
        [sys.executable, "-m", "samarbeid", *args],
        cwd=cwd,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.fixture(scope="session")
def migrated_database(tmp_path_factory) -> Path:
    """An empty database after ``samarbeid migrate``, made once per test worker: tests that are
    not about creating the database copy it (``with_database``) instead of migrating (~2 s)."""
    folder = tmp_path_factory.mktemp("migrated")
    result = run(["migrate"], folder)
    assert result.returncode == 0, result.stdout + result.stderr
    return folder / "var"


def with_database(folder: Path, migrated: Path) -> Path:
    """``folder``/var holding a copy of the migrated database; returns ``folder``."""
    shutil.copytree(migrated, folder / "var")
    return folder


def test_help_lists_the_stable_commands(tmp_path: Path) -> None:
    result = run(["--help"], tmp_path)
    assert result.returncode == 0
    for name in ("load-example", "check", "import", "export", "template"):
        assert f"  {name} " in result.stdout


def test_unknown_command_is_a_usage_error(tmp_path: Path) -> None:
    result = run(["rapportt"], tmp_path)
    assert result.returncode == 2
    assert "ukjent kommando «rapportt»" in result.stderr


def test_check_json_output_for_scripts(tmp_path: Path) -> None:
    result = run(
        ["check", str(FIXTURES / "buskerud2021-som-trykt.xlsx"), "--format", "json"], tmp_path
    )
    assert result.returncode == 1
    data = json.loads(result.stdout)
    hjardal = next(f for f in data["findings"] if f["value"] == "Hjardal")
    assert hjardal == {
        "severity": "error",
        "code": "municipality_unknown",
        "file": "buskerud2021-som-trykt.xlsx",
        "sheet": "Deltakere",
        "row": 8,
        "column": "deltaker",
        "value": "Hjardal",
        "suggestion": "Hjartdal (3819), Hurdal (3037), Arendal (4203)",
        "message": "Ukjent kommune «Hjardal». Forventet navn eller nummer på en kommune som fantes "
        "på 2021-11-01. Forslag: Hjartdal (3819), Hurdal (3037), Arendal (4203).",
    }
    assert data["errors"] == 10


def test_demo_flow_load_summary_export_import(tmp_path: Path) -> None:
    first = run(["load-example"], tmp_path)
    assert first.returncode == 0, first.stderr
    assert (
        "Buskerud 2021: 234 ordninger, 1487 deltakelser, 25 kommuner — lastet inn; "
        "status «Til kontroll»." in first.stdout
    )
    assert "allerede lastet inn" in run(["load-example"], tmp_path).stdout
    summary = run(["sammendrag", "--mapping", "Buskerud 2021"], tmp_path)
    assert summary.returncode == 0
    assert "221 ordninger telles, 13 avsluttede/utelatte telles ikke" in summary.stdout
    hol = next(line for line in summary.stdout.splitlines() if " Hol " in line)
    assert hol.split()[-3:] == ["45", "0", "2"]
    out = tmp_path / "eksport.csv"
    assert (
        run(
            ["export", "--mapping", "Buskerud 2021", "--format", "csv", "--out", str(out)], tmp_path
        ).returncode
        == 0
    )
    assert out.read_bytes() == EXAMPLE.read_bytes()
    imported = run(["import", str(out), "--mapping", "Kopi"], tmp_path)
    assert imported.returncode == 0, imported.stdout + imported.stderr
    with sqlite3.connect(tmp_path / "var" / "samarbeid.sqlite3") as db:
        runs = db.execute(
            "select mapping_name, outcome, errors, length(file_sha256) from intake_importrun "
            "order by id"
        ).fetchall()
    assert runs == [
        ("Buskerud 2021", "importert", 0, 64),
        ("Buskerud 2021", "uendret", 0, 64),
        ("Kopi", "importert", 0, 64),
    ]


@pytest.mark.parametrize("fmt", ["xlsx", "csv", "json"])
def test_template_has_every_sheet_and_column(tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"mal.{fmt}"
    assert run(["template", "--format", fmt, "--out", str(out)], tmp_path).returncode == 0
    check = run(["check", str(out)], tmp_path)
    # An empty template lacks only the mapping's name and date.
    assert check.returncode == 1
    assert (
        "Kartleggingen har ikke noe navn" in check.stdout
        and "Kartleggingen mangler dato" in check.stdout
    )
    if fmt == "xlsx":
        book = openpyxl.load_workbook(out)
        assert book.sheetnames == [
            "Kartlegging",
            "Kommuner",
            "Ordninger",
            "Deltakere",
            "Veiledning",
        ]
        assert [c.value for c in book["Deltakere"][1]][:3] == [
            "ordning_id",
            "deltaker",
            "kommunenummer",
        ]
    again = run(["template", "--format", fmt, "--out", str(out)], tmp_path)
    assert again.returncode == 1 and "finnes allerede" in again.stderr


def test_unusable_data_folder_is_a_clear_message(tmp_path: Path) -> None:
    (tmp_path / "var").write_text("a file where the database folder should be")
    result = run(["load-example"], tmp_path)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr + result.stdout
    assert result.stderr.startswith("samarbeid: kan ikke opprette datamappen ")
    assert "Sett SAMARBEID_VAR_DIR" in result.stderr
