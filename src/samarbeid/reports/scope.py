"""The report's first chapter, scope and delimitation: the municipalities, what counts, and the
arrangements registered but left out of the analyses (ended, or outside the definition)."""

from __future__ import annotations

from samarbeid.analysis.model import MappingData, Table

from .fmt import date_nb, join_nb, number, plain

#: Status code -> its label in the scope chapter (and the order of the JSON counts).
STATUS_LABELS = {
    "telles": "Telles (formelt samarbeid i drift)",
    "avsluttet": "Avsluttet",
    "utenfor": "Utenfor definisjonen (telles ikke)",
}

#: What counts as formal cooperation, the last paragraph of the scope chapter.
DEFINITION = (
    "Som formelt samarbeid telles avtalebasert kjøp og salg av tjenester, administrativt "
    "vertskommunesamarbeid (kommuneloven § 20-2) og vertskommune med felles folkevalgt nemnd "
    "(§ 20-3), styre etter gammel kommunelov § 27, kommunalt oppgavefellesskap, interkommunalt "
    "politisk råd, interkommunale selskaper (IKS), aksjeselskaper med over 50 % direkte kommunalt "
    "eierskap og unntaksvis stiftelser, ANS/DA, samvirkeforetak og foreninger. Midlertidige "
    "prosjekter, fagnettverk, samarbeid ledet av staten eller fylket og selskaper der andre eier "
    "over 50 % eller eierskapet er indirekte telles ikke (110-sentralene telles alltid). Slike "
    "ordninger er registrert, men holdt utenfor analysene."
)


def scope_tables(data: MappingData) -> list[Table]:
    """The scope chapter's tables: the municipalities, the arrangements by status, the ended
    ones and those outside the definition."""
    scope = data.municipalities
    arr = data.arrangements
    k = len(scope)
    rows = [
        [
            str(r.number),
            str(r.name),
            str(r.region) or None,
            str(r.county_name) or None,
            plain(r.population),
            str(r.size_class) or None,
        ]
        for r in scope.itertuples()
    ]
    municipalities = Table(
        id="omfang_kommuner",
        title="Kommunene i kartleggingen",
        n=k,
        columns=["kommunenummer", "kommune", "region", "fylke", "innbyggere", "storrelsesklasse"],
        rows=rows,
        ids=[[] for _ in rows],
        caption=(
            f"De {k} kommunene kartleggingen omfatter, med region, fylke per "
            f"{data.county_date.isoformat()} og innbyggere 1. januar {data.cutoff.year}."
        ),
    )
    status_rows, status_ids = [], []
    for code, label in STATUS_LABELS.items():
        refs = sorted(str(r) for r in arr.loc[arr["status"] == code, "ref"])
        status_rows.append([label, len(refs)])
        status_ids.append(refs)
    status = Table(
        id="omfang_status",
        title="Registrerte ordninger etter status",
        n=len(arr),
        columns=["status", "ordninger"],
        rows=status_rows,
        ids=status_ids,
        caption=(
            f"Alle {len(arr)} registrerte ordninger. Bare de som telles inngår i analysene; "
            "avsluttede og de utenfor definisjonen er listet nedenfor."
        ),
    )
    ended = arr[arr["status"] == "avsluttet"]
    ended_table = Table(
        id="omfang_avsluttet",
        title="Avsluttede ordninger (telles ikke)",
        n=len(ended),
        columns=["id", "ordning", "avsluttet"],
        rows=[[str(r.ref), str(r.name), str(r.ended) or None] for r in ended.itertuples()],
        ids=[[str(r)] for r in ended["ref"]],
        caption=f"Ordninger som er avsluttet og derfor ikke telles (n = {len(ended)}).",
    )
    excluded = arr[arr["status"] == "utenfor"]
    excluded_table = Table(
        id="omfang_utenfor",
        title="Ordninger utenfor definisjonen (telles ikke)",
        n=len(excluded),
        columns=["id", "ordning"],
        rows=[[str(r.ref), str(r.name)] for r in excluded.itertuples()],
        ids=[[str(r)] for r in excluded["ref"]],
        caption=(
            f"Registrerte ordninger som faller utenfor definisjonen av formelt samarbeid "
            f"(n = {len(excluded)})."
        ),
    )
    return [municipalities, status, ended_table, excluded_table]


def scope_intro(data: MappingData) -> list[str]:
    """The scope chapter's paragraphs: the area and its population, the counts by status and
    the definition of formal cooperation."""
    scope = data.municipalities
    regions = [r for r in dict.fromkeys(scope["region"].fillna("").astype(str)) if r]
    population = scope["population"].dropna()
    statuses = data.arrangements["status"].value_counts()
    counted = int(statuses.get("telles", 0))
    text = f"Kartleggingen «{data.title or data.name}» omfatter {number(len(scope))} kommuner"
    if regions:
        text += f" i {number(len(regions))} regioner ({join_nb(regions)})"
    if len(population):
        text += f" med til sammen {number(int(population.sum()))} innbyggere 1. januar {data.cutoff.year}"
        if len(population) < len(scope):
            text += f" (folketall kjent for {len(population)} av kommunene)"
    text += f". Tallene gjelder per {date_nb(data.cutoff)}."
    counts = (
        f"Registeret har {number(len(data.arrangements))} ordninger for kartleggingen: "
        f"{number(counted)} telles som formelt samarbeid, "
        f"{number(int(statuses.get('avsluttet', 0)))} er avsluttet og "
        f"{number(int(statuses.get('utenfor', 0)))} faller utenfor definisjonen. Bare de "
        f"{number(counted)} tellende ordningene inngår i analysene."
    )
    return [text, counts, DEFINITION]
