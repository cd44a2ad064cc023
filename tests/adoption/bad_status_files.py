"""The corpus of bad status files: one file per kind of problem, each with the exact message and
place ``samarbeid meld-status`` must give (tests/adoption/test_statusfile.py runs them).

Every file is made here from one good status file (:func:`good_rows`: Skien and Porsgrunn, which
the reporting user edits, and the solutions Kjernejournal and DigiHelse) with exactly one thing
broken, so the expected finding is the only error unless a case says otherwise. ``build(folder)``
writes them all; nothing is committed as a binary. CSV files are written with the plain ``csv``
module and workbooks with plain openpyxl (not the app's safe writers), so that a case can hold
what the app itself never writes: a live formula, an error cell, a control character.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import sqlite3
import subprocess
import sys
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import openpyxl

TODAY = dt.date.today()
TOMORROW = TODAY + dt.timedelta(days=1)
USER = "redaktor"
HEADER = ["kommunenummer", "kommune", "losning", "status", "dato", "kilde", "merknad"]
Rows = list[list[object]]  # the header and the rows, as a person would type them


def good_rows() -> Rows:
    """A valid status file: Skien under its 2024 number and its 2020 number, Porsgrunn with a
    Norwegian date and a status label."""
    return [
        list(HEADER),
        ["4003", "Skien", "Kjernejournal", "i_bruk", "2024-03-01", "E-post fra Skien 1. mars 2024", None],
        ["3806", "Porsgrunn", "kjernejournal", "Tilgjengeliggjort", "01.02.2023", "Årsrapport fra Porsgrunn", "Pilot"],
        ["3807", None, "DigiHelse", "ikke_startet", "2023-06-15", "E-post fra Skien", None],
    ]  # fmt: skip


def csv_bytes(rows: Rows, delimiter: str = ",", encoding: str = "utf-8") -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerows([["" if v is None else v for v in row] for row in rows])
    return buffer.getvalue().encode(encoding)


def xlsx(sheets: dict[str, Rows]) -> bytes:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def changed(edit: Callable[[Rows], None], fmt: str = "csv") -> Callable[[], bytes]:
    """The good file after ``edit``, as CSV or as a workbook with the sheet Status."""

    def make() -> bytes:
        rows = good_rows()
        edit(rows)
        return csv_bytes(rows) if fmt == "csv" else xlsx({"Status": rows})

    return make


def cell(row: int, column: str, value: object) -> Callable[[Rows], None]:
    """Set one cell: ``row`` as the file numbers it (1 = the header)."""

    def edit(rows: Rows) -> None:
        rows[row - 1][HEADER.index(column)] = value

    return edit


def both(*edits: Callable[[Rows], None]) -> Callable[[Rows], None]:
    def edit(rows: Rows) -> None:
        for one in edits:
            one(rows)

    return edit


def drop_column(column: str) -> Callable[[Rows], None]:
    def edit(rows: Rows) -> None:
        index = HEADER.index(column)
        for row in rows:
            del row[index]

    return edit


def append(row: list[object]) -> Callable[[Rows], None]:
    return lambda rows: rows.append(row)


def zip_bomb() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (12 * 1024 * 1024))
    return buffer.getvalue()


def bomb_message() -> str:
    infos = zipfile.ZipFile(io.BytesIO(zip_bomb())).infolist()
    unpacked = sum(i.file_size for i in infos)
    packed = sum(i.compress_size for i in infos)
    return (
        f"Filen pakker seg ut til {unpacked / 1048576:.0f} MB (forholdstall {unpacked // packed}"
        ":1); grensen er 400 MB. Den lastes ikke av sikkerhetsgrunner."
    )


def too_many_rows() -> bytes:
    """One row more than the limit (10 000): the template rows of the good file, repeated."""
    rows = [list(HEADER)] + [["4003", "Skien", "Kjernejournal", None, None, None, None]] * 10_001
    return csv_bytes(rows)


@dataclass(frozen=True)
class BadFile:
    name: str
    make: Callable[[], bytes]
    code: str
    location: str  # after the file name
    message: str
    returncode: int = 1
    only_error: bool = True

    def line(self) -> str:
        """The exact line ``samarbeid meld-status`` prints for it (on stderr)."""
        where = f"{self.name}, {self.location}" if self.location else self.name
        text = f"{where}: feil: {self.message}"
        return f"samarbeid meld-status: {text}" if self.returncode == 2 else text


#: Where «Å» of «Årsrapport» is in the good file written as Latin-1.
LATIN1 = csv_bytes(good_rows(), encoding="latin-1").index("Å".encode("latin-1"))
FORMULA = (
    "Cellen begynner med «{c}» og blir en formel i regneark: «{v}». Forventet en verdi, ikke en "
    "formel (skriv verdien uten «{c}» foran)."
)
STATUSES = "ikke_startet, tilgjengeliggjort, i_bruk, stoppet"
FORBIDDEN = (
    "Brukeren «redaktor» kan ikke melde status for {m}. Forventet en kommune brukeren er "
    "kommuneredaktør for, et medlem av et samarbeidsorgan brukeren er sekretariat for, eller en "
    "administrator."
)
SOURCE = (
    "Kilden mangler. Forventet hvor opplysningen kommer fra, i kolonnen kilde eller for hele "
    "filen (--kilde, eller feltet Kilde ved opplasting)."
)

CASES: list[BadFile] = [
    # --- files that cannot be read (exit 2) ----------------------------------------------------
    BadFile("status.pdf", lambda: b"%PDF-1.4\n", "status_file_type", "",
            "Filtypen «.pdf» kan ikke leses som en statusfil. Forventet .csv (UTF-8) eller .xlsx.",
            returncode=2),
    BadFile("empty.csv", lambda: b"", "file_empty", "", "Filen er tom (0 byte).", returncode=2),
    BadFile("csv_renamed.xlsx", changed(lambda r: None), "xlsx_not_zip", "",
            "Filen heter .xlsx, men er ikke et Excel-regneark (ingen ZIP-signatur i starten av "
            "filen).", returncode=2),
    BadFile("old_format.xls", lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504,
            "xlsx_old_format", "",
            "Filen er i det gamle Excel-formatet (.xls). Lagre den som .xlsx.", returncode=2),
    BadFile("zip_bomb.xlsx", zip_bomb, "xlsx_zip_bomb", "", bomb_message(), returncode=2),
    BadFile("nul.csv", lambda: csv_bytes(good_rows()).replace(b"Pilot", b"Pi\0lot"),
            "csv_unreadable", "",
            "CSV-filen kan ikke leses (filen inneholder NUL-tegn; den er ikke tekst).",
            returncode=2),
    BadFile("latin1.csv", lambda: csv_bytes(good_rows(), encoding="latin-1"),
            "csv_encoding", "",
            f"Filen er ikke UTF-8 (første ugyldige byte på posisjon {LATIN1}). Lagre som «CSV "
            "UTF-8».",
            returncode=2),
    BadFile("too_many_rows.csv", too_many_rows, "status_too_many_rows", "linje 10002",
            "Filen har flere enn 10\u00a0000 rader under overskriften. Forventet høyst "
            "10\u00a0000 rader per fil: del opp filen.", returncode=2),
    BadFile("cell_error.xlsx", changed(cell(3, "dato", "#REF!"), "xlsx"),
            "cell_error", "ark Status, rad 3, kolonne dato",
            "Cellen inneholder feilverdien «#REF!» fra regnearket. Forventet en verdi: rett feilen "
            "i regnearket, eller skriv inn verdien.", returncode=2),
    BadFile("boolean.xlsx", changed(cell(2, "merknad", True), "xlsx"),
            "cell_boolean", "ark Status, rad 2, kolonne merknad",
            "Cellen er en sannhetsverdi (TRUE). Forventet tekst eller et tall; ingen kolonne tar "
            "en sannhetsverdi (skriv verdien som tekst).", returncode=2),
    BadFile("sheet_twice.xlsx", lambda: xlsx({"Status": good_rows(), "status ": good_rows()}),
            "sheet_duplicate", "",
            "Arket «status » finnes to ganger (også som «Status»). Forventet hvert ark bare én "
            "gang; slå dem sammen eller slett det ene.", returncode=2),
    BadFile("cell_without_header.csv", changed(lambda r: r[2].append("ekstra")),
            "cell_without_header", "linje 3, kolonne 8",
            "Cellen har en verdi («ekstra»), men kolonnen har ingen overskrift, så verdien ville "
            "gått tapt. Forventet en overskrift i linje 1, eller en tom celle.", returncode=2),
    # --- the sheet and its columns ---------------------------------------------------------------
    BadFile("sheet_missing.xlsx", lambda: xlsx({"Ark1": good_rows()}), "sheet_missing", "",
            "Arket «Status» mangler. Forventet ark: Status."),
    BadFile("header_only.csv", lambda: csv_bytes([HEADER]), "sheet_empty", "",
            "Arket har ingen rader med data."),
    BadFile("column_missing.csv", changed(drop_column("losning")), "column_missing",
            "linje 1, kolonne losning", "Kolonnen «losning» mangler i overskriftsraden."),
    BadFile("column_misspelt.xlsx",
            changed(lambda r: r[0].__setitem__(HEADER.index("losning"), "lsning"), "xlsx"),
            "column_unknown", "ark Status, rad 1",
            "Ukjent kolonne «lsning». Forventet en av: kommunenummer, kommune, losning, status, "
            "dato, kilde, merknad. Forslag: losning.", only_error=False),  # and losning missing
    BadFile("source_column_missing.csv", changed(drop_column("kilde")),
            "status_source_column_missing", "linje 1, kolonne kilde",
            "Kolonnen «kilde» mangler, og ingen kilde er oppgitt for hele filen. Forventet "
            "kolonnen kilde, eller en kilde for hele filen (--kilde, eller feltet Kilde ved "
            "opplasting)."),
    BadFile("only_template_rows.csv",
            lambda: csv_bytes([HEADER, ["4003", "Skien", "Kjernejournal"], ["3806", "", "DigiHelse"]]),
            "status_no_rows", "",
            "Filen har ingen rader med status (rader med bare kommune og løsning hoppes over). "
            "Forventet minst én rad med status, dato og kilde."),
    # --- the rows --------------------------------------------------------------------------------
    BadFile("solution_unknown.csv", changed(cell(2, "losning", "Kjernejournall")),
            "status_solution_unknown", "linje 2, kolonne losning",
            "Ukjent løsning «Kjernejournall». Forventet navnet på en løsning i registeret: "
            "DigiHelse, Kjernejournal. Forslag: Kjernejournal."),
    BadFile("status_unknown.csv", changed(cell(3, "status", "ibruk")),
            "vocabulary_unknown", "linje 3, kolonne status",
            f"Ukjent verdi «ibruk». Forventet en av: {STATUSES}. Forslag: i_bruk."),
    BadFile("status_missing.xlsx", changed(cell(4, "status", None), "xlsx"),
            "value_required", "ark Status, rad 4, kolonne status",
            "Verdien mangler. Forventet: ikke_startet, tilgjengeliggjort, i_bruk eller stoppet."),
    BadFile("date_invalid.csv", changed(cell(2, "dato", "2024-02-30")),
            "status_date_invalid", "linje 2, kolonne dato",
            "Ugyldig dato «2024-02-30». Forventet ÅÅÅÅ-MM-DD eller DD.MM.ÅÅÅÅ."),
    BadFile("date_words.xlsx", changed(cell(3, "dato", "februar 2023"), "xlsx"),
            "status_date_invalid", "ark Status, rad 3, kolonne dato",
            "Ugyldig dato «februar 2023». Forventet ÅÅÅÅ-MM-DD eller DD.MM.ÅÅÅÅ."),
    BadFile("date_future.csv", changed(cell(2, "dato", TOMORROW.isoformat())),
            "future_date", "linje 2, kolonne dato",
            f"Datoen {TOMORROW.isoformat()} er etter i dag ({TODAY.isoformat()}); meld status "
            "når den gjelder."),
    BadFile("date_too_early.csv", changed(cell(4, "dato", "31.12.1999")),
            "too_early", "linje 4, kolonne dato", "Datoen 1999-12-31 er før 2000-01-01."),
    BadFile("municipality_not_yet.csv", changed(cell(2, "dato", "2023-06-01")),
            "municipality_not_valid", "linje 2, kolonne kommunenummer",
            "«4003» fantes ikke på 2023-06-01 (Skien (4003) 2024-01-01–)."),
    BadFile("municipality_unknown.csv", changed(both(cell(3, "kommunenummer", "3899"),
                                                     cell(3, "kommune", None))),
            "municipality_unknown", "linje 3, kolonne kommunenummer",
            "Ukjent kommune «3899». Forventet navn eller nummer på en kommune som fantes på "
            "2023-02-01."),
    BadFile("number_invalid.csv", changed(cell(3, "kommunenummer", "38O6")),
            "municipality_number_invalid", "linje 3, kolonne kommunenummer",
            "Ugyldig kommunenummer «38O6». Forventet fire siffer."),
    BadFile("number_name_mismatch.xlsx", changed(cell(3, "kommune", "Skien"), "xlsx"),
            "number_name_mismatch", "ark Status, rad 3, kolonne kommunenummer",
            "Kommunenummer 3806 er Porsgrunn (3806), men navnet er «Skien»."),
    BadFile("forbidden.csv", changed(both(cell(4, "kommunenummer", "4601"),
                                          cell(4, "kommune", "Bergen"))),
            "status_forbidden", "linje 4, kolonne kommunenummer", FORBIDDEN.format(m="Bergen (4601)")),
    BadFile("conflict.csv",
            changed(append(["4003", "Skien", "KJERNEJOURNAL", "stoppet", "01.03.2024", "Rapport", None])),
            "status_conflict", "linje 5, kolonne status",
            "Skien (4003) har to ulike statuser for Kjernejournal fra 2024-03-01: «stoppet» her og "
            "«i_bruk» på linje 2. Forventet én status per kommune, løsning og dato."),
    BadFile("source_missing.csv", changed(cell(3, "kilde", None)),
            "status_source_missing", "linje 3, kolonne kilde", SOURCE),
    BadFile("formula.xlsx", changed(cell(2, "status", '=IF(1,"i_bruk")'), "xlsx"),
            "formula", "ark Status, rad 2, kolonne status",
            FORMULA.format(c="=", v='=IF(1,"i_bruk")')),
    BadFile("formula.csv",
            changed(cell(3, "kilde", '=HYPERLINK("http://example.com/x","Rapport")')),
            "formula", "linje 3, kolonne kilde",
            FORMULA.format(c="=", v='=HYPERLINK("http://example.com/x","Rapport")')),
    BadFile("solution_too_long.csv", changed(cell(4, "losning", "D" * 201)),
            "text_too_long", "linje 4, kolonne losning",
            "Teksten har 201 tegn; feltet tar høyst 200. Forkort den."),
    BadFile("control_character.csv", changed(cell(2, "kilde", "E-post\x07 fra Skien")),
            "control_character", "linje 2, kolonne kilde",
            "Verdien inneholder kontrolltegnet U+0007 (tegn nr. 7), som ikke kan lagres: "
            "«E-post\\x07 fra Skien». Forventet vanlig tekst; fjern tegnet."),
    BadFile("line_break.xlsx", changed(cell(2, "kommune", "Skien\nkommune"), "xlsx"),
            "line_break", "ark Status, rad 2, kolonne kommune",
            "«Skien ⏎ kommune» har linjeskift. Forventet én linje i dette feltet."),
]  # fmt: skip


BY_NAME = {case.name: case for case in CASES}


# --- how the corpus runs through the real CLI (tests/adoption/test_statusfile.py) --------------


BATCH = Path(__file__).resolve().parents[1] / "intake" / "cli_batch.py"
#: The database of the CLI runs: the two solutions and the reporting user (editor for Skien and
#: Porsgrunn), as the fixture ``reporter`` makes them in-process.
SETUP = """
import django
django.setup()
from django.contrib.auth import get_user_model
from samarbeid.adoption.models import Solution
from samarbeid.registry import permissions
from samarbeid.registry.models import Municipality, RoleAssignment
for name in ("Kjernejournal", "DigiHelse"):
    Solution.objects.create(name=name, source="Testdata")
