"""Arrange the analyses of a mapping into the report of the method (nivi-method.md §4).

Chapters follow NIVI's reports: scope and delimitation, extent and structure, content and
organisation, the regions, the sectors, data quality. "Hovedfunn" is a list of template
sentences filled only from the tables' figures; a sentence whose figures are missing is left out,
never guessed.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from samarbeid.analysis.model import SIZE_CLASSES, MappingData, Table

from . import figures, maps
from .fmt import date_nb, display, join_nb, number, plain, plural, slug
from .model import Chapter, Figure, Report, Section, number_report

SCOPE = ("omfang", "Omfang og avgrensning")
CHAPTERS: list[tuple[str, str, tuple[str, ...]]] = [
    (
        "struktur",
        "Omfang og struktur",
        (
            "totalt",
            "geografisk_niva",
            "per_kommune",
            "storrelsesklasse",
            "per_region",
            "etablering_periode",
            "etablering_ar",
            "nye_siden",
            "arsverk",
            "fylkesgrense",
        ),
    ),
    (
        "innhold",
        "Innhold og organisering",
        (
            "oppgaveomrader",
            "vertskommuner",
            "vertskommune_konsentrasjon",
            "juridisk_form",
            "juridisk_form_gruppe",
            "tjenestestruktur",
        ),
    ),
    (
        "regioner",
        "Regionene",
        (
            "regioner",
            "nettverk",
            "nettverk_fellesskap",
            "nettverk_naboandeler",
        ),
    ),
    ("sektorer", "Sektorene", ("sektor",)),
    ("datakvalitet", "Datakvalitet", ("datakvalitet_",)),
]
OTHER = ("andre", "Andre tabeller")

STATUS_LABELS = {
    "telles": "Telles (formelt samarbeid i drift)",
    "avsluttet": "Avsluttet",
    "utenfor": "Utenfor definisjonen (telles ikke)",
}

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


# ---------------------------------------------------------------------------------------------
# Reading the analysis tables


def table_by_id(tables: Sequence[Table], table_id: str) -> Table | None:
    return next((t for t in tables if t.id == table_id), None)


def column(table: Table | None, *names: str) -> int | None:
    """Index of the first of ``names`` among the table's columns."""
    if table is None:
        return None
    for name in names:
        if name in table.columns:
            return table.columns.index(name)
    return None


def values(table: Table | None, name: str) -> list[Any]:
    i = column(table, name)
    return [] if table is None or i is None else [plain(r[i]) for r in table.rows]


def _num(value: Any) -> float | None:
    value = plain(value)
    return value if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def _pct(value: Any) -> str:
    v = _num(value)
    return "–" if v is None else f"{number(float(v), 1)} %"


def _n(value: Any) -> str:
    v = _num(value)
    return "–" if v is None else number(v)


def _lookup(table: Table | None, key_col: str, key: str, value_col: str) -> Any:
    ki, vi = column(table, key_col), column(table, value_col)
    if table is None or ki is None or vi is None:
        return None
    for row in table.rows:
        if str(row[ki]).startswith(key):
            return plain(row[vi])
    return None


# ---------------------------------------------------------------------------------------------
# Hovedfunn


