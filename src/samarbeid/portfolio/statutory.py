"""The statutory minimum content of a cooperation agreement per legal form
(``../shared/domain/legal-rules.md`` §2), as a checklist: which items an agreement covers is
recorded with it; a missing item is a finding. Items the law is known to require ([S] sourced or
[V] verified) are errors; items believed but not verified ([U]) are warnings. Pure Python."""

from __future__ import annotations

from dataclasses import dataclass

from samarbeid.core.i18n import gettext_noop

ERROR, WARNING = "feil", "advarsel"


@dataclass(frozen=True)
class Item:
    key: str
    label: str  # bokmål msgid
    verified: bool  # [S]/[V]: required; [U]: believed required, not verified


def _items(*rows: tuple[str, str, bool]) -> tuple[Item, ...]:
    return tuple(Item(*row) for row in rows)


ARCHIVE = ("arkiv", gettext_noop("Hvem som har ansvaret for arkivet etter oppløsning"), True)
DISSOLUTION = ("opplosning", gettext_noop("Oppløsning"), True)
WITHDRAWAL = ("uttreden", gettext_noop("Uttreden"), False)
PARTICIPANTS = ("deltakere", gettext_noop("Hvilke kommuner og fylkeskommuner som deltar"), False)
ADOPTED = ("vedtatt_av_kommunestyret", gettext_noop("Vedtatt av kommunestyret selv"), False)

#: Per legal form (the vocabulary's codes): the items, in the order of legal-rules.md.
CHECKLISTS: dict[str, tuple[Item, ...]] = {
    "ipr": _items(
        ("navn", gettext_noop("Navnet (med «interkommunalt politisk råd» eller «IPR»)"), False),
        ("rettssubjekt", gettext_noop("Om rådet er eget rettssubjekt"), False),
        PARTICIPANTS,
        ("oppgaver", gettext_noop("Rådets oppgaver og myndighet"), False),
        (
            "representanter",
            gettext_noop("Antall medlemmer i representantskapet per deltaker"),
            False,
        ),
        ("innskudd", gettext_noop("Deltakernes økonomiske bidrag (innskuddsplikt)"), False),
        WITHDRAWAL,
        DISSOLUTION,
        ARCHIVE,
        ADOPTED,
    ),
    "ko": _items(
        ("rettssubjekt", gettext_noop("Om fellesskapet er eget rettssubjekt"), True),
        ("oppgaver", gettext_noop("Fellesskapets oppgaver og myndighet"), True),
        ("eierandel", gettext_noop("Hver deltakers eierandel og ansvarsandel"), True),
        ("innskudd", gettext_noop("Innskuddsplikt"), True),
        ("uttreden", gettext_noop("Uttreden"), True),
        DISSOLUTION,
        ARCHIVE,
        ("navn", gettext_noop("Navnet (med «kommunalt oppgavefellesskap» eller «KO»)"), False),
        PARTICIPANTS,
        (
            "representanter",
            gettext_noop("Antall medlemmer i representantskapet per deltaker"),
            False,
        ),
        ADOPTED,
    ),
    "vertskommune": _items(
        ADOPTED,
        (
            "vertskommune",
            gettext_noop("Hvem som er vertskommune og hvem som er samarbeidskommuner"),
            False,
        ),
        (
            "oppgaver",
            gettext_noop("Hvilke oppgaver som overføres og hvilken myndighet som delegeres"),
            False,
        ),
        ("okonomi", gettext_noop("Økonomiske vilkår: hvordan kostnadene deles"), False),
        ("varighet", gettext_noop("Varighet, oppsigelse, uttreden og avvikling"), False),
    ),
    "iks": _items(
        ("skriftlig", gettext_noop("Skriftlig selskapsavtale"), True),
        ("vedtatt_av_kommunestyret", gettext_noop("Vedtatt av kommunestyret selv"), True),
        ("navn", gettext_noop("Foretaksnavnet (med «IKS»)"), False),
        PARTICIPANTS,
        ("hovedkontor", gettext_noop("Kommunen der hovedkontoret er"), False),
        ("formal", gettext_noop("Formålet"), False),
        ("eierandel", gettext_noop("Hver deltakers innskuddsplikt og eierandel"), False),
        (
            "representanter",
            gettext_noop("Antall medlemmer i representantskapet og hvem som oppnevner dem"),
            False,
        ),
    ),
}


def missing(legal_form: str, covers: list[str]) -> list[tuple[str, Item]]:
    """The items of ``legal_form``'s checklist that ``covers`` lacks, each with its severity.
    A form without a checklist (AS, forening, unknown) gives nothing."""
    present = set(covers)
    return [
        (ERROR if item.verified else WARNING, item)
        for item in CHECKLISTS.get(legal_form, ())
        if item.key not in present
    ]
