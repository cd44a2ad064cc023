"""Hostile text in every text field of every adoption model (read from the models' ``_meta``, so a
new field is covered without touching this file) comes out of every output as text: no live
formula in the xlsx and CSV files, no raw HTML in the Markdown, escaped in the pages and the
portfolio document's HTML, unchanged in the JSON."""

from __future__ import annotations

import datetime as dt
import io
import itertools
import json

import pytest
from django.apps import apps
from django.core.management import call_command
from django.urls import reverse

from samarbeid.adoption.models import Criterion, Pilot, Score
from tests.outputs import scan
from tests.outputs.hostile import PAYLOADS, _poison, text_fields
from tests.portfolio import factories as pf

from . import factories as f

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert(1)</script>"


@pytest.fixture
def poisoned():
    portfolio, (kj, _digihelse) = f.national()
    f.reported(kj, 215)
    item = kj.items.get()
    criterion = Criterion.objects.create(portfolio=portfolio, text="k", short="k", source="x")
    Score.objects.create(item=item, criterion=criterion, value=3, source="x")
    Pilot.objects.create(item=item, municipality=f.municipality("Bergen"), source="x")
    f.record(kj, f.municipality("Skien"), "i_bruk", dt.date(2024, 3, 1))
    payloads = itertools.cycle(PAYLOADS)
    for model in apps.get_app_config("adoption").get_models():
        fields = text_fields(model)
        for row in model.objects.all():
            for field in fields:
                setattr(row, field.attname, _poison(getattr(row, field.attname), payloads))
            row.save()
    # A payload in a unique name must still be unique: each solution got its own (cycled).
    return portfolio, kj


def _run(name: str, **options) -> str:
    out = io.StringIO()
    call_command(name, stdout=out, stderr=io.StringIO(), **options)
    return out.getvalue()


def test_files_hold_no_live_formula_and_no_raw_html(poisoned, tmp_path) -> None:
    _portfolio, _kj = poisoned
    problems = []
    problems += scan.md_problems(_run("adoption", dato="2024-06-01"), "utbredelse.md")
    problems += scan.md_problems(_run("solution_portfolio", aar=2023), "portefolje.md")
    problems += scan.md_problems(_run("prioritisation", aar=2023), "prioritering.md")
    for per in (None, "fylke"):
        target = tmp_path / f"utbredelse-{per}.xlsx"
        call_command("adoption", format="xlsx", per=per, out=str(target), stderr=io.StringIO())
        problems += scan.xlsx_problems(target.read_bytes(), target.name)
    for fmt in ("xlsx", "csv"):
        target = tmp_path / f"mal.{fmt}"
        call_command("status_template", format=fmt, out=str(target), stderr=io.StringIO())
        data = target.read_bytes()
        problems += (scan.xlsx_problems if fmt == "xlsx" else scan.csv_problems)(data, target.name)
    assert problems == []
    html = _run("solution_portfolio", aar=2023, format="html")
    assert SCRIPT not in html and "&lt;script&gt;" in html
    data = json.loads(_run("adoption", dato="2024-06-01", format="json"))
    assert {row["losning"] for row in data["losninger"]} <= set(PAYLOADS)


def test_pages_and_prefilled_templates_keep_hostile_text_as_text(client, poisoned) -> None:
    _portfolio, kj = poisoned
    urls = [
        reverse("adoption:overview") + "?dato=2024-06-01",
        reverse("adoption:solution", args=[kj.pk]) + "?dato=2024-06-01",
        reverse("adoption:municipality", args=["4003"]) + "?dato=2024-06-01",
    ]
    for url in urls:
        answer = client.get(url)
        assert answer.status_code == 200, url
        assert SCRIPT not in answer.content.decode(), url
    client.force_login(pf.municipality_editor("Skien", "skien"))
    for fmt, check in (("xlsx", scan.xlsx_problems), ("csv", scan.csv_problems)):
        answer = client.get(reverse("adoption:upload_template", args=[fmt]))
        assert answer.status_code == 200
        assert check(answer.content, f"mal.{fmt}") == []