def findings(data: MappingData, tables: Sequence[Table], new_since: int | None = None) -> list[str]:
    """Template sentences from the figures of the tables; each is left out if its data is."""
    out: list[str] = []
    t = {table.id: table for table in tables}
    k = len(data.municipalities)
    total = t["totalt"].n if "totalt" in t else len(data.counted())
    date = date_nb(data.cutoff)

    def add(make: Callable[[], str | None]) -> None:
        try:
            sentence = make()
        except (KeyError, IndexError, TypeError, ValueError, ZeroDivisionError):
            sentence = None
        if sentence:
            out.append(sentence)

    add(
        lambda: (
            f"Kartleggingen omfatter {number(total)} formelle samarbeidsordninger mellom de "
            f"{number(k)} kommunene per {date}."
        )
    )

    if not total:
        return out

    def level() -> str | None:
        table = t.get("geografisk_niva")
        if table is None or not table.n:
            return None
        rows = {str(r[0]).split(" ")[0]: r for r in table.rows}
        regional, local, higher = rows["Regionalt"], rows["Lokalt"], rows["Høyere"]
        base = (
            ""
            if table.n == total
            else (f"Av de {number(table.n)} ordningene med kjent antall deltakende kommuner er ")
        )
        first = (
            f"{_n(regional[1])} av ordningene ({_pct(regional[2])})"
            if not base
            else (f"{_n(regional[1])} ({_pct(regional[2])})")
        )
        start = base + first if base else first
        verb = " er regionale" if not base else " regionale"
        return (
            f"{start}{verb} (4–8 kommuner), {_n(local[1])} ({_pct(local[2])}) lokale "
            f"(2–3 kommuner) og {_n(higher[1])} ({_pct(higher[2])}) på et høyere nivå "
            "(9 eller flere kommuner)."
        )

    add(level)

    def extremes() -> str | None:
        table = t.get("per_kommune")
        names, counts = values(table, "kommune"), values(table, "ordninger")
        if not counts:
            return None
        top, low = max(counts), min(counts)
        most = [n for n, c in zip(names, counts, strict=True) if c == top]
        least = [n for n, c in zip(names, counts, strict=True) if c == low]
        if top == low:
            return f"Alle kommunene deltar i like mange ordninger ({number(top)})."
        return (
            f"{join_nb(most)} deltar i flest ordninger ({number(top)}), "
            f"{join_nb(least)} i færrest ({number(low)})."
        )

    add(extremes)

    def means() -> str | None:
        counts = [c for c in values(t.get("per_kommune"), "ordninger") if _num(c) is not None]
        if not counts:
            return None
        mean = round(sum(counts) / len(counts), 1)
        sentence = f"Snittet er {number(mean, 1)} ordninger per kommune"
        table = t.get("storrelsesklasse")
        small = _lookup(table, "klasse", SIZE_CLASSES[0], "snitt_ordninger")
        middle = _lookup(table, "klasse", SIZE_CLASSES[1], "snitt_ordninger")
        large = _lookup(table, "klasse", SIZE_CLASSES[2], "snitt_ordninger")
        parts = []
        if small is not None:
            parts.append(f"{number(float(small), 1)} i kommuner under 5 000 innbyggere")
        if middle is not None:
            parts.append(f"{number(float(middle), 1)} i kommuner med 5 000–15 000")
        if large is not None:
            parts.append(f"{number(float(large), 1)} i kommuner over 15 000")
        if parts:
            sentence += (
                "; " + join_nb(parts).replace(" og ", " mot ", 1)
                if len(parts) == 2
                else ("; " + join_nb(parts))
            )
        return sentence + "."

    add(means)

    def regions() -> str | None:
        table = t.get("per_region")
        names, means_ = values(table, "region"), values(table, "snitt_ordninger")
        pairs = [(n, m) for n, m in zip(names, means_, strict=True) if _num(m) is not None]
        if len(pairs) < 2:
            return None
        top = max(pairs, key=lambda p: p[1])
        low = min(pairs, key=lambda p: p[1])
        if top[1] == low[1]:
            return None
        return (
            f"Blant regionene har {top[0]} flest ordninger per kommune i snitt "
            f"({number(float(top[1]), 1)}), {low[0]} færrest ({number(float(low[1]), 1)})."
        )

    add(regions)

    def hosts() -> str | None:
        table = t.get("vertskommuner")
        if table is None:
            return None
        sentence = f"Vertskommune er kjent for {number(table.n)} av {number(total)} ordninger"
        names, counts = values(table, "kommune"), values(table, "ordninger")
        if table.n and counts and counts[0]:
            top = max(counts)
            most = [n for n, c in zip(names, counts, strict=True) if c == top]
            sentence += f"; {join_nb(most)} er vertskommune for flest ({number(top)})"
        return sentence + "."

    add(hosts)

    def established() -> str | None:
        table = t.get("etablering_periode")
        if table is None or not table.rows:
            return None
        first = table.rows[0]
        if _num(first[2]) is None:
            return None
        sentence = (
            f"{_n(first[1])} ordninger ({_pct(first[2])} av dem med kjent "
            f"etableringsperiode) er etablert i {first[0]}"
        )
        return sentence + "."

    add(established)

    def forms() -> str | None:
        table = t.get("juridisk_form")
        if table is None or not table.rows:
            return None
        known = [r for r in table.rows if r[0] != "Ikke kjent"]
        unknown = next((r for r in table.rows if r[0] == "Ikke kjent"), None)
        if not known:
            return None
        top = known[0]
        form = str(top[0])[:1].lower() + str(top[0])[1:]
        sentence = f"Vanligste kjente juridiske form er {form} ({plural(top[1])})"
        if unknown is not None and _num(unknown[1]):
            sentence += f"; for {plural(unknown[1])} er formen ikke kjent"
        return sentence + "."

    add(forms)

    def sectors() -> str | None:
        table = t.get("sektor")
        if table is None:
            return None
        rows = [r for r in table.rows if r[0] != "Ikke plassert" and _num(r[1])]
        if len(rows) < 2:
            return None
        return (
            f"Flest ordninger er innen {str(rows[0][0]).lower()} ({_n(rows[0][1])}), "
            f"deretter {str(rows[1][0]).lower()} ({_n(rows[1][1])})."
        )

    add(sectors)

    def areas() -> str | None:
        table = t.get("oppgaveomrader")
        groups = values(table, "gruppe")
        if not groups:
            return None
        counts = {g: groups.count(g) for g in ("hyppig", "vanlig", "sjelden")}
        return (
            f"Av {number(len(groups))} oppgaveområder er {number(counts['hyppig'])} hyppige "
            f"(over 70 % av kommunene deltar), {number(counts['vanlig'])} vanlige (30–70 %) "
            f"og {number(counts['sjelden'])} sjeldne (under 30 %)."
        )

    add(areas)

    def cross() -> str | None:
        table = t.get("fylkesgrense")
        if table is None:
            return None
        refs = {r for ids in table.ids for r in ids}
        return f"{number(len(refs))} ordninger har deltakere fra mer enn ett fylke."

    add(cross)

    def new() -> str | None:
        table = t.get("nye_siden")
        if table is None or new_since is None:
            return None
        sentence = f"{number(table.n)} ordninger er etablert i {new_since} eller senere"
        if table.missing:
            sentence += (
                f"; for {number(len(table.missing))} er året ukjent eller et tidsrom "
                f"som går over {new_since}"
            )
        return sentence + "."

    add(new)

    def staff() -> str | None:
        table = t.get("arsverk")
        if table is None or not table.rows:
            return None
        whole = table.rows[-1]
        return (
            f"Årsverk er oppgitt for {number(table.n)} av {number(total)} ordninger, til "
            f"sammen {number(float(whole[2]), 1)} årsverk."
        )

    add(staff)

    def lacking() -> str | None:
        table = t.get("datakvalitet_mangler")
        if table is None or not table.rows:
            return None
        counts = {str(r[0]): _num(r[1]) for r in table.rows}
        parts = [
            f"{number(counts[k])} {k}"
            for k in ("etableringsår", "vertskommune", "juridisk form", "årsverk")
            if counts.get(k) is not None
        ]
        if not parts:
            return None
        return f"Av de {number(table.n)} ordningene mangler {join_nb(parts)}."

    add(lacking)

    def communities() -> str | None:
        table = t.get("nettverk_fellesskap")
        if table is None or not table.rows:
            return None
        return (
            f"Nettverksanalysen deler kommunene i {number(len(table.rows))} fellesskap som "
            "samarbeider mer med hverandre enn med andre."
        )

    add(communities)
    return out


