"""The role of the portfolio: a body's secretariat (sekretariat) edits everything of that body.

Municipality editors, readers and administrators are the registry's roles
(:class:`~samarbeid.registry.models.RoleAssignment`, superusers); the rules that combine them are
in :mod:`samarbeid.portfolio.rules`."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from .bodies import CooperationBody


class BodyRole(models.Model):
    """A user's role for one cooperation body."""

    class Role(models.TextChoices):
        SECRETARIAT = "sekretariat", "Sekretariat"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="body_roles"
    )
    body = models.ForeignKey(CooperationBody, on_delete=models.CASCADE, related_name="roles")
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.SECRETARIAT)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["body", "user", "id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "body", "role"], name="body_role_once")
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.get_role_display()} for {self.body}"
