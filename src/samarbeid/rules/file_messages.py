"""The readers' messages, Norwegian (bokmål) and English: merged into the findings catalogue.

Each refuses a whole file (exit 2) at the place the reader found the problem: the limits, the same
thing twice, a value without a header, cells that are not values, the shape of a JSON file.
Parameters in braces, as in :data:`samarbeid.rules.findings.CATALOGUE`; ``{row_word}`` is
"rad"/"linje" (row/line) after the kind of file.
"""

from __future__ import annotations

from samarbeid.core.i18n import gettext_noop

READER_MESSAGES: dict[str, tuple[str, str]] = {
    "file_not_regular": (
        gettext_noop(
            "Dette er ikke en vanlig fil (kanskje en mappe). Forventet en kartleggingsfil."
        ),
        "This is not a regular file (perhaps a folder). Expected a mapping file.",
    ),
    "file_os_error": (
        gettext_noop("Filen kan ikke leses ({detail})."),
        "The file cannot be read ({detail}).",
    ),
    "too_many_rows": (
        gettext_noop(
            "Arket har data utenfor grensen på {limit} rader per ark. Forventet høyst {limit} "
            "rader: del opp filen, eller fjern det som står lenger ned."
        ),
        "The sheet has data beyond the limit of {limit} rows per sheet. Expected at most "
        "{limit} rows: split the file, or remove what lies further down.",
    ),
    "too_many_columns": (
        gettext_noop(
            "Raden har data utenfor grensen på {limit} kolonner per ark. Forventet høyst {limit} "
            "kolonner: fjern det som står lenger til høyre."
        ),
        "The row has data beyond the limit of {limit} columns per sheet. Expected at most "
        "{limit} columns: remove what lies further right.",
    ),
    "too_many_cells": (
        gettext_noop(
            "Filen har flere enn {limit} celler; grensen er {limit} celler per fil. Del opp filen."
        ),
        "The file has more than {limit} cells; the limit is {limit} cells per file. Split "
        "the file.",
    ),
    "sheet_duplicate": (
        gettext_noop(
            "Arket «{value}» finnes to ganger (også som «{other}»). Forventet hvert ark bare én "
            "gang; slå dem sammen eller slett det ene."
        ),
        "Sheet “{value}” appears twice (also as “{other}”). Expected each sheet only once; "
        "merge them or delete one.",
    ),
    "csv_section_duplicate": (
        gettext_noop(
            "Seksjonen «#{value}» står to ganger (også {row_word} {other_row}). Forventet hver "
            "seksjon bare én gang; slå dem sammen."
        ),
        "Section “#{value}” appears twice (also {row_word} {other_row}). Expected each "
        "section only once; merge them.",
    ),
    "cell_without_header": (
        gettext_noop(
            "Cellen har en verdi («{value}»), men kolonnen har ingen overskrift, så verdien ville "
            "gått tapt. Forventet en overskrift i {row_word} {header_row}, eller en tom celle."
        ),
        "The cell has a value (“{value}”) but its column has no header, so the value would "
        "be lost. Expected a header in {row_word} {header_row}, or an empty cell.",
    ),
    "cell_error": (
        gettext_noop(
            "Cellen inneholder feilverdien «{value}» fra regnearket. Forventet en verdi: rett "
            "feilen i regnearket, eller skriv inn verdien."
        ),
        "The cell holds the spreadsheet error “{value}”. Expected a value: fix the error in "
        "the spreadsheet, or type in the value.",
    ),
    "cell_boolean": (
        gettext_noop(
            "Cellen er en sannhetsverdi ({value}). Forventet tekst eller et tall; ingen kolonne "
            "tar en sannhetsverdi (skriv verdien som tekst)."
        ),
        "The cell is a boolean ({value}). Expected text or a number; no column takes a "
        "boolean (write the value as text).",
    ),
    "cell_not_a_number": (
        gettext_noop(
            "Cellen er lagret som et tall, men «{value}» er ikke et endelig tall. Forventet et "
            "tall regnearket kan vise."
        ),
        "The cell is stored as a number, but “{value}” is not a finite number. Expected a "
        "number the spreadsheet can show.",
    ),
    "cell_date_invalid": (
        gettext_noop(
            "Cellen er lagret som en dato, men «{value}» er ingen gyldig dato. Forventet en dato "
            "mellom år 1 og 9999 (eller skriv verdien som tekst)."
        ),
        "The cell is stored as a date, but “{value}” is not a valid date. Expected a date "
        "between the years 1 and 9999 (or write the value as text).",
    ),
    "cell_type_unknown": (
        gettext_noop(
            "Cellen har en verdi av typen {value}, som ikke kan leses som tekst eller tall."
        ),
        "The cell has a value of type {value}, which cannot be read as text or a number.",
    ),
    "json_version_missing": (
        gettext_noop('JSON-filen mangler «versjon». Forventet "versjon": {expected}.'),
        'The JSON file has no “versjon”. Expected "versjon": {expected}.',
    ),
    "json_version_unsupported": (
        gettext_noop(
            'JSON-filen har "versjon": {value}, som denne utgaven ikke kan lese. Forventet '
            '"versjon": {expected}.'
        ),
        'The JSON file has "versjon": {value}, which this version cannot read. Expected '
        '"versjon": {expected}.',
    ),
    "json_not_list": (
        gettext_noop("Arket skal være en liste av objekter (ett per rad), men er {found}."),
        "The sheet must be a list of objects (one per row), but is {found}.",
    ),
    "json_row_not_object": (
        gettext_noop("Raden skal være et objekt med kolonnene som nøkler, men er {found}."),
        "The row must be an object with the columns as keys, but is {found}.",
    ),
    "json_key_duplicate": (
        gettext_noop(
            "Nøkkelen «{value}» er samme kolonne som «{other}» i samme objekt. Forventet hver "
            "kolonne bare én gang."
        ),
        "The key “{value}” is the same column as “{other}” in the same object. Expected each "
        "column only once.",
    ),
    "json_value_not_scalar": (
        gettext_noop("Forventet én verdi (tekst eller tall), men fant {found}: {value}."),
        "Expected one value (text or a number), but found {found}: {value}.",
    ),
    "json_list_not_allowed": (
        gettext_noop(
            "Forventet én verdi (tekst eller tall), men fant en liste: {value}. Lister er bare "
            "lov i kolonnene {expected}."
        ),
        "Expected one value (text or a number), but found a list: {value}. Lists are only "
        "allowed in the columns {expected}.",
    ),
    "json_list_item": (
        gettext_noop("Listen kan bare inneholde tekst og tall, men inneholder {found}: {value}."),
        "The list may only hold text and numbers, but holds {found}: {value}.",
    ),
}
