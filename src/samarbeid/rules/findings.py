"""Findings of a file check: what is wrong, where, what was expected, and a suggestion.

Each code has one message template in bokmål, filled from named parameters. The bokmål is the
msgid of the project's one gettext catalogue (``locale/en/LC_MESSAGES/django.po``), where the
English lives; :meth:`Finding.text` looks it up through :mod:`samarbeid.core.i18n`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from samarbeid.core.i18n import gettext_noop, in_words, translate

from .file_messages import READER_MESSAGES

ERROR = "error"
WARNING = "warning"

# code: bokmål template (a msgid). Parameters in braces; {value} is the bad value, {expected} what
# was expected. A parameter that is itself text for the reader is a Localized (Text, Grouped).
CATALOGUE: dict[str, str] = {
    # file level
    "file_missing": gettext_noop("Filen finnes ikke."),
    "file_empty": gettext_noop("Filen er tom (0 byte)."),
    "file_too_large": gettext_noop("Filen er {size} MB; grensen er {limit} MB."),
    "file_type_unknown": gettext_noop(
        "Ukjent filtype «{value}». Forventet .xlsx, .csv eller .json."
    ),
    "xlsx_encrypted": gettext_noop(
        "Filen er passordbeskyttet (kryptert). Lagre den uten passord og prøv igjen."
    ),
    "xlsx_old_format": gettext_noop(
        "Filen er i det gamle Excel-formatet (.xls). Lagre den som .xlsx."
    ),
    "xlsx_not_zip": gettext_noop("Filen heter .xlsx, men er ikke et Excel-regneark ({detail})."),
    "xlsx_zip_bomb": gettext_noop(
        "Filen pakker seg ut til {size} MB (forholdstall {ratio}:1); grensen er "
        "{limit} MB. Den lastes ikke av sikkerhetsgrunner."
    ),
    "xlsx_entities": gettext_noop(
        "Regnearket inneholder XML-entiteter (mulig «XML-bombe») og åpnes ikke av "
        "sikkerhetsgrunner. Lagre det på nytt fra regnearkprogrammet."
    ),
    "xlsx_unreadable": gettext_noop("Regnearket kan ikke leses ({detail})."),
    "csv_encoding": gettext_noop(
        "Filen er ikke UTF-8 (første ugyldige byte på posisjon {position}). Lagre som «CSV UTF-8»."
    ),
    "csv_unreadable": gettext_noop("CSV-filen kan ikke leses ({detail})."),
    "json_unreadable": gettext_noop("JSON-filen kan ikke leses ({detail})."),
    "csv_section_unknown": gettext_noop("Ukjent seksjon «{value}». Forventet en av: {expected}."),
    "sheet_missing": gettext_noop("Arket «{sheet}» mangler. Forventet ark: {expected}."),
    "sheet_empty": gettext_noop("Arket har ingen rader med data."),
    "sheet_unknown": gettext_noop("Ukjent ark «{value}» ignoreres. Kjente ark: {expected}."),
    "column_missing": gettext_noop("Kolonnen «{column}» mangler i overskriftsraden."),
    "column_unknown": gettext_noop("Ukjent kolonne «{value}». Forventet en av: {expected}."),
    "column_duplicate": gettext_noop("Kolonnen «{value}» finnes to ganger."),
    "formula": gettext_noop(
        "Cellen begynner med «{char}» og blir en formel i regneark: «{value}». Forventet "
        "en verdi, ikke en formel (skriv verdien uten «{char}» foran)."
    ),
    "too_many_rows": gettext_noop("Arket har over {limit} rader."),
    # mapping
    "mapping_field_unknown": gettext_noop("Ukjent felt «{value}». Forventet: {expected}."),
    "mapping_field_duplicate": gettext_noop(
        "Feltet «{value}» står to ganger (også {row_word} {other_row}). Forventet hvert felt én gang."
    ),
    "mapping_name_missing": gettext_noop(
        "Kartleggingen har ikke noe navn. Oppgi feltet «navn» i arket "
        "Kartlegging eller bruk --mapping."
    ),
    "mapping_date_missing": gettext_noop(
        "Kartleggingen mangler dato. Oppgi feltet «dato» (ÅÅÅÅ-MM-DD) i arket "
        "Kartlegging eller bruk --dato."
    ),
    "date_invalid": gettext_noop("Ugyldig dato «{value}». Forventet ÅÅÅÅ-MM-DD."),
    "date_future": gettext_noop("Datoen {value} ligger fram i tid (i dag er {today})."),
    # municipalities
    "municipality_unknown": gettext_noop(
        "Ukjent kommune «{value}». Forventet navn eller nummer på en kommune som fantes {when}."
    ),
    "municipality_ambiguous": gettext_noop(
        "Kommunenavnet «{value}» er tvetydig {when}: {candidates}. Skriv "
        "fylket i parentes eller oppgi kommunenummeret."
    ),
    "municipality_not_valid": gettext_noop("«{value}» fantes ikke {when} ({detail})."),
    "municipality_number_invalid": gettext_noop(
        "Ugyldig kommunenummer «{value}». Forventet fire siffer."
    ),
    "number_name_mismatch": gettext_noop(
        "Kommunenummer {number} er {actual}, men navnet er «{value}»."
    ),
    "municipality_spelling": gettext_noop("«{value}» er tolket som {actual}."),
    "scope_duplicate": gettext_noop(
        "{value} står to ganger i omfanget (også {row_word} {other_row})."
    ),
    "scope_empty": gettext_noop("Kartleggingen har ingen kommuner i omfanget (arket Kommuner)."),
    "value_required": gettext_noop("Verdien mangler. Forventet: {expected}."),
    # arrangements
    "id_duplicate": gettext_noop("Id-en «{value}» er brukt før ({row_word} {other_row})."),
    "arrangement_duplicate": gettext_noop(
        "Samme ordning to ganger: «{value}» står også på {row_word} {other_row}."
    ),
    "vocabulary_unknown": gettext_noop("Ukjent verdi «{value}». Forventet en av: {expected}."),
    "orgnr_format": gettext_noop("Organisasjonsnummeret «{value}» har ikke ni siffer."),
    "orgnr_checksum": gettext_noop(
        "Organisasjonsnummeret «{value}» har feil kontrollsiffer (MOD11)."
    ),
    "number_invalid": gettext_noop("«{value}» er ikke et tall. Forventet {expected}."),
    "number_negative": gettext_noop("{value} er negativt. Forventet {expected}."),
    "number_too_large": gettext_noop("{value} er for stort for kolonnen. Forventet høyst {limit}."),
    "number_rounded": gettext_noop(
        "{value} har flere desimaler enn kolonnen tar ({places}); lagres avrundet som {rounded}."
    ),
    # the input boundary: every cell, whatever the channel (file, form, API)
    "control_character": gettext_noop(
        "Verdien inneholder kontrolltegnet {char} (tegn nr. {position}), som ikke kan lagres: "
        "«{value}». Forventet vanlig tekst; fjern tegnet."
    ),
    "invisible_removed": gettext_noop(
        "Usynlige tegn er fjernet ({chars}); verdien leses som «{value}»."
    ),
    "text_too_long": gettext_noop(
        "Teksten har {length} tegn; feltet tar høyst {limit}. Forkort den."
    ),
    "line_break": gettext_noop("«{value}» har linjeskift. Forventet én linje i dette feltet."),
    "year_too_early": gettext_noop(
        "Året i «{value}» er for tidlig. Forventet et år fra {min_year}."
    ),
    "date_too_early": gettext_noop(
        "Datoen «{value}» er for tidlig. Forventet en dato fra {min_year}."
    ),
    "integer_invalid": gettext_noop("«{value}» er ikke et helt tall. Forventet {expected}."),
    "task_area_unknown": gettext_noop(
        "Ukjent oppgaveområde «{value}». Forventet nummer 1–45 (se malen)."
    ),
    "established_invalid": gettext_noop(
        "Ugyldig etablering «{value}». Forventet ÅÅÅÅ, ÅÅÅÅ-ÅÅÅÅ eller «uspesifisert»."
    ),
    "year_future": gettext_noop("Året {value} ligger fram i tid (i år er {today})."),
    "year_after_cutoff": gettext_noop("Året {value} er etter kartleggingsdatoen {cutoff}."),
    "ended_invalid": gettext_noop("Ugyldig avslutning «{value}». Forventet ÅÅÅÅ eller ÅÅÅÅ-MM-DD."),
    "ended_but_counted": gettext_noop(
        "Ordningen har avslutningsdato {value}, men status «telles». Forventet status «avsluttet»."
    ),
    "host_not_participant": gettext_noop(
        "Vertskommunen {value} er ikke blant deltakerne ({participants})."
    ),
    "too_few_municipalities": gettext_noop(
        "{form} «{name}» har {count} kommunal(e) deltaker(e). Forventet minst to "
        "kommuner eller fylkeskommuner."
    ),
    "no_participants": gettext_noop("Ordningen har ingen deltakere."),
    "participants_both": gettext_noop(
        "Deltakerne står både i kolonnen «deltakere» og i arket Deltakere. "
        "Forventet bare ett av stedene."
    ),
    "stated_count_differs": gettext_noop(
        "Oppgitt antall deltakere er {stated}, men {listed} er listet, og "
        "listen er merket fullstendig."
    ),
    "stated_count_below_listed": gettext_noop(
        "Oppgitt antall deltakere ({stated}) er lavere enn antallet som er listet ({listed})."
    ),
    # memberships
    "membership_arrangement_unknown": gettext_noop(
        "Ordningen «{value}» finnes ikke i arket Ordninger."
    ),
    "participant_missing": gettext_noop(
        "Deltakeren mangler. Forventet et navn eller et kommunenummer."
    ),
    "participant_duplicate": gettext_noop(
        "{value} er deltaker to ganger i samme ordning (også {row_word} {other_row})."
    ),
    "county_unknown": gettext_noop(
        "Ukjent fylkeskommune «{value}». Forventet et fylke som fantes {when}."
    ),
    "share_out_of_range": gettext_noop("Eierandelen {value} er utenfor 0–100 %."),
    "shares_over_100": gettext_noop(
        "Eierandelene i «{name}» summerer til {value} %. Forventet høyst 100 %."
    ),
    "dates_reversed": gettext_noop("Ut-datoen {value} er før inn-datoen {other}."),
    # legal rules (legal-rules.md); [U] = unverified in the sources, always warnings
    "rule_name_form": gettext_noop(
        "Navnet «{name}» inneholder ikke «{required}». Kommuneloven krever at "
        "navnet på et {form} har med modellnavnet eller forkortelsen."
    ),
    "rule_iks_name": gettext_noop(
        "[U] Navnet «{name}» inneholder ikke «IKS» (IKS-loven krever trolig det; uverifisert)."
    ),
    "rule_27_deadline": gettext_noop(
        "[U] «{name}» er et § 27-styre som fortsatt er i drift etter "
        "overgangsfristen (om lag høsten 2023)."
    ),
    "rule_host_missing": gettext_noop(
        "Ordningen er et vertskommunesamarbeid, men vertskommunen er ikke kjent."
    ),
}

# The readers' own messages (limits, duplicates, cells that are not values, the JSON shape).
CATALOGUE.update(READER_MESSAGES)

ROW_WORDS = (gettext_noop("rad"), gettext_noop("linje"))  # by row_is_line
WHEN_AT = gettext_noop("på {date}")
WHEN_UNTIL = gettext_noop("da ordningen var i drift (før {date})")
SUGGESTION = gettext_noop("Forslag: {suggestion}.")
PLACE_WORDS = {
    "sheet": gettext_noop("ark"),
    "section": gettext_noop("seksjon"),
    "row": gettext_noop("rad"),
    "line": gettext_noop("linje"),
    "column": gettext_noop("kolonne"),
    "error": gettext_noop("feil"),
    "warning": gettext_noop("advarsel"),
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
        values = {
            "value": shorten(self.value) if self.value is not None else "",
            "column": self.column or "",
            "sheet": self.sheet or "",
            "row_word": translate(ROW_WORDS[self.row_is_line], lang),
        }
        for key, value in self.params.items():
            # A Localized parameter (a Text, a Grouped number) is itself text for the reader.
            values[key] = in_words(value, lang)
        if "when_at" in values:
            values["when"] = translate(WHEN_AT, lang).format(date=values["when_at"])
        elif "when_until" in values:
            values["when"] = translate(WHEN_UNTIL, lang).format(date=values["when_until"])
        message = translate(CATALOGUE[self.code], lang).format(**values)
        if self.suggestion:
            message += " " + translate(SUGGESTION, lang).format(suggestion=self.suggestion)
        return message

    def location(self, lang: str = "nb") -> str:
        parts = [self.file]
        if self.sheet:
            word = PLACE_WORDS["section" if self.row_is_line else "sheet"]
            parts.append(f"{translate(word, lang)} {self.sheet}")
        if self.row is not None:
            word = PLACE_WORDS["line" if self.row_is_line else "row"]
            parts.append(f"{translate(word, lang)} {self.row}")
        if self.column:
            parts.append(f"{translate(PLACE_WORDS['column'], lang)} {self.column}")
        return ", ".join(parts)

    def format(self, lang: str = "nb") -> str:
        severity = translate(PLACE_WORDS[self.severity], lang)
        return f"{self.location(lang)}: {severity}: {self.text(lang)}"

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
