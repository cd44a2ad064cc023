"""The status file's one sheet, its columns and the statuses it takes: one definition for the
reader, the check, the template and its Veiledning sheet.

The columns are :class:`samarbeid.rules.schema.Column` like the mapping file's and the plan
file's, so every cell passes the same input boundary (:func:`samarbeid.rules.boundary.clean_cell`):
cleaned, no formula, no line break in a one-line column, no more characters than the database
column holds (``losning``: a :class:`~samarbeid.adoption.models.Solution`'s name, 200).
"""

from __future__ import annotations

from samarbeid.core.i18n import gettext_noop
from samarbeid.intake.readers.limits import _env_number
from samarbeid.portfolio.planfile.schema import fold
from samarbeid.reference.vocab import Term, Vocabulary
from samarbeid.rules.schema import TEXT_MAX, Column, Sheet

__all__ = ["COLUMNS", "HELP_SHEET", "MAX_ROWS", "SHEET", "STATUS", "STATUSES", "fold"]

#: The one sheet read from a workbook (a CSV file is this sheet alone).
SHEET = "Status"
#: The template's instructions: a sheet of that name is not read.
HELP_SHEET = "Veiledning"
#: The most rows with a status one file may have (``SAMARBEID_MAX_STATUS_ROWS``): a body's
#: members × a portfolio's solutions fits; a national file is split. The mapping file's limits
#: (rows, cells, size, zip bomb) hold while the file is read, before this is counted.
MAX_ROWS = int(_env_number("SAMARBEID_MAX_STATUS_ROWS", 10_000))

STATUS = Sheet(
    SHEET,
    gettext_noop("Én rad per kommune, løsning og dato statusen gjelder fra."),
    (
        Column(
            "kommunenummer",
            gettext_noop("Kommunenummeret (fire sifre) slik det var på datoen"),
            True,
            "3806",
            20,
            True,
        ),
        Column(
            "kommune",
            gettext_noop(
                "Kommunenavnet; kan stå tomt, kontrolleres mot nummeret når det er fylt ut"
            ),
            False,
            "Porsgrunn",
            150,
            True,
        ),
        Column(
            "losning",
            gettext_noop(
                "Løsningens navn i registeret (store og små bokstaver spiller ingen rolle)"
            ),
            True,
            "Kjernejournal",
            200,
            True,
        ),
        Column(
            "status",
            gettext_noop(
                "ikke_startet, tilgjengeliggjort, i_bruk eller stoppet (eller «Ikke startet», "
                "«Tilgjengeliggjort», «I bruk», «Stoppet»)"
            ),
            True,
            "i_bruk",
            30,
            True,
        ),
        Column(
            "dato",
            gettext_noop(
                "Datoen statusen gjelder fra: ÅÅÅÅ-MM-DD eller DD.MM.ÅÅÅÅ, ikke fram i tid"
            ),
            True,
            "2024-03-01",
            30,
            True,
        ),
        Column(
            "kilde",
            gettext_noop(
                "Hvor opplysningen kommer fra; påkrevd i hver rad, med mindre kilden er oppgitt "
                "for hele filen (--kilde, eller feltet Kilde ved opplasting)"
            ),
            False,
            "E-post fra kommunen 1. mars 2024",
            TEXT_MAX,
        ),
        Column("merknad", gettext_noop("Fritekst"), False, "", TEXT_MAX, prose=True),
    ),
    required=True,
)
COLUMNS: tuple[str, ...] = STATUS.keys

#: The four statuses: the codes of :class:`~samarbeid.adoption.models.Status`, and their labels
#: as people write them («I bruk»).
STATUSES = Vocabulary(
    "status",
    [
        Term("ikke_startet", gettext_noop("Ikke startet")),
        Term("tilgjengeliggjort", gettext_noop("Tilgjengeliggjort")),
        Term("i_bruk", gettext_noop("I bruk")),
        Term("stoppet", gettext_noop("Stoppet")),
    ],
)
