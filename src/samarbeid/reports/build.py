"""Arrange the analyses of a mapping into the report of the method (nivi-method.md §4).

Chapters follow NIVI's reports: scope and delimitation, extent and structure, content and
organisation, the regions, the sectors, data quality. "Hovedfunn" is a list of template
sentences filled only from the tables' figures; a sentence whose figures are missing is left out,
never guessed.

The parts live beside this module: the scope chapter in :mod:`.scope`, the key findings in
:mod:`.key_findings`, the figures of each table in :mod:`.table_figures`. Here they are put
together into the mapping report, a municipality's overview and the comparison of two mappings.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from samarbeid.analysis.model import MappingData, Table

from .fmt import date_nb, join_nb, number, plain, plural, slug
from .key_findings import findings
from .model import Chapter, Report, Section, number_report
from .scope import STATUS_LABELS, scope_intro, scope_tables
from .table_figures import figures_for
from .table_values import as_number, column, table_by_id, values

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
        section = Section(table, figures_for(table, data, tables))
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

    before, after = _cell(rows, "Tellede ordninger", 1), _cell(rows, "Tellede ordninger", 2)
    if as_number(before) is not None and as_number(after) is not None:
        change = after - before
        sign = "+" if change > 0 else ("−" if change < 0 else "±")
        out.append(
            f"Antallet tellende ordninger gikk fra {number(before)} til {number(after)} "
            f"({sign}{number(abs(change))})."
        )
    new, ended = _cell(rows, "Nye ordninger", 2), _cell(rows, "Avsluttede ordninger", 1)
    changed = _cell(rows, "Ordninger med endrede opplysninger", 2)
    members = _cell(rows, "Ordninger med endrede deltakere", 2)
    parts = []
    if as_number(new) is not None:
        parts.append(f"{plural(new)} er {'ny' if new == 1 else 'nye'}")
    if as_number(ended) is not None:
        parts.append(f"{number(ended)} er avsluttet")
    if as_number(changed) is not None:
        parts.append(f"{number(changed)} har endrede opplysninger")
    if as_number(members) is not None:
        parts.append(f"{number(members)} har endrede deltakere")
    if parts:
        sentence = join_nb(parts)
        out.append(sentence[:1].upper() + sentence[1:] + ".")
    mean_a = _cell(rows, "Gjennomsnittlig antall ordninger per kommune", 1)
    mean_b = _cell(rows, "Gjennomsnittlig antall ordninger per kommune", 2)
    if as_number(mean_a) is not None and as_number(mean_b) is not None:
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


def _cell(rows: dict[str, list[Any]], label: str, i: int) -> Any:
    """Column ``i`` of the overview row called ``label``, or None."""
    row = rows.get(label)
    return plain(row[i]) if row is not None and i < len(row) else None


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


__all__ = ["build_comparison", "build_overview", "build_report"]
