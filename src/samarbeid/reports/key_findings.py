"""«Hovedfunn»: the report's key findings, template sentences filled from the tables' figures.

Each sentence has its own function, given the tables by id and what else it needs. A sentence
whose figures are missing (no table, no rows, an unexpected value) is left out, never guessed.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from samarbeid.analysis.model import SIZE_CLASSES, MappingData, Table

from .fmt import date_nb, join_nb, number, plural
from .table_values import as_number, count_text, lookup, pct_text, values

#: Tables by id, as each sentence reads them.
Tables = Mapping[str, Table]


def findings(data: MappingData, tables: Sequence[Table], new_since: int | None = None) -> list[str]:
    """Template sentences from the figures of the tables; each is left out if its data is."""
    out: list[str] = []
    t = {table.id: table for table in tables}
    k = len(data.municipalities)
    total = t["totalt"].n if "totalt" in t else len(data.counted())
    date = date_nb(data.cutoff)

    _add(out, _extent, total, k, date)
    if not total:
        return out
    _add(out, _level, t, total)
    _add(out, _extremes, t)
    _add(out, _means, t)
    _add(out, _regions, t)
    _add(out, _hosts, t, total)
    _add(out, _established, t)
    _add(out, _forms, t)
    _add(out, _sectors, t)
    _add(out, _areas, t)
    _add(out, _cross, t)
    _add(out, _new, t, new_since)
    _add(out, _staff, t, total)
    _add(out, _lacking, t)
    _add(out, _communities, t)
    return out


def _add(out: list[str], make: Callable[..., str | None], *args: Any) -> None:
    """Append the sentence ``make(*args)`` unless it is empty or its data did not fit."""
    try:
        sentence = make(*args)
    except (KeyError, IndexError, TypeError, ValueError, ZeroDivisionError):
        sentence = None
    if sentence:
        out.append(sentence)


def _extent(total: int, k: int, date: str) -> str:
    return (
        f"Kartleggingen omfatter {number(total)} formelle samarbeidsordninger mellom de "
        f"{number(k)} kommunene per {date}."
    )


def _level(t: Tables, total: int) -> str | None:
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
        f"{count_text(regional[1])} av ordningene ({pct_text(regional[2])})"
        if not base
        else (f"{count_text(regional[1])} ({pct_text(regional[2])})")
    )
    start = base + first if base else first
    verb = " er regionale" if not base else " regionale"
    return (
        f"{start}{verb} (4–8 kommuner), {count_text(local[1])} ({pct_text(local[2])}) lokale "
        f"(2–3 kommuner) og {count_text(higher[1])} ({pct_text(higher[2])}) på et høyere nivå "
        "(9 eller flere kommuner)."
    )


def _extremes(t: Tables) -> str | None:
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


def _means(t: Tables) -> str | None:
    counts = [c for c in values(t.get("per_kommune"), "ordninger") if as_number(c) is not None]
    if not counts:
        return None
    mean = round(sum(counts) / len(counts), 1)
    sentence = f"Snittet er {number(mean, 1)} ordninger per kommune"
    table = t.get("storrelsesklasse")
    small = lookup(table, "klasse", SIZE_CLASSES[0], "snitt_ordninger")
    middle = lookup(table, "klasse", SIZE_CLASSES[1], "snitt_ordninger")
    large = lookup(table, "klasse", SIZE_CLASSES[2], "snitt_ordninger")
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


def _regions(t: Tables) -> str | None:
    table = t.get("per_region")
    names, means_ = values(table, "region"), values(table, "snitt_ordninger")
    pairs = [(n, m) for n, m in zip(names, means_, strict=True) if as_number(m) is not None]
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


def _hosts(t: Tables, total: int) -> str | None:
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


def _established(t: Tables) -> str | None:
    table = t.get("etablering_periode")
    if table is None or not table.rows:
        return None
    first = table.rows[0]
    if as_number(first[2]) is None:
        return None
    sentence = (
        f"{count_text(first[1])} ordninger ({pct_text(first[2])} av dem med kjent "
        f"etableringsperiode) er etablert i {first[0]}"
    )
    return sentence + "."


def _forms(t: Tables) -> str | None:
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
    if unknown is not None and as_number(unknown[1]):
        sentence += f"; for {plural(unknown[1])} er formen ikke kjent"
    return sentence + "."


def _sectors(t: Tables) -> str | None:
    table = t.get("sektor")
    if table is None:
        return None
    rows = [r for r in table.rows if r[0] != "Ikke plassert" and as_number(r[1])]
    if len(rows) < 2:
        return None
    return (
        f"Flest ordninger er innen {str(rows[0][0]).lower()} ({count_text(rows[0][1])}), "
        f"deretter {str(rows[1][0]).lower()} ({count_text(rows[1][1])})."
    )


def _areas(t: Tables) -> str | None:
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


def _cross(t: Tables) -> str | None:
    table = t.get("fylkesgrense")
    if table is None:
        return None
    refs = {r for ids in table.ids for r in ids}
    return f"{number(len(refs))} ordninger har deltakere fra mer enn ett fylke."


def _new(t: Tables, new_since: int | None) -> str | None:
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


def _staff(t: Tables, total: int) -> str | None:
    table = t.get("arsverk")
    if table is None or not table.rows:
        return None
    whole = table.rows[-1]
    return (
        f"Årsverk er oppgitt for {number(table.n)} av {number(total)} ordninger, til "
        f"sammen {number(float(whole[2]), 1)} årsverk."
    )


def _lacking(t: Tables) -> str | None:
    table = t.get("datakvalitet_mangler")
    if table is None or not table.rows:
        return None
    counts = {str(r[0]): as_number(r[1]) for r in table.rows}
    parts = [
        f"{number(counts[k])} {k}"
        for k in ("etableringsår", "vertskommune", "juridisk form", "årsverk")
        if counts.get(k) is not None
    ]
    if not parts:
        return None
    return f"Av de {number(table.n)} ordningene mangler {join_nb(parts)}."


def _communities(t: Tables) -> str | None:
    table = t.get("nettverk_fellesskap")
    if table is None or not table.rows:
        return None
    return (
        f"Nettverksanalysen deler kommunene i {number(len(table.rows))} fellesskap som "
        "samarbeider mer med hverandre enn med andre."
    )
