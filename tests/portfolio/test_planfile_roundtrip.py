"""A plan out as a file and back in: the round trip reproduces the plan (Grenlandssamarbeidet 2021
and a plan of Kongsbergregionen's catalogue measures, in xlsx and json and from the JSON of
``samarbeid handlingsplan``), the export is deterministic, and the import does what
docs/planfil.md says — and nothing when the file is what is stored."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

import openpyxl
import pytest
from django.core.management import CommandError, call_command

from samarbeid.portfolio.loader import load_examples
from samarbeid.portfolio.models import (
    ActionPlan,
    CooperationBody,
    FundingApplication,
    Milestone,
    Participation,
    PlanProject,
    PlanSection,
    PortfolioChange,
    Project,
)
from samarbeid.portfolio.periods import due_by
from samarbeid.portfolio.plan_data import plan_data
from samarbeid.portfolio.planfile.exporter import json_bytes, plan_tables, xlsx_bytes
from samarbeid.registry.models import Municipality

pytestmark = pytest.mark.django_db
AS_OF = dt.date(2025, 6, 1)
SOURCE = "Handlingsplan for Kongsbergregionen 2025"


@pytest.fixture
def bodies() -> None:
    load_examples(lambda _line: None)


def grenland_plan() -> ActionPlan:
    return ActionPlan.objects.get(body__name="Grenlandssamarbeidet", year=2021)


def municipality(name: str) -> Municipality:
    return Municipality.objects.filter(name=name).order_by("-key").first()


def kongsberg_plan() -> ActionPlan:
    """A draft plan for 2025 of three of Kongsbergregionen's catalogue measures, with every kind
    of row the file has."""
    body = CooperationBody.objects.get(name="Kongsbergregionen")
    plan = ActionPlan.objects.create(
        body=body,
        year=2025,
        title="Handlingsplan for Kongsbergregionen 2025",
        stated_project_count=3,
        summary="Tre tiltak fra katalogen.\nAndre linje.",
        source=f"{SOURCE}, avsnitt 1",
    )
    measures = list(body.projects.filter(code__in=["F1", "O2", "T3"]).order_by("code"))
    measures[0].budget, measures[0].phase, measures[0].seeks_funds = 250000, "drift", False
    measures[0].save()
    for i, measure in enumerate(measures):
        PlanProject.objects.create(
            plan=plan,
            project=measure,
            category="videreført" if i == 0 else "nyetablert",
            section=f"2.{i + 1}",
            this_year=f"Gjennomføre {measure.code}.",
            position=i,
        )
    for position, (text, when, done) in enumerate(
        [("Rutine vedtatt", "2. kvartal 2025", dt.date(2025, 5, 2)), ("Evaluert", "2025", None)]
    ):
        Milestone.objects.create(
            project=measures[0],
            plan=plan,
            text=text,
            when=when,
            due_by=due_by(when),
            done=done,
            position=position,
            source=f"{SOURCE}, avsnitt 2.1",
        )
    FundingApplication.objects.create(
        body=body,
        year=2025,
        source_kind="medlemskontingent",
        grantor="Medlemskommunene",
        granted=1200000,
        decision_date=dt.date(2024, 12, 12),
        source=f"{SOURCE}, avsnitt 3",
    )
    FundingApplication.objects.create(
        body=body,
        year=2025,
        year_as_stated="2025–2026",
        project=measures[1],
        source_kind="tilskudd",
        grantor="Statsforvalteren",
        applied=400000,
        own_contribution=200000,
        source=f"{SOURCE}, avsnitt 3",
    )
    for name, takes_part in (("Kongsberg", True), ("Flesberg", False)):
        Participation.objects.create(
            project=measures[0],
            municipality=municipality(name),
            takes_part=takes_part,
            source=f"{SOURCE}, vedlegg 1",
        )
    for position, (number, title) in enumerate(
        [("1", "Innledning"), ("2", "Tiltak"), ("2.1", "F1"), ("2.2", "O2"), ("2.3", "T3")]
    ):
        PlanSection.objects.create(plan=plan, number=number, title=title, position=position)
    return plan


def strip(plan: ActionPlan) -> None:
    """The database as if it had only the body: the plan, its projects (with their milestones,
    funding and participation) and the year's funding of the whole plan are gone."""
    projects = list(plan.entries.values_list("project_id", flat=True))
    FundingApplication.objects.filter(body=plan.body, year=plan.year, project=None).delete()
    plan.delete()
    Project.objects.filter(id__in=projects).delete()


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def import_file(path: Path, *options: str) -> str:
    out = io.StringIO()
    call_command("plan_import", str(path), *options, stdout=out)
    return out.getvalue()


