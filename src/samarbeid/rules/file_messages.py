"""The readers' message templates (bokmål msgids; English in django.po): merged into the findings
catalogue.

Each refuses a whole file (exit 2) at the place the reader found the problem: the limits, the same
thing twice, a value without a header, cells that are not values, the shape of a JSON file.
Parameters in braces, as in :data:`samarbeid.rules.findings.CATALOGUE`; ``{row_word}`` is
"rad"/"linje" (row/line) after the kind of file.
"""

from __future__ import annotations

from samarbeid.core.i18n import gettext_noop

READER_MESSAGES: dict[str, str] = {
    "file_not_regular": gettext_noop(
        "Dette er ikke en vanlig fil (kanskje en mappe). Forventet en kartleggingsfil."
    ),
    "file_os_error": gettext_noop("Filen kan ikke leses ({detail})."),
    "too_many_rows": gettext_noop(
        "Arket har data utenfor grensen på {limit} rader per ark. Forventet høyst {limit} "
        "rader: del opp filen, eller fjern det som står lenger ned."
    ),
    "too_many_columns": gettext_noop(
        "Raden har data utenfor grensen på {limit} kolonner per ark. Forventet høyst {limit} "
        "kolonner: fjern det som står lenger til høyre."
    ),
    "too_many_cells": gettext_noop(
        "Filen har flere enn {limit} celler; grensen er {limit} celler per fil. Del opp filen."
    ),
    "sheet_duplicate": gettext_noop(
        "Arket «{value}» finnes to ganger (også som «{other}»). Forventet hvert ark bare én "
        "gang; slå dem sammen eller slett det ene."
    ),
    "csv_section_duplicate": gettext_noop(
        "Seksjonen «#{value}» står to ganger (også {row_word} {other_row}). Forventet hver "
        "seksjon bare én gang; slå dem sammen."
    ),
    "cell_without_header": gettext_noop(
        "Cellen har en verdi («{value}»), men kolonnen har ingen overskrift, så verdien ville "
        "gått tapt. Forventet en overskrift i {row_word} {header_row}, eller en tom celle."
    ),
    "cell_error": gettext_noop(
        "Cellen inneholder feilverdien «{value}» fra regnearket. Forventet en verdi: rett "
        "feilen i regnearket, eller skriv inn verdien."
    ),
    "cell_boolean": gettext_noop(
        "Cellen er en sannhetsverdi ({value}). Forventet tekst eller et tall; ingen kolonne "
        "tar en sannhetsverdi (skriv verdien som tekst)."
    ),
    "cell_not_a_number": gettext_noop(
        "Cellen er lagret som et tall, men «{value}» er ikke et endelig tall. Forventet et "
        "tall regnearket kan vise."
    ),
    "cell_date_invalid": gettext_noop(
        "Cellen er lagret som en dato, men «{value}» er ingen gyldig dato. Forventet en dato "
        "mellom år 1 og 9999 (eller skriv verdien som tekst)."
    ),
    "cell_type_unknown": gettext_noop(
        "Cellen har en verdi av typen {value}, som ikke kan leses som tekst eller tall."
    ),
    "json_version_missing": gettext_noop(
        'JSON-filen mangler «versjon». Forventet "versjon": {expected}.'
    ),
    "json_version_unsupported": gettext_noop(
        'JSON-filen har "versjon": {value}, som denne utgaven ikke kan lese. Forventet '
        '"versjon": {expected}.'
    ),
    "json_not_list": gettext_noop(
        "Arket skal være en liste av objekter (ett per rad), men er {found}."
    ),
    "json_row_not_object": gettext_noop(
        "Raden skal være et objekt med kolonnene som nøkler, men er {found}."
    ),
    "json_key_duplicate": gettext_noop(
        "Nøkkelen «{value}» er samme kolonne som «{other}» i samme objekt. Forventet hver "
        "kolonne bare én gang."
    ),
    "json_value_not_scalar": gettext_noop(
        "Forventet én verdi (tekst eller tall), men fant {found}: {value}."
    ),
    "json_list_not_allowed": gettext_noop(
        "Forventet én verdi (tekst eller tall), men fant en liste: {value}. Lister er bare "
        "lov i kolonnene {expected}."
    ),
    "json_list_item": gettext_noop(
        "Listen kan bare inneholde tekst og tall, men inneholder {found}: {value}."
    ),
}
