"""Regional portraits (nivi-method.md §4, analysis 11).

Per region of the mapped area: its council(s), the arrangements entirely inside the region and
those with participants outside it, and local sub-clusters of two or three of its municipalities.
"What changed" needs two mappings: see :mod:`samarbeid.analysis.compare`.

Definitions (all over counted arrangements, municipal participants only):

* **Council** (regionråd): an arrangement with legal form IPR, KO or § 27 board — or with an
  unknown legal form and a name that says it is a regional or political council — whose
  participants in the area are mostly the region's municipalities: more than half of them belong
  to the region and they cover at least half of the region.
* **Inside the region**: every municipal participant (in or outside the area) is in the region.
* **With others**: at least one region municipality and at least one municipality outside it.
* **Local cluster**: a group of 2–3 region municipalities that are the *only* municipal
  participants of at least 3 arrangements; shown as "Flesberg + Rollag + Nore og Uvdal (7)".
"""

from __future__ import annotations

import re
from typing import Any

from samarbeid.registry.gazetteer import normalise_name

from .model import MappingData, Table
from .overview import legal_form_label, nb_key, sorted_refs

COUNCIL_FORMS = frozenset({"ipr", "ko", "styre-27"})
COUNCIL_NAME = re.compile(r"\bregionråd|\bpolitisk råd|\bikpr\b|\bipr\b")
CLUSTER_MIN = 3
CLUSTER_SIZES = (2, 3)


def _is_council(legal_form: str, name: str) -> bool:
    if legal_form in COUNCIL_FORMS:
        return True
    return not legal_form and bool(COUNCIL_NAME.search(normalise_name(name)))


def regional_portraits(data: MappingData) -> Table:
    """One row per region: councils, arrangements inside / with others, local sub-clusters."""
    scope = data.municipalities
    regions: dict[str, list[tuple[str, str, str]]] = {}
    for entity, name, number, region in zip(
        scope["entity"], scope["name"], scope["number"], scope["region"], strict=True
    ):
        if region:
            regions.setdefault(str(region), []).append((str(number), str(entity), str(name)))
    # Regions and their municipalities keep the order of the mapping's scope.
    counted = data.counted()
    members = data.counted_memberships()
    members = members[(members["kind"] == "kommune") & (members["entity"] != "")]
    participants: dict[str, set[str]] = {}
    for ref, entity in zip(members["ref"], members["entity"], strict=True):
        participants.setdefault(str(ref), set()).add(str(entity))
    in_scope = set(scope["entity"])
    info = {
        str(r): (str(n), str(f))
        for r, n, f in zip(counted["ref"], counted["name"], counted["legal_form"], strict=True)
    }
    names = dict(zip(scope["entity"], scope["name"], strict=True))

    rows: list[list[Any]] = []
    ids: list[list[str]] = []
    touched_all: set[str] = set()
    region_of = {e: region for region, entries in regions.items() for _, e, _ in entries}
    # Per region: (inside, with others, councils, clusters); one pass over the arrangements.
    found: dict[str, tuple[list[str], list[str], list[str], dict[frozenset[str], list[str]]]] = {
        region: ([], [], [], {}) for region in regions
    }
    for ref, (name, form) in info.items():
        parts = participants.get(ref, set())
        shared_count: dict[str, int] = {}
        for e in parts:
            if e in region_of:
                shared_count[region_of[e]] = shared_count.get(region_of[e], 0) + 1
        council = _is_council(form, name)
        local = len(parts & in_scope)
        for region, shared in shared_count.items():
            inside, outside, councils, clusters = found[region]
            if shared == len(parts):
                inside.append(ref)
                if len(parts) in CLUSTER_SIZES:
                    clusters.setdefault(frozenset(parts), []).append(ref)
            else:
                outside.append(ref)
            if council and shared * 2 > local and shared * 2 >= len(regions[region]):
                councils.append(ref)
    for region, entries in regions.items():
        inside, outside, councils, clusters = found[region]
        touched = inside + outside
        touched_all.update(touched)
        order = {e: i for i, (_, e, _) in enumerate(entries)}
        cluster_text = [
            " + ".join(names[e] for e in sorted(group, key=order.__getitem__)) + f" ({len(refs)})"
            for group, refs in sorted(
                clusters.items(),
                key=lambda kv: (-len(kv[1]), sorted(order[e] for e in kv[0])),
            )
            if len(refs) >= CLUSTER_MIN
        ]
        rows.append(
            [
                region,
                ", ".join(name for _, _, name in entries),
                "; ".join(info[r][0] for r in councils),
                "; ".join(legal_form_label(info[r][1]) for r in councils),
                len(inside),
                len(outside),
                "; ".join(cluster_text),
            ]
        )
        ids.append(sorted_refs(touched))
    unassigned = scope[scope["region"] == ""]
    note = ""
    if not regions:
        note = "Kartleggingen har ingen regioninndeling."
    elif len(unassigned):
        note = (
            "Kommuner uten region er ikke med: "
            + ", ".join(sorted(map(str, unassigned["name"]), key=nb_key))
            + "."
        )
    return Table(
        id="regioner",
        title="Regionale portretter",
        n=len(touched_all),
        columns=[
            "region",
            "kommuner",
            "regionrad",
            "regionrad_form",
            "ordninger_innad",
            "ordninger_med_andre",
            "lokale_klynger",
        ],
        rows=rows,
        ids=ids,
        caption=(
            "Per region: regionråd (IPR, kommunalt oppgavefellesskap eller § 27-styre der "
            "deltakerne i området i hovedsak er regionens kommuner) og form, ordninger der alle "
            "deltakende kommuner er i regionen, ordninger med kommuner utenfor regionen, og lokale "
            "klynger: 2–3 av regionens kommuner som er eneste deltakere i minst 3 ordninger "
            "(antall i parentes). n = tellede ordninger med minst én kommune i en region. "
            "Endringer over tid krever to kartlegginger (sammenligning)."
        ),
        note=note,
    )
