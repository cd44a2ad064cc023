"""The reference data on municipalities: one period, and one with its history and changes."""

from __future__ import annotations

from rest_framework import serializers

from samarbeid.registry.models import MunicipalityChange

from .fields import absolute
from .municipalities import CountySerializer


class ReferenceMunicipalitySerializer(serializers.Serializer):
    """En kommune: ett nummer og navn i én periode (referansedataene)."""

    kommunenummer = serializers.CharField(source="number")
    navn = serializers.CharField(source="name")
    offisielt_navn = serializers.CharField(source="name_official")
    fylke = CountySerializer(source="county")
    gyldig_fra = serializers.DateField(
        source="valid_from", allow_null=True, help_text="null: før referansedataene begynner"
    )
    gyldig_til = serializers.DateField(
        source="valid_to", allow_null=True, help_text="null: fortsatt gyldig"
    )
    url = serializers.SerializerMethodField(help_text="Kommunen med historikk, en dag den gjaldt")

    def get_url(self, period) -> str:
        day = _get(period, "valid_from") or _get(period, "valid_to")
        url = absolute(self.context.get("request"), "kommune", _get(period, "number"))
        return f"{url}?dato={day.isoformat()}" if day else url


def _get(obj, name: str):
    return obj[name] if isinstance(obj, dict) else getattr(obj, name)


class PeriodRefSerializer(serializers.Serializer):
    kommunenummer = serializers.CharField(source="number")
    navn = serializers.CharField(source="name")


class ChangeSerializer(serializers.Serializer):
    dato = serializers.DateField(source="date")
    type = serializers.ChoiceField(source="kind", choices=MunicipalityChange.Kind.choices)
    fra = PeriodRefSerializer(source="before")
    til = PeriodRefSerializer(source="after")


class ReferenceMunicipalityDetailSerializer(ReferenceMunicipalitySerializer):
    historikk = ReferenceMunicipalitySerializer(
        source="entity_periods",
        many=True,
        help_text="Kommunens numre og navn over tid (samme kommune, uten sammenslåinger)",
    )
    nummerhistorikk = ReferenceMunicipalitySerializer(
        source="number_periods", many=True, help_text="Alle kommuner som har hatt nummeret"
    )
    endringer = ChangeSerializer(
        source="changes",
        many=True,
        help_text="Endringer som begynte eller endte kommunens perioder (også sammenslåinger)",
    )
