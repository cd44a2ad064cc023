"""Saving a model (access, validation per field, a reason, optimistic locking, a new version) and
running models for a year, a comparison or a projection — the one path for the command, the pages
and the API."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import rules
from django.db import transaction
from django.db.models import F
from django.utils.text import slugify

from samarbeid.core.i18n import DecimalText, Text, gettext_noop
from samarbeid.registry.edit_checks import clean_source, source_problems, text_problems
from samarbeid.registry.editing import EditError, EditForbidden, EditRejected, Problem

from .compare import Comparison, Projection, compare, project
from .compute import ComputeError
from .members import Roster, last_population_year, rosters
from .models import FeeModel, FeeModelVersion
from .spec import FeeModel as Spec
from .spec import SpecError, parse, to_data

__all__ = ["Calculation", "ComputeError", "EditForbidden", "EditRejected", "ModelConflict",
           "calculate", "save_model", "spec_of"]  # fmt: skip

MAX_YEARS = 30
#: Addresses under /kostnadsdeling/ that come before a model's short name.
RESERVED_SLUGS = frozenset({"ny", "sammenlign"})


class ModelConflict(EditError):
    """Someone saved the model after the editor opened it."""

    def __init__(self, model: FeeModel, latest: FeeModelVersion | None) -> None:
        self.model = model
        self.latest = latest
        who = latest.author_name if latest else ""
        super().__init__(f"«{model.name}» ble endret av {who or 'en annen'} etter at du åpnet den.")
        self.message = str(self)


def spec_of(model: FeeModel) -> Spec:
    return parse(model.spec)


def _problems(error: SpecError) -> list[Problem]:
    return [Problem(field=where, code="kostnadsmodell", template=text.template, params=dict(text.params))
            for where, text in error.errors.items()]  # fmt: skip


@transaction.atomic
def save_model(user, data: dict[str, Any], reason: str, *, model: FeeModel | None = None,
               expected_version: int | None = None, slug: str = "", body=None, arrangement=None,
               assumed_members: list[str] | None = None, assumption: str | None = None,
               operator: str | None = None) -> FeeModel:  # fmt: skip
    """Create ``model`` (``None``) or save a new version of it. Refuses with
    :class:`EditForbidden`, :class:`EditRejected` (one problem per field, nothing saved) or
    :class:`ModelConflict`. ``assumed_members`` (kommunenummer) and ``assumption`` replace the
    stored ones when given. ``operator`` is the command line (the server's operator, trusted like
    ``import``): no role is asked, and the version names it."""
    if operator is None:
        _require(user, model, body)
    problems: list[Problem] = []
    try:
        spec = parse(data)
    except SpecError as exc:
        problems.extend(_problems(exc))
        spec = None
    problems.extend(_text_problems(data))
    if assumption is not None:
        problems.extend(text_problems("antakelse", assumption, prose=True))
    problems.extend(source_problems(reason))
    if assumed_members is not None:
        problems.extend(_member_problems(assumed_members))
    if model is None:
        slug = slugify(slug or (spec.name if spec else ""))[:80]
        if not slug:
            problems.append(
                Problem(
                    "slug", "kostnadsmodell", gettext_noop("Mangler: et kort navn for adressen.")
                )
            )
        elif slug in RESERVED_SLUGS:
            fixed = gettext_noop("«{slug}» er en fast adresse; velg et annet kort navn.")
            problems.append(Problem("slug", "kostnadsmodell", fixed, params={"slug": slug}))
        elif FeeModel.objects.filter(slug=slug).exists():
            problems.append(Problem("slug", "kostnadsmodell", gettext_noop("«{slug}» er allerede i bruk."),
                                    params={"slug": slug}))  # fmt: skip
    if problems:
        raise EditRejected(problems)
    stored = to_data(spec)
    members = (
        {}
        if assumed_members is None
        else {"assumed_members": [str(n).strip() for n in assumed_members if str(n).strip()]}
    )
    if assumption is not None:
        members["assumption"] = assumption.strip()
    if model is None:
        model = FeeModel.objects.create(slug=slug, name=spec.name, spec=stored, body=body,
                                        arrangement=arrangement, **members)  # fmt: skip
    else:
        query = FeeModel.objects.filter(pk=model.pk)
        if expected_version is not None:
            query = query.filter(version=expected_version)
        if not query.update(version=F("version") + 1, spec=stored, name=spec.name, **members):
            raise ModelConflict(model, model.versions.first())
        model.refresh_from_db()
    signed_in = user is not None and user.is_authenticated
    name = operator or ((user.get_full_name() or user.get_username()) if signed_in else "")
    FeeModelVersion.objects.create(model=model, number=model.version, spec=stored,
                                   author=user if signed_in else None, author_name=name,
                                   reason=clean_source(reason))  # fmt: skip
    return model


def _text_problems(data: Any) -> list[Problem]:
    """The model's free texts pass the input boundary, whichever way they came (form, API, file)."""
    if not isinstance(data, dict):
        return []
    found: list[Problem] = []
    if isinstance(data.get("navn"), str):
        found += text_problems("navn", data["navn"])
    if isinstance(data.get("beskrivelse"), str):
        found += text_problems("beskrivelse", data["beskrivelse"], prose=True)
    exemptions = data.get("fritak") if isinstance(data.get("fritak"), list) else []
    for i, item in enumerate(exemptions, 1):
        if isinstance(item, dict) and isinstance(item.get("egenbidrag"), str):
            found += text_problems(f"fritak[{i}].egenbidrag", item["egenbidrag"], prose=True)
    return found


