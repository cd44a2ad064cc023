"""Read a .json mapping file: ``{"format": "samarbeid-kartlegging", "versjon": 1, …}``.

Parsed by :mod:`samarbeid.core.safejson` (depth, duplicate keys, NaN/Infinity and number length
refused there). Then the shape is checked without recursion: each sheet is a list of objects
(``kartlegging`` may be one object of field → value), each value one scalar — a list only in the
list columns, and only of scalars. What is not so is refused at its sheet, row and column, never
turned into its Python ``repr``. Keys are matched like headers ("Navn" is "navn"), so two keys that
match the same column (or sheet) are refused as given twice. A boolean is refused like a TRUE cell
in a workbook: no column holds one.
"""

from __future__ import annotations

from pathlib import Path

from samarbeid.core import safejson
from samarbeid.core.i18n import Text, gettext_noop
from samarbeid.rules.schema import MAPPING, SHEETS_BY_KEY

from .limits import Budget, reject
from .tables import (
    JSON_FORMAT,
    JSON_VERSION,
    CellRefused,
    RawWorkbook,
    Table,
    cell_text,
    header_key,
    sheet_key,
    shown,
)

#: Columns whose value may be a JSON list (of scalars); the list is read as "a; b; c".
LIST_COLUMNS = ("navnevarianter", "oppgaveomrader", "deltakere")
TOP_KEYS = ("format", "versjon")


def _found(value: object) -> Text | str:
    if isinstance(value, dict):
        return Text(gettext_noop("et objekt"))
    if isinstance(value, list):
        return Text(gettext_noop("en liste"))
    if value is None:
        return "null"  # the same in every language
    if isinstance(value, bool):
        return Text(gettext_noop("en sannhetsverdi"))
    if isinstance(value, str):
        return Text(gettext_noop("en tekst"))
    return Text(gettext_noop("et tall"))


def _compact(value: object) -> str:
    import json

    return shown(json.dumps(value, ensure_ascii=False, separators=(",", ":")))


def read_json(path: Path, file: str) -> RawWorkbook:
    try:
        data = safejson.loads(path.read_bytes())
    except safejson.JsonRefused as refused:
        raise reject(file, "json_unreadable", detail=refused.reason()) from None
    if not isinstance(data, dict) or data.get("format") != JSON_FORMAT:
        raise reject(
            file,
            "json_unreadable",
            detail=Text(
                gettext_noop('forventet et objekt med "format": "{format}"'), format=JSON_FORMAT
            ),
        )
    if "versjon" not in data:
        raise reject(file, "json_version_missing", expected=JSON_VERSION)
    version = data["versjon"]
    if type(version) is not int or version != JSON_VERSION:
        raise reject(
            file, "json_version_unsupported", value=_compact(version), expected=JSON_VERSION
        )
    book = RawWorkbook(path, file, "json")
    budget = Budget(file)
    seen: dict[str, str] = {}
    for key, items in data.items():
        if key in TOP_KEYS:
            continue
        folded = sheet_key(key)
        if folded not in SHEETS_BY_KEY:
            book.unknown_sheets.append(key)
            continue
        if folded in seen:
            raise reject(file, "sheet_duplicate", value=key, other=seen[folded])
        seen[folded] = key
        sheet = SHEETS_BY_KEY[folded].name
        if sheet == MAPPING.name and isinstance(items, dict):
            items = [{"felt": k, "verdi": v} for k, v in items.items()]
        book.tables[folded] = _table(sheet, items, budget)
    return book


def _table(sheet: str, items: object, budget: Budget) -> Table:
    file = budget.file
    if not isinstance(items, list):
        raise reject(file, "json_not_list", sheet=sheet, found=_found(items))
    if len(items) > budget.max_rows:
        budget.row(sheet, len(items), budget.max_rows + 1)
    columns: list[str] = []
    index: dict[str, int] = {}
    rows: list[tuple[int, dict[str, str]]] = []
    for number, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            raise reject(file, "json_row_not_object", sheet=sheet, row=number, found=_found(item))
        budget.column(sheet, number, len(item), str(len(item)))
        budget.cells(len(item), sheet, number)
        texts: dict[str, str] = {}
        original: dict[str, str] = {}
        for name, value in item.items():
            key = header_key(name)
            if key in original:
                raise reject(
                    file,
                    "json_key_duplicate",
                    sheet=sheet,
                    row=number,
                    value=name,
                    other=original[key],
                )
            original[key] = name
            if key not in index:
                index[key] = len(columns)
                columns.append(key)
                budget.column(sheet, number, len(columns), name)
            texts[key] = _value(value, sheet, number, key, budget)
        rows.append((number, texts))
    table = Table(sheet, columns, header_row=0)
    table.rows = [(number, [texts.get(c, "") for c in columns]) for number, texts in rows]
    return table


def _value(value: object, sheet: str, row: int, column: str, budget: Budget) -> str:
    file = budget.file
    try:
        if isinstance(value, dict):
            raise reject(
                file,
                "json_value_not_scalar",
                sheet=sheet,
                row=row,
                column=column,
                value=_compact(value),
                found=_found(value),
            )
        if isinstance(value, list):
            if column not in LIST_COLUMNS:
                raise reject(
                    file,
                    "json_list_not_allowed",
                    sheet=sheet,
                    row=row,
                    column=column,
                    value=_compact(value),
                    expected=", ".join(LIST_COLUMNS),
                )
            budget.cells(len(value), sheet, row)
            parts = []
            for part in value:
                if isinstance(part, (dict, list)) or part is None:
                    raise reject(
                        file,
                        "json_list_item",
                        sheet=sheet,
                        row=row,
                        column=column,
                        value=_compact(part),
                        found=_found(part),
                    )
                parts.append(cell_text(part))
            return "; ".join(p for p in parts if p)
        return cell_text(value)
    except CellRefused as refused:
        params = dict(refused.params)
        if refused.code == "cell_boolean":  # as JSON writes it
            params["value"] = str(params["value"]).lower()
        raise reject(file, refused.code, sheet=sheet, row=row, column=column, **params) from None
