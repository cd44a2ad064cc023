"""The corpus of bad mapping files (tests/intake/bad_files/): each is refused with one clear message.

For every file the real CLI runs outside the test process: ``samarbeid check`` must exit 1
(validation errors) or 2 (unreadable file), print the exact expected line and never a traceback,
and ``samarbeid import`` into a migrated SQLite database must exit non-zero, write nothing to the
registry (the imports of a batch share one database, which must stay empty) and log exactly one
rejected run for its file. The same expectations are checked in-process on the findings
themselves (severity, code, location, text). The CLI runs are made once per test session, in a
few processes (cli_batch.py), so the whole file stays well under a minute.
"""

from __future__ import annotations

import datetime as dt
import io
import json
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
from samarbeid.intake.readers import limits
from samarbeid.rules.findings import ERROR, FileRejected

# The session fixture runs every CLI case once: all of this module on one test worker.
pytestmark = pytest.mark.xdist_group("bad_files")

CORPUS = Path(__file__).resolve().parent / "bad_files"
GENERATOR = CORPUS / "make_corpus.py"
BATCH = Path(__file__).resolve().parent / "cli_batch.py"
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
    return (
        text.replace("{TODAY}", TODAY.isoformat())
        .replace("{YEAR}", str(TODAY.year))
        .replace("{CORPUS}", str(CORPUS))
    )


E = ERROR
NB_200K = "200\u00a0000"  # limits are written with a no-break space between thousands
# Limits a case may lower through the environment, and where the in-process tests lower them.
LIMITS = {
    "SAMARBEID_MAX_FILE_MB": (reader, "MAX_FILE_MB", float),
    "SAMARBEID_MAX_ROWS": (limits, "MAX_ROWS", int),
    "SAMARBEID_MAX_COLUMNS": (limits, "MAX_COLUMNS", int),
    "SAMARBEID_MAX_CELLS": (limits, "MAX_CELLS", int),
}


def apply_limits(case: Case, monkeypatch) -> None:
    """Lower the limits in this process as the case's environment does for the CLI."""
    for name, value in case.env.items():
        module, attribute, kind = LIMITS[name]
        monkeypatch.setattr(module, attribute, kind(value))


ORDNINGER_COLUMNS = (
    "id, navn, forkortelse, navnevarianter, status, utenfor_grunn, statusmerknad, avsluttet, "
    "juridisk_form, juridisk_form_kilde, organisasjonsnummer, sektor, oppgaveomrader, etablert, "
    "vertskommune, vertskommune_kilde, arsverk, arsverk_kilde, budsjett, beskrivelse, merknader, "
    "kilder, deltakere, deltakere_som_trykt, deltakere_oppgitt_antall, deltakerliste, "
    "deltakere_merknad"
)
FORMULA = (
    "Cellen begynner med «{c}» og blir en formel i regneark: «{v}». Forventet en verdi, ikke "
    "en formel (skriv verdien uten «{c}» foran)."
)

