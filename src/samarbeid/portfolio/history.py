"""Every change of a body's data goes into :class:`PortfolioChange`, with its source: created,
changed (before and after) and deleted. Restore (:mod:`.services.restore`) reads it back."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import models

from samarbeid.registry.history import user_label

from .models import CooperationBody, PortfolioChange


def values(obj: models.Model) -> dict[str, object]:
    """The object's own columns as JSON values (dates as ISO text, amounts as text)."""
    result: dict[str, object] = {}
    for field in obj._meta.concrete_fields:
        value = getattr(obj, field.attname)
        if isinstance(value, (dt.datetime, dt.date)):
            value = value.isoformat()
        elif isinstance(value, Decimal):
            value = str(value)
        result[field.attname] = value
    return result


def _record(
    body: CooperationBody,
    obj: models.Model,
    action: str,
    *,
    source: str,
    user=None,
    before: dict | None = None,
    after: dict | None = None,
) -> PortfolioChange:
    return PortfolioChange.objects.create(
        body=body,
        model=obj._meta.model_name,
        object_id=obj.pk,
        label=str(obj)[:300],
        action=action,
        user=user if getattr(user, "is_authenticated", False) else None,
        user_name=user_label(user),
        source=source,
        before=before,
        after=after,
    )


def record_created(
    body: CooperationBody, obj: models.Model, *, source: str, user=None
) -> PortfolioChange:
    return _record(
        body, obj, PortfolioChange.Action.CREATED, source=source, user=user, after=values(obj)
    )


def record_updated(
    body: CooperationBody, obj: models.Model, before: dict, *, source: str, user=None
) -> PortfolioChange | None:
    """The change from ``before`` (:func:`values` read before the change) to the object now;
    nothing when nothing changed."""
    after = values(obj)
    if {k: v for k, v in after.items() if k not in IGNORED} == {
        k: v for k, v in before.items() if k not in IGNORED
    }:
        return None
    return _record(
        body,
        obj,
        PortfolioChange.Action.UPDATED,
        source=source,
        user=user,
        before=before,
        after=after,
    )


def record_deleted(
    body: CooperationBody, obj: models.Model, *, source: str, user=None
) -> PortfolioChange:
    """Call before deleting: the object as it was (with its id, so restore can bring it back)."""
    return _record(
        body, obj, PortfolioChange.Action.DELETED, source=source, user=user, before=values(obj)
    )


#: Columns that change on every save without being a change of content.
IGNORED = frozenset({"version", "updated"})
