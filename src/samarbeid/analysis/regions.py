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

import numpy as np
import pandas as pd

from samarbeid.reference.gazetteer import normalise_name

from .arrays import distinct, distinct_counts
from .cache import counted as cached_counted
from .members import membership_index
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
    counted = cached_counted(data)
    info = {
        str(r): (str(n), str(f))
        for r, n, f in zip(counted["ref"], counted["name"], counted["legal_form"], strict=True)
    }
    names = dict(zip(scope["entity"], scope["name"], strict=True))
    found = _found_per_region(data, regions, info)
    rows: list[list[Any]] = []
    ids: list[list[str]] = []
    touched_all: set[str] = set()
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


def _found_per_region(
    data: MappingData,
    regions: dict[str, list[tuple[str, str, str]]],
    info: dict[str, tuple[str, str]],
) -> dict[str, tuple[list[str], list[str], list[str], dict[frozenset[str], list[str]]]]:
    """Per region: arrangements inside it, with others, its councils and its local clusters
    (refs in the order of the counted arrangements), from the shared membership index."""
    index = membership_index(data)
    region_names = list(regions)
    region_position = {e: i for i, entries in enumerate(regions.values()) for _, e, _ in entries}
    municipal = index.municipal & (index.entity != "")
    entity_codes, entities = pd.factorize(index.entity[municipal])
    entities = [str(e) for e in entities]
    width = max(len(entities), 1)
    # One entry per (arrangement, participating municipality), sorted by arrangement.
    pairs = distinct(index.ref[municipal] * width + entity_codes)
    pair_ref, pair_entity = pairs // width, pairs % width
    refs = len(index.refs)
    participants = np.bincount(pair_ref, minlength=refs)
    in_scope = set(data.municipalities["entity"])
    mapped = np.asarray([e in in_scope for e in entities], dtype=np.int64)
    local = np.bincount(pair_ref, weights=mapped[pair_entity], minlength=refs).astype(np.int64)
    region_of = np.asarray([region_position.get(e, -1) for e in entities], dtype=np.int64)
    region = region_of[pair_entity]
    has_region = region >= 0
    # Per (arrangement, region): how many of its participants are in the region.
    region_width = max(len(regions), 1)
    keys, shared = distinct_counts(pair_ref[has_region] * region_width + region[has_region])
    key_ref, key_region = keys // region_width, keys % region_width
    inside = shared == participants[key_ref]
    council = np.asarray([_is_council(info[r][1], info[r][0]) for r in index.refs], dtype=bool)
    sizes = np.asarray([len(entries) for entries in regions.values()], dtype=np.int64)
    is_council = (
        council[key_ref] & (shared * 2 > local[key_ref]) & (shared * 2 >= sizes[key_region])
    )
    bounds = np.searchsorted(pair_ref, np.arange(refs + 1))
    found: dict[str, tuple[list[str], list[str], list[str], dict[frozenset[str], list[str]]]] = {
        name: ([], [], [], {}) for name in region_names
    }
    for ref, region_code, within, is_region_council in zip(
        key_ref.tolist(), key_region.tolist(), inside.tolist(), is_council.tolist(), strict=True
    ):
        ref_text = index.refs[ref]
        in_region, with_others, councils, clusters = found[region_names[region_code]]
        if within:
            in_region.append(ref_text)
            if participants[ref] in CLUSTER_SIZES:
                group = frozenset(entities[e] for e in pair_entity[bounds[ref] : bounds[ref + 1]])
                clusters.setdefault(group, []).append(ref_text)
        else:
            with_others.append(ref_text)
        if is_region_council:
            councils.append(ref_text)
    return found
