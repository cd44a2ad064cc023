"""The command line under hostile conditions: output paths that cannot be written, a full disk, a
reader that goes away, file names that are not UTF-8, failures half-way. Real subprocesses."""

from __future__ import annotations

import errno
import os
import resource
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from samarbeid.core import outfiles
from samarbeid.intake.models import ImportRun
from samarbeid.registry.models import Arrangement
from tests.conftest import _Null
from tests.test_cli import migrated_database, run, with_database

__all__ = ["migrated_database"]  # a fixture, imported to be found

GOOD_AND_BAD = (
    "#Kartlegging\nfelt,verdi\nnavn,Fiendtlig\ndato,2021-11-01\n\n"
    "#Kommuner\nkommune\nKongsberg\nNotodden\n\n#Ordninger\nid,navn,deltakere,etablert\n"
    "A1,Alfa IKT,Kongsberg; Notodden,2001\n"
    "A2,Beta IKT,Kongsberg; Notodden,0000\n"
)


@pytest.fixture(autouse=True)
def _migrated(request, tmp_path: Path, migrated_database: Path) -> None:
    """Every command run as a subprocess here runs in a folder whose database is already created
    (tests/test_cli.py covers creating it); the in-process tests use the test database."""
    if "db" not in request.fixturenames and not request.node.get_closest_marker("django_db"):
        with_database(tmp_path, migrated_database)


def _file(folder: Path, name: str | bytes = "f.csv", text: str = GOOD_AND_BAD) -> Path:
    path = Path(os.fsdecode(os.path.join(os.fsencode(folder), os.fsencode(name))))
    path.write_text(text, encoding="utf-8")
    return path


def _db(folder: Path) -> sqlite3.Connection:
    return sqlite3.connect(folder / "var" / "samarbeid.sqlite3")


def _log(folder: Path) -> list[tuple]:
    with _db(folder) as db:
        return db.execute(
            "SELECT mapping_name, file_name, outcome, message FROM intake_importrun ORDER BY id"
        ).fetchall()


def _arrangements(folder: Path) -> int:
    with _db(folder) as db:
        return db.execute("SELECT COUNT(*) FROM registry_arrangement").fetchone()[0]


