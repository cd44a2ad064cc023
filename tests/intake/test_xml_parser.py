"""Workbooks are parsed with the standard library and defusedxml, also now that lxml is
installed (python-docx needs it): openpyxl would otherwise switch to lxml by itself."""

from __future__ import annotations

import subprocess
import sys


def test_openpyxl_stays_on_defusedxml_when_lxml_is_installed() -> None:
    code = "import samarbeid, openpyxl, lxml; print(openpyxl.LXML, openpyxl.DEFUSEDXML)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "True"]
