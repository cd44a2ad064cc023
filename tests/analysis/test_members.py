"""The shared membership index: the vectorised analyses built on it give what the straightforward
per-row computations (the code they replaced) give, on a random mapping with ended arrangements,
non-municipal participants, duplicated membership rows, participants outside the area, hosts
outside the area and arrangements above the network's cap."""

from __future__ import annotations

import random

import numpy as np
import pandas as pd
import pytest
from rapidfuzz import fuzz

from samarbeid.analysis import extent, hosts, network, quality, regions
from samarbeid.analysis.arrays import distinct, distinct_counts
from samarbeid.analysis.members import membership_index
from samarbeid.analysis.model import MappingData
from tests.analysis.factory import make_data, municipality

WORDS = ["legevakt", "barnevern", "brann", "IKT", "NAV", "revisjon", "arkiv", "PPT", "Vest"]


def _random_mapping(seed: int) -> MappingData:
    rng = random.Random(seed)
    scope = [
        municipality(str(3000 + i), f"K{i}", 1000 + i, region=rng.choice(["A", "B", "C", ""]))
        for i in range(40)
    ]
    outside = [municipality(str(3400 + i), f"U{i}", 900, "34", "Innlandet") for i in range(6)]
    numbers = [m["number"] for m in scope + outside]
    arrangements = []
    for i in range(600):
        members: list = rng.sample(numbers, rng.choice([1, 2, 2, 3, 3, 4, 6, 9, 14]))
        if rng.random() < 0.05:
            members.append(members[0])  # the same municipality listed twice
        if rng.random() < 0.1:
            members.append({"name": rng.choice(["Viken fk", "Helse Sør-Øst"]), "kind": "annen"})
        words = rng.sample(WORDS, rng.randint(1, 3))
        arrangements.append(
            {
                # Refs whose text order differs from the order of the arrangements.
                "ref": f"R{rng.randint(0, 99)}-{i}",
                "name": " ".join(words) + ("" if rng.random() < 0.3 else f" {i % 7}"),
                "members": members,
                "status": rng.choice(["telles"] * 8 + ["avsluttet", "utenfor"]),
                "host": rng.choice([*[m for m in members if isinstance(m, str)], None]),
                "legal_form": rng.choice(["", "ipr", "ko", "iks", "avtale"]),
                "participant_count_stated": rng.choice([None, 2, 3, 9]),
                "completeness": rng.choice(["fullstendig", "fullstendig", "delvis", "gruppe"]),
            }
        )
    return make_data(scope, arrangements, outside=outside)


@pytest.fixture(params=[1, 2])
def data(request) -> MappingData:
    return _random_mapping(request.param)


def _municipal_sets(data: MappingData, *, in_area: bool) -> dict[str, set[str]]:
    """Per counted arrangement: its municipal participants (only those in the area if asked)."""
    counted = set(data.counted()["ref"])
    scope = set(data.municipalities["entity"])
    out: dict[str, set[str]] = {r: set() for r in data.counted()["ref"]}
    for row in data.memberships.to_dict("records"):
        municipal = row["ref"] in counted and row["kind"] == "kommune" and row["entity"]
        if municipal and (not in_area or (row["in_scope"] and row["entity"] in scope)):
            out[row["ref"]].add(row["entity"])
    return out


def test_distinct_and_counts_match_numpy() -> None:
    values = np.random.default_rng(1).integers(0, 50, 1000)
    assert np.array_equal(distinct(values), np.unique(values))
    keys, counts = distinct_counts(values)
    expected_keys, expected_counts = np.unique(values, return_counts=True)
    assert np.array_equal(keys, expected_keys) and np.array_equal(counts, expected_counts)
    assert len(distinct(np.array([], dtype=np.int64))) == 0
    assert len(distinct_counts(np.array([], dtype=np.int64))[1]) == 0


def test_index_holds_the_counted_memberships(data: MappingData) -> None:
    index = membership_index(data)
    counted = data.counted_memberships()
    assert list(index.refs) == list(data.counted()["ref"])
    assert list(index.refs[index.ref]) == list(counted["ref"])
    assert list(index.entity) == list(counted["entity"])
    positions = {e: i for i, e in enumerate(data.municipalities["entity"])}
    assert list(index.scope_position) == [positions.get(e, -1) for e in counted["entity"]]
    group = np.arange(len(index.ref)) % 7
    expected = [sorted({str(r) for r in index.refs[index.ref[group == g]]}) for g in range(8)]
    assert index.refs_per_group(group, index.ref, 8) == expected
    assert index.sorted_refs(index.ref) == sorted(set(counted["ref"]))


def test_network_ids_are_the_shared_arrangements(data: MappingData) -> None:
    pairs, communities, shares = network.network_tables(data, max_participants=8)
    members = {r: e for r, e in _municipal_sets(data, in_area=True).items() if 2 <= len(e) <= 8}
    entity = dict(zip(data.municipalities["name"], data.municipalities["entity"], strict=True))

    def shared(a: str, b: str) -> list[str]:
        return sorted(r for r, e in members.items() if {entity[a], entity[b]} <= e)

    assert pairs.rows and pairs.n == len(members)
    for (a, b, weight), ids in zip(pairs.rows, pairs.ids, strict=True):
        assert ids == shared(a, b) and weight == len(ids)
    for (a, b, _), ids in zip(shares.rows, shares.ids, strict=True):
        assert ids == shared(a, b)
    for row, ids in zip(communities.rows, communities.ids, strict=True):
        group = {entity[name] for name in row[1].split(", ")}
        assert ids == sorted(r for r, e in members.items() if e <= group)


