"""Content of cooperation (nivi-method.md section 4, analyses 7, 9, 10 and 12).

Participation per task area, legal forms (and the legal-form groups of the report's Figure 3.1),
sectors and service structure. Only counted arrangements enter; an unknown legal form or sector is
shown as its own row, never as "none".
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from samarbeid.reference.vocab import LEGAL_FORMS, SECTORS

from .cache import counted as _counted
from .cache import memoised
from .frames import _ids, _ids_by, _participation, _pct, _scope
from .model import MappingData, Table

UNKNOWN_FORM = "Ikke kjent"
UNPLACED_SECTOR = "Ikke plassert"

#: Figure 3.1 of the Buskerud report (legal-forms.md section 4): group label → legal-form codes.
#: "vertskommune-nemnd" (§ 20-3) is not in the figure (none in Buskerud); it gets its own row
#: only where a mapping has one.
LEGAL_FORM_GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Selskaper (IKS og AS)", ("iks", "as")),
    ("Administrativt vertskommunesamarbeid", ("vertskommune",)),
    ("Vertskommune med felles folkevalgt nemnd", ("vertskommune-nemnd",)),
    ("Kommunalt oppgavefellesskap og interkommunalt politisk råd", ("ko", "ipr")),
    ("Styre etter § 27", ("styre-27",)),
    ("Avtalebasert samarbeid (kjøp/salg)", ("avtale",)),
    ("Annet", ("forening", "stiftelse", "plansamarbeid", "sa", "ans", "annet")),
)
OPTIONAL_GROUPS = frozenset({"Vertskommune med felles folkevalgt nemnd"})
#: Forms under the Local Government Act (kommuneloven).
KOMMUNELOVEN_FORMS = frozenset({"vertskommune", "vertskommune-nemnd", "ko", "ipr", "styre-27"})
#: Forms without any governing body with elected members.
NO_ELECTED_BODY_FORMS = frozenset({"vertskommune", "avtale"})

#: Analysis 10: the selected services and the task areas (task_areas.csv) that stand for them.
SERVICES: tuple[tuple[str, tuple[int, ...]], ...] = (
    ("IKT", (13,)),
    ("Lønn", (29,)),
    ("Regnskap", (36,)),
    ("Revisjon", (7,)),
    ("Kontrollutvalgssekretariat", (12,)),
    ("Legevakt", (8,)),
    ("Legevaktsentral", (3,)),
    ("Miljørettet helsevern og samfunnsmedisin", (18, 20)),
    ("Barnevern", (19,)),
    ("Barnevernvakt", (4,)),
    ("NAV", (16,)),
    ("Krisesenter", (5,)),
    ("PP-tjeneste", (17,)),
    ("Landbrukskontor", (26,)),
    ("IUA (akutt forurensning)", (2,)),
    ("Brannvesen", (15,)),
    ("110-sentral", (1,)),
    ("Renovasjon", (11,)),
    ("Plan", (40,)),
    ("Byggesak", (42,)),
    ("Kart og oppmåling (GIS)", (39,)),
)


def _area_pairs(data: MappingData) -> pd.DataFrame:
    """(ref, nr) for every task area of every counted arrangement (computed once per mapping)."""
    return memoised(data, "area_pairs", lambda: _compute_area_pairs(data))


def _compute_area_pairs(data: MappingData) -> pd.DataFrame:
    counted = _counted(data)
    pairs = pd.DataFrame(
        {
            "ref": counted["ref"].astype(str),
            "nr": counted["task_areas"].map(lambda t: tuple(t or ())),
        }
    ).explode("nr")
    pairs = pairs[pairs["nr"].notna()]
    return pairs.astype({"nr": int}).drop_duplicates()


def _frequency_group(count: int, total: int) -> str | None:
    """hyppig > 70 %, vanlig 30–70 %, sjelden < 30 % (exact arithmetic, no rounding)."""
    if not total:
        return None
    if count * 100 > 70 * total:
        return "hyppig"
    if count * 100 >= 30 * total:
        return "vanlig"
    return "sjelden"


def task_areas(data: MappingData) -> Table:
    """Analysis 7: for each task area, the mapped municipalities taking part in at least one
    counted arrangement in it, with the method's frequency group and the reference mapping."""
    counted = _counted(data)
    scope_count = len(_scope(data))
    pairs = _area_pairs(data)
    part = _participation(data)
    municipalities = pairs.merge(part, on="ref")[["nr", "entity"]].drop_duplicates()
    per_area = municipalities.groupby("nr").size()
    refs_by = _ids_by(pairs, "nr")
    rows, ids = [], []
    for nr, name, reference in zip(
        data.task_areas["nr"],
        data.task_areas["name"],
        data.task_areas["reference_pct"],
        strict=True,
    ):
        nr = int(nr)
        count = int(per_area.get(nr, 0))
        ref_pct = None if reference is None or pd.isna(reference) else float(reference)
        rows.append(
            [
                nr,
                str(name),
                count,
                _pct(count, scope_count),
                _frequency_group(count, scope_count),
                ref_pct,
            ]
        )
        ids.append(refs_by.get(nr, []))
    order = sorted(range(len(rows)), key=lambda i: rows[i][0])
    none = counted.loc[counted["task_areas"].map(lambda t: len(t or ()) == 0), "ref"]
    return Table(
        id="oppgaveomrader",
        title="Deltakelse per oppgaveområde",
        n=scope_count,
        columns=["nr", "oppgaveomrade", "kommuner", "prosent", "gruppe", "referanse_prosent"],
        rows=[rows[i] for i in order],
        ids=[ids[i] for i in order],
        missing=_ids(none),
        missing_reason="Uten oppgaveområde blant de 45 (f.eks. regionråd, som ikke har noe).",
        caption=(
            "Antall og andel av de kartlagte kommunene som deltar i minst én tellende ordning på "
            f"hvert oppgaveområde (n = {scope_count} kommuner). Gruppe: hyppig over 70 %, vanlig "
            "30–70 %, sjelden under 30 %. Referanse: Trøndelag 2020."
        ),
        note=(
            "Ordninger uten oppgaveområde (som regionale politiske råd) har legitimt ingen av de "
            "45 områdene. Grensetilfeller plasseres skjønnsmessig i rapporten; her gjelder grensene "
            "eksakt."
        ),
    )


