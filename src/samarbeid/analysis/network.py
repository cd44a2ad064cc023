"""The cooperation network (beyond the method, nivi-method.md §4).

Nodes are the mapped municipalities; the weight of an edge is the number of counted arrangements
both take part in (only participants in the area are nodes). Communities reveal functional
regions; neighbour shares show each municipality's dependence on the others.

Scale: pair weights are built vectorised (numpy), grouped by arrangement size, from the shared
membership index (:mod:`.members`); the arrangements behind each shown pair come from one sort,
not a Python sort per pair. On a synthetic Europe-scale mapping (35 000 municipalities, 15 000
arrangements, 400 000 memberships, sizes up to 700) the pairs take about 0.2 s and all three
tables about 2 s of CPU time; :func:`graph` (a networkx graph of 2.4 million edges) about 2 s.
Arrangements with more than :data:`MAX_PARTICIPANTS` participating municipalities in the area add
no pairs: one of 100+ members ties everyone to everyone and hides the structure (none of the
Buskerud arrangements is that large; without the cap the Europe-scale network has 14 million pairs
and takes 16 s). The tables' notes list the arrangements left out. Communities: Louvain (igraph
multilevel, seed 1) up to :data:`LOUVAIN_MAX_EDGES` pairs and :data:`LOUVAIN_MAX_NODES`
municipalities, else a vectorised, seeded label propagation over each municipality's strongest
ties (under 1 s at Europe scale, where networkx Louvain takes 6 s even on the strongest ties alone
and ``asyn_lpa_communities`` over two minutes); the note says which one ran.
"""

from __future__ import annotations

import random

import igraph
import networkx as nx
import numpy as np

from .arrays import distinct, distinct_counts
from .members import membership_index
from .model import MappingData, Table
from .overview import nb_key, plain, sorted_refs

#: Arrangements with more participating municipalities in the area than this add no pairs.
MAX_PARTICIPANTS = 60
#: Above this many pairs or municipalities with pairs, communities are found by label
#: propagation instead of Louvain (networkx Louvain: about 1 s for 140 000 pairs among 5 000
#: municipalities, 4 s for 350 000 pairs, 6 s for 90 000 pairs among 35 000 municipalities).
LOUVAIN_MAX_EDGES = 150_000
LOUVAIN_MAX_NODES = 10_000
#: Up to this many possible pair keys (municipalities squared), pairs are counted in a dense
#: array instead of by sorting.
DENSE_PAIR_KEYS = 4_000_000
#: Label propagation: strongest ties kept per municipality, and the most rounds.
LPA_TIES = 10
LPA_ROUNDS = 30
#: The pair table lists every pair up to this many rows (the strongest first).
MAX_PAIR_ROWS = 5_000
#: Neighbours listed per municipality in the neighbour-share table.
TOP_NEIGHBOURS = 3
SEED = 1