CASES = [
    # --- municipalities -------------------------------------------------------------------------
    Case(
        "municipality_unknown.csv",
        E,
        "municipality_unknown",
        "municipality_unknown.csv, seksjon Kommuner, linje 12, kolonne kommune",
        "Ukjent kommune «Hjardal». Forventet navn eller nummer på en kommune som fantes på "
        "2021-11-01. Forslag: Hjartdal (3819), Hurdal (3037), Arendal (4203).",
    ),
    Case(
        "municipality_ambiguous.xlsx",
        E,
        "municipality_ambiguous",
        "municipality_ambiguous.xlsx, ark Deltakere, rad 9, kolonne deltaker",
        "Kommunenavnet «Våler» er tvetydig på 2021-11-01: Våler (Viken) 3018 / Våler (Innlandet) "
        "3419. Skriv fylket i parentes eller oppgi kommunenummeret.",
    ),
    Case(
        "municipality_not_valid_at_date.csv",
        E,
        "municipality_not_valid",
        "municipality_not_valid_at_date.csv, seksjon Kommuner, linje 12, kolonne kommunenummer",
        "«0602» fantes ikke på 2021-11-01 (Drammen (0602) …–2019-12-31 → Drammen (3005)).",
    ),
    Case(
        "municipality_not_valid_when_ended.xlsx",
        E,
        "municipality_not_valid",
        "municipality_not_valid_when_ended.xlsx, ark Deltakere, rad 9, kolonne kommunenummer",
        "«3301» fantes ikke da ordningen var i drift (før 2019-01-01) (Drammen (3301) "
        "2024-01-01–).",
    ),
    Case(
        "number_name_mismatch.csv",
        E,
        "number_name_mismatch",
        "number_name_mismatch.csv, seksjon Kommuner, linje 10, kolonne kommunenummer",
        "Kommunenummer 3006 er Kongsberg (3006), men navnet er «Flesberg».",
    ),
    Case(
        "municipality_number_invalid.xlsx",
        E,
        "municipality_number_invalid",
        "municipality_number_invalid.xlsx, ark Deltakere, rad 3, kolonne kommunenummer",
        "Ugyldig kommunenummer «305». Forventet fire siffer.",
    ),
    Case(
        "scope_duplicate.csv",
        E,
        "scope_duplicate",
        "scope_duplicate.csv, seksjon Kommuner, linje 12, kolonne kommune",
        "Kongsberg (3006) står to ganger i omfanget (også linje 9).",
    ),
    Case(
        "county_unknown.xlsx",
        E,
        "county_unknown",
        "county_unknown.xlsx, ark Deltakere, rad 9, kolonne deltaker",
        "Ukjent fylkeskommune «Buskerud fylkeskommune». Forventet et fylke som fantes på "
        "2021-11-01.",
    ),
    # --- arrangements ---------------------------------------------------------------------------
    Case(
        "host_not_participant.xlsx",
        E,
        "host_not_participant",
        "host_not_participant.xlsx, ark Ordninger, rad 3, kolonne vertskommune",
        "Vertskommunen Kongsberg (3006) er ikke blant deltakerne (Flesberg, Rollag).",
    ),
    Case(
        "arrangement_duplicate.csv",
        E,
        "arrangement_duplicate",
        "arrangement_duplicate.csv, seksjon Ordninger, linje 18, kolonne navn",
        "Samme ordning to ganger: «Kongsbergregionen IKS» står også på linje 15.",
    ),
    Case(
        "id_duplicate.xlsx",
        E,
        "id_duplicate",
        "id_duplicate.xlsx, ark Ordninger, rad 5, kolonne id",
        "Id-en «T-002» er brukt før (rad 3).",
    ),
    # Without the id column no row has an id and no participant finds its arrangement.
    Case(
        "id_missing_column.csv",
        E,
        "column_missing",
        "id_missing_column.csv, seksjon Ordninger, linje 14, kolonne id",
        "Kolonnen «id» mangler i overskriftsraden.",
        only_error=False,
    ),
    Case(
        "name_empty.xlsx",
        E,
        "value_required",
        "name_empty.xlsx, ark Ordninger, rad 3, kolonne navn",
        "Verdien mangler. Forventet: ordningens navn.",
    ),
    Case(
        "legal_form_unknown.csv",
        E,
        "vocabulary_unknown",
        "legal_form_unknown.csv, seksjon Ordninger, linje 16, kolonne juridisk_form",
        "Ukjent verdi «vertskomune». Forventet en av: avtale, vertskommune, vertskommune-nemnd, "
        "styre-27, ipr, ko, iks, as, sa, stiftelse, ans, forening, plansamarbeid, annet. "
        "Forslag: vertskommune.",
    ),
    Case(
        "iks_one_municipality.xlsx",
        E,
        "too_few_municipalities",
        "iks_one_municipality.xlsx, ark Ordninger, rad 2, kolonne juridisk_form",
        "Interkommunalt selskap (IKS) «Kongsbergregionen IKS» har 1 kommunal(e) deltaker(e). "
        "Forventet minst to kommuner eller fylkeskommuner.",
    ),
    Case(
        "ko_one_municipality.csv",
        E,
        "too_few_municipalities",
        "ko_one_municipality.csv, seksjon Ordninger, linje 16, kolonne juridisk_form",
        "Kommunalt oppgavefellesskap (kommuneloven kap. 19) «Numedal barnevern KO» har 1 "
        "kommunal(e) deltaker(e). Forventet minst to kommuner eller fylkeskommuner.",
    ),
    Case(
        "arsverk_not_number.xlsx",
        E,
        "number_invalid",
        "arsverk_not_number.xlsx, ark Ordninger, rad 2, kolonne arsverk",
        "«ca. fem» er ikke et tall. Forventet antall årsverk, et tall ≥ 0.",
    ),
    Case(
        "arsverk_negative.csv",
        E,
        "number_negative",
        "arsverk_negative.csv, seksjon Ordninger, linje 15, kolonne arsverk",
        "-2 er negativt. Forventet antall årsverk, et tall ≥ 0.",
    ),
    Case(
        "established_future.xlsx",
        E,
        "year_future",
        "established_future.xlsx, ark Ordninger, rad 3, kolonne etablert",
        "Året 2099 ligger fram i tid (i år er {YEAR}).",
    ),
    Case(
        "established_invalid.csv",
        E,
        "established_invalid",
        "established_invalid.csv, seksjon Ordninger, linje 16, kolonne etablert",
        "Ugyldig etablering «2015-2010». Forventet ÅÅÅÅ, ÅÅÅÅ-ÅÅÅÅ eller «uspesifisert».",
    ),
    Case(
        "orgnr_checksum.csv",
        E,
        "orgnr_checksum",
        "orgnr_checksum.csv, seksjon Ordninger, linje 15, kolonne organisasjonsnummer",
        "Organisasjonsnummeret «974760674» har feil kontrollsiffer (MOD11).",
    ),
    Case(
        "orgnr_length.xlsx",
        E,
        "orgnr_format",
        "orgnr_length.xlsx, ark Ordninger, rad 2, kolonne organisasjonsnummer",
        "Organisasjonsnummeret «97476067» har ikke ni siffer.",
    ),
    Case(
        "task_area_unknown.xlsx",
        E,
        "task_area_unknown",
        "task_area_unknown.xlsx, ark Ordninger, rad 2, kolonne oppgaveomrader",
        "Ukjent oppgaveområde «99». Forventet nummer 1–45 (se malen).",
    ),
    Case(
        "sector_unknown.json",
        E,
        "vocabulary_unknown",
        "sector_unknown.json, ark Ordninger, rad 2, kolonne sektor",
        "Ukjent verdi «Sosialtjenster». Forventet en av: administrasjon, helse, sosial, "
        "undervisning, kultur, teknisk, landbruk-natur, naering, plan-bygg, brann-beredskap, "
        "politisk. Forslag: sosial.",
    ),
    Case(
        "status_unknown.xlsx",
        E,
        "vocabulary_unknown",
        "status_unknown.xlsx, ark Ordninger, rad 3, kolonne status",
        "Ukjent verdi «pågår». Forventet en av: telles, avsluttet, utenfor.",
    ),
    Case(
        "ended_invalid.csv",
        E,
        "ended_invalid",
        "ended_invalid.csv, seksjon Ordninger, linje 17, kolonne avsluttet",
        "Ugyldig avslutning «for lenge siden». Forventet ÅÅÅÅ eller ÅÅÅÅ-MM-DD.",
    ),
    Case(
        "ended_but_counted.xlsx",
        E,
        "ended_but_counted",
        "ended_but_counted.xlsx, ark Ordninger, rad 3, kolonne status",
        "Ordningen har avslutningsdato 2020, men status «telles». Forventet status «avsluttet».",
    ),
    Case(
        "column_unknown.csv",
        E,
        "column_unknown",
        "column_unknown.csv, seksjon Ordninger, linje 14",
        f"Ukjent kolonne «vertkommune». Forventet en av: {ORDNINGER_COLUMNS}. "
        "Forslag: vertskommune.",
    ),
    Case(
        "column_duplicate.xlsx",
        E,
        "column_duplicate",
        "column_duplicate.xlsx, ark Ordninger, rad 1",
        "Kolonnen «merknader» finnes to ganger.",
    ),
    Case(
        "sheet_empty.csv",
        E,
        "sheet_empty",
        "sheet_empty.csv, seksjon Ordninger",
        "Arket har ingen rader med data.",
    ),
    # --- participants ---------------------------------------------------------------------------
    Case(
        "membership_arrangement_unknown.csv",
        E,
        "membership_arrangement_unknown",
        "membership_arrangement_unknown.csv, seksjon Deltakere, linje 28, kolonne ordning_id",
        "Ordningen «T-999» finnes ikke i arket Ordninger.",
    ),
    Case(
        "participant_duplicate.xlsx",
        E,
        "participant_duplicate",
        "participant_duplicate.xlsx, ark Deltakere, rad 9, kolonne deltaker",
        "Flesberg (3050) er deltaker to ganger i samme ordning (også rad 5).",
    ),
    Case(
        "participant_missing.csv",
        E,
        "participant_missing",
        "participant_missing.csv, seksjon Deltakere, linje 28, kolonne deltaker",
        "Deltakeren mangler. Forventet et navn eller et kommunenummer.",
    ),
    Case(
        "shares_over_100.xlsx",
        E,
        "shares_over_100",
        "shares_over_100.xlsx, ark Deltakere, rad 2, kolonne eierandel",
        "Eierandelene i «Kongsbergregionen IKS» summerer til 120 %. Forventet høyst 100 %.",
    ),
    Case(
        "share_out_of_range.json",
        E,
        "share_out_of_range",
        "share_out_of_range.json, ark Deltakere, rad 4, kolonne eierandel",
        "Eierandelen 120 er utenfor 0–100 %.",
    ),
    Case(
        "dates_reversed.json",
        E,
        "dates_reversed",
        "dates_reversed.json, ark Deltakere, rad 5, kolonne ut_dato",
        "Ut-datoen 2017-06-30 er før inn-datoen 2018-01-01.",
    ),
    # --- the mapping ----------------------------------------------------------------------------
    Case(
        "mapping_date_missing.xlsx",
        E,
        "mapping_date_missing",
        "mapping_date_missing.xlsx, ark Kartlegging",
        "Kartleggingen mangler dato. Oppgi feltet «dato» (ÅÅÅÅ-MM-DD) i arket Kartlegging eller "
        "bruk --dato.",
    ),
    Case(
        "mapping_date_invalid.csv",
        E,
        "date_invalid",
        "mapping_date_invalid.csv, seksjon Kartlegging, linje 5, kolonne verdi",
        "Ugyldig dato «01.11.2021». Forventet ÅÅÅÅ-MM-DD.",
    ),
    Case(
        "mapping_date_future.json",
        E,
        "date_future",
        "mapping_date_future.json, ark Kartlegging, rad 3, kolonne verdi",
        "Datoen 2099-11-01 ligger fram i tid (i dag er {TODAY}).",
    ),
    Case(
        "sheet_missing.xlsx",
        E,
        "sheet_missing",
        "sheet_missing.xlsx",
        "Arket «Ordninger» mangler. Forventet ark: Kartlegging, Kommuner, Ordninger, Deltakere.",
    ),
    # --- formula injection ----------------------------------------------------------------------
    Case(
        "formula_equals.xlsx",
        E,
        "formula",
        "formula_equals.xlsx, ark Ordninger, rad 3, kolonne navn",
        FORMULA.format(c="=", v='=HYPERLINK("http://example.com/x","Numedal barnevern")'),
    ),
    Case(
        "formula_plus.csv",
        E,
        "formula",
        "formula_plus.csv, seksjon Ordninger, linje 15, kolonne merknader",
        FORMULA.format(c="+", v="+cmd|' /C calc'!A0"),
    ),
    Case(
        "formula_at.json",
        E,
        "formula",
        "formula_at.json, ark Ordninger, rad 2, kolonne merknader",
        FORMULA.format(c="@", v="@SUM(A1)"),
    ),
    Case(
        "formula_minus.csv",
        E,
        "formula",
        "formula_minus.csv, seksjon Ordninger, linje 17, kolonne merknader",
        FORMULA.format(c="-", v="-2+3+cmd|' /C calc'!A0"),
    ),
    Case(
        "semicolon_orgnr_checksum.csv",
        E,
        "orgnr_checksum",
        "semicolon_orgnr_checksum.csv, seksjon Ordninger, linje 15, kolonne organisasjonsnummer",
        "Organisasjonsnummeret «974760674» har feil kontrollsiffer (MOD11).",
    ),
    # --- files that cannot be read at all (exit 2) --------------------------------------------
    Case("empty.xlsx", E, "file_empty", "empty.xlsx", "Filen er tom (0 byte).", returncode=2),
    Case(
        "png_renamed.xlsx",
        E,
        "xlsx_not_zip",
        "png_renamed.xlsx",
        "Filen heter .xlsx, men er ikke et Excel-regneark (ingen ZIP-signatur i starten av filen).",
        returncode=2,
    ),
    Case(
        "docx_renamed.xlsx",
        E,
        "xlsx_not_zip",
        "docx_renamed.xlsx",
        "Filen heter .xlsx, men er ikke et Excel-regneark (ZIP-filen har ikke noe "
        "xl/workbook.xml).",
        returncode=2,
    ),
    Case(
        "encrypted.xlsx",
        E,
        "xlsx_encrypted",
        "encrypted.xlsx",
        "Filen er passordbeskyttet (kryptert). Lagre den uten passord og prøv igjen.",
        returncode=2,
    ),
    Case(
        "xls_renamed.xlsx",
        E,
        "xlsx_old_format",
        "xls_renamed.xlsx",
        "Filen er i det gamle Excel-formatet (.xls). Lagre den som .xlsx.",
        returncode=2,
    ),
    Case(
        "old_format.xls",
        E,
        "xlsx_old_format",
        "old_format.xls",
        "Filen er i det gamle Excel-formatet (.xls). Lagre den som .xlsx.",
        returncode=2,
    ),
    Case(
        "zip_bomb.xlsx",
        E,
        "xlsx_zip_bomb",
        "zip_bomb.xlsx",
        "Filen pakker seg ut til 420 MB (forholdstall 1028:1); grensen er 400 MB. Den lastes "
        "ikke av sikkerhetsgrunner.",
        returncode=2,
    ),
    # defusedxml stops the entity expansion; the message says so (no openpyxl text, no path).
    Case(
        "xml_bomb.xlsx",
        E,
        "xlsx_entities",
        "xml_bomb.xlsx",
        "Regnearket inneholder XML-entiteter (mulig «XML-bombe») og åpnes ikke av "
        "sikkerhetsgrunner. Lagre det på nytt fra regnearkprogrammet.",
        returncode=2,
    ),
    Case(
        "too_large.csv",
        E,
        "file_too_large",
        "too_large.csv",
        "Filen er 0.0 MB; grensen er 0.001 MB.",
        returncode=2,
        env={"SAMARBEID_MAX_FILE_MB": "0.001"},
    ),
    Case(
        "latin1.csv",
        E,
        "csv_encoding",
        "latin1.csv",
        "Filen er ikke UTF-8 (første ugyldige byte på posisjon 48). Lagre som «CSV UTF-8».",
        returncode=2,
    ),
    Case(
        "unknown_section.csv",
        E,
        "csv_section_unknown",
        "unknown_section.csv, linje 19",
        "Ukjent seksjon «Deltagere». Forventet en av: Kartlegging, Kommuner, Ordninger, Deltakere.",
        returncode=2,
    ),
    Case(
        "json_syntax.json",
        E,
        "json_unreadable",
        "json_syntax.json",
        "JSON-filen kan ikke leses (Expecting value (linje 141, kolonne 2)).",
        returncode=2,
    ),
    Case(
        "mapping.pdf",
        E,
        "file_type_unknown",
        "mapping.pdf",
        "Ukjent filtype «.pdf». Forventet .xlsx, .csv eller .json.",
        returncode=2,
    ),
    # --- readers with limits: the xlsx as it is, not as it says it is ---------------------------
    Case(
        "participant_beyond_dimension.xlsx",
        E,
        "participant_duplicate",
        "participant_beyond_dimension.xlsx, ark Deltakere, rad 9, kolonne deltaker",
        "Flesberg (3050) er deltaker to ganger i samme ordning (også rad 5).",
    ),
    Case(
        "dimension_a1.xlsx",
        E,
        "orgnr_format",
        "dimension_a1.xlsx, ark Ordninger, rad 2, kolonne organisasjonsnummer",
        "Organisasjonsnummeret «97476067» har ikke ni siffer.",
    ),
    Case(
        "row_twice.xlsx",
        E,
        "xlsx_unreadable",
        "row_twice.xlsx, ark Ordninger, rad 3",
        "Regnearket kan ikke leses (raden står to ganger eller i feil rekkefølge (etter rad 3)).",
        returncode=2,
    ),
    # --- limits ---------------------------------------------------------------------------------
    Case(
        "cell_far_away.xlsx",
        E,
        "too_many_rows",
        "cell_far_away.xlsx, ark Ordninger, rad 1048576",
        f"Arket har data utenfor grensen på {NB_200K} rader per ark. Forventet høyst {NB_200K} "
        "rader: del opp filen, eller fjern det som står lenger ned.",
        returncode=2,
    ),
    Case(
        "column_beyond_limit.xlsx",
        E,
        "too_many_columns",
        "column_beyond_limit.xlsx, ark Ordninger, rad 2, kolonne GS",
        "Raden har data utenfor grensen på 200 kolonner per ark. Forventet høyst 200 kolonner: "
        "fjern det som står lenger til høyre.",
        returncode=2,
    ),
    Case(
        "rows_over_limit.csv",
        E,
        "too_many_rows",
        "rows_over_limit.csv, seksjon Deltakere, linje 25",
        "Arket har data utenfor grensen på 5 rader per ark. Forventet høyst 5 rader: del opp "
        "filen, eller fjern det som står lenger ned.",
        returncode=2,
        env={"SAMARBEID_MAX_ROWS": "5"},
    ),
    Case(
        "cells_over_limit.json",
        E,
        "too_many_cells",
        "cells_over_limit.json, ark Deltakere, rad 7",
        "Filen har flere enn 100 celler; grensen er 100 celler per fil. Del opp filen.",
        returncode=2,
        env={"SAMARBEID_MAX_CELLS": "100"},
    ),
    # --- cells that are not plain values ---------------------------------------------------------
    Case(
        "formula_array.xlsx",
        E,
        "formula",
        "formula_array.xlsx, ark Ordninger, rad 3, kolonne navn",
        FORMULA.format(c="=", v="=UPPER(A3)"),
    ),
    Case(
        "formula_data_table.xlsx",
        E,
        "formula",
        "formula_data_table.xlsx, ark Ordninger, rad 2, kolonne merknader",
        FORMULA.format(c="=", v="=TABLE(K2)"),
    ),
    # The first cell of a shared formula has its text, the next is translated from it (A2 → A3).
    Case(
        "formula_shared.xlsx",
        E,
        "formula",
        "formula_shared.xlsx, ark Ordninger, rad 3, kolonne merknader",
        FORMULA.format(c="=", v='=A3&"x"'),
        only_error=False,
    ),
    Case(
        "cell_error.xlsx",
        E,
        "cell_error",
        "cell_error.xlsx, ark Ordninger, rad 2, kolonne arsverk",
        "Cellen inneholder feilverdien «#REF!» fra regnearket. Forventet en verdi: rett feilen i "
        "regnearket, eller skriv inn verdien.",
        returncode=2,
    ),
    Case(
        "cell_boolean.xlsx",
        E,
        "cell_boolean",
        "cell_boolean.xlsx, ark Ordninger, rad 3, kolonne merknader",
        "Cellen er en sannhetsverdi (TRUE). Forventet tekst eller et tall; ingen kolonne tar en "
        "sannhetsverdi (skriv verdien som tekst).",
        returncode=2,
    ),
    Case(
        "cell_rich_text.xlsx",
        E,
        "vocabulary_unknown",
        "cell_rich_text.xlsx, ark Ordninger, rad 3, kolonne sektor",
        "Ukjent verdi «Sosialtjenster». Forventet en av: administrasjon, helse, sosial, "
        "undervisning, kultur, teknisk, landbruk-natur, naering, plan-bygg, brann-beredskap, "
        "politisk. Forslag: sosial.",
    ),
    Case(
        "number_not_finite.xlsx",
        E,
        "cell_not_a_number",
        "number_not_finite.xlsx, ark Ordninger, rad 2, kolonne arsverk",
        "Cellen er lagret som et tall, men «1e999» er ikke et endelig tall. Forventet et tall "
        "regnearket kan vise.",
        returncode=2,
    ),
    Case(
        "date_out_of_range.xlsx",
        E,
        "cell_date_invalid",
        "date_out_of_range.xlsx, ark Deltakere, rad 2, kolonne inn_dato",
        "Cellen er lagret som en dato, men «99999999» er ingen gyldig dato. Forventet en dato "
        "mellom år 1 og 9999 (eller skriv verdien som tekst).",
        returncode=2,
    ),
    Case(
        "cell_without_header.xlsx",
        E,
        "cell_without_header",
        "cell_without_header.xlsx, ark Ordninger, rad 3, kolonne M",
        "Cellen har en verdi («glemt kolonne»), men kolonnen har ingen overskrift, så verdien "
        "ville gått tapt. Forventet en overskrift i rad 1, eller en tom celle.",
        returncode=2,
    ),
    Case(
        "cell_without_header.csv",
        E,
        "cell_without_header",
        "cell_without_header.csv, seksjon Ordninger, linje 16, kolonne 13",
        "Cellen har en verdi («ekstra»), men kolonnen har ingen overskrift, så verdien ville gått "
        "tapt. Forventet en overskrift i linje 14, eller en tom celle.",
        returncode=2,
    ),
    # --- the same thing twice: refused, never "the last copy wins" -------------------------------
    Case(
        "sheet_twice.xlsx",
        E,
        "sheet_duplicate",
        "sheet_twice.xlsx",
        "Arket «ordninger » finnes to ganger (også som «Ordninger»). Forventet hvert ark bare én "
        "gang; slå dem sammen eller slett det ene.",
        returncode=2,
    ),
    Case(
        "section_twice.csv",
        E,
        "csv_section_duplicate",
        "section_twice.csv, linje 29",
        "Seksjonen «#Ordninger» står to ganger (også linje 13). Forventet hver seksjon bare én "
        "gang; slå dem sammen.",
        returncode=2,
    ),
    Case(
        "json_key_twice.json",
        E,
        "json_unreadable",
        "json_key_twice.json",
        "JSON-filen kan ikke leses (nøkkelen «navn» står to ganger i samme objekt).",
        returncode=2,
    ),
    Case(
        "json_key_case.json",
        E,
        "json_key_duplicate",
        "json_key_case.json, ark Ordninger, rad 2",
        "Nøkkelen «Navn» er samme kolonne som «navn» i samme objekt. Forventet hver kolonne bare "
        "én gang.",
        returncode=2,
    ),
    Case(
        "json_sheet_case.json",
        E,
        "sheet_duplicate",
        "json_sheet_case.json",
        "Arket «ordninger» finnes to ganger (også som «Ordninger»). Forventet hvert ark bare én "
        "gang; slå dem sammen eller slett det ene.",
        returncode=2,
    ),
    # --- JSON: limits, numbers, the version, the shape -------------------------------------------
    Case(
        "json_deep.json",
        E,
        "json_unreadable",
        "json_deep.json",
        "JSON-filen kan ikke leses (nøstet dypere enn 32 nivåer).",
        returncode=2,
    ),
    Case(
        "json_big_integer.json",
        E,
        "json_unreadable",
        "json_big_integer.json",
        "JSON-filen kan ikke leses (et tall med 5000 tegn (høyst 40)).",
        returncode=2,
    ),
    Case(
        "json_nan.json",
        E,
        "json_unreadable",
        "json_nan.json",
        "JSON-filen kan ikke leses («NaN» er ikke et tall i JSON).",
        returncode=2,
    ),
    Case(
        "json_infinite.json",
        E,
        "json_unreadable",
        "json_infinite.json",
        "JSON-filen kan ikke leses (tallet 1e999 er for stort til å regne med).",
        returncode=2,
    ),
    Case(
        "json_version_missing.json",
        E,
        "json_version_missing",
        "json_version_missing.json",
        'JSON-filen mangler «versjon». Forventet "versjon": 1.',
        returncode=2,
    ),
    Case(
        "json_version_2.json",
        E,
        "json_version_unsupported",
        "json_version_2.json",
        'JSON-filen har "versjon": 2, som denne utgaven ikke kan lese. Forventet "versjon": 1.',
        returncode=2,
    ),
    Case(
        "json_sheet_not_list.json",
        E,
        "json_not_list",
        "json_sheet_not_list.json, ark Kommuner",
        "Arket skal være en liste av objekter (ett per rad), men er et objekt.",
        returncode=2,
    ),
    Case(
        "json_row_not_object.json",
        E,
        "json_row_not_object",
        "json_row_not_object.json, ark Deltakere, rad 8",
        "Raden skal være et objekt med kolonnene som nøkler, men er en tekst.",
        returncode=2,
    ),
    Case(
        "json_value_object.json",
        E,
        "json_value_not_scalar",
        "json_value_object.json, ark Ordninger, rad 2, kolonne navn",
        'Forventet én verdi (tekst eller tall), men fant et objekt: {"a":1}.',
        returncode=2,
    ),
    Case(
        "json_list_not_allowed.json",
        E,
        "json_list_not_allowed",
        "json_list_not_allowed.json, ark Ordninger, rad 2, kolonne navn",
        'Forventet én verdi (tekst eller tall), men fant en liste: ["Numedal","barnevern"]. '
        "Lister er bare lov i kolonnene navnevarianter, oppgaveomrader, deltakere.",
        returncode=2,
    ),
    Case(
        "json_list_nested.json",
        E,
        "json_list_item",
        "json_list_nested.json, ark Ordninger, rad 1, kolonne oppgaveomrader",
        "Listen kan bare inneholde tekst og tall, men inneholder en liste: [13].",
        returncode=2,
    ),
    Case(
        "json_boolean.json",
        E,
        "cell_boolean",
        "json_boolean.json, ark Ordninger, rad 2, kolonne merknader",
        "Cellen er en sannhetsverdi (true). Forventet tekst eller et tall; ingen kolonne tar en "
        "sannhetsverdi (skriv verdien som tekst).",
        returncode=2,
    ),
]
BY_FILE = {c.file: c for c in CASES}

