"""The corpus of bad plan files: one file per kind of problem, each with the exact message and place
``samarbeid plan-import`` must give (tests/portfolio/test_planfile_bad_files.py runs them).

Every file is made here from one good plan (:func:`good_tables`, Grenlandssamarbeidet's plan for
2022, which the database of the examples does not have) with exactly one thing broken, so the
expected finding is the only error unless a case says otherwise. ``build(folder)`` writes them all;
nothing is committed as a binary. The workbooks are written with plain openpyxl (not the app's
safe writer), so that a case can hold what the app itself never writes: a live formula, an error
cell, a missing sheet.
"""

from __future__ import annotations

import copy
import datetime as dt
import io
import json
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import openpyxl

TODAY = dt.date.today()
BODY = "Grenlandssamarbeidet"
#: Sheet → header and rows (texts and numbers as a person would type them).
Tables = dict[str, list[list[object]]]
SOURCE = "Handlingsplan 2022, avsnitt 2"
ALL_SHEETS = "Plan, Prosjekter, Milepæler, Finansiering, Deltakelse, Avsnitt"


def good_tables() -> Tables:
    """A valid plan file: two projects (one the body already has), milestones, funding for the
    plan and a project, participation, sections."""
    return {
        "Plan": [
            ["organ", "ar", "tittel", "status", "vedtatt_av", "vedtatt_dato",
             "oppgitt_antall_prosjekter", "sammendrag", "kilde"],
            [BODY, 2022, "Handlingsplan for Grenlandssamarbeidet 2022", "utkast", None, None, 2,
             "To prosjekter.", "Handlingsplan 2022, avsnitt 1"],
        ],
        "Prosjekter": [
            ["kode", "tittel", "kategori", "type", "satsingsomrade", "eier", "ansvarlig", "fase",
             "samarbeidsform", "soker_midler", "i_aret", "avsnitt", "budsjett", "startet",
             "beskrivelse", "kilde"],
            ["2.2.1", "eByggeSak", "videreført", "Prosjekt", None, None, None, "hovedprosjekt",
             None, "ja", "Ny utlysning.", "2.2.1", None, "2019", None, SOURCE],
            ["N1", "Felles innbyggerdialog", "nyetablert", "Prosjekt", "Helse", "Porsgrunn",
             "Digitaliseringsnettverket", "forprosjekt", "nettverk", "nei", "Forprosjekt.",
             "2.3.1", 150000, "2022", "Et nytt prosjekt.", SOURCE],
        ],
        "Milepæler": [
            ["prosjektkode", "tekst", "nar", "ferdig", "kilde"],
            ["2.2.1", "Utlysning av anbudskonkurranse", "3. kvartal 2022", None, SOURCE],
            ["N1", "Forprosjekt ferdig", "mai 2022", "2022-05-20", SOURCE],
        ],
        "Finansiering": [
            ["ar", "periode_som_oppgitt", "prosjektkode", "type", "giver", "sokt", "innvilget",
             "egenandel", "vedtaksdato", "kilde"],
            [2022, None, None, "skjonnsmidler", "Statsforvalteren", 2000000, 1800000, None,
             "2022-02-01", SOURCE],
            [2022, None, "N1", "tilskudd", "Vestfold og Telemark fylkeskommune", 300000, None,
             150000, None, SOURCE],
        ],
        "Deltakelse": [
            ["prosjektkode", "kommunenummer", "kommune", "deltar", "kilde"],
            ["N1", "3806", "Porsgrunn", "ja", SOURCE],
            ["N1", "3807", "Skien", "nei", SOURCE],
        ],
        "Avsnitt": [
            ["nummer", "tittel"],
            ["1", "Bakgrunn"],
            ["2", "Prosjekter"],
            ["2.2", "Videreførte prosjekter"],
            ["2.2.1", "eByggeSak"],
            ["2.3", "Nyetablerte prosjekter"],
            ["2.3.1", "Felles innbyggerdialog"],
        ],
    }  # fmt: skip


