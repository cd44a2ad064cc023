"""The answers of ``/api/kostnadsdeling/modeller/`` as plain data (shapes: :mod:`.serializers`),
and reading a written model from the request's body: the model's own fields go to the spec's
rules unchanged; the reason, the short name, the body and the assumed member list are read here,
each problem at its field."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_noop

from samarbeid.portfolio.models import CooperationBody
from samarbeid.registry.edit_checks import text_problems
from samarbeid.registry.editing import Problem

from ..members import gazetteer
from ..models import FeeModel, FeeModelVersion
from ..query import YEAR
from ..services import RESERVED_SLUGS

#: Keys of a written model that are not the model's own (the spec's).
META = ("begrunnelse", "versjon", "slug", "organ", "medlemmer", "antakelse")


def _absolute(request, url: str) -> str:
    return request.build_absolute_uri(url) if request is not None else url


def _latest(model: FeeModel) -> FeeModelVersion | None:
    return model.versions.order_by("-number").first()


def model_item(request, model: FeeModel, latest: FeeModelVersion | None = None) -> dict[str, Any]:
    latest = latest or _latest(model)
    calculation = reverse("finance_api:beregning") + "?" + urlencode({"modell": model.slug})
    return {
        "slug": model.slug,
        "navn": model.name,
        "organ": model.body.name if model.body_id else None,
        "organ_id": model.body_id,
        "versjon": model.version,
        "endret": (latest.created_at if latest else model.updated_at).isoformat(),
        "endret_av": (latest.author_name or None) if latest else None,
        "medlemsliste_antatt": bool(model.assumed_members),
        "url": _absolute(request, reverse("finance_api:modell", args=[model.slug])),
        "side": _absolute(request, reverse("finance:model", args=[model.slug])),
        "beregning": _absolute(request, calculation),
    }


def model_detail(request, model: FeeModel) -> dict[str, Any]:
    versions = list(model.versions.order_by("-number"))
    spec = model.spec or {}
    return {
        **model_item(request, model, versions[0] if versions else None),
        "beskrivelse": spec.get("beskrivelse", ""),
        "modell": spec,
        "antatte_medlemmer": [str(n) for n in model.assumed_members or []],
        "antakelse": model.assumption,
        "oppgitt": [
            {"aar": int(r["aar"]), "belop": int(r["belop"]), "kilde": str(r.get("kilde", ""))}
            for r in model.reported or []
        ],
        "versjoner": [
            {
                "versjon": v.number,
                "tidspunkt": v.created_at.isoformat(),
                "av": v.author_name or None,
                "begrunnelse": v.reason,
                "modell": v.spec,
            }
            for v in versions
        ],
    }


# --- reading a written model --------------------------------------------------------------------


def _problem(field: str, message: str, **params) -> Problem:
    return Problem(field, "kostnadsmodell", message, params=params)


def missing_body() -> Problem:
    return _problem(
        "organ",
        gettext_noop(
            "Oppgi organet modellen gjelder (id); du kan lage modeller for organer du er sekretariat for."
        ),
    )


class Written:
    """A request's body split into the spec and the rest, with the problems of the rest."""

    def __init__(self, body: Any, *, creating: bool) -> None:
        self.problems: list[Problem] = []
        self.spec: Any = body
        self.reason = ""
        self.version: int | None = None
        self.slug = ""
        self.body_id: int | None = None
        self.body: CooperationBody | None = None
        self.members: list[str] | None = None
        self.assumption = ""
        self.has_assumption = False
        if not isinstance(body, dict):
            return
        self.spec = {k: v for k, v in body.items() if k not in META}
        self.reason = self._text(body, "begrunnelse")
        self.assumption = self._text(body, "antakelse", prose=True)
        self.has_assumption = "antakelse" in body
        version = body.get("versjon")
        if version is not None:
            if isinstance(version, bool) or not isinstance(version, int) or version < 1:
                self.problems.append(
                    _problem("versjon", gettext_noop("Versjonen er et helt tall fra 1."))
                )
            else:
                self.version = version
        if creating:
            self.slug = self._text(body, "slug")
            if self.slug.strip().lower() in RESERVED_SLUGS:
                self.problems.append(
                    _problem(
                        "slug",
                        gettext_noop(
                            "«{slug}» er en av sidenes egne adresser; velg et annet kort navn."
                        ),
                        slug=self.slug.strip(),
                    )
                )
            self._body(body.get("organ"))
        elif "slug" in body or "organ" in body:
            field = "slug" if "slug" in body else "organ"
            self.problems.append(
                _problem(field, gettext_noop("Kan bare settes når modellen lages."))
            )
        if "medlemmer" in body:
            self._members(body.get("medlemmer"))

    def _text(self, body: dict, key: str, *, prose: bool = False) -> str:
        value = body.get(key)
        if value is None:
            return ""
        if not isinstance(value, str):
            self.problems.append(_problem(key, gettext_noop("Skriv en tekst.")))
            return ""
        if key != "begrunnelse":  # the service checks the reason
            self.problems.extend(text_problems(key, value, prose=prose))
        return value

    def _body(self, value: Any) -> None:
        if value is None:
            return
        if isinstance(value, bool) or not isinstance(value, int):
            self.problems.append(
                _problem("organ", gettext_noop("Oppgi organets id (et helt tall)."))
            )
            return
        self.body = CooperationBody.objects.filter(pk=value).first()
        if self.body is None:
            self.problems.append(
                _problem(
                    "organ", gettext_noop("Fant ikke noe samarbeidsorgan med id {id}."), id=value
                )
            )

    def _members(self, value: Any) -> None:
        if not isinstance(value, list) or not all(isinstance(n, str) for n in value):
            self.problems.append(
                _problem(
                    "medlemmer", gettext_noop("Medlemmene er en liste av kommunenummer (tekst).")
                )
            )
            return
        numbers = [n.strip() for n in value]
        g = gazetteer()
        wrong = [n for n in numbers if not YEAR.match(n) or not g.number_history(n)]
        if wrong:
            self.problems.append(
                _problem(
                    "medlemmer",
                    gettext_noop("Ikke kommunenummer: {numbers}."),
                    numbers=", ".join(w[:10] for w in wrong[:5]),
                )
            )
        elif len(set(numbers)) != len(numbers):
            self.problems.append(
                _problem("medlemmer", gettext_noop("Et kommunenummer står mer enn én gang."))
            )
        elif len(numbers) > 500:
            self.problems.append(_problem("medlemmer", gettext_noop("Høyst 500 kommuner.")))
        else:
            self.members = numbers
            if numbers and not self.assumption.strip():
                self.problems.append(
                    _problem("antakelse", gettext_noop("Skriv hva som er antatt om medlemslisten."))
                )
