"""Data-quality tables (beyond the method, nivi-method.md §4), over counted arrangements.

* ``datakvalitet_mangler``: how many arrangements lack each key fact.
* ``datakvalitet_deltakertall``: stated participant count differs from the list, or the list is
  partial or a group.
* ``datakvalitet_duplikater``: suspected duplicates — the same participants and similar names
  (similarity ≥ 0.6), or nearly the same name (≥ 0.9), by rapidfuzz (normalised Indel similarity) on
  normalised names. Candidates come from blocks (same participant set; same first word; neighbours
  in the sorted order of the names and of the reversed names), never from all pairs, so 15 000
  arrangements take well under a second.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache
from itertools import pairwise

import numpy as np
import pandas as pd
from rapidfuzz import fuzz, process

from samarbeid.reference.vocab import COMPLETENESS

from .arrays import distinct
from .cache import counted as cached_counted
from .members import membership_index
from .model import MappingData, Table
from .overview import percent, plain, sorted_refs

SAME_PARTICIPANTS_MIN = 0.6
NAME_MIN = 0.9
#: Blocks up to this size are compared pairwise; larger ones by their sorted neighbours only.
BLOCK_ALL_PAIRS = 40
#: Neighbours compared in sorted orders (and inside large blocks).
WINDOW = 5
#: Company-form words that do not tell two arrangements apart ("Ringeriksbadet IKS" / "... AS").
FORM_WORDS = frozenset({"iks", "as", "asa", "sa", "ans", "da", "ks", "ba"})


def quality_tables(data: MappingData) -> list[Table]:
    """The three data-quality tables."""
    return [missing_facts(data), participant_counts(data), duplicates(data)]


def missing_facts(data: MappingData) -> Table:
    counted = data.counted()
    n = len(counted)
    checks: list[tuple[str, pd.Series]] = [
        (
            "etableringsår",
            counted["established_from"].isna()
            & counted["established_to"].isna()
            & ~counted["established_unspecified"].astype(bool),
        ),
        ("vertskommune", counted["host_status"] == ""),
        ("juridisk form", counted["legal_form"] == ""),
        ("årsverk", counted["arsverk"].isna()),
        ("sektor", counted["sector"] == ""),
        ("oppgaveområde", counted["task_areas"].map(lambda t: len(tuple(t)) == 0).astype(bool)),
    ]
    rows, ids = [], []
    for label, mask in checks:
        refs = sorted_refs(counted.loc[mask, "ref"]) if n else []
        rows.append([label, len(refs), percent(len(refs), n)])
        ids.append(refs)
    return Table(
        id="datakvalitet_mangler",
        title="Datakvalitet: manglende opplysninger",
        n=n,
        columns=["felt", "mangler", "prosent"],
        rows=rows,
        ids=ids,
        caption=(
            "Tellede ordninger som mangler etableringsår (eller periode), vertskommune, juridisk "
            "form, årsverk, sektor eller oppgaveområde. Ukjent er ikke det samme som «ingen»: en "
            "ordning registrert uten vertskommune mangler ikke vertskommune, og «over lengre tid "
            "(uspesifisert)» regnes som kjent. Regionråd har ofte verken sektor eller "
            "oppgaveområde. n = tellede ordninger."
        ),
    )


def participant_counts(data: MappingData) -> Table:
    counted = cached_counted(data)
    index = membership_index(data)
    codes = index.codes_of(counted["ref"].astype(str))
    listed_all = np.bincount(index.ref, minlength=len(index.refs))[codes]
    listed_municipal = np.bincount(index.ref[index.municipal], minlength=len(index.refs))[codes]
    stated = pd.to_numeric(counted["participant_count_stated"], errors="coerce").to_numpy(
        dtype=float, na_value=np.nan
    )
    partial = counted["completeness"].isin(["delvis", "gruppe"]).to_numpy()
    differs = ~np.isnan(stated) & (stated != listed_municipal) & (stated != listed_all)
    labels = {t.code: t.nb for t in COMPLETENESS.terms}
    rows, ids = [], []
    shown_rows = np.flatnonzero(differs | partial)
    shown = counted.iloc[shown_rows]
    for ref, name, stated_count, completeness, listed_all_i, listed_municipal_i in zip(
        shown["ref"].tolist(),
        shown["name"].tolist(),
        shown["participant_count_stated"].tolist(),
        shown["completeness"].tolist(),
        listed_all[shown_rows].tolist(),
        listed_municipal[shown_rows].tolist(),
        strict=True,
    ):
        ref = str(ref)
        stated_count = plain(stated_count)
        listed = listed_all_i if stated_count == listed_all_i else listed_municipal_i
        rows.append(
            [ref, str(name), stated_count, listed, labels.get(completeness, "Ikke oppgitt")]
        )
        ids.append([ref])
    return Table(
        id="datakvalitet_deltakertall",
        title="Datakvalitet: oppgitt og listet antall deltakere",
        n=len(counted),
        columns=["id", "ordning", "oppgitt", "listet", "liste"],
        rows=rows,
        ids=ids,
        caption=(
            "Tellede ordninger der oppgitt antall deltakere avviker fra antall listede kommuner, "
            "eller der listen bare er delvis eller en gruppe. Begge tall beholdes. "
            "n = tellede ordninger."
        ),
    )


_PUNCT = re.compile(r"[^\w]+")


def _normalise(name: str) -> str:
    return _PUNCT.sub(" ", str(name).casefold()).strip()


def _score(pairs: np.ndarray, keys: np.ndarray, minimum: float) -> dict[tuple[int, int], float]:
    """Similarity (rapidfuzz ratio, 0–1) of each candidate pair (code i * len(keys) + j) that
    reaches ``minimum``; pairs with a blank name are skipped.

    Only candidate pairs from the blocks are compared, never all pairs; rapidfuzz compares them
    in C (``cpdist``, pair by pair) and its cut-off stops a comparison as soon as the pair cannot
    reach ``minimum``."""
    width = max(len(keys), 1)
    first, second = pairs // width, pairs % width
    named = keys != ""
    keep = named[first] & named[second]
    first, second = first[keep], second[keep]
    if not len(first):
        return {}
    scores = process.cpdist(
        keys[first].tolist(),
        keys[second].tolist(),
        scorer=fuzz.ratio,
        score_cutoff=minimum * 100,
        dtype=np.float64,
    )
    hit = np.flatnonzero(scores)
    return {
        (i, j): score / 100
        for i, j, score in zip(
            first[hit].tolist(), second[hit].tolist(), scores[hit].tolist(), strict=True
        )
    }


def _differing_words_similar(x: str, y: str) -> bool:
    """Are the words that differ between two names alike too (or is one name inside the other)?

    Two services of the same municipalities often share all but one word ("NAV Hallingdal",
    "IKT Hallingdal"): the whole names look alike, the words that tell them apart do not."""
    wx, wy = set(x.split()) - FORM_WORDS, set(y.split()) - FORM_WORDS
    only_x, only_y = " ".join(sorted(wx - wy)), " ".join(sorted(wy - wx))
    if not only_x or not only_y:
        return True
    return fuzz.ratio(only_x, only_y) >= SAME_PARTICIPANTS_MIN * 100


def _pair_codes(first: np.ndarray, second: np.ndarray, width: int) -> np.ndarray:
    """Unordered pairs as codes i * width + j with i < j."""
    return np.minimum(first, second) * width + np.maximum(first, second)


def _window_pairs(items: np.ndarray, keys: np.ndarray, window: int) -> np.ndarray:
    """Each item with its ``window`` next neighbours in the order of their keys (pair codes).

    ``items`` ascending: equal keys keep that order."""
    order = items[np.argsort(keys[items], kind="stable")]
    parts = [_pair_codes(order[:-d], order[d:], len(keys)) for d in range(1, window + 1)]
    return np.concatenate(parts) if parts else np.array([], dtype=np.int64)


@cache
def _upper_triangle(size: int) -> tuple[np.ndarray, np.ndarray]:
    return np.triu_indices(size, 1)


def _block_pairs(blocks: Iterable[list[int]], keys: np.ndarray) -> np.ndarray:
    """Candidate pairs (codes) inside each block (items ascending): all pairs of a small block,
    sorted neighbours in a large one."""
    parts = [np.array([], dtype=np.int64)]
    for items in blocks:
        if len(items) < 2:
            continue
        members = np.asarray(items, dtype=np.int64)
        if len(items) <= BLOCK_ALL_PAIRS:
            upper, lower = _upper_triangle(len(items))
            parts.append(_pair_codes(members[upper], members[lower], len(keys)))
        else:
            parts.append(_window_pairs(members, keys, WINDOW))
    return distinct(np.concatenate(parts))


def _participant_sets(data: MappingData, refs: list[str]) -> list[bytes]:
    """Per counted arrangement, its set of participants as a comparable key (b"" for none).

    A participant is its municipality entity, or kind and normalised name for others."""
    index = membership_index(data)
    token = index.entity.copy()
    other = np.flatnonzero(~index.municipal | (index.entity == "") | pd.isna(index.entity))
    token[other] = [f"{index.kind[k]}:{_normalise(index.name[k])}" for k in other.tolist()]
    token_codes, tokens = pd.factorize(token)
    width = max(len(tokens), 1)
    pairs = distinct(index.ref * width + token_codes)
    owner, token_codes = pairs // width, pairs % width
    bounds = np.searchsorted(owner, np.arange(len(index.refs) + 1)).tolist()
    per_ref = [token_codes[start:end].tobytes() for start, end in pairwise(bounds)]
    return [per_ref[code] if code >= 0 else b"" for code in index.codes_of(refs).tolist()]


def duplicates(data: MappingData) -> Table:
    counted = cached_counted(data)
    refs = [str(r) for r in counted["ref"]]
    names = [str(n) for n in counted["name"]]
    keys = [_normalise(n) for n in names]
    sets = _participant_sets(data, refs)

    by_set: dict[bytes, list[int]] = {}
    by_word: dict[str, list[int]] = {}
    for i, key in enumerate(keys):
        if sets[i]:
            by_set.setdefault(sets[i], []).append(i)
        if key:
            by_word.setdefault(key.split()[0], []).append(i)
    key_array = np.asarray(keys, dtype=object)
    everything = np.arange(len(keys), dtype=np.int64)

    found: dict[tuple[int, int], tuple[float, str]] = {}
    same_set = _block_pairs(by_set.values(), key_array)
    for pair, score in _score(same_set, key_array, SAME_PARTICIPANTS_MIN).items():
        if _differing_words_similar(keys[pair[0]], keys[pair[1]]):
            found[pair] = (score, "samme deltakere")
    width = max(len(keys), 1)
    name_candidates = distinct(
        np.concatenate(
            [
                _block_pairs(by_word.values(), key_array),
                _window_pairs(everything, key_array, WINDOW),
                _window_pairs(everything, np.asarray([k[::-1] for k in keys], object), WINDOW),
            ]
        )
    )
    already = np.asarray([i * width + j for i, j in found], dtype=np.int64)
    name_candidates = name_candidates[~np.isin(name_candidates, already)]
    for pair, score in _score(name_candidates, key_array, NAME_MIN).items():
        found[pair] = (score, "nesten likt navn")

    ordered = sorted(found.items(), key=lambda kv: (-kv[1][0], refs[kv[0][0]], refs[kv[0][1]]))
    rows, ids = [], []
    for (i, j), (score, reason) in ordered:
        rows.append([refs[i], names[i], refs[j], names[j], round(score, 2), reason])
        ids.append(sorted_refs([refs[i], refs[j]]))
    return Table(
        id="datakvalitet_duplikater",
        title="Datakvalitet: mulige duplikater",
        n=len(refs),
        columns=["id_a", "navn_a", "id_b", "navn_b", "likhet", "grunn"],
        rows=rows,
        ids=ids,
        caption=(
            "Par av tellede ordninger som kan være samme ordning registrert to ganger: samme "
            f"deltakere og navnelikhet minst {SAME_PARTICIPANTS_MIN} (også mellom ordene som "
            "skiller navnene, så «NAV Hallingdal» og «IKT Hallingdal» ikke tas for én ordning), "
            f"eller navnelikhet minst {NAME_MIN} (0–1, likhet mellom normaliserte navn, rapidfuzz). "
            "Må vurderes manuelt: "
            "et selskap og et datterselskap kan ha nesten samme navn. n = tellede ordninger."
        ),
    )