def snapshot(plan: ActionPlan) -> dict:
    return plan_data(ActionPlan.objects.get(pk=plan.pk), AS_OF)


@pytest.mark.parametrize("fmt", ["xlsx", "json"])
@pytest.mark.parametrize("which", ["grenland", "kongsberg"])
def test_the_export_imports_back_to_the_same_plan(bodies, tmp_path, which, fmt) -> None:
    plan = grenland_plan() if which == "grenland" else kongsberg_plan()
    body, year = plan.body, plan.year
    before = snapshot(plan)
    tables = plan_tables(plan)
    data = xlsx_bytes(tables) if fmt == "xlsx" else json_bytes(tables)
    strip(plan)
    path = write(tmp_path, f"plan.{fmt}", data)
    assert "Lagret fra plan." in import_file(path)
    again = ActionPlan.objects.get(body=body, year=year)
    assert snapshot(again) == before
    assert plan_tables(again) == tables
    changes = PortfolioChange.objects.count()
    if again.status == ActionPlan.Status.APPROVED:  # carried over approved: closed to imports
        with pytest.raises(SystemExit):
            import_file(path)
    else:
        assert "Ingen endringer" in import_file(path)
    assert PortfolioChange.objects.count() == changes


def test_the_xlsx_is_the_same_bytes_after_the_round_trip(bodies, tmp_path) -> None:
    plan = kongsberg_plan()
    first = xlsx_bytes(plan_tables(plan))
    assert xlsx_bytes(plan_tables(plan)) == first  # deterministic
    body = plan.body
    strip(plan)
    import_file(write(tmp_path, "k.xlsx", first))
    assert xlsx_bytes(plan_tables(body.plans.get(year=2025))) == first


def test_the_json_of_handlingsplan_imports(bodies, tmp_path) -> None:
    """What ``samarbeid handlingsplan --format json`` writes is a plan file: its keys are read,
    the derived ones (funn, finansiering_over_tid, frist) are not."""
    plan = grenland_plan()
    out = io.StringIO()
    call_command("action_plan", organ=plan.body.name, aar=2021, format="json", stdout=out)
    assert {"funn", "finansiering_over_tid"} <= set(json.loads(out.getvalue()))
    before = snapshot(plan)
    strip(plan)
    import_file(write(tmp_path, "handlingsplan.json", out.getvalue().encode()))
    after = snapshot(grenland_plan())
    # The sections are not in that JSON: the numbering check has nothing to read now.
    assert [f for f in before.pop("funn") if f["kode"] != "numbering_gap"] == after.pop("funn")
    assert after == before


def test_handlingsplan_writes_the_plan_file_as_xlsx(bodies, tmp_path) -> None:
    """``handlingsplan --format xlsx`` is the plan file: the bytes ``plan-eksport`` writes, which
    ``plan-import`` reads back; on the screen it is refused like pdf and docx."""
    plan = grenland_plan()
    out = tmp_path / "grenland.xlsx"
    call_command("action_plan", organ=plan.body.name, aar=2021, format="xlsx", out=str(out),
                 stderr=io.StringIO())  # fmt: skip
    assert out.read_bytes() == xlsx_bytes(plan_tables(plan))
    exported = tmp_path / "eksport.xlsx"
    call_command("plan_export", organ=plan.body.name, aar=2021, out=str(exported),
                 stderr=io.StringIO())  # fmt: skip
    assert exported.read_bytes() == out.read_bytes()
    with pytest.raises(CommandError, match="Formatet xlsx er en fil"):
        call_command("action_plan", organ=plan.body.name, aar=2021, format="xlsx")


