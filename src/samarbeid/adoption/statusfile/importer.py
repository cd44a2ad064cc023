"""Check a status file and record it: all or nothing, through the reporting service.

One run for the command line (``samarbeid meld-status``) and the upload page: read
(:mod:`.reader`), check (:mod:`.validate`), and — when nothing is wrong and it is not only a
check — :func:`samarbeid.adoption.services.record_many`, which records every report in one
transaction (a report of the standing a municipality already has adds nothing). The summary is
the same sentence in both: «12 rader, 9 nye statuser, 3 uendret».
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from samarbeid.core.i18n import gettext_noop, translate

from .. import services
from .reader import read_status_file
from .validate import StatusCheck, check_status

ROWS = (gettext_noop("{n} rad"), gettext_noop("{n} rader"))
NEW = (gettext_noop("{n} ny status"), gettext_noop("{n} nye statuser"))
SAME = gettext_noop("{n} uendret")
SKIPPED = (gettext_noop("{n} tom rad hoppet over"), gettext_noop("{n} tomme rader hoppet over"))
NOTHING_SAVED = gettext_noop("Ingenting ble lagret.")


@dataclass
class Outcome:
    check: StatusCheck
    #: New records; None when nothing was recorded (only checked, or errors).
    written: int | None = None

    @property
    def rows(self) -> int:
        return len(self.check.rows)

    def summary(self, lang: str = "nb") -> str:
        """«12 rader, 9 nye statuser, 3 uendret» (only checked: «12 rader»)."""

        def count(forms: tuple[str, str] | str, n: int) -> str:
            template = forms if isinstance(forms, str) else forms[n != 1]
            return translate(template, lang).format(n=n)

        parts = [count(ROWS, self.rows)]
        if self.written is not None:
            parts += [count(NEW, self.written), count(SAME, self.rows - self.written)]
        if self.check.skipped:
            parts.append(count(SKIPPED, self.check.skipped))
        return ", ".join(parts)


def record(check: StatusCheck, user: Any) -> int:
    """Record a checked file without errors; the number of new records. Raises
    :class:`~samarbeid.adoption.services.EditForbidden` (nothing written) when a permission went
    away after the check."""
    if check.errors:
        raise ValueError("a file with errors is not recorded")
    return services.record_many(user, check.reports)


def run(path: Path | str, user: Any, *, source: str = "", check_only: bool = False) -> Outcome:
    """Read, check and (unless ``check_only`` or any error) record a status file. Raises
    :class:`~samarbeid.rules.findings.FileRejected` for a file that cannot be read."""
    check = check_status(read_status_file(path), user=user, source=source)
    if check.errors or check_only:
        return Outcome(check)
    return Outcome(check, record(check, user))
