"""What a client sends: the codec's fields (:mod:`samarbeid.portfolio.fields`, the same Norwegian
keys as the forms and the plan file) with the JSON types each accepts, the change's source
(``endringskilde``) and, for a versioned object, ``versjon`` (or ``If-Match``).

The fields only check the JSON shape; the values go to the services unchanged, where the codec
cleans them (input boundary, dates, amounts, choices) and says what is wrong, field by field. A
key the body does not know is refused, as in the arrangement API.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from samarbeid.web.api.writes import MAX_VERSION

from ... import fields as codec
from ...models import ActionPlan, Benefit, FundingApplication, Milestone, Project, StatusReport


class Input(serializers.Serializer):
    """A JSON object with known keys only."""

    def to_internal_value(self, data):
        if not isinstance(data, dict):
            raise serializers.ValidationError({"non_field_errors": [_("Send et JSON-objekt.")]})
        unknown = set(data) - set(self.fields)
        if unknown:
            raise serializers.ValidationError(
                {name: [_("Ukjent felt.")] for name in sorted(unknown)}
            )
        return super().to_internal_value(data)


def source_field() -> serializers.CharField:
    return serializers.CharField(
        required=False,
        allow_blank=True,
        help_text="Hvor opplysningene kommer fra (påkrevd), f.eks. «Møte i rådet 3. februar»",
    )


def version_field(what: str) -> serializers.IntegerField:
    return serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=MAX_VERSION,
        help_text=f"{what} endringen bygger på (eller If-Match); påkrevd",
    )


# --- One field of the codec ---------------------------------------------------------------------


class Value(serializers.Field):
    """A value of the codec, passed on as it came; null is empty."""

    accepts: tuple[type, ...] = (str,)
    expected = gettext_noop("Skriv en tekst.")

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("allow_null", True)
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        if isinstance(data, bool) and bool not in self.accepts:
            raise serializers.ValidationError(_(self.expected))
        if not isinstance(data, self.accepts):
            raise serializers.ValidationError(_(self.expected))
        return data

    def to_representation(self, value):
        return value


@extend_schema_field({"type": "string", "nullable": True})
class TextValue(Value):
    pass


@extend_schema_field(
    {"oneOf": [{"type": "integer", "minimum": 0}, {"type": "string"}], "nullable": True}
)
class NumberValue(Value):
    """An amount, a year or a count: a JSON number or the text a form takes («500 000»)."""

    accepts = (str, int, float)
    expected = gettext_noop("Skriv et tall.")


@extend_schema_field({"oneOf": [{"type": "boolean"}, {"type": "string"}], "nullable": True})
class YesNoValue(Value):
    """true/false, or «ja»/«nei»."""

    accepts = (str, bool)
    expected = gettext_noop("Skriv true, false, «ja» eller «nei».")


HINTS = {
    codec.DATE: "ÅÅÅÅ-MM-DD eller DD.MM.ÅÅÅÅ",
    codec.KRONER: "hele kroner",
    codec.YEAR: "årstall",
    codec.COUNT: "helt tall, 0 eller mer",
}


def value_field(model, field: codec.Field) -> serializers.Field:
    hint = HINTS.get(field.kind, "")
    if field.kind == codec.CHOICE:
        choices = model._meta.get_field(field.attr).choices
        hint = "én av " + ", ".join(value for value, _label in choices)
    help_text = (
        field.label + (f" ({hint})" if hint else "") + ("; påkrevd" if field.required else "")
    )
    if field.kind in (codec.KRONER, codec.YEAR, codec.COUNT):
        return NumberValue(help_text=help_text)
    if field.kind == codec.YES_NO:
        return YesNoValue(help_text=help_text)
    return TextValue(help_text=help_text)


class CodecInput(Input):
    """The codec's fields of ``model`` are the body's fields (added in :meth:`get_fields`)."""

    model: type = Project

    def get_fields(self):
        fields = super().get_fields()
        for field in codec.MODEL_FIELDS[self.model]:
            fields[field.key] = value_field(self.model, field)
        return fields


# --- The bodies of the operations ---------------------------------------------------------------


class PlanChangeInputSerializer(CodecInput):
    """Handlingsplanens egen tekst: bare feltene som sendes, endres."""

    model = ActionPlan
    versjon = version_field("Planens versjon")
    endringskilde = source_field()


class RollOverInputSerializer(Input):
    """Utkast til neste års plan: året (valgfritt) og kilden."""

    ar = serializers.IntegerField(
        required=False,
        min_value=1900,
        max_value=2200,
        help_text="Året det nye utkastet gjelder; standard: året etter planen",
    )
    endringskilde = source_field()


@extend_schema_field({"oneOf": [{"type": "integer"}, {"type": "string"}]})
class GoverningBodyField(serializers.Field):
    """A governing body of the plan's body: its id or its exact name."""

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, int | str):
            raise serializers.ValidationError(_("Skriv styringsorganets id eller navn."))
        return data


