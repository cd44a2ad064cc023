"""What every portfolio edit shares: access (:mod:`..rules`), the required source, optimistic
locking on the objects that carry a ``version`` (body, plan, project) and the refusals, which are
the registry's own (:class:`EditForbidden`, :class:`EditRejected` with field problems) plus a
conflict that names the object."""

from __future__ import annotations

import datetime as dt

import rules
from django.db import models
from django.db.models import F
from django.utils import timezone

from samarbeid.registry.edit_checks import clean_source, source_problems
from samarbeid.registry.editing import EditError, EditForbidden, EditRejected, Problem

from ..models import CooperationBody, PortfolioChange

__all__ = ["EditForbidden", "EditRejected", "PortfolioConflict", "Problem"]


class PortfolioConflict(EditError):
    """Someone changed the object after the editor opened it (its version moved on)."""

    def __init__(
        self,
        label: str,
        current_version: int | None,
        changed_by: str,
        changed_at: dt.datetime | None,
        change: PortfolioChange | None = None,
    ) -> None:
        self.label = label
        self.current_version = current_version
        self.changed_by = changed_by
        self.changed_at = changed_at
        self.change = change
        self.deleted = current_version is None
        when = f" {timezone.localtime(changed_at):%d.%m.%Y kl. %H:%M}" if changed_at else ""
        who = f" av {changed_by}" if changed_by else ""
        what = "slettet" if self.deleted else "endret"
        super().__init__(f"«{label}» ble {what}{who}{when} etter at du åpnet den.")
        self.message = str(self)


def require(user, permission: str, obj, message: str) -> None:
    if not rules.has_perm(permission, user, obj):
        if user is None or not user.is_authenticated:
            message = "Du må logge inn for å endre registeret."
        raise EditForbidden(message)


def checked_source(source: str, problems: list[Problem] | None = None) -> str:
    """The change's source, cleaned; refuses (with ``problems`` found before) when it is missing
    or breaks the input boundary."""
    found = list(problems or []) + source_problems(source)
    if found:
        raise EditRejected(found)
    return clean_source(source)


def bump_version(obj: models.Model, expected: int | None, body: CooperationBody) -> None:
    """Optimistic locking: ``UPDATE … SET version = version + 1 WHERE id = … AND version =
    expected``; :class:`PortfolioConflict` when someone saved in between. ``expected`` ``None``
    (a change that cannot clash, such as adding a milestone) just moves the version on."""
    model = type(obj)
    query = model.objects.filter(pk=obj.pk)
    if expected is not None:
        query = query.filter(version=expected)
    if not query.update(version=F("version") + 1):
        current = model.objects.filter(pk=obj.pk).values_list("version", flat=True).first()
        last = (
            PortfolioChange.objects.filter(
                body=body, model=model._meta.model_name, object_id=obj.pk
            )
            .order_by("-at", "-id")
            .first()
        )
        raise PortfolioConflict(
            str(obj), current, last.user_name if last else "", last.at if last else None, last
        )
    obj.version = model.objects.filter(pk=obj.pk).values_list("version", flat=True).get()
