"""The bulk status file (samarbeid.adoption.statusfile): the corpus of bad files
(tests/adoption/bad_status_files.py), each refused with its one exact message at its place and
nothing written, in-process and through the real CLI; then good files, the template and the round
trip template → fill in → ``samarbeid meld-status`` → records with source and reporter."""

from __future__ import annotations

import datetime as dt
import io
import sqlite3
from pathlib import Path

import openpyxl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from samarbeid.adoption.models import AdoptionRecord, Solution
from samarbeid.adoption.statusfile import schema
from samarbeid.adoption.statusfile.importer import run
from samarbeid.adoption.statusfile.reader import read_status_file
from samarbeid.adoption.statusfile.template import template_bytes
from samarbeid.adoption.statusfile.validate import check_status, parse_day
from samarbeid.rules.findings import ERROR, FileRejected
from tests.adoption import factories as f
from tests.adoption.bad_status_files import (
    CASES,
    HEADER,
    SETUP,
    USER,
    BadFile,
    batch,
    build,
    csv_bytes,
    good_rows,
    python,
    table_counts,
    xlsx,
)

# The session fixtures run every CLI case once: all of this module on one test worker.
pytestmark = pytest.mark.xdist_group("status_files")


@pytest.fixture(scope="session")
def corpus(tmp_path_factory):
    return build(tmp_path_factory.mktemp("bad_status_files"))


@pytest.fixture
def reporter(db):
    f.solutions()
    return f.editor(USER)


def _ids(cases: list[BadFile]) -> list:
    return [pytest.param(c, id=c.name) for c in cases]


def test_the_corpus_has_a_file_per_kind_of_problem() -> None:
    assert len(CASES) >= 20
    assert len({c.name for c in CASES}) == len(CASES)
    assert {c.returncode for c in CASES} == {1, 2}


@pytest.mark.parametrize("case", _ids(CASES))
def test_the_finding_and_nothing_written(corpus, reporter, case: BadFile, capsys) -> None:
    path = corpus / case.name
    before = AdoptionRecord.objects.count()
    if case.returncode == 2:
        with pytest.raises(FileRejected) as refused:
            read_status_file(path)
        assert refused.value.finding.code == case.code
        assert "samarbeid meld-status: " + refused.value.finding.format() == case.line()
        with pytest.raises(CommandError) as error:
            call_command("status_import", str(path), "--bruker", USER)
        assert error.value.returncode == 2
        assert str(error.value).endswith("Ingenting ble lagret.")
    else:
        result = check_status(read_status_file(path), user=reporter)
        lines = [f.format() for f in result.errors]
        assert case.line() in lines, lines
        assert next(f for f in result.errors if f.format() == case.line()).code == case.code
        if case.only_error:
            assert len(result.errors) == 1, lines
        assert all(f.severity == ERROR for f in result.errors)
        assert result.rows == []
        with pytest.raises(SystemExit) as exit_:
            call_command("status_import", str(path), "--bruker", USER)
        assert exit_.value.code == 1
        err = capsys.readouterr().err.splitlines()
        assert case.line() in err
        assert err[-1] == f"{len(result.errors)} feil i {case.name}. Ingenting ble lagret."
    assert AdoptionRecord.objects.count() == before


# --- through the real CLI, in another process ---------------------------------------------------


