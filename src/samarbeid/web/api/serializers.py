"""JSON representations. Field names follow the mapping-file format (``docs/kartleggingsfil.md``)
where there is a column for the fact; shapes follow the file's JSON form (lists, numbers).

Unknown stays unknown: a fact that is not known is ``null`` with the field present, never ``""``,
``"none"`` or ``0``. "No host municipality" is a value of its own (``vertskommune.status``
``"ingen"``).
"""

from __future__ import annotations

from decimal import Decimal

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
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
from samarbeid.registry.models import Arrangement, MunicipalityChange
from samarbeid.rules.values import format_year_or_date
from samarbeid.web import places, queries

# --- Fields -------------------------------------------------------------------------------------


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


# --- Mappings -----------------------------------------------------------------------------------


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


# --- Arrangements -------------------------------------------------------------------------------


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
    start, end = arrangement.established_from, arrangement.established_to
    if arrangement.established_unspecified:
        return "uspesifisert"
    if start is None:
        return None
    return str(start) if end in (None, start) else f"{start}-{end}"


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


# --- Municipalities in a mapping ----------------------------------------------------------------


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


# --- Reference municipalities -------------------------------------------------------------------


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


# --- Exports ------------------------------------------------------------------------------------


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
