"""The editing services: the yearly cycle (roll over, end, add, fund, approve), participation,
optimistic locking, restore, and refusals that write nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from samarbeid.portfolio import services
from samarbeid.portfolio.models import (
    ActionPlan,
    FundingApplication,
    Milestone,
    Participation,
    PlanProject,
    PortfolioChange,
    Project,
)

from . import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup():
    body = f.body()
    plan = f.plan(body, 2021, approved=True, codes=("P1", "P2", "P3"))
    Project.objects.filter(code="P3").update(phase="avsluttet")
    return body, plan, f.secretariat(body)


def test_roll_over_carries_running_projects_as_continued(setup):
    _body, plan, sec = setup
    new = services.roll_over(plan, user=sec, source="Sekretariatet")
    assert (new.year, new.status, new.title) == (2022, "utkast", "Handlingsplan 2022")
    entries = list(new.entries.values_list("project__code", "category"))
    assert entries == [("P1", "videreført"), ("P2", "videreført")]  # P3 had ended
    assert plan.entries.count() == 3  # last year's plan keeps all three
    assert PortfolioChange.objects.filter(model="actionplan", object_id=new.pk).exists()
    with pytest.raises(services.EditRejected, match="allerede en plan for 2022"):
        services.roll_over(plan, user=sec, source="igjen")


def test_the_draft_cycle_end_add_fund_approve(setup):
    body, plan, sec = setup
    draft = services.roll_over(plan, user=sec, source="S")
    p1 = Project.objects.get(code="P1")
    services.end_project(draft, p1, "avsluttet", user=sec, source="Møte 3.2", expected_version=1)
    assert list(draft.entries.values_list("project__code", flat=True)) == ["P2"]
    assert PlanProject.objects.filter(plan=plan, project=p1).exists()
    entry = services.add_project(
        draft,
        {"kode": "N1", "tittel": "Felles chatbot", "soker_midler": "ja"},
        milestone={"tekst": "Anskaffelse", "nar": "2. kvartal 2022"},
        user=sec,
        source="Møte 3.2",
    )
    assert (entry.category, entry.project.seeks_funds) == ("nyetablert", True)
    stone = Milestone.objects.get(project=entry.project)
    assert stone.due_by == dt.date(2022, 6, 30) and stone.plan == draft
    row = services.add_funding(
        body, {"ar": "2022", "type": "skjonnsmidler", "giver": "Statsforvalteren", "sokt": "500 000"},
        project_code="N1", user=sec, source="Søknad",
    )  # fmt: skip
    body.refresh_from_db()
    services.update_funding(
        row, {"innvilget": "400000", "vedtaksdato": "15.03.2022"},
        user=sec, source="Tilsagnsbrev", expected_version=body.version,
    )  # fmt: skip
    row.refresh_from_db()
    assert (row.applied, row.granted, row.decision_date) == (
        Decimal(500000),
        Decimal(400000),
        dt.date(2022, 3, 15),
    )
    draft.refresh_from_db()
    council = body.governing_bodies.get()
    services.approve(draft, council, dt.date(2022, 3, 20), user=sec, source="Sak 5/22",
                     expected_version=draft.version)  # fmt: skip
    draft.refresh_from_db()
    assert (draft.status, draft.approved_by, draft.approved_on) == (
        "vedtatt",
        council,
        dt.date(2022, 3, 20),
    )
    with pytest.raises(services.EditForbidden, match="vedtatt"):
        services.add_project(draft, {"kode": "N2", "tittel": "x"}, user=sec, source="s")


def test_a_stale_version_is_a_conflict_and_writes_nothing(setup):
    _body, _plan, sec = setup
    project = Project.objects.get(code="P1")
    services.update_project(project, {"tittel": "Ny tittel"}, user=sec, source="A",
                            expected_version=1)  # fmt: skip
    stale = Project.objects.get(pk=project.pk)
    with pytest.raises(services.PortfolioConflict) as caught:
        services.update_project(stale, {"tittel": "Min tittel"}, user=sec, source="B",
                                expected_version=1)  # fmt: skip
    assert caught.value.current_version == 2 and "sekretar" in caught.value.message
    assert Project.objects.get(pk=project.pk).title == "Ny tittel"


@pytest.mark.parametrize(
    ("raw", "source", "field"),
    [
        ({"tittel": '=HYPERLINK("x")'}, "kilde", "tittel"),
        ({"fase": "ferdig"}, "kilde", "fase"),
        ({"budsjett": "-5"}, "kilde", "budsjett"),
        ({"soker_midler": "kanskje"}, "kilde", "soker_midler"),
        ({"tittel": "x" * 301}, "kilde", "tittel"),
        ({"tittel": "Grei"}, "", "endringskilde"),
        ({"ukjent": "1"}, "kilde", "ukjent"),
    ],
)
def test_bad_input_is_refused_field_by_field(setup, raw, source, field):
    _, _, sec = setup
    project = Project.objects.get(code="P1")
    changes = PortfolioChange.objects.count()
    with pytest.raises(services.EditRejected) as caught:
        services.update_project(project, raw, user=sec, source=source, expected_version=1)
    assert field in {p.field for p in caught.value.problems}
    assert all(p.message for p in caught.value.problems)
    project.refresh_from_db()
    assert (project.title, project.version) == ("Prosjekt P1", 1)
    assert PortfolioChange.objects.count() == changes


def test_participation_opt_out_by_own_editor_only(setup):
    _body, _plan, _ = setup
    editor = f.municipality_editor("Skien")
    project = Project.objects.get(code="P1")
    services.set_participation(project, f.municipality("Skien"), False, user=editor,
                               source="Kommunedirektøren")  # fmt: skip
    row = Participation.objects.get(project=project)
    assert row.takes_part is False
    with pytest.raises(services.EditForbidden, match="Porsgrunn"):
        services.set_participation(project, f.municipality("Porsgrunn"), False, user=editor,
                                   source="x")  # fmt: skip


def test_restore_brings_back_the_earlier_values_and_a_removed_entry(setup):
    _body, plan, sec = setup
    draft = services.roll_over(plan, user=sec, source="S")
    project = Project.objects.get(code="P1")
    services.update_project(project, {"tittel": "Endret"}, user=sec, source="A", expected_version=1)
    change = PortfolioChange.objects.filter(model="project", action="endret").latest("id")
    services.restore(change, user=sec, source="Angret")
    project.refresh_from_db()
    assert project.title == "Prosjekt P1" and project.version == 3
    services.end_project(draft, Project.objects.get(code="P2"), "avlyst", user=sec, source="B",
                         expected_version=1)  # fmt: skip
    removed = PortfolioChange.objects.get(model="planproject", action="slettet")
    services.restore(removed, user=sec, source="Angret")
    assert draft.entries.filter(project__code="P2").exists()
    with pytest.raises(services.EditForbidden):
        services.restore(change, user=f.municipality_editor("Skien"), source="x")


def test_no_funding_without_an_amount_and_nothing_half_saved(setup):
    body, _, sec = setup
    before = FundingApplication.objects.count()
    with pytest.raises(services.EditRejected) as caught:
        services.add_funding(body, {"ar": "2022", "type": "x", "giver": "y"}, project_code="Z9",
                             user=sec, source="s")  # fmt: skip
    assert {p.field for p in caught.value.problems} == {"prosjekt", "sokt"}
    assert FundingApplication.objects.count() == before


def test_the_public_cannot_edit(setup):
    from django.contrib.auth.models import AnonymousUser

    _, plan, _ = setup
    with pytest.raises(services.EditForbidden, match="logge inn"):
        services.roll_over(plan, user=AnonymousUser(), source="x")
    assert ActionPlan.objects.count() == 1


def test_status_reports_and_benefits(setup):
    _body, _plan, sec = setup
    project = Project.objects.get(code="P1")
    report = services.add_status_report(
        project, {"dato": "01.06.2021", "lys": "gul", "tekst": "Forsinket levering"},
        user=sec, source="Statusmøte",
    )  # fmt: skip
    assert (report.date, report.light) == (dt.date(2021, 6, 1), "gul")
    benefit = services.add_benefit(
        project, {"beskrivelse": "Kortere saksbehandling", "gevinsteier": "Kommunedirektøren",
                  "indikator": "Dager per sak", "utgangspunkt": "30", "mal": "20"},
        municipality=f.municipality("Skien"), user=sec, source="Gevinstplan",
    )  # fmt: skip
    assert benefit.owner == "Kommunedirektøren" and benefit.municipality.name == "Skien"
    with pytest.raises(services.EditRejected) as caught:
        services.add_status_report(project, {"dato": "i går", "lys": "blå"}, user=sec, source="s")
    assert {p.field for p in caught.value.problems} == {"dato", "lys", "tekst"}
    with pytest.raises(services.EditForbidden):
        services.add_benefit(project, {"beskrivelse": "x"}, user=f.municipality_editor("Skien"),
                             source="s")  # fmt: skip
