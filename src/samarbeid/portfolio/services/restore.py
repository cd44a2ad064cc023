"""Restore from the history: an object as it was before a change (its earlier values), or a
removed object as it was. The restore is itself a change, with its source, and can be undone the
same way."""

from __future__ import annotations

from django.apps import apps
from django.db import models, transaction

from .. import history
from ..models import CooperationBody, PortfolioChange
from .base import EditRejected, Problem, bump_version, checked_source, require

KEEP = frozenset({"id", "version", "updated", "body_id"})


def _restored_values(model: type[models.Model], saved: dict) -> dict:
    result = {}
    for field in model._meta.concrete_fields:
        if field.attname in KEEP or field.attname not in saved:
            continue
        result[field.attname] = field.to_python(saved[field.attname])
    return result


def restorable(change: PortfolioChange) -> bool:
    return change.action in (PortfolioChange.Action.UPDATED, PortfolioChange.Action.DELETED)


@transaction.atomic
def restore(change: PortfolioChange, *, user=None, source: str) -> models.Model:
    body: CooperationBody = change.body
    require(
        user,
        "portfolio.restore",
        body,
        f"Bare sekretariatet for {body.name} kan gjenopprette tidligere versjoner.",
    )
    if not restorable(change):
        raise EditRejected(
            [Problem("", "not_restorable", "Bare en endring eller en sletting kan gjenopprettes.")]
        )
    source = checked_source(source)
    model = apps.get_model("portfolio", change.model)
    values = _restored_values(model, change.before or {})
    obj = model.objects.filter(pk=change.object_id).first()
    if change.action == PortfolioChange.Action.DELETED:
        if obj is not None:
            raise EditRejected(
                [Problem("", "exists", f"«{obj}» finnes allerede; det er ikke slettet nå.")]
            )
        if "body_id" in (change.before or {}):
            values["body_id"] = change.before["body_id"]
        obj = model(pk=change.object_id, **values)
        try:
            with transaction.atomic():
                obj.save(force_insert=True)
        except Exception as error:  # a row it pointed at is gone, or a unique value is taken
            raise EditRejected(
                [Problem("", "restore_failed", f"«{change.label}» kan ikke gjenopprettes: {error}")]
            ) from None
        history.record_created(body, obj, source=source, user=user)
        return obj
    if obj is None:
        raise EditRejected(
            [Problem("", "gone", f"«{change.label}» er slettet; gjenopprett slettingen først.")]
        )
    before = history.values(obj)
    if hasattr(obj, "version"):
        bump_version(obj, None, body)
    for attr, value in values.items():
        setattr(obj, attr, value)
    obj.save()
    history.record_updated(body, obj, before, source=source, user=user)
    return obj
