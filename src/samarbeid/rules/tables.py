"""What the rules read: a file as tables of stripped strings, whatever its format (the readers in
:mod:`samarbeid.intake.readers` produce it; a web edit or an API call gives one record of it)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Table:
    """One sheet (or CSV section) as read: header keys and rows of stripped strings."""

    name: str
    columns: list[str]
    rows: list[tuple[int, list[str]]] = field(default_factory=list)
    header_row: int = 1
    rows_are_lines: bool = False


@dataclass
class RawWorkbook:
    path: Path | None  # None: a record from a form or the API, not a file
    display_name: str
    kind: str  # xlsx | csv | json
    tables: dict[str, Table] = field(default_factory=dict)  # key: lower-case sheet name
    unknown_sheets: list[str] = field(default_factory=list)