class _Pairs:
    """Pair instances (one per arrangement and pair of its participants in the area)."""

    def __init__(self, data: MappingData, max_participants: int | None) -> None:
        scope = data.municipalities
        self.entities = [str(e) for e in scope["entity"]]
        self.names = [str(n) for n in scope["name"]]
        self.index = membership_index(data)
        self.refs = self.index.refs
        n = len(self.entities)
        width = max(n, 1)
        index = self.index
        local = index.municipal & index.in_scope & (index.scope_position >= 0)
        # One entry per (arrangement, municipality), sorted by arrangement, then municipality.
        member_key = distinct(index.ref[local] * width + index.scope_position[local])
        self.member_ref, self.member_code = member_key // width, member_key % width
        codes = self.member_code
        sizes = np.bincount(self.member_ref, minlength=len(self.refs))
        starts = np.concatenate([[0], np.cumsum(sizes)[:-1]]).astype(np.int64)
        limit = max_participants if max_participants is not None else np.iinfo(np.int64).max
        self.capped = np.flatnonzero(sizes > limit)
        self.paired = (sizes >= 2) & (sizes <= limit)
        self.in_pairs = int(np.count_nonzero(self.paired))
        a_parts, b_parts, r_parts = [], [], []
        for k in distinct(sizes):
            if k < 2 or k > limit:
                continue
            groups = np.flatnonzero(sizes == k)
            matrix = codes[starts[groups][:, None] + np.arange(k)]
            iu, ju = np.triu_indices(int(k), 1)
            a_parts.append(matrix[:, iu].ravel())
            b_parts.append(matrix[:, ju].ravel())
            r_parts.append(np.repeat(groups, len(iu)))
        empty = np.array([], dtype=np.int64)
        self.r = np.concatenate(r_parts) if r_parts else empty
        # a < b holds: codes are sorted within each arrangement.
        key = np.concatenate(a_parts) * width + np.concatenate(b_parts) if a_parts else empty
        if n * n <= DENSE_PAIR_KEYS:
            counts = np.bincount(key, minlength=n * n)
            keys = np.flatnonzero(counts)
            weights = counts[keys]
            pair_at = np.zeros(n * n, dtype=np.int64)
            pair_at[keys] = np.arange(len(keys))
            self.pair_of = pair_at[key]
        else:
            keys, weights = distinct_counts(key)
            self.pair_of = np.searchsorted(keys, key)
        self.pair_a = keys // width
        self.pair_b = keys % width
        self.weights = weights
        self.n = n

    def refs_for(self, pairs: np.ndarray) -> list[list[str]]:
        """The arrangement refs behind each given pair (a position in ``pair_a``/``pair_b``),
        sorted."""
        chosen, inverse = np.unique(np.asarray(pairs, dtype=np.int64), return_inverse=True)
        slot = np.full(len(self.weights), -1, dtype=np.int64)
        slot[chosen] = np.arange(len(chosen))
        group = slot[self.pair_of]
        hit = group >= 0
        lists = self.index.refs_per_group(group[hit], self.r[hit], len(chosen))
        return [lists[i] for i in inverse.tolist()]

    def refs_within(self, community_of: np.ndarray, communities: int) -> list[list[str]]:
        """Per community number (0 … communities), the arrangements whose participants in the
        area all belong to it (only arrangements that add pairs), sorted."""
        paired = self.paired[self.member_ref]
        member_ref = self.member_ref[paired]
        community = community_of[self.member_code[paired]]
        if not len(member_ref):
            return [[] for _ in range(communities + 1)]
        starts = np.flatnonzero(np.r_[True, member_ref[1:] != member_ref[:-1]])
        lowest = np.minimum.reduceat(community, starts)
        same = lowest == np.maximum.reduceat(community, starts)
        return self.index.refs_per_group(lowest[same], member_ref[starts[same]], communities + 1)


def graph(data: MappingData, max_participants: int | None = MAX_PARTICIPANTS) -> nx.Graph:
    """The cooperation network of the mapped municipalities.

    Node = municipality entity (attributes name, number, region, population); edge weight = the
    number of counted arrangements both take part in (arrangements with more than
    ``max_participants`` municipalities in the area add no pairs; None = no cap).
    """
    return _graph(data, _Pairs(data, max_participants))


def _graph(data: MappingData, pairs: _Pairs) -> nx.Graph:
    g = nx.Graph()
    scope = data.municipalities
    for entity, name, number, region, population in zip(
        scope["entity"],
        scope["name"],
        scope["number"],
        scope["region"],
        scope["population"],
        strict=True,
    ):
        g.add_node(
            str(entity),
            name=str(name),
            number=str(number),
            region=str(region),
            population=plain(population),
        )
    ents = pairs.entities
    g.add_weighted_edges_from(
        (ents[a], ents[b], w)
        for a, b, w in zip(
            pairs.pair_a.tolist(), pairs.pair_b.tolist(), pairs.weights.tolist(), strict=True
        )
    )
    return g


class _Directed:
    """Both directions of every pair, sorted by (node, weight desc, neighbour name)."""

    def __init__(self, pairs: _Pairs, rank: np.ndarray) -> None:
        src = np.concatenate([pairs.pair_a, pairs.pair_b])
        dst = np.concatenate([pairs.pair_b, pairs.pair_a])
        w = np.concatenate([pairs.weights, pairs.weights])
        order = _node_weight_neighbour_order(rank[src], w, rank[dst], pairs.n)
        self.src, self.dst, self.w = src[order], dst[order], w[order]
        self.pair = np.concatenate([np.arange(len(pairs.weights))] * 2)[order]
        # Position of each entry among its node's neighbours (0 = strongest).
        first = np.r_[True, self.src[1:] != self.src[:-1]] if len(src) else np.array([], bool)
        starts = np.flatnonzero(first)
        group = np.cumsum(first) - 1
        self.position = np.arange(len(self.src)) - starts[group] if len(src) else group
        self.total = np.bincount(self.src, weights=self.w, minlength=pairs.n)


def _node_weight_neighbour_order(
    node: np.ndarray, weight: np.ndarray, neighbour: np.ndarray, n: int
) -> np.ndarray:
    """The order by node, weight descending, neighbour (all ranks below ``n``; no two entries
    share node and neighbour): one sort of a combined integer key where it fits in 63 bits,
    several times faster than ``np.lexsort`` over three keys (1.5 s at Europe scale)."""
    if not len(node):
        return np.array([], dtype=np.int64)
    span = int(weight.max()) + 1
    if n * n * span >= 2**62:
        return np.lexsort((neighbour, -weight, node))
    return np.argsort((node * span + (span - 1 - weight)) * n + neighbour)