@pytest.fixture(scope="session")
def cli_database(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("status_cli")
    var_dir = root / "var"
    var_dir.mkdir()
    migrated = python(["-m", "samarbeid", "migrate"], var_dir)
    assert migrated.returncode == 0, migrated.stdout + migrated.stderr
    setup = python(["-c", SETUP], var_dir)
    assert setup.returncode == 0, setup.stderr
    return var_dir


@pytest.fixture(scope="session")
def cli(cli_database, corpus) -> dict[str, tuple[int, str]]:
    """Every case through ``samarbeid meld-status``: name → (exit code, stdout + stderr); the
    counts of every adoption table are the same afterwards."""
    database = cli_database / "samarbeid.sqlite3"
    before = table_counts(database)
    assert before["adoption_solution"] == 2 and before["adoption_adoptionrecord"] == 0
    commands = [["meld-status", str(corpus / c.name), "--bruker", USER] for c in CASES]
    results = batch(cli_database, commands)
    assert table_counts(database) == before, "a bad file wrote to the database"
    return {c.name: result for c, result in zip(CASES, results, strict=True)}


@pytest.mark.parametrize("case", _ids(CASES))
def test_meld_status_prints_the_exact_line(cli, case: BadFile) -> None:
    code, output = cli[case.name]
    assert "Traceback" not in output
    assert output.startswith("\n"), output  # every problem on stderr, nothing on stdout
    assert code == case.returncode, output
    lines = output.splitlines()
    assert case.line() in lines, output
    errors = [line for line in lines if ": feil: " in line]
    if case.only_error:
        assert errors == [case.line()], output
    if case.returncode == 1:
        assert f"{len(errors)} feil i {case.name}. Ingenting ble lagret." in lines
    else:
        assert "Ingenting ble lagret." in lines


# --- the commands with good files ----------------------------------------------------------------

GOOD = ["meld-status", "good.csv", "--bruker", USER]
COMMANDS = {
    "help": ["--help"],
    "template": ["status-mal", "--out", "mal.xlsx"],
    "template_csv": ["status-mal", "--format", "csv", "--out", "mal.csv"],
    "template_again": ["status-mal", "--out", "mal.xlsx"],
    "import_template": ["meld-status", "mal.xlsx", "--bruker", USER],
    "unknown_user": ["meld-status", "good.csv", "--bruker", "ingen"],
    "missing_file": ["meld-status", "finnes-ikke.csv", "--bruker", USER],
    "check_good": [*GOOD, "--kontroller"],
    "import_good": GOOD,
    "import_good_again": GOOD,
}
#: Filled into the template written by ``status-mal`` (a date cell, a label, the file's source).
FILLED = [
    ["4001", "Porsgrunn", "DigiHelse", "I bruk", dt.datetime(2024, 5, 2), None, "Fra malen"],
    ["4003", None, "Kjernejournal", "stoppet", "2024-06-01", "Brev fra Skien", None],
]


@pytest.fixture(scope="session")
def runs(cli, cli_database) -> dict[str, tuple[int, str]]:
    folder = cli_database.parent
    (folder / "good.csv").write_bytes(csv_bytes(good_rows()))
    done = dict(zip(COMMANDS, batch(cli_database, list(COMMANDS.values())), strict=True))
    book = openpyxl.load_workbook(folder / "mal.xlsx")
    for row in FILLED:
        book["Status"].append(row)
    book.save(folder / "filled.xlsx")
    filled = ["meld-status", "filled.xlsx", "--bruker", USER, "--kilde", "Årsrapport 2024"]
    done["import_filled"] = batch(cli_database, [filled])[0]
    return done


def _lines(run: tuple[int, str]) -> list[str]:
    return [line for line in run[1].splitlines() if line]


def test_the_commands_are_listed(runs) -> None:
    usage = runs["help"][1]
    assert "  meld-status " in usage and "  status-mal " in usage


def test_the_template_commands(runs, cli_database) -> None:
    folder = cli_database.parent
    assert runs["template"] == (0, "Skrev mal.xlsx\n\n")
    assert runs["template_csv"] == (0, "Skrev mal.csv\n\n")
    assert runs["template_again"][0] == 1
    assert "mal.xlsx finnes allerede; velg et annet navn med --out." in runs["template_again"][1]
    book = openpyxl.load_workbook(folder / "mal.xlsx")
    assert book.sheetnames == ["Veiledning", "Status"]
    assert list(book["Status"].iter_rows(values_only=True)) == [tuple(HEADER)]
    guide = [row[0] for row in book["Veiledning"].iter_rows(values_only=True)]
    assert "i_bruk" in guide and "Kjernejournal" in guide and "DigiHelse" in guide
    assert (folder / "mal.csv").read_bytes() == "\ufeff".encode() + ",".join(
        HEADER
    ).encode() + b"\r\n"
    assert _lines(runs["import_template"]) == [
        "mal.xlsx, ark Status: feil: Arket har ingen rader med data.",
        "1 feil i mal.xlsx. Ingenting ble lagret.",
    ]


def test_the_user_and_the_file_must_exist(runs) -> None:
    assert runs["unknown_user"][0] == 2
    assert _lines(runs["unknown_user"]) == [
        "samarbeid meld-status: Fant ingen aktiv bruker «ingen». Opprett den med «samarbeid "
        "rolle ingen --opprett». Ingenting ble lagret."
    ]
    assert runs["missing_file"][0] == 2
    assert _lines(runs["missing_file"]) == [
        "samarbeid meld-status: finnes-ikke.csv: feil: Filen finnes ikke.",
        "Ingenting ble lagret.",
    ]


def test_a_good_file_is_checked_then_recorded_then_unchanged(runs) -> None:
    assert runs["check_good"] == (
        0,
        "good.csv er i orden: 3 rader. Ingenting er lagret (--kontroller).\n\n",
    )
    assert runs["import_good"] == (0, "good.csv: 3 rader, 3 nye statuser, 0 uendret.\n\n")
    assert runs["import_good_again"] == (0, "good.csv: 3 rader, 0 nye statuser, 3 uendret.\n\n")


def test_the_template_filled_in_round_trip(runs, cli_database) -> None:
    """status-mal → filled in → meld-status: the records have their source and reporter."""
    assert runs["import_filled"] == (0, "filled.xlsx: 2 rader, 2 nye statuser, 0 uendret.\n\n")
    with sqlite3.connect(cli_database / "samarbeid.sqlite3") as connection:
        rows = connection.execute(
            "SELECT s.name, m.name, r.status, r.date, r.source, r.note, u.username, "
            "r.reported_by_name FROM adoption_adoptionrecord r "
            "JOIN adoption_solution s ON s.id = r.solution_id "
            "JOIN registry_municipality m ON m.id = r.municipality_id "
            "JOIN auth_user u ON u.id = r.reported_by_id ORDER BY r.id"
        ).fetchall()
    assert rows == [  # by date within a file
        ("Kjernejournal", "Porsgrunn", "tilgjengeliggjort", "2023-02-01",
         "Årsrapport fra Porsgrunn", "Pilot", USER, USER),
        ("DigiHelse", "Skien", "ikke_startet", "2023-06-15", "E-post fra Skien", "", USER, USER),
        ("Kjernejournal", "Skien", "i_bruk", "2024-03-01", "E-post fra Skien 1. mars 2024", "",
         USER, USER),
        ("DigiHelse", "Porsgrunn", "i_bruk", "2024-05-02", "Årsrapport 2024", "Fra malen", USER,
         USER),
        ("Kjernejournal", "Skien", "stoppet", "2024-06-01", "Brev fra Skien", "", USER, USER),
    ]  # fmt: skip


# --- in-process: good files, the template, the limits ------------------------------------------


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def _records() -> list[tuple]:
    return list(
        AdoptionRecord.objects.order_by("date", "id").values_list(
            "solution__name",
            "municipality__name",
            "status",
            "date",
            "source",
            "reported_by__username",
        )
    )


def test_the_template_prefilled_for_the_user_round_trip(reporter, tmp_path, capsys) -> None:
    """The upload page's template: a row per municipality of the user and solution; two filled
    in, the rest left as they are (skipped), recorded with the source given for the file."""
    book = openpyxl.load_workbook(io.BytesIO(template_bytes("xlsx", reporter)))
    sheet = book["Status"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows == [
        tuple(HEADER),
        ("4001", "Porsgrunn", "DigiHelse", None, None, None, None),
        ("4001", "Porsgrunn", "Kjernejournal", None, None, None, None),
        ("4003", "Skien", "DigiHelse", None, None, None, None),
        ("4003", "Skien", "Kjernejournal", None, None, None, None),
    ]
    sheet["D3"], sheet["E3"] = "I bruk", dt.datetime(2024, 4, 2)
    sheet["D4"], sheet["E4"], sheet["F4"] = "stoppet", "15.05.2024", "Telefon med Skien"
    path = tmp_path / "utfylt.xlsx"
    book.save(path)
    call_command("status_import", str(path), "--bruker", USER, "--kilde", "Malen")
    assert capsys.readouterr().out == (
        "utfylt.xlsx: 2 rader, 2 nye statuser, 0 uendret, 2 tomme rader hoppet over.\n"
    )
    assert _records() == [
        ("Kjernejournal", "Porsgrunn", "i_bruk", dt.date(2024, 4, 2), "Malen", USER),
        ("DigiHelse", "Skien", "stoppet", dt.date(2024, 5, 15), "Telefon med Skien", USER),
    ]
    assert AdoptionRecord.objects.filter(reported_by_name=USER).count() == 2


def test_the_template_has_no_live_formula(reporter) -> None:
    Solution.objects.create(name='=HYPERLINK("http://example.com/?x","Klikk")', source="Test")
    book = openpyxl.load_workbook(io.BytesIO(template_bytes("xlsx", reporter)))
    values = []
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                values.append(cell.value)
    assert '\'=HYPERLINK("http://example.com/?x","Klikk")' in values
    text = template_bytes("csv", reporter).decode("utf-8-sig")
    assert ',"\'=HYPERLINK(""http://example.com/?x"",""Klikk"")",' in text
    assert "\n=" not in text and ",=" not in text


def test_an_empty_template_for_administrators_and_anonymous(db) -> None:
    f.solutions()
    admin = f.user("admin", is_superuser=True)
    for user in (admin, None):
        book = openpyxl.load_workbook(io.BytesIO(template_bytes("xlsx", user)))
        assert book["Status"].max_row == 1
    assert template_bytes("xlsx", None) == template_bytes("xlsx", None)  # deterministic


def test_semicolons_labels_and_a_number_without_its_leading_zero(db, tmp_path) -> None:
    """A CSV with BOM and semicolons from a spreadsheet program, the labels of the statuses, and
    a workbook whose number cell lost the leading zero of Oslo's 0301."""
    f.solutions()
    admin = f.user("admin", is_superuser=True)
    rows = good_rows()
    rows[1][3] = "I BRUK"
    data = "\ufeff".encode() + csv_bytes(rows, delimiter=";")
    result = run(_write(tmp_path, "semikolon.csv", data), admin)
    assert (result.written, result.summary()) == (3, "3 rader, 3 nye statuser, 0 uendret")
    book = [HEADER, [301, "Oslo", "DigiHelse", "Stoppet", dt.datetime(2023, 1, 9), "Brev", None]]
    result = run(_write(tmp_path, "oslo.xlsx", xlsx({"Status": book})), admin)
    assert result.check.errors == [] and result.written == 1
    assert _records()[0][:4] == ("DigiHelse", "Oslo", "stoppet", dt.date(2023, 1, 9))


def test_a_row_twice_is_one_report_and_the_order_does_not_matter(reporter, tmp_path) -> None:
    rows = [HEADER,
            ["4003", "Skien", "Kjernejournal", "i_bruk", "2024-03-01", "B", None],
            ["3807", "Skien", "Kjernejournal", "tilgjengeliggjort", "2023-03-01", "A", None],
            ["4003", "Skien", "Kjernejournal", "i_bruk", "2024-03-01", "C", None]]  # fmt: skip
    result = run(_write(tmp_path, "to.csv", csv_bytes(rows)), reporter)
    assert result.summary() == "3 rader, 2 nye statuser, 1 uendret"
    assert [r[2:5] for r in _records()] == [
        ("tilgjengeliggjort", dt.date(2023, 3, 1), "A"),
        ("i_bruk", dt.date(2024, 3, 1), "B"),
    ]


def test_the_source_of_the_file_and_of_the_row(reporter, tmp_path) -> None:
    rows = good_rows()
    rows[3][5] = None
    path = _write(tmp_path, "kilde.csv", csv_bytes(rows))
    result = run(path, reporter, source="  Kommunens årsrapport  ")
    assert result.written == 3
    assert [r[4] for r in _records()] == [
        "Årsrapport fra Porsgrunn", "Kommunens årsrapport", "E-post fra Skien 1. mars 2024"
    ]  # fmt: skip


def test_a_bad_source_for_the_file_is_one_error(reporter, tmp_path) -> None:
    rows = good_rows()
    for row in rows[1:]:
        row[5] = None
    result = run(_write(tmp_path, "kilde.csv", csv_bytes(rows)), reporter, source="=1+2")
    assert [f.format() for f in result.check.errors] == [
        "kilde.csv, kolonne kilde: feil: Cellen begynner med «=» og blir en formel i regneark: "
        "«=1+2». Forventet en verdi, ikke en formel (skriv verdien uten «=» foran)."
    ]
    assert result.written is None and AdoptionRecord.objects.count() == 0


def test_a_secretariat_reports_for_the_bodys_members(db, tmp_path) -> None:
    from tests.portfolio import factories as pf

    f.solutions()
    body = pf.body("Vestlandsrådet", members=("Bergen",))
    user = pf.secretariat(body)
    rows = [HEADER, ["4601", "Bergen", "Kjernejournal", "i_bruk", "2024-01-10", "Rådet", None]]
    assert run(_write(tmp_path, "bergen.csv", csv_bytes(rows)), user).written == 1
    rows[1][0:2] = ["4003", "Skien"]
    result = run(_write(tmp_path, "skien.csv", csv_bytes(rows)), user)
    assert [f.code for f in result.check.errors] == ["status_forbidden"]


def test_the_row_limit_in_a_workbook(reporter, tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(schema, "MAX_ROWS", 2)
    path = _write(tmp_path, "mange.xlsx", xlsx({"Status": good_rows()}))
    with pytest.raises(FileRejected) as refused:
        read_status_file(path)
    assert refused.value.finding.format() == (
        "mange.xlsx, ark Status, rad 4: feil: Filen har flere enn 2 rader under overskriften. "
        "Forventet høyst 2 rader per fil: del opp filen."
    )


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("2024-03-01", dt.date(2024, 3, 1)),
        ("2024-03-01T00:00:00", dt.date(2024, 3, 1)),
        ("1.3.2024", dt.date(2024, 3, 1)),
        ("01.03.2024", dt.date(2024, 3, 1)),
        ("2024-3-1", None),
        ("31.02.2024", None),
        ("2024/03/01", None),
        ("١٢.٠٣.٢٠٢٤", None),
    ],
)
def test_parse_day(text, day) -> None:
    assert parse_day(text) == day
