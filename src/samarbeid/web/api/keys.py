"""Making, checking and revoking API keys (:class:`.models.ApiKey`)."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.db import OperationalError, transaction
from django.utils import timezone

from .models import ApiKey

#: How often ``last_used`` is written (not on every request).
TOUCH_EVERY = timedelta(minutes=5)


def digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def issue(user) -> str:
    """A new key for ``user`` (the old one stops working); the only time it is readable."""
    key = secrets.token_urlsafe(32)
    with transaction.atomic():
        ApiKey.objects.filter(user=user).delete()
        ApiKey.objects.create(user=user, digest=digest(key), prefix=key[:8])
    return key


def revoke(user) -> bool:
    deleted, _ = ApiKey.objects.filter(user=user).delete()
    return bool(deleted)


def user_for(key: str):
    """The active user whose key this is, else None."""
    found = ApiKey.objects.select_related("user").filter(digest=digest(key)).first()
    if found is None or not found.user.is_active:
        return None
    now = timezone.now()
    if found.last_used is None or now - found.last_used > TOUCH_EVERY:
        try:
            with transaction.atomic():
                ApiKey.objects.filter(pk=found.pk).update(last_used=now)
        except OperationalError as error:
            from samarbeid.web.errors import contention

            # Bookkeeping only: while another writer holds the database a read must still be
            # answered (and a write gets its own 503); last_used is written next time.
            if contention(error) is None:
                raise
    return found.user
