"""Host distribution (nivi-method.md §4, analysis 8).

Only counted arrangements with a *known* municipal host enter the counts. A blank host is unknown
(listed as missing), never "no host"; an arrangement recorded with no host ("ingen") is neither
hosted nor missing.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from .arrays import distinct
from .cache import counted as cached_counted
from .cache import memoised
from .members import membership_index
from .model import MappingData, Table
from .overview import entity_names, host_display, nb_key, percent, plain, sorted_refs

TOP_N = (1, 3, 5)
THRESHOLD_PCT = 80.0


def _hosted(data: MappingData) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """(counted arrangements with a known municipal host, with unknown host, with none/other)."""
    counted = cached_counted(data)
    status = counted["host_status"]
    known = counted[
        (status == "kommune") & ((counted["host_entity"] != "") | (counted["host_number"] != ""))
    ]
    unknown = counted[status == ""]
    other = counted[~counted.index.isin(known.index) & ~counted.index.isin(unknown.index)]
    return known, unknown, other


def _host_groups(data: MappingData) -> tuple[list[dict[str, Any]], pd.DataFrame, pd.DataFrame]:
    """One dict per host (key, name, number, refs, in_scope), ranked by hosted count desc.

    Computed once per mapping (both host tables use it); callers must not change it."""
    return memoised(data, "host_groups", lambda: _compute_host_groups(data))


def _compute_host_groups(
    data: MappingData,
) -> tuple[list[dict[str, Any]], pd.DataFrame, pd.DataFrame]:
    known, unknown, other = _hosted(data)
    names = entity_names(data)
    scope = set(data.municipalities["entity"])
    columns = ["host_status", "host_entity", "host_number", "host_name"]
    values = {c: known[c].tolist() for c in columns}
    hosts: dict[str, dict[str, Any]] = {}
    for i, (ref, entity, number) in enumerate(
        zip(known["ref"].tolist(), values["host_entity"], values["host_number"], strict=True)
    ):
        key = str(entity) or f"nr:{number}"
        entry = hosts.get(key)
        if entry is None:
            row = {c: values[c][i] for c in columns}
            entry = hosts[key] = {
                "key": key,
                "entity": str(entity),
                "name": host_display(row, names, data.cutoff),
                "number": str(number),
                "refs": [],
                "in_scope": str(entity) in scope,
            }
        entry["refs"].append(str(ref))
    ranked = sorted(
        hosts.values(),
        key=lambda h: (-len(h["refs"]), not h["in_scope"], nb_key(h["name"]), h["key"]),
    )
    return ranked, unknown, other


def _served_by_another(data: MappingData, ranked: list[dict[str, Any]]) -> dict[str, int]:
    """Per municipality entity: the counted arrangements it takes part in whose known host is
    another municipality."""
    index = membership_index(data)
    host_of = np.full(len(index.refs), "", dtype=object)  # host key per arrangement, "" none
    hosted = [(r, h["key"]) for h in ranked for r in h["refs"]]
    if hosted:
        refs, keys = zip(*hosted, strict=True)
        host_of[index.codes_of(refs)] = np.asarray(keys, dtype=object)
    municipal = index.municipal & (index.entity != "")
    entity_codes, entities = pd.factorize(index.entity[municipal])
    width = max(len(entities), 1)
    pairs = distinct(index.ref[municipal] * width + entity_codes)
    entities = np.asarray(entities, dtype=object)[pairs % width]
    hosts = host_of[pairs // width]
    served = (hosts != "") & (hosts != entities)
    return pd.Series(entities[served]).value_counts().to_dict()


def host_distribution(data: MappingData) -> Table:
    """Per municipality (inside and outside the area): counted arrangements it hosts, ranked."""
    ranked, unknown, other = _host_groups(data)
    n = sum(len(h["refs"]) for h in ranked)
    scope = data.municipalities
    population = {
        str(e): plain(p) for e, p in zip(scope["entity"], scope["population"], strict=True)
    }

    # Served by another host: counted arrangements with a known host that is another municipality.
    served = _served_by_another(data, ranked)

    rows: list[list[Any]] = []
    ids: list[list[str]] = []
    for h in ranked:
        rows.append(
            [
                h["name"],
                len(h["refs"]),
                h["number"],
                population.get(h["entity"]),
                h["in_scope"],
                served.get(h["entity"], 0),
            ]
        )
        ids.append(sorted_refs(h["refs"]))
    hosting = {h["entity"] for h in ranked}
    idle = scope[~scope["entity"].isin(hosting)]
    for entity, name, number in sorted(
        zip(idle["entity"], idle["name"], idle["number"], strict=True), key=lambda t: nb_key(t[1])
    ):
        rows.append(
            [
                str(name),
                0,
                str(number),
                population.get(str(entity)),
                True,
                served.get(str(entity), 0),
            ]
        )
        ids.append([])

    outside = [h for h in ranked if not h["in_scope"]]
    counted = len(cached_counted(data))
    note_parts = [
        f"{n} av {counted} tellede ordninger har kjent vertskommune",
        f"{len(unknown)} har ukjent vertskommune",
    ]
    if len(other):
        note_parts.append(
            f"{len(other)} har ingen vertskommune (eller en vert som ikke er en kommune)"
        )
    note = "; ".join(note_parts) + "."
    if outside:
        note += (
            " Vertskommuner utenfor området: "
            + ", ".join(f"{h['name']} ({len(h['refs'])})" for h in outside)
            + "."
        )
    if len(idle):
        note += f" {len(idle)} kommuner i området er ikke vertskommune for noen kjent ordning."
    return Table(
        id="vertskommuner",
        title="Vertskommuner",
        n=n,
        columns=[
            "kommune",
            "ordninger",
            "kommunenummer",
            "innbyggere",
            "i_omradet",
            "betjent_av_annen",
        ],
        rows=rows,
        ids=ids,
        missing=sorted_refs(unknown["ref"]),
        missing_reason="Vertskommune ikke kjent",
        caption=(
            "Antall tellede ordninger hver kommune er vertskommune for, i og utenfor området, "
            "rangert. Kommuner i området uten vertskap står til slutt med 0. "
            "«Betjent av annen» er antall ordninger kommunen deltar i der en annen kommune er "
            "vert. n = ordninger med kjent vertskommune."
        ),
        note=note,
    )


def host_concentration(data: MappingData) -> Table:
    """Share of hosting done by the top 1/3/5 hosts, the fewest hosts covering 80 %, idle ones."""
    ranked, unknown, _ = _host_groups(data)
    n = sum(len(h["refs"]) for h in ranked)
    rows: list[list[Any]] = []
    ids: list[list[str]] = []
    for top in TOP_N:
        chosen = ranked[:top]
        hosted = sum(len(h["refs"]) for h in chosen)
        label = (
            "Andel hos største vertskommune (%)"
            if top == 1
            else f"Andel hos de {top} største vertskommunene (%)"
        )
        rows.append([label, percent(hosted, n)])
        ids.append(sorted_refs(r for h in chosen for r in h["refs"]))
    cumulative, needed, covered = 0, 0, []
    if n:
        for h in ranked:
            cumulative += len(h["refs"])
            needed += 1
            covered.extend(h["refs"])
            if 100.0 * cumulative / n >= THRESHOLD_PCT:
                break
    rows.append(["Færrest kommuner som til sammen er vert for minst 80 %", needed])
    ids.append(sorted_refs(covered))
    rows.append(["Vertskommuner i alt", len(ranked)])
    ids.append(sorted_refs(r for h in ranked for r in h["refs"]))
    hosting = {h["entity"] for h in ranked}
    idle = data.municipalities[~data.municipalities["entity"].isin(hosting)]
    rows.append(["Kommuner i området som ikke er vertskommune", len(idle)])
    ids.append([])
    note = ""
    if len(idle):
        note = "Ikke vertskommune: " + ", ".join(sorted(map(str, idle["name"]), key=nb_key)) + "."
    return Table(
        id="vertskommune_konsentrasjon",
        title="Konsentrasjon av vertskommunerollen",
        n=n,
        columns=["mal", "verdi"],
        rows=rows,
        ids=ids,
        missing=sorted_refs(unknown["ref"]),
        missing_reason="Vertskommune ikke kjent",
        caption=(
            "Hvor mye av vertskapet de største vertskommunene står for, hvor få kommuner som til "
            "sammen er vert for minst 80 %, og hvor mange kommuner i området som ikke er vert "
            "for noen ordning. n = ordninger med kjent vertskommune."
        ),
        note=note,
    )
