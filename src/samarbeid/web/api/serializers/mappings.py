"""A mapping: in the list, and alone with its key figures and scope."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from .fields import Text, UrlField, absolute


class MappingLinksSerializer(serializers.Serializer):
    ordninger = serializers.URLField()
    kommuner = serializers.URLField()
    eksport_csv = serializers.URLField()
    eksport_xlsx = serializers.URLField()
    eksport_json = serializers.URLField()


class MappingSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    navn = serializers.CharField(source="name", read_only=True)
    tittel = Text(source="title")
    dato = serializers.DateField(
        source="cutoff_date", read_only=True, help_text="Datoen kartleggingen gjelder"
    )
    beskrivelse = Text(source="description")
    kilde = Text(source="source")
    status = serializers.ChoiceField(
        choices=["utkast", "kontroll", "frosset"],
        read_only=True,
        help_text="utkast (bare for brukere med rolle), kontroll (offentlig, kontrollrunder) "
        "eller frosset (offentlig, skrivebeskyttet)",
    )
    frosset = serializers.BooleanField(source="frozen", read_only=True)
    antall_ordninger = serializers.IntegerField(source="n_total", read_only=True)
    antall_telles = serializers.IntegerField(
        source="n_counted", read_only=True, help_text="Ordninger med status telles"
    )
    antall_kommuner = serializers.IntegerField(
        source="n_scope", read_only=True, help_text="Kommuner i kartleggingens omfang"
    )
    url = UrlField("kartlegging", lambda m: [m.pk])
    lenker = serializers.SerializerMethodField()

    @extend_schema_field(MappingLinksSerializer)
    def get_lenker(self, mapping) -> dict[str, str]:
        request = self.context.get("request")
        return {
            "ordninger": absolute(request, "ordninger", mapping.pk),
            "kommuner": absolute(request, "kartlegging-kommuner", mapping.pk),
            "eksport_csv": absolute(request, "eksport-csv", mapping.pk),
            "eksport_xlsx": absolute(request, "eksport-xlsx", mapping.pk),
            "eksport_json": absolute(request, "eksport-json", mapping.pk),
        }


class KeyFiguresSerializer(serializers.Serializer):
    antall_ordninger = serializers.IntegerField(source="total")
    antall_telles = serializers.IntegerField(source="counted")
    antall_avsluttet = serializers.IntegerField(source="ended")
    antall_utenfor = serializers.IntegerField(source="excluded")
    antall_kommuner = serializers.IntegerField(source="scope")
    antall_med_kjent_vertskommune = serializers.IntegerField(
        source="with_known_host", help_text="Ordninger som telles og har kjent vertskommune"
    )


class ScopeEntrySerializer(serializers.Serializer):
    kommunenummer = serializers.CharField(source="period.number")
    kommune = serializers.CharField(source="period.name")
    region = Text(source="region.name", default=None)


class MappingDetailSerializer(MappingSerializer):
    nokkeltall = KeyFiguresSerializer(source="figures", read_only=True)
    omfang = ScopeEntrySerializer(
        source="scope_entries",
        many=True,
        read_only=True,
        help_text="Kommunene som er kartlagt, i kartleggingens rekkefølge",
    )
