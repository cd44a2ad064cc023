"""The plan file's sheets and columns: one definition for the reader, the check, the exporter, the
template and ``docs/planfil.md`` (``tests/portfolio/test_planfile_schema.py`` holds the document,
the definition and the database columns together).

The columns are :class:`samarbeid.rules.schema.Column` like the mapping file's, so every cell
passes the same input boundary (:func:`samarbeid.rules.boundary.clean_cell`): cleaned, no formula,
no line break in a one-line column, no more characters than the database column holds.
"""

from __future__ import annotations

import re

from samarbeid.reference.vocab import Term, Vocabulary
from samarbeid.rules.schema import TEXT_MAX, Column, Sheet

#: ``format`` of a plan file in JSON (optional: the JSON of ``samarbeid handlingsplan`` has none).
JSON_FORMAT = "samarbeid-handlingsplan"
JSON_VERSION = 1
#: Sheets of the workbook that are not read (the template's instructions).
HELP_SHEET = "Veiledning"

SOURCE_HELP = "Hvor opplysningen står (dokument og avsnitt); påkrevd"


def _source() -> Column:
    return Column("kilde", SOURCE_HELP, True, "Handlingsplan 2021, avsnitt 2.2.1")


PLAN = Sheet(
    "Plan",
    "Planen: nøyaktig én rad (ett organ, ett år).",
    (
        Column(
            "organ", "Samarbeidsorganets navn i registeret", True, "Grenlandssamarbeidet", 200, True
        ),
        Column("ar", "Planåret (ÅÅÅÅ)", True, "2021", 10, True),
        Column("tittel", "Planens tittel", True, "Handlingsplan 2021", 300, True),
        Column("status", "utkast eller vedtatt; tom = utkast", False, "utkast", 20, True),
        Column("vedtatt_av", "Styringsorganet som vedtok planen (navnet)", False, "", 200, True),
        Column("vedtatt_dato", "Vedtaksdato (ÅÅÅÅ-MM-DD)", False, "", 20, True),
        Column(
            "oppgitt_antall_prosjekter",
            "Antall prosjekter slik planens tekst oppgir det (helt tall)",
            False,
            "7",
            10,
            True,
        ),
        Column("sammendrag", "Sammendrag", False, ""),
        _source(),
    ),
    required=True,
)

PROJECTS = Sheet(
    "Prosjekter",
    "Prosjektene i planen: én rad per prosjekt, i planens rekkefølge.",
    (
        Column("kode", "Prosjektets kode, unik i organet (f.eks. 2.2.1)", True, "2.2.1", 20, True),
        Column("tittel", "Prosjektets tittel", True, "eByggeSak", 300, True),
        Column("kategori", "videreført eller nyetablert", True, "videreført", 20, True),
        Column("type", "Prosjekt, tiltak, forprosjekt …", False, "Prosjekt", 50, True),
        Column("satsingsomrade", "Et av organets satsingsområder (navnet)", False, "", 200, True),
        Column("eier", "Prosjekteier", False, "", 300, True),
        Column("ansvarlig", "Nettverket eller gruppen som har ansvaret", False, "", 300, True),
        Column(
            "fase",
            "ide, forprosjekt, hovedprosjekt, drift, avsluttet eller avlyst; tom = ikke kjent",
            False,
            "forprosjekt",
            20,
            True,
        ),
        Column(
            "samarbeidsform",
            "nettverk, prosjekt, tjenestekjop eller lovfestet; tom = ikke kjent",
            False,
            "nettverk",
            20,
            True,
        ),
        Column(
            "soker_midler", "Søker skjønnsmidler: ja, nei; tom = ikke kjent", False, "ja", 10, True
        ),
        Column("i_aret", "Hva som skal gjøres i planåret", False, ""),
        Column("avsnitt", "Avsnittet i planen der prosjektet står", False, "2.2.1", 20, True),
        Column("budsjett", "Budsjett i hele kroner (tall ≥ 0)", False, "", 30, True, (14, 0)),
        Column("startet", "Når prosjektet startet, med kildens ord", False, "2019", 50, True),
        Column("beskrivelse", "Beskrivelse av prosjektet", False, ""),
        Column("okonomi", "Økonomiske konsekvenser: utgifter, inntekter og gevinster", False, ""),
        _source(),
    ),
)

MILESTONES = Sheet(
    "Milepæler",
    "Milepælene i planåret: én rad per milepæl, i rekkefølge per prosjekt.",
    (
        Column("prosjektkode", "Koden til et prosjekt i arket Prosjekter", True, "2.2.1", 20, True),
        Column("tekst", "Milepælen; kjennes igjen på teksten", True, "Utlysning", 500, True),
        Column(
            "nar", "Når, med planens ord («1.–2. kvartal 2021», «mai 2021»)", False, "", 100, True
        ),
        Column("ferdig", "Dato milepælen ble nådd (ÅÅÅÅ-MM-DD)", False, "", 20, True),
        _source(),
    ),
)

