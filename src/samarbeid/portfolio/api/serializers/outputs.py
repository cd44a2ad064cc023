"""What the API answers, described for the OpenAPI document: the views build the data
(:mod:`..data`, from ``plan_data`` and ``body_data``); these serializers say its shape, and the
schemathesis test holds every answer to them. Codes are described in the help texts, not as enums
(a code field of the same name in several shapes would make drf-spectacular guess enum names)."""

from __future__ import annotations

from rest_framework import serializers

from samarbeid.web.api.common import ErrorSerializer

S = serializers


def text(help_text: str = "", **kwargs) -> S.CharField:
    return S.CharField(help_text=help_text, **kwargs)


def maybe_text(help_text: str = "") -> S.CharField:
    return S.CharField(allow_null=True, help_text=help_text)


def maybe_int(help_text: str = "") -> S.IntegerField:
    return S.IntegerField(allow_null=True, help_text=help_text)


class FindingSerializer(S.Serializer):
    kode = text("Kontrollens kode")
    sted = text("Hvor i dokumentet")
    melding = text()


class LinksSerializer(S.Serializer):
    api = S.URLField(help_text="Organet i API-et")
    nettside = S.URLField(help_text="Organets side på nettstedet")


class BodyListItemSerializer(S.Serializer):
    id = S.IntegerField()
    navn = text()
    kortnavn = maybe_text()
    juridisk_form = maybe_text("Kode fra vokabularet (iks, ko, ipr …); null: ukjent")
    antall_medlemmer = S.IntegerField(help_text="Medlemmer som ikke har gått ut")
    lenker = LinksSerializer()


class DecisionSerializer(S.Serializer):
    dato = maybe_text("ÅÅÅÅ-MM-DD; null: se tidspunkt")
    tidspunkt = text("Tidspunktet med kildens ord")
    sak = text()
    tekst = text()
    kilde = text()


class GoverningBodySerializer(S.Serializer):
    id = S.IntegerField(help_text="Brukes i vedtatt_av når en plan vedtas")
    navn = text()
    type = maybe_text("besluttende, forberedende, administrativt eller faglig")
    mandat = text()
    vedtak = DecisionSerializer(many=True)


class FocusAreaSerializer(S.Serializer):
    navn = text()
    underomrader = S.ListField(child=S.CharField())


class CatalogueSerializer(S.Serializer):
    tittel = text()
    antall_tiltak = S.IntegerField()
    oppgitt_antall = maybe_int()


class PlanLinkSerializer(S.Serializer):
    ar = S.IntegerField()
    tittel = text()
    status = text("utkast eller vedtatt")
    url = S.URLField()


class AlertSerializer(S.Serializer):
    id = S.IntegerField()
    tittel = text()
    type = text("samarbeidsavtale, selskapsavtale eller leverandoravtale")
    til = S.DateField(help_text="Avtalen løper ut denne dagen")
    dager_igjen = S.IntegerField(help_text="Dager til avtalen løper ut (0: i dag)")


class BodySerializer(S.Serializer):
    """Et samarbeidsorgan: det samme som `samarbeid organ --format json`, med id, versjon,
    planene leseren kan se og avtalene som snart løper ut."""

    id = S.IntegerField()
    navn = text()
    kortnavn = maybe_text()
    juridisk_form = maybe_text()
    organisasjonsnummer = maybe_text()
    oppgitt_antall_medlemmer = maybe_int("Antall medlemmer slik kilden oppgir det")
    medlemmer = S.ListField(child=S.CharField())
    medlemslisten_er_komplett = S.BooleanField()
    styringsorganer = GoverningBodySerializer(many=True)
    satsingsomrader = FocusAreaSerializer(many=True)
    nettverk = S.ListField(child=S.CharField())
    handlingsplaner = S.ListField(child=S.IntegerField(), help_text="Årene leseren kan se")
    tiltakskataloger = CatalogueSerializer(many=True)
    avtaler = S.ListField(child=S.CharField())
    funn = FindingSerializer(many=True)
    kilde = text()
    planer = PlanLinkSerializer(many=True, help_text="Planene leseren kan se (utkast med tilgang)")
    varsler = AlertSerializer(many=True, help_text="Avtaler som løper ut innen varsel_dager")
    varsel_dager = S.IntegerField()
    versjon = S.IntegerField(
        help_text="Organets versjon (også ETag): send den når du endrer finansieringen"
    )
    url = S.URLField()


