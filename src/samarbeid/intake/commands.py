"""Shared pieces of the intake commands: read + validate with clean errors."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from samarbeid.commandbase import UserError
from samarbeid.rules.findings import FileRejected
from samarbeid.rules.validate import CheckResult, Validator

from .reader import read_workbook


def add_common_arguments(parser) -> None:
    parser.add_argument(
        "--lang",
        choices=["nb", "en"],
        default="nb",
        help="Språk for meldingene (nb = norsk bokmål, en = English)",
    )
    parser.add_argument(
        "--dato",
        type=_date,
        default=None,
        help="Kartleggingsdato (ÅÅÅÅ-MM-DD) når filen ikke har den",
    )


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        import argparse

        raise argparse.ArgumentTypeError(f"ugyldig dato «{text}», forventet ÅÅÅÅ-MM-DD") from None


def check_path(path: str, *, mapping_name: str | None, cutoff: dt.date | None) -> CheckResult:
    """Read and validate; a file that cannot be read at all raises FileRejected."""
    book = read_workbook(Path(path))
    return Validator(book, mapping_name=mapping_name, cutoff_date=cutoff).run()


def rejected_error(error: FileRejected, lang: str) -> UserError:
    return UserError(error.finding.format(lang), returncode=2)
