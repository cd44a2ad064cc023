"""Write a deterministic synthetic national-scale mapping file (.xlsx or .csv).

    python benchmarks/make_national_mapping.py OUT.xlsx [--arrangements 5000] [--seed 1]

All 357 municipalities valid on 2024-06-01 are in scope (regions = counties). The arrangements
have realistic mixes: legal forms, task areas 1-45 with matching sectors, sizes skewed towards
two or three participants with a long tail up to 60, participants mostly from the same county
(near in number order) and neighbouring counties, hosts among the participants for about half.
Participants are listed in the Deltakere sheet with both kommunenummer and name.

Same arguments give the same content (xlsx files differ only in their timestamp metadata). The
file is written with the project's own writers, so it has the real format, and it passes
``samarbeid check`` with 0 errors (there are warnings, e.g. for partial participant lists).
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from samarbeid.intake.writers import write_csv, write_xlsx
from samarbeid.reference.gazetteer import County, MunicipalityPeriod, load_gazetteer
from samarbeid.rules.schema import ARRANGEMENTS, MAPPING, MEMBERSHIPS, SCOPE

CUTOFF = dt.date(2024, 6, 1)
MAPPING_NAME = "Nasjonal syntetisk"
SOURCE = "Syntetiske data (benchmarks/make_national_mapping.py)"

# Neighbouring counties in the 2024 structure (by county number).
NEIGHBOURS: dict[str, tuple[str, ...]] = {
    "03": ("32", "33"),
    "11": ("46", "42", "40"),
    "15": ("46", "34", "50"),
    "18": ("50", "55"),
    "31": ("32",),
    "32": ("03", "31", "33", "34"),
    "33": ("32", "34", "39", "40", "46", "03"),
    "34": ("32", "33", "15", "50", "46"),
    "39": ("33", "40"),
    "40": ("39", "33", "42", "46", "11"),
    "42": ("40", "11"),
    "46": ("11", "15", "34", "33", "40"),
    "50": ("15", "34", "18"),
    "55": ("18", "56"),
    "56": ("55",),
}

# Legal-form mixes (code -> weight); "" = not known.
DEFAULT_FORMS = {
    "avtale": 38,
    "vertskommune": 28,
    "": 12,
    "ko": 5,
    "iks": 5,
    "vertskommune-nemnd": 2,
    "as": 3,
    "sa": 1,
    "stiftelse": 1,
    "forening": 1,
    "annet": 1,
    "plansamarbeid": 0,
}
COMPANY_FORMS = {"iks": 55, "as": 20, "vertskommune": 10, "avtale": 5, "ko": 5, "": 5}
HOST_FORMS = {"vertskommune": 42, "avtale": 33, "vertskommune-nemnd": 6, "ko": 7, "": 12}


@dataclass(frozen=True)
class Task:
    theme: str  # used in names
    sector: str  # vocabulary code
    forms: dict[str, int]
    big: bool = False  # tends to have many participants


TASKS: dict[int, Task] = {
    1: Task("110-sentral", "brann-beredskap", COMPANY_FORMS, big=True),
    2: Task("IUA", "brann-beredskap", HOST_FORMS, big=True),
    3: Task("Legevaktsentral", "helse", HOST_FORMS, big=True),
    4: Task("Barnevernvakt", "sosial", HOST_FORMS, big=True),
    5: Task("Krisesenter", "sosial", HOST_FORMS, big=True),
    6: Task("Veterinærvakt", "landbruk-natur", DEFAULT_FORMS),
    7: Task("Revisjon", "administrasjon", COMPANY_FORMS, big=True),
    8: Task("Legevakt", "helse", HOST_FORMS),
    9: Task("Interkommunalt arkiv", "administrasjon", COMPANY_FORMS, big=True),
    10: Task("Viltforvaltning", "landbruk-natur", DEFAULT_FORMS),
    11: Task("Renovasjon", "teknisk", COMPANY_FORMS, big=True),
    12: Task("Kontrollutvalgssekretariat", "administrasjon", COMPANY_FORMS, big=True),
    13: Task("IKT-samarbeid", "administrasjon", HOST_FORMS),
    14: Task("Arbeidsmarkedsbedrift", "sosial", {"as": 70, "iks": 10, "": 20}),
    15: Task("Brann og redning", "brann-beredskap", COMPANY_FORMS),
    16: Task("NAV-kontor", "sosial", HOST_FORMS),
    17: Task("PP-tjeneste", "undervisning", HOST_FORMS),
    18: Task("Miljørettet helsevern", "helse", HOST_FORMS),
    19: Task("Barneverntjeneste", "sosial", HOST_FORMS),
    20: Task("Kommuneoverlege", "helse", HOST_FORMS),
    21: Task("Innkjøpssamarbeid", "administrasjon", DEFAULT_FORMS),
    22: Task("Jordmortjeneste", "helse", HOST_FORMS),
    23: Task("Voksenopplæring", "undervisning", HOST_FORMS),
    24: Task("Kommunepsykolog", "helse", HOST_FORMS),
    25: Task("Responssenter", "helse", DEFAULT_FORMS),
    26: Task("Landbrukskontor", "landbruk-natur", HOST_FORMS),
    27: Task("Personvernombud", "administrasjon", DEFAULT_FORMS),
    28: Task("Vannverk", "teknisk", COMPANY_FORMS),
    29: Task("Lønnssamarbeid", "administrasjon", HOST_FORMS),
    30: Task("Psykisk helse", "helse", DEFAULT_FORMS),
    31: Task("Ergoterapitjeneste", "helse", DEFAULT_FORMS),
    32: Task("Skogbrukssamarbeid", "landbruk-natur", HOST_FORMS),
    33: Task("Helsestasjon for ungdom", "helse", DEFAULT_FORMS),
    34: Task("Kommuneadvokat", "administrasjon", HOST_FORMS),
    35: Task("Kulturskole", "kultur", HOST_FORMS),
    36: Task("Regnskapskontor", "administrasjon", HOST_FORMS),
    37: Task("Havn", "teknisk", {"iks": 60, "as": 25, "": 15}),
    38: Task("Beredskapsrådgiver", "brann-beredskap", DEFAULT_FORMS),
    39: Task("Kart og oppmåling", "plan-bygg", HOST_FORMS),
    40: Task("Plankontor", "plan-bygg", HOST_FORMS),
    41: Task("Interkommunal arealplan", "plan-bygg", {"plansamarbeid": 70, "avtale": 20, "": 10}),
    42: Task("Byggesakskontor", "plan-bygg", HOST_FORMS),
    43: Task("Forvaltningskontor", "helse", HOST_FORMS),
    44: Task("Grunnskolesamarbeid", "undervisning", DEFAULT_FORMS),
    45: Task("Felles kriseledelse", "brann-beredskap", DEFAULT_FORMS),
}
# Arrangements without a task area (theme, sector).
OTHER_THEMES = (
    ("Næringssamarbeid", "naering"),
    ("Reiselivssamarbeid", "naering"),
    ("Museum", "kultur"),
    ("Bibliotektjeneste", "kultur"),
    ("Friluftsråd", "kultur"),
    ("Folkehelsesamarbeid", "helse"),
    ("Digitaliseringsnettverk", "administrasjon"),
    ("Vegsamarbeid", "teknisk"),
)
STATUSES = (("telles", 92), ("avsluttet", 5), ("utenfor", 3))
EXCLUSION = ("prosjekt", "fagnettverk", "statlig-fylkeskommunalt", "eierskap", "annet")
OWNER_FORMS = {"iks", "as", "sa", "ko", "ans"}
ORGNR_FORMS = {"iks", "as", "sa", "stiftelse", "ko", "ipr", "forening", "ans"}


def weighted(rng: random.Random, weights: dict[str, int] | tuple[tuple[str, int], ...]) -> str:
    items = list(weights.items()) if isinstance(weights, dict) else list(weights)
    return rng.choices([k for k, _ in items], [w for _, w in items])[0]


def orgnr(rng: random.Random) -> str:
    """A 9-digit number with a valid MOD11 check digit, starting with 9 like most."""
    while True:
        digits = [9] + [rng.randint(0, 9) for _ in range(7)]
        total = sum(d * w for d, w in zip(digits, (3, 2, 7, 6, 5, 4, 3, 2), strict=True))
        check = 11 - total % 11
        if check == 11:
            check = 0
        if check != 10:
            return "".join(map(str, digits)) + str(check)


def draw_size(rng: random.Random, big: bool) -> int:
    u = rng.random()
    if big:
        u = 0.35 + 0.65 * u
    if u < 0.50:
        return rng.choice((2, 2, 2, 3, 3))
    if u < 0.80:
        return rng.randint(4, 8)
    return 9 + int(52 * rng.random() ** 1.6)  # 9..60, mean about 29


class Geography:
    def __init__(self, periods: list[MunicipalityPeriod]) -> None:
        self.periods = periods
        self.by_county: dict[str, list[MunicipalityPeriod]] = {}
        for p in periods:
            self.by_county.setdefault(p.county.number, []).append(p)
        self.rank = {
            p.number: i for members in self.by_county.values() for i, p in enumerate(members)
        }
        self.counties: dict[str, County] = {p.county.number: p.county for p in periods}

    def participants(
        self, rng: random.Random, home: MunicipalityPeriod, size: int
    ) -> list[MunicipalityPeriod]:
        """``size`` municipalities around ``home``: its county first, then the neighbours."""
        size = min(size, len(self.periods))
        if rng.random() < 0.03:  # national arrangement: anywhere
            rest = [p for p in self.periods if p is not home]
            return [home, *rng.sample(rest, size - 1)]
        county = home.county.number
        near = set(NEIGHBOURS.get(county, ()))
        home_rank = self.rank[home.number]
        scored = []
        for p in self.periods:
            if p is home:
                continue
            if p.county.number == county:
                score = abs(self.rank[p.number] - home_rank) + rng.random() * 4
            elif p.county.number in near:
                score = 6 + rng.random() * 30
            else:
                score = 40 + rng.random() * 100
            scored.append((score, p.number, p))
        scored.sort()
        return [home, *(p for _, _, p in scored[: size - 1])]


def place_name(members: list[MunicipalityPeriod], rng: random.Random) -> str:
    home = members[0]
    if len(members) == 2:
        return f"{home.name} og {members[1].name}"
    if len(members) == 3:
        return f"{home.name}, {members[1].name} og {members[2].name}"
    if len(members) <= 12:
        return rng.choice(
            (f"{home.name}-regionen", f"{home.name}regionen", f"regionen rundt {home.name}")
        )
    return rng.choice(
        (
            home.county.name,
            f"{home.county.name} og omegn",
            f"Midt-{home.county.name}",
            f"Nordre {home.county.name}",
            f"Søndre {home.county.name}",
        )
    )


def arrangement_name(theme: str, place: str, form: str) -> str:
    if form == "iks":
        return f"{theme} {place} IKS"
    if form == "as":
        return f"{theme} {place} AS"
    if form == "ko":
        return f"{theme} {place} (kommunalt oppgavefellesskap)"
    if form == "sa":
        return f"{theme} {place} SA"
    return f"{theme} i {place}"


def build(arrangements: int, seed: int) -> dict[str, list[dict[str, str]]]:
    rng = random.Random(seed)
    gaz = load_gazetteer()
    periods = gaz.valid_at(CUTOFF)
    geo = Geography(periods)

    mapping_rows = [
        {"felt": "navn", "verdi": MAPPING_NAME},
        {"felt": "tittel", "verdi": "Syntetisk nasjonal kartlegging av interkommunalt samarbeid"},
        {"felt": "dato", "verdi": CUTOFF.isoformat()},
        {
            "felt": "beskrivelse",
            "verdi": f"Syntetiske data for ytelsesmåling: {arrangements} "
            f"ordninger, alle kommuner, frø {seed}.",
        },
        {"felt": "kilde", "verdi": SOURCE},
    ]
    scope_rows = [
        {"kommunenummer": p.number, "kommune": p.qualified_name(), "region": p.county.name}
        for p in periods
    ]

    arrangement_rows: list[dict[str, str]] = []
    member_rows: list[dict[str, str]] = []
    names: Counter[str] = Counter()
    task_numbers = sorted(TASKS)
    for index in range(1, arrangements + 1):
        ref = f"NAS24-{index:05d}"
        home = rng.choice(periods)
        roll = rng.random()
        task_areas: list[int] = []
        if roll < 0.015:  # regional political council
            form, sector, theme = "ipr", "politisk", ""
            size = rng.randint(4, 15)
        elif roll < 0.12:
            theme, sector = rng.choice(OTHER_THEMES)
            form = weighted(rng, DEFAULT_FORMS)
            size = draw_size(rng, False)
        else:
            nr = rng.choice(task_numbers)
            task = TASKS[nr]
            task_areas.append(nr)
            if rng.random() < 0.12:
                second = rng.choice(task_numbers)
                if second != nr:
                    task_areas.append(second)
            theme, sector, form = task.theme, task.sector, weighted(rng, task.forms)
            size = draw_size(rng, task.big)
        members = geo.participants(rng, home, size)
        place = place_name(members, rng)
        if form == "ipr":
            name = f"{place[0].upper()}{place[1:]} interkommunalt politisk råd"
        else:
            name = arrangement_name(theme, place, form)
        names[name.casefold()] += 1
        if names[name.casefold()] > 1:
            name = f"{name} {names[name.casefold()]}"

        status = weighted(rng, STATUSES)
        row: dict[str, str] = {
            "id": ref,
            "navn": name,
            "status": status if rng.random() < 0.8 else ("" if status == "telles" else status),
        }
        if status == "avsluttet":
            ended = dt.date(2024, 2, 1) + dt.timedelta(days=rng.randint(0, 120))
            row["avsluttet"] = ended.isoformat()
            row["statusmerknad"] = "Nedlagt og overført til vertskommunen"
        elif status == "utenfor":
            row["utenfor_grunn"] = rng.choice(EXCLUSION)
            row["statusmerknad"] = "Faller utenfor definisjonen av formelt samarbeid"
        row["juridisk_form"] = form
        if form and rng.random() < 0.3:
            row["juridisk_form_kilde"] = rng.choice(("navn", "selskapsavtale", "årsmelding"))
        if form in ORGNR_FORMS and rng.random() < 0.7:
            row["organisasjonsnummer"] = orgnr(rng)
        if form == "iks" and rng.random() < 0.3:
            row["forkortelse"] = "".join(w[0] for w in name.split() if w[0].isalpha()).upper()
        if rng.random() < 0.04:
            row["navnevarianter"] = f"{theme or 'Regionrådet'} {home.name}; {name.upper()}"
        row["sektor"] = sector
        row["oppgaveomrader"] = "; ".join(map(str, task_areas))
        est = rng.random()
        if est < 0.65:
            row["etablert"] = str(min(CUTOFF.year, 2024 - int(60 * rng.random() ** 2)))
        elif est < 0.75:
            row["etablert"] = "2015-2021"
        elif est < 0.80:
            row["etablert"] = "uspesifisert"

        # Host: always for host forms; often elsewhere; "ingen" for some companies.
        host: MunicipalityPeriod | None = None
        if form in ("vertskommune", "vertskommune-nemnd") or (
            form not in ("iks", "as", "sa", "stiftelse", "ipr") and rng.random() < 0.3
        ):
            host = home
        elif form in ("iks", "as", "sa", "stiftelse") and rng.random() < 0.4:
            row["vertskommune"] = "ingen"
        completeness = weighted(rng, (("fullstendig", 80), ("", 16), ("delvis", 4)))
        if completeness == "delvis" and host is None and form not in ("iks", "ko", "ipr"):
            # A host outside the (partial) list: a warning, not an error.
            host = geo.participants(rng, home, 2)[1] if rng.random() < 0.5 else None
            if host is not None and host in members:
                host = None
        if host is not None:
            row["vertskommune"] = host.number if rng.random() < 0.2 else host.qualified_name()
            if rng.random() < 0.2:
                row["vertskommune_kilde"] = "samarbeidsavtale § 2"
        if rng.random() < 0.4:
            arsverk = round(0.2 + min(150.0, rng.lognormvariate(1.0, 1.2)), 1)
            row["arsverk"] = f"{arsverk:g}"
            row["arsverk_kilde"] = "årsmelding"
        if rng.random() < 0.2:
            row["budsjett"] = str(rng.randint(50, 50_000) * 1000)
        row["beskrivelse"] = f"{theme or 'Politisk samarbeid'} for {len(members)} kommuner."
        if rng.random() < 0.1:
            row["merknader"] = "Syntetisk merknad; ingen reell ordning."
        row["kilder"] = SOURCE

        extra: list[dict[str, str]] = []
        if form in ("ipr", "iks") and rng.random() < 0.08 and home.county.number != "03":
            extra.append({"deltaker": f"{home.county.name} fylkeskommune", "type": "fylkeskommune"})
        if form in ("as", "stiftelse") and rng.random() < 0.1:
            extra.append({"deltaker": f"{theme or 'Regional'} Holding AS", "type": "annen"})
        if extra and len(members) + len(extra) > 60:
            members = members[: 60 - len(extra)]
        listed = len(members) + len(extra)
        row["deltakerliste"] = completeness
        if completeness == "delvis":
            row["deltakere_oppgitt_antall"] = str(listed + rng.randint(1, 5))
            row["deltakere_merknad"] = "Kilden nevner bare noen av deltakerne"
        elif rng.random() < 0.2:
            row["deltakere_oppgitt_antall"] = str(listed)
        arrangement_rows.append(row)

        owners = form in OWNER_FORMS
        shares = owners and rng.random() < 0.7
        share = f"{int(10000 / listed) / 100:g}" if shares else ""
        for p in members:
            m = {
                "ordning_id": ref,
                "deltaker": p.qualified_name(),
                "kommunenummer": p.number,
                "rolle": "eier" if owners else ("deltaker" if rng.random() < 0.5 else ""),
                "eierandel": share,
            }
            if rng.random() < 0.1:
                m["inn_dato"] = (
                    dt.date(2000, 1, 1) + dt.timedelta(days=rng.randint(0, 8917))
                ).isoformat()
            if rng.random() < 0.05:
                m["type"] = "kommune"
            member_rows.append(m)
        for e in extra:
            member_rows.append(
                {
                    "ordning_id": ref,
                    "rolle": "eier" if owners else "deltaker",
                    "eierandel": share,
                    **e,
                }
            )

    return {
        MAPPING.name: mapping_rows,
        SCOPE.name: scope_rows,
        ARRANGEMENTS.name: arrangement_rows,
        MEMBERSHIPS.name: member_rows,
    }


def describe(tables: dict[str, list[dict[str, str]]]) -> str:
    arrangements = tables[ARRANGEMENTS.name]
    members = tables[MEMBERSHIPS.name]
    sizes = Counter(m["ordning_id"] for m in members)
    buckets = Counter("2-3" if n <= 3 else "4-8" if n <= 8 else "9-60" for n in sizes.values())
    forms = Counter(a.get("juridisk_form") or "(tom)" for a in arrangements)
    hosted = 0
    by_ref: dict[str, set[str]] = {}
    for m in members:
        by_ref.setdefault(m["ordning_id"], set()).update(
            (m.get("kommunenummer", ""), m.get("deltaker", ""))
        )
    for a in arrangements:
        host = a.get("vertskommune", "")
        if host and host != "ingen" and host in by_ref.get(a["id"], ()):
            hosted += 1
    municipal = sum(1 for m in members if m.get("kommunenummer"))
    return (
        f"{len(tables[SCOPE.name])} kommuner, {len(arrangements)} ordninger, "
        f"{len(members)} deltakelser ({municipal} med kommunenummer); "
        f"størrelser {dict(sorted(buckets.items()))}, maks {max(sizes.values())}; "
        f"vertskommune blant deltakerne i {hosted / len(arrangements):.0%}; "
        f"former {dict(forms.most_common())}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, help="OUT.xlsx or OUT.csv")
    parser.add_argument("--arrangements", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    tables = build(args.arrangements, args.seed)
    suffix = args.out.suffix.lower()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    if suffix == ".xlsx":
        write_xlsx(tables, args.out)
    elif suffix == ".csv":
        write_csv(tables, args.out)
    else:
        parser.error("OUT must end in .xlsx or .csv")
    size = args.out.stat().st_size / 1e6
    print(f"{args.out}: {size:.1f} MB; {describe(tables)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
