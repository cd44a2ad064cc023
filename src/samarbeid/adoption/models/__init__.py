from .portfolios import (
    Area,
    Criterion,
    Item,
    Pilot,
    ReportedCount,
    Score,
    Solution,
    SolutionPortfolio,
)
from .records import AdoptionRecord, Status

__all__ = [
    "AdoptionRecord",
    "Area",
    "Criterion",
    "Item",
    "Pilot",
    "ReportedCount",
    "Score",
    "Solution",
    "SolutionPortfolio",
    "Status",
]