# ---------------------------------------------------------------------------------------------
# Scope chapter (built here: the scope and what counts)


def scope_tables(data: MappingData) -> list[Table]:
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


# ---------------------------------------------------------------------------------------------
# Figures


def _size_colors(data: MappingData) -> dict[str, str]:
    scope = data.municipalities
    return {
        str(n): figures.SIZE_CLASS_COLORS.get(str(c), figures.SIZE_CLASS_COLORS[""])
        for n, c in zip(scope["number"], scope["size_class"], strict=True)
    }


def _figures_for(table: Table, data: MappingData, tables: Sequence[Table]) -> list[Figure]:
    tid = table.id
    out: list[Figure] = []
    if tid == "per_kommune":
        names, counts = values(table, "kommune"), values(table, "ordninger")
        numbers = values(table, "kommunenummer")
        if counts:
            colors = _size_colors(data)
            bar_colors = [colors.get(str(n), figures.SIZE_CLASS_COLORS[""]) for n in numbers]
            legend = {c: figures.SIZE_CLASS_COLORS[c] for c in SIZE_CLASSES}
            out.append(
                Figure(
                    "figur_per_kommune",
                    "Ordninger per kommune",
                    "Stolpediagram: antall tellende ordninger per kommune, rangert og farget etter "
                    f"innbyggertall (under 5 000, 5 000–15 000, over 15 000). Flest: {names[0]} "
                    f"({_n(counts[0])}); færrest: {names[-1]} ({_n(counts[-1])}).",
                    lambda: figures.bar_chart(
                        "figur_per_kommune",
                        names,
                        counts,
                        colors=bar_colors,
                        legend=legend,
                        horizontal=True,
                        value_label="Antall ordninger",
                    ),
                )
            )
            by_number = {str(n): float(c) for n, c in zip(numbers, counts, strict=True)}
            label = {str(n): str(m) for n, m in zip(numbers, names, strict=True)}
            absent = [
                n for n in by_number if n not in maps.load_shapes(maps.boundary_file(data.cutoff))
            ]
            alt = (
                f"Kart over de {len(by_number)} kommunene, farget etter antall tellende "
                f"ordninger (fra {_n(min(counts))} til {_n(max(counts))}); nabokommuner utenfor "
                "kartleggingen i grått."
            )
            if absent:
                alt += f" Mangler i kartgrunnlaget: {', '.join(label[n] for n in absent)}."
            out.append(
                Figure(
                    "kart_per_kommune",
                    "Kart: ordninger per kommune",
                    alt,
                    lambda: maps.choropleth("kart_per_kommune", by_number, label, data.cutoff)[0],
                )
            )
            population = values(table, "innbyggere")
            ranked = sorted(
                (
                    (p, str(name), c, str(n))
                    for p, name, c, n in zip(population, names, counts, numbers, strict=True)
                    if _num(p) is not None
                ),
                key=lambda r: -r[0],
            )
            if ranked:
                pop_labels = [f"{name} ({number(p)})" for p, name, _, _ in ranked]
                pop_counts = [float(c) for _, _, c, _ in ranked]
                pop_colors = [colors.get(n, figures.SIZE_CLASS_COLORS[""]) for *_, n in ranked]
                out.append(
                    Figure(
                        "figur_per_kommune_innbyggere",
                        "Ordninger per kommune etter innbyggertall",
                        "Liggende stolpediagram: antall tellende ordninger per kommune, med "
                        "kommunene ordnet etter innbyggertall (størst øverst) og farget etter "
                        f"størrelsesklasse. Størst: {ranked[0][1]} ({_n(ranked[0][2])} ordninger); "
                        f"minst: {ranked[-1][1]} ({_n(ranked[-1][2])} ordninger).",
                        lambda: figures.bar_chart(
                            "figur_per_kommune_innbyggere",
                            pop_labels,
                            pop_counts,
                            colors=pop_colors,
                            legend=legend,
                            horizontal=True,
                            value_label="Antall ordninger",
                        ),
                    )
                )
    elif tid == "storrelsesklasse":
        classes, means_ = values(table, "klasse"), values(table, "snitt_ordninger")
        pairs = [(c, m) for c, m in zip(classes, means_, strict=True) if _num(m) is not None]
        if pairs:
            labels = [c for c, _ in pairs]
            vals = [float(m) for _, m in pairs]
            colors = [figures.SIZE_CLASS_COLORS.get(c, figures.MAIN) for c in labels]
            out.append(
                Figure(
                    "figur_storrelsesklasse",
                    "Snitt per størrelsesklasse",
                    "Stolpediagram: gjennomsnittlig antall ordninger per kommune i hver "
                    "størrelsesklasse: "
                    + "; ".join(f"{c}: {number(v, 1)}" for c, v in pairs)
                    + ".",
                    lambda: figures.bar_chart(
                        "figur_storrelsesklasse",
                        [f"{c} innb." for c in labels],
                        vals,
                        colors=colors,
                        value_label="Snitt ordninger per kommune",
                        width=4.5,
                        height=2.6,
                        decimals=1,
                        rotate=False,
                    ),
                )
            )
    elif tid == "etablering_ar":
        years, counts = values(table, "ar"), values(table, "ordninger")
        if years:
            full = list(range(int(min(years)), int(max(years)) + 1))
            by_year = dict(zip(years, counts, strict=True))
            series = [float(by_year.get(y, 0)) for y in full]
            labels = [str(y) if (y % 5 == 0 or len(full) <= 25) else "" for y in full]
            out.append(
                Figure(
                    "figur_etablering_ar",
                    "Ordninger per etableringsår",
                    f"Stolpediagram: antall ordninger etablert hvert år fra {full[0]} til {full[-1]}, "
                    f"for de {table.n} ordningene med kjent år. Flest i "
                    f"{max(by_year, key=lambda y: (by_year[y], -y))} ({_n(max(counts))}).",
                    lambda: figures.bar_chart(
                        "figur_etablering_ar",
                        labels,
                        series,
                        value_label="Antall ordninger",
                        height=3.0,
                        annotate=False,
                        rotate=False,
                    ),
                )
            )
    elif tid == "oppgaveomrader":
        names, pct = values(table, "oppgaveomrade"), values(table, "prosent")
        ref, nrs = values(table, "referanse_prosent"), values(table, "nr")
        if names:
            labels = [f"{n}. {m}" for n, m in zip(nrs, names, strict=True)]
            has_ref = any(r is not None for r in ref)
            series: dict[str, list[float | None]] = {data.title or data.name: pct}
            if has_ref:
                series["Trøndelag 2020"] = ref
            out.append(
                Figure(
                    "figur_oppgaveomrader",
                    "Deltakelse per oppgaveområde",
                    "Liggende stolpediagram: andel av kommunene (%) som deltar i minst én ordning på "
                    f"hvert av de {len(names)} oppgaveområdene"
                    + (", med Trøndelag 2020 ved siden av som referanse." if has_ref else "."),
                    lambda: figures.grouped_bars(
                        "figur_oppgaveomrader",
                        labels,
                        series,
                        value_label="Andel kommuner (%)",
                        xlim=(0, 100),
                    ),
                )
            )
    elif tid in ("juridisk_form", "sektor", "geografisk_niva"):
        label_col = {"juridisk_form": "form", "sektor": "sektor", "geografisk_niva": "niva"}[tid]
        labels, counts = values(table, label_col), values(table, "ordninger")
        if labels and any(counts):
            what = {
                "juridisk_form": "juridisk form",
                "sektor": "sektor",
                "geografisk_niva": "geografisk nivå",
            }[tid]
            fid = f"figur_{tid}"
            out.append(
                Figure(
                    fid,
                    f"Ordninger etter {what}",
                    f"Liggende stolpediagram: antall ordninger etter {what}: "
                    + "; ".join(f"{lab}: {_n(c)}" for lab, c in zip(labels, counts, strict=True))
                    + ".",
                    lambda: figures.bar_chart(
                        fid,
                        labels,
                        [float(c or 0) for c in counts],
                        horizontal=True,
                        value_label="Antall ordninger",
                    ),
                )
            )
    elif tid == "nettverk":
        out.extend(_network_figure(data, tables))
    return out


