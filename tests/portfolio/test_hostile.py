"""Hostile text in the portfolio's fields comes out of its Markdown as text (no raw HTML, no
line that starts a block) and out of its JSON unchanged."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command

from samarbeid.portfolio.models import ActionPlan, CooperationBody, PlanProject, Project
from tests.outputs.hostile import PAYLOADS

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("payload", PAYLOADS)
def test_plan_outputs_keep_hostile_text_as_text(payload: str) -> None:
    body = CooperationBody.objects.create(name="Organ", source=payload)
    plan = ActionPlan.objects.create(
        body=body, year=2026, title=payload, summary=payload, source="x"
    )
    project = Project.objects.create(
        body=body, code="1", title=payload, owner=payload, description=payload, source="x"
    )
    PlanProject.objects.create(plan=plan, project=project, category="nyetablert", this_year=payload)
    out = io.StringIO()
    call_command("action_plan", organ=body.name, aar=2026, stdout=out)
    markdown = out.getvalue()
    assert "<script" not in markdown
    # A line of data never starts a block: = + - are escaped (core.markdown.line).
    bad = [line for line in markdown.split("\n") if line.lstrip().startswith(("=", "+", "-2"))]
    assert bad == []
    out = io.StringIO()
    call_command("action_plan", organ=body.name, aar=2026, format="json", stdout=out)
    data = json.loads(out.getvalue())
    assert data["prosjekter"][0]["tittel"] == payload and data["sammendrag"] == payload


@pytest.mark.parametrize("payload", PAYLOADS)
def test_pages_keep_hostile_text_as_text(client, payload: str) -> None:
    from django.urls import reverse

    body = CooperationBody.objects.create(name="Organ", description=payload, source=payload)
    plan = ActionPlan.objects.create(
        body=body, year=2026, title=payload, summary=payload, source=payload,
        status=ActionPlan.Status.APPROVED,
    )  # fmt: skip
    project = Project.objects.create(
        body=body, code="1", title=payload, owner=payload, description=payload, source="x"
    )
    PlanProject.objects.create(plan=plan, project=project, category="nyetablert", this_year=payload)
    for url in (reverse("portfolio:body", args=[body.pk]),
                reverse("portfolio:plan", args=[body.pk, 2026])):  # fmt: skip
        page = client.get(url).content.decode()
        assert "<script>alert(1)" not in page
        if payload == "<script>alert(1)</script>":
            assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