def _require(user, model: FeeModel | None, body) -> None:
    if model is None:
        allowed = rules.has_perm("finance.add_model", user) and (
            body is None or rules.has_perm("finance.change_model", user, FeeModel(body=body))
        )
        message = "Bare sekretariatet til organet eller en administrator kan lage kostnadsmodeller."
    else:
        allowed = rules.has_perm("finance.change_model", user, model)
        message = "Bare sekretariatet til organet eller en administrator kan endre modellen."
    if not allowed:
        raise EditForbidden(_signed_in(user, message))


def _member_problems(numbers: list[str]) -> list[Problem]:
    wrong = [
        str(n).strip()
        for n in numbers
        if str(n).strip() and not re.fullmatch(r"\d{4}", str(n).strip())
    ]
    if wrong:
        return [Problem("medlemmer", "kostnadsmodell", gettext_noop("Ikke kommunenumre (fire sifre): {numbers}."),
                        params={"numbers": ", ".join(wrong[:5])})]  # fmt: skip
    if len(numbers) > 1000:
        return [Problem("medlemmer", "kostnadsmodell", gettext_noop("Høyst 1000 kommunenumre."))]
    return []


def _signed_in(user, message: str) -> str:
    if user is None or not user.is_authenticated:
        return "Du må logge inn for å endre registeret."
    return message


@dataclass(frozen=True)
class Calculation:
    """Models run on the first model's members: one year (``comparison``: one or several models)
    and, with ``to_year``, the years ahead (``projections``: one per model)."""

    models: tuple[FeeModel, ...]
    year: int
    to_year: int | None
    roster: Roster
    comparison: Comparison
    last_year: bool
    projections: tuple[Projection, ...]
    rosters: dict[int, Roster]
    growth: Decimal | None

    @property
    def notes(self) -> list[Text]:
        """What every output must say: an assumed member list, estimated population."""
        out: list[Text] = []
        if self.roster.assumed:
            out.append(Text(gettext_noop("Medlemslisten er antatt: {assumption}"),
                            assumption=self.roster.assumption or "–"))  # fmt: skip
        estimated = [y for y, r in self.rosters.items() if r.estimated_population]
        if estimated:
            span = f"{min(estimated)}–{max(estimated)}" if len(estimated) > 1 else str(estimated[0])
            if self.growth:
                message = gettext_noop(
                    "Folketallet for {years} er anslått: tallet for {last} med {growth} % vekst per år."
                )
            else:
                message = gettext_noop(
                    "Folketallet for {years} er anslått: tallet for {last}, uten vekst."
                )
            out.append(
                Text(
                    message,
                    years=span,
                    last=last_population_year(),
                    growth=DecimalText(self.growth or 0),
                )
            )
        for result in self.comparison.results:
            out.extend(result.notes)
        return out


def calculate(models: list[FeeModel], year: int, to_year: int | None = None,
              growth: Decimal | None = None) -> Calculation:  # fmt: skip
    """Run ``models`` in ``year`` (and each year to ``to_year``); :class:`ComputeError` with a
    clear message when the members, their population or a key is missing."""
    if not models:
        raise ComputeError(Text(gettext_noop("Velg minst én modell.")))
    if to_year is not None and not year <= to_year <= year + MAX_YEARS:
        raise ComputeError(Text(gettext_noop("Til-året må ligge mellom {year} og {last}."),
                                year=year, last=year + MAX_YEARS))  # fmt: skip
    specs = [spec_of(m) for m in models]
    years = range(year, (to_year or year) + 1)
    found = rosters(models[0], years, growth)
    roster = found[year]
    try:  # last year, for the change per member; left out when it cannot be computed
        previous: Roster | None = rosters(models[0], range(year - 1, year), growth)[year - 1]
    except ComputeError:
        previous = None
    try:
        comparison = compare(
            specs, list(roster.members), year, list(previous.members) if previous else None
        )
    except ComputeError:
        if previous is None:
            raise
        previous = None
        comparison = compare(specs, list(roster.members), year)
    projections: tuple[Projection, ...] = ()
    if to_year is not None and to_year > year:
        by_year = {y: list(found[y].members) for y in years}
        projections = tuple(project(s, by_year) for s in specs)
    return Calculation(tuple(models), year, to_year, roster, comparison, previous is not None,
                       projections, {y: found[y] for y in years}, growth)  # fmt: skip