def _form_counts(data: MappingData) -> tuple[pd.DataFrame, dict[str, list[str]]]:
    counted = _counted(data)
    frame = pd.DataFrame(
        {"ref": counted["ref"].astype(str), "form": counted["legal_form"].fillna("").astype(str)}
    )
    return frame, _ids_by(frame, "form")


def legal_forms(data: MappingData) -> Table:
    """Analysis 9: counted arrangements by legal form, with unknown forms as their own row."""
    frame, by_form = _form_counts(data)
    n = len(frame)
    codes = LEGAL_FORMS.codes()
    known = [c for c in by_form if c]
    known.sort(key=lambda c: (-len(by_form[c]), codes.index(c) if c in codes else len(codes), c))
    rows, ids = [], []
    for code in known:
        term = LEGAL_FORMS.by_code.get(code)
        rows.append([term.nb if term else code, len(by_form[code]), _pct(len(by_form[code]), n)])
        ids.append(by_form[code])
    unknown = by_form.get("", [])
    rows.append([UNKNOWN_FORM, len(unknown), _pct(len(unknown), n)])
    ids.append(unknown)
    return Table(
        id="juridisk_form",
        title="Juridisk organisering",
        n=n,
        columns=["form", "ordninger", "prosent"],
        rows=rows,
        ids=ids,
        caption=(
            f"Tellende ordninger etter juridisk form (n = {n}); prosent av alle tellende ordninger. "
            "«Ikke kjent» er ordninger der formen ikke er registrert."
        ),
        note=_form_shares_note(by_form),
    )


def _form_shares_note(by_form: dict[str, list[str]]) -> str:
    known = sum(len(v) for k, v in by_form.items() if k)
    unknown = len(by_form.get("", []))
    if not known:
        return f"Ingen ordninger har kjent juridisk form ({unknown} ukjent)."
    law = sum(len(v) for k, v in by_form.items() if k in KOMMUNELOVEN_FORMS)
    administrative = sum(len(v) for k, v in by_form.items() if k in NO_ELECTED_BODY_FORMS)
    return (
        f"Av {known} ordninger med kjent juridisk form er {_pct(law, known)} % organisert etter "
        f"kommuneloven ({law}), og {_pct(administrative, known)} % har ikke noe styringsorgan med "
        f"folkevalgte (administrativt vertskommunesamarbeid og avtalebasert: {administrative}). "
        f"{unknown} ordninger med ukjent form er ikke med i disse andelene."
    )