def _network_figure(data: MappingData, tables: Sequence[Table]) -> list[Figure]:
    from samarbeid.analysis import network

    scope = data.municipalities
    community = table_by_id(tables, "nettverk_fellesskap")
    name_to_entity = {str(n): str(e) for n, e in zip(scope["name"], scope["entity"], strict=True)}
    groups: dict[str, int] = {}
    if community is not None:
        for row in community.rows:
            for name in str(row[1]).split(", "):
                if name in name_to_entity:
                    groups[name_to_entity[name]] = int(row[0])

    def draw() -> str:
        g = network.graph(data)
        nodes = [
            (str(k), str(a.get("number", "")), str(a.get("name", k))) for k, a in g.nodes(data=True)
        ]
        edges = [(str(a), str(b), float(w.get("weight", 1))) for a, b, w in g.edges(data=True)]
        edges.sort()
        return maps.network_map("figur_nettverk", nodes, edges, data.cutoff, groups=groups)

    alt = (
        "Nettverksdiagram: kommunene plassert på kartet, med linjer mellom kommuner som "
        "deltar i ordninger sammen; tykkere og mørkere linje betyr flere felles ordninger. "
        "Punktstørrelsen viser summen av kommunens samarbeidsbånd"
    )
    alt += (
        f", fargen fellesskapet den hører til ({len(set(groups.values()))} fellesskap)."
        if groups
        else "."
    )
    return [Figure("figur_nettverk", "Samarbeidsnettverket", alt, draw)]