def test_served_by_another_counts_as_before(data: MappingData) -> None:
    ranked, _, _ = hosts._host_groups(data)
    known = {r: h["key"] for h in ranked for r in h["refs"]}
    expected: dict[str, int] = {}
    for ref, entities in _municipal_sets(data, in_area=False).items():
        for e in entities:
            if ref in known and known[ref] != e:
                expected[e] = expected.get(e, 0) + 1
    assert hosts._served_by_another(data, ranked) == expected


def test_regions_found_as_before(data: MappingData) -> None:
    scope = data.municipalities
    by_region: dict[str, list[tuple[str, str, str]]] = {}
    for e, n, r in zip(scope["entity"], scope["number"], scope["region"], strict=True):
        if r:
            by_region.setdefault(r, []).append((n, e, ""))
    counted = data.counted()
    info = dict(
        zip(counted["ref"], zip(counted["name"], counted["legal_form"], strict=True), strict=True)
    )
    region_of = {e: r for r, entries in by_region.items() for _, e, _ in entries}
    expected = {r: ([], [], [], {}) for r in by_region}
    for ref, parts in _municipal_sets(data, in_area=False).items():
        local = len(parts & set(scope["entity"]))
        for region in {region_of[e] for e in parts if e in region_of}:
            shared = sum(1 for e in parts if region_of.get(e) == region)
            inside, outside, councils, clusters = expected[region]
            (inside if shared == len(parts) else outside).append(ref)
            if shared == len(parts) and len(parts) in (2, 3):
                clusters.setdefault(frozenset(parts), []).append(ref)
            council = regions._is_council(info[ref][1], info[ref][0])
            if council and shared * 2 > local and shared * 2 >= len(by_region[region]):
                councils.append(ref)
    assert regions._found_per_region(data, by_region, info) == expected


def test_participant_counts_as_before(data: MappingData) -> None:
    table = quality.participant_counts(data)
    members = data.counted_memberships()
    expected = []
    for row in data.counted().to_dict("records"):
        rows = members[members["ref"] == row["ref"]]
        listed_all, municipal = len(rows), int((rows["kind"] == "kommune").sum())
        stated = row["participant_count_stated"]
        stated = None if stated is None or pd.isna(stated) else int(stated)
        differs = stated is not None and stated not in (municipal, listed_all)
        if differs or row["completeness"] in ("delvis", "gruppe"):
            expected.append([row["ref"], stated, listed_all if stated == listed_all else municipal])
    assert [[r[0], r[2], r[3]] for r in table.rows] == expected


def test_new_since_participants_as_before(data: MappingData) -> None:
    data.arrangements["established_from"] = data.arrangements["established_to"] = 2020
    table = extent.new_since(data, 2015)
    assert table.rows
    for ref, _, _, participants in table.rows:
        names = data.memberships.loc[data.memberships["ref"] == ref, "name"].tolist()
        assert participants == "; ".join(dict.fromkeys(n for n in names if n))


def _reference_duplicates(data: MappingData) -> list[list]:
    """Suspected duplicates the way the per-row code found them (sets, Python windows)."""
    counted = data.counted()
    refs, names = list(counted["ref"]), list(counted["name"])
    keys = [quality._normalise(n) for n in names]
    tokens: dict[str, set[str]] = {}
    for row in data.counted_memberships().to_dict("records"):
        token = row["entity"] if row["kind"] == "kommune" and row["entity"] else None
        token = token or f"{row['kind']}:{quality._normalise(row['name'])}"
        tokens.setdefault(row["ref"], set()).add(token)

    def window(items: list[int], texts: list[str]) -> set[tuple[int, int]]:
        order = sorted(items, key=lambda i: (texts[i], i))
        return {
            (min(i, j), max(i, j))
            for p, i in enumerate(order)
            for j in order[p + 1 : p + 1 + quality.WINDOW]
        }

    def blocks(groups: dict) -> set[tuple[int, int]]:
        out: set[tuple[int, int]] = set()
        for items in groups.values():
            if len(items) > quality.BLOCK_ALL_PAIRS:
                out |= window(items, keys)
            else:
                out |= {(i, j) for p, i in enumerate(items) for j in items[p + 1 :]}
        return out

    def score(pairs: set[tuple[int, int]], minimum: float) -> dict[tuple[int, int], float]:
        scores = {
            (i, j): fuzz.ratio(keys[i], keys[j], score_cutoff=minimum * 100) / 100
            for i, j in pairs
            if keys[i] and keys[j]
        }
        return {pair: s for pair, s in scores.items() if s}

    by_set: dict = {}
    by_word: dict = {}
    for i, key in enumerate(keys):
        if tokens.get(refs[i]):
            by_set.setdefault(frozenset(tokens[refs[i]]), []).append(i)
        if key:
            by_word.setdefault(key.split()[0], []).append(i)
    found = {
        pair: (s, "samme deltakere")
        for pair, s in score(blocks(by_set), quality.SAME_PARTICIPANTS_MIN).items()
        if quality._differing_words_similar(keys[pair[0]], keys[pair[1]])
    }
    everything = list(range(len(keys)))
    candidates = blocks(by_word) | window(everything, keys)
    candidates |= window(everything, [k[::-1] for k in keys])
    for pair, s in score(candidates - set(found), quality.NAME_MIN).items():
        found[pair] = (s, "nesten likt navn")
    ordered = sorted(found.items(), key=lambda kv: (-kv[1][0], refs[kv[0][0]], refs[kv[0][1]]))
    return [
        [refs[i], names[i], refs[j], names[j], round(s, 2), why] for (i, j), (s, why) in ordered
    ]


def test_duplicates_as_before(data: MappingData) -> None:
    rows = quality.duplicates(data).rows
    assert rows
    assert rows == _reference_duplicates(data)