def _louvain(pairs: _Pairs, active: np.ndarray) -> list[list[int]]:
    """Louvain communities with igraph's C implementation (multilevel), seeded: the same data gives
    the same communities. networkx's pure-Python Louvain took most of the national benchmark."""
    position = np.full(pairs.n, -1, dtype=np.int64)
    position[active] = np.arange(len(active))
    # Edges as an iterator of pairs: igraph turns an array into one Python list per edge (50 000
    # at national scale), and those lists set off full garbage collections of the whole process.
    edges = zip(position[pairs.pair_a].tolist(), position[pairs.pair_b].tolist(), strict=True)
    g = igraph.Graph(n=len(active), edges=edges)
    igraph.set_random_number_generator(random.Random(SEED))
    try:
        clusters = g.community_multilevel(weights=pairs.weights.astype(float).tolist())
    finally:
        igraph.set_random_number_generator(random)
    return [sorted(int(active[i]) for i in members) for members in clusters]


def _label_propagation(directed: _Directed, n: int, active: np.ndarray) -> list[list[int]]:
    """Weighted label propagation, vectorised, over each municipality's strongest ties.

    Each municipality keeps its :data:`LPA_TIES` strongest ties (both ends keep an edge either
    keeps). In each round a seeded random half of the municipalities take the label with the most
    weight among their neighbours (ties: keep the own label, else the smallest); it stops when no
    label would change or after :data:`LPA_ROUNDS` rounds. Deterministic for a given mapping.
    """
    keep = directed.position < LPA_TIES
    src = np.concatenate([directed.src[keep], directed.dst[keep]])
    dst = np.concatenate([directed.dst[keep], directed.src[keep]])
    w = np.concatenate([directed.w[keep], directed.w[keep]])
    # Each kept tie once per direction (a tie both ends keep appears twice above).
    key, first = np.unique(src * n + dst, return_index=True)
    src, dst, w = key // n, key % n, w[first]
    labels = np.arange(n, dtype=np.int64)
    rng = np.random.default_rng(SEED)
    for _ in range(LPA_ROUNDS):
        cand_key = src * n + labels[dst]
        unique_key, inverse = np.unique(cand_key, return_inverse=True)
        sums = np.bincount(inverse, weights=w)
        node, cand = unique_key // n, unique_key % n
        is_own = cand == labels[node]
        order = np.lexsort((cand, ~is_own, -sums, node))
        node_sorted = node[order]
        best = order[np.r_[True, node_sorted[1:] != node_sorted[:-1]]]
        proposal = labels.copy()
        proposal[node[best]] = cand[best]
        changing = proposal != labels
        if not changing.any():
            break
        move = changing & (rng.random(n) < 0.5)
        labels[move] = proposal[move]
    groups: dict[int, list[int]] = {}
    for node_id, label in zip(active.tolist(), labels[active].tolist(), strict=True):
        groups.setdefault(label, []).append(node_id)
    return list(groups.values())