def test_the_template_and_an_export_are_deterministic(bodies, tmp_path) -> None:
    from samarbeid.portfolio.planfile.exporter import template_bytes

    assert template_bytes() == template_bytes()
    tables = plan_tables(grenland_plan())
    assert json_bytes(tables) == json_bytes(plan_tables(grenland_plan()))
    book = openpyxl.load_workbook(io.BytesIO(xlsx_bytes(tables)))
    assert book.properties.modified == dt.datetime(2000, 1, 1)


# --- the import's semantics -----------------------------------------------------------------------


def draft_export(tmp_path: Path, edit) -> Path:
    """Grenlandssamarbeidet's plan made a draft, exported as xlsx and edited in the workbook."""
    plan = grenland_plan()
    plan.status = ActionPlan.Status.DRAFT
    plan.save()
    book = openpyxl.load_workbook(io.BytesIO(xlsx_bytes(plan_tables(plan))))
    edit(book)
    path = tmp_path / "plan.xlsx"
    book.save(path)
    return path


def _delete_row(sheet, column: str, value: str) -> None:
    index = [c.value for c in sheet[1]].index(column)
    row = next(r for r in sheet.iter_rows(min_row=2) if r[index].value == value)
    sheet.delete_rows(row[0].row)


def _delete_column(sheet, column: str) -> None:
    sheet.delete_cols([c.value for c in sheet[1]].index(column) + 1)


def test_what_the_import_changes_and_keeps(bodies, tmp_path) -> None:
    plan = grenland_plan()
    other = Project.objects.get(body=plan.body, code="2.2.2")
    kept_milestone = Milestone.objects.create(
        project=Project.objects.get(body=plan.body, code="2.2.1"),
        text="Fra en annen plan",
        source="x",
    )
    sections = PlanSection.objects.filter(plan=plan).count()
    descriptions = dict(Project.objects.filter(body=plan.body).values_list("code", "description"))

    porsgrunn = []

    def edit(book) -> None:  # after the export: the participation is not in the file
        porsgrunn.append(
            Participation.objects.create(
                project=other, municipality=municipality("Porsgrunn"), takes_part=True, source="x"
            )
        )
        _delete_row(book["Prosjekter"], "kode", "2.2.2")
        _delete_column(book["Prosjekter"], "beskrivelse")
        book["Prosjekter"]["B2"] = "eByggeSak 2.0"
        _delete_row(book["Milepæler"], "tekst", "Utlysning av anbudskonkurranse")
        book["Milepæler"].append(["2.2.1", "Ny milepæl", "4. kvartal 2021", None, "Fil"])
        book["Finansiering"]["G2"] = 2000000  # innvilget
        book["Deltakelse"].append(["2.2.1", "3807", "Skien", "ja", "Fil"])
        del book["Avsnitt"]

    path = draft_export(tmp_path, edit)
    output = import_file(path)
    assert output == (
        "Grenlandssamarbeidet 2021: 6 prosjekter, status utkast. Lagret fra plan.xlsx: "
        "prosjekter: 1 endret; prosjekter i planen: 5 endret, 1 slettet; milepæler: 1 ny, "
        "1 slettet; finansieringsrader: 1 endret; deltakelser: 1 ny.\n"
    )
    plan.refresh_from_db()
    assert [e.project.code for e in plan.entries.all()] == [
        "2.2.1", "2.2.3", "2.2.4", "2.2.5", "2.3.1", "2.3.2"
    ]  # fmt: skip
    assert Project.objects.filter(pk=other.pk).exists()  # out of the plan, not gone
    assert Participation.objects.filter(pk=porsgrunn[0].pk).exists()  # upserted, never deleted
    assert Milestone.objects.filter(pk=kept_milestone.pk).exists()  # another plan's
    assert PlanSection.objects.filter(plan=plan).count() == sections  # no sheet: unchanged
    assert (
        dict(Project.objects.filter(body=plan.body).values_list("code", "description"))
        == descriptions
    )  # no column: unchanged
    assert Project.objects.get(body=plan.body, code="2.2.1").title == "eByggeSak 2.0"
    assert Project.objects.get(body=plan.body, code="2.2.1").version == 2
    assert [m.text for m in plan.milestones.filter(project__code="2.2.1")] == [
        "Gjennomgang/revisjon av anbudsdokumenter til neste utlysning",
        "Ny milepæl",
    ]
    assert plan.milestones.get(text="Ny milepæl").due_by == dt.date(2021, 12, 31)
    funding = FundingApplication.objects.filter(body=plan.body)
    assert sorted((f.year, f.granted) for f in funding) == [(2020, 2400000), (2021, 2000000)]
    changes = PortfolioChange.objects.filter(source="Fil: plan.xlsx")
    assert sorted({(c.model, c.action) for c in changes}) == [
        ("fundingapplication", "endret"),
        ("milestone", "opprettet"),
        ("milestone", "slettet"),
        ("participation", "opprettet"),
        ("planproject", "endret"),
        ("planproject", "slettet"),
        ("project", "endret"),
    ]
    assert changes.get(model="project").before["title"] == "eByggeSak"
    count = PortfolioChange.objects.count()
    assert "Ingen endringer" in import_file(path)
    assert PortfolioChange.objects.count() == count


