"""No writer can bypass samarbeid.core.cells: only that module saves an xlsx or makes a csv.writer.

A new writer that calls openpyxl's ``Workbook.save`` or ``csv.writer`` itself would write formulas
as they are; this test names the module and the line.
"""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src" / "samarbeid"
ALLOWED = {SRC / "core" / "cells.py"}
#: Writers of spreadsheets that go around the mechanism: pandas' and other libraries'.
FORBIDDEN_CALLS = {"to_excel", "to_csv", "ExcelWriter"}
FORBIDDEN_MODULES = {"xlsxwriter", "xlwt", "pyexcel"}


def _type_checking_only(tree: ast.AST) -> set[int]:
    """The ids of the nodes under ``if TYPE_CHECKING:`` (imports for annotations only)."""
    inside: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and getattr(node.test, "id", "") == "TYPE_CHECKING":
            for child in node.body:
                inside.update(id(n) for n in ast.walk(child))
    return inside


def bypasses(source: str) -> list[str]:
    """What in ``source`` writes a spreadsheet without :mod:`samarbeid.core.cells`."""
    tree = ast.parse(source)
    annotations_only = _type_checking_only(tree)
    uses_openpyxl = False
    modules: set[str] = set()  # names bound by imports: ``export.to_csv`` is our own function
    found: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            modules.update((a.asname or a.name).split(".")[0] for a in node.names)
        if id(node) in annotations_only:
            continue
        if isinstance(node, ast.Import):
            for alias in node.names:
                root = alias.name.split(".")[0]
                uses_openpyxl |= root == "openpyxl"
                if root in FORBIDDEN_MODULES:
                    found.append(f"line {node.lineno}: import {alias.name}")
        elif isinstance(node, ast.ImportFrom) and node.module:
            root = node.module.split(".")[0]
            uses_openpyxl |= root == "openpyxl"
            if root in FORBIDDEN_MODULES:
                found.append(f"line {node.lineno}: from {node.module} import …")
            for alias in node.names:
                if root == "openpyxl" and alias.name == "Workbook":
                    found.append(f"line {node.lineno}: from {node.module} import Workbook")
                if root == "csv" and alias.name in ("writer", "DictWriter"):
                    found.append(f"line {node.lineno}: from csv import {alias.name}")
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        owner = (
            func.value.id
            if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name)
            else ""
        )
        if owner == "csv" and name in ("writer", "DictWriter"):
            found.append(f"line {node.lineno}: csv.{name}(…)")
        elif owner == "openpyxl" and name == "Workbook":
            found.append(f"line {node.lineno}: openpyxl.Workbook(…)")
        elif name in FORBIDDEN_CALLS and owner not in modules - {"pd", "pandas"}:
            found.append(f"line {node.lineno}: .{name}(…)")
        elif uses_openpyxl and name == "save":
            found.append(f"line {node.lineno}: .save(…) in a module that uses openpyxl")
    return found


def test_only_core_cells_saves_workbooks_and_makes_csv_writers() -> None:
    offenders = {
        str(path.relative_to(SRC.parent)): found
        for path in sorted(SRC.rglob("*.py"))
        if path not in ALLOWED and (found := bypasses(path.read_text(encoding="utf-8")))
    }
    assert offenders == {}, "write through samarbeid.core.cells instead: " + repr(offenders)


def test_the_guard_sees_each_way_around() -> None:
    assert bypasses("import csv\nw = csv.writer(f)\n")
    assert bypasses("from csv import DictWriter\n")
    assert bypasses("from openpyxl import Workbook\n")
    assert bypasses("import openpyxl\nb = openpyxl.load_workbook(p)\nb.save(p)\n")
    assert bypasses("frame.to_excel('x.xlsx')\n")
    assert bypasses("import pandas as pd\npd.DataFrame(rows).to_csv('x.csv')\n")
    assert bypasses("import xlsxwriter\n")
    assert not bypasses("import csv\nrows = csv.reader(f)\n")
    assert not bypasses("from samarbeid.core import cells\ncells.save_workbook(book, out)\n")
    assert not bypasses(
        "record.save(update_fields=['x'])\n"
    )  # a model, in a module without openpyxl
    assert not bypasses("if TYPE_CHECKING:\n    from openpyxl import Workbook\n")
    assert not bypasses("from . import export\nexport.to_csv(round_)\n")