FUNDING = Sheet(
    "Finansiering",
    "Finansieringen i planåret: én rad per søknad eller tilskudd; tom prosjektkode = hele planen.",
    (
        Column("ar", "Året (ÅÅÅÅ); tom = planåret", False, "2021", 10, True),
        Column("periode_som_oppgitt", "Perioden med kildens ord", False, "", 100, True),
        Column(
            "prosjektkode",
            "Koden til et prosjekt i arket Prosjekter; tom = hele planen",
            False,
            "",
            20,
            True,
        ),
        Column(
            "type",
            "skjonnsmidler, medlemskontingent, tilskudd, egeninnsats …",
            True,
            "skjonnsmidler",
            30,
            True,
        ),
        Column("giver", "Hvem som gir midlene", True, "Statsforvalteren", 200, True),
        Column("sokt", "Søkt beløp i hele kroner", False, "2200000", 30, True, (14, 0)),
        Column("innvilget", "Innvilget beløp i hele kroner", False, "", 30, True, (14, 0)),
        Column("egenandel", "Egenandel i hele kroner", False, "", 30, True, (14, 0)),
        Column("vedtaksdato", "Dato for vedtaket (ÅÅÅÅ-MM-DD)", False, "", 20, True),
        _source(),
    ),
)

PARTICIPATION = Sheet(
    "Deltakelse",
    "Hvilke kommuner som deltar i hvilke prosjekter: én rad per prosjekt og kommune.",
    (
        Column("prosjektkode", "Koden til et prosjekt i arket Prosjekter", True, "2.2.1", 20, True),
        Column("kommunenummer", "Kommunenummer gyldig i planåret", False, "4001", 20, True),
        Column(
            "kommune",
            "Kommunenavn (nok alene når navnet er entydig)",
            False,
            "Porsgrunn",
            150,
            True,
        ),
        Column("deltar", "ja eller nei", True, "ja", 10, True),
        _source(),
    ),
)

SECTIONS = Sheet(
    "Avsnitt",
    "Planens nummererte overskrifter, i rekkefølge (kontrollen av nummereringen leser dem).",
    (
        Column("nummer", "Avsnittets nummer (1, 2.2, 2.2.1 …)", True, "2.2", 20, True),
        Column("tittel", "Overskriften", True, "Videreførte prosjekter", 300, True),
    ),
)

SHEETS: tuple[Sheet, ...] = (PLAN, PROJECTS, MILESTONES, FUNDING, PARTICIPATION, SECTIONS)
#: Sheets a workbook must have; Deltakelse and Avsnitt may be left out (then nothing of them
#: changes). In JSON only the plan and ``prosjekter`` must be there (see the package docstring).
REQUIRED_SHEETS: tuple[Sheet, ...] = (PLAN, PROJECTS, MILESTONES, FUNDING)

#: How a column's value is typed in JSON and in a workbook cell (everything else is text).
INTEGER = frozenset({"ar", "oppgitt_antall_prosjekter"})
AMOUNT = frozenset({"budsjett", "sokt", "innvilget", "egenandel"})
BOOLEAN = frozenset({"soker_midler", "deltar"})
#: Empty values JSON writes as null (as ``plan_data`` does) instead of "".
NULLABLE = frozenset(
    {"vedtatt_av", "vedtatt_dato", "fase", "samarbeidsform", "ferdig", "vedtaksdato"}
    | INTEGER
    | AMOUNT
    | BOOLEAN
)

_FOLD = str.maketrans({"æ": "ae", "ø": "o", "å": "a"})


def fold(name: str) -> str:
    """A header, JSON key or sheet name as it is matched: case, spaces vs underscores and æ/ø/å
    do not matter («Søker midler» is ``soker_midler``, «Milepæler» is «milepaeler»)."""
    return re.sub(r"[\s_]+", "_", name.strip().casefold()).translate(_FOLD)


SHEETS_BY_KEY: dict[str, Sheet] = {fold(s.name): s for s in SHEETS}

CATEGORIES = Vocabulary(
    "kategori",
    [Term("videreført", "Videreført", ("viderefort",)), Term("nyetablert", "Nyetablert")],
)
PHASES = Vocabulary(
    "fase",
    [
        Term("ide", "Idé", ("idé",)),
        Term("forprosjekt", "Forprosjekt"),
        Term("hovedprosjekt", "Hovedprosjekt"),
        Term("drift", "Drift"),
        Term("avsluttet", "Avsluttet"),
        Term("avlyst", "Avlyst"),
    ],
)
FORMS = Vocabulary(
    "samarbeidsform",
    [
        Term("nettverk", "Nettverk"),
        Term("prosjekt", "Prosjekt"),
        Term("tjenestekjop", "Tjenestekjøp", ("tjenestekjøp",)),
        Term("lovfestet", "Lovfestet samarbeidsform"),
    ],
)
STATUSES = Vocabulary("status", [Term("utkast", "Utkast"), Term("vedtatt", "Vedtatt")])
YES_NO = Vocabulary(
    "ja_nei",
    [
        Term("ja", "ja", ("j", "yes", "true", "sann", "1")),
        Term("nei", "nei", ("n", "no", "false", "usann", "0")),
    ],
)

__all__ = [
    "AMOUNT",
    "BOOLEAN",
    "CATEGORIES",
    "FORMS",
    "FUNDING",
    "HELP_SHEET",
    "INTEGER",
    "JSON_FORMAT",
    "JSON_VERSION",
    "MILESTONES",
    "NULLABLE",
    "PARTICIPATION",
    "PHASES",
    "PLAN",
    "PROJECTS",
    "REQUIRED_SHEETS",
    "SECTIONS",
    "SHEETS",
    "SHEETS_BY_KEY",
    "STATUSES",
    "TEXT_MAX",
    "YES_NO",
    "fold",
]
