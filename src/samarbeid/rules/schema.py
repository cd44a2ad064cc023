"""The mapping-file format: sheets (CSV sections) and their columns.

One definition serves the reader, the validator, the exporter, the template and the
documentation (``docs/kartleggingsfil.md``), so they cannot drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass

#: The most characters a text value may have: one spreadsheet cell (Excel's limit), so that every
#: value can be exported to a workbook and read back whole.
TEXT_MAX = 32_767
#: The earliest year a year or a date may name. Municipalities date from 1837-38; a year before
#: 1800 is a typing error (0, 0202), not data.
MIN_YEAR = 1800


@dataclass(frozen=True)
class Column:
    """One column and what a value in it may be, checked at the input boundary
    (:mod:`samarbeid.rules.boundary`) before any rule looks at it.

    ``max_length`` counts characters after cleaning (NFC, invisible characters removed) and is the
    length of the database column the value lands in (``tests/intake/test_schema_limits.py`` holds
    the two together); ``one_line`` columns refuse line breaks; ``number`` is ``(max_digits,
    decimal_places)`` of a decimal column: more decimals are rounded half up once, on input (with a
    warning), more digits are refused. ``prose`` is free text a person writes to people (a
    comment, a reason): it keeps a leading ``=``, ``+``, ``-`` or ``@`` as typed (every output
    neutralises it), where a value column refuses one.
    """

    key: str
    help_nb: str
    required: bool = False
    example: str = ""
    max_length: int = TEXT_MAX
    one_line: bool = False
    number: tuple[int, int] | None = None
    prose: bool = False


@dataclass(frozen=True)
class Sheet:
    name: str
    help_nb: str
    columns: tuple[Column, ...]
    required: bool = False

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(c.key for c in self.columns)

    def column(self, key: str) -> Column:
        return next(c for c in self.columns if c.key == key)


MAPPING = Sheet(
    "Kartlegging",
    "Kartleggingen: én rad per felt (kolonnene «felt» og «verdi»).",
    (
        Column("felt", "Feltnavn: navn, tittel, dato, beskrivelse, kilde", True, "navn", 100, True),
        Column("verdi", "Verdien", True, "Buskerud 2021"),
    ),
)
MAPPING_FIELDS: dict[str, str] = {
    "navn": "Kartleggingens korte navn (unikt i registeret), f.eks. «Buskerud 2021»",
    "tittel": "Tittel, f.eks. rapportens tittel",
    "dato": "Frysedato (ÅÅÅÅ-MM-DD): datoen kartleggingen gjelder; kommunenumre kontrolleres mot den",
    "beskrivelse": "Fritekst",
    "kilde": "Hvor dataene kommer fra",
}
#: Fields of the sheet Kartlegging with a shorter limit than a text: (max_length, one line).
MAPPING_FIELD_LIMITS: dict[str, tuple[int, bool]] = {"navn": (150, True), "tittel": (300, True)}

SCOPE = Sheet(
    "Kommuner",
    "Kommunene som er kartlagt (omfanget), med regionen de hører til i kartleggingen.",
    (
        Column(
            "kommunenummer", "Kommunenummer gyldig på kartleggingsdatoen", False, "3005", 20, True
        ),
        Column(
            "kommune", "Kommunenavn (nok alene når navnet er entydig)", False, "Drammen", 150, True
        ),
        Column("region", "Region i kartleggingen", False, "Drammensregionen", 150, True),
    ),
)

ARRANGEMENTS = Sheet(
    "Ordninger",
    "Samarbeidsordningene: én rad per ordning.",
    (
        Column("id", "Ordningens id i filen (unik), f.eks. BUS21-001", True, "BUS21-001", 50, True),
        Column("navn", "Formelt eller vanlig navn", True, "Kongsbergregionen IKPR", 300, True),
        Column("forkortelse", "Forkortelse", False, "K-IKT", 50, True),
        Column("navnevarianter", "Andre navn og stavemåter, skilt med «; »", False, one_line=True),
        Column(
            "status",
            "telles (formelt samarbeid i drift), avsluttet eller utenfor (utenfor "
            "definisjonen); tom = telles",
            False,
            "telles",
            max_length=100,
            one_line=True,
        ),
        Column(
            "utenfor_grunn",
            "For status utenfor: prosjekt, fagnettverk, "
            "statlig-fylkeskommunalt, eierskap eller annet",
            False,
            max_length=100,
            one_line=True,
        ),
        Column("statusmerknad", "Hvorfor ordningen er avsluttet eller utenfor", False),
        Column(
            "avsluttet", "Når ordningen ble avsluttet: ÅÅÅÅ eller ÅÅÅÅ-MM-DD", False, "", 20, True
        ),
        Column(
            "juridisk_form",
            "Juridisk form: avtale, vertskommune, vertskommune-nemnd, styre-27, "
            "ipr, ko, iks, as, sa, stiftelse, ans, forening, plansamarbeid, annet "
            "(også de fulle navnene); tom = ikke kjent",
            False,
            "iks",
            max_length=100,
            one_line=True,
        ),
        Column("juridisk_form_kilde", "Kilde for juridisk form", False),
        Column(
            "organisasjonsnummer",
            "Organisasjonsnummer (9 siffer, kontrollsiffer MOD11)",
            False,
            max_length=20,
            one_line=True,
        ),
        Column(
            "sektor",
            "Sektor, f.eks. Helsetjenester",
            False,
            "Helsetjenester",
            max_length=100,
            one_line=True,
        ),
        Column(
            "oppgaveomrader",
            "Oppgaveområder (nummer 1–45), skilt med «; »",
            False,
            "3; 8",
            max_length=1000,
            one_line=True,
        ),
        Column(
            "etablert",
            "Etableringsår (ÅÅÅÅ), periode (ÅÅÅÅ-ÅÅÅÅ) eller «uspesifisert»; tom = ikke kjent",
            False,
            "2005",
            max_length=20,
            one_line=True,
        ),
        Column(
            "vertskommune",
            "Vertskommune / administrasjonskommune (navn eller nummer), "
            "«ingen», eller tom = ikke kjent",
            False,
            "Kongsberg",
            max_length=150,
            one_line=True,
        ),
        Column("vertskommune_kilde", "Kilde for vertskommune", False),
        Column(
            "arsverk", "Faste årsverk (tall ≥ 0, to desimaler)", False, "6.2", 100, True, (9, 2)
        ),
        Column("arsverk_kilde", "Kilde og alle tall som er oppgitt for årsverk", False),
        Column("budsjett", "Budsjett i hele kroner (tall ≥ 0)", False, "", 100, True, (15, 0)),
        Column("beskrivelse", "Hovedinnhold", False),
        Column("merknader", "Annen informasjon (organisering, eierfordeling, endringer)", False),
        Column("kilder", "Hvor ordningen er funnet", False),
        Column(
            "deltakere",
            "Deltakerne på én linje, skilt med «; » (alternativ til arket Deltakere)",
            False,
            one_line=True,
        ),
        Column("deltakere_som_trykt", "Deltakerlisten slik kilden skriver den", False),
        Column(
            "deltakere_oppgitt_antall",
            "Antall deltakere kilden oppgir («eid av 44 kommuner»)",
            False,
            max_length=20,
            one_line=True,
        ),
        Column(
            "deltakerliste",
            "fullstendig, delvis eller gruppe",
            False,
            "fullstendig",
            max_length=100,
            one_line=True,
        ),
        Column("deltakere_merknad", "Kildens egen beskrivelse av deltakerne", False),
    ),
    required=True,
)

MEMBERSHIPS = Sheet(
    "Deltakere",
    "Deltakerne: én rad per deltaker i en ordning.",
    (
        Column("ordning_id", "Id-en til ordningen i arket Ordninger", True, "BUS21-001", 50, True),
        Column(
            "deltaker", "Kommunenavn, fylkeskommune eller annen eier", False, "Kongsberg", 200, True
        ),
        Column(
            "kommunenummer",
            "Kommunenummer (gyldig da ordningen var i drift)",
            False,
            "3006",
            20,
            True,
        ),
        Column("type", "kommune, fylkeskommune eller annen; tom = kommune", False, "", 100, True),
        Column(
            "rolle",
            "deltaker, eier, indirekte-eier, samarbeidskommune eller kontorkommune; tom = deltaker",
            False,
            max_length=100,
            one_line=True,
        ),
        Column(
            "eierandel", "Eierandel i prosent (0–100, fire desimaler)", False, "", 100, True, (7, 4)
        ),
        Column("inn_dato", "Dato deltakeren kom med (ÅÅÅÅ-MM-DD)", False, "", 20, True),
        Column("ut_dato", "Dato deltakeren gikk ut (ÅÅÅÅ-MM-DD)", False, "", 20, True),
        Column("som_trykt", "Navnet slik kilden skriver det", False, "", 200, True),
        Column("kilde", "Kilde", False),
    ),
)

SHEETS: tuple[Sheet, ...] = (MAPPING, SCOPE, ARRANGEMENTS, MEMBERSHIPS)
SHEETS_BY_KEY = {s.name.lower(): s for s in SHEETS}
LIST_SEPARATOR = ";"


#: The columns of one record's ``values`` (the sheet Ordninger without the inline participants).
VALUE_COLUMNS: tuple[str, ...] = tuple(k for k in ARRANGEMENTS.keys if k != "deltakere")
#: The columns of one participant of a record (the sheet Deltakere without ``ordning_id``).
MEMBERSHIP_COLUMNS: tuple[str, ...] = tuple(k for k in MEMBERSHIPS.keys if k != "ordning_id")
