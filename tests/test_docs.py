"""docs/kartleggingsfil.md documents every sheet and column the rules know (rules/schema.py),
and the README points to it."""

from __future__ import annotations

import re
from pathlib import Path

from samarbeid.rules.schema import SHEETS

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "kartleggingsfil.md"


def test_every_sheet_and_column_is_documented() -> None:
    text = DOC.read_text(encoding="utf-8")
    named = set(re.findall(r"`([a-z_]+)`", text))
    missing = [
        f"{sheet.name}.{column.key}"
        for sheet in SHEETS
        for column in sheet.columns
        if column.key not in named and column.key not in ("felt", "verdi")
    ]
    assert missing == []
    for sheet in SHEETS:
        assert f"**{sheet.name}**" in text or f"`{sheet.name}`" in text


def test_the_readme_links_the_format() -> None:
    assert "(docs/kartleggingsfil.md)" in (ROOT / "README.md").read_text(encoding="utf-8")


def test_no_template_comment_spans_lines() -> None:
    """Django's {# … #} ends at the line's end: a comment over two lines is printed on the page.
    Longer comments use {% comment %}."""
    package = ROOT / "src" / "samarbeid"
    open_comments = [
        f"{template.relative_to(package)}:{number}"
        for template in sorted(package.rglob("*.html"))
        for number, line in enumerate(template.read_text(encoding="utf-8").splitlines(), 1)
        if line.count("{#") > line.count("#}")
    ]
    assert open_comments == []
