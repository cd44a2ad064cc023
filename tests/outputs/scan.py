"""Scanners for the files the app writes: a live formula, raw HTML in Markdown.

They are written against the file formats, not against :mod:`samarbeid.core.cells`, so that a
mistake there cannot hide itself: an xlsx is read twice (openpyxl without computing anything, and
the raw XML of every sheet), a csv with the csv module.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile

import openpyxl

#: What a spreadsheet program runs (OWASP: = + - @, tab, carriage return).
LIVE_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"^[+-]?\d[\d\s.,]*%?$")
#: The only HTML the Markdown writer itself puts in: anchors.
_OWN_TAG = re.compile(r'<a id="[^"<>]*"></a>')


def live(text: str) -> bool:
    """Would a spreadsheet program run this cell text? (A plain number such as -5 is a number.)"""
    stripped = text.lstrip(" \u00a0\u200b\n")
    if text.startswith(("\t", "\r")):
        return True
    if stripped in ("-", "+"):  # a dash alone is a text in every spreadsheet program
        return False
    return stripped.startswith(LIVE_START) and not _NUMBER.match(stripped)


def xlsx_problems(data: bytes, name: str) -> list[str]:
    problems = []
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for part in archive.namelist():
            if part.startswith("xl/worksheets/") and part.endswith(".xml"):
                xml = archive.read(part).decode("utf-8")
                if re.search(r"<f[ >/]", xml):
                    problems.append(f"{name}: {part} holds a <f> element")
    book = openpyxl.load_workbook(io.BytesIO(data), data_only=False)
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    problems.append(f"{name}: {sheet.title}!{cell.coordinate} is a formula")
                elif isinstance(cell.value, str) and live(cell.value):
                    problems.append(f"{name}: {sheet.title}!{cell.coordinate} = {cell.value!r}")
    return problems


def xlsx_texts(data: bytes) -> list[str]:
    book = openpyxl.load_workbook(io.BytesIO(data))
    return [
        c
        for s in book.worksheets
        for r in s.iter_rows(values_only=True)
        for c in r
        if isinstance(c, str)
    ]


def csv_problems(data: bytes, name: str) -> list[str]:
    text = data.decode("utf-8-sig")
    return [
        f"{name}: line {n}, cell {i + 1} = {value!r}"
        for n, row in enumerate(csv.reader(io.StringIO(text, newline="")), start=1)
        for i, value in enumerate(row)
        if live(value)
    ]


def md_problems(text: str, name: str) -> list[str]:
    """Any HTML tag (or comment, or declaration) but the writer's own anchors."""
    rest = _OWN_TAG.sub("", text)
    return [
        f"{name}: raw HTML {m.group()!r}" for m in re.finditer(r"<[A-Za-z/!?][^\n]{0,30}", rest)
    ]