# ---------------------------------------------------------------------------------------------
# The report


def _chapter_key(table_id: str) -> str:
    for key, _, ids in CHAPTERS:
        for prefix in ids:
            if table_id == prefix or (prefix.endswith("_") and table_id.startswith(prefix)):
                return key
    return OTHER[0]


def mapping_meta(data: MappingData) -> dict[str, Any]:
    scope = data.municipalities
    statuses = data.arrangements["status"].value_counts()
    return {
        "navn": data.name,
        "tittel": data.title,
        "dato": data.cutoff.isoformat(),
        "fylkesdato": data.county_date.isoformat(),
        "antall_kommuner": len(scope),
        "kommuner": [
            {
                "nummer": str(r.number),
                "navn": str(r.name),
                "region": str(r.region),
                "fylke": str(r.county_name),
                "innbyggere": plain(r.population),
            }
            for r in scope.itertuples()
        ],
        "regioner": [r for r in dict.fromkeys(scope["region"].fillna("").astype(str)) if r],
        "ordninger": {code: int(statuses.get(code, 0)) for code in STATUS_LABELS},
    }


def build_report(
    data: MappingData, *, tables: Sequence[Table] | None = None, new_since: int = 2015
) -> Report:
    """The mapping report: the method's tables in chapters, with figures and "Hovedfunn"."""
    if tables is None:
        from samarbeid.analysis import catalogue

        tables = catalogue.method_tables(data, new_since=new_since)
    tables = list(tables)
    report = Report(
        kind="rapport",
        title=data.title or data.name,
        subtitle="Kartlegging av formelt interkommunalt samarbeid",
        date=data.cutoff,
        slug=slug(data.name),
        meta=mapping_meta(data),
        names={
            str(r): str(n)
            for r, n in zip(data.arrangements["ref"], data.arrangements["name"], strict=True)
        },
        facts=[
            ("Kartlegging", data.name),
            ("Per", date_nb(data.cutoff)),
            ("Kommuner", number(len(data.municipalities))),
            ("Ordninger som telles", number(len(data.counted()))),
        ],
    )
    report.findings = findings(data, tables, new_since)
    scope = Chapter(
        SCOPE[0],
        SCOPE[1],
        intro=scope_intro(data),
        sections=[Section(t) for t in scope_tables(data)],
    )
    chapters = {key: Chapter(key, title) for key, title, _ in CHAPTERS}
    chapters[OTHER[0]] = Chapter(*OTHER)
    for table in tables:
        section = Section(table, _figures_for(table, data, tables))
        chapters[_chapter_key(table.id)].sections.append(section)
    report.chapters = [scope, *(c for c in chapters.values() if c.sections)]
    return number_report(report)