def legal_form_groups(data: MappingData) -> Table:
    """Analysis 9: the legal-form groups of the report's Figure 3.1, plus unknown."""
    frame, by_form = _form_counts(data)
    n = len(frame)
    grouped: set[str] = set()
    rows, ids = [], []
    for label, forms in LEGAL_FORM_GROUPS:
        refs = sorted(r for f in forms for r in by_form.get(f, []))
        grouped.update(forms)
        if label in OPTIONAL_GROUPS and not refs:
            continue
        rows.append([label, len(refs), _pct(len(refs), n)])
        ids.append(refs)
    # Codes outside the vocabulary go to "Annet" rather than vanish.
    stray = sorted(r for f, v in by_form.items() if f and f not in grouped for r in v)
    if stray:
        annet = next(i for i, row in enumerate(rows) if row[0] == "Annet")
        ids[annet] = sorted([*ids[annet], *stray])
        rows[annet] = ["Annet", len(ids[annet]), _pct(len(ids[annet]), n)]
    unknown = by_form.get("", [])
    rows.append([UNKNOWN_FORM, len(unknown), _pct(len(unknown), n)])
    ids.append(unknown)
    return Table(
        id="juridisk_form_gruppe",
        title="Juridisk organisering, hovedgrupper",
        n=n,
        columns=["gruppe", "ordninger", "prosent"],
        rows=rows,
        ids=ids,
        caption=(
            f"Tellende ordninger etter hovedgruppe av juridisk form (n = {n}); prosent av alle "
            "tellende ordninger. Annet: foreninger, stiftelser, plansamarbeid etter pbl. § 9-2, "
            "samvirke, ansvarlige selskap og andre former."
        ),
        note=_form_shares_note(by_form),
    )


def sectors(data: MappingData) -> Table:
    """Analysis 12: counted arrangements by sector, with unplaced ones as their own row."""
    counted = _counted(data)
    frame = pd.DataFrame(
        {"ref": counted["ref"].astype(str), "sector": counted["sector"].fillna("").astype(str)}
    )
    by_sector = _ids_by(frame, "sector")
    codes = SECTORS.codes()
    known = [c for c in by_sector if c]
    known.sort(key=lambda c: (-len(by_sector[c]), codes.index(c) if c in codes else len(codes), c))
    rows: list[list[Any]] = []
    ids: list[list[str]] = []
    for code in known:
        term = SECTORS.by_code.get(code)
        rows.append([term.nb if term else code, len(by_sector[code])])
        ids.append(by_sector[code])
    unplaced = by_sector.get("", [])
    rows.append([UNPLACED_SECTOR, len(unplaced)])
    ids.append(unplaced)
    return Table(
        id="sektor",
        title="Samarbeid etter sektor",
        n=len(frame),
        columns=["sektor", "ordninger"],
        rows=rows,
        ids=ids,
        caption=(
            f"Tellende ordninger etter sektor (n = {len(frame)}). «Ikke plassert» er ordninger uten "
            "sektor, som de regionale politiske rådene."
        ),
    )


def service_structure(data: MappingData) -> Table:
    """Analysis 10: for selected services, the joint arrangements in the area, the mapped
    municipalities they cover, and the municipalities presumed to run the service alone."""
    scope_count = len(_scope(data))
    pairs = _area_pairs(data)
    part = _participation(data)
    with_scope = pairs[pairs["ref"].isin(part["ref"].unique())]
    covered = with_scope.merge(part, on="ref")[["nr", "ref", "entity"]]
    rows, ids = [], []
    for label, nrs in SERVICES:
        refs = _ids(with_scope.loc[with_scope["nr"].isin(nrs), "ref"])
        municipalities = covered.loc[covered["nr"].isin(nrs), "entity"].nunique()
        alone = scope_count - int(municipalities)
        rows.append([label, len(refs) + alone, alone, len(refs), int(municipalities)])
        ids.append(refs)
    return Table(
        id="tjenestestruktur",
        title="Tjenestestruktur for utvalgte tjenester",
        n=scope_count,
        columns=["tjeneste", "enheter", "egen_kommune", "felles", "kommuner_dekket"],
        rows=rows,
        ids=ids,
        caption=(
            f"For utvalgte tjenester: felles = tellende ordninger på tjenestens oppgaveområde med "
            f"deltakere i området; kommuner_dekket = kartlagte kommuner (av {scope_count}) med i minst "
            "én av dem; egen_kommune = de øvrige; enheter = felles + egen_kommune."
        ),
        note=(
            "egen_kommune er utledet: kommuner som ikke deltar i noen tellende ordning for tjenesten "
            "antas å løse den selv (de kan også kjøpe den utenfor definisjonen eller mangle den). "
            "Miljørettet helsevern og samfunnsmedisin er slått sammen (oppgaveområde 18 og 20)."
        ),
    )
