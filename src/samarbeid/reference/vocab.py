"""Controlled vocabularies of the registry (legal forms, sectors, statuses, roles).

Each term has a stable code (stored in the database and written in files), a bokmål label (a
msgid: the English label comes from the one catalogue, django.po) and the spellings a mapping file
may use for it (aliases; the English label is one too). No Django imports here: intake and
analysis use the same lists.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from samarbeid.core.i18n import gettext_noop, translate


@dataclass(frozen=True)
class Term:
    code: str
    nb: str  # the bokmål label, a msgid of the catalogue
    aliases: tuple[str, ...] = ()

    @property
    def en(self) -> str:
        """The English label, from the catalogue (django.po)."""
        return translate(self.nb, "en")

    def label(self, lang: str = "nb") -> str:
        return translate(self.nb, lang)


def alias_key(text: str) -> str:
    """Matching key for a vocabulary entry: case, spacing and the space after § do not matter."""
    text = text.strip().lower().replace("–", "-").replace("§ ", "§")
    return re.sub(r"\s+", " ", text)


class Vocabulary:
    def __init__(self, name: str, terms: list[Term]) -> None:
        self.name = name
        self.terms = tuple(terms)
        self.by_code = {t.code: t for t in terms}
        self._lookup: dict[str, Term] = {}
        for t in terms:
            for spelling in (t.code, t.nb, t.en, *t.aliases):
                self._lookup[alias_key(spelling)] = t

    def parse(self, text: str) -> Term | None:
        return self._lookup.get(alias_key(text))

    def choices(self) -> list[tuple[str, str]]:
        return [(t.code, t.nb) for t in self.terms]

    def codes(self) -> list[str]:
        return [t.code for t in self.terms]


LEGAL_FORMS = Vocabulary(
    "juridisk_form",
    [
        Term(
            "avtale",
            gettext_noop("Avtalebasert samarbeid (kjøp/salg av tjenester)"),
            ("avtale (bilateral)", "avtalebasert", "kjøp/salg", "avtalebasert samarbeid"),
        ),
        Term(
            "vertskommune",
            gettext_noop("Administrativt vertskommunesamarbeid (kommuneloven § 20-2)"),
            (
                "vertskommunesamarbeid",
                "§20-2",
                "§28b",
                "§28-1b",
                "administrativt vertskommunesamarbeid",
            ),
        ),
        Term(
            "vertskommune-nemnd",
            gettext_noop("Vertskommune med felles folkevalgt nemnd (kommuneloven § 20-3)"),
            ("§20-3", "§28c", "§28-1c", "vertskommune med felles folkevalgt nemnd"),
        ),
        Term(
            "styre-27",
            gettext_noop("Styre etter § 27 (gammel kommunelov)"),
            ("styre §27 (gammel kommunelov)", "§27", "§27-samarbeid", "styre etter §27"),
        ),
        Term(
            "ipr",
            gettext_noop("Interkommunalt politisk råd (kommuneloven kap. 18)"),
            ("IPR", "interkommunalt politisk råd"),
        ),
        Term(
            "ko",
            gettext_noop("Kommunalt oppgavefellesskap (kommuneloven kap. 19)"),
            ("KO", "kommunalt oppgavefellesskap"),
        ),
        Term(
            "iks",
            gettext_noop("Interkommunalt selskap (IKS)"),
            ("IKS", "interkommunalt selskap"),
        ),
        Term(
            "as",
            gettext_noop("Aksjeselskap (AS)"),
            ("AS", "ASA", "aksjeselskap"),
        ),
        Term(
            "sa",
            gettext_noop("Samvirkeforetak (SA)"),
            ("SA", "samvirke", "samvirkeforetak"),
        ),
        Term("stiftelse", gettext_noop("Stiftelse"), ("foundation",)),
        Term(
            "ans",
            gettext_noop("Ansvarlig selskap (ANS/DA)"),
            ("ANS", "DA", "ANS/DA"),
        ),
        Term(
            "forening",
            gettext_noop("Forening eller interesseorganisasjon"),
            ("forening", "interesseorganisasjon", "FLI"),
        ),
        Term(
            "plansamarbeid",
            gettext_noop("Plansamarbeid (plan- og bygningsloven § 9-2)"),
            ("plansamarbeid etter plan- og bygningsloven §9-2", "pbl §9-2"),
        ),
        Term("annet", gettext_noop("Annen form"), ("annet", "other")),
    ],
)

#: Legal forms whose participants must include at least two municipalities (or county authorities).
MULTI_MUNICIPAL_FORMS = frozenset({"iks", "ko", "ipr", "vertskommune", "vertskommune-nemnd"})
#: Legal forms where the host municipality is part of the form itself.
HOST_FORMS = frozenset({"vertskommune", "vertskommune-nemnd"})

SECTORS = Vocabulary(
    "sektor",
    [
        Term(
            "administrasjon",
            gettext_noop("Administrasjon og støttetjenester"),
        ),
        Term("helse", gettext_noop("Helsetjenester")),
        Term("sosial", gettext_noop("Sosialtjenester")),
        Term(
            "undervisning",
            gettext_noop("Skoler og barnehager/undervisning"),
        ),
        Term("kultur", gettext_noop("Kultur")),
        Term("teknisk", gettext_noop("Tekniske tjenester")),
        Term(
            "landbruk-natur",
            gettext_noop("Landbruk og naturforvaltning"),
        ),
        Term("naering", gettext_noop("Næringsutvikling")),
        Term("plan-bygg", gettext_noop("Planlegging og byggesak")),
        Term(
            "brann-beredskap",
            gettext_noop("Brannvern og beredskap"),
        ),
        Term("politisk", gettext_noop("Regionale politiske råd")),
    ],
)

STATUSES = Vocabulary(
    "status",
    [
        Term(
            "telles",
            gettext_noop("Telles (formelt samarbeid i drift)"),
            ("counted", "formelt", "aktiv"),
        ),
        Term("avsluttet", gettext_noop("Avsluttet"), ("ended", "nedlagt")),
        Term(
            "utenfor",
            gettext_noop("Utenfor definisjonen (telles ikke)"),
            ("excluded", "ikke formelt", "utelatt"),
        ),
    ],
)

EXCLUSION_REASONS = Vocabulary(
    "utenfor_grunn",
    [
        Term("prosjekt", gettext_noop("Midlertidig prosjekt"), ("project",)),
        Term("fagnettverk", gettext_noop("Fagnettverk"), ("network",)),
        Term(
            "statlig-fylkeskommunalt",
            gettext_noop("Ledet av staten eller fylket"),
            ("state-led", "county-led"),
        ),
        Term(
            "eierskap",
            # xgettext:no-python-format
            gettext_noop("Andre eier over 50 % eller indirekte eierskap"),
            ("ownership",),
        ),
        Term("annet", gettext_noop("Annen grunn"), ("other",)),
    ],
)

PARTICIPANT_KINDS = Vocabulary(
    "deltakertype",
    [
        Term("kommune", gettext_noop("Kommune"), ("municipality",)),
        Term("fylkeskommune", gettext_noop("Fylkeskommune"), ("county",)),
        Term(
            "annen",
            gettext_noop("Annen eier eller deltaker"),
            ("other", "iks", "selskap", "stat"),
        ),
    ],
)

ROLES = Vocabulary(
    "rolle",
    [
        Term("deltaker", gettext_noop("Deltaker"), ("participant",)),
        Term("eier", gettext_noop("Eier"), ("owner",)),
        Term("indirekte-eier", gettext_noop("Indirekte eier"), ("indirect owner",)),
        Term("samarbeidskommune", gettext_noop("Samarbeidskommune")),
        Term("kontorkommune", gettext_noop("Kontorkommune")),
    ],
)

COMPLETENESS = Vocabulary(
    "deltakerliste",
    [
        Term(
            "fullstendig",
            gettext_noop("Fullstendig liste"),
            ("yes", "ja", "complete"),
        ),
        Term(
            "delvis",
            gettext_noop("Delvis liste (oppgitt antall er reelt)"),
            ("partial",),
        ),
        Term("gruppe", gettext_noop("Gruppe (f.eks. alle kommuner i et fylke)"), ("group",)),
    ],
)

ESTABLISHED_UNSPECIFIED = ("uspesifisert", "over lengre tid (uspesifisert)", "unspecified")