def test_an_empty_sheet_empties_and_a_missing_one_is_required(bodies, tmp_path) -> None:
    def edit(book) -> None:
        sheet = book["Milepæler"]
        sheet.delete_rows(2, sheet.max_row)

    import_file(draft_export(tmp_path, edit))
    assert not grenland_plan().milestones.exists()


def test_check_only_writes_nothing(bodies, tmp_path) -> None:
    path = draft_export(tmp_path, lambda book: book["Prosjekter"].__setitem__("B2", "Ny tittel"))
    count = PortfolioChange.objects.count()
    output = import_file(path, "--kontroller")
    assert output == (
        "plan.xlsx er i orden (Grenlandssamarbeidet 2021: 7 prosjekter). Ingenting er lagret "
        "(--kontroller).\n"
    )
    assert PortfolioChange.objects.count() == count
    assert Project.objects.get(body__name="Grenlandssamarbeidet", code="2.2.1").title == "eByggeSak"


def test_a_new_approved_plan_is_carried_over_but_a_draft_is_not_approved(bodies, tmp_path) -> None:
    plan = grenland_plan()
    plan.approved_by = plan.body.governing_bodies.get(name="Grenlandsrådet")
    plan.approved_on = dt.date(2020, 12, 10)
    plan.save()
    path = write(tmp_path, "g.json", json_bytes(plan_tables(plan)))
    strip(plan)
    import_file(path)
    again = grenland_plan()
    assert (again.status, again.approved_by.name, again.approved_on) == (
        "vedtatt",
        "Grenlandsrådet",
        dt.date(2020, 12, 10),
    )


def test_a_text_a_workbook_cannot_hold_stops_the_xlsx_export_only(bodies, tmp_path) -> None:
    from django.core.management.base import CommandError

    plan = grenland_plan()
    project = plan.entries.first().project
    project.description = "x" * 40000
    project.save()
    target = tmp_path / "g.xlsx"
    with pytest.raises(CommandError) as refused:
        call_command(
            "plan_export", organ=plan.body.name, aar=2021, out=str(target), stdout=io.StringIO()
        )
    assert refused.value.returncode == 2
    assert str(refused.value) == (
        f"{target}: ark Prosjekter, celle O2: teksten har 40000 tegn, men en celle i Excel rommer "
        "høyst 32767. Filen ble ikke skrevet; bruk --format json, som ikke har noen grense."
    )
    assert not target.exists() and list(tmp_path.iterdir()) == []
    call_command(
        "plan_export", organ=plan.body.name, aar=2021, fmt="json", out=str(tmp_path / "g.json"),
        stdout=io.StringIO(),
    )  # fmt: skip
    data = json.loads((tmp_path / "g.json").read_text(encoding="utf-8"))
    assert data["prosjekter"][0]["beskrivelse"] == "x" * 40000


def test_a_json_code_may_be_a_number(bodies, tmp_path) -> None:
    """«"kode": 7» is the code «7», for the project and for what is inside it."""
    from tests.portfolio.bad_plan_files import good_json

    data = good_json()
    data["prosjekter"][1]["kode"] = 7
    path = write(tmp_path, "p.json", json.dumps(data).encode())
    import_file(path)
    plan = ActionPlan.objects.get(body__name="Grenlandssamarbeidet", year=2022)
    assert [m.project.code for m in plan.milestones.all()] == ["2.2.1", "7"]
    assert Participation.objects.filter(project__code="7").count() == 2
