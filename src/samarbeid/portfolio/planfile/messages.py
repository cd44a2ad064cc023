"""The plan file's own messages, and the finding that shows them.

A plan file is checked with the mapping file's machinery, so most of its findings are the mapping
file's (:data:`samarbeid.rules.findings.CATALOGUE`: a formula, a text too long, a number that is
not one, a municipality that did not exist …). What only a plan can get wrong has a message here,
in bokmål, marked for the one gettext catalogue like the mapping's; :class:`PlanFinding` looks a
code up here first and in the mapping's catalogue otherwise, and is shown exactly like a
:class:`~samarbeid.rules.findings.Finding` (location, severity, text, suggestion).
"""

from __future__ import annotations

from dataclasses import dataclass

from samarbeid.core.i18n import gettext_noop, in_words, translate
from samarbeid.rules.findings import (
    ERROR,
    ROW_WORDS,
    SUGGESTION,
    FileRejected,
    Finding,
    shorten,
)

# code: bokmål template (a msgid). {value} is the bad value, {expected} what was expected.
PLAN_MESSAGES: dict[str, str] = {
    # the file
    "plan_file_type": gettext_noop(
        "Filtypen «{value}» kan ikke leses som en handlingsplan. Forventet .xlsx eller .json."
    ),
    "plan_file_not_regular": gettext_noop(
        "Dette er ikke en vanlig fil (kanskje en mappe). Forventet en planfil (.xlsx eller .json)."
    ),
    "plan_json_not_object": gettext_noop(
        "JSON-filen skal være ett objekt med planen (organ, ar, tittel, kilde, prosjekter …), "
        "men er {found}."
    ),
    "plan_json_format": gettext_noop(
        'JSON-filen har "format": {value}. Forventet "format": "{expected}", eller ingen '
        "format-nøkkel (som i «samarbeid handlingsplan --format json»)."
    ),
    "plan_json_boolean": gettext_noop(
        "Verdien er en sannhetsverdi ({value}). Forventet tekst eller et tall; bare {expected} "
        "tar true/false."
    ),
    "plan_json_key_missing": gettext_noop(
        "Nøkkelen «{column}» mangler. Forventet den i hvert objekt her."
    ),
    # the plan
    "plan_rows": gettext_noop(
        "Arket Plan har {count} rader med data. Forventet nøyaktig én rad: én fil er ett organs "
        "plan for ett år."
    ),
    "plan_body_unknown": gettext_noop(
        "Ukjent samarbeidsorgan «{value}». Forventet navnet på et organ i registeret: {expected}."
    ),
    "plan_year_invalid": gettext_noop(
        "«{value}» er ikke et planår. Forventet et årstall fra {min_year} til {max_year}."
    ),
    "plan_approved": gettext_noop(
        "Handlingsplanen for {body} {value} er vedtatt og endres ikke ved import. Lag et nytt "
        "utkast (sett planen tilbake til utkast, eller lag planen for et annet år) og importer "
        "filen til det."
    ),
    "plan_status_approves": gettext_noop(
        "Filen har status «vedtatt», men planen i registeret er et utkast, og en import vedtar "
        "ikke en plan. Forventet status utkast (eller tom)."
    ),
    "plan_governing_unknown": gettext_noop(
        "Ukjent styringsorgan «{value}». Forventet et av organets styringsorganer: {expected}."
    ),
    # projects
    "plan_code_duplicate": gettext_noop(
        "Prosjektkoden «{value}» står to ganger (også {row_word} {other_row}). Forventet hver "
        "kode bare én gang."
    ),
    "plan_focus_area_unknown": gettext_noop(
        "Ukjent satsingsområde «{value}». Forventet et av organets satsingsområder ({expected}) "
        "eller et underområde av dem."
    ),
    "plan_project_unknown": gettext_noop(
        "Prosjektkoden «{value}» finnes ikke i arket Prosjekter. Forventet en av: {expected}."
    ),
    # milestones, funding, participation, sections
    "plan_milestone_duplicate": gettext_noop(
        "Milepælen «{value}» står to ganger for samme prosjekt (også {row_word} {other_row}). "
        "Forventet hver milepæl én gang per prosjekt: milepæler kjennes igjen på teksten."
    ),
    "plan_funding_year": gettext_noop(
        "Finansieringen gjelder {value}, men filen er planen for {year}. Forventet {year} eller "
        "tom (finansiering for et annet år hører til planen for det året)."
    ),
    "plan_funding_amount_missing": gettext_noop(
        "Raden har verken søkt eller innvilget beløp. Forventet minst ett av dem (sokt, innvilget)."
    ),
    "plan_participation_duplicate": gettext_noop(
        "{value} står to ganger for samme prosjekt (også {row_word} {other_row}). Forventet hver "
        "kommune én gang per prosjekt."
    ),
    "plan_section_duplicate": gettext_noop(
        "Avsnittet «{value}» står to ganger (også {row_word} {other_row}). Forventet hvert nummer "
        "én gang."
    ),
}

#: What a column expects, for ``value_required``, ``number_invalid`` and ``integer_invalid``.
EXPECTED = {
    "organ": gettext_noop("samarbeidsorganets navn"),
    "ar": gettext_noop("planåret (ÅÅÅÅ)"),
    "tittel": gettext_noop("en tittel"),
    "kilde": gettext_noop("kilden: hvor opplysningen står (dokument og avsnitt)"),
    "kode": gettext_noop("prosjektets kode"),
    "kategori": gettext_noop("videreført eller nyetablert"),
    "prosjektkode": gettext_noop("koden til et prosjekt i arket Prosjekter"),
    "tekst": gettext_noop("milepælens tekst"),
    "type": gettext_noop("typen midler, f.eks. skjonnsmidler"),
    "giver": gettext_noop("hvem som gir midlene"),
    "deltar": gettext_noop("ja eller nei"),
    "kommune": gettext_noop("kommunenavn eller kommunenummer"),
    "nummer": gettext_noop("avsnittets nummer"),
    "amount": gettext_noop("kroner, et helt tall ≥ 0"),
    "count": gettext_noop("et helt tall ≥ 0"),
}


@dataclass(frozen=True)
class PlanFinding(Finding):
    """A finding of a plan file: its own codes from :data:`PLAN_MESSAGES`, the others as the
    mapping file's."""

    def text(self, lang: str = "nb") -> str:
        template = PLAN_MESSAGES.get(self.code)
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
    column: str | None = None,
    **params: object,
) -> FileRejected:
    """The one finding that refuses a plan file (like :func:`samarbeid.intake.readers.limits.reject`,
    with the plan's messages)."""
    value = params.get("value")
    return FileRejected(
        PlanFinding(
            ERROR,
            code,
            file,
            sheet=sheet,
            row=row,
            column=column,
            value=str(value) if value not in (None, "") else None,
            params=dict(params),
        )
    )
