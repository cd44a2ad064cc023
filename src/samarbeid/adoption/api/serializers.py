"""The shapes of ``/api/utbredelse/``, described for the OpenAPI document: the views build the
data (:func:`samarbeid.adoption.progress.adoption_table` and the dicts of :mod:`.data`); these
serializers say its shape, and the schemathesis test holds every answer to them. Codes are
described in the help texts, not as enums (as the portfolio's API does), so drf-spectacular names
no enum after a field that means different things in different shapes."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from samarbeid.web.api.common import ErrorSerializer

S = serializers
STATUS_HELP = "ikke_startet, tilgjengeliggjort, i_bruk eller stoppet"


def text(help_text: str = "", **kwargs) -> S.CharField:
    return S.CharField(help_text=help_text, **kwargs)


def maybe_text(help_text: str = "") -> S.CharField:
    return S.CharField(allow_null=True, help_text=help_text)


def maybe_int(help_text: str = "") -> S.IntegerField:
    return S.IntegerField(allow_null=True, help_text=help_text)


# --- the progress of a solution (samarbeid utbredelse --format json) ----------------------------


class AdoptionPlaceSerializer(S.Serializer):
    kommunenummer = text("Nummeret på datoen")
    navn = text()


class AdoptionMembersSerializer(S.Serializer):
    i_bruk = AdoptionPlaceSerializer(many=True)
    tilgjengeliggjort = AdoptionPlaceSerializer(many=True)
    stoppet = AdoptionPlaceSerializer(many=True)
    ikke_startet = AdoptionPlaceSerializer(many=True)
    ukjent = AdoptionPlaceSerializer(many=True, help_text="Uten registrert status")


class AdoptionCountsSerializer(S.Serializer):
    i_bruk = S.IntegerField()
    tilgjengeliggjort = S.IntegerField()
    stoppet = S.IntegerField()
    ikke_startet = S.IntegerField()
    ukjent = S.IntegerField(help_text="Kommuner i populasjonen uten registrert status")
    kommuner = AdoptionMembersSerializer(required=False, help_text="Kommunene bak hvert tall")


class AdoptionReportedSerializer(S.Serializer):
    antall = S.IntegerField()
    niva = text("tilgjengeliggjort eller i_bruk")
    per = text("Datoen tallet gjelder (ÅÅÅÅ-MM-DD)")
    som_oppgitt = text("Tidspunktet slik kilden sier det")
    oppgitt_av = text()
    kilde = text()


class AdoptionPopulationSerializer(S.Serializer):
    type = text("alle, fylker, organ, liste eller oppgitt")
    antall = maybe_int("Antall kommuner; null når kilden bare beskriver populasjonen")
    merknad = text()


class AdoptionProgressSerializer(S.Serializer):
    losning = text()
    innsatsomrade = maybe_text()
    tiltak = maybe_text("Referanse og tittel på tiltaket i den siste porteføljen")
    rapportert = AdoptionReportedSerializer(
        allow_null=True, help_text="Tallet andre oppgir (KS), ved siden av registreringene"
    )
    fra_registreringer = S.IntegerField(help_text="Tellingen fra registreringene, på nivået")
    niva = text("Nivået som telles: tilgjengeliggjort (eller mer) eller i_bruk")
    differanse = maybe_int("Rapportert minus fra registreringene")
    status = AdoptionCountsSerializer()
    ambisjon = maybe_int()
    populasjon = AdoptionPopulationSerializer()
    andel = S.FloatField(allow_null=True, help_text="fra_registreringer / ambisjon")
    andel_rapportert = S.FloatField(allow_null=True, help_text="rapportert / ambisjon")


class AdoptionGroupSerializer(S.Serializer):
    gruppe = text("Fylket, organet eller regionen")
    kommuner = S.IntegerField(help_text="Antall kommuner i gruppen")
    losninger = AdoptionProgressSerializer(many=True)


class AdoptionTableSerializer(S.Serializer):
    dato = text("Datoen tallene gjelder (ÅÅÅÅ-MM-DD)")
    per = text("fylke, organ eller region (bare med per)", required=False)
    losninger = AdoptionProgressSerializer(many=True, required=False, help_text="Uten per")
    grupper = AdoptionGroupSerializer(many=True, required=False, help_text="Med per")


# --- solutions ----------------------------------------------------------------------------------


class AdoptionSolutionItemSerializer(S.Serializer):
    id = S.IntegerField()
    navn = text()
    beskrivelse = text()
    kilde = text()
    url = S.URLField()


class AdoptionItemSerializer(S.Serializer):
    portefolje = text()
    ar = S.IntegerField()
    niva = text("nasjonal eller regional")
    organ = maybe_text("Organet en regional portefølje hører til")
    referanse = text("Rang (1–7) eller avsnitt («3.2b»)")
    tittel = text()
    type = text("innforing (innføringsaktivitet) eller felles (felles tiltak)")
    innsatsomrade = maybe_text()
    ambisjon = maybe_int()
    kilde = text()


class AdoptionReportedCountSerializer(S.Serializer):
    antall = S.IntegerField()
    niva = text("tilgjengeliggjort eller i_bruk")
    per = text("ÅÅÅÅ-MM-DD")
    som_oppgitt = text()
    i_teksten = text("Tallet slik teksten sier det («ca. 214»)")
    oppgitt_av = text()
    kilde = text()


class AdoptionSolutionSerializer(AdoptionSolutionItemSerializer):
    tiltak = AdoptionItemSerializer(
        many=True, help_text="Tiltakene i porteføljene som gjelder løsningen"
    )
    rapporterte_tall = AdoptionReportedCountSerializer(many=True)
    utbredelse = AdoptionProgressSerializer(help_text="Nasjonalt, på datoen")


# --- one municipality ---------------------------------------------------------------------------


class AdoptionRecordSerializer(S.Serializer):
    status = text(STATUS_HELP)
    dato = text("Fra hvilken dato statusen gjelder")
    kilde = text()
    merknad = text()
    meldt_av = text("Brukeren, eller kommandoen, som meldte")
    registrert = S.DateTimeField()


class AdoptionStandingSerializer(S.Serializer):
    id = S.IntegerField(help_text="Løsningens id")
    losning = text()
    status = maybe_text(STATUS_HELP + "; null: ingen status")
    siden = maybe_text("Datoen statusen gjelder fra")
    arvet_fra = S.ListField(
        child=S.CharField(),
        help_text="Kommunene statusen er arvet fra (en sammenslåing), når kommunen ikke har "
        "egen registrering",
    )
    registreringer = AdoptionRecordSerializer(
        many=True, help_text="Kommunens egne, til og med datoen"
    )


class AdoptionMunicipalitySerializer(S.Serializer):
    kommunenummer = text()
    navn = text()
    dato = text()
    losninger = AdoptionStandingSerializer(many=True)


# --- reporting ----------------------------------------------------------------------------------


@extend_schema_field({"oneOf": [{"type": "string"}, {"type": "integer"}], "nullable": True})
class NumberField(S.Field):
    """Documentation only: the view reads the body itself (:mod:`.data`)."""


class AdoptionStatusInputSerializer(S.Serializer):
    """Én status, med statusfilens kolonner (samarbeid status-mal)."""

    kommunenummer = NumberField(help_text="Kommunenummeret på datoen (fire sifre); påkrevd")
    kommune = S.CharField(
        required=False, allow_null=True, help_text="Navnet; kontrolleres mot nummeret"
    )
    losning = S.CharField(help_text="Løsningens navn (store og små bokstaver spiller ingen rolle)")
    status = S.CharField(help_text=STATUS_HELP + " (eller «I bruk» osv.)")
    dato = S.CharField(help_text="ÅÅÅÅ-MM-DD eller DD.MM.ÅÅÅÅ; ikke fram i tid")
    kilde = S.CharField(help_text="Hvor opplysningen kommer fra; påkrevd")
    merknad = S.CharField(required=False, allow_null=True)


class AdoptionStatusResultSerializer(S.Serializer):
    rader = S.IntegerField(help_text="Statusene i forespørselen")
    nye = S.IntegerField(help_text="Nye registreringer")
    uendret = S.IntegerField(help_text="Statusen kommunen allerede hadde; ingenting registrert")
    melding = text("«3 rader, 2 nye statuser, 1 uendret»")


class AdoptionStatusProblemSerializer(S.Serializer):
    felt = S.CharField(allow_null=True, help_text="Feltet; null: hele statusen eller forespørselen")
    indeks = S.IntegerField(
        required=False, allow_null=True, help_text="Statusens plass i listen (fra 0)"
    )
    melding = S.CharField()
    kode = S.CharField(required=False)
    verdi = S.CharField(required=False, allow_null=True)


class AdoptionStatusRejectedSerializer(ErrorSerializer):
    feil = AdoptionStatusProblemSerializer(many=True, required=False, help_text="Problemene")
