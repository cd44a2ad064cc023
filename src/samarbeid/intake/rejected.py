"""The file of rejected rows that ``import --skip-invalid`` writes: each row with its reasons.

A rejected row is often rejected *because* a cell is a formula; the file is written through
:mod:`samarbeid.core.cells`, so that formula reaches the file as text, not as a live formula.
"""

from __future__ import annotations

from pathlib import Path

from samarbeid.core import cells
from samarbeid.core.outfiles import write_atomic
from samarbeid.rules.validate import CheckResult


def rejected_csv(result: CheckResult, lang: str = "nb") -> tuple[bytes, int]:
    """The file's bytes and the number of rejected rows."""
    rejected = [a for a in result.spec.arrangements if not a.valid]
    rows: list[list[object]] = [["id", "navn", "rad", "feil"]]
    for a in rejected:
        rows.append([a.ref, a.name, a.row, " | ".join(f.format(lang) for f in a.problems)])
    return cells.csv_bytes(rows), len(rejected)


def write_rejected(result: CheckResult, out: Path, lang: str = "nb") -> int:
    """Write the file whole or not at all (the import calls this inside its transaction)."""
    data, count = rejected_csv(result, lang)
    write_atomic(out, data)
    return count
