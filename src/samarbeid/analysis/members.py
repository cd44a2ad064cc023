"""The counted memberships of one mapping as integer-coded numpy arrays, built once and shared.

The network, host, regional and data-quality analyses all group the participants of the counted
arrangements by arrangement. Instead of each filtering the membership frame and looping over its
rows, they share one :class:`MembershipIndex` (memoised per mapping): every membership of a
counted arrangement with its arrangement as an integer code, and the refs in text order, so the
sorted id lists behind a table's rows come from one numpy sort rather than a Python sort per row.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from itertools import pairwise

import numpy as np
import pandas as pd

from .arrays import distinct
from .cache import counted, memoised
from .model import MappingData


@dataclass(frozen=True)
class MembershipIndex:
    """Memberships of the counted arrangements (one entry per membership row, in frame order).

    ``refs`` are the distinct counted refs in the order of :meth:`MappingData.counted`; ``ref``
    holds each membership's position in ``refs``. ``scope_position`` is the row of the member's
    entity in ``data.municipalities`` (-1 when it is not a mapped municipality).
    """

    refs: np.ndarray
    ref_rank: np.ndarray
    refs_in_text_order: np.ndarray
    ref: np.ndarray
    kind: np.ndarray
    municipal: np.ndarray
    entity: np.ndarray
    name: np.ndarray
    in_scope: np.ndarray
    scope_position: np.ndarray

    def codes_of(self, refs: Iterable[object]) -> np.ndarray:
        """The position in ``refs`` of each given ref (-1 for a ref that is not counted)."""
        return pd.Index(self.refs).get_indexer(pd.Index(list(refs), dtype=object))

    def refs_per_group(self, group: np.ndarray, ref: np.ndarray, groups: int) -> list[list[str]]:
        """For each group 0 … groups-1, the distinct refs of its entries sorted as text.

        ``group`` and ``ref`` are parallel arrays (a group number and a ref position per entry);
        the lists equal ``sorted(set(...))`` over each group's refs.
        """
        width = max(len(self.refs), 1)
        combined = distinct(np.asarray(group, dtype=np.int64) * width + self.ref_rank[ref])
        names = self.refs_in_text_order[combined % width].tolist()
        bounds = np.searchsorted(combined // width, np.arange(groups + 1)).tolist()
        return [names[start:end] for start, end in pairwise(bounds)]

    def sorted_refs(self, ref: np.ndarray) -> list[str]:
        """The distinct refs at the given positions, sorted as text."""
        return self.refs_in_text_order[distinct(self.ref_rank[ref])].tolist()


def membership_index(data: MappingData) -> MembershipIndex:
    """The shared index of the counted memberships of ``data``, built once per mapping."""
    return memoised(data, "membership_index", lambda: _build(data))


def _build(data: MappingData) -> MembershipIndex:
    refs = pd.unique(counted(data)["ref"].astype(str).to_numpy(dtype=object))
    refs = np.asarray(refs, dtype=object)
    text_order = np.argsort(refs, kind="stable")
    ref_rank = np.empty(len(refs), dtype=np.int64)
    ref_rank[text_order] = np.arange(len(refs))
    members = data.memberships
    ref = pd.Index(refs).get_indexer(members["ref"].astype(str))
    keep = ref >= 0
    members = members[keep]
    scope_entities = [str(e) for e in data.municipalities["entity"]]
    # As a dict, so a duplicated scope entity maps to its last row (as the network always did).
    position = {e: i for i, e in enumerate(scope_entities)}
    scope_position = members["entity"].map(position).fillna(-1).to_numpy(dtype=np.int64)
    kind = members["kind"].to_numpy(dtype=object)
    return MembershipIndex(
        refs=refs,
        ref_rank=ref_rank,
        refs_in_text_order=refs[text_order],
        ref=ref[keep].astype(np.int64),
        kind=kind,
        municipal=kind == "kommune",
        entity=members["entity"].to_numpy(dtype=object),
        name=members["name"].to_numpy(dtype=object),
        in_scope=members["in_scope"].astype(bool).to_numpy(),
        scope_position=scope_position,
    )
