"""The downloads: what the description says about their bodies."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes

EXPORT_JSON_SCHEMA = {
    "type": "object",
    "description": "Kartleggingsfilens JSON-form (samme som `samarbeid export --format json`).",
    "properties": {
        "format": {"type": "string"},
        "versjon": {"type": "integer"},
        "kartlegging": {
            "type": "object",
            "additionalProperties": {"type": "string", "nullable": True},
        },
        "kommuner": {"type": "array", "items": {"type": "object"}},
        "ordninger": {"type": "array", "items": {"type": "object"}},
        "deltakere": {"type": "array", "items": {"type": "object"}},
    },
    "required": ["format", "versjon", "kartlegging", "kommuner", "ordninger", "deltakere"],
}
BINARY = OpenApiTypes.BINARY
