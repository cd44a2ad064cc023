"""What every step of a round shares: its errors, and who took the step and when."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from samarbeid.registry import history
from samarbeid.registry.editing import EditConflict, Problem


class VerificationError(Exception):
    """A step of the round that cannot be taken; ``message`` says why, in Norwegian."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotAllowed(VerificationError):
    """The user may not do this (shown as 403)."""


class ProposalInvalid(VerificationError):
    """The proposed arrangement breaks the rules of the mapping file (``problems``, field by field,
    from :func:`samarbeid.registry.editing.check`), or the comment or source is missing."""

    def __init__(self, problems: list[Problem], warnings: list[Problem] | None = None) -> None:
        super().__init__("; ".join(p.message for p in problems))
        self.problems = list(problems)
        self.warnings = list(warnings or [])


class DecisionFailed(VerificationError):
    """Accepting failed; nothing was written and the proposal is still pending.

    ``conflict`` is set when the arrangement changed (or was deleted) after the proposal was made;
    ``problems`` when the proposal breaks the rules as they apply now.
    """

    def __init__(
        self,
        message: str,
        *,
        conflict: EditConflict | None = None,
        problems: list[Problem] | None = None,
    ) -> None:
        super().__init__(message)
        self.conflict = conflict
        self.problems = list(problems or [])


def user_name(user) -> str:
    """The name recorded with a step (kept when the account is gone)."""
    return history.user_label(user)


def current_time() -> dt.datetime:
    return timezone.now()
