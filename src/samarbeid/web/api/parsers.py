"""The API's JSON parser: :func:`samarbeid.core.safejson.loads` (the parser the mapping files use
too) behind a size limit, so every body is refused cleanly (400 or 413, the API's error shape) and
never reaches a view as something Python's ``json`` let through.

Refused, each with ``{"detail": "…", "feil": [{"felt": …, "melding": …}]}``:

- a body over ``settings.DATA_UPLOAD_MAX_MEMORY_SIZE`` bytes (2.5 MB): 413, checked on the
  ``Content-Length`` before anything is read, and while reading;
- not UTF-8, not JSON, nested deeper than :data:`~samarbeid.core.safejson.MAX_DEPTH` (32) levels,
  a key twice in one object, ``NaN``/``Infinity``, a number longer than
  :data:`~samarbeid.core.safejson.MAX_NUMBER_CHARS` (40) characters: 400;
- a number too large to be a number (``1e400``), a text with the NUL character or an unpaired
  surrogate (``"\\ud800"``; no database column can hold either): 400 naming the field.
"""

from __future__ import annotations

import math
from typing import Any

from django.conf import settings
from rest_framework import exceptions, status
from rest_framework.parsers import BaseParser

from samarbeid.core import safejson

_READ_CHUNK = 64 * 1024


class BodyRefused(exceptions.APIException):
    """A body the API does not read: its status, and ``body`` in the API's error shape."""

    def __init__(self, message: str, *, field: str | None = None, status_code: int = 400) -> None:
        super().__init__(message)
        self.status_code = status_code
        self.body = {"detail": message, "feil": [{"felt": field, "melding": message}]}


def limit_bytes() -> int:
    return int(settings.DATA_UPLOAD_MAX_MEMORY_SIZE or 0) or 2_621_440


def _too_large(limit: int) -> BodyRefused:
    return BodyRefused(
        f"Innholdet er for stort: høyst {limit // 1024} kB JSON.",
        status_code=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE,
    )


def _read(stream, limit: int) -> bytes:
    chunks: list[bytes] = []
    size = 0
    while True:
        chunk = stream.read(min(_READ_CHUNK, limit + 1 - size))
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)
        size += len(chunk)
        if size > limit:
            raise _too_large(limit)


UNPAIRED = "Teksten er ikke gyldig Unicode (et uparet surrogattegn, f.eks. \\ud800)."


def _is_unicode(text: str) -> bool:
    """False for a lone surrogate (JSON's "\\ud800"): no database or file can store it."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _path(parent: str | None, key: object) -> str:
    if isinstance(key, int):
        return f"{parent or ''}[{key}]"
    return f"{parent}.{key}" if parent else str(key)


def check_values(data: Any) -> None:
    """Refuse what JSON allows but no field can hold: infinite numbers, NUL characters."""
    stack: list[tuple[str | None, Any]] = [(None, data)]
    while stack:
        where, value = stack.pop()
        if isinstance(value, dict):
            for key, item in value.items():
                if "\x00" in key:
                    raise BodyRefused("Et feltnavn inneholder NUL-tegnet (\\u0000).", field=where)
                if not _is_unicode(key):
                    raise BodyRefused(UNPAIRED, field=where)
                stack.append((_path(where, key), item))
        elif isinstance(value, list):
            stack.extend((_path(where, i), item) for i, item in enumerate(value))
        elif isinstance(value, float) and not math.isfinite(value):
            raise BodyRefused("Tallet er for stort.", field=where)
        elif isinstance(value, str):
            if "\x00" in value:
                raise BodyRefused("Teksten inneholder NUL-tegnet (\\u0000).", field=where)
            if not _is_unicode(value):
                raise BodyRefused(UNPAIRED, field=where)


class SafeJSONParser(BaseParser):
    media_type = "application/json"

    def parse(self, stream, media_type=None, parser_context=None) -> Any:
        limit = limit_bytes()
        request = (parser_context or {}).get("request")
        meta = getattr(request, "META", {}) if request is not None else {}
        try:
            announced = int(meta.get("CONTENT_LENGTH") or 0)
        except ValueError:
            announced = 0
        if announced > limit:
            raise _too_large(limit)
        if stream is None:
            return None
        try:
            data = safejson.loads(_read(stream, limit))
        except safejson.JsonRefused as refused:
            raise BodyRefused(f"Innholdet er ikke gyldig JSON: {refused.detail()}.") from None
        check_values(data)
        return data