# The exact English line for a subset.
ENGLISH = {
    "municipality_unknown.csv": (
        "municipality_unknown.csv, section Kommuner, line 12, column kommune: error: Unknown "
        "municipality “Hjardal”. Expected the name or number of a municipality that existed on "
        "2021-11-01. Suggestion: Hjartdal (3819), Hurdal (3037), Arendal (4203)."
    ),
    "municipality_ambiguous.xlsx": (
        "municipality_ambiguous.xlsx, sheet Deltakere, row 9, column deltaker: error: The name "
        "“Våler” is ambiguous on 2021-11-01: Våler (Viken) 3018 / Våler (Innlandet) 3419. Add the "
        "county in brackets or give the number."
    ),
    "municipality_not_valid_when_ended.xlsx": (
        "municipality_not_valid_when_ended.xlsx, sheet Deltakere, row 9, column kommunenummer: "
        "error: “3301” did not exist while the arrangement ran (before 2019-01-01) "
        "(Drammen (3301) 2024-01-01–)."
    ),
    "host_not_participant.xlsx": (
        "host_not_participant.xlsx, sheet Ordninger, row 3, column vertskommune: error: The host "
        "Kongsberg (3006) is not among the participants (Flesberg, Rollag)."
    ),
    "orgnr_checksum.csv": (
        "orgnr_checksum.csv, section Ordninger, line 15, column organisasjonsnummer: error: The "
        "organisation number “974760674” fails its check digit (MOD11)."
    ),
    "shares_over_100.xlsx": (
        "shares_over_100.xlsx, sheet Deltakere, row 2, column eierandel: error: Ownership shares "
        "in “Kongsbergregionen IKS” sum to 120 %. Expected at most 100 %."
    ),
    "formula_at.json": (
        "formula_at.json, sheet Ordninger, row 2, column merknader: error: The cell starts with "
        "“@” and becomes a formula in spreadsheets: “@SUM(A1)”. Expected a value, not a formula."
    ),
    "mapping_date_missing.xlsx": (
        "mapping_date_missing.xlsx, sheet Kartlegging: error: The mapping has no date. Give the "
        "field “dato” (YYYY-MM-DD) or --dato."
    ),
    "sheet_missing.xlsx": (
        "sheet_missing.xlsx: error: Sheet “Ordninger” is missing. Expected sheets: Kartlegging, "
        "Kommuner, Ordninger, Deltakere."
    ),
    "encrypted.xlsx": (
        "samarbeid check: encrypted.xlsx: error: The file is password-protected (encrypted). Save "
        "it without a password."
    ),
    "zip_bomb.xlsx": (
        "samarbeid check: zip_bomb.xlsx: error: The file unpacks to 420 MB (ratio 1028:1); the "
        "limit is 400 MB. It is not opened, for safety."
    ),
    "latin1.csv": (
        "samarbeid check: latin1.csv: error: The file is not UTF-8 (first invalid byte at 48). "
        "Save it as “CSV UTF-8”."
    ),
    "cell_far_away.xlsx": (
        "samarbeid check: cell_far_away.xlsx, sheet Ordninger, row 1048576: error: The sheet has "
        "data beyond the limit of 200,000 rows per sheet. Expected at most 200,000 rows: split the "
        "file, or remove what lies further down."
    ),
    "cell_without_header.csv": (
        "samarbeid check: cell_without_header.csv, section Ordninger, line 16, column 13: error: "
        "The cell has a value (“ekstra”) but its column has no header, so the value would be lost. "
        "Expected a header in line 14, or an empty cell."
    ),
    "json_version_2.json": (
        'samarbeid check: json_version_2.json: error: The JSON file has "versjon": 2, which this '
        'version cannot read. Expected "versjon": 1.'
    ),
    "json_deep.json": (
        "samarbeid check: json_deep.json: error: The JSON file cannot be read (nested deeper than "
        "32 levels)."
    ),
    "json_value_object.json": (
        "samarbeid check: json_value_object.json, sheet Ordninger, row 2, column navn: error: "
        'Expected one value (text or a number), but found an object: {"a":1}.'
    ),
}