def build_overview(data: MappingData, entity: str) -> Report:
    """One municipality's overview (analysis 13): its counted arrangements, then the others."""
    from samarbeid.analysis import overview

    main = overview.municipality_overview(data, entity)
    other_fn = getattr(overview, "municipality_overview_other", None)
    other = other_fn(data, entity) if other_fn else None
    scope = data.municipalities
    row = scope[scope["entity"] == entity]
    name = str(row["name"].iloc[0]) if len(row) else main.title.split(": ", 1)[-1]
    number_ = str(row["number"].iloc[0]) if len(row) else ""
    date = date_nb(data.cutoff)
    host_col = column(main, "vertskommune")
    hosted = sum(1 for r in main.rows if host_col is not None and r[host_col] == name)
    known = sum(1 for r in main.rows if host_col is not None and r[host_col] != "Ikke kjent")
    lacking = values(main, "mangler")
    sentences = [f"{name} deltar i {number(main.n)} tellende samarbeidsordninger per {date}."]
    if host_col is not None and main.n:
        sentences.append(
            f"{name} er vertskommune for {number(hosted)} av dem; vertskommunen er "
            f"kjent for {number(known)} av de {number(main.n)}."
        )
    for field_name, text in (
        ("år", "etableringsår"),
        ("årsverk", "årsverk"),
        ("juridisk form", "juridisk form"),
    ):
        count = sum(1 for v in lacking if v and field_name in str(v).split(", "))
        if lacking and count:
            sentences.append(f"{number(count)} av ordningene mangler {text}.")
    if other is not None and other.n:
        sentences.append(
            f"I tillegg er {number(other.n)} avsluttede eller ikke tellende "
            "ordninger registrert (de telles ikke)."
        )
    report = Report(
        kind="oversikt",
        title=f"{name}: interkommunalt samarbeid",
        subtitle=f"Kommunevis oversikt fra kartleggingen «{data.title or data.name}»",
        date=data.cutoff,
        slug=f"{slug(data.name)}-oversikt-{number_}-{slug(name)}".replace("--", "-"),
        meta={**mapping_meta(data), "kommune": {"nummer": number_, "navn": name}},
        findings=sentences,
        names={
            str(r): str(n)
            for r, n in zip(data.arrangements["ref"], data.arrangements["name"], strict=True)
        },
        facts=[
            ("Kommune", f"{name} ({number_})" if number_ else name),
            ("Kartlegging", data.name),
            ("Per", date),
        ],
    )
    chapters = [Chapter("ordninger", "Ordninger som telles", sections=[Section(main)])]
    if other is not None:
        chapters.append(
            Chapter("ikke_telt", "Avsluttede og ikke tellende ordninger", sections=[Section(other)])
        )
    report.chapters = chapters
    return number_report(report)


