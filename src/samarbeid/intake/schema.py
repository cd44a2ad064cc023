"""The mapping-file format: sheets (CSV sections) and their columns.

One definition serves the reader, the validator, the exporter, the template and the
documentation (``docs/kartleggingsfil.md``), so they cannot drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Column:
    key: str
    help_nb: str
    required: bool = False
    example: str = ""


@dataclass(frozen=True)
class Sheet:
    name: str
    help_nb: str
    columns: tuple[Column, ...]
    required: bool = False

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(c.key for c in self.columns)


MAPPING = Sheet(
    "Kartlegging",
    "Kartleggingen: én rad per felt (kolonnene «felt» og «verdi»).",
    (
        Column("felt", "Feltnavn: navn, tittel, dato, beskrivelse, kilde", True, "navn"),
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

SCOPE = Sheet(
    "Kommuner",
    "Kommunene som er kartlagt (omfanget), med regionen de hører til i kartleggingen.",
    (
        Column("kommunenummer", "Kommunenummer gyldig på kartleggingsdatoen", False, "3005"),
        Column("kommune", "Kommunenavn (nok alene når navnet er entydig)", False, "Drammen"),
        Column("region", "Region i kartleggingen", False, "Drammensregionen"),
    ),
)

ARRANGEMENTS = Sheet(
    "Ordninger",
    "Samarbeidsordningene: én rad per ordning.",
    (
        Column("id", "Ordningens id i filen (unik), f.eks. BUS21-001", True, "BUS21-001"),
        Column("navn", "Formelt eller vanlig navn", True, "Kongsbergregionen IKPR"),
        Column("forkortelse", "Forkortelse", False, "K-IKT"),
        Column("navnevarianter", "Andre navn og stavemåter, skilt med «; »", False),
        Column(
            "status",
            "telles (formelt samarbeid i drift), avsluttet eller utenfor (utenfor "
            "definisjonen); tom = telles",
            False,
            "telles",
        ),
        Column(
            "utenfor_grunn",
            "For status utenfor: prosjekt, fagnettverk, "
            "statlig-fylkeskommunalt, eierskap eller annet",
            False,
        ),
        Column("statusmerknad", "Hvorfor ordningen er avsluttet eller utenfor", False),
        Column("avsluttet", "Når ordningen ble avsluttet: ÅÅÅÅ eller ÅÅÅÅ-MM-DD", False),
        Column(
            "juridisk_form",
            "Juridisk form: avtale, vertskommune, vertskommune-nemnd, styre-27, "
            "ipr, ko, iks, as, sa, stiftelse, ans, forening, plansamarbeid, annet "
            "(også de fulle navnene); tom = ikke kjent",
            False,
            "iks",
        ),
        Column("juridisk_form_kilde", "Kilde for juridisk form", False),
        Column(
            "organisasjonsnummer", "Organisasjonsnummer (9 siffer, kontrollsiffer MOD11)", False
        ),
        Column("sektor", "Sektor, f.eks. Helsetjenester", False, "Helsetjenester"),
        Column("oppgaveomrader", "Oppgaveområder (nummer 1–45), skilt med «; »", False, "3; 8"),
        Column(
            "etablert",
            "Etableringsår (ÅÅÅÅ), periode (ÅÅÅÅ-ÅÅÅÅ) eller «uspesifisert»; tom = ikke kjent",
            False,
            "2005",
        ),
        Column(
            "vertskommune",
            "Vertskommune / administrasjonskommune (navn eller nummer), "
            "«ingen», eller tom = ikke kjent",
            False,
            "Kongsberg",
        ),
        Column("vertskommune_kilde", "Kilde for vertskommune", False),
        Column("arsverk", "Faste årsverk (tall ≥ 0)", False, "6.2"),
        Column("arsverk_kilde", "Kilde og alle tall som er oppgitt for årsverk", False),
        Column("budsjett", "Budsjett i kroner (tall ≥ 0)", False),
        Column("beskrivelse", "Hovedinnhold", False),
        Column("merknader", "Annen informasjon (organisering, eierfordeling, endringer)", False),
        Column("kilder", "Hvor ordningen er funnet", False),
        Column(
            "deltakere",
            "Deltakerne på én linje, skilt med «; » (alternativ til arket Deltakere)",
            False,
        ),
        Column("deltakere_som_trykt", "Deltakerlisten slik kilden skriver den", False),
        Column(
            "deltakere_oppgitt_antall",
            "Antall deltakere kilden oppgir («eid av 44 kommuner»)",
            False,
        ),
        Column("deltakerliste", "fullstendig, delvis eller gruppe", False, "fullstendig"),
        Column("deltakere_merknad", "Kildens egen beskrivelse av deltakerne", False),
    ),
    required=True,
)

MEMBERSHIPS = Sheet(
    "Deltakere",
    "Deltakerne: én rad per deltaker i en ordning.",
    (
        Column("ordning_id", "Id-en til ordningen i arket Ordninger", True, "BUS21-001"),
        Column("deltaker", "Kommunenavn, fylkeskommune eller annen eier", False, "Kongsberg"),
        Column("kommunenummer", "Kommunenummer (gyldig da ordningen var i drift)", False, "3006"),
        Column("type", "kommune, fylkeskommune eller annen; tom = kommune", False),
        Column(
            "rolle",
            "deltaker, eier, indirekte-eier, samarbeidskommune eller kontorkommune; tom = deltaker",
            False,
        ),
        Column("eierandel", "Eierandel i prosent (0–100)", False),
        Column("inn_dato", "Dato deltakeren kom med (ÅÅÅÅ-MM-DD)", False),
        Column("ut_dato", "Dato deltakeren gikk ut (ÅÅÅÅ-MM-DD)", False),
        Column("som_trykt", "Navnet slik kilden skriver det", False),
        Column("kilde", "Kilde", False),
    ),
)

SHEETS: tuple[Sheet, ...] = (MAPPING, SCOPE, ARRANGEMENTS, MEMBERSHIPS)
SHEETS_BY_KEY = {s.name.lower(): s for s in SHEETS}
LIST_SEPARATOR = ";"
