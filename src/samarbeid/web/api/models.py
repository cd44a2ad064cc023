"""API keys for scripts, stored as SHA-256 digests (the key itself is shown once, when made).

DRF's ``authtoken`` keeps keys in plain text: anyone who reads the database (a backup, a copy for
testing) could write to the registry as any editor. A key here is 32 random bytes, so a fast hash
without salt is enough (as for GitHub's and PyPI's tokens); slow password hashing would only cost
every request time.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class ApiKey(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_key"
    )
    digest = models.CharField(max_length=64, unique=True, help_text="SHA-256 av nøkkelen (hex)")
    prefix = models.CharField(
        max_length=8, help_text="Nøkkelens første tegn, til å kjenne den igjen"
    )
    created = models.DateTimeField(auto_now_add=True)
    last_used = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "API-nøkkel"

    def __str__(self) -> str:
        return f"{self.user} ({self.prefix}…)"
