"""Every change of a body's data goes into :class:`PortfolioChange`, with its source."""

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
        if isinstance(value, dt.date):
            value = value.isoformat()
        elif isinstance(value, Decimal):
            value = str(value)
        result[field.attname] = value
    return result


def record_created(body: CooperationBody, obj: models.Model, *, source: str, user=None) -> None:
    PortfolioChange.objects.create(
        body=body,
        model=obj._meta.model_name,
        object_id=obj.pk,
        label=str(obj)[:300],
        action=PortfolioChange.Action.CREATED,
        user=user,
        user_name=user_label(user),
        source=source,
        after=values(obj),
    )
