"""Every text a web form takes passes the input boundary: either the form's own CleanTextField or,
for the cells of a mapping, registry.editing (which the form declares in CHECKED_BY_EDITING)."""

from __future__ import annotations

import importlib
import pkgutil

import pytest
from django import forms
from django.test import override_settings

import samarbeid
from samarbeid.registry.formfields import CleanTextField

#: Forms whose text is never stored (search filters) or is Django's own (sign-in).
NOT_STORED = {"ArrangementFilterForm", "CompareForm", "ThrottledAuthenticationForm"}


def _forms() -> list[type[forms.Form]]:
    for info in pkgutil.walk_packages(samarbeid.__path__, "samarbeid."):
        if ".migrations" in info.name or info.name.endswith(("wsgi", "__main__")):
            continue
        importlib.import_module(info.name)
    found, todo = [], [forms.Form]
    while todo:
        for sub in todo.pop().__subclasses__():
            todo.append(sub)
            if sub.__module__.startswith("samarbeid."):
                found.append(sub)
    return found


def test_every_text_field_of_every_form_passes_the_boundary() -> None:
    found = _forms()
    assert {f.__name__ for f in found} >= {"OpenRoundForm", "StatusForm", "ArrangementForm"}
    unchecked = [
        f"{form.__module__}.{form.__name__}.{name}"
        for form in found
        if form.__name__ not in NOT_STORED
        for name, field in form.base_fields.items()
        if isinstance(field, forms.CharField)
        and not isinstance(field, CleanTextField)
        and name not in getattr(form, "CHECKED_BY_EDITING", ())
    ]
    assert unchecked == []


@pytest.mark.parametrize(
    ("value", "error"),
    [
        ('=HYPERLINK("http://x")', "Cellen begynner med «=»"),
        ("'+1+2", "Cellen begynner med «+»"),
        ("a\x00b", "kontrolltegnet U+0000"),
        ("x" * 151, "Teksten har 151 tegn; feltet tar høyst 150"),
        ("to\nlinjer", "har linjeskift"),
    ],
)
def test_clean_text_field_refuses(value: str, error: str) -> None:
    field = CleanTextField(max_length=150, required=False)
    with pytest.raises(forms.ValidationError) as caught:
        field.clean(value)
    assert any(error in message for message in caught.value.messages)


def test_clean_text_field_cleans() -> None:
    assert CleanTextField().clean("  Kongs\u200bberg A\u030al ") == "Kongsberg Ål"
    area = CleanTextField(widget=forms.Textarea)
    assert area.clean("to\r\nlinjer") == "to\nlinjer"


def test_a_multi_line_field_is_prose_and_keeps_a_leading_formula_character() -> None:
    """A comment may start with «=», «-» or «@» as typed; every output neutralises it."""
    area = CleanTextField(widget=forms.Textarea)
    for typed in ("=Tinn er ikke med", "- se e-post\n- og vedtak", "@kari: stemmer"):
        assert area.clean(typed) == typed
    with pytest.raises(forms.ValidationError):
        area.clean("a\x00b")


@override_settings(LANGUAGE_CODE="en")
def test_clean_text_field_speaks_english() -> None:
    from django.utils import translation

    with translation.override("en"), pytest.raises(forms.ValidationError) as caught:
        CleanTextField().clean("=1+1")
    assert caught.value.messages[0].startswith("The cell starts with “=”")
