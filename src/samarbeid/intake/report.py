"""Printing check results for people (text) and programs (json)."""

from __future__ import annotations

import json
from typing import TextIO

from samarbeid.core.i18n import gettext_noop, translate
from samarbeid.rules.findings import Finding

SUMMARY = gettext_noop(
    "{file}: {errors} feil, {warnings} advarsler; {arrangements} ordninger, {members} deltakelser."
)


def print_findings(
    findings: list[Finding],
    out: TextIO,
    lang: str,
    *,
    fmt: str = "text",
    summary: dict[str, object] | None = None,
    show_warnings: bool = True,
) -> None:
    if fmt == "json":
        json.dump(
            {"findings": [f.as_dict(lang) for f in findings], **(summary or {})},
            out,
            ensure_ascii=False,
            indent=1,
        )
        out.write("\n")
        return
    for finding in findings:
        if show_warnings or finding.severity == "error":
            out.write(finding.format(lang) + "\n")
    if summary is not None:
        out.write(translate(SUMMARY, lang).format(**summary) + "\n")
