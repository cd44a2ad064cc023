"""The fields the representations share: free text and codes (empty is null), numbers, and
the API's own addresses."""

from __future__ import annotations

from decimal import Decimal

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers


class Text(serializers.CharField):
    """Free text; an empty text is not known: null."""

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("allow_null", True)
        kwargs.setdefault("read_only", True)
        super().__init__(**kwargs)

    def to_representation(self, value):
        return str(value) if value not in (None, "") else None


class Code(serializers.ChoiceField):
    """A code of a controlled vocabulary; empty (not known) is null."""

    def __init__(self, vocabulary, **kwargs) -> None:
        kwargs.setdefault("allow_null", True)
        kwargs.setdefault("read_only", True)
        super().__init__(choices=vocabulary.choices(), **kwargs)

    def to_representation(self, value):
        return value or None


@extend_schema_field({"type": "number", "nullable": True, "minimum": 0})
class Number(serializers.Field):
    """A decimal as a JSON number (integral values as integers, like the file's JSON form)."""

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("read_only", True)
        super().__init__(**kwargs)

    def to_representation(self, value: Decimal):
        return int(value) if value == value.to_integral_value() else float(value)


def absolute(request, name: str, *args) -> str:
    url = reverse(f"api:{name}", args=args)
    return request.build_absolute_uri(url) if request is not None else url


class UrlField(serializers.Field):
    """The object's own address in the API."""

    def __init__(self, name: str, args, **kwargs) -> None:
        kwargs.setdefault("read_only", True)
        kwargs["source"] = "*"
        super().__init__(**kwargs)
        self.view_name = name
        self.args = args

    def to_representation(self, value):
        return absolute(self.context.get("request"), self.view_name, *self.args(value))


UrlField = extend_schema_field({"type": "string", "format": "uri"})(UrlField)
