"""The municipalities of a mapping: the summary rows, and one municipality's overview."""

from __future__ import annotations

from rest_framework import serializers

from samarbeid.web import places

from .arrangements import ArrangementSummarySerializer
from .fields import Text, absolute


class SummaryRowSerializer(serializers.Serializer):
    kommunenummer = serializers.CharField(source="number")
    kommune = serializers.CharField(source="name")
    region = Text()
    antall_ordninger = serializers.IntegerField(
        source="arrangements", help_text="Ordninger som telles der kommunen deltar"
    )
    antall_vertskap = serializers.IntegerField(
        source="hosted", help_text="Ordninger som telles der kommunen er vertskommune"
    )
    antall_betjent_av_andre = serializers.IntegerField(
        source="served_by_others",
        help_text="Ordninger som telles der kommunen deltar og en annen (kjent) kommune er vert",
    )
    url = serializers.SerializerMethodField()

    def get_url(self, row) -> str:
        return absolute(
            self.context.get("request"),
            "kartlegging-kommune",
            self.context["mapping"].pk,
            row.number,
        )


class CountySerializer(serializers.Serializer):
    fylkesnummer = serializers.CharField(source="number")
    navn = serializers.CharField(source="name")


class MunicipalityArrangementSerializer(ArrangementSummarySerializer):
    """En ordning kommunen deltar i, med de andre deltakerne."""

    andre_deltakere = serializers.ListField(
        child=serializers.CharField(), read_only=True, help_text="De andre deltakerne"
    )

    def to_representation(self, row: places.MunicipalityRow):
        summary = ArrangementSummarySerializer(row.arrangement, context=self.context)
        return {**summary.data, "andre_deltakere": list(row.others)}


class MunicipalityOverviewSerializer(serializers.Serializer):
    kommunenummer = serializers.CharField(source="period.number")
    kommune = serializers.CharField(source="period.name")
    fylke = CountySerializer(source="period.county")
    i_omfang = serializers.BooleanField(
        source="in_scope", help_text="Om kommunen er en av de kartlagte"
    )
    region = Text()
    innbyggere = serializers.IntegerField(
        source="population", allow_null=True, help_text="Innbyggere 1. januar i kartleggingsåret"
    )
    innbyggere_ar = serializers.IntegerField(source="population_year")
    ordninger = MunicipalityArrangementSerializer(
        source="counted", many=True, help_text="Ordninger som telles der kommunen deltar"
    )
    ordninger_som_ikke_telles = MunicipalityArrangementSerializer(
        source="not_counted", many=True, help_text="Avsluttede og ordninger utenfor definisjonen"
    )
    vertskommune_for = ArrangementSummarySerializer(
        source="hosted", many=True, help_text="Ordninger som telles der kommunen er vert"
    )
    betjent_av_andre = ArrangementSummarySerializer(
        source="served_by_others",
        many=True,
        help_text="Ordninger som telles der kommunen deltar og en annen kommune er vert",
    )
    antall_med_ukjent_vertskommune = serializers.IntegerField(
        source="host_unknown",
        help_text="Ordninger som telles der kommunen deltar og vertskommunen ikke er kjent",
    )