def xlsx(tables: Tables) -> bytes:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in tables.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def as_json(tables: Tables) -> dict[str, object]:
    """The tables in the shape of ``samarbeid handlingsplan --format json``."""

    def records(sheet: str) -> list[dict[str, object]]:
        header, *rows = tables[sheet]
        return [dict(zip(header, row, strict=True)) for row in rows]

    plan = records("Plan")[0]
    projects = []
    for project in records("Prosjekter"):
        code = project["kode"]

        def mine(sheet: str, code=code) -> list[dict[str, object]]:
            return [
                {k: v for k, v in r.items() if k != "prosjektkode"}
                for r in records(sheet)
                if r["prosjektkode"] == code
            ]

        project = {**project, "soker_midler": project["soker_midler"] == "ja"}
        projects.append(
            {
                **project,
                "milepaeler": mine("Milepæler"),
                "finansiering": mine("Finansiering"),
                "deltakelse": [{**d, "deltar": d["deltar"] == "ja"} for d in mine("Deltakelse")],
            }
        )
    plan_funding = [
        {k: v for k, v in r.items() if k != "prosjektkode"}
        for r in records("Finansiering")
        if not r["prosjektkode"]
    ]
    return {**plan, "prosjekter": projects, "finansiering": plan_funding}


def json_bytes(data: object) -> bytes:
    return json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8")


def changed(edit: Callable[[Tables], None]) -> Callable[[], bytes]:
    """A workbook of the good tables after ``edit``."""

    def make() -> bytes:
        tables = good_tables()
        edit(tables)
        return xlsx(tables)

    return make


def changed_json(edit: Callable[[dict], None]) -> Callable[[], bytes]:
    def make() -> bytes:
        data = as_json(good_tables())
        edit(data)
        return json_bytes(data)

    return make


def cell(sheet: str, row: int, column: str, value: object) -> Callable[[Tables], None]:
    """Set one cell: ``row`` as the workbook numbers it (1 = the header)."""

    def edit(tables: Tables) -> None:
        index = tables[sheet][0].index(column)
        tables[sheet][row - 1][index] = value

    return edit


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


@dataclass(frozen=True)
class BadFile:
    name: str
    make: Callable[[], bytes]
    code: str
    location: str  # after the file name
    message: str
    returncode: int = 1
    only_error: bool = True
    env: dict[str, str] = field(default_factory=dict)

    def line(self) -> str:
        """The exact line ``samarbeid plan-import`` prints for it."""
        where = f"{self.name}, {self.location}" if self.location else self.name
        text = f"{where}: feil: {self.message}"
        return f"samarbeid plan-import: {text}" if self.returncode == 2 else text


def _drop_column(sheet: str, column: str) -> Callable[[Tables], None]:
    def edit(tables: Tables) -> None:
        index = tables[sheet][0].index(column)
        for row in tables[sheet]:
            del row[index]

    return edit


def _rename_column(sheet: str, old: str, new: str) -> Callable[[Tables], None]:
    return lambda t: t[sheet][0].__setitem__(t[sheet][0].index(old), new)


def _append(sheet: str, row: list[object]) -> Callable[[Tables], None]:
    return lambda t: t[sheet].append(row)


def _other_draft(tables: Tables, status: str) -> None:
    """The good plan as Kongsbergregionen's plan for 2025, which is a draft in the database of
    the tests (and has no focus areas; the participation of 2022 is left out)."""
    cell("Plan", 2, "organ", "Kongsbergregionen")(tables)
    cell("Plan", 2, "ar", 2025)(tables)
    cell("Plan", 2, "status", status)(tables)
    cell("Prosjekter", 3, "satsingsomrade", None)(tables)
    for row in tables["Finansiering"][1:]:
        row[0] = None
    tables.pop("Deltakelse")


#: The draft plan the database of the tests has (Kongsbergregionen 2025), as a good file.
def draft_tables() -> Tables:
    tables = good_tables()
    _other_draft(tables, "utkast")
    return tables


