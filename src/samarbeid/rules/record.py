"""The rules for one record — an arrangement and its participants — as a web form, the API or a
verification proposal gives it: the same checks and findings as a mapping file with just this
record (:mod:`.validate`), at the mapping's name and date."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

from .schema import ARRANGEMENTS, MEMBERSHIPS
from .tables import RawWorkbook, Table
from .validate import CheckResult, Validator

#: The name findings about a record carry in place of a file name.
RECORD = "redigering"


def check_record(
    values: Mapping[str, str],
    memberships: Sequence[Mapping[str, str]] | None,
    *,
    mapping_name: str,
    cutoff_date: dt.date,
) -> CheckResult:
    """Check one record. ``values`` are cells of the sheet Ordninger by column (``id`` among
    them); ``memberships`` rows of Deltakere without ``ordning_id`` (None or empty: the
    participants are inline in ``values["deltakere"]``, or none). Cells are texts as typed."""
    known = [k for k in ARRANGEMENTS.keys if k in values]
    columns = known + [k for k in values if k not in ARRANGEMENTS.keys]
    tables = {
        ARRANGEMENTS.name.lower(): Table(
            ARRANGEMENTS.name, columns, [(1, [values[k] for k in columns])], header_row=0
        )
    }
    if memberships:
        member_columns = list(MEMBERSHIPS.keys)
        member_columns += sorted({k for row in memberships for k in row} - set(member_columns))
        ref = values.get("id", "")
        rows = [
            (i + 1, [ref if k == "ordning_id" else row.get(k, "") for k in member_columns])
            for i, row in enumerate(memberships)
        ]
        tables[MEMBERSHIPS.name.lower()] = Table(
            MEMBERSHIPS.name, member_columns, rows, header_row=0
        )
    book = RawWorkbook(None, RECORD, "record", tables)
    return Validator(book, mapping_name=mapping_name, cutoff_date=cutoff_date).run()
