"""An arrangement: in a list, alone with its participants, and as written (with the warnings)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from samarbeid.reference.vocab import (
    COMPLETENESS,
    EXCLUSION_REASONS,
    LEGAL_FORMS,
    PARTICIPANT_KINDS,
    ROLES,
    SECTORS,
    STATUSES,
)
from samarbeid.registry.models import Arrangement
from samarbeid.rules.values import format_established, format_year_or_date
from samarbeid.web import queries

from .fields import Code, Number, Text, UrlField

HOST_STATUSES = [
    ("kommune", "En kommune er vert"),
    ("ingen", "Ingen vertskommune"),
    ("annen", "Et annet organ er vert (ikke en kommune)"),
]


class HostSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=HOST_STATUSES)
    kommunenummer = serializers.CharField(allow_null=True)
    navn = serializers.CharField(allow_null=True)


@extend_schema_field(HostSerializer(allow_null=True))
class HostField(serializers.Field):
    """The host: null when not known; ``{"status": "ingen"}`` when there is none."""

    def __init__(self, **kwargs) -> None:
        kwargs.update(read_only=True, source="*")
        super().__init__(**kwargs)

    def to_representation(self, arrangement: Arrangement):
        status = arrangement.host_status
        if status == Arrangement.HostStatus.MUNICIPALITY and arrangement.host_id:
            host = arrangement.host
            return {"status": "kommune", "kommunenummer": host.number, "navn": host.name}
        if status == Arrangement.HostStatus.NONE:
            return {"status": "ingen", "kommunenummer": None, "navn": None}
        if status == Arrangement.HostStatus.OTHER:
            return {
                "status": "annen",
                "kommunenummer": None,
                "navn": arrangement.host_other or None,
            }
        return None


def established(arrangement: Arrangement) -> str | None:
    """The file's ``etablert``: ``2005``, ``2015-2021``, ``uspesifisert``; None when not known."""
    text = format_established(
        arrangement.established_from,
        arrangement.established_to,
        arrangement.established_unspecified,
    )
    return text or None


class ArrangementSummarySerializer(serializers.Serializer):
    id = serializers.CharField(source="ref", read_only=True, help_text="Ordningens id i filen")
    navn = serializers.CharField(source="name", read_only=True)
    forkortelse = Text(source="abbreviation")
    status = serializers.ChoiceField(choices=STATUSES.choices(), read_only=True)
    juridisk_form = Code(LEGAL_FORMS, source="legal_form")
    sektor = Code(SECTORS, source="sector")
    etablert = serializers.SerializerMethodField(
        help_text="ÅÅÅÅ, ÅÅÅÅ-ÅÅÅÅ eller uspesifisert; null: ikke kjent"
    )
    vertskommune = HostField()
    arsverk = Number(allow_null=True, help_text="Faste årsverk")
    url = UrlField("ordning", lambda a: [a.mapping_id, a.ref])

    def get_etablert(self, arrangement) -> str | None:
        return established(arrangement)


class ArrangementListItemSerializer(ArrangementSummarySerializer):
    antall_deltakere = serializers.IntegerField(
        source="n_participants", read_only=True, help_text="Registrerte deltakere"
    )


class MembershipSerializer(serializers.Serializer):
    deltaker = serializers.SerializerMethodField(help_text="Kommune, fylkeskommune eller annen")
    kommunenummer = serializers.CharField(
        source="municipality.number", default=None, allow_null=True, read_only=True
    )
    fylkesnummer = serializers.CharField(
        source="county.number", default=None, allow_null=True, read_only=True
    )
    type = serializers.ChoiceField(
        source="kind", choices=PARTICIPANT_KINDS.choices(), read_only=True
    )
    rolle = serializers.ChoiceField(source="role", choices=ROLES.choices(), read_only=True)
    eierandel = Number(source="ownership_share", allow_null=True, help_text="Prosent (0–100)")
    inn_dato = serializers.DateField(source="joined_on", allow_null=True, read_only=True)
    ut_dato = serializers.DateField(source="left_on", allow_null=True, read_only=True)
    som_trykt = Text(source="as_printed")
    kilde = Text(source="source")

    def get_deltaker(self, membership) -> str:
        return queries.participant_name(membership)


class ArrangementDetailSerializer(ArrangementSummarySerializer):
    kartlegging = serializers.IntegerField(source="mapping_id", read_only=True)
    navnevarianter = serializers.ListField(
        source="name_variants", child=serializers.CharField(), read_only=True
    )
    utenfor_grunn = Code(EXCLUSION_REASONS, source="exclusion_reason")
    statusmerknad = Text(source="status_note")
    avsluttet = serializers.SerializerMethodField(help_text="ÅÅÅÅ eller ÅÅÅÅ-MM-DD")
    juridisk_form_kilde = Text(source="legal_form_source")
    organisasjonsnummer = Text(source="org_number")
    oppgaveomrader = serializers.SerializerMethodField(help_text="Oppgaveområdenes numre (1–45)")
    vertskommune_kilde = Text(source="host_source")
    arsverk_kilde = Text(source="arsverk_source")
    budsjett = Number(source="budget", allow_null=True, help_text="Kroner")
    beskrivelse = Text(source="description")
    merknader = Text(source="notes")
    kilder = Text(source="sources")
    deltakere_som_trykt = Text(source="participants_as_printed")
    deltakere_oppgitt_antall = serializers.IntegerField(
        source="participant_count_stated", allow_null=True, read_only=True
    )
    deltakerliste = Code(COMPLETENESS, source="participants_completeness")
    deltakere_merknad = Text(source="participants_note")
    deltakere = MembershipSerializer(source="memberships.all", many=True, read_only=True)
    versjon = serializers.IntegerField(
        source="version",
        read_only=True,
        help_text="Øker ved hver endring; send den med når du endrer ordningen (også ETag)",
    )

    def get_avsluttet(self, arrangement) -> str | None:
        return format_year_or_date(arrangement.ended_on, arrangement.ended_precision) or None

    def get_oppgaveomrader(self, arrangement) -> list[int]:
        return sorted(t.nr for t in arrangement.task_areas.all())


class WarningSerializer(serializers.Serializer):
    felt = serializers.CharField(allow_null=True)
    melding = serializers.CharField()
    kode = serializers.CharField()
    rad = serializers.IntegerField(allow_null=True)
    kolonne = serializers.CharField(allow_null=True)
    verdi = serializers.CharField(allow_null=True)


class ArrangementWrittenSerializer(ArrangementDetailSerializer):
    advarsler = WarningSerializer(
        many=True, read_only=True, help_text="Kontrollens advarsler (lagret likevel)"
    )
