"""Whole-mapping figures kept per registry generation (samarbeid.web.derived)."""

from __future__ import annotations

from dataclasses import asdict

from samarbeid.registry import editing
from samarbeid.registry.models import Arrangement
from samarbeid.registry.summary import municipality_summary
from samarbeid.web import derived


def test_computed_once_per_generation(loaded_example):
    calls = []

    def compute():
        calls.append(1)
        return len(calls)

    assert derived.per_generation("x", loaded_example, compute) == 1
    assert derived.per_generation("x", loaded_example, compute) == 1
    assert derived.per_generation("y", loaded_example, compute) == 2  # another name
    assert len(calls) == 2


def test_summary_follows_an_edit(loaded_example, django_user_model):
    before = derived.summary(loaded_example)
    assert asdict(before) == asdict(municipality_summary(loaded_example))
    target = Arrangement.objects.filter(mapping=loaded_example, status="telles").first()
    user = django_user_model.objects.create_superuser("admin", password="x")
    editing.delete_arrangement(target, user=user, source="test", expected_version=target.version)
    after = derived.summary(loaded_example)
    assert after.counted == before.counted - 1
    assert asdict(after) == asdict(municipality_summary(loaded_example))
