"""Controlled vocabularies of the registry (legal forms, sectors, statuses, roles).

Each term has a stable code (stored in the database and written in files), a Norwegian and an
English label, and the spellings a mapping file may use for it (aliases). No Django imports here:
intake and analysis use the same lists.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Term:
    code: str
    nb: str
    en: str
    aliases: tuple[str, ...] = ()

    def label(self, lang: str = "nb") -> str:
        return self.en if lang == "en" else self.nb


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
            "Avtalebasert samarbeid (kjøp/salg av tjenester)",
            "Agreement-based cooperation (purchase/sale of services)",
            ("avtale (bilateral)", "avtalebasert", "kjøp/salg", "avtalebasert samarbeid"),
        ),
        Term(
            "vertskommune",
            "Administrativt vertskommunesamarbeid (kommuneloven § 20-2)",
            "Administrative host-municipality cooperation (Local Government Act s. 20-2)",
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
            "Vertskommune med felles folkevalgt nemnd (kommuneloven § 20-3)",
            "Host municipality with joint elected board (s. 20-3)",
            ("§20-3", "§28c", "§28-1c", "vertskommune med felles folkevalgt nemnd"),
        ),
        Term(
            "styre-27",
            "Styre etter § 27 (gammel kommunelov)",
            "Board under old s. 27",
            ("styre §27 (gammel kommunelov)", "§27", "§27-samarbeid", "styre etter §27"),
        ),
        Term(
            "ipr",
            "Interkommunalt politisk råd (kommuneloven kap. 18)",
            "Inter-municipal political council (ch. 18)",
            ("IPR", "interkommunalt politisk råd"),
        ),
        Term(
            "ko",
            "Kommunalt oppgavefellesskap (kommuneloven kap. 19)",
            "Municipal task community (ch. 19)",
            ("KO", "kommunalt oppgavefellesskap"),
        ),
        Term(
            "iks",
            "Interkommunalt selskap (IKS)",
            "Inter-municipal company (IKS)",
            ("IKS", "interkommunalt selskap"),
        ),
        Term("as", "Aksjeselskap (AS)", "Limited company (AS)", ("AS", "ASA", "aksjeselskap")),
        Term(
            "sa", "Samvirkeforetak (SA)", "Cooperative (SA)", ("SA", "samvirke", "samvirkeforetak")
        ),
        Term("stiftelse", "Stiftelse", "Foundation", ("foundation",)),
        Term(
            "ans",
            "Ansvarlig selskap (ANS/DA)",
            "General partnership (ANS/DA)",
            ("ANS", "DA", "ANS/DA"),
        ),
        Term(
            "forening",
            "Forening eller interesseorganisasjon",
            "Association",
            ("forening", "interesseorganisasjon", "FLI"),
        ),
        Term(
            "plansamarbeid",
            "Plansamarbeid (plan- og bygningsloven § 9-2)",
            "Planning cooperation (Planning and Building Act s. 9-2)",
            ("plansamarbeid etter plan- og bygningsloven §9-2", "pbl §9-2"),
        ),
        Term("annet", "Annen form", "Other form", ("annet", "other")),
    ],
)

#: Legal forms whose participants must include at least two municipalities (or county authorities).
MULTI_MUNICIPAL_FORMS = frozenset({"iks", "ko", "ipr", "vertskommune", "vertskommune-nemnd"})
#: Legal forms where the host municipality is part of the form itself.
HOST_FORMS = frozenset({"vertskommune", "vertskommune-nemnd"})

SECTORS = Vocabulary(
    "sektor",
    [
        Term("administrasjon", "Administrasjon og støttetjenester", "Administration and support"),
        Term("helse", "Helsetjenester", "Health services"),
        Term("sosial", "Sosialtjenester", "Social services"),
        Term(
            "undervisning", "Skoler og barnehager/undervisning", "Schools, kindergartens, education"
        ),
        Term("kultur", "Kultur", "Culture"),
        Term("teknisk", "Tekniske tjenester", "Technical services"),
        Term("landbruk-natur", "Landbruk og naturforvaltning", "Agriculture and nature management"),
        Term("naering", "Næringsutvikling", "Business development"),
        Term("plan-bygg", "Planlegging og byggesak", "Planning and building permits"),
        Term("brann-beredskap", "Brannvern og beredskap", "Fire and emergency preparedness"),
        Term("politisk", "Regionale politiske råd", "Regional political councils"),
    ],
)

STATUSES = Vocabulary(
    "status",
    [
        Term(
            "telles",
            "Telles (formelt samarbeid i drift)",
            "Counted (formal cooperation in force)",
            ("counted", "formelt", "aktiv"),
        ),
        Term("avsluttet", "Avsluttet", "Ended", ("ended", "nedlagt")),
        Term(
            "utenfor",
            "Utenfor definisjonen (telles ikke)",
            "Excluded (outside the definition)",
            ("excluded", "ikke formelt", "utelatt"),
        ),
    ],
)

EXCLUSION_REASONS = Vocabulary(
    "utenfor_grunn",
    [
        Term("prosjekt", "Midlertidig prosjekt", "Temporary project", ("project",)),
        Term("fagnettverk", "Fagnettverk", "Professional network", ("network",)),
        Term(
            "statlig-fylkeskommunalt",
            "Ledet av staten eller fylket",
            "Led by the state or county",
            ("state-led", "county-led"),
        ),
        Term(
            "eierskap",
            "Andre eier over 50 % eller indirekte eierskap",
            "Others own over 50 % or indirect ownership",
            ("ownership",),
        ),
        Term("annet", "Annen grunn", "Other reason", ("other",)),
    ],
)

PARTICIPANT_KINDS = Vocabulary(
    "deltakertype",
    [
        Term("kommune", "Kommune", "Municipality", ("municipality",)),
        Term("fylkeskommune", "Fylkeskommune", "County authority", ("county",)),
        Term(
            "annen",
            "Annen eier eller deltaker",
            "Other owner or participant",
            ("other", "iks", "selskap", "stat"),
        ),
    ],
)

ROLES = Vocabulary(
    "rolle",
    [
        Term("deltaker", "Deltaker", "Participant", ("participant",)),
        Term("eier", "Eier", "Owner", ("owner",)),
        Term("indirekte-eier", "Indirekte eier", "Indirect owner", ("indirect owner",)),
        Term("samarbeidskommune", "Samarbeidskommune", "Cooperating municipality"),
        Term("kontorkommune", "Kontorkommune", "Office municipality"),
    ],
)

COMPLETENESS = Vocabulary(
    "deltakerliste",
    [
        Term("fullstendig", "Fullstendig liste", "Complete list", ("yes", "ja", "complete")),
        Term("delvis", "Delvis liste (oppgitt antall er reelt)", "Partial list", ("partial",)),
        Term("gruppe", "Gruppe (f.eks. alle kommuner i et fylke)", "Group", ("group",)),
    ],
)

ESTABLISHED_UNSPECIFIED = ("uspesifisert", "over lengre tid (uspesifisert)", "unspecified")
