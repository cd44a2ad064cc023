"""Extent of cooperation (nivi-method.md section 4, analyses 1–6).

Total, geographic level, arrangements per municipality, size classes, regions, establishment,
staff-years and cross-county cooperation. Every function takes a :class:`MappingData` and returns a
:class:`Table`; only counted arrangements (status "telles") enter, and unknown values (host, year,
legal form) are never read as "none": the arrangements that lack them are listed in ``missing``.

All group-bys are vectorised (pandas), so a mapping with tens of thousands of municipalities and
hundreds of thousands of memberships is analysed in seconds.

One module per analysis: :mod:`.totals` (1 total, 2 geographic level), :mod:`.municipalities`
(3 per municipality, size classes, regions), :mod:`.establishment` (4), :mod:`.staff` (5) and
:mod:`.counties` (6). The analyses themselves are this package's interface, in the method's order.
"""

from __future__ import annotations

from .counties import cross_county
from .establishment import establishment_periods, establishment_years, new_since
from .municipalities import per_municipality, per_region, size_classes
from .staff import staff_years
from .totals import geographic_level, total

__all__ = [
    "cross_county",
    "establishment_periods",
    "establishment_years",
    "geographic_level",
    "new_since",
    "per_municipality",
    "per_region",
    "size_classes",
    "staff_years",
    "total",
]
