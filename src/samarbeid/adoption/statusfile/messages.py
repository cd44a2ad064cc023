"""The status file's own messages, and the finding that shows them.

A status file is checked with the mapping file's machinery, so most of its findings are the
mapping file's (:data:`samarbeid.rules.findings.CATALOGUE`: a formula, a text too long, a
municipality number that did not exist on the date …). What only a status file can get wrong has
a message here, in bokmål, marked for the one gettext catalogue; a problem the reporting service
finds (:func:`samarbeid.adoption.services.check_report`) keeps the service's own message, so the
file, the form and the API say the same thing.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from samarbeid.core.i18n import gettext_noop, in_words, translate
from samarbeid.registry.edit_outcomes import Problem
from samarbeid.rules.findings import ERROR, ROW_WORDS, SUGGESTION, FileRejected, Finding, shorten

# code: bokmål template (a msgid). {value} is the bad value, {expected} what was expected.
STATUS_MESSAGES: dict[str, str] = {
    "status_file_type": gettext_noop(
        "Filtypen «{value}» kan ikke leses som en statusfil. Forventet .csv (UTF-8) eller .xlsx."
    ),
    "status_file_not_regular": gettext_noop(
        "Dette er ikke en vanlig fil (kanskje en mappe). Forventet en statusfil (.csv eller .xlsx)."
    ),
    "status_too_many_rows": gettext_noop(
        "Filen har flere enn {limit} rader under overskriften. Forventet høyst {limit} rader "
        "per fil: del opp filen."
    ),
    "status_no_rows": gettext_noop(
        "Filen har ingen rader med status (rader med bare kommune og løsning hoppes over). "
        "Forventet minst én rad med status, dato og kilde."
    ),
    "status_source_column_missing": gettext_noop(
        "Kolonnen «kilde» mangler, og ingen kilde er oppgitt for hele filen. Forventet kolonnen "
        "kilde, eller en kilde for hele filen (--kilde, eller feltet Kilde ved opplasting)."
    ),
    "status_source_missing": gettext_noop(
        "Kilden mangler. Forventet hvor opplysningen kommer fra, i kolonnen kilde eller for hele "
        "filen (--kilde, eller feltet Kilde ved opplasting)."
    ),
    "status_source_required": gettext_noop(
        "Kilden mangler. Forventet hvor opplysningen kommer fra, for eksempel «E-post fra "
        "kommunen 3. mars 2024»."
    ),
    "status_solution_unknown": gettext_noop(
        "Ukjent løsning «{value}». Forventet navnet på en løsning i registeret: {expected}."
    ),
    "status_date_invalid": gettext_noop(
        "Ugyldig dato «{value}». Forventet ÅÅÅÅ-MM-DD eller DD.MM.ÅÅÅÅ."
    ),
    "status_forbidden": gettext_noop(
        "Brukeren «{user}» kan ikke melde status for {municipality}. Forventet en kommune "
        "brukeren er kommuneredaktør for, et medlem av et samarbeidsorgan brukeren er "
        "sekretariat for, eller en administrator."
    ),
    "status_conflict": gettext_noop(
        "{municipality} har to ulike statuser for {solution} fra {date}: «{value}» her og "
        "«{other}» på {row_word} {other_row}. Forventet én status per kommune, løsning og dato."
    ),
    "status_not_loaded": gettext_noop(
        "Kommunen {value} finnes ikke i databasens referansedata. Kjør «samarbeid migrate» og "
        "prøv igjen."
    ),
}

#: What a column expects, for ``value_required``.
EXPECTED = {
    "kommunenummer": gettext_noop("kommunenummeret (fire sifre)"),
    "losning": gettext_noop("navnet på en løsning i registeret"),
    "status": gettext_noop("ikke_startet, tilgjengeliggjort, i_bruk eller stoppet"),
    "dato": gettext_noop("datoen statusen gjelder fra (ÅÅÅÅ-MM-DD)"),
}

#: The services' fields as the file's columns.
FIELD_COLUMNS = {"endringskilde": "kilde", "merknad": "merknad", "dato": "dato", "status": "status"}


@dataclass(frozen=True)
class StatusFinding(Finding):
    """A finding of a status file: its own codes from :data:`STATUS_MESSAGES`, a problem of the
    reporting service in the service's words, the others as the mapping file's."""

    problem: Problem | None = field(default=None, compare=False, hash=False)

    def text(self, lang: str = "nb") -> str:
        if self.problem is not None:
            return self.problem.text(lang)
        template = STATUS_MESSAGES.get(self.code)
        if template is None:
            return super().text(lang)
        values = {
            "value": shorten(self.value) if self.value is not None else "",
            "column": self.column or "",
            "sheet": self.sheet or "",
            "row_word": translate(ROW_WORDS[self.row_is_line], lang),
        }
        for key, value in self.params.items():
            values[key] = in_words(value, lang)
        message = translate(template, lang).format(**values)
        if self.suggestion:
            message += " " + translate(SUGGESTION, lang).format(suggestion=self.suggestion)
        return message


def reject(
    file: str,
    code: str,
    *,
    sheet: str | None = None,
    row: int | None = None,
    lines: bool = False,
    **params: object,
) -> FileRejected:
    """The one finding that refuses a status file (like the intake's ``reject``, with the status
    file's messages)."""
    value = params.get("value")
    return FileRejected(
        StatusFinding(
            ERROR,
            code,
            file,
            sheet=sheet,
            row=row,
            value=str(value) if value not in (None, "") else None,
            params=dict(params),
            row_is_line=lines,
        )
    )