user = get_user_model().objects.create_user("redaktor", password="x")
for name in ("Skien", "Porsgrunn"):
    place = Municipality.objects.filter(name=name).order_by("-key").first()
    permissions.grant(user, RoleAssignment.Role.MUNICIPALITY_EDITOR, municipality=place)
"""


def _env(var_dir: Path) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k != "DATABASE_URL" and not k.startswith("SAMARBEID_MAX_")
    }
    env.update(SAMARBEID_VAR_DIR=str(var_dir), PYTHONIOENCODING="utf-8")
    env["DJANGO_SETTINGS_MODULE"] = "samarbeid.settings"
    return env


def python(args: list[str], var_dir: Path, **kw) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args],
        env=_env(var_dir),
        cwd=var_dir.parent,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=300,
        check=False,
        **kw,
    )


def batch(var_dir: Path, commands: list[list[str]]) -> list[tuple[int, str]]:
    """``samarbeid`` commands in one process (tests/intake/cli_batch.py): (exit code, stdout +
    "\\n" + stderr) each."""
    done = python([str(BATCH)], var_dir, input=json.dumps(commands))
    assert done.returncode == 0, done.stderr
    return [(r["returncode"], r["output"]) for r in json.loads(done.stdout)]


def table_counts(database: Path) -> dict[str, int]:
    with sqlite3.connect(database) as connection:
        names = [
            row[0]
            for row in connection.execute(
                "SELECT name FROM sqlite_master WHERE type='table' AND name LIKE 'adoption_%'"
            )
        ]
        return {n: connection.execute(f'SELECT COUNT(*) FROM "{n}"').fetchone()[0] for n in names}


def build(folder: Path) -> Path:
    """Write every file of the corpus into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    for case in CASES:
        (folder / case.name).write_bytes(case.make())
    return folder