def _project(data: dict, number: int) -> dict:
    return data["prosjekter"][number - 1]


FORMULA = (
    "Cellen begynner med «=» og blir en formel i regneark: «{v}». Forventet en verdi, ikke en "
    "formel (skriv verdien uten «=» foran)."
)
REQUIRED_SOURCE = (
    "Verdien mangler. Forventet: kilden: hvor opplysningen står (dokument og avsnitt)."
)

CASES: list[BadFile] = [
    # --- the plan -------------------------------------------------------------------------------
    BadFile("body_unknown.xlsx", changed(cell("Plan", 2, "organ", "Grenlandsamarbeidet")),
            "plan_body_unknown", "ark Plan, rad 2, kolonne organ",
            "Ukjent samarbeidsorgan «Grenlandsamarbeidet». Forventet navnet på et organ i "
            "registeret: DigiVestland, Grenlandssamarbeidet, Kongsbergregionen."),
    BadFile("year_invalid.xlsx", changed(cell("Plan", 2, "ar", 20222)),
            "plan_year_invalid", "ark Plan, rad 2, kolonne ar",
            f"«20222» er ikke et planår. Forventet et årstall fra 1800 til {TODAY.year + 10}."),
    BadFile("year_words.json", changed_json(lambda d: d.update(ar="neste år")),
            "plan_year_invalid", "ark Plan, rad 1, kolonne ar",
            f"«neste år» er ikke et planår. Forventet et årstall fra 1800 til {TODAY.year + 10}."),
    BadFile("plan_approved.xlsx",
            changed(lambda t: (cell("Plan", 2, "ar", 2021)(t), cell("Finansiering", 2, "ar", None)(t),
                               cell("Finansiering", 3, "ar", None)(t))),
            "plan_approved", "ark Plan, rad 2, kolonne ar",
            "Handlingsplanen for Grenlandssamarbeidet 2021 er vedtatt og endres ikke ved import. "
            "Lag et nytt utkast (sett planen tilbake til utkast, eller lag planen for et annet år) "
            "og importer filen til det."),
    BadFile("status_approves_draft.xlsx", changed(lambda t: _other_draft(t, "vedtatt")),
            "plan_status_approves", "ark Plan, rad 2, kolonne status",
            "Filen har status «vedtatt», men planen i registeret er et utkast, og en import "
            "vedtar ikke en plan. Forventet status utkast (eller tom)."),
    BadFile("plan_two_rows.xlsx",
            changed(lambda t: t["Plan"].append(list(t["Plan"][1]))),
            "plan_rows", "ark Plan, rad 3",
            "Arket Plan har 2 rader med data. Forventet nøyaktig én rad: én fil er ett organs plan "
            "for ett år."),
    BadFile("governing_body_unknown.xlsx", changed(cell("Plan", 2, "vedtatt_av", "Bystyret")),
            "plan_governing_unknown", "ark Plan, rad 2, kolonne vedtatt_av",
            "Ukjent styringsorgan «Bystyret». Forventet et av organets styringsorganer: "
            "Grenlandsrådet, Kommunedirektørkollegiet, Ordførerkollegiet, Sekretariatet, "
            "Styringsgruppen for DigiTV."),
    BadFile("count_not_integer.xlsx",
            changed(cell("Plan", 2, "oppgitt_antall_prosjekter", "sju")),
            "integer_invalid", "ark Plan, rad 2, kolonne oppgitt_antall_prosjekter",
            "«sju» er ikke et helt tall. Forventet et helt tall ≥ 0."),
    BadFile("status_unknown.xlsx", changed(cell("Plan", 2, "status", "godkjent")),
            "vocabulary_unknown", "ark Plan, rad 2, kolonne status",
            "Ukjent verdi «godkjent». Forventet en av: utkast, vedtatt."),
    # --- projects -------------------------------------------------------------------------------
    BadFile("code_duplicate.xlsx", changed(cell("Prosjekter", 3, "kode", "2.2.1")),
            "plan_code_duplicate", "ark Prosjekter, rad 3, kolonne kode",
            "Prosjektkoden «2.2.1» står to ganger (også rad 2). Forventet hver kode bare én gang.",
            only_error=False),  # N1's milestone, funding and participation lose their project
    BadFile("phase_unknown.xlsx", changed(cell("Prosjekter", 3, "fase", "forprosjek")),
            "vocabulary_unknown", "ark Prosjekter, rad 3, kolonne fase",
            "Ukjent verdi «forprosjek». Forventet en av: ide, forprosjekt, hovedprosjekt, drift, "
            "avsluttet, avlyst. Forslag: forprosjekt."),
    BadFile("category_unknown.json",
            changed_json(lambda d: _project(d, 2).update(kategori="ny")),
            "vocabulary_unknown", "ark prosjekter, rad 2, kolonne kategori",
            "Ukjent verdi «ny». Forventet en av: videreført, nyetablert."),
    BadFile("form_unknown.xlsx",
            changed(cell("Prosjekter", 3, "samarbeidsform", "tjenestekjøpp")),
            "vocabulary_unknown", "ark Prosjekter, rad 3, kolonne samarbeidsform",
            "Ukjent verdi «tjenestekjøpp». Forventet en av: nettverk, prosjekt, tjenestekjop, "
            "lovfestet. Forslag: tjenestekjop."),
    BadFile("focus_area_unknown.xlsx",
            changed(cell("Prosjekter", 3, "satsingsomrade", "Samferdsel")),
            "plan_focus_area_unknown", "ark Prosjekter, rad 3, kolonne satsingsomrade",
            "Ukjent satsingsområde «Samferdsel». Forventet et av organets satsingsområder (Helse, "
            "Infrastruktur, Næringsutvikling, Utdanning) eller et underområde av dem."),
    BadFile("title_missing.json",
            changed_json(lambda d: _project(d, 1).update(tittel="")),
            "value_required", "ark prosjekter, rad 1, kolonne tittel",
            "Verdien mangler. Forventet: en tittel."),
    BadFile("title_too_long.xlsx", changed(cell("Prosjekter", 3, "tittel", "T" * 301)),
            "text_too_long", "ark Prosjekter, rad 3, kolonne tittel",
            "Teksten har 301 tegn; feltet tar høyst 300. Forkort den."),
    BadFile("title_line_break.xlsx",
            changed(cell("Prosjekter", 2, "tittel", "eByggeSak\nfase 2")),
            "line_break", "ark Prosjekter, rad 2, kolonne tittel",
            "«eByggeSak ⏎ fase 2» har linjeskift. Forventet én linje i dette feltet."),
    BadFile("budget_not_number.json",
            changed_json(lambda d: _project(d, 2).update(budsjett="ca. 1 mill.")),
            "number_invalid", "ark prosjekter, rad 2, kolonne budsjett",
            "«ca. 1 mill.» er ikke et tall. Forventet kroner, et helt tall ≥ 0."),
    BadFile("seeks_funds_unknown.xlsx",
            changed(cell("Prosjekter", 2, "soker_midler", "kanskje")),
            "vocabulary_unknown", "ark Prosjekter, rad 2, kolonne soker_midler",
            "Ukjent verdi «kanskje». Forventet en av: ja, nei."),
    BadFile("formula.xlsx",
            changed(cell("Prosjekter", 3, "eier", '=HYPERLINK("http://example.com/x","Porsgrunn")')),
            "formula", "ark Prosjekter, rad 3, kolonne eier",
            FORMULA.format(v='=HYPERLINK("http://example.com/x","Porsgrunn")')),
    # --- milestones, funding, participation, sections ------------------------------------------
    BadFile("milestone_project_unknown.xlsx", changed(cell("Milepæler", 3, "prosjektkode", "N2")),
            "plan_project_unknown", "ark Milepæler, rad 3, kolonne prosjektkode",
            "Prosjektkoden «N2» finnes ikke i arket Prosjekter. Forventet en av: 2.2.1, N1."),
    BadFile("milestone_duplicate.xlsx",
            changed(_append("Milepæler", ["N1", "Forprosjekt ferdig", "juni 2022", None, SOURCE])),
            "plan_milestone_duplicate", "ark Milepæler, rad 4, kolonne tekst",
            "Milepælen «Forprosjekt ferdig» står to ganger for samme prosjekt (også rad 3). "
            "Forventet hver milepæl én gang per prosjekt: milepæler kjennes igjen på teksten."),
    BadFile("milestone_date_invalid.xlsx", changed(cell("Milepæler", 3, "ferdig", "20.05.2022")),
            "date_invalid", "ark Milepæler, rad 3, kolonne ferdig",
            "Ugyldig dato «20.05.2022». Forventet ÅÅÅÅ-MM-DD."),
    BadFile("source_missing.xlsx", changed(cell("Milepæler", 2, "kilde", None)),
            "value_required", "ark Milepæler, rad 2, kolonne kilde", REQUIRED_SOURCE),
    BadFile("source_missing.json",
            changed_json(lambda d: _project(d, 2)["deltakelse"][0].update(kilde="")),
            "value_required", "ark prosjekter[2].deltakelse, rad 1, kolonne kilde",
            REQUIRED_SOURCE),
    BadFile("funding_project_unknown.xlsx",
            changed(cell("Finansiering", 3, "prosjektkode", "2.2.9")),
            "plan_project_unknown", "ark Finansiering, rad 3, kolonne prosjektkode",
            "Prosjektkoden «2.2.9» finnes ikke i arket Prosjekter. Forventet en av: 2.2.1, N1."),
    BadFile("funding_other_year.xlsx", changed(cell("Finansiering", 2, "ar", 2021)),
            "plan_funding_year", "ark Finansiering, rad 2, kolonne ar",
            "Finansieringen gjelder 2021, men filen er planen for 2022. Forventet 2022 eller tom "
            "(finansiering for et annet år hører til planen for det året)."),
    BadFile("funding_negative.xlsx", changed(cell("Finansiering", 3, "sokt", -300000)),
            "number_negative", "ark Finansiering, rad 3, kolonne sokt",
            "-300000 er negativt. Forventet kroner, et helt tall ≥ 0."),
    BadFile("funding_no_amount.xlsx",
            changed(lambda t: (cell("Finansiering", 2, "sokt", None)(t),
                               cell("Finansiering", 2, "innvilget", None)(t))),
            "plan_funding_amount_missing", "ark Finansiering, rad 2, kolonne sokt",
            "Raden har verken søkt eller innvilget beløp. Forventet minst ett av dem (sokt, "
            "innvilget)."),
    BadFile("funding_date_impossible.json",
            changed_json(lambda d: d["finansiering"][0].update(vedtaksdato="2022-02-30")),
            "date_invalid", "ark finansiering, rad 1, kolonne vedtaksdato",
            "Ugyldig dato «2022-02-30». Forventet ÅÅÅÅ-MM-DD."),
    BadFile("participation_project_unknown.xlsx",
            changed(cell("Deltakelse", 3, "prosjektkode", "N3")),
            "plan_project_unknown", "ark Deltakelse, rad 3, kolonne prosjektkode",
            "Prosjektkoden «N3» finnes ikke i arket Prosjekter. Forventet en av: 2.2.1, N1."),
    BadFile("municipality_number_unknown.xlsx",
            changed(lambda t: (cell("Deltakelse", 3, "kommunenummer", "3899")(t),
                               cell("Deltakelse", 3, "kommune", None)(t))),
            "municipality_unknown", "ark Deltakelse, rad 3, kolonne kommunenummer",
            "Ukjent kommune «3899». Forventet navn eller nummer på en kommune som fantes på "
            "2022-01-01."),
    BadFile("municipality_not_yet.xlsx",
            changed(lambda t: (cell("Deltakelse", 2, "kommunenummer", "4001")(t),
                               cell("Deltakelse", 2, "kommune", None)(t))),
            "municipality_not_valid", "ark Deltakelse, rad 2, kolonne kommunenummer",
            "«4001» fantes ikke på 2022-01-01 (Porsgrunn (4001) 2024-01-01–)."),
    BadFile("municipality_name_mismatch.json",
            changed_json(lambda d: _project(d, 2)["deltakelse"][1].update(kommune="Bamble")),
            "number_name_mismatch", "ark prosjekter[2].deltakelse, rad 2, kolonne kommunenummer",
            "Kommunenummer 3807 er Skien (3807), men navnet er «Bamble»."),
    BadFile("participation_duplicate.xlsx",
            changed(_append("Deltakelse", ["N1", None, "Porsgrunn", "nei", SOURCE])),
            "plan_participation_duplicate", "ark Deltakelse, rad 4, kolonne kommune",
            "Porsgrunn (3806) står to ganger for samme prosjekt (også rad 2). Forventet hver "
            "kommune én gang per prosjekt."),
    BadFile("takes_part_unknown.xlsx", changed(cell("Deltakelse", 2, "deltar", "delvis")),
            "vocabulary_unknown", "ark Deltakelse, rad 2, kolonne deltar",
            "Ukjent verdi «delvis». Forventet en av: ja, nei."),
    BadFile("section_duplicate.xlsx", changed(_append("Avsnitt", ["2.2", "Videreført"])),
            "plan_section_duplicate", "ark Avsnitt, rad 8, kolonne nummer",
            "Avsnittet «2.2» står to ganger (også rad 4). Forventet hvert nummer én gang."),
    # --- sheets and columns ---------------------------------------------------------------------
    BadFile("sheet_missing.xlsx", changed(lambda t: t.pop("Milepæler")),
            "sheet_missing", "",
            f"Arket «Milepæler» mangler. Forventet ark: {ALL_SHEETS}."),
    BadFile("column_misspelt.xlsx", changed(_rename_column("Prosjekter", "tittel", "titel")),
            "column_unknown", "ark Prosjekter, rad 1",
            "Ukjent kolonne «titel». Forventet en av: kode, tittel, kategori, type, "
            "satsingsomrade, eier, ansvarlig, fase, samarbeidsform, soker_midler, i_aret, "
            "avsnitt, budsjett, startet, beskrivelse, okonomi, kilde. Forslag: tittel.",
            only_error=False),  # and «tittel» is missing
    BadFile("column_missing.xlsx", changed(_drop_column("Milepæler", "kilde")),
            "column_missing", "ark Milepæler, rad 1, kolonne kilde",
            "Kolonnen «kilde» mangler i overskriftsraden."),
    BadFile("key_missing.json", changed_json(lambda d: d.pop("kilde")),
            "plan_json_key_missing", "ark Plan, kolonne kilde",
            "Nøkkelen «kilde» mangler. Forventet den i hvert objekt her."),
    # --- files that cannot be read (exit 2) ----------------------------------------------------
    BadFile("empty.xlsx", lambda: b"", "file_empty", "", "Filen er tom (0 byte).", returncode=2),
    BadFile("csv_renamed.xlsx",
            lambda: b"organ;ar\nGrenlandssamarbeidet;2022\n",
            "xlsx_not_zip", "",
            "Filen heter .xlsx, men er ikke et Excel-regneark (ingen ZIP-signatur i starten av "
            "filen).", returncode=2),
    BadFile("plan.csv", lambda: b"organ;ar\n", "plan_file_type", "",
            "Filtypen «.csv» kan ikke leses som en handlingsplan. Forventet .xlsx eller .json.",
            returncode=2),
    BadFile("zip_bomb.xlsx", zip_bomb, "xlsx_zip_bomb", "", bomb_message(), returncode=2),
    BadFile("old_format.xls", lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504,
            "xlsx_old_format", "",
            "Filen er i det gamle Excel-formatet (.xls). Lagre den som .xlsx.", returncode=2),
    BadFile("too_many_rows.xlsx",
            changed(lambda t: t["Avsnitt"].extend([[f"9.{i}", "Mer"] for i in range(10)])),
            "too_many_rows", "ark Avsnitt, rad 9",
            "Arket har data utenfor grensen på 8 rader per ark. Forventet høyst 8 rader: del opp "
            "filen, eller fjern det som står lenger ned.",
            returncode=2, env={"SAMARBEID_MAX_ROWS": "8"}),
    BadFile("cell_error.xlsx", changed(cell("Finansiering", 2, "innvilget", "#REF!")),
            "cell_error", "ark Finansiering, rad 2, kolonne innvilget",
            "Cellen inneholder feilverdien «#REF!» fra regnearket. Forventet en verdi: rett feilen "
            "i regnearket, eller skriv inn verdien.", returncode=2),
    BadFile("json_syntax.json",
            lambda: json_bytes(as_json(good_tables())).replace(b'"ar": 2022,', b'"ar": 2022', 1),
            "json_unreadable", "",
            "JSON-filen kan ikke leses (Expecting ',' delimiter (linje 4, kolonne 2)).",
            returncode=2),
    BadFile("json_not_object.json", lambda: json_bytes([as_json(good_tables())]),
            "plan_json_not_object", "",
            "JSON-filen skal være ett objekt med planen (organ, ar, tittel, kilde, prosjekter …), "
            "men er en liste.", returncode=2),
    BadFile("json_projects_not_list.json",
            changed_json(lambda d: d.update(prosjekter={"kode": "N1"})),
            "json_not_list", "ark prosjekter",
            "Arket skal være en liste av objekter (ett per rad), men er et objekt.", returncode=2),
    BadFile("json_value_object.json",
            changed_json(lambda d: _project(d, 1).update(tittel={"nb": "eByggeSak"})),
            "json_value_not_scalar", "ark prosjekter, rad 1, kolonne tittel",
            'Forventet én verdi (tekst eller tall), men fant et objekt: {"nb":"eByggeSak"}.',
            returncode=2),
    BadFile("json_boolean.json", changed_json(lambda d: _project(d, 2).update(eier=True)),
            "plan_json_boolean", "ark prosjekter, rad 2, kolonne eier",
            "Verdien er en sannhetsverdi (true). Forventet tekst eller et tall; bare deltar, "
            "soker_midler tar true/false.", returncode=2),
    BadFile("json_key_twice.json", changed_json(lambda d: d.update(Prosjekter=[])),
            "json_key_duplicate", "ark Plan, rad 1",
            "Nøkkelen «Prosjekter» er samme kolonne som «prosjekter» i samme objekt. Forventet "
            "hver kolonne bare én gang.", returncode=2),
    BadFile("json_format.json",
            changed_json(lambda d: d.update(format="samarbeid-kartlegging")),
            "plan_json_format", "",
            'JSON-filen har "format": "samarbeid-kartlegging". Forventet "format": '
            '"samarbeid-handlingsplan", eller ingen format-nøkkel (som i «samarbeid '
            'handlingsplan --format json»).', returncode=2),
    BadFile("json_version.json", changed_json(lambda d: d.update(versjon=2)),
            "json_version_unsupported", "",
            'JSON-filen har "versjon": 2, som denne utgaven ikke kan lese. Forventet "versjon": 1.',
            returncode=2),
]  # fmt: skip
BY_NAME = {case.name: case for case in CASES}


def build(folder: Path) -> Path:
    """Write every file of the corpus into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    for case in CASES:
        (folder / case.name).write_bytes(case.make())
    return folder


def good_json() -> dict[str, object]:
    return copy.deepcopy(as_json(good_tables()))
