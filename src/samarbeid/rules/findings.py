"""Findings of a file check: what is wrong, where, what was expected, and a suggestion.

Messages live in one catalogue, Norwegian (bokmål) and English, filled from named parameters.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from samarbeid.core.i18n import gettext_noop

from .file_messages import READER_MESSAGES

ERROR = "error"
WARNING = "warning"

# code: (nb, en). Parameters in braces; {value} is the bad value, {expected} what was expected.
CATALOGUE: dict[str, tuple[str, str]] = {
    # file level
    "file_missing": (gettext_noop("Filen finnes ikke."), "The file does not exist."),
    "file_empty": (gettext_noop("Filen er tom (0 byte)."), "The file is empty (0 bytes)."),
    "file_too_large": (
        gettext_noop("Filen er {size} MB; grensen er {limit} MB."),
        "The file is {size} MB; the limit is {limit} MB.",
    ),
    "file_type_unknown": (
        gettext_noop("Ukjent filtype «{value}». Forventet .xlsx, .csv eller .json."),
        "Unknown file type “{value}”. Expected .xlsx, .csv or .json.",
    ),
    "xlsx_encrypted": (
        gettext_noop("Filen er passordbeskyttet (kryptert). Lagre den uten passord og prøv igjen."),
        "The file is password-protected (encrypted). Save it without a password.",
    ),
    "xlsx_old_format": (
        gettext_noop("Filen er i det gamle Excel-formatet (.xls). Lagre den som .xlsx."),
        "The file is in the old Excel format (.xls). Save it as .xlsx.",
    ),
    "xlsx_not_zip": (
        gettext_noop("Filen heter .xlsx, men er ikke et Excel-regneark ({detail})."),
        "The file is named .xlsx but is not an Excel workbook ({detail}).",
    ),
    "xlsx_zip_bomb": (
        gettext_noop(
            "Filen pakker seg ut til {size} MB (forholdstall {ratio}:1); grensen er "
            "{limit} MB. Den lastes ikke av sikkerhetsgrunner."
        ),
        "The file unpacks to {size} MB (ratio {ratio}:1); the limit is {limit} MB. "
        "It is not opened, for safety.",
    ),
    "xlsx_entities": (
        gettext_noop(
            "Regnearket inneholder XML-entiteter (mulig «XML-bombe») og åpnes ikke av "
            "sikkerhetsgrunner. Lagre det på nytt fra regnearkprogrammet."
        ),
        "The workbook contains XML entities (a possible “XML bomb”) and is not opened, "
        "for safety. Save it again from the spreadsheet program.",
    ),
    "xlsx_unreadable": (
        gettext_noop("Regnearket kan ikke leses ({detail})."),
        "The workbook cannot be read ({detail}).",
    ),
    "csv_encoding": (
        gettext_noop(
            "Filen er ikke UTF-8 (første ugyldige byte på posisjon {position}). Lagre som «CSV UTF-8»."
        ),
        "The file is not UTF-8 (first invalid byte at {position}). Save it as “CSV UTF-8”.",
    ),
    "csv_unreadable": (
        gettext_noop("CSV-filen kan ikke leses ({detail})."),
        "The CSV file cannot be read ({detail}).",
    ),
    "json_unreadable": (
        gettext_noop("JSON-filen kan ikke leses ({detail})."),
        "The JSON file cannot be read ({detail}).",
    ),
    "csv_section_unknown": (
        gettext_noop("Ukjent seksjon «{value}». Forventet en av: {expected}."),
        "Unknown section “{value}”. Expected one of: {expected}.",
    ),
    "sheet_missing": (
        gettext_noop("Arket «{sheet}» mangler. Forventet ark: {expected}."),
        "Sheet “{sheet}” is missing. Expected sheets: {expected}.",
    ),
    "sheet_empty": (gettext_noop("Arket har ingen rader med data."), "The sheet has no data rows."),
    "sheet_unknown": (
        gettext_noop("Ukjent ark «{value}» ignoreres. Kjente ark: {expected}."),
        "Unknown sheet “{value}” is ignored. Known sheets: {expected}.",
    ),
    "column_missing": (
        gettext_noop("Kolonnen «{column}» mangler i overskriftsraden."),
        "Column “{column}” is missing from the header row.",
    ),
    "column_unknown": (
        gettext_noop("Ukjent kolonne «{value}». Forventet en av: {expected}."),
        "Unknown column “{value}”. Expected one of: {expected}.",
    ),
    "column_duplicate": (
        gettext_noop("Kolonnen «{value}» finnes to ganger."),
        "Column “{value}” appears twice.",
    ),
    "formula": (
        gettext_noop(
            "Cellen begynner med «{char}» og blir en formel i regneark: «{value}». Forventet "
            "en verdi, ikke en formel (skriv verdien uten «{char}» foran)."
        ),
        "The cell starts with “{char}” and becomes a formula in spreadsheets: “{value}”. "
        "Expected a value, not a formula.",
    ),
    "too_many_rows": (
        gettext_noop("Arket har over {limit} rader."),
        "The sheet has more than {limit} rows.",
    ),
    # mapping
    "mapping_field_unknown": (
        gettext_noop("Ukjent felt «{value}». Forventet: {expected}."),
        "Unknown field “{value}”. Expected: {expected}.",
    ),
    "mapping_field_duplicate": (
        gettext_noop(
            "Feltet «{value}» står to ganger (også {row_word} {other_row}). Forventet hvert felt én gang."
        ),
        "The field “{value}” appears twice (also {row_word} {other_row}). Expected each field once.",
    ),
    "mapping_name_missing": (
        gettext_noop(
            "Kartleggingen har ikke noe navn. Oppgi feltet «navn» i arket "
            "Kartlegging eller bruk --mapping."
        ),
        "The mapping has no name. Give the field “navn” or use --mapping.",
    ),
    "mapping_date_missing": (
        gettext_noop(
            "Kartleggingen mangler dato. Oppgi feltet «dato» (ÅÅÅÅ-MM-DD) i arket "
            "Kartlegging eller bruk --dato."
        ),
        "The mapping has no date. Give the field “dato” (YYYY-MM-DD) or --dato.",
    ),
    "date_invalid": (
        gettext_noop("Ugyldig dato «{value}». Forventet ÅÅÅÅ-MM-DD."),
        "Invalid date “{value}”. Expected YYYY-MM-DD.",
    ),
    "date_future": (
        gettext_noop("Datoen {value} ligger fram i tid (i dag er {today})."),
        "The date {value} is in the future (today is {today}).",
    ),
    # municipalities
    "municipality_unknown": (
        gettext_noop(
            "Ukjent kommune «{value}». Forventet navn eller nummer på en kommune som fantes {when}."
        ),
        "Unknown municipality “{value}”. Expected the "
        "name or number of a municipality that existed {when}.",
    ),
    "municipality_ambiguous": (
        gettext_noop(
            "Kommunenavnet «{value}» er tvetydig {when}: {candidates}. Skriv "
            "fylket i parentes eller oppgi kommunenummeret."
        ),
        "The name “{value}” is ambiguous {when}: {candidates}. Add the "
        "county in brackets or give the number.",
    ),
    "municipality_not_valid": (
        gettext_noop("«{value}» fantes ikke {when} ({detail})."),
        "“{value}” did not exist {when} ({detail}).",
    ),
    "municipality_number_invalid": (
        gettext_noop("Ugyldig kommunenummer «{value}». Forventet fire siffer."),
        "Invalid municipality number “{value}”. Expected four digits.",
    ),
    "number_name_mismatch": (
        gettext_noop("Kommunenummer {number} er {actual}, men navnet er «{value}»."),
        "Municipality number {number} is {actual}, but the name is “{value}”.",
    ),
    "municipality_spelling": (
        gettext_noop("«{value}» er tolket som {actual}."),
        "“{value}” was read as {actual}.",
    ),
    "scope_duplicate": (
        gettext_noop("{value} står to ganger i omfanget (også {row_word} {other_row})."),
        "{value} appears twice in the scope (also {row_word} {other_row}).",
    ),
    "scope_empty": (
        gettext_noop("Kartleggingen har ingen kommuner i omfanget (arket Kommuner)."),
        "The mapping has no municipalities in scope (sheet Kommuner).",
    ),
    "value_required": (
        gettext_noop("Verdien mangler. Forventet: {expected}."),
        "The value is missing. Expected: {expected}.",
    ),
    # arrangements
    "id_duplicate": (
        gettext_noop("Id-en «{value}» er brukt før ({row_word} {other_row})."),
        "The id “{value}” is used before ({row_word} {other_row}).",
    ),
    "arrangement_duplicate": (
        gettext_noop("Samme ordning to ganger: «{value}» står også på {row_word} {other_row}."),
        "The same arrangement twice: “{value}” is also on {row_word} {other_row}.",
    ),
    "vocabulary_unknown": (
        gettext_noop("Ukjent verdi «{value}». Forventet en av: {expected}."),
        "Unknown value “{value}”. Expected one of: {expected}.",
    ),
    "orgnr_format": (
        gettext_noop("Organisasjonsnummeret «{value}» har ikke ni siffer."),
        "The organisation number “{value}” does not have nine digits.",
    ),
    "orgnr_checksum": (
        gettext_noop("Organisasjonsnummeret «{value}» har feil kontrollsiffer (MOD11)."),
        "The organisation number “{value}” fails its check digit (MOD11).",
    ),
    "number_invalid": (
        gettext_noop("«{value}» er ikke et tall. Forventet {expected}."),
        "“{value}” is not a number. Expected {expected}.",
    ),
    "number_negative": (
        gettext_noop("{value} er negativt. Forventet {expected}."),
        "{value} is negative. Expected {expected}.",
    ),
    "number_too_large": (
        gettext_noop("{value} er for stort for kolonnen. Forventet høyst {limit}."),
        "{value} is too large for the column. Expected at most {limit}.",
    ),
    "number_rounded": (
        gettext_noop(
            "{value} har flere desimaler enn kolonnen tar ({places}); lagres avrundet som {rounded}."
        ),
        "{value} has more decimals than the column holds ({places}); stored rounded as {rounded}.",
    ),
    # the input boundary: every cell, whatever the channel (file, form, API)
    "control_character": (
        gettext_noop(
            "Verdien inneholder kontrolltegnet {char} (tegn nr. {position}), som ikke kan lagres: "
            "«{value}». Forventet vanlig tekst; fjern tegnet."
        ),
        "The value contains the control character {char} (character {position}), which cannot "
        "be stored: “{value}”. Expected plain text; remove the character.",
    ),
    "invisible_removed": (
        gettext_noop("Usynlige tegn er fjernet ({chars}); verdien leses som «{value}»."),
        "Invisible characters were removed ({chars}); the value reads “{value}”.",
    ),
    "text_too_long": (
        gettext_noop("Teksten har {length} tegn; feltet tar høyst {limit}. Forkort den."),
        "The text has {length} characters; the field holds at most {limit}. Shorten it.",
    ),
    "line_break": (
        gettext_noop("«{value}» har linjeskift. Forventet én linje i dette feltet."),
        "“{value}” has a line break. Expected a single line in this field.",
    ),
    "year_too_early": (
        gettext_noop("Året i «{value}» er for tidlig. Forventet et år fra {min_year}."),
        "The year in “{value}” is too early. Expected a year from {min_year}.",
    ),
    "date_too_early": (
        gettext_noop("Datoen «{value}» er for tidlig. Forventet en dato fra {min_year}."),
        "The date “{value}” is too early. Expected a date from {min_year}.",
    ),
    "integer_invalid": (
        gettext_noop("«{value}» er ikke et helt tall. Forventet {expected}."),
        "“{value}” is not a whole number. Expected {expected}.",
    ),
    "task_area_unknown": (
        gettext_noop("Ukjent oppgaveområde «{value}». Forventet nummer 1–45 (se malen)."),
        "Unknown task area “{value}”. Expected a number 1–45.",
    ),
    "established_invalid": (
        gettext_noop(
            "Ugyldig etablering «{value}». Forventet ÅÅÅÅ, ÅÅÅÅ-ÅÅÅÅ eller «uspesifisert»."
        ),
        "Invalid establishment “{value}”. Expected YYYY, YYYY-YYYY or “uspesifisert”.",
    ),
    "year_future": (
        gettext_noop("Året {value} ligger fram i tid (i år er {today})."),
        "The year {value} is in the future (this year is {today}).",
    ),
    "year_after_cutoff": (
        gettext_noop("Året {value} er etter kartleggingsdatoen {cutoff}."),
        "The year {value} is after the mapping date {cutoff}.",
    ),
    "ended_invalid": (
        gettext_noop("Ugyldig avslutning «{value}». Forventet ÅÅÅÅ eller ÅÅÅÅ-MM-DD."),
        "Invalid end “{value}”. Expected YYYY or YYYY-MM-DD.",
    ),
    "ended_but_counted": (
        gettext_noop(
            "Ordningen har avslutningsdato {value}, men status «telles». Forventet status «avsluttet»."
        ),
        "The arrangement has end date {value} but status “telles”. Expected status “avsluttet”.",
    ),
    "host_not_participant": (
        gettext_noop("Vertskommunen {value} er ikke blant deltakerne ({participants})."),
        "The host {value} is not among the participants ({participants}).",
    ),
    "too_few_municipalities": (
        gettext_noop(
            "{form} «{name}» har {count} kommunal(e) deltaker(e). Forventet minst to "
            "kommuner eller fylkeskommuner."
        ),
        "{form} “{name}” has {count} municipal participant(s). Expected at least two.",
    ),
    "no_participants": (
        gettext_noop("Ordningen har ingen deltakere."),
        "The arrangement has no participants.",
    ),
    "participants_both": (
        gettext_noop(
            "Deltakerne står både i kolonnen «deltakere» og i arket Deltakere. "
            "Forventet bare ett av stedene."
        ),
        "Participants are given both in the column "
        "“deltakere” and in the sheet Deltakere. Expected only one.",
    ),
    "stated_count_differs": (
        gettext_noop(
            "Oppgitt antall deltakere er {stated}, men {listed} er listet, og "
            "listen er merket fullstendig."
        ),
        "The stated number of participants is "
        "{stated} but {listed} are listed, and the list is marked complete.",
    ),
    "stated_count_below_listed": (
        gettext_noop(
            "Oppgitt antall deltakere ({stated}) er lavere enn antallet som er listet ({listed})."
        ),
        "The stated number ({stated}) is lower than the number listed ({listed}).",
    ),
    # memberships
    "membership_arrangement_unknown": (
        gettext_noop("Ordningen «{value}» finnes ikke i arket Ordninger."),
        "Arrangement “{value}” is not in the sheet Ordninger.",
    ),
    "participant_missing": (
        gettext_noop("Deltakeren mangler. Forventet et navn eller et kommunenummer."),
        "The participant is missing. Expected a name or a municipality number.",
    ),
    "participant_duplicate": (
        gettext_noop(
            "{value} er deltaker to ganger i samme ordning (også {row_word} {other_row})."
        ),
        "{value} participates twice in the same arrangement (also {row_word} {other_row}).",
    ),
    "county_unknown": (
        gettext_noop("Ukjent fylkeskommune «{value}». Forventet et fylke som fantes {when}."),
        "Unknown county authority “{value}”. Expected a county that existed {when}.",
    ),
    "share_out_of_range": (
        gettext_noop("Eierandelen {value} er utenfor 0–100 %."),
        "The ownership share {value} is outside 0–100 %.",
    ),
    "shares_over_100": (
        gettext_noop("Eierandelene i «{name}» summerer til {value} %. Forventet høyst 100 %."),
        "Ownership shares in “{name}” sum to {value} %. Expected at most 100 %.",
    ),
    "dates_reversed": (
        gettext_noop("Ut-datoen {value} er før inn-datoen {other}."),
        "The leaving date {value} is before the joining date {other}.",
    ),
    # legal rules (legal-rules.md); [U] = unverified in the sources, always warnings
    "rule_name_form": (
        gettext_noop(
            "Navnet «{name}» inneholder ikke «{required}». Kommuneloven krever at "
            "navnet på et {form} har med modellnavnet eller forkortelsen."
        ),
        "The name “{name}” does not contain “{required}”, which the Local "
        "Government Act requires for a {form}.",
    ),
    "rule_iks_name": (
        gettext_noop(
            "[U] Navnet «{name}» inneholder ikke «IKS» (IKS-loven krever trolig det; uverifisert)."
        ),
        "[U] The name “{name}” does not contain “IKS” (probably "
        "required by the IKS Act; unverified).",
    ),
    "rule_27_deadline": (
        gettext_noop(
            "[U] «{name}» er et § 27-styre som fortsatt er i drift etter "
            "overgangsfristen (om lag høsten 2023)."
        ),
        "[U] “{name}” is a s. 27 board "
        "still in force after the transition deadline (about autumn 2023).",
    ),
    "rule_host_missing": (
        gettext_noop("Ordningen er et vertskommunesamarbeid, men vertskommunen er ikke kjent."),
        "The arrangement is a host-municipality cooperation but its host is unknown.",
    ),
}

# The readers' own messages (limits, duplicates, cells that are not values, the JSON shape).
CATALOGUE.update(READER_MESSAGES)

ROW_WORDS = ((gettext_noop("rad"), gettext_noop("linje")), ("row", "line"))
WHEN_AT = (gettext_noop("på {date}"), "on {date}")
WHEN_UNTIL = (
    gettext_noop("da ordningen var i drift (før {date})"),
    "while the arrangement ran (before {date})",
)
SUGGESTION = (gettext_noop("Forslag: {suggestion}."), "Suggestion: {suggestion}.")
PLACE_WORDS = {
    "nb": {
        "sheet": gettext_noop("ark"),
        "section": gettext_noop("seksjon"),
        "row": gettext_noop("rad"),
        "line": gettext_noop("linje"),
        "column": gettext_noop("kolonne"),
        "error": gettext_noop("feil"),
        "warning": gettext_noop("advarsel"),
    },
    "en": {
        "sheet": "sheet",
        "section": "section",
        "row": "row",
        "line": "line",
        "column": "column",
        "error": "error",
        "warning": "warning",
    },
}


#: The most characters of a value a message quotes.
QUOTE_MAX = 200


def shorten(value: str) -> str:
    """A value as a message quotes it: at most :data:`QUOTE_MAX` characters, on one line."""
    value = value.replace("\n", " ⏎ ")
    return value if len(value) <= QUOTE_MAX else value[: QUOTE_MAX - 1] + "…"


@dataclass(frozen=True)
class Finding:
    severity: str
    code: str
    file: str
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    value: str | None = None
    suggestion: str | None = None
    params: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)
    row_is_line: bool = False

    def text(self, lang: str = "nb") -> str:
        """The message alone: what is wrong, what was expected, and a suggestion."""
        template = CATALOGUE[self.code][1 if lang == "en" else 0]
        english = lang == "en"
        values = {
            "value": shorten(self.value) if self.value is not None else "",
            "column": self.column or "",
            "sheet": self.sheet or "",
            "row_word": ROW_WORDS[english][self.row_is_line],
        }
        for key, value in self.params.items():
            # A (Norwegian, English) pair is a parameter that is itself text for the reader.
            values[key] = value[english] if isinstance(value, tuple) and len(value) == 2 else value
        if "when_at" in values:
            values["when"] = WHEN_AT[english].format(date=values["when_at"])
        elif "when_until" in values:
            values["when"] = WHEN_UNTIL[english].format(date=values["when_until"])
        message = template.format(**values)
        if self.suggestion:
            message += " " + SUGGESTION[1 if lang == "en" else 0].format(suggestion=self.suggestion)
        return message

    def location(self, lang: str = "nb") -> str:
        words = PLACE_WORDS["en" if lang == "en" else "nb"]
        parts = [self.file]
        if self.sheet:
            parts.append(f"{words['section' if self.row_is_line else 'sheet']} {self.sheet}")
        if self.row is not None:
            parts.append(f"{words['line' if self.row_is_line else 'row']} {self.row}")
        if self.column:
            parts.append(f"{words['column']} {self.column}")
        return ", ".join(parts)

    def format(self, lang: str = "nb") -> str:
        words = PLACE_WORDS["en" if lang == "en" else "nb"]
        return f"{self.location(lang)}: {words[self.severity]}: {self.text(lang)}"

    def as_dict(self, lang: str = "nb") -> dict[str, Any]:
        return {
            "severity": self.severity,
            "code": self.code,
            "file": self.file,
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "value": self.value,
            "suggestion": self.suggestion,
            "message": self.text(lang),
        }


class FileRejected(Exception):
    """The file cannot be read at all; carries the one finding that says why."""

    def __init__(self, finding: Finding) -> None:
        super().__init__(finding.format())
        self.finding = finding
