"""Intermediate results shared by the analyses of one mapping, computed once per mapping."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import pandas as pd

from .model import MappingData

T = TypeVar("T")


def memoised(data: MappingData, name: str, compute: Callable[[], T]) -> T:
    """``compute()`` once per mapping and ``name``, kept on the data object.

    Dropped as soon as one of its frames is replaced (the frames themselves are the key, held so
    they cannot be garbage-collected and their ids reused). Callers must treat a memoised value
    as read-only.
    """
    frames = (data.arrangements, data.memberships, data.municipalities)
    cache = data.__dict__.get("_analysis_memo")
    if cache is None or any(a is not b for a, b in zip(cache["frames"], frames, strict=True)):
        cache = {"frames": frames}
        data.__dict__["_analysis_memo"] = cache
    if name not in cache:
        cache[name] = compute()
    return cache[name]


def counted(data: MappingData) -> pd.DataFrame:
    """The counted arrangements (:meth:`MappingData.counted`), filtered once per mapping."""
    return memoised(data, "counted", data.counted)
