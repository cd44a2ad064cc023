"""Strings marked for translation in the package's Python code, found by reading it (shared by
tests/web/test_language.py and tests/core/test_i18n.py)."""

from __future__ import annotations

import ast
from collections.abc import Callable
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "samarbeid"


def marked_strings(markers: Callable[[ast.ImportFrom], set[str]]) -> dict[str, str]:
    """The string literals of calls to the names ``markers`` picks from a module's
    ``from … import`` statements, in every module but migrations: text -> where it is."""
    found: dict[str, str] = {}
    for module in sorted(PACKAGE.rglob("*.py")):
        if "migrations" in module.parts:
            continue
        tree = ast.parse(module.read_text(encoding="utf-8"))
        names = {
            name
            for node in ast.walk(tree)
            if isinstance(node, ast.ImportFrom)
            for name in markers(node)
        }
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id in names
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
            ):
                found.setdefault(node.args[0].value, f"{module.relative_to(PACKAGE)}:{node.lineno}")
    return found
