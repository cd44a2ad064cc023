"""Who takes part in an arrangement on a given day: the one rule for roles, lists and analyses.

A participant row may carry the day it joined (``Membership.joined_on``, the file's ``inn_dato``)
and the day it left (``left_on``, ``ut_dato``). A mapping describes the arrangements as they were on
its date (``Mapping.cutoff_date``), so a participant *takes part* in the mapping when, on that date,

- it had joined: ``joined_on`` is empty (not known: counted) or on or before the date, and
- it had not left: ``left_on`` is empty or after the date (the day it leaves it is out).

The role rules (:mod:`.permissions`: a municipality editor edits what its municipality takes part
in), the verification rounds ("Din liste") and the analyses (:mod:`.snapshot`, whose memberships
every count is made from) all ask these two functions, so a municipality that left an
arrangement in 2001 is neither counted in a 2021 mapping nor edits the arrangement there.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Q


def takes_part_on(day: dt.date, joined_on: dt.date | None, left_on: dt.date | None) -> bool:
    """Whether a participant with these dates takes part on ``day``."""
    return (joined_on is None or joined_on <= day) and (left_on is None or left_on > day)


def taking_part_q(day: dt.date, prefix: str = "") -> Q:
    """The same rule as a filter on :class:`~samarbeid.registry.models.Membership` (``prefix``
    for a lookup through a relation, e.g. ``"memberships__"``)."""
    return (Q(**{f"{prefix}joined_on__isnull": True}) | Q(**{f"{prefix}joined_on__lte": day})) & (
        Q(**{f"{prefix}left_on__isnull": True}) | Q(**{f"{prefix}left_on__gt": day})
    )