class MilestoneSerializer(S.Serializer):
    tekst = text()
    nar = text("Når, med planens ord")
    frist = maybe_text("Siste dag «når» tillater (ÅÅÅÅ-MM-DD)")
    ferdig = maybe_text("ÅÅÅÅ-MM-DD")
    kilde = text()


class FundingSerializer(S.Serializer):
    ar = S.IntegerField()
    periode_som_oppgitt = text()
    type = text("skjonnsmidler, medlemskontingent, tilskudd, egeninnsats …")
    giver = text()
    sokt = maybe_int("Kroner")
    innvilget = maybe_int("Kroner")
    egenandel = maybe_int("Kroner")
    vedtaksdato = maybe_text("ÅÅÅÅ-MM-DD")
    kilde = text()


class StatusReportSerializer(S.Serializer):
    dato = text("ÅÅÅÅ-MM-DD")
    lys = maybe_text("gronn, gul eller rod")
    tekst = text()
    kilde = text()


class BenefitSerializer(S.Serializer):
    beskrivelse = text()
    kommune = maybe_text("null: for alle")
    gevinsteier = text()
    indikator = text()
    utgangspunkt = text()
    mal = text()
    nar = text()
    kilde = text()


class PlanProjectSerializer(S.Serializer):
    kode = text()
    tittel = text()
    kategori = text("videreført eller nyetablert")
    eier = text()
    ansvarlig = text()
    fase = maybe_text("ide, forprosjekt, hovedprosjekt, drift, avsluttet eller avlyst")
    soker_midler = S.BooleanField(allow_null=True)
    i_aret = text("Hva som skal gjøres i planåret")
    milepaeler = MilestoneSerializer(many=True)
    finansiering = FundingSerializer(many=True)
    okonomi = text()
    statusrapporter = StatusReportSerializer(many=True)
    gevinster = BenefitSerializer(many=True)
    kilde = text()
    versjon = S.IntegerField(help_text="Prosjektets versjon: send den når du endrer prosjektet")
    url = S.URLField()


class FundingOverTimeSerializer(S.Serializer):
    ar = S.IntegerField()
    som_oppgitt = text()
    belop = S.IntegerField(help_text="Innvilget (ellers søkt), kroner")
    endring = maybe_int("Fra året før")


class PlanSerializer(S.Serializer):
    """En handlingsplan: det samme som `samarbeid handlingsplan --format json`, med versjoner."""

    organ = text()
    ar = S.IntegerField()
    tittel = text()
    status = text("utkast eller vedtatt")
    vedtatt_av = maybe_text()
    vedtatt_dato = maybe_text("ÅÅÅÅ-MM-DD")
    oppgitt_antall_prosjekter = maybe_int()
    sammendrag = text()
    prosjekter = PlanProjectSerializer(many=True)
    finansiering = FundingSerializer(many=True, help_text="For hele planen i planåret")
    finansiering_over_tid = FundingOverTimeSerializer(many=True)
    funn = FindingSerializer(many=True)
    kilde = text()
    organ_id = S.IntegerField()
    versjon = S.IntegerField(help_text="Planens versjon (også ETag)")
    url = S.URLField()


class ProjectMilestoneSerializer(MilestoneSerializer):
    id = S.IntegerField()


class ParticipationItemSerializer(S.Serializer):
    kommunenummer = maybe_text()
    kommune = text()
    deltar = S.BooleanField()
    kilde = text()


class StatusReportItemSerializer(S.Serializer):
    dato = S.DateField()
    lys = maybe_text("gronn, gul eller rod")
    tekst = text()
    kilde = text()


class BenefitItemSerializer(S.Serializer):
    kommunenummer = maybe_text("Tom: gjelder alle deltakende kommuner")
    kommune = maybe_text()
    beskrivelse = text()
    gevinsteier = text()
    indikator = text()
    utgangspunkt = text()
    mal = text()
    nar = text()
    kilde = text()


