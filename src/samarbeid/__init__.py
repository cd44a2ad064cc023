"""Samarbeidsregisteret: the registry of Norwegian inter-municipal cooperation."""

import os

# openpyxl switches to lxml whenever lxml is installed (python-docx brings it). Keep it on the
# standard library's XML with defusedxml, as chosen for uploads (pyproject.toml): the same
# protection against XML bombs, and the same bytes in every workbook we write, whether or not
# lxml happens to be there. Set before anything imports openpyxl.
os.environ.setdefault("OPENPYXL_LXML", "False")

__version__ = "0.1.0"
