"""How registry values read on the pages. Presentation only: "Ikke kjent" for unknown facts,
never "none" or zero; "Ikke registrert" for free-text notes that were left empty."""

from __future__ import annotations

from decimal import Decimal

from django.utils.formats import get_format, number_format
from django.utils.functional import lazy
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from samarbeid.reference.vocab import (
    COMPLETENESS,
    EXCLUSION_REASONS,
    LEGAL_FORMS,
    PARTICIPANT_KINDS,
    ROLES,
    SECTORS,
    STATUSES,
    Vocabulary,
)
from samarbeid.registry.models import Arrangement
from samarbeid.rules.values import format_established

STATUS_LABELS = {
    "telles": gettext_lazy("Telles"),
    "avsluttet": gettext_lazy("Avsluttet"),
    "utenfor": gettext_lazy("Utenfor definisjonen"),
}

VOCABULARIES: dict[str, Vocabulary] = {
    "legal_form": LEGAL_FORMS,
    "sector": SECTORS,
    "status": STATUSES,
    "exclusion_reason": EXCLUSION_REASONS,
    "kind": PARTICIPANT_KINDS,
    "role": ROLES,
    "completeness": COMPLETENESS,
}


def language() -> str:
    """The reader's language as the vocabularies know it: "en" or "nb"."""
    return "en" if (get_language() or "").startswith("en") else "nb"


def vocab_label(code: str, vocabulary: str) -> str:
    """The label of a code in the reader's language; "" for an empty code (the template says
    "Ikke kjent")."""
    if not code:
        return ""
    term = VOCABULARIES[vocabulary].by_code.get(code)
    return term.label(language()) if term else code


def vocab_choices(vocabulary: Vocabulary) -> list[tuple[str, str]]:
    """``(code, label)`` for a form's choices, the label in the language of the request that
    renders the form (lazy)."""
    return [(t.code, lazy(lambda t=t: t.label(language()), str)()) for t in vocabulary.terms]


def status_label(code: str) -> str:
    return str(STATUS_LABELS.get(code, code))


def decimal(value: Decimal | float | int | None, places: int = 2) -> str:
    """``6,2`` and ``28`` (no trailing zeros); "" for unknown."""
    if value is None:
        return ""
    text = number_format(Decimal(value).quantize(Decimal(1).scaleb(-places)), places)
    separator = get_format("DECIMAL_SEPARATOR")
    if separator in text:
        text = text.rstrip("0").rstrip(separator)
    return text


def amount(value: Decimal | int | None) -> str:
    """Whole kroner with thin grouping: ``1 250 000``; "" for unknown."""
    if value is None:
        return ""
    return f"{int(value):,}".replace(",", "\u00a0")


def established(arrangement: Arrangement) -> str:
    """``2005``, ``2005–2010``, ``Over lengre tid (uspesifisert)``; "" when not known."""
    return format_established(
        arrangement.established_from,
        arrangement.established_to,
        arrangement.established_unspecified,
        dash="–",
        unspecified_text=_("Over lengre tid (uspesifisert)"),
    )


def ended(arrangement: Arrangement) -> str:
    if arrangement.ended_on is None:
        return ""
    if arrangement.ended_precision == "year":
        return str(arrangement.ended_on.year)
    return arrangement.ended_on.strftime("%d.%m.%Y")


def host(arrangement: Arrangement) -> str:
    """The host as text: a municipality, "Ingen vertskommune", another body; "" when unknown."""
    status = arrangement.host_status
    if status == Arrangement.HostStatus.MUNICIPALITY and arrangement.host_id:
        return f"{arrangement.host.name} ({arrangement.host.number})"
    if status == Arrangement.HostStatus.NONE:
        return _("Ingen vertskommune")
    if status == Arrangement.HostStatus.OTHER:
        return arrangement.host_other or _("Annen (ikke en kommune)")
    return ""
