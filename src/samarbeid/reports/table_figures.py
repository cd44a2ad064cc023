"""Which figures go with which table of the report: a dispatch table from table id to the
function that makes that table's figures.

A figure is only described here (id, title, text alternative) and drawn lazily: ``Figure.draw``
is called by the renderers that need the picture (HTML and PDF). A table without an entry, or
whose data is empty, has no figure.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial

from samarbeid.analysis.model import SIZE_CLASSES, MappingData, Table

from . import figures, maps
from .fmt import number
from .model import Figure
from .table_values import as_number, count_text, table_by_id, values

#: Makes the figures of one table: (the table, the mapping, all the report's tables) -> figures.
FigureMaker = Callable[[Table, MappingData, Sequence[Table]], list[Figure]]


def figures_for(table: Table, data: MappingData, tables: Sequence[Table]) -> list[Figure]:
    """The figures that go with ``table`` (none for a table without an entry in FIGURES)."""
    make = FIGURES.get(table.id)
    return make(table, data, tables) if make is not None else []


def _size_colors(data: MappingData) -> dict[str, str]:
    scope = data.municipalities
    return {
        str(n): figures.SIZE_CLASS_COLORS.get(str(c), figures.SIZE_CLASS_COLORS[""])
        for n, c in zip(scope["number"], scope["size_class"], strict=True)
    }


def _choropleth_svg(
    figure_id: str, by_number: dict[str, float], label: dict[str, str], data: MappingData
) -> str:
    return maps.choropleth(figure_id, by_number, label, data.cutoff)[0]


def _per_municipality(table: Table, data: MappingData, tables: Sequence[Table]) -> list[Figure]:
    """Bars per municipality (ranked), the map, and the bars ordered by population."""
    out: list[Figure] = []
    names, counts = values(table, "kommune"), values(table, "ordninger")
    numbers = values(table, "kommunenummer")
    if not counts:
        return out
    colors = _size_colors(data)
    bar_colors = [colors.get(str(n), figures.SIZE_CLASS_COLORS[""]) for n in numbers]
    legend = {c: figures.SIZE_CLASS_COLORS[c] for c in SIZE_CLASSES}
    out.append(
        Figure(
            "figur_per_kommune",
            "Ordninger per kommune",
            "Stolpediagram: antall tellende ordninger per kommune, rangert og farget etter "
            f"innbyggertall (under 5 000, 5 000–15 000, over 15 000). Flest: {names[0]} "
            f"({count_text(counts[0])}); færrest: {names[-1]} ({count_text(counts[-1])}).",
            partial(
                figures.bar_chart,
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
    absent = [n for n in by_number if n not in maps.load_shapes(maps.boundary_file(data.cutoff))]
    alt = (
        f"Kart over de {len(by_number)} kommunene, farget etter antall tellende "
        f"ordninger (fra {count_text(min(counts))} til {count_text(max(counts))}); nabokommuner "
        "utenfor kartleggingen i grått."
    )
    if absent:
        alt += f" Mangler i kartgrunnlaget: {', '.join(label[n] for n in absent)}."
    out.append(
        Figure(
            "kart_per_kommune",
            "Kart: ordninger per kommune",
            alt,
            partial(_choropleth_svg, "kart_per_kommune", by_number, label, data),
        )
    )
    population = values(table, "innbyggere")
    ranked = sorted(
        (
            (p, str(name), c, str(n))
            for p, name, c, n in zip(population, names, counts, numbers, strict=True)
            if as_number(p) is not None
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
                f"størrelsesklasse. Størst: {ranked[0][1]} ({count_text(ranked[0][2])} "
                f"ordninger); minst: {ranked[-1][1]} ({count_text(ranked[-1][2])} ordninger).",
                partial(
                    figures.bar_chart,
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
    return out


def _size_classes(table: Table, data: MappingData, tables: Sequence[Table]) -> list[Figure]:
    classes, means = values(table, "klasse"), values(table, "snitt_ordninger")
    pairs = [(c, m) for c, m in zip(classes, means, strict=True) if as_number(m) is not None]
    if not pairs:
        return []
    labels = [c for c, _ in pairs]
    vals = [float(m) for _, m in pairs]
    colors = [figures.SIZE_CLASS_COLORS.get(c, figures.MAIN) for c in labels]
    return [
        Figure(
            "figur_storrelsesklasse",
            "Snitt per størrelsesklasse",
            "Stolpediagram: gjennomsnittlig antall ordninger per kommune i hver "
            "størrelsesklasse: " + "; ".join(f"{c}: {number(v, 1)}" for c, v in pairs) + ".",
            partial(
                figures.bar_chart,
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
    ]


def _establishment_years(table: Table, data: MappingData, tables: Sequence[Table]) -> list[Figure]:
    years, counts = values(table, "ar"), values(table, "ordninger")
    if not years:
        return []
    full = list(range(int(min(years)), int(max(years)) + 1))
    by_year = dict(zip(years, counts, strict=True))
    series = [float(by_year.get(y, 0)) for y in full]
    labels = [str(y) if (y % 5 == 0 or len(full) <= 25) else "" for y in full]
    return [
        Figure(
            "figur_etablering_ar",
            "Ordninger per etableringsår",
            f"Stolpediagram: antall ordninger etablert hvert år fra {full[0]} til {full[-1]}, "
            f"for de {table.n} ordningene med kjent år. Flest i "
            f"{max(by_year, key=lambda y: (by_year[y], -y))} ({count_text(max(counts))}).",
            partial(
                figures.bar_chart,
                "figur_etablering_ar",
                labels,
                series,
                value_label="Antall ordninger",
                height=3.0,
                annotate=False,
                rotate=False,
            ),
        )
    ]


def _task_areas(table: Table, data: MappingData, tables: Sequence[Table]) -> list[Figure]:
    names, pct = values(table, "oppgaveomrade"), values(table, "prosent")
    ref, nrs = values(table, "referanse_prosent"), values(table, "nr")
    if not names:
        return []
    labels = [f"{n}. {m}" for n, m in zip(nrs, names, strict=True)]
    has_ref = any(r is not None for r in ref)
    series: dict[str, list[float | None]] = {data.title or data.name: pct}
    if has_ref:
        series["Trøndelag 2020"] = ref
    return [
        Figure(
            "figur_oppgaveomrader",
            "Deltakelse per oppgaveområde",
            "Liggende stolpediagram: andel av kommunene (%) som deltar i minst én ordning på "
            f"hvert av de {len(names)} oppgaveområdene"
            + (", med Trøndelag 2020 ved siden av som referanse." if has_ref else "."),
            partial(
                figures.grouped_bars,
                "figur_oppgaveomrader",
                labels,
                series,
                value_label="Andel kommuner (%)",
                xlim=(0, 100),
            ),
        )
    ]


#: Table id -> (the column with the bar labels, what the bars count by).
_COUNT_BARS = {
    "juridisk_form": ("form", "juridisk form"),
    "sektor": ("sektor", "sektor"),
    "geografisk_niva": ("niva", "geografisk nivå"),
}


def _count_bars(table: Table, data: MappingData, tables: Sequence[Table]) -> list[Figure]:
    """Horizontal bars of the arrangements per category (legal form, sector, level)."""
    label_col, what = _COUNT_BARS[table.id]
    labels, counts = values(table, label_col), values(table, "ordninger")
    if not (labels and any(counts)):
        return []
    fid = f"figur_{table.id}"
    return [
        Figure(
            fid,
            f"Ordninger etter {what}",
            f"Liggende stolpediagram: antall ordninger etter {what}: "
            + "; ".join(f"{lab}: {count_text(c)}" for lab, c in zip(labels, counts, strict=True))
            + ".",
            partial(
                figures.bar_chart,
                fid,
                labels,
                [float(c or 0) for c in counts],
                horizontal=True,
                value_label="Antall ordninger",
            ),
        )
    ]


def _draw_network(data: MappingData, groups: dict[str, int]) -> str:
    from samarbeid.analysis import network

    g = network.graph(data)
    nodes = [
        (str(k), str(a.get("number", "")), str(a.get("name", k))) for k, a in g.nodes(data=True)
    ]
    edges = [(str(a), str(b), float(w.get("weight", 1))) for a, b, w in g.edges(data=True)]
    edges.sort()
    return maps.network_map("figur_nettverk", nodes, edges, data.cutoff, groups=groups)


def _network(table: Table, data: MappingData, tables: Sequence[Table]) -> list[Figure]:
    """The municipalities on the map, joined by their shared arrangements, coloured by the
    community the network analysis put them in."""
    scope = data.municipalities
    community = table_by_id(tables, "nettverk_fellesskap")
    name_to_entity = {str(n): str(e) for n, e in zip(scope["name"], scope["entity"], strict=True)}
    groups: dict[str, int] = {}
    if community is not None:
        for row in community.rows:
            for name in str(row[1]).split(", "):
                if name in name_to_entity:
                    groups[name_to_entity[name]] = int(row[0])
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
    return [
        Figure("figur_nettverk", "Samarbeidsnettverket", alt, partial(_draw_network, data, groups))
    ]


#: Table id -> the function that makes its figures.
FIGURES: dict[str, FigureMaker] = {
    "per_kommune": _per_municipality,
    "storrelsesklasse": _size_classes,
    "etablering_ar": _establishment_years,
    "oppgaveomrader": _task_areas,
    "juridisk_form": _count_bars,
    "sektor": _count_bars,
    "geografisk_niva": _count_bars,
    "nettverk": _network,
}
