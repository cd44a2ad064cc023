"""The file of rejected rows that ``import --skip-invalid`` writes: each row with its reasons."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from samarbeid.core.outfiles import write_atomic

from .validate import CheckResult


def write_rejected(result: CheckResult, out: Path, lang: str = "nb") -> int:
    rejected = [a for a in result.spec.arrangements if not a.valid]
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(["id", "navn", "rad", "feil"])
    for a in rejected:
        writer.writerow([a.ref, a.name, a.row, " | ".join(f.format(lang) for f in a.problems)])
    write_atomic(out, buffer.getvalue().encode("utf-8-sig"))
    return len(rejected)