def comparison_findings(a: MappingData, b: MappingData, tables: Sequence[Table]) -> list[str]:
    """Template sentences from the comparison's overview table (analysis.compare)."""
    out = [
        f"Sammenligningen gjelder «{a.name}» per {date_nb(a.cutoff)} og «{b.name}» per "
        f"{date_nb(b.cutoff)}."
    ]
    overview = table_by_id(tables, "sammenligning_oversikt")
    rows = {str(r[0]): r for r in overview.rows} if overview is not None else {}

    def cell(label: str, i: int) -> Any:
        row = rows.get(label)
        return plain(row[i]) if row is not None and i < len(row) else None

    before, after = cell("Tellede ordninger", 1), cell("Tellede ordninger", 2)
    if _num(before) is not None and _num(after) is not None:
        change = after - before
        sign = "+" if change > 0 else ("−" if change < 0 else "±")
        out.append(
            f"Antallet tellende ordninger gikk fra {number(before)} til {number(after)} "
            f"({sign}{number(abs(change))})."
        )
    new, ended = cell("Nye ordninger", 2), cell("Avsluttede ordninger", 1)
    changed = cell("Ordninger med endrede opplysninger", 2)
    members = cell("Ordninger med endrede deltakere", 2)
    parts = []
    if _num(new) is not None:
        parts.append(f"{plural(new)} er {'ny' if new == 1 else 'nye'}")
    if _num(ended) is not None:
        parts.append(f"{number(ended)} er avsluttet")
    if _num(changed) is not None:
        parts.append(f"{number(changed)} har endrede opplysninger")
    if _num(members) is not None:
        parts.append(f"{number(members)} har endrede deltakere")
    if parts:
        sentence = join_nb(parts)
        out.append(sentence[:1].upper() + sentence[1:] + ".")
    mean_a = cell("Gjennomsnittlig antall ordninger per kommune", 1)
    mean_b = cell("Gjennomsnittlig antall ordninger per kommune", 2)
    if _num(mean_a) is not None and _num(mean_b) is not None:
        out.append(
            f"Snittet per kommune gikk fra {number(float(mean_a), 1)} til "
            f"{number(float(mean_b), 1)} ordninger."
        )
    odd = table_by_id(tables, "sammenligning_ikke_sammenlignbar")
    if odd is not None and odd.rows:
        out.append(
            f"{number(len(odd.rows))} kommuner kan ikke sammenlignes direkte (slått "
            "sammen, delt eller ute av området)."
        )
    return out


