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
from typing import Any

import pandas as pd
from rapidfuzz import fuzz

from samarbeid.registry.vocab import COMPLETENESS

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
    counted = data.counted()
    members = data.counted_memberships()
    municipal = members[members["kind"] == "kommune"].groupby("ref").size().to_dict()
    total = members.groupby("ref").size().to_dict()
    labels = {t.code: t.nb for t in COMPLETENESS.terms}
    rows, ids = [], []
    for ref, name, stated, completeness in zip(
        counted["ref"],
        counted["name"],
        counted["participant_count_stated"],
        counted["completeness"],
        strict=True,
    ):
        ref = str(ref)
        stated = plain(stated)
        listed_municipal = int(municipal.get(ref, 0))
        listed_all = int(total.get(ref, 0))
        differs = stated is not None and stated not in (listed_municipal, listed_all)
        if not differs and completeness not in ("delvis", "gruppe"):
            continue
        listed = listed_all if stated == listed_all else listed_municipal
        rows.append([ref, str(name), stated, listed, labels.get(completeness, "Ikke oppgitt")])
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


def _score(
    pairs: Iterable[tuple[int, int]], keys: list[str], minimum: float
) -> dict[tuple[int, int], float]:
    """Similarity (rapidfuzz ratio, 0–1) of each candidate pair that reaches ``minimum``.

    Only candidate pairs from the blocks are compared, never all pairs; rapidfuzz's cut-off stops a
    comparison as soon as the pair cannot reach ``minimum``."""
    by_second: dict[int, list[int]] = {}
    for i, j in pairs:
        if keys[i] and keys[j]:
            by_second.setdefault(j, []).append(i)
    out: dict[tuple[int, int], float] = {}
    cutoff = minimum * 100
    for j, firsts in by_second.items():
        key_j = keys[j]
        for i in firsts:
            # rapidfuzz's ratio is the normalised Indel similarity, in C, with an early cutoff.
            score = fuzz.ratio(keys[i], key_j, score_cutoff=cutoff)
            if score:
                out[(i, j)] = score / 100
    return out


def _differing_words_similar(x: str, y: str) -> bool:
    """Are the words that differ between two names alike too (or is one name inside the other)?

    Two services of the same municipalities often share all but one word ("NAV Hallingdal",
    "IKT Hallingdal"): the whole names look alike, the words that tell them apart do not."""
    wx, wy = set(x.split()) - FORM_WORDS, set(y.split()) - FORM_WORDS
    only_x, only_y = " ".join(sorted(wx - wy)), " ".join(sorted(wy - wx))
    if not only_x or not only_y:
        return True
    return fuzz.ratio(only_x, only_y) >= SAME_PARTICIPANTS_MIN * 100


def _window_pairs(items: list[int], keys: list[str], window: int) -> Iterable[tuple[int, int]]:
    order = sorted(items, key=lambda i: (keys[i], i))
    for pos, i in enumerate(order):
        for j in order[pos + 1 : pos + 1 + window]:
            yield (i, j) if i < j else (j, i)


def _block_pairs(blocks: dict[Any, list[int]], keys: list[str]) -> Iterable[tuple[int, int]]:
    for items in blocks.values():
        if len(items) < 2:
            continue
        if len(items) <= BLOCK_ALL_PAIRS:
            for pos, i in enumerate(items):
                for j in items[pos + 1 :]:
                    yield (i, j) if i < j else (j, i)
        else:
            yield from _window_pairs(items, keys, WINDOW)


def duplicates(data: MappingData) -> Table:
    counted = data.counted()
    refs = [str(r) for r in counted["ref"]]
    names = [str(n) for n in counted["name"]]
    keys = [_normalise(n) for n in names]
    members = data.counted_memberships()
    tokens: dict[str, set[str]] = {}
    for ref, kind, entity, name in zip(
        members["ref"].tolist(),
        members["kind"].tolist(),
        members["entity"].tolist(),
        members["name"].tolist(),
        strict=True,
    ):
        token = str(entity) if kind == "kommune" and entity else f"{kind}:{_normalise(name)}"
        tokens.setdefault(str(ref), set()).add(token)
    sets = [frozenset(tokens.get(r, ())) for r in refs]

    by_set: dict[frozenset[str], list[int]] = {}
    by_word: dict[str, list[int]] = {}
    for i, key in enumerate(keys):
        if sets[i]:
            by_set.setdefault(sets[i], []).append(i)
        if key:
            by_word.setdefault(key.split()[0], []).append(i)
    reversed_keys = [k[::-1] for k in keys]
    everything = list(range(len(refs)))

    found: dict[tuple[int, int], tuple[float, str]] = {}
    for pair, score in _score(set(_block_pairs(by_set, keys)), keys, SAME_PARTICIPANTS_MIN).items():
        if _differing_words_similar(keys[pair[0]], keys[pair[1]]):
            found[pair] = (score, "samme deltakere")
    name_candidates = set(_block_pairs(by_word, keys))
    name_candidates.update(_window_pairs(everything, keys, WINDOW))
    name_candidates.update(_window_pairs(everything, reversed_keys, WINDOW))
    name_candidates.difference_update(found)
    for pair, score in _score(name_candidates, keys, NAME_MIN).items():
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