class ApproveInputSerializer(Input):
    """Vedtaket: styringsorganet, datoen, planens versjon og kilden."""

    vedtatt_av = GoverningBodyField(
        required=False,
        help_text="Styringsorganet som vedtok planen: id (fra organet) eller eksakt navn",
    )
    vedtatt_dato = serializers.CharField(
        required=False, allow_blank=True, help_text="Datoen planen ble vedtatt (ÅÅÅÅ-MM-DD)"
    )
    versjon = version_field("Planens versjon")
    endringskilde = source_field()


class MilestoneFieldsSerializer(CodecInput):
    """En milepæl: tekst, når (planens ord) og ferdig-dato."""

    model = Milestone


class NewProjectInputSerializer(CodecInput):
    """Et nytt prosjekt i utkastet (nyetablert), med første milepæl om ønsket."""

    model = Project
    milepael = MilestoneFieldsSerializer(
        required=False, allow_null=True, help_text="Prosjektets første milepæl (valgfri)"
    )
    endringskilde = source_field()


class ProjectChangeInputSerializer(CodecInput):
    """Prosjektets felt: bare feltene som sendes, endres."""

    model = Project
    versjon = version_field("Prosjektets versjon")
    endringskilde = source_field()


@extend_schema_field({"type": "string", "enum": [Project.Phase.ENDED, Project.Phase.CANCELLED]})
class EndPhaseField(Value):
    pass


class EndProjectInputSerializer(Input):
    """Prosjektet avsluttes eller avlyses: fasen, prosjektets versjon og kilden."""

    fase = EndPhaseField(help_text="avsluttet eller avlyst")
    versjon = version_field("Prosjektets versjon")
    endringskilde = source_field()


class MilestoneInputSerializer(CodecInput):
    """En ny milepæl for prosjektet."""

    model = Milestone
    handlingsplan = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=0,
        max_value=32767,
        help_text="Året til handlingsplanen milepælen hører til; standard: den nyeste planen "
        "prosjektet er med i",
    )
    endringskilde = source_field()


class StatusReportInputSerializer(CodecInput):
    """En statusrapport for prosjektet (lagres som den er, endres ikke senere)."""

    model = StatusReport
    endringskilde = source_field()


class BenefitInputSerializer(CodecInput):
    """En forventet gevinst, for én medlemskommune eller alle."""

    model = Benefit
    kommunenummer = serializers.RegexField(
        r"^[0-9]{4}$",
        required=False,
        allow_null=True,
        help_text="Medlemskommunen gevinsten gjelder; tom: alle deltakende kommuner",
    )
    endringskilde = source_field()


class ParticipationInputSerializer(Input):
    """Om kommunen deltar, og kilden."""

    deltar = serializers.BooleanField(help_text="true: kommunen deltar; false: den melder seg ut")
    endringskilde = source_field()


class FundingInputSerializer(CodecInput):
    """En søknad om midler (eller et tilskudd) for et år, for ett prosjekt eller hele planen."""

    model = FundingApplication
    prosjekt = serializers.CharField(
        required=False,
        allow_null=True,
        allow_blank=True,
        help_text="Prosjektets kode; tom eller utelatt: hele planen",
    )
    endringskilde = source_field()


class FundingChangeInputSerializer(CodecInput):
    """Søknadens felt (f.eks. innvilget beløp og vedtaksdato): bare feltene som sendes, endres."""

    model = FundingApplication
    versjon = version_field("Organets versjon (ETag fra organet eller finansieringen)")
    endringskilde = source_field()
