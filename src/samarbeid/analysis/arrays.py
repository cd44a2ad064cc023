"""Small numpy helpers shared by the analyses."""

from __future__ import annotations

import numpy as np


def distinct(values: np.ndarray) -> np.ndarray:
    """The sorted distinct values of an integer array (what ``np.unique`` returns).

    By sorting: since numpy 2.3, ``np.unique`` without ``return_*`` arguments goes through a hash
    table, 10–80 times slower than a sort for the integer keys used here (0.05 s instead of
    0.004 s for the 550 000 pair keys of the national mapping).
    """
    values = np.sort(np.asarray(values).ravel())
    if len(values) < 2:
        return values
    keep = np.empty(len(values), dtype=bool)
    keep[0] = True
    np.not_equal(values[1:], values[:-1], out=keep[1:])
    return values[keep]


def distinct_counts(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The sorted distinct values of an integer array and how often each occurs."""
    values = np.sort(np.asarray(values).ravel())
    if not len(values):
        return values, np.array([], dtype=np.int64)
    starts = np.flatnonzero(np.r_[True, values[1:] != values[:-1]])
    return values[starts], np.diff(np.r_[starts, len(values)])