def _as_tables(result: Any) -> list[Table]:
    if isinstance(result, Table):
        return [result]
    if hasattr(result, "tables"):
        result = result.tables() if callable(result.tables) else result.tables
    return [t for t in result if isinstance(t, Table)]


def build_comparison(
    a: MappingData, b: MappingData, *, tables: Sequence[Table] | None = None
) -> Report:
    """The comparison of two mappings (analysis.compare): new, ended and changed arrangements."""
    if tables is None:
        from samarbeid.analysis import compare

        tables = _as_tables(compare.compare(a, b))
    tables = list(tables)
    sentences = comparison_findings(a, b, tables)
    names = {
        str(r): str(n) for r, n in zip(a.arrangements["ref"], a.arrangements["name"], strict=True)
    }
    names.update(
        {str(r): str(n) for r, n in zip(b.arrangements["ref"], b.arrangements["name"], strict=True)}
    )
    report = Report(
        kind="sammenligning",
        title=f"Endringer fra {a.name} til {b.name}",
        subtitle="Sammenligning av to kartlegginger av interkommunalt samarbeid",
        date=max(a.cutoff, b.cutoff),
        slug=f"{slug(a.name)}-til-{slug(b.name)}-sammenligning",
        meta={"fra": mapping_meta(a), "til": mapping_meta(b)},
        findings=sentences,
        names=names,
        facts=[
            ("Fra", f"{a.name} ({date_nb(a.cutoff)})"),
            ("Til", f"{b.name} ({date_nb(b.cutoff)})"),
        ],
    )
    report.chapters = [Chapter("endringer", "Endringer", sections=[Section(t) for t in tables])]
    return number_report(report)


__all__ = ["build_comparison", "build_overview", "build_report", "display", "findings"]
