"""Building and changing a model in the web form: who may (the body's secretariat, an
administrator; anonymous readers are sent to sign in, others get the refusal page), a model made
and changed with its version and reason, every kind of bad input answered at its field with what
was typed kept and nothing saved, and a stale save (someone saved after the form was opened)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from samarbeid.finance import services
from samarbeid.finance.models import FeeModel, FeeModelVersion
from tests.portfolio import factories as pf

from .factories import SPLIT_30_70, fee_model

pytestmark = pytest.mark.django_db

NEW = reverse("finance:create")


@pytest.fixture
def body():
    return pf.body("Testrådet", members=("Skien", "Porsgrunn"))


@pytest.fixture
def secretariat(body):
    return pf.secretariat(body)


@pytest.fixture
def admin():
    from django.contrib.auth import get_user_model

    return get_user_model().objects.create_superuser("admin", password="x")


def _counts() -> tuple[int, int]:
    return FeeModel.objects.count(), FeeModelVersion.objects.count()


def _form(body=None, **changes) -> dict[str, str]:
    """A good form: 100 000 per member and 20 per inhabitant, at most 500 000, Skien exempt."""
    data = {
        "navn": "Grunnfinansiering",
        "slug": "grunnfinansiering",
        "organ": str(body.pk) if body is not None else "",
        "beskrivelse": "Fast beløp og pris per innbygger",
        "prisaar": "2025",
        "budsjett": "",
        "tak": "500 000",
        "gulv": "",
        "del_1_type": "fast",
        "del_1_belop": "100 000",
        "del_2_type": "per_innbygger",
        "del_2_belop": "20",
        "fritak_1_kommunenummer": "4003",
        "fritak_1_egenbidrag": "Vertskommune",
        "fritak_1_verdi": "250000",
        "indeksering_standard": "3",
        "indeksering_deflator": "2026: 4,3",
        "indeksering_belop": "on",
        "endringskilde": "Styremøte 3.2.2025, sak 4/25",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def _errors(response) -> dict[str, list[str]]:
    """The messages at each field (and ``deler``/``fritak``/``indeksering`` for a group)."""
    form = response.context["form"]
    found = {name: [str(e) for e in errors] for name, errors in form.errors.items()}
    found.update(form.group_errors)
    return found


# --- who may ------------------------------------------------------------------------------------


def test_anonymous_readers_are_sent_to_sign_in(client):
    model = fee_model()
    for url in (NEW, reverse("finance:edit", args=[model.slug])):
        answer = client.get(url)
        assert answer.status_code == 302
        assert answer["Location"].startswith(reverse("web:login") + "?next=")
    assert client.post(NEW, _form()).status_code == 302
    assert FeeModel.objects.count() == 1


def test_a_user_without_a_role_gets_the_refusal_page(client, body):
    model = fee_model(body=body, slug="organets")
    client.force_login(pf.user("utenrolle"))
    for url in (NEW, reverse("finance:edit", args=[model.slug])):
        answer = client.get(url)
        assert answer.status_code == 403
        assert "Ingen tilgang" in answer.content.decode()
    before = _counts()
    assert client.post(NEW, _form(body)).status_code == 403
    assert _counts() == before


def test_another_bodys_secretariat_may_not_change_the_model(client, body):
    model = fee_model(body=body, slug="organets")
    other = pf.body("Annet råd", members=("Bamble",))
    client.force_login(pf.secretariat(other, "annen"))
    answer = client.get(reverse("finance:edit", args=[model.slug]))
    assert answer.status_code == 403
    assert "Bare sekretariatet til Testrådet eller en administrator" in answer.content.decode()
    # … nor make one for it: the body is not among the choices.
    before = _counts()
    answer = client.post(NEW, _form(body))
    assert answer.status_code == 200
    assert "organ" in _errors(answer)
    assert _counts() == before


# --- making and changing ------------------------------------------------------------------------


def test_the_secretariat_makes_a_model(client, body, secretariat):
    client.force_login(secretariat)
    page = client.get(NEW)
    assert page.status_code == 200
    choices = page.context["form"].fields["organ"].choices
    assert choices == [(str(body.pk), "Testrådet")]
    answer = client.post(NEW, _form(body), follow=True)
    assert answer.redirect_chain == [(reverse("finance:model", args=["grunnfinansiering"]), 302)]
    model = FeeModel.objects.get(slug="grunnfinansiering")
    assert model.body == body and model.version == 1
    assert model.spec["deler"] == [
        {"type": "fast", "belop": 100000},
        {"type": "per_innbygger", "belop": 20},
    ]
    assert model.spec["tak"] == 500000 and model.spec["budsjett"] is None
    assert model.spec["fritak"] == [
        {"kommunenummer": "4003", "egenbidrag": "Vertskommune", "verdi": 250000}
    ]
    assert model.spec["indeksering"] == {
        "deflator": {"2026": "4.3"},
        "standard": 3,
        "belop": True,
        "tak": False,
        "gulv": False,
    }
    version = model.versions.get()
    assert version.reason == "Styremøte 3.2.2025, sak 4/25" and version.author == secretariat
    content = answer.content.decode()
    assert re.search(
        r'<div class="notice" role="status">\s*<p>Kostnadsmodellen «Grunnfinansiering» er lagret',
        content,
    )


def test_an_assumed_member_list_is_kept_with_its_explanation(client, body, secretariat):
    client.force_login(secretariat)
    data = _form(body, medlemmer="4003, 4001\n4012", antakelse="Tre kommuner, etter avtalen")
    assert client.post(NEW, data).status_code == 302
    model = FeeModel.objects.get(slug="grunnfinansiering")
    assert model.assumed_members == ["4003", "4001", "4012"]
    assert model.assumption == "Tre kommuner, etter avtalen"


def test_an_administrator_may_make_a_model_without_a_body(client, admin):
    client.force_login(admin)
    data = _form(None, medlemmer="4003 4001", antakelse="Skisse")
    assert client.post(NEW, data).status_code == 302
    assert FeeModel.objects.get(slug="grunnfinansiering").body is None


def test_the_form_opens_with_the_model_and_saves_a_new_version(client, body, secretariat):
    spec = {**SPLIT_30_70, "bruk": {"2024": {"4003": 10, "4001": 5}}}
    model = fee_model(spec, body=body, slug="delt")
    client.force_login(secretariat)
    url = reverse("finance:edit", args=[model.slug])
    page = client.get(url)
    form = page.context["form"]
    assert "slug" not in form.fields and "organ" not in form.fields
    assert form["budsjett"].value() == "1 000 000" and form["versjon"].value() == 1
    assert form["del_2_andel"].value() == "70" and form["del_2_fordeling"].value() == "innbyggere"
    data = {name: form[name].value() for name in form.fields}
    data = {k: ("on" if v is True else v) for k, v in data.items() if v not in (None, False)}
    data.update(budsjett="1 200 000", endringskilde="Budsjett 2026")
    answer = client.post(url, data)
    assert answer.status_code == 302
    model.refresh_from_db()
    assert model.version == 2 and model.spec["budsjett"] == 1200000
    assert model.spec["bruk"] == {"2024": {"4001": 5, "4003": 10}}  # not on the form: kept
    assert list(model.versions.values_list("number", "reason")) == [
        (2, "Budsjett 2026"),
        (1, "Testdata"),
    ]


def test_a_stale_save_is_a_conflict_that_keeps_the_input(client, body, secretariat, admin):
    model = fee_model(SPLIT_30_70, body=body, slug="delt")
    client.force_login(secretariat)
    url = reverse("finance:edit", args=[model.slug])
    form = client.get(url).context["form"]
    data = {name: form[name].value() for name in form.fields}
    data = {k: ("on" if v is True else v) for k, v in data.items() if v not in (None, False)}
    data.update(budsjett="1 500 000", endringskilde="Mitt forslag")
    services.save_model(
        admin,
        {**model.spec, "budsjett": 1100000},
        "Admins rettelse",
        model=model,
        expected_version=1,
    )
    before = _counts()
    answer = client.post(url, data)
    assert answer.status_code == 409
    content = answer.content.decode()
    assert "Modellen er endret av en annen mens du arbeidet med den" in content
    assert "Versjon 2" in content and "Admins rettelse" in content
    form = answer.context["form"]
    assert form["budsjett"].value() == "1 500 000" and form["versjon"].value() == "2"
    assert _counts() == before
    model.refresh_from_db()
    assert model.spec["budsjett"] == 1100000
    data["versjon"] = "2"
    assert client.post(url, data).status_code == 302
    model.refresh_from_db()
    assert model.version == 3 and model.spec["budsjett"] == 1500000


# --- every kind of bad input ------------------------------------------------------------------------


BAD = [
    ({"navn": ""}, "navn", "Mangler: gi modellen et navn."),
    ({"navn": '=HYPERLINK("http://x")'}, "navn", "Cellen begynner med «=»"),
    ({"prisaar": "20x5"}, "prisaar", "«20x5» er ikke et årstall."),
    ({"prisaar": "1850"}, "prisaar", "Årstallet må ligge mellom 1990 og 2100."),
    ({"tak": "-5"}, "tak", "Må være større enn 0."),
    ({"tak": "500 000,50"}, "tak", "Oppgi hele kroner."),
    ({"gulv": "600000"}, "gulv", "Gulvet (600000) er høyere enn taket (500000)."),
    ({"budsjett": "mye"}, "budsjett", "«mye» er ikke et tall"),
    ({"del_1_belop": ""}, "del_1_belop", "Mangler: oppgi et beløp i kroner."),
    ({"del_2_belop": "20 kr"}, "del_2_belop", "«20 kr» er ikke et tall"),
    ({"del_1_type": ""}, "del_1_type", "Velg hva slags del dette er, eller tøm raden."),
    (
        {"del_1_type": "", "del_1_belop": "", "del_2_type": "", "del_2_belop": ""},
        "deler",
        "Mangler: modellen trenger minst én del",
    ),
    (
        {"del_3_type": "andel", "del_3_andel": "100", "del_3_fordeling": ""},
        "del_3_fordeling",
        "Ukjent fordeling «»",
    ),
    (
        {"del_3_type": "andel", "del_3_andel": "100", "del_3_fordeling": "likt"},
        "budsjett",
        "Mangler: en modell som deler budsjettet, trenger budsjettet.",
    ),
    (
        {
            "budsjett": "2000000",
            "del_3_type": "andel",
            "del_3_andel": "60",
            "del_3_fordeling": "likt",
            "del_4_type": "andel",
            "del_4_andel": "tretti",
            "del_4_fordeling": "innbyggere",
        },
        "del_4_andel",
        "«tretti» er ikke et tall (prosent).",
    ),
    (
        {
            "budsjett": "2000000",
            "del_3_type": "andel",
            "del_3_andel": "60",
            "del_3_fordeling": "likt",
            "del_4_type": "andel",
            "del_4_andel": "50",
            "del_4_fordeling": "innbyggere",
        },
        "deler",
        "Andelene av budsjettet må til sammen være 100 prosent (nå 110).",
    ),
    (
        {"fritak_1_kommunenummer": "40O3"},
        "fritak_1_kommunenummer",
        "«40O3» er ikke et kommunenummer",
    ),
    ({"fritak_1_verdi": "mye"}, "fritak_1_verdi", "«mye» er ikke et tall"),
    ({"fritak_2_kommunenummer": "4003"}, "fritak_2_kommunenummer", "4003 er fritatt to ganger."),
    ({"fritak_1_kommunenummer": ""}, "fritak_1_kommunenummer", "Skriv kommunenummeret"),
    (
        {"indeksering_standard": "200"},
        "indeksering_standard",
        "Må ligge mellom -50 og 100 prosent.",
    ),
    (
        {"indeksering_deflator": "fire prosent i 2026"},
        "indeksering_deflator",
        "Linje 1 («fire prosent i 2026») er ikke «år: prosent»",
    ),
    (
        {"indeksering_deflator": "2026: 4\n2026: 5"},
        "indeksering_deflator",
        "Året 2026 står to ganger.",
    ),
    (
        {"indeksering_deflator": "2026: 400"},
        "indeksering_deflator",
        "2026: Må ligge mellom -50 og 100 prosent.",
    ),
    ({"medlemmer": "4003 99", "antakelse": "To"}, "medlemmer", "Ikke kommunenummer: 99."),
    ({"medlemmer": "4003 4003", "antakelse": "To"}, "medlemmer", "Står mer enn én gang: 4003."),
    ({"medlemmer": "4003 4001"}, "antakelse", "Skriv hva som er antatt"),
    ({"endringskilde": ""}, "endringskilde", "Kilden for endringen mangler."),
    ({"endringskilde": "=SUM(A1)"}, "endringskilde", "begynner med «=»"),
    ({"slug": "ny"}, "slug", "«ny» er en av sidenes egne adresser"),
]


@pytest.mark.parametrize(("changes", "field", "message"), BAD)
def test_bad_input_is_answered_at_its_field_and_nothing_is_saved(
    client, body, secretariat, changes, field, message
):
    client.force_login(secretariat)
    before = _counts()
    data = _form(body, **changes)
    answer = client.post(NEW, data)
    assert answer.status_code == 200
    errors = _errors(answer)
    assert any(message in e for e in errors.get(field, [])), errors
    assert _counts() == before
    content = answer.content.decode()
    # The summary at the top links to the field; the form keeps what was typed.
    assert '<div class="error-summary" role="alert"' in content
    form = answer.context["form"]
    anchor = f"#gruppe-{field}" if field in ("deler", "fritak") else f"#{form[field].id_for_label}"
    assert f'<a href="{anchor}">' in content
    for name, value in data.items():
        if name in form.fields and value and name != "indeksering_belop":
            assert form[name].value() == value, name
    assert "<title>Feil: Ny kostnadsmodell" in content


def test_a_short_name_in_use_is_refused(client, body, secretariat):
    fee_model(slug="grunnfinansiering")
    client.force_login(secretariat)
    before = _counts()
    answer = client.post(NEW, _form(body))
    assert "«grunnfinansiering» er allerede i bruk." in _errors(answer)["slug"][0]
    assert _counts() == before


def test_an_empty_row_between_filled_ones_keeps_the_row_numbers(client, body, secretariat):
    """The spec counts the parts filled in; its «deler[2]» is the form's third row here."""
    client.force_login(secretariat)
    answer = client.post(
        NEW, _form(body, del_2_type="", del_2_belop="", del_3_type="fast", del_3_belop="x")
    )
    assert "del_3_belop" in _errors(answer) and "del_2_belop" not in _errors(answer)
    assert "Del 3, beløp (kr): «x» er ikke et tall" in answer.content.decode()


