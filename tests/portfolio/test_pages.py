"""The portfolio's pages with the three example documents: what each page shows, who sees a
draft, the forms' refusals (the problem on its field, nothing lost), the conflict page, the
downloads."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from samarbeid.portfolio.loader import load_examples
from samarbeid.portfolio.models import (
    ActionPlan,
    Agreement,
    CooperationBody,
    PortfolioChange,
    Project,
)

from . import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def examples():
    load_examples(lambda *_: None)
    return {b.short_name or b.name: b for b in CooperationBody.objects.all()}


def _grenland():
    return CooperationBody.objects.get(name="Grenlandssamarbeidet")


def test_every_page_of_the_examples_answers(client, examples):
    assert client.get(reverse("portfolio:bodies")).status_code == 200
    for body in CooperationBody.objects.all():
        page = client.get(reverse("portfolio:body", args=[body.pk]))
        assert page.status_code == 200 and body.name in page.content.decode()
        for plan in body.plans.filter(status="vedtatt"):
            assert (
                client.get(reverse("portfolio:plan", args=[body.pk, plan.year])).status_code == 200
            )
        for agreement in body.agreements.all():
            url = reverse("portfolio:agreement", args=[body.pk, agreement.pk])
            assert client.get(url).status_code == 200


def test_the_grenland_plan_reads_as_the_document(client, examples):
    body = _grenland()
    page = client.get(reverse("portfolio:plan", args=[body.pk, 2021])).content.decode()
    page = page.replace("\u00a0", " ")
    assert "Videreførte prosjekter" in page and "Nyetablerte prosjekter" in page
    for project in Project.objects.filter(plan_entries__plan__body=body):
        assert project.title in page
    assert "2 400 000" in page and "2 200 000" in page
    assert (
        "Kilden oppgir 6 medlemmer; 0 er navngitt her"
        in client.get(reverse("portfolio:body", args=[body.pk])).content.decode()
    )


def test_a_draft_is_a_404_to_the_public_and_shown_to_member_editors(client, examples):
    body = _grenland()
    plan = body.plans.get(year=2021)
    secretariat = f.secretariat(body)
    client.force_login(secretariat)
    client.post(reverse("portfolio:roll_over", args=[body.pk, 2021]), {"endringskilde": "Test"})
    assert body.plans.filter(year=2022, status="utkast").exists()
    client.logout()
    assert client.get(reverse("portfolio:plan", args=[body.pk, 2022])).status_code == 404
    assert "2022" not in client.get(reverse("portfolio:body", args=[body.pk])).content.decode()
    body.members.create(municipality=f.municipality("Skien"), source="Test")
    client.force_login(f.municipality_editor("Skien"))
    assert client.get(reverse("portfolio:plan", args=[body.pk, 2022])).status_code == 200
    assert plan.status == "vedtatt"


def test_a_refused_form_keeps_the_input_and_names_the_field(client, examples):
    body = _grenland()
    client.force_login(f.secretariat(body))
    client.post(reverse("portfolio:roll_over", args=[body.pk, 2021]), {"endringskilde": "Test"})
    url = reverse("portfolio:add_project", args=[body.pk, 2022])
    answer = client.post(url, {"kode": "N1", "tittel": "Felles chatbot", "budsjett": "mange",
                               "tekst": "Anskaffelse", "endringskilde": ""})  # fmt: skip
    page = answer.content.decode()
    assert answer.status_code == 200
    assert "«mange» er ikke et beløp i hele kroner" in page
    assert "Kilden for endringen mangler" in page
    assert 'value="Felles chatbot"' in page and 'value="Anskaffelse"' in page
    assert not Project.objects.filter(code="N1").exists()


def test_a_stale_save_gets_the_conflict_page_with_the_input_kept(client, examples):
    body = _grenland()
    project = Project.objects.filter(body=body).first()
    url = reverse("portfolio:edit_project", args=[body.pk, project.code])
    client.force_login(f.secretariat(body, "forste"))
    form = client.get(url).context["form"]
    data = {k: (v if v is not None else "") for k, v in form.initial.items()}
    client.post(url, {**data, "tittel": "Først lagret", "endringskilde": "A"})
    client.force_login(f.secretariat(body, "andre"))
    answer = client.post(url, {**data, "tittel": "Min tittel", "endringskilde": "B"})
    page = answer.content.decode()
    assert answer.status_code == 409
    assert "ble endret av forste" in page and 'value="Min tittel"' in page
    project.refresh_from_db()
    assert project.title == "Først lagret"
    again = client.post(url, {**data, "tittel": "Min tittel", "endringskilde": "B",
                              "versjon": project.version})  # fmt: skip
    assert again.status_code == 302
    project.refresh_from_db()
    assert project.title == "Min tittel"


def test_an_agreement_running_out_in_60_days_shows_an_alert(client, examples):
    body = CooperationBody.objects.get(name__startswith="DigiVestland")
    agreement = body.agreements.filter(kind=Agreement.Kind.COOPERATION).first()
    Agreement.objects.filter(pk=agreement.pk).update(
        ends=timezone.localdate() + dt.timedelta(days=60)
    )
    page = client.get(reverse("portfolio:body", args=[body.pk])).content.decode()
    assert "Avtale som snart løper ut" in page and "om 60 dager" in page


def test_no_access_is_a_403_with_the_reason(client, examples):
    body = _grenland()
    client.force_login(f.municipality_editor("Skien"))
    answer = client.get(reverse("portfolio:roll_over", args=[body.pk, 2021]))
    assert answer.status_code == 403
    assert "Bare sekretariatet for Grenlandssamarbeidet" in answer.content.decode()
    assert ActionPlan.objects.filter(body=body).count() == 1


def test_history_and_restore(client, examples):
    body = _grenland()
    project = Project.objects.filter(body=body).first()
    old = project.title
    client.force_login(f.secretariat(body))
    url = reverse("portfolio:edit_project", args=[body.pk, project.code])
    data = {
        k: (v if v is not None else "") for k, v in client.get(url).context["form"].initial.items()
    }
    client.post(url, {**data, "tittel": "Feil tittel", "endringskilde": "Uhell"})
    change = PortfolioChange.objects.filter(model="project", action="endret").latest("id")
    history = client.get(reverse("portfolio:history", args=[body.pk])).content.decode()
    assert "Feil tittel" in history and "Uhell" in history
    restore = reverse("portfolio:restore", args=[body.pk, change.pk])
    assert client.post(restore, {"endringskilde": "Angret"}).status_code == 302
    project.refresh_from_db()
    assert project.title == old


def test_downloads_json_and_markdown(client, examples):
    body = _grenland()
    answer = client.get(reverse("portfolio:plan_file", args=[body.pk, 2021, "json"]))
    assert answer.status_code == 200 and answer["Content-Type"].startswith("application/json")
    assert len(answer.json()["prosjekter"]) == 7
    assert (
        client.get(reverse("portfolio:plan_file", args=[body.pk, 2021, "exe"])).status_code == 404
    )


def test_status_report_and_benefit_forms(client, examples):
    body = _grenland()
    client.force_login(f.secretariat(body))
    url = reverse("portfolio:add_status_report", args=[body.pk, 2021, "2.2.3"])
    answer = client.post(url, {"dato": "2021-09-01", "lys": "gronn", "tekst": "Forprosjektet er ferdig",
                               "endringskilde": "Styringsgruppen for DigiTV"})  # fmt: skip
    assert answer.status_code == 302
    url = reverse("portfolio:add_benefit", args=[body.pk, 2021, "2.2.3"])
    answer = client.post(url, {"beskrivelse": "Færre sendinger å produsere", "gevinsteier": "Rådmannen",
                               "kommune": "", "endringskilde": "Gevinstplan"})  # fmt: skip
    assert answer.status_code == 302
    page = client.get(reverse("portfolio:plan", args=[body.pk, 2021])).content.decode()
    assert "Forprosjektet er ferdig" in page and "Færre sendinger å produsere" in page
    assert "Grønn" in page and "Rådmannen" in page


def test_a_change_makes_the_cached_public_pages_stale(client, examples, settings):
    from django.core.cache import caches

    from samarbeid.portfolio import services

    settings.PAGE_CACHE = True
    caches["pages"].clear()
    body = _grenland()
    url = reverse("portfolio:plan", args=[body.pk, 2021])
    api = f"/api/organer/{body.pk}/planer/2021/"
    assert "Velferdsteknologi" in client.get(url).content.decode()
    assert client.get(api).json()["prosjekter"][1]["tittel"] == "Velferdsteknologi"
    project = Project.objects.get(body=body, code="2.2.2")
    services.update_project(project, {"tittel": "Velferdsteknologi i Grenland"},
                            user=f.secretariat(body), source="Test", expected_version=1)  # fmt: skip
    assert "Velferdsteknologi i Grenland" in client.get(url).content.decode()
    assert client.get(api).json()["prosjekter"][1]["tittel"] == "Velferdsteknologi i Grenland"
    caches["pages"].clear()


def test_a_milestone_of_next_years_draft_is_not_in_this_years_plan(client, examples):
    from samarbeid.portfolio import services

    body = _grenland()
    secretariat = f.secretariat(body)
    draft = services.roll_over(body.plans.get(year=2021), user=secretariat, source="Test")
    project = Project.objects.get(body=body, code="2.2.2")
    services.add_milestone(project, {"tekst": "Hemmelig milepæl", "nar": "2022"}, plan=draft,
                           user=secretariat, source="Test")  # fmt: skip
    public = client.get(reverse("portfolio:plan", args=[body.pk, 2021])).content.decode()
    data = client.get(reverse("portfolio:plan_file", args=[body.pk, 2021, "json"])).json()
    assert "Hemmelig milepæl" not in public and "Hemmelig milepæl" not in str(data)
    client.force_login(secretariat)
    mine = client.get(reverse("portfolio:plan", args=[body.pk, 2022])).content.decode()
    assert "Hemmelig milepæl" in mine


def test_each_projects_links_are_the_addresses_django_reverses(client):
    """The plan page builds its per-project links from one reversed address per kind; for codes
    with spaces, signs and letters outside ASCII they are exactly what ``reverse`` gives, and
    each one answers. Who sees which links follows the rules."""
    import re

    owner = f.body()
    codes = ("2.2.1", "HR 3@b", "F4+æ", "T&1")
    draft = f.plan(owner, 2022, codes=codes)
    client.force_login(f.secretariat(owner))
    page = client.get(reverse("portfolio:plan", args=[owner.pk, 2022])).content.decode()
    hrefs = set(re.findall(r'<a href="([^"]+)">', page))
    for code in codes:
        expected = {
            reverse("portfolio:edit_project", args=[owner.pk, code]) + "?plan=2022",
            reverse("portfolio:add_milestone", args=[owner.pk, 2022, code]),
            reverse("portfolio:add_status_report", args=[owner.pk, 2022, code]),
            reverse("portfolio:add_benefit", args=[owner.pk, 2022, code]),
            reverse("portfolio:end_project", args=[owner.pk, 2022, code]),
            reverse("portfolio:participation", args=[owner.pk, 2022, code]),
        }
        escaped = {url.replace("&", "&amp;") for url in expected}
        assert escaped <= hrefs, (code, escaped - hrefs)
        for url in expected:
            assert client.get(url).status_code == 200, url
    editor = f.municipality_editor("Skien", "skien")
    client.force_login(editor)
    page = client.get(reverse("portfolio:plan", args=[owner.pk, 2022])).content.decode()
    assert "Meld deltakelse i 2.2.1" in page and "Endre 2.2.1" not in page
    draft.status = ActionPlan.Status.APPROVED
    draft.save()
    client.logout()
    page = client.get(reverse("portfolio:plan", args=[owner.pk, 2022])).content.decode()
    assert "Meld deltakelse" not in page and "Avslutt" not in page
