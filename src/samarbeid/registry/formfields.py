"""The input boundary for free text typed into a web form (comments, reasons, names of rounds).

Values that become cells of a mapping (an arrangement's fields, its participants, the source of a
change) are checked by :mod:`samarbeid.registry.editing` with the intake's own rules and findings;
every other text field of every form is a :class:`CleanTextField`: the same cleaning (NFC,
invisible characters removed, control characters refused, trimmed), a length that fits the
database column, and no formula in a one-line field (a name); a multi-line field (a comment, a
reason: ``Textarea``) is prose and keeps a leading ``=``, ``-``, ``+`` or ``@`` as typed.
``tests/registry/test_formfields.py`` holds every form to this.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import get_language

from samarbeid.rules.boundary import clean_cell
from samarbeid.rules.findings import ERROR, Finding
from samarbeid.rules.schema import TEXT_MAX, Column


class CleanTextField(forms.CharField):
    """A ``CharField`` whose value has passed the input boundary. ``max_length`` defaults to a
    text column's limit (32 767 characters); single-line fields (no ``Textarea``) refuse line
    breaks."""

    def __init__(self, *, max_length: int | None = None, **kwargs: Any) -> None:
        kwargs.setdefault("strip", True)
        super().__init__(max_length=max_length or TEXT_MAX, **kwargs)

    def to_python(self, value: Any) -> str:
        text = super().to_python(value)
        if not text:
            return text
        one_line = not isinstance(self.widget, forms.Textarea)
        column = Column(
            "", "", max_length=self.max_length or TEXT_MAX, one_line=one_line, prose=not one_line
        )
        cleaned, issues = clean_cell(column, text)
        errors = [issue for issue in issues if issue.severity == ERROR]
        if errors:
            lang = "en" if (get_language() or "").startswith("en") else "nb"
            raise forms.ValidationError(
                [
                    Finding(ERROR, issue.code, "", value=issue.value, params=issue.params).text(
                        lang
                    )
                    for issue in errors
                ],
                code=errors[0].code,
            )
        return cleaned