def test_a_conflicting_edit_with_bad_input_shows_the_errors_first(client, body, secretariat):
    model = fee_model(SPLIT_30_70, body=body, slug="delt")
    client.force_login(secretariat)
    url = reverse("finance:edit", args=[model.slug])
    answer = client.post(url, {"navn": "", "versjon": "1", "endringskilde": "x"})
    assert answer.status_code == 200
    assert "navn" in _errors(answer)
    model.refresh_from_db()
    assert model.version == 1


# --- usage figures ------------------------------------------------------------------------------


def test_usage_figures_typed_in_the_form_split_the_budget(client, body, secretariat):
    client.force_login(secretariat)
    data = _form(body, budsjett="90 000", tak="", del_1_type="andel", del_1_belop="", del_1_andel="100",
                 del_1_fordeling="bruk", del_2_type="", del_2_belop="", fritak_1_kommunenummer="",
                 fritak_1_egenbidrag="", fritak_1_verdi="", bruk="2025 4003 1\n2025;4001;2\n")  # fmt: skip
    response = client.post(NEW, data)
    assert response.status_code == 302, (
        _errors(response) if response.status_code == 200 else response
    )
    model = FeeModel.objects.get(slug="grunnfinansiering")
    assert model.spec["bruk"] == {"2025": {"4001": 2, "4003": 1}}
    page = client.get(reverse("finance:model", args=[model.slug]) + "?aar=2025")
    content = page.content.decode().replace("\u00a0", " ")
    assert "30 000" in content and "60 000" in content  # 1 : 2 of 90 000
    edit = client.get(reverse("finance:edit", args=[model.slug]))
    assert "2025 4001 2" in edit.content.decode()


@pytest.mark.parametrize(
    ("lines", "words"),
    [
        ("2025 4003", "er ikke «år kommunenummer tall»"),
        ("2025 4003 1\n2025 4003 2", "står to ganger"),
        ("2025 4003 mange", "ikke et tall"),
        ("ifjor 4003 1", "ikke et årstall"),
    ],
)
def test_bad_usage_lines_are_named_and_nothing_is_saved(client, body, secretariat, lines, words):
    client.force_login(secretariat)
    before = _counts()
    response = client.post(NEW, _form(body, bruk=lines))
    assert response.status_code == 200
    messages = " ".join(_errors(response).get("bruk", []))
    assert words in messages, _errors(response)
    assert _counts() == before