def test_rejected_rows_file_that_cannot_be_written_stops_the_import_before_it_stores(
    tmp_path: Path,
) -> None:
    path = _file(tmp_path)
    result = run(
        [
            "import",
            str(path),
            "--mapping",
            "Fiendtlig",
            "--skip-invalid",
            "--rejected",
            "/nonexistent/dir/a.csv",
        ],
        tmp_path,
    )
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert "samarbeid import: Kan ikke skrive /nonexistent/dir/a.csv: mappen finnes ikke." in (
        result.stderr
    )
    assert _arrangements(tmp_path) == 0
    [(name, _, outcome, message)] = _log(tmp_path)
    assert (name, outcome) == ("Fiendtlig", "avvist")
    assert "mappen finnes ikke" in message
    # The same import with a writable file stores the good row and writes the bad one.
    result = run(
        [
            "import",
            str(path),
            "--mapping",
            "Fiendtlig",
            "--skip-invalid",
            "--rejected",
            str(tmp_path / "avvist.csv"),
        ],
        tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert _arrangements(tmp_path) == 1
    assert "A2" in (tmp_path / "avvist.csv").read_text(encoding="utf-8-sig")


@pytest.mark.django_db(transaction=True)
def test_a_rejected_rows_file_lost_to_a_full_disk_undoes_the_import(
    tmp_path: Path, monkeypatch
) -> None:
    """The rejected rows are written inside the import's transaction: when the write fails (here
    the disk fills at the last step, the rename), nothing of the import is stored."""
    path = _file(tmp_path)

    def full_disk(*_: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(outfiles.os, "replace", full_disk)
    with pytest.raises(CommandError):
        call_command(
            "import_file",
            str(path),
            mapping="Fiendtlig",
            skip_invalid=True,
            rejected=str(tmp_path / "avvist.csv"),
            stdout=_Null(),
            stderr=_Null(),
        )
    assert not Arrangement.objects.exists()
    assert not (tmp_path / "avvist.csv").exists()
    assert [p.name for p in tmp_path.iterdir()] == ["f.csv"]
    [run_] = ImportRun.objects.all()
    assert run_.outcome == "avvist" and "disken er full" in run_.message


@pytest.mark.django_db(transaction=True)
def test_an_internal_error_is_logged_and_stores_nothing(tmp_path: Path, monkeypatch) -> None:
    from samarbeid.intake.management.commands import import_file

    def broken(*_: object, **__: object) -> None:
        raise RuntimeError("en feil i koden")

    monkeypatch.setattr(import_file, "write_mapping", broken)
    with pytest.raises(CommandError) as caught:
        call_command(
            "import_file",
            str(_file(tmp_path)),
            mapping="Fiendtlig",
            skip_invalid=True,
            rejected=str(tmp_path / "a.csv"),
            stdout=_Null(),
        )
    assert caught.value.returncode == 70
    assert "Ingenting ble lagret; kjøringen står i importloggen" in str(caught.value)
    [run_] = ImportRun.objects.all()
    assert run_.outcome == "feilet" and "RuntimeError: en feil i koden" in run_.message


def test_a_full_disk_while_exporting_leaves_no_file(tmp_path: Path) -> None:
    many = GOOD_AND_BAD.split("A1,")[0] + "".join(
        f"A{i},Ordning nummer {i},Kongsberg; Notodden,2001\n" for i in range(400)
    )
    result = run(["import", str(_file(tmp_path, text=many)), "--mapping", "Fiendtlig"], tmp_path)
    assert result.returncode == 0, result.stderr
    out = tmp_path / "ut"
    out.mkdir()
    # A real limit of the file size (EFBIG), as a full disk would stop the write: above SQLite's
    # shared-memory file (32 KiB, created on reading), below the export (~60 KB).
    limit = 40_000

    def small_files() -> None:
        import signal

        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    environment = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    environment["SAMARBEID_VAR_DIR"] = str(tmp_path / "var")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "samarbeid",
            "export",
            "--mapping",
            "Fiendtlig",
            "--format",
            "json",
            "--out",
            str(out / "f.json"),
        ],
        cwd=tmp_path,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        preexec_fn=small_files,
        check=False,
    )
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith(f"samarbeid export: Kan ikke skrive {out / 'f.json'}: ")
    assert list(out.iterdir()) == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["export", "--mapping", "Fiendtlig", "--out", "{tmp}"], "det er en mappe"),
        (["export", "--mapping", "Fiendtlig", "--out", "{tmp}/nei/f.csv"], "mappen finnes ikke"),
        (["export", "--mapping", "Fiendtlig", "--out", "/dev/full"], "ikke en vanlig fil"),
        (["template", "--out", "{tmp}/nei/mal.xlsx"], "mappen finnes ikke"),
        (
            ["rapport", "--mapping", "Fiendtlig", "--format", "md", "--out", "{tmp}/f.csv"],
            "finnes og er ikke en mappe",
        ),
    ],
)
def test_out_paths_that_cannot_be_written(tmp_path: Path, args: list[str], message: str) -> None:
    assert (
        run(
            [
                "import",
                str(_file(tmp_path, text=GOOD_AND_BAD.replace("0000", "2002"))),
                "--mapping",
                "Fiendtlig",
            ],
            tmp_path,
        ).returncode
        == 0
    )
    result = run([a.replace("{tmp}", str(tmp_path)) for a in args], tmp_path)
    assert result.returncode == 2, result.stdout + result.stderr
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_a_reader_that_goes_away_is_not_an_internal_error(tmp_path: Path) -> None:
    """``samarbeid kartlegginger | head``: the pipe closes; the command stops quietly."""
    assert (
        run(
            [
                "import",
                str(_file(tmp_path, text=GOOD_AND_BAD.replace("0000", "2002"))),
                "--mapping",
                "Fiendtlig",
            ],
            tmp_path,
        ).returncode
        == 0
    )
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader is gone before the first line is written
    environment = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    environment["SAMARBEID_VAR_DIR"] = str(tmp_path / "var")
    process = subprocess.run(
        [sys.executable, "-m", "samarbeid", "kartlegginger"],
        cwd=tmp_path,
        env=environment,
        stdout=write_end,
        stderr=subprocess.PIPE,
        timeout=120,
        check=False,
    )
    os.close(write_end)
    assert process.returncode == 141
    assert b"Traceback" not in process.stderr and b"intern feil" not in process.stderr


def test_a_file_name_that_is_not_utf8(tmp_path: Path) -> None:
    path = _file(tmp_path, b"kartlegging-\xff\xfe.csv", GOOD_AND_BAD)
    check = run(["check", str(path)], tmp_path)
    assert check.returncode == 1
    assert "Traceback" not in check.stderr + check.stdout
    assert "linje 14, kolonne etablert" in check.stdout
    imported = run(["import", str(path), "--mapping", "Fiendtlig", "--skip-invalid"], tmp_path)
    assert imported.returncode == 0, imported.stderr
    assert "Traceback" not in imported.stderr + imported.stdout
    [(_, file_name, outcome, _)] = _log(tmp_path)
    assert outcome == "delvis" and file_name.endswith("kartlegging-\ufffd\ufffd.csv")
    listing = run(["kartlegginger"], tmp_path)
    assert listing.returncode == 0 and "Fiendtlig" in listing.stdout