# English output must carry no Norwegian text: file -> (Norwegian text that must not appear, why).
I18N_GAPS = {
    "iks_one_municipality.xlsx": (
        "Interkommunalt selskap (IKS)",
        "validate._cross_checks passes form=LEGAL_FORMS.by_code[...].nb to too_few_municipalities "
        "also for --lang en (the vocabulary has the English label 'Inter-municipal company (IKS)')",
    ),
    "arsverk_not_number.xlsx": (
        "antall årsverk",
        "validate._arrangement_fields passes the Norwegian expected='antall årsverk, et tall ≥ 0' "
        "into the English number_invalid text",
    ),
    "png_renamed.xlsx": (
        "ingen ZIP-signatur",
        "reader._check_zip passes a Norwegian detail into the English xlsx_not_zip text",
    ),
}


# --- running the real CLI -----------------------------------------------------------------------


@dataclass
class Run:
    returncode: int
    output: str  # stdout + stderr
    var_dir: Path


def _env(var_dir: Path, extra: dict[str, str]) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k != "DATABASE_URL" and not k.startswith("SAMARBEID_MAX_")
    }
    env.update(SAMARBEID_VAR_DIR=str(var_dir), PYTHONIOENCODING="utf-8", **extra)
    return env


def _run(
    args: list[str], work: Path, extra_env: dict[str, str], template: Path | None = None
) -> Run:
    work.mkdir(parents=True)
    var_dir = work / "var"
    if template is not None:
        shutil.copytree(template, var_dir)
    done = subprocess.run(
        [sys.executable, "-m", "samarbeid", *args],
        cwd=work,
        env=_env(var_dir, extra_env),
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        check=False,
    )
    return Run(done.returncode, done.stdout + "\n" + done.stderr, var_dir)


