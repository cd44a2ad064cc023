"""The shapes of ``/api/kostnadsdeling/``, described for the OpenAPI document: the views build the
data (:func:`samarbeid.finance.document.calculation_data` and the dicts of :mod:`.data`); these
serializers say its shape. Money is whole kroner (integer); costs per inhabitant, fractions and
fairness figures are decimal strings («12.70»), never floats. Codes are described in the help
texts, not as enums (as the portfolio's and the adoption register's APIs do)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from samarbeid.web.api.common import ErrorSerializer

S = serializers


def text(help_text: str = "", **kwargs) -> S.CharField:
    return S.CharField(help_text=help_text, **kwargs)


def maybe_text(help_text: str = "", **kwargs) -> S.CharField:
    return S.CharField(allow_null=True, help_text=help_text, **kwargs)


def maybe_int(help_text: str = "", **kwargs) -> S.IntegerField:
    return S.IntegerField(allow_null=True, help_text=help_text, **kwargs)


def decimal_text(help_text: str = "", **kwargs) -> S.CharField:
    return S.CharField(help_text=help_text + " (desimaltall som tekst, f.eks. «12.70»)", **kwargs)


# --- a model as data (the spec: samarbeid.finance.spec) -----------------------------------------


@extend_schema_field({"oneOf": [{"type": "integer"}, {"type": "string"}], "nullable": True})
class AmountField(S.Field):
    """An amount as stored: an integer, or its decimal text («20.5») when it has decimals."""


@extend_schema_field({"oneOf": [{"type": "number"}, {"type": "string"}], "nullable": True})
class AmountInputField(S.Field):
    """An amount as sent: a number or a text («100 000», «20,50»); null or "" for none."""


@extend_schema_field({"oneOf": [{"type": "integer"}, {"type": "string"}], "nullable": True})
class YearInputField(S.Field):
    """A year as sent (2024 or "2024")."""


class FeePartSerializer(S.Serializer):
    type = text("fast (samme beløp for alle), per_innbygger (pris per innbygger) eller andel")
    belop = AmountField(required=False, help_text="Beløpet i kroner (fast, per_innbygger)")
    andel = AmountField(required=False, help_text="Prosent av budsjettet (andel)")
    fordeling = text("likt, innbyggere, bruk eller eierandel (andel)", required=False)


class FeeExemptionSerializer(S.Serializer):
    kommunenummer = text("Kommunen som er fritatt")
    egenbidrag = text("Hva kommunen bidrar med i stedet")
    verdi = AmountField(help_text="Verdien av egenbidraget, om den er kjent")


class FeeIndexationSerializer(S.Serializer):
    deflator = S.DictField(child=AmountField(), help_text="År → prosent for enkeltår")
    standard = AmountField(help_text="Prosent per år for år uten egen deflator")
    belop = S.BooleanField(help_text="Fast beløp, pris per innbygger og budsjett justeres")
    tak = S.BooleanField(help_text="Taket justeres")
    gulv = S.BooleanField(help_text="Gulvet justeres")


class FeeSpecSerializer(S.Serializer):
    navn = text()
    beskrivelse = text()
    prisaar = S.IntegerField(help_text="Året beløpene gjelder for")
    budsjett = AmountField(help_text="Det modellen skal dekke (selvkost)")
    deler = FeePartSerializer(many=True)
    gulv = AmountField(help_text="Laveste betaling per medlem")
    tak = AmountField(help_text="Høyeste betaling per medlem")
    fritak = FeeExemptionSerializer(many=True)
    indeksering = FeeIndexationSerializer()
    bruk = S.DictField(
        child=S.DictField(child=AmountField()),
        help_text="År → {kommunenummer: bruk}, for fordeling etter bruk",
    )


# --- models -------------------------------------------------------------------------------------


class FeeModelItemSerializer(S.Serializer):
    slug = text("Det korte navnet (adressen)")
    navn = text()
    organ = maybe_text("Samarbeidsorganet modellen gjelder")
    organ_id = maybe_int("Organets id (/api/organer/{id}/)")
    versjon = S.IntegerField()
    endret = S.DateTimeField(help_text="Da siste versjon ble lagret")
    endret_av = maybe_text("Hvem som lagret siste versjon")
    medlemsliste_antatt = S.BooleanField(help_text="Medlemslisten er antatt, ikke registrert")
    url = S.URLField()
    side = S.URLField(help_text="Modellens side")
    beregning = S.URLField(help_text="Beregningen for modellen (standardåret)")


class FeeModelVersionSerializer(S.Serializer):
    versjon = S.IntegerField()
    tidspunkt = S.DateTimeField()
    av = maybe_text("Hvem som lagret; null: ukjent")
    begrunnelse = text("Kilde/begrunnelse for endringen")
    modell = FeeSpecSerializer(help_text="Modellen slik den var i denne versjonen")


class FeeReportedSerializer(S.Serializer):
    aar = S.IntegerField()
    belop = S.IntegerField(help_text="Summen kilden oppgir")
    kilde = text()


class FeeModelSerializer(FeeModelItemSerializer):
    beskrivelse = text()
    modell = FeeSpecSerializer(help_text="Modellen (samme nøkler som når den skrives)")
    antatte_medlemmer = S.ListField(
        child=S.CharField(), help_text="Kommunenummer; tom: organets registrerte medlemmer"
    )
    antakelse = text("Hva som er antatt om medlemmene")
    oppgitt = FeeReportedSerializer(many=True, help_text="Summer en kilde oppgir")
    versjoner = FeeModelVersionSerializer(many=True, help_text="Nyeste først")


class FeeModelInputSerializer(S.Serializer):
    """A model with the reason for the change. The model's fields are read by the model's own
    rules, which say what is wrong field by field (``deler[2].andel``)."""

    navn = S.CharField(help_text="Påkrevd")
    beskrivelse = S.CharField(required=False, allow_null=True)
    prisaar = YearInputField(help_text="Påkrevd: året beløpene gjelder for")
    budsjett = AmountInputField(required=False, help_text="Påkrevd når en del er en andel")
    deler = S.ListField(
        child=S.DictField(),
        help_text="Minst én: {type, belop} eller {type: andel, andel, fordeling}",
    )
    gulv = AmountInputField(required=False)
    tak = AmountInputField(required=False)
    fritak = S.ListField(
        child=S.DictField(),
        required=False,
        allow_null=True,
        help_text="{kommunenummer, egenbidrag, verdi}",
    )
    indeksering = S.DictField(
        required=False,
        allow_null=True,
        help_text="{deflator: {år: prosent}, standard, belop, tak, gulv}",
    )
    bruk = S.DictField(required=False, allow_null=True, help_text="{år: {kommunenummer: tall}}")
    begrunnelse = S.CharField(help_text="Kilde/begrunnelse for endringen; påkrevd")
    slug = S.CharField(
        required=False, help_text="Bare ved oppretting: det korte navnet (tomt: lages av navnet)"
    )
    organ = S.IntegerField(
        required=False,
        allow_null=True,
        help_text="Bare ved oppretting: organets id; påkrevd for sekretariatet",
    )
    medlemmer = S.ListField(
        child=S.CharField(),
        required=False,
        help_text="Antatt medlemsliste (kommunenummer), når organets medlemmer ikke er registrert",
    )
    antakelse = S.CharField(required=False, help_text="Hva som er antatt; påkrevd med medlemmer")
    versjon = S.IntegerField(
        required=False,
        min_value=1,
        help_text="Ved endring: versjonen endringen bygger på (eller If-Match)",
    )


class FeeProblemSerializer(S.Serializer):
    felt = S.CharField(allow_null=True, help_text="Feltet («deler[2].andel», «begrunnelse»)")
    melding = S.CharField()
    kode = S.CharField(required=False)
    rad = S.IntegerField(required=False, allow_null=True)
    kolonne = S.CharField(required=False, allow_null=True)
    verdi = S.CharField(required=False, allow_null=True)


class FeeModelRejectedSerializer(ErrorSerializer):
    feil = FeeProblemSerializer(many=True, required=False, help_text="Problemene, felt for felt")
    advarsler = FeeProblemSerializer(many=True, required=False)


class FeeModelConflictSerializer(S.Serializer):
    detail = S.CharField()
    versjon = S.IntegerField(allow_null=True, help_text="Versjonen nå")
    endret_av = S.CharField(allow_null=True, help_text="Hvem som lagret den")
    endret = S.DateTimeField(allow_null=True, help_text="Når")
    slettet = S.BooleanField()


# --- a calculation (samarbeid kostnad --format json) ----------------------------------------------


class FeeEndSerializer(S.Serializer):
    kommunenummer = text()
    kommune = text()
    per_innbygger = decimal_text("Kroner per innbygger")


class FeeFairnessSerializer(S.Serializer):
    medlemmer = S.IntegerField(help_text="Betalende medlemmer med folketall")
    maks_min = maybe_text("Høyeste kostnad per innbygger delt på laveste")
    variasjonskoeffisient = maybe_text("Standardavvik over gjennomsnitt")
    gini = maybe_text("0: alle betaler det samme per innbygger")
    lavest = FeeEndSerializer(allow_null=True)
    hoyest = FeeEndSerializer(allow_null=True)


class FeeReconciliationSerializer(S.Serializer):
    aar = S.IntegerField()
    belop = S.IntegerField(help_text="Oppgitt sum")
    kilde = text()
    beregnet = S.IntegerField()
    differanse = S.IntegerField(help_text="Beregnet minus oppgitt")
    utenfor = S.IntegerField(help_text="Kommuner i listen utover antallet kilden oppgir")
    lavest = maybe_int("Summen med de største utenfor")
    hoyest = maybe_int("Summen med de minste utenfor")
    forklaring = maybe_text()


class FeeCalculatedModelSerializer(S.Serializer):
    slug = text()
    navn = text()
    versjon = S.IntegerField()
    organ = maybe_text()
    ordning = maybe_text("Ordningen modellen gjelder: navn (kartlegging, id)")
    beskrivelse = text()
    modell = FeeSpecSerializer()
    sum = S.IntegerField(help_text="Summen av betalingene")
    budsjett = maybe_int("Budsjettet i året (indeksert)")
    dekning = maybe_int("Sum minus budsjett (selvkost); negativ: dekker ikke")
    tak_brukt = S.IntegerField(help_text="Medlemmer som betaler taket")
    gulv_brukt = S.IntegerField(help_text="Medlemmer som betaler gulvet")
    fritatt = S.IntegerField(help_text="Fritatte medlemmer")
    tak = maybe_int()
    gulv = maybe_int()
    fast_belop = decimal_text("Fast beløp per medlem i året")
    pris_per_innbygger = decimal_text("Pris per innbygger i året")
    prisindeks = decimal_text("Faktoren fra prisåret")
    rettferdighet = FeeFairnessSerializer()
    merknader = S.ListField(child=S.CharField())
    oppgitt = FeeReconciliationSerializer(many=True, help_text="Oppgitte summer for året")


#: One part of a payment; built with type() because its first key, «del», is a Python keyword.
FeeLineSerializer = type(
    "FeeLineSerializer",
    (S.Serializer,),
    {
        "del": text("fast, per_innbygger eller andel"),
        "tekst": text(),
        "belop": decimal_text("Delens beløp"),
        "andel": text("Prosent (andel)", required=False),
        "fordeling": text("likt, innbyggere, bruk eller eierandel (andel)", required=False),
        "fordeling_tekst": text(required=False),
        "brok": decimal_text("Medlemmets brøk av nøkkelen (andel)", required=False),
        "fordelt": decimal_text("Beløpet andelene deler etter grensene (andel)", required=False),
        "innbyggere": S.IntegerField(required=False, help_text="per_innbygger"),
        "pris": decimal_text("Pris per innbygger (per_innbygger)", required=False),
        "__module__": __name__,
    },
)


class FeeCellSerializer(S.Serializer):
    slug = text()
    betaling = S.IntegerField()
    per_innbygger = maybe_text("Kroner per innbygger")
    tak_brukt = S.BooleanField()
    gulv_brukt = S.BooleanField()
    fritatt = S.BooleanField()
    endring_fra_basis = S.IntegerField(help_text="Kroner i forhold til den første modellen")
    endring_fra_i_fjor = maybe_int("Kroner i forhold til samme modell året før")


class FeeMemberSerializer(S.Serializer):
    kommune = text()
    kommunenummer = text()
    innbyggere = maybe_int("Folketallet per 31.12. året før")
    betaling = S.IntegerField(help_text="Under den første modellen")
    per_innbygger = maybe_text()
    tak_brukt = S.BooleanField()
    gulv_brukt = S.BooleanField()
    fritatt = S.BooleanField()
    beregnet_for_grenser = decimal_text("Betalingen før tak og gulv")
    egenbidrag = maybe_text()
    egenbidrag_verdi = maybe_int()
    regnestykke = FeeLineSerializer(many=True, help_text="Delene betalingen er laget av")
    modeller = FeeCellSerializer(many=True, help_text="Én per modell, i samme rekkefølge")


class FeeProjectionYearSerializer(S.Serializer):
    aar = S.IntegerField()
    sum = S.IntegerField()
    budsjett = maybe_int()
    tak = maybe_int()
    fast_belop = decimal_text()
    pris_per_innbygger = decimal_text()
    tak_brukt = S.IntegerField(help_text="Medlemmer som betaler taket")
    folketall_anslatt = S.BooleanField(help_text="Folketallet er anslått (etter siste kjente år)")


class FeeFirstCapSerializer(S.Serializer):
    kommunenummer = text()
    kommune = text()
    aar = S.IntegerField(help_text="Første år medlemmet betaler taket")


class FeeProjectionSerializer(S.Serializer):
    slug = text()
    aar = FeeProjectionYearSerializer(many=True)
    forste_aar_med_tak = FeeFirstCapSerializer(many=True)
    betaling = S.DictField(
        child=S.DictField(child=S.IntegerField()), help_text="Kommunenummer → {år: betaling}"
    )


class FeeCalculationSerializer(S.Serializer):
    aar = S.IntegerField(help_text="Budsjettåret")
    til_aar = maybe_int("Framskrivingen går til")
    folketall = text("Hvilket folketall som er brukt")
    medlemsliste_antatt = S.BooleanField()
    merknader = S.ListField(child=S.CharField(), help_text="Det alle utdata må si")
    modeller = FeeCalculatedModelSerializer(many=True, help_text="Den første er basis")
    medlemmer = FeeMemberSerializer(many=True)
    sum = S.DictField(child=S.IntegerField(), help_text="Modell → sum")
    framskriving = FeeProjectionSerializer(many=True, help_text="Med til_aar: én per modell")