class ProjectSerializer(S.Serializer):
    """Et prosjekt med feltene slik det skrives (kodekens nøkler), milepæler og deltakelse."""

    kode = text()
    tittel = text()
    type = text()
    eier = text()
    ansvarlig = text()
    fase = maybe_text("ide, forprosjekt, hovedprosjekt, drift, avsluttet eller avlyst")
    samarbeidsform = maybe_text("nettverk, prosjekt, tjenestekjop eller lovfestet")
    soker_midler = S.BooleanField(allow_null=True)
    oppstart = text()
    beskrivelse = text()
    budsjett = maybe_int("Kroner")
    okonomi = text()
    milepaeler = ProjectMilestoneSerializer(many=True)
    deltakelse = ParticipationItemSerializer(many=True)
    statusrapporter = StatusReportItemSerializer(many=True)
    gevinster = BenefitItemSerializer(many=True)
    handlingsplaner = S.ListField(child=S.IntegerField(), help_text="Planene leseren kan se")
    organ_id = S.IntegerField()
    versjon = S.IntegerField(help_text="Prosjektets versjon (også ETag)")
    kilde = text()
    url = S.URLField()


class ParticipationSerializer(S.Serializer):
    prosjekt = text()
    kommunenummer = maybe_text()
    kommune = text()
    deltar = S.BooleanField()
    kilde = text()
    prosjekt_versjon = S.IntegerField()


class FundingRowSerializer(FundingSerializer):
    id = S.IntegerField()
    prosjekt = maybe_text("Prosjektets kode; null: hele planen")
    organ_versjon = S.IntegerField(
        help_text="Organets versjon (også ETag): send den når du endrer finansieringen"
    )
    url = S.URLField()


class AgreementVersionSerializer(S.Serializer):
    versjon = text()
    dato = text("ÅÅÅÅ-MM-DD eller kildens ord")
    forum = text()
    mote_eller_utsending = text()
    endringer = text()
    ansvarlig = text()


class CouncilDecisionSerializer(S.Serializer):
    kommune = text()
    dato = text("ÅÅÅÅ-MM-DD eller kildens ord")
    sak = text()
    utfall = text()


class MissingContentSerializer(S.Serializer):
    punkt = text()
    tekst = text()
    alvor = text()


class AgreementSerializer(S.Serializer):
    """En avtale: det samme som `samarbeid avtaler --format json`, med id."""

    id = S.IntegerField()
    organ_id = maybe_int("null: avtalen hører til en ordning")
    tittel = text()
    organ = maybe_text()
    type = text("samarbeidsavtale, selskapsavtale eller leverandoravtale")
    parter = text()
    leverandor = maybe_text()
    lovgrunnlag = text()
    fra = maybe_text("ÅÅÅÅ-MM-DD")
    til = maybe_text("ÅÅÅÅ-MM-DD")
    varighet_som_oppgitt = text()
    dager_igjen = maybe_int("Dager til avtalen løper ut; negativ: utløpt; null: ingen sluttdato")
    versjon = maybe_text("Avtalens siste versjon i versjonsloggen")
    versjonslogg = AgreementVersionSerializer(many=True)
    kommunestyrevedtak = CouncilDecisionSerializer(many=True)
    juridisk_form = maybe_text()
    minsteinnhold_sjekket = S.BooleanField()
    mangler = MissingContentSerializer(many=True)
    kilde = text()


# --- Refusals -----------------------------------------------------------------------------------


class PortfolioProblemSerializer(S.Serializer):
    felt = S.CharField(
        allow_null=True,
        help_text="Feltet (kodekens nøkkel, «endringskilde», «milepael_tekst» …); null: hele",
    )
    melding = S.CharField()
    kode = S.CharField(required=False)
    rad = S.IntegerField(required=False, allow_null=True)
    kolonne = S.CharField(required=False, allow_null=True)
    verdi = S.CharField(required=False, allow_null=True)


class PortfolioRejectedSerializer(ErrorSerializer):
    feil = PortfolioProblemSerializer(many=True, required=False, help_text="Problemene")
    advarsler = PortfolioProblemSerializer(many=True, required=False)


class PortfolioConflictSerializer(S.Serializer):
    detail = S.CharField()
    versjon = S.IntegerField(allow_null=True, help_text="Versjonen nå")
    endret_av = S.CharField(allow_null=True, help_text="Hvem som endret sist")
    endret = S.DateTimeField(allow_null=True, help_text="Når")
    slettet = S.BooleanField()
