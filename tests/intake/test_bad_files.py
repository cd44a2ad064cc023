"""The corpus of bad mapping files (tests/intake/bad_files/): each is refused with one clear message.

For every file the real CLI runs in a subprocess: ``samarbeid check`` must exit 1 (validation
errors) or 2 (unreadable file), print the exact expected line and never a traceback, and
``samarbeid import`` against a fresh SQLite database must exit non-zero, write nothing to the
registry and log exactly one rejected run. The same expectations are checked in-process on the
findings themselves (severity, code, location, text). The subprocesses run in parallel, once per
module, so the whole file stays well under a minute.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import shutil
import sqlite3
import subprocess
import sys
import zipfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from samarbeid.intake import reader
from samarbeid.intake.commands import check_path
from samarbeid.intake.findings import ERROR, FileRejected

CORPUS = Path(__file__).resolve().parent / "bad_files"
GENERATOR = CORPUS / "make_corpus.py"
TODAY = dt.date.today()


@dataclass(frozen=True)
class Case:
    file: str
    severity: str
    code: str
    location: str  # Finding.location() in Norwegian
    message: str  # Finding.text() in Norwegian; {TODAY}, {YEAR} and {CORPUS} are filled in
    returncode: int = 1
    only_error: bool = True  # the one broken thing gives exactly one error
    env: dict[str, str] = field(default_factory=dict)
    xfail: str = ""  # a bug in src/: the message assertions are expected to fail

    @property
    def path(self) -> Path:
        return CORPUS / self.file

    def text(self) -> str:
        return fill(self.message)

    def line(self, command: str = "check") -> str:
        """The exact line the CLI prints: a rejected file is one ``samarbeid CMD:`` error line."""
        words = {"error": "feil", "warning": "advarsel"}
        line = f"{self.location}: {words[self.severity]}: {self.text()}"
        return f"samarbeid {command}: {line}" if self.returncode == 2 else line


def fill(text: str) -> str:
    return (text.replace("{TODAY}", TODAY.isoformat()).replace("{YEAR}", str(TODAY.year))
            .replace("{CORPUS}", str(CORPUS)))


E = ERROR
ORDNINGER_COLUMNS = (
    "id, navn, forkortelse, navnevarianter, status, utenfor_grunn, statusmerknad, avsluttet, "
    "juridisk_form, juridisk_form_kilde, organisasjonsnummer, sektor, oppgaveomrader, etablert, "
    "vertskommune, vertskommune_kilde, arsverk, arsverk_kilde, budsjett, beskrivelse, merknader, "
    "kilder, deltakere, deltakere_som_trykt, deltakere_oppgitt_antall, deltakerliste, "
    "deltakere_merknad"
)
FORMULA = ("Cellen begynner med «{c}» og blir en formel i regneark: «{v}». Forventet en verdi, ikke "
           "en formel (skriv verdien uten «{c}» foran).")

CASES = [
    # --- municipalities -------------------------------------------------------------------------
    Case("municipality_unknown.csv", E, "municipality_unknown",
         "municipality_unknown.csv, seksjon Kommuner, linje 12, kolonne kommune",
         "Ukjent kommune «Hjardal». Forventet navn eller nummer på en kommune som fantes på "
         "2021-11-01. Forslag: Hjartdal (3819), Hurdal (3037), Arendal (4203)."),
    Case("municipality_ambiguous.xlsx", E, "municipality_ambiguous",
         "municipality_ambiguous.xlsx, ark Deltakere, rad 9, kolonne deltaker",
         "Kommunenavnet «Våler» er tvetydig på 2021-11-01: Våler (Viken) 3018 / Våler (Innlandet) "
         "3419. Skriv fylket i parentes eller oppgi kommunenummeret."),
    Case("municipality_not_valid_at_date.csv", E, "municipality_not_valid",
         "municipality_not_valid_at_date.csv, seksjon Kommuner, linje 12, kolonne kommunenummer",
         "«0602» fantes ikke på 2021-11-01 (Drammen (0602) …–2019-12-31 → Drammen (3005))."),
    Case("municipality_not_valid_when_ended.xlsx", E, "municipality_not_valid",
         "municipality_not_valid_when_ended.xlsx, ark Deltakere, rad 9, kolonne kommunenummer",
         "«3301» fantes ikke da ordningen var i drift (før 2019-01-01) (Drammen (3301) "
         "2024-01-01–)."),
    Case("number_name_mismatch.csv", E, "number_name_mismatch",
         "number_name_mismatch.csv, seksjon Kommuner, linje 10, kolonne kommunenummer",
         "Kommunenummer 3006 er Kongsberg (3006), men navnet er «Flesberg»."),
    Case("municipality_number_invalid.xlsx", E, "municipality_number_invalid",
         "municipality_number_invalid.xlsx, ark Deltakere, rad 3, kolonne kommunenummer",
         "Ugyldig kommunenummer «305». Forventet fire siffer."),
    Case("scope_duplicate.csv", E, "scope_duplicate",
         "scope_duplicate.csv, seksjon Kommuner, linje 12, kolonne kommune",
         "Kongsberg (3006) står to ganger i omfanget (også linje 9)."),
    Case("county_unknown.xlsx", E, "county_unknown",
         "county_unknown.xlsx, ark Deltakere, rad 9, kolonne deltaker",
         "Ukjent fylkeskommune «Buskerud fylkeskommune». Forventet et fylke som fantes på "
         "2021-11-01."),
    # --- arrangements ---------------------------------------------------------------------------
    Case("host_not_participant.xlsx", E, "host_not_participant",
         "host_not_participant.xlsx, ark Ordninger, rad 3, kolonne vertskommune",
         "Vertskommunen Kongsberg (3006) er ikke blant deltakerne (Flesberg, Rollag)."),
    Case("arrangement_duplicate.csv", E, "arrangement_duplicate",
         "arrangement_duplicate.csv, seksjon Ordninger, linje 18, kolonne navn",
         "Samme ordning to ganger: «Kongsbergregionen IKS» står også på linje 15."),
    Case("id_duplicate.xlsx", E, "id_duplicate",
         "id_duplicate.xlsx, ark Ordninger, rad 5, kolonne id",
         "Id-en «T-002» er brukt før (rad 3)."),
    # Without the id column no row has an id and no participant finds its arrangement.
    Case("id_missing_column.csv", E, "column_missing",
         "id_missing_column.csv, seksjon Ordninger, linje 14, kolonne id",
         "Kolonnen «id» mangler i overskriftsraden.", only_error=False),
    Case("name_empty.xlsx", E, "value_required",
         "name_empty.xlsx, ark Ordninger, rad 3, kolonne navn",
         "Verdien mangler. Forventet: ordningens navn."),
    Case("legal_form_unknown.csv", E, "vocabulary_unknown",
         "legal_form_unknown.csv, seksjon Ordninger, linje 16, kolonne juridisk_form",
         "Ukjent verdi «vertskomune». Forventet en av: avtale, vertskommune, vertskommune-nemnd, "
         "styre-27, ipr, ko, iks, as, sa, stiftelse, ans, forening, plansamarbeid, annet. "
         "Forslag: vertskommune."),
    Case("iks_one_municipality.xlsx", E, "too_few_municipalities",
         "iks_one_municipality.xlsx, ark Ordninger, rad 2, kolonne juridisk_form",
         "Interkommunalt selskap (IKS) «Kongsbergregionen IKS» har 1 kommunal(e) deltaker(e). "
         "Forventet minst to kommuner eller fylkeskommuner."),
    Case("ko_one_municipality.csv", E, "too_few_municipalities",
         "ko_one_municipality.csv, seksjon Ordninger, linje 16, kolonne juridisk_form",
         "Kommunalt oppgavefellesskap (kommuneloven kap. 19) «Numedal barnevern KO» har 1 "
         "kommunal(e) deltaker(e). Forventet minst to kommuner eller fylkeskommuner."),
    Case("arsverk_not_number.xlsx", E, "number_invalid",
         "arsverk_not_number.xlsx, ark Ordninger, rad 2, kolonne arsverk",
         "«ca. fem» er ikke et tall. Forventet antall årsverk, et tall ≥ 0."),
    Case("arsverk_negative.csv", E, "number_negative",
         "arsverk_negative.csv, seksjon Ordninger, linje 15, kolonne arsverk",
         "-2 er negativt. Forventet antall årsverk, et tall ≥ 0."),
    Case("established_future.xlsx", E, "year_future",
         "established_future.xlsx, ark Ordninger, rad 3, kolonne etablert",
         "Året 2099 ligger fram i tid (i år er {YEAR})."),
    Case("established_invalid.csv", E, "established_invalid",
         "established_invalid.csv, seksjon Ordninger, linje 16, kolonne etablert",
         "Ugyldig etablering «2015-2010». Forventet ÅÅÅÅ, ÅÅÅÅ-ÅÅÅÅ eller «uspesifisert»."),
    Case("orgnr_checksum.csv", E, "orgnr_checksum",
         "orgnr_checksum.csv, seksjon Ordninger, linje 15, kolonne organisasjonsnummer",
         "Organisasjonsnummeret «974760674» har feil kontrollsiffer (MOD11)."),
    Case("orgnr_length.xlsx", E, "orgnr_format",
         "orgnr_length.xlsx, ark Ordninger, rad 2, kolonne organisasjonsnummer",
         "Organisasjonsnummeret «97476067» har ikke ni siffer."),
    Case("task_area_unknown.xlsx", E, "task_area_unknown",
         "task_area_unknown.xlsx, ark Ordninger, rad 2, kolonne oppgaveomrader",
         "Ukjent oppgaveområde «99». Forventet nummer 1–45 (se malen)."),
    Case("sector_unknown.json", E, "vocabulary_unknown",
         "sector_unknown.json, ark Ordninger, rad 2, kolonne sektor",
         "Ukjent verdi «Sosialtjenster». Forventet en av: administrasjon, helse, sosial, "
         "undervisning, kultur, teknisk, landbruk-natur, naering, plan-bygg, brann-beredskap, "
         "politisk. Forslag: sosial."),
    Case("status_unknown.xlsx", E, "vocabulary_unknown",
         "status_unknown.xlsx, ark Ordninger, rad 3, kolonne status",
         "Ukjent verdi «pågår». Forventet en av: telles, avsluttet, utenfor."),
    Case("ended_invalid.csv", E, "ended_invalid",
         "ended_invalid.csv, seksjon Ordninger, linje 17, kolonne avsluttet",
         "Ugyldig avslutning «for lenge siden». Forventet ÅÅÅÅ eller ÅÅÅÅ-MM-DD."),
    Case("ended_but_counted.xlsx", E, "ended_but_counted",
         "ended_but_counted.xlsx, ark Ordninger, rad 3, kolonne status",
         "Ordningen har avslutningsdato 2020, men status «telles». Forventet status «avsluttet»."),
    Case("column_unknown.csv", E, "column_unknown",
         "column_unknown.csv, seksjon Ordninger, linje 14",
         f"Ukjent kolonne «vertkommune». Forventet en av: {ORDNINGER_COLUMNS}. "
         "Forslag: vertskommune."),
    Case("column_duplicate.xlsx", E, "column_duplicate",
         "column_duplicate.xlsx, ark Ordninger, rad 1",
         "Kolonnen «merknader» finnes to ganger."),
    Case("sheet_empty.csv", E, "sheet_empty",
         "sheet_empty.csv, seksjon Ordninger",
         "Arket har ingen rader med data."),
    # --- participants ---------------------------------------------------------------------------
    Case("membership_arrangement_unknown.csv", E, "membership_arrangement_unknown",
         "membership_arrangement_unknown.csv, seksjon Deltakere, linje 28, kolonne ordning_id",
         "Ordningen «T-999» finnes ikke i arket Ordninger."),
    Case("participant_duplicate.xlsx", E, "participant_duplicate",
         "participant_duplicate.xlsx, ark Deltakere, rad 9, kolonne deltaker",
         "Flesberg (3050) er deltaker to ganger i samme ordning (også rad 5)."),
    Case("participant_missing.csv", E, "participant_missing",
         "participant_missing.csv, seksjon Deltakere, linje 28, kolonne deltaker",
         "Deltakeren mangler. Forventet et navn eller et kommunenummer."),
    Case("shares_over_100.xlsx", E, "shares_over_100",
         "shares_over_100.xlsx, ark Deltakere, rad 2, kolonne eierandel",
         "Eierandelene i «Kongsbergregionen IKS» summerer til 120 %. Forventet høyst 100 %."),
    Case("share_out_of_range.json", E, "share_out_of_range",
         "share_out_of_range.json, ark Deltakere, rad 4, kolonne eierandel",
         "Eierandelen 120 er utenfor 0–100 %."),
    Case("dates_reversed.json", E, "dates_reversed",
         "dates_reversed.json, ark Deltakere, rad 5, kolonne ut_dato",
         "Ut-datoen 2017-06-30 er før inn-datoen 2018-01-01."),
    # --- the mapping ----------------------------------------------------------------------------
    Case("mapping_date_missing.xlsx", E, "mapping_date_missing",
         "mapping_date_missing.xlsx, ark Kartlegging",
         "Kartleggingen mangler dato. Oppgi feltet «dato» (ÅÅÅÅ-MM-DD) i arket Kartlegging eller "
         "bruk --dato."),
    Case("mapping_date_invalid.csv", E, "date_invalid",
         "mapping_date_invalid.csv, seksjon Kartlegging, linje 5, kolonne verdi",
         "Ugyldig dato «01.11.2021». Forventet ÅÅÅÅ-MM-DD."),
    Case("mapping_date_future.json", E, "date_future",
         "mapping_date_future.json, ark Kartlegging, rad 3, kolonne verdi",
         "Datoen 2099-11-01 ligger fram i tid (i dag er {TODAY})."),
    Case("sheet_missing.xlsx", E, "sheet_missing", "sheet_missing.xlsx",
         "Arket «Ordninger» mangler. Forventet ark: Kartlegging, Kommuner, Ordninger, Deltakere."),
    # --- formula injection ----------------------------------------------------------------------
    Case("formula_equals.xlsx", E, "formula",
         "formula_equals.xlsx, ark Ordninger, rad 3, kolonne navn",
         FORMULA.format(c="=", v='=HYPERLINK("http://example.com/x","Numedal barnevern")')),
    Case("formula_plus.csv", E, "formula",
         "formula_plus.csv, seksjon Ordninger, linje 15, kolonne merknader",
         FORMULA.format(c="+", v="+cmd|' /C calc'!A0")),
    Case("formula_at.json", E, "formula",
         "formula_at.json, ark Ordninger, rad 2, kolonne merknader",
         FORMULA.format(c="@", v="@SUM(A1)")),
    Case("formula_minus.csv", E, "formula",
         "formula_minus.csv, seksjon Ordninger, linje 17, kolonne merknader",
         FORMULA.format(c="-", v="-2+3+cmd|' /C calc'!A0")),
    Case("semicolon_orgnr_checksum.csv", E, "orgnr_checksum",
         "semicolon_orgnr_checksum.csv, seksjon Ordninger, linje 15, kolonne organisasjonsnummer",
         "Organisasjonsnummeret «974760674» har feil kontrollsiffer (MOD11)."),
    # --- files that cannot be read at all (exit 2) --------------------------------------------
    Case("empty.xlsx", E, "file_empty", "empty.xlsx", "Filen er tom (0 byte).", returncode=2),
    Case("png_renamed.xlsx", E, "xlsx_not_zip", "png_renamed.xlsx",
         "Filen heter .xlsx, men er ikke et Excel-regneark (ingen ZIP-signatur i starten av "
         "filen).", returncode=2),
    Case("docx_renamed.xlsx", E, "xlsx_not_zip", "docx_renamed.xlsx",
         "Filen heter .xlsx, men er ikke et Excel-regneark (ZIP-filen har ikke noe "
         "xl/workbook.xml).", returncode=2),
    Case("encrypted.xlsx", E, "xlsx_encrypted", "encrypted.xlsx",
         "Filen er passordbeskyttet (kryptert). Lagre den uten passord og prøv igjen.",
         returncode=2),
    Case("xls_renamed.xlsx", E, "xlsx_old_format", "xls_renamed.xlsx",
         "Filen er i det gamle Excel-formatet (.xls). Lagre den som .xlsx.", returncode=2),
    Case("old_format.xls", E, "xlsx_old_format", "old_format.xls",
         "Filen er i det gamle Excel-formatet (.xls). Lagre den som .xlsx.", returncode=2),
    Case("zip_bomb.xlsx", E, "xlsx_zip_bomb", "zip_bomb.xlsx",
         "Filen pakker seg ut til 420 MB (forholdstall 1028:1); grensen er 400 MB. Den lastes "
         "ikke av sikkerhetsgrunner.", returncode=2),
    # defusedxml stops the entity expansion; the message says so (no openpyxl text, no path).
    Case("xml_bomb.xlsx", E, "xlsx_entities", "xml_bomb.xlsx",
         "Regnearket inneholder XML-entiteter (mulig «XML-bombe») og åpnes ikke av "
         "sikkerhetsgrunner. Lagre det på nytt fra regnearkprogrammet.", returncode=2),
    Case("too_large.csv", E, "file_too_large", "too_large.csv",
         "Filen er 0.0 MB; grensen er 0.001 MB.", returncode=2,
         env={"SAMARBEID_MAX_FILE_MB": "0.001"}),
    Case("latin1.csv", E, "csv_encoding", "latin1.csv",
         "Filen er ikke UTF-8 (første ugyldige byte på posisjon 48). Lagre som «CSV UTF-8».",
         returncode=2),
    Case("unknown_section.csv", E, "csv_section_unknown", "unknown_section.csv, linje 19",
         "Ukjent seksjon «Deltagere». Forventet en av: Kartlegging, Kommuner, Ordninger, "
         "Deltakere.", returncode=2),
    Case("json_syntax.json", E, "json_unreadable", "json_syntax.json",
         "JSON-filen kan ikke leses (Expecting value: line 141 column 2 (char 2860)).",
         returncode=2),
    Case("mapping.pdf", E, "file_type_unknown", "mapping.pdf",
         "Ukjent filtype «.pdf». Forventet .xlsx, .csv eller .json.", returncode=2),
]
BY_FILE = {c.file: c for c in CASES}

# The exact English line for a subset.
ENGLISH = {
    "municipality_unknown.csv":
        "municipality_unknown.csv, section Kommuner, line 12, column kommune: error: Unknown "
        "municipality “Hjardal”. Expected the name or number of a municipality that existed on "
        "2021-11-01. Suggestion: Hjartdal (3819), Hurdal (3037), Arendal (4203).",
    "municipality_ambiguous.xlsx":
        "municipality_ambiguous.xlsx, sheet Deltakere, row 9, column deltaker: error: The name "
        "“Våler” is ambiguous on 2021-11-01: Våler (Viken) 3018 / Våler (Innlandet) 3419. Add the "
        "county in brackets or give the number.",
    "municipality_not_valid_when_ended.xlsx":
        "municipality_not_valid_when_ended.xlsx, sheet Deltakere, row 9, column kommunenummer: "
        "error: “3301” did not exist while the arrangement ran (before 2019-01-01) "
        "(Drammen (3301) 2024-01-01–).",
    "host_not_participant.xlsx":
        "host_not_participant.xlsx, sheet Ordninger, row 3, column vertskommune: error: The host "
        "Kongsberg (3006) is not among the participants (Flesberg, Rollag).",
    "orgnr_checksum.csv":
        "orgnr_checksum.csv, section Ordninger, line 15, column organisasjonsnummer: error: The "
        "organisation number “974760674” fails its check digit (MOD11).",
    "shares_over_100.xlsx":
        "shares_over_100.xlsx, sheet Deltakere, row 2, column eierandel: error: Ownership shares "
        "in “Kongsbergregionen IKS” sum to 120 %. Expected at most 100 %.",
    "formula_at.json":
        "formula_at.json, sheet Ordninger, row 2, column merknader: error: The cell starts with "
        "“@” and becomes a formula in spreadsheets: “@SUM(A1)”. Expected a value, not a formula.",
    "mapping_date_missing.xlsx":
        "mapping_date_missing.xlsx, sheet Kartlegging: error: The mapping has no date. Give the "
        "field “dato” (YYYY-MM-DD) or --dato.",
    "sheet_missing.xlsx":
        "sheet_missing.xlsx: error: Sheet “Ordninger” is missing. Expected sheets: Kartlegging, "
        "Kommuner, Ordninger, Deltakere.",
    "encrypted.xlsx":
        "samarbeid check: encrypted.xlsx: error: The file is password-protected (encrypted). Save "
        "it without a password.",
    "zip_bomb.xlsx":
        "samarbeid check: zip_bomb.xlsx: error: The file unpacks to 420 MB (ratio 1028:1); the "
        "limit is 400 MB. It is not opened, for safety.",
    "latin1.csv":
        "samarbeid check: latin1.csv: error: The file is not UTF-8 (first invalid byte at 48). "
        "Save it as “CSV UTF-8”.",
}

# English output must carry no Norwegian text: file -> (Norwegian text that must not appear, why).
I18N_GAPS = {
    "iks_one_municipality.xlsx": (
        "Interkommunalt selskap (IKS)",
        "validate._cross_checks passes form=LEGAL_FORMS.by_code[...].nb to too_few_municipalities "
        "also for --lang en (the vocabulary has the English label 'Inter-municipal company (IKS)')"),
    "arsverk_not_number.xlsx": (
        "antall årsverk",
        "validate._arrangement_fields passes the Norwegian expected='antall årsverk, et tall ≥ 0' "
        "into the English number_invalid text"),
    "png_renamed.xlsx": (
        "ingen ZIP-signatur",
        "reader._check_zip passes a Norwegian detail into the English xlsx_not_zip text"),
}


# --- running the real CLI -----------------------------------------------------------------------

@dataclass
class Run:
    returncode: int
    output: str  # stdout + stderr
    var_dir: Path


def _env(var_dir: Path, extra: dict[str, str]) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if k not in {"DATABASE_URL", "SAMARBEID_MAX_FILE_MB", "SAMARBEID_MAX_UNPACKED_MB"}}
    env.update(SAMARBEID_VAR_DIR=str(var_dir), PYTHONIOENCODING="utf-8", **extra)
    return env


def _run(args: list[str], work: Path, extra_env: dict[str, str],
         template: Path | None = None) -> Run:
    work.mkdir(parents=True)
    var_dir = work / "var"
    if template is not None:
        shutil.copytree(template, var_dir)
    done = subprocess.run([sys.executable, "-m", "samarbeid", *args], cwd=work,
                          env=_env(var_dir, extra_env), capture_output=True, text=True,
                          encoding="utf-8", timeout=120, check=False)
    return Run(done.returncode, done.stdout + "\n" + done.stderr, var_dir)


@pytest.fixture(scope="module")
def cli(tmp_path_factory) -> dict[tuple[str, str], Run]:
    """All CLI runs of the module, in parallel: (file, "check" | "check-en" | "import") -> Run."""
    root = tmp_path_factory.mktemp("cli")
    # A freshly migrated, empty database, copied for every import (saves the migrations per run).
    template = root / "template" / "var"
    template.mkdir(parents=True)
    migrated = subprocess.run([sys.executable, "-m", "samarbeid", "migrate"], cwd=template.parent,
                              env=_env(template, {}), capture_output=True, text=True, timeout=120,
                              check=False)
    assert migrated.returncode == 0, migrated.stdout + migrated.stderr
    assert sorted(p.name for p in template.iterdir()) == ["samarbeid.sqlite3"]
    jobs: dict[tuple[str, str], tuple] = {}
    for i, c in enumerate(CASES):
        path = str(c.path)
        jobs[(c.file, "check")] = (["check", path], root / f"{i}-check", c.env)
        jobs[(c.file, "import")] = (["import", path, "--mapping", "X", "--stille"],
                                    root / f"{i}-import", c.env, template)
        if c.file in ENGLISH or c.file in I18N_GAPS:
            jobs[(c.file, "check-en")] = (["check", path, "--lang", "en"], root / f"{i}-en", c.env)
    with ThreadPoolExecutor(max_workers=max(2, (os.cpu_count() or 2) * 2)) as pool:
        futures = {key: pool.submit(_run, *job) for key, job in jobs.items()}
        return {key: future.result() for key, future in futures.items()}


def _params(cases, with_xfail: bool = True):
    return [pytest.param(c, id=c.file, marks=[pytest.mark.xfail(strict=True, reason=c.xfail)]
                         if c.xfail and with_xfail else []) for c in cases]


def _has_line(output: str, line: str) -> bool:
    return f"\n{line}\n" in f"\n{output}\n"


@pytest.mark.parametrize("case", _params(CASES))
def test_check_prints_the_exact_line(cli, case: Case) -> None:
    run = cli[(case.file, "check")]
    assert "Traceback" not in run.output
    assert run.returncode == case.returncode, run.output
    assert _has_line(run.output, case.line()), run.output


@pytest.mark.parametrize("case", _params(CASES, with_xfail=False))
def test_check_never_crashes(cli, case: Case) -> None:
    """Exit code and no traceback hold even where the message is wrong (xfail above)."""
    run = cli[(case.file, "check")]
    assert "Traceback" not in run.output
    assert "intern feil" not in run.output
    assert run.returncode == case.returncode, run.output


@pytest.mark.parametrize("case", _params(CASES))
def test_findings_in_process(case: Case, monkeypatch) -> None:
    for name, value in case.env.items():
        assert name == "SAMARBEID_MAX_FILE_MB"
        monkeypatch.setattr(reader, "MAX_FILE_MB", float(value))
    expected = (case.severity, case.code, case.location, case.text())
    try:
        result = check_path(str(case.path), mapping_name=None, cutoff=None)
    except FileRejected as error:
        f = error.finding
        assert case.returncode == 2, f.format()
        assert (f.severity, f.code, f.location(), f.text()) == expected
        return
    assert case.returncode == 1
    found = [(f.severity, f.code, f.location(), f.text()) for f in result.findings]
    assert expected in found
    if case.only_error:
        assert [f.format() for f in result.errors] == [case.line()]


@pytest.mark.parametrize("case", _params([BY_FILE[f] for f in ENGLISH]))
def test_check_in_english(cli, case: Case) -> None:
    run = cli[(case.file, "check-en")]
    assert run.returncode == case.returncode, run.output
    assert "Traceback" not in run.output
    assert _has_line(run.output, ENGLISH[case.file]), run.output


@pytest.mark.parametrize("file", list(I18N_GAPS))
def test_english_has_no_norwegian_left(cli, file: str) -> None:
    run = cli[(file, "check-en")]
    assert run.returncode == BY_FILE[file].returncode
    assert I18N_GAPS[file][0] not in run.output, run.output


def _assert_nothing_imported(run: Run, case: Case) -> None:
    assert "Traceback" not in run.output
    assert run.returncode == case.returncode, run.output
    if case.returncode == 2 and not case.xfail:
        assert _has_line(run.output, case.line("import")), run.output
    database = run.var_dir / "samarbeid.sqlite3"
    assert database.is_file(), run.output
    with sqlite3.connect(database) as db:
        for table in ("registry_mapping", "registry_arrangement", "registry_membership",
                      "registry_mappingmunicipality", "registry_arrangement_task_areas"):
            assert db.execute(f"SELECT count(*) FROM {table}").fetchone() == (0,), table
        runs = db.execute("SELECT outcome, mapping_name, file_name FROM intake_importrun").fetchall()
    db.close()
    assert runs == [("avvist", "X", str(case.path))]


@pytest.mark.parametrize("case", _params(CASES, with_xfail=False))
def test_import_is_rejected_and_writes_nothing(cli, case: Case) -> None:
    _assert_nothing_imported(cli[(case.file, "import")], case)


@pytest.mark.parametrize("file", ["orgnr_checksum.csv", "encrypted.xlsx"])
def test_import_into_a_new_database(tmp_path: Path, file: str) -> None:
    """Without the template: import creates the database itself, then refuses the file."""
    case = BY_FILE[file]
    run = _run(["import", str(case.path), "--mapping", "X"], tmp_path / "work", case.env)
    assert "Oppretter/oppdaterer databasen" in run.output
    _assert_nothing_imported(run, case)


# --- the corpus itself --------------------------------------------------------------------------

def _corpus_files(folder: Path) -> set[str]:
    return {p.name for p in folder.iterdir() if p.is_file() and p.name != GENERATOR.name}


def test_every_corpus_file_has_a_case() -> None:
    assert _corpus_files(CORPUS) == set(BY_FILE)
    assert len(CASES) == len(BY_FILE)
    assert len(CASES) >= 32
    assert all(p.stat().st_size < 1024 * 1024 for p in CORPUS.iterdir())


def _fingerprint(path: Path) -> object:
    """What must not drift: the bytes of text files, the content of workbooks and zips."""
    data = path.read_bytes()
    if not data.startswith(b"PK\x03\x04"):
        return data
    try:
        book = reader.read_workbook(path)
    except FileRejected:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return sorted((i.filename, i.file_size, i.CRC) for i in archive.infolist())
    return {key: (t.columns, t.rows) for key, t in book.tables.items()}


def test_generator_reproduces_the_corpus(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, str(GENERATOR), "--out", str(tmp_path)],
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert _corpus_files(tmp_path) == _corpus_files(CORPUS)
    for name in sorted(_corpus_files(CORPUS)):
        committed, fresh = CORPUS / name, tmp_path / name
        if committed.suffix in {".csv", ".json"}:
            assert fresh.read_bytes() == committed.read_bytes(), name
        else:
            assert _fingerprint(fresh) == _fingerprint(committed), name
