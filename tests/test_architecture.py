"""One direction of dependencies (docs/architecture.md): the import-linter contracts in
pyproject.toml hold, they catch a violation, and the pure base imports without Django."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")
PURE = ("core", "reference", "rules", "analysis")
#: Pure modules inside a Django app (the portfolio's checks and period reading).
PURE_MODULES = ("portfolio.checks", "portfolio.periods")


def _lint(cwd: Path, src: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"],
        cwd=cwd,
        env={"PYTHONPATH": str(src), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_the_contracts_hold() -> None:
    result = _lint(ROOT, ROOT / "src")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "2 kept, 0 broken" in result.stdout


@pytest.mark.parametrize(
    ("module", "line", "broken"),
    [
        ("analysis/__init__.py", "import samarbeid.registry.models", "One direction"),
        ("registry/__init__.py", "import samarbeid.web.urls", "One direction"),
        ("intake/__init__.py", "import samarbeid.reports", "One direction"),
        ("rules/__init__.py", "import django.db", "never import Django"),
        ("portfolio/checks.py", "import django.db", "never import Django"),
        ("registry/__init__.py", "import samarbeid.portfolio.models", "One direction"),
    ],
)
def test_a_violation_is_caught(tmp_path: Path, module: str, line: str, broken: str) -> None:
    src = tmp_path / "src"
    shutil.copytree(ROOT / "src" / "samarbeid", src / "samarbeid", ignore=_no_data)
    target = src / "samarbeid" / module
    target.write_text(target.read_text() + f"\n{line}\n")
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    result = _lint(tmp_path, src)
    assert result.returncode == 1, result.stdout + result.stderr
    report = " ".join(result.stdout.split())  # contract names wrap in the report
    verdicts = [part.rsplit(" KEPT", 1)[-1] for part in report.split(" BROKEN")[:-1]]
    assert any(broken in verdict for verdict in verdicts), report


def _no_data(folder: str, names: list[str]) -> list[str]:
    return [n for n in names if not (n.endswith(".py") or Path(folder, n).is_dir())]


def test_the_pure_base_imports_without_django() -> None:
    """Every module of core, reference, rules and analysis, and the portfolio's checks and
    periods, imports with Django (and DRF and
    django-rules) made unimportable."""
    script = (
        "import importlib, pkgutil, sys\n"
        "for name in ('django', 'rest_framework', 'rules'):\n"
        "    sys.modules[name] = None\n"
        "import samarbeid\n"
        "done = []\n"
        f"for package in {PURE!r}:\n"
        "    root = importlib.import_module('samarbeid.' + package)\n"
        "    done.append(root.__name__)\n"
        "    for info in pkgutil.walk_packages(root.__path__, root.__name__ + '.'):\n"
        "        importlib.import_module(info.name)\n"
        "        done.append(info.name)\n"
        f"for module in {PURE_MODULES!r}:\n"
        "    done.append(importlib.import_module('samarbeid.' + module).__name__)\n"
        "assert 'django' not in [m.split('.')[0] for m in sys.modules if sys.modules[m]]\n"
        "print(len(done))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=300, check=False
    )
    assert result.returncode == 0, result.stderr
    assert int(result.stdout) >= 30