def network_tables(
    data: MappingData, max_participants: int | None = MAX_PARTICIPANTS
) -> list[Table]:
    """The pair table, the communities and each municipality's neighbour shares."""
    pairs = _Pairs(data, max_participants)
    names = pairs.names
    rank = np.empty(pairs.n, dtype=np.int64)
    rank[sorted(range(pairs.n), key=lambda i: (nb_key(names[i]), i))] = np.arange(pairs.n)
    cap_note = ""
    if len(pairs.capped):
        cap_note = (
            f" {len(pairs.capped)} ordninger med mer enn {max_participants} deltakende kommuner i "
            "området gir ingen par (de binder alle til alle og skjuler strukturen): "
            + ", ".join(sorted_refs(pairs.refs[pairs.capped])[:20])
            + (" …" if len(pairs.capped) > 20 else "")
            + "."
        )

    # -- pairs ---------------------------------------------------------------------------------
    ra, rb = rank[pairs.pair_a], rank[pairs.pair_b]
    order = np.lexsort((np.maximum(ra, rb), np.minimum(ra, rb), -pairs.weights))[:MAX_PAIR_ROWS]
    first, second = pairs.pair_a[order], pairs.pair_b[order]
    swap = rank[second] < rank[first]
    first, second = np.where(swap, second, first), np.where(swap, first, second)
    name_array = np.asarray(names, dtype=object)
    pair_rows = [
        [a, b, w]
        for a, b, w in zip(
            name_array[first].tolist(),
            name_array[second].tolist(),
            pairs.weights[order].tolist(),
            strict=True,
        )
    ]
    pair_ids = pairs.refs_for(order)
    pair_note = f"{len(pairs.weights)} par med minst én felles ordning."
    if len(pairs.weights) > MAX_PAIR_ROWS:
        pair_note += f" Tabellen viser de {MAX_PAIR_ROWS} sterkeste."
    pair_table = Table(
        id="nettverk",
        title="Samarbeidsnettverket: felles ordninger per kommunepar",
        n=pairs.in_pairs,
        columns=["kommune_a", "kommune_b", "felles_ordninger"],
        rows=pair_rows,
        ids=pair_ids,
        caption=(
            "Antall tellede ordninger hvert par av kommuner i området deltar i sammen, sterkeste "
            "par først. n = ordninger med minst to deltakende kommuner i området."
        ),
        note=pair_note + cap_note,
    )

    # -- communities ---------------------------------------------------------------------------
    directed = _Directed(pairs, rank)
    active = np.flatnonzero(directed.total > 0)
    if not len(active):
        found, method = [], "ingen (ingen felles ordninger)"
    elif len(pairs.weights) <= LOUVAIN_MAX_EDGES and len(active) <= LOUVAIN_MAX_NODES:
        found, method = _louvain(pairs, active), "Louvain (igraph multilevel, seed 1)"
    else:
        found = _label_propagation(directed, pairs.n, active)
        method = (
            f"etikettspredning over hver kommunes {LPA_TIES} sterkeste bånd (seed 1); "
            f"Louvain brukes opp til {LOUVAIN_MAX_EDGES} par og {LOUVAIN_MAX_NODES} kommuner"
        )
    found = sorted(
        ([int(x) for x in sorted(c, key=lambda i: rank[i])] for c in found),
        key=lambda c: (-len(c), int(rank[c[0]])),
    )
    community_of = np.zeros(pairs.n, dtype=np.int64)
    for number, members in enumerate(found, start=1):
        community_of[members] = number
    # Arrangements behind a community: those whose participants in the area all belong to it.
    behind = pairs.refs_within(community_of, len(found))
    community_rows, community_ids = [], []
    for number, members in enumerate(found, start=1):
        community_rows.append([number, ", ".join(names[i] for i in members), len(members)])
        community_ids.append(behind[number])
    isolated = [
        names[i]
        for i in sorted(np.flatnonzero(directed.total == 0).tolist(), key=lambda i: rank[i])
    ]
    community_note = f"Metode: {method}; vekt = felles ordninger."
    if isolated:
        community_note += (
            f" {len(isolated)} kommuner uten felles ordninger med andre i området er ikke med: "
            + ", ".join(isolated[:50])
            + (" …" if len(isolated) > 50 else "")
            + "."
        )
    community_table = Table(
        id="nettverk_fellesskap",
        title="Samarbeidsnettverket: fellesskap (funksjonelle regioner)",
        n=len(active),
        columns=["fellesskap", "kommuner", "antall_kommuner"],
        rows=community_rows,
        ids=community_ids,
        caption=(
            "Grupper av kommuner som samarbeider mer med hverandre enn med andre, funnet ved "
            "fellesskapsdeteksjon i nettverket (største først). Ordningene bak et fellesskap er "
            "de der alle deltakende kommuner i området hører til fellesskapet. n = kommuner med "
            "minst én felles ordning."
        ),
        note=community_note + cap_note,
    )

    # -- neighbour shares ----------------------------------------------------------------------
    top = np.flatnonzero(directed.position < TOP_NEIGHBOURS)
    top = top[np.argsort(rank[directed.src[top]], kind="stable")]
    src, dst, w = directed.src[top], directed.dst[top], directed.w[top]
    shares = np.round(100.0 * w / directed.total[src], 1)
    share_rows = [
        [a, b, p]
        for a, b, p in zip(
            name_array[src].tolist(), name_array[dst].tolist(), shares.tolist(), strict=True
        )
    ]
    share_ids = pairs.refs_for(directed.pair[top])
    share_table = Table(
        id="nettverk_naboandeler",
        title="Samarbeidsnettverket: viktigste samarbeidspartnere",
        n=len(active),
        columns=["kommune", "nabo", "andel_prosent"],
        rows=share_rows,
        ids=share_ids,
        caption=(
            f"For hver kommune de {TOP_NEIGHBOURS} kommunene den har flest felles ordninger med, "
            "som andel (%) av summen av kommunens parvise samarbeidsbånd (felles ordninger "
            "summert over alle andre kommuner i området). n = kommuner med minst én felles "
            "ordning."
        ),
        note=cap_note.strip(),
    )
    return [pair_table, community_table, share_table]
