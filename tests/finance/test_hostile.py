"""Hostile text in every text field of every cost-sharing model (read from the models' ``_meta``,
so a new field is covered without touching this file) — the model's name, description, the
exemption's in-kind text, the assumption, the reported total's source, the version's reason —
comes out of every output as text: no live formula in the xlsx, no raw HTML in the Markdown,
escaped in the pages and the PDF's HTML, unchanged in the JSON."""

from __future__ import annotations

import itertools
import json

import pytest
from django.apps import apps
from django.urls import reverse

from samarbeid.finance import render_pdf
from samarbeid.finance.models import FeeModel
from samarbeid.finance.outputs import document, render
from samarbeid.finance.services import calculate
from tests.outputs import scan
from tests.outputs.hostile import PAYLOADS, _poison, text_fields

from . import factories as f

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert(1)</script>"
#: Fields that are identifiers or codes, not free text: the slug is a Django SlugField (letters,
#: digits, hyphens), the spec's part kinds/keys and kommunenummer are checked by the model's
#: reader (an unknown value is refused, see test_spec.py), so only their free texts are poisoned.
KEEP = {"slug"}


def _poison_spec(spec: dict, payloads) -> dict:
    spec = dict(spec)
    spec["navn"] = next(payloads)
    spec["beskrivelse"] = next(payloads)
    spec["fritak"] = [dict(e, egenbidrag=next(payloads)) for e in spec["fritak"]]
    return spec


@pytest.fixture
def poisoned():
    model = f.fee_model(reported=[{"aar": 2024, "belop": 1000000, "kilde": "k"}])
    payloads = itertools.cycle(PAYLOADS)
    for model_class in apps.get_app_config("finance").get_models():
        fields = [field for field in text_fields(model_class) if field.name not in KEEP]
        for row in model_class.objects.all():
            for field in fields:
                value = getattr(row, field.attname)
                if field.name == "spec":
                    value = _poison_spec(value, payloads)
                elif field.name == "assumed_members":
                    continue  # kommunenummer, read through the gazetteer
                else:
                    value = _poison(value, payloads)
                setattr(row, field.attname, value)
            row.save()
    return FeeModel.objects.get(pk=model.pk)


def test_files_hold_no_live_formula_and_no_raw_html(poisoned):
    calc = calculate([poisoned], 2024, 2026)
    problems = []
    content, _, name = render(calc, "xlsx")
    problems += scan.xlsx_problems(content, name)
    content, _, name = render(calc, "md")
    problems += scan.md_problems(content.decode(), name)
    assert problems == []
    data = json.loads(render(calc, "json")[0])
    assert data["modeller"][0]["navn"] in PAYLOADS
    assert data["merknader"][0].removeprefix("Medlemslisten er antatt: ") in PAYLOADS
    texts = {row["egenbidrag"] for row in data["medlemmer"] if row["fritatt"]}
    assert texts <= set(PAYLOADS)
    html = render_pdf.html(document(data, "nb"), "nb")  # what WeasyPrint is given
    assert SCRIPT not in html


def test_pages_keep_hostile_text_as_text(client, poisoned):
    urls = [
        reverse("finance:models"),
        reverse("finance:model", args=[poisoned.slug]) + "?aar=2024&til_aar=2026",
        reverse("finance:compare") + f"?modell={poisoned.slug}&aar=2024",
    ]
    for url in urls:
        answer = client.get(url)
        assert answer.status_code == 200, url
        page = answer.content.decode()
        assert SCRIPT not in page, url