def _batch(commands: list[list[str]], work: Path, template: Path) -> list[Run]:
    """Several commands in one process (cli_batch.py) on one copy of the migrated database."""
    work.mkdir(parents=True)
    var_dir = work / "var"
    shutil.copytree(template, var_dir)
    done = subprocess.run(
        [sys.executable, str(BATCH)],
        input=json.dumps(commands),
        cwd=work,
        env=_env(var_dir, {}),
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    results = json.loads(done.stdout)
    assert len(results) == len(commands), done.stderr
    return [Run(r["returncode"], r["output"], var_dir) for r in results]


@pytest.fixture(scope="session")
def cli(tmp_path_factory) -> dict[tuple[str, str], Run]:
    """All CLI runs of the module: (file, "check" | "check-en" | "import") -> Run.

    A case that lowers a limit through the environment runs each command in a process of its
    own, as a user would; the others go through the same entry point in a few batches
    (cli_batch.py), imports into one database, so that Python and Django start a few times
    instead of ~200. Session-scoped: a test worker may run other modules' tests between this
    module's, and a module-scoped fixture would then run the whole corpus again."""
    root = tmp_path_factory.mktemp("cli")
    # A freshly migrated, empty database, copied for every import (saves the migrations per run).
    template = root / "template" / "var"
    template.mkdir(parents=True)
    migrated = subprocess.run(
        [sys.executable, "-m", "samarbeid", "migrate"],
        cwd=template.parent,
        env=_env(template, {}),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert migrated.returncode == 0, migrated.stdout + migrated.stderr
    assert sorted(p.name for p in template.iterdir()) == ["samarbeid.sqlite3"]
    single: dict[tuple[str, str], tuple] = {}
    batched: dict[str, list[tuple[str, list[str]]]] = {"check": [], "check-en": [], "import": []}
    for i, c in enumerate(CASES):
        path = str(c.path)
        commands = {
            "check": ["check", path],
            "import": ["import", path, "--mapping", "X", "--stille"],
        }
        if c.file in ENGLISH or c.file in I18N_GAPS:
            commands["check-en"] = ["check", path, "--lang", "en"]
        for kind, args in commands.items():
            if c.env:
                single[(c.file, kind)] = (args, root / f"{i}-{kind}", c.env, template)
            else:
                batched[kind].append((c.file, args))
    batches = [
        (kind, jobs[half::2]) for kind, jobs in batched.items() for half in (0, 1) if jobs[half::2]
    ]
    with ThreadPoolExecutor(max_workers=2) as pool:
        singles = {key: pool.submit(_run, *job) for key, job in single.items()}
        grouped = [
            (kind, jobs, pool.submit(_batch, [a for _, a in jobs], root / f"batch-{n}", template))
            for n, (kind, jobs) in enumerate(batches)
        ]
        runs = {key: future.result() for key, future in singles.items()}
        for kind, jobs, future in grouped:
            runs.update(
                {(file, kind): run for (file, _), run in zip(jobs, future.result(), strict=True)}
            )
        return runs


def _params(cases, with_xfail: bool = True):
    return [
        pytest.param(
            c,
            id=c.file,
            marks=[pytest.mark.xfail(strict=True, reason=c.xfail)]
            if c.xfail and with_xfail
            else [],
        )
        for c in cases
    ]


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
    apply_limits(case, monkeypatch)
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
        for table in (
            "registry_mapping",
            "registry_arrangement",
            "registry_membership",
            "registry_mappingmunicipality",
            "registry_arrangement_task_areas",
        ):
            assert db.execute(f"SELECT count(*) FROM {table}").fetchone() == (0,), table
        runs = db.execute(
            "SELECT outcome, mapping_name, file_name FROM intake_importrun WHERE file_name = ?",
            (str(case.path),),
        ).fetchall()
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
    done = subprocess.run(
        [sys.executable, str(GENERATOR), "--out", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert _corpus_files(tmp_path) == _corpus_files(CORPUS)
    for name in sorted(_corpus_files(CORPUS)):
        committed, fresh = CORPUS / name, tmp_path / name
        if committed.suffix in {".csv", ".json"}:
            assert fresh.read_bytes() == committed.read_bytes(), name
        else:
            assert _fingerprint(fresh) == _fingerprint(committed), name


def test_the_corpus_stays_on_one_worker(request) -> None:
    """Under ``--dist loadgroup`` (``make test``) every test of this module goes to one worker, so
    the session fixture runs the corpus once; pytest-xdist marks such tests ``…@bad_files``."""
    if not getattr(request.config.option, "loadgroup", False):  # set on the workers
        pytest.skip("only under pytest-xdist's --dist loadgroup")
    assert request.node.nodeid.endswith("@bad_files"), request.node.nodeid
