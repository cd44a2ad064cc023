"""Grenlandssamarbeidet's 2021 plan as loaded by ``samarbeid load-example``: what the document
says, every fact with its source, every object in the history, and the document's own faults."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from samarbeid.portfolio.loader import load_examples
from samarbeid.portfolio.models import (
    ActionPlan,
    CooperationBody,
    Decision,
    FocusArea,
    FundingApplication,
    GoverningBody,
    Milestone,
    Network,
    PlanSection,
    PortfolioChange,
    Project,
    SecretariatStaff,
    StatusReport,
)
from samarbeid.portfolio.plan_data import body_data, plan_data, plan_findings

pytestmark = pytest.mark.django_db
DOCUMENT = "Handlingsplan for Grenlandssamarbeidet 2021"
SOURCED = [
    CooperationBody, GoverningBody, Decision, SecretariatStaff, FocusArea, Network, ActionPlan,
    Project, Milestone, FundingApplication,
]  # fmt: skip


@pytest.fixture
def grenland() -> CooperationBody:
    lines: list[str] = []
    load_examples(lines.append)
    assert lines[0] == (
        "Grenlandssamarbeidet: 7 prosjekter og tiltak, 10 nettverk, 0 avtaler, "
        "handlingsplan 2021 — lastet inn."
    )
    return CooperationBody.objects.get(name="Grenlandssamarbeidet")


def test_the_plan_reads_as_the_document(grenland) -> None:
    plan = grenland.plans.get(year=2021)
    data = plan_data(plan, as_of=dt.date(2021, 1, 1))
    assert [(p["kode"], p["tittel"], p["kategori"]) for p in data["prosjekter"]] == [
        ("2.2.1", "eByggeSak", "videreført"),
        ("2.2.2", "Velferdsteknologi", "videreført"),
        ("2.2.3", "DigiTV", "videreført"),
        ("2.2.4", "Portal for miljø og helse", "videreført"),
        ("2.2.5", "Beredskapsvarsling", "videreført"),
        ("2.3.1", "Samarbeid i beredskapssituasjoner", "nyetablert"),
        ("2.3.2", "Anskaffelse av saksbehandlingsverktøy", "nyetablert"),
    ]
    assert [p["kode"] for p in data["prosjekter"] if p["soker_midler"] is False] == [
        "2.2.5",
        "2.3.2",
    ]
    assert data["oppgitt_antall_prosjekter"] == len(data["prosjekter"]) == 7
    ebyggesak = data["prosjekter"][0]
    assert [(m["nar"], m["frist"]) for m in ebyggesak["milepaeler"]] == [
        ("1.–2. kvartal 2021", "2021-06-30"),
        ("3. kvartal 2021", "2021-09-30"),
    ]
    assert data["prosjekter"][2]["fase"] == "forprosjekt"
    assert data["finansiering_over_tid"] == [
        {"ar": 2020, "som_oppgitt": "de siste årene før 2021", "belop": 2_400_000, "endring": None},
        {"ar": 2021, "som_oppgitt": "", "belop": 2_200_000, "endring": -200_000},
    ]
    assert [(f["sokt"], f["innvilget"]) for f in data["finansiering"]] == [(2_200_000, 2_200_000)]


def test_the_body_keeps_unnamed_members_visibly_partial(grenland) -> None:
    data = body_data(grenland)
    assert data["oppgitt_antall_medlemmer"] == 6 and data["medlemmer"] == []
    assert data["medlemslisten_er_komplett"] is False
    assert [a["navn"] for a in data["satsingsomrader"]] == [
        "Helse", "Utdanning", "Infrastruktur", "Næringsutvikling",
    ]  # fmt: skip
    assert len(data["nettverk"]) == 10 and data["nettverk"][-1] == "Beredskapsnettverket"
    decisions = {d["sak"] or d["dato"] or d["tidspunkt"] for g in data["styringsorganer"]
                 for d in g["vedtak"]}  # fmt: skip
    assert decisions == {"sak 24/20", "2021-01-20", "januar 2019"}


def test_every_fact_has_its_source_and_is_in_the_history(grenland) -> None:
    total = 0
    for model in SOURCED:
        for obj in model.objects.filter(**_of(model, grenland)):
            assert obj.source.startswith(f"{DOCUMENT}, avsnitt"), (model, obj.source)
            assert PortfolioChange.objects.filter(
                body=grenland, model=model._meta.model_name, object_id=obj.pk, action="opprettet"
            ).exists(), obj
            total += 1
    changes = PortfolioChange.objects.filter(body=grenland)
    assert changes.count() == total
    assert all(c.source.startswith("Eksempelet grenland2021.json: ") for c in changes)


def _of(model, body) -> dict:
    if model is CooperationBody:
        return {"pk": body.pk}
    if model is Decision:
        return {"governing_body__body": body}
    if model is Milestone:
        return {"project__body": body}
    return {"body": body}


def test_loading_again_changes_nothing(grenland) -> None:
    before = PortfolioChange.objects.count()
    lines: list[str] = []
    load_examples(lines.append)
    assert lines[0] == "Grenlandssamarbeidet: allerede lastet inn (uendret)."
    assert PortfolioChange.objects.count() == before and CooperationBody.objects.count() == 3


def test_the_documents_faults(grenland) -> None:
    plan = grenland.plans.get(year=2021)
    early = plan_findings(plan, as_of=dt.date(2021, 1, 1))
    assert [f.text() for f in early] == [
        f"{DOCUMENT}, avsnitt 2: Avsnitt 2.1 mangler: nummereringen hopper til 2.2."
    ]
    late = plan_findings(plan, as_of=dt.date(2021, 10, 1))
    overdue = [f.place.text() for f in late if f.code == "milestone_overdue"]
    assert overdue == [
        f"{DOCUMENT}, prosjekt {c}" for c in ("2.2.1", "2.2.1", "2.2.3", "2.2.3", "2.2.5")
    ]


def test_a_clean_plan_has_no_findings(grenland) -> None:
    plan = grenland.plans.get(year=2021)
    for old, new in (("2.2", "2.1"), ("2.3", "2.2")):  # the numbering as it should have been
        for section in plan.sections.filter(number__startswith=old):
            PlanSection.objects.filter(pk=section.pk).update(number=new + section.number[3:])
    for project in Project.objects.filter(body=grenland):
        StatusReport.objects.create(
            project=project, date=dt.date(2022, 12, 31), text="Status", source="Årsmelding 2022"
        )
    assert plan_findings(plan, as_of=dt.date(2023, 1, 1)) == []


def test_a_fact_without_a_source_is_refused(grenland) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        Network.objects.create(body=grenland, name="Uten kilde", source="")
    with pytest.raises(IntegrityError), transaction.atomic():
        ActionPlan.objects.create(body=grenland, year=2021, title="To ganger", source="x")


def test_kongsbergregionens_shifted_hr_codes(grenland) -> None:
    """The catalogue's summary and its chapter number the HR measures differently."""
    from samarbeid.portfolio.plan_data import body_findings

    kongsberg = CooperationBody.objects.get(name="Kongsbergregionen")
    assert kongsberg.projects.count() == 31
    assert [f.text() for f in body_findings(kongsberg)] == [
        "Tjenesteutvikling 2035, tiltak «Opplæring og kompetanseutvikling»: Koden er HR5 i "
        "sammendraget, men HR4 i teksten."
    ]
    assert body_findings(grenland) == []
