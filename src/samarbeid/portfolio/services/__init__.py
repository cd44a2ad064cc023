"""Changing a body's data: one function per change, each one transaction that checks access
(:mod:`samarbeid.portfolio.rules`), validates through the one codec (:mod:`..fields`), requires a
source, guards against lost updates (versions) and records the change with its source. The web
forms and the API call these; nothing else writes."""

from .base import EditForbidden, EditRejected, PortfolioConflict, Problem
from .members import add_member
from .plans import add_project, approve, end_project, roll_over, update_plan
from .projects import (
    add_benefit,
    add_funding,
    add_milestone,
    add_status_report,
    set_participation,
    update_funding,
    update_milestone,
    update_project,
)
from .restore import restorable, restore

__all__ = [
    "EditForbidden",
    "EditRejected",
    "PortfolioConflict",
    "Problem",
    "add_benefit",
    "add_funding",
    "add_member",
    "add_milestone",
    "add_project",
    "add_status_report",
    "approve",
    "end_project",
    "restorable",
    "restore",
    "roll_over",
    "set_participation",
    "update_funding",
    "update_milestone",
    "update_plan",
    "update_project",
]
