"""The public pages through Django's test client: status codes, headers, filters, unknown values."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from samarbeid.registry.models import Arrangement, Mapping
from samarbeid.registry.summary import municipality_summary
from samarbeid.web import queries


def _url(name: str, *args) -> str:
    return reverse(f"web:{name}", args=args)


def _list(client, mapping: Mapping, expect: int = 200, **params):
    response = client.get(_url("arrangements", mapping.pk), params)
    assert response.status_code == expect
    return response


def _refs(response) -> list[str]:
    return [a.ref for a in response.context["page"].object_list]


def _all_refs(client, mapping: Mapping, **params) -> set[str]:
    refs: set[str] = set()
    page = 1
    while True:
        response = _list(client, mapping, side=page, **params)
        refs.update(_refs(response))
        if not response.context["page"].has_next():
            return refs
        page += 1


class _Audit(HTMLParser):
    """Collects what the HTML checks need: inline scripts/styles, ids, form controls, tables."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs) -> None:
        self.tags.append((tag, dict(attrs)))


def _audit(html: str) -> list[tuple[str, dict]]:
    parser = _Audit()
    parser.feed(html)
    return parser.tags


# --- Pages and status codes ---------------------------------------------------------------------


@pytest.mark.django_db
def test_front_page_without_mappings(client):
    response = client.get("/")
    assert response.status_code == 200
    assert "ingen kartlegginger" in response.content.decode()


def test_front_page_lists_mappings(client, loaded_example):
    html = client.get("/").content.decode()
    assert '<html lang="nb">' in html
    assert "Interkommunalt samarbeid i Buskerud" in html
    assert f'href="{_url("mapping", loaded_example.pk)}"' in html
    assert re.search(r">\s*221\s*<", html) and re.search(r">\s*234\s*<", html)


def test_mapping_page_key_figures_and_scope(client, loaded_example):
    response = client.get(_url("mapping", loaded_example.pk))
    assert response.status_code == 200
    figures = response.context["figures"]
    assert (figures.total, figures.counted, figures.ended, figures.excluded) == (234, 221, 12, 1)
    assert figures.scope == 25
    html = response.content.decode()
    assert html.count(f'href="/kartlegginger/{loaded_example.pk}/kommuner/') == 25
    assert "Vertskommune er kjent for 11 av 221 ordninger" in html


@pytest.mark.parametrize(
    "path",
    [
        "/kartlegginger/999/",
        "/kartlegginger/999/ordninger/",
        "/kartlegginger/{pk}/ordninger/FINNES-IKKE/",
        "/kartlegginger/999/ordninger/BUS21-001/",
        "/kartlegginger/{pk}/kommuner/9999/",
        "/kartlegginger/{pk}/kommuner/1103/",  # Stavanger: in no arrangement of the mapping
        "/finnes-ikke/",
    ],
)
def test_not_found(client, loaded_example, path):
    response = client.get(path.format(pk=loaded_example.pk))
    assert response.status_code == 404
    html = response.content.decode()
    assert "Fant ikke siden" in html and '<html lang="nb">' in html


def test_every_page_type_renders(client, loaded_example):
    pk = loaded_example.pk
    for path in [
        "/",
        _url("mapping", pk),
        _url("arrangements", pk),
        _url("arrangements", pk) + "?kommune=3006&status=telles",
        _url("arrangement", pk, "BUS21-001"),
        _url("arrangement", pk, "BUS21-234"),
        _url("municipality", pk, "3006"),
        _url("municipality", pk, "0301"),  # Oslo: a participant outside the mapped area
    ]:
        response = client.get(path)
        assert response.status_code == 200, path


# --- Security -----------------------------------------------------------------------------------


def test_security_headers(client, loaded_example):
    for path in ["/", _url("arrangements", loaded_example.pk), "/finnes-ikke/"]:
        response = client.get(path)
        csp = response.headers["Content-Security-Policy"]
        assert "default-src 'none'" in csp
        assert "script-src 'self'" in csp and "style-src 'self'" in csp
        assert "frame-ancestors 'none'" in csp and "form-action 'self'" in csp
        assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
        assert response.headers["X-Frame-Options"] == "DENY"
        assert response.headers["Referrer-Policy"] == "same-origin"
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Cross-Origin-Opener-Policy"] == "same-origin"
        assert "camera=()" in response.headers["Permissions-Policy"]


def test_no_inline_scripts_or_styles(client, loaded_example):
    pk = loaded_example.pk
    for path in [
        "/",
        _url("mapping", pk),
        _url("arrangements", pk) + "?deltaker=Hjardal",
        _url("arrangement", pk, "BUS21-007"),
        _url("municipality", pk, "3006"),
    ]:
        html = client.get(path).content.decode()
        for tag, attrs in _audit(html):
            assert tag != "style", path
            assert not (tag == "script" and "src" not in attrs), path
            assert "style" not in attrs, (path, tag, attrs)
            assert not any(name.startswith("on") for name in attrs), (path, tag, attrs)


def test_post_without_csrf_token_is_refused(loaded_example):
    client = Client(enforce_csrf_checks=True)
    response = client.post(_url("arrangements", loaded_example.pk), {"kommune": "3006"})
    assert response.status_code == 403
    assert "Skjemaet kunne ikke sendes" in response.content.decode()


def test_pages_are_read_only(client, loaded_example):
    assert client.post("/").status_code == 405
    assert client.head("/").status_code == 200


def test_production_defaults(monkeypatch):
    """No DEBUG by default; cookies are secure and HSTS is on only with SAMARBEID_HTTPS=1."""
    import runpy

    import samarbeid.settings as settings_module

    monkeypatch.delenv("SAMARBEID_DEBUG", raising=False)
    monkeypatch.delenv("SAMARBEID_HTTPS", raising=False)
    plain = runpy.run_path(settings_module.__file__)
    assert plain["DEBUG"] is False
    assert not plain.get("SESSION_COOKIE_SECURE") and not plain.get("SECURE_HSTS_SECONDS")
    assert "django.middleware.csrf.CsrfViewMiddleware" in plain["MIDDLEWARE"]
    assert plain["MIDDLEWARE"][0] == "django.middleware.security.SecurityMiddleware"

    monkeypatch.setenv("SAMARBEID_HTTPS", "1")
    monkeypatch.setenv("SAMARBEID_SECRET_KEY", "k" * 64)
    tls = runpy.run_path(settings_module.__file__)
    assert tls["SESSION_COOKIE_SECURE"] and tls["CSRF_COOKIE_SECURE"]
    assert tls["SECURE_HSTS_SECONDS"] >= 31_536_000
    assert tls["SECURE_SSL_REDIRECT"] is True
    assert tls["CSRF_COOKIE_HTTPONLY"] and tls["SESSION_COOKIE_HTTPONLY"]


@pytest.mark.parametrize(
    ("environment", "message"),
    [
        ({"SAMARBEID_HTTPS": "1"}, "SAMARBEID_SECRET_KEY mangler eller er for kort"),
        ({"SAMARBEID_HTTPS": "1", "SAMARBEID_SECRET_KEY": "kort"}, "under 50 tegn"),
        ({"SAMARBEID_EMAIL_PORT": "tjuefem"}, "SAMARBEID_EMAIL_PORT='tjuefem' er ugyldig"),
        ({"SAMARBEID_SQLITE_TIMEOUT": "ti"}, "SAMARBEID_SQLITE_TIMEOUT='ti' er ugyldig"),
        ({"DATABASE_URL": "mysqlx://x"}, "DATABASE_URL er ugyldig"),
    ],
)
def test_settings_refuse_a_missing_secret_or_a_mistyped_value(monkeypatch, environment, message):
    """Production without a secret key, or a value of the wrong type, stops with a message that
    names the variable (the CLI prints it and exits 2, without a traceback)."""
    import runpy
    import subprocess
    import sys

    from django.core.exceptions import ImproperlyConfigured

    import samarbeid.settings as settings_module

    monkeypatch.delenv("SAMARBEID_SECRET_KEY", raising=False)
    for key, value in environment.items():
        monkeypatch.setenv(key, value)
    with pytest.raises(ImproperlyConfigured, match=message.replace("(", r"\(")):
        runpy.run_path(settings_module.__file__)
    result = subprocess.run(
        [sys.executable, "-m", "samarbeid", "kartlegginger"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 2
    assert result.stderr.startswith("samarbeid: oppsettet er ugyldig: ")
    assert message in result.stderr and "Traceback" not in result.stderr


def test_https_adds_upgrade_insecure_requests(settings):
    from samarbeid.web.middleware import content_security_policy

    settings.HTTPS = False
    assert "upgrade-insecure-requests" not in content_security_policy()
    settings.HTTPS = True
    assert content_security_policy().endswith("upgrade-insecure-requests")


# --- The arrangement list and its filters -------------------------------------------------------


def test_list_without_filters_is_paginated(client, loaded_example):
    first = _list(client, loaded_example)
    assert first.context["counts"] == {"total": 234, "counted": 221}
    assert len(_refs(first)) == 50 and _refs(first)[0] == "BUS21-001"
    second = _list(client, loaded_example, side=2)
    assert _refs(second)[0] == "BUS21-051"
    html = second.content.decode()
    assert 'aria-current="page">Side 2<' in html
    last = _list(client, loaded_example, side=99)  # out of range: the last page
    assert last.context["page"].number == 5 and len(_refs(last)) == 34
    assert len(_all_refs(client, loaded_example)) == 234


def test_pagination_keeps_the_filters(client, loaded_example):
    html = _list(client, loaded_example, sektor="helse", q="").content.decode()
    assert "side=" not in html  # 47 health arrangements: one page
    html = _list(client, loaded_example, status="telles").content.decode()
    assert "?status=telles&amp;side=2" in html


def test_filter_by_municipality_in_scope(client, loaded_example):
    response = _list(client, loaded_example, kommune="3006")
    assert response.context["counts"] == {"total": 27, "counted": 26}
    refs = set(_refs(response))
    expected = set(
        Arrangement.objects.filter(
            mapping=loaded_example, memberships__municipality__name="Kongsberg"
        ).values_list("ref", flat=True)
    )
    assert refs == expected and "BUS21-001" in refs
    assert "Kongsbergregionen IKPR" in response.content.decode()
    counted = _list(client, loaded_example, kommune="3006", status="telles")
    assert counted.context["counts"] == {"total": 26, "counted": 26}
    # The count per municipality agrees with the registry summary for every municipality.
    for row in municipality_summary(loaded_example).rows:
        response = _list(client, loaded_example, kommune=row.number, status="telles")
        assert response.context["counts"]["total"] == row.arrangements, row.name


def test_filter_by_any_participant_exact_name(client, loaded_example):
    oslo = _all_refs(client, loaded_example, deltaker="oslo")  # case does not matter
    expected = set(
        Arrangement.objects.filter(
            mapping=loaded_example, memberships__municipality__name="Oslo"
        ).values_list("ref", flat=True)
    )
    assert oslo == expected and oslo
    # Exact: "Ål" finds Ål's arrangements and not Våler's.
    al = _all_refs(client, loaded_example, deltaker="Ål")
    assert al == set(
        Arrangement.objects.filter(
            mapping=loaded_example, memberships__municipality__name="Ål"
        ).values_list("ref", flat=True)
    )
    assert (
        len(al)
        == 44
        + Arrangement.objects.filter(mapping=loaded_example, memberships__municipality__name="Ål")
        .exclude(status="telles")
        .count()
    )


def test_unknown_participant_is_an_error_with_suggestions(client, loaded_example):
    response = _list(client, loaded_example, expect=400, deltaker="Hjardal")
    assert response.context["page"] is None  # no list that could be taken for the answer
    html = response.content.decode()
    assert 'role="alert"' in html and "Mente du «Hjartdal»" in html
    assert 'href="#id_deltaker"' in html
    assert 'aria-invalid="true"' in html
    assert 'aria-describedby="id_deltaker_helptext id_deltaker_error"' in html
    assert "<title>Feil i filteret" in html


def test_invalid_choice_is_an_error(client, loaded_example):
    response = _list(client, loaded_example, expect=400, kommune="9999")
    assert response.context["page"] is None
    assert response.context["form"].errors["kommune"]


def test_filter_unknown_legal_form_and_sector(client, loaded_example):
    unknown_form = _list(client, loaded_example, juridisk_form="ukjent")
    assert unknown_form.context["counts"]["total"] == 157
    unknown_sector = _list(client, loaded_example, sektor="ukjent")
    assert unknown_sector.context["counts"]["total"] == 20
    iks = _list(client, loaded_example, juridisk_form="iks")
    assert iks.context["counts"]["total"] == 22


def test_filter_by_status_task_area_and_text(client, loaded_example):
    assert _list(client, loaded_example, status="avsluttet").context["counts"]["total"] == 12
    assert _list(client, loaded_example, status="utenfor").context["counts"]["total"] == 1
    area = Arrangement.objects.filter(mapping=loaded_example, task_areas__isnull=False).first()
    nr = area.task_areas.first().nr
    refs = _all_refs(client, loaded_example, oppgaveomrade=nr)
    assert refs == set(
        Arrangement.objects.filter(mapping=loaded_example, task_areas__nr=nr).values_list(
            "ref", flat=True
        )
    )
    text = _all_refs(client, loaded_example, q="kongsberg")
    assert "BUS21-001" in text and all(
        "kongsberg" in Arrangement.objects.get(mapping=loaded_example, ref=r).name.lower()
        for r in text
    )
    combined = _list(client, loaded_example, kommune="3006", juridisk_form="ipr", status="telles")
    assert set(_refs(combined)) == {"BUS21-001", "BUS21-064"}


def test_no_match_says_so(client, loaded_example):
    response = _list(client, loaded_example, q="finnes ikke i noe navn")
    assert response.context["counts"]["total"] == 0
    assert "Ingen ordninger passer til filteret." in response.content.decode()


# --- One arrangement ----------------------------------------------------------------------------


def _detail(client, mapping, ref) -> str:
    response = client.get(_url("arrangement", mapping.pk, ref))
    assert response.status_code == 200
    return response.content.decode()


def _fact(html: str, label: str) -> str:
    match = re.search(rf"<dt>{re.escape(label)}</dt><dd>(.*?)</dd>", html, re.S)
    assert match, label
    return match.group(1)


def test_unknown_is_shown_as_ikke_kjent(client, loaded_example):
    html = _detail(client, loaded_example, "BUS21-001")
    for label in ["Vertskommune", "Sektor", "Organisasjonsnummer", "Faste årsverk", "Budsjett"]:
        assert "Ikke kjent" in _fact(html, label), label
        assert "Ingen" not in _fact(html, label), label
    assert "Ikke kjent" in _fact(html, "Oppgaveområder")
    assert "Ikke kjent" in _fact(html, "Antall oppgitt i kilden")
    assert _fact(html, "Etablert").strip() == "2005"
    assert "Ikke kjent" not in _fact(html, "Juridisk form")


def test_detail_shows_every_fact_with_its_source(client, loaded_example):
    hosted = Arrangement.objects.get(mapping=loaded_example, ref="BUS21-007")
    html = _detail(client, loaded_example, "BUS21-007")
    assert "Kongsberg (3006)" in _fact(html, "Vertskommune")
    assert f"Kilde:</span> {escape(hosted.host_source)}" in html
    assert "vertskommune</span>" in html  # the host is marked among the participants
    staffed = Arrangement.objects.get(mapping=loaded_example, ref="BUS21-002")
    html = _detail(client, loaded_example, "BUS21-002")
    assert _fact(html, "Faste årsverk").startswith("6,2")
    assert staffed.arsverk_source and escape(staffed.arsverk_source) in html
    # Participants with their municipality numbers, linked to their municipality pages.
    html = _detail(client, loaded_example, "BUS21-001")
    assert "<td>3006</td>" in html and "<td>3819</td>" in html
    assert f'href="{_url("municipality", loaded_example.pk, "3006")}"' in html
    assert "Skrevet «Hjardal» i kilden." in html  # the source's spelling is kept


def test_detail_of_excluded_and_ended(client, loaded_example):
    html = _detail(client, loaded_example, "BUS21-234")
    assert "Utenfor definisjonen" in html
    assert "Ledet av staten eller fylket" in html
    ended = Arrangement.objects.filter(mapping=loaded_example, status="avsluttet").first()
    html = _detail(client, loaded_example, ended.ref)
    assert "Avsluttet:" in html


# --- One municipality ---------------------------------------------------------------------------


def test_municipality_page_agrees_with_the_summary(client, loaded_example):
    for row in municipality_summary(loaded_example).rows:
        response = client.get(_url("municipality", loaded_example.pk, row.number))
        assert response.status_code == 200
        overview = response.context["overview"]
        assert len(overview.counted) == row.arrangements, row.name
        assert len(overview.hosted) == row.hosted, row.name
        assert len(overview.served_by_others) == row.served_by_others, row.name


def test_kongsberg_page(client, loaded_example):
    response = client.get(_url("municipality", loaded_example.pk, "3006"))
    overview = response.context["overview"]
    assert overview.in_scope and overview.region == "Kongsbergregionen"
    assert [a.ref for a in overview.hosted] == ["BUS21-007", "BUS21-008", "BUS21-103"]
    assert overview.served_by_others == []
    assert [r.arrangement.ref for r in overview.not_counted] == ["BUS21-234"]
    first = overview.counted[0]
    assert first.arrangement.ref == "BUS21-001" and "Kongsberg" not in first.others
    assert "Flesberg" in first.others and len(first.others) == 7
    html = response.content.decode()
    assert "Kongsberg: interkommunalt samarbeid" in html
    assert "?kommune=3006" in html


def test_municipality_outside_the_area(client, loaded_example):
    response = client.get(_url("municipality", loaded_example.pk, "0301"))
    overview = response.context["overview"]
    assert not overview.in_scope and overview.period.name == "Oslo"
    assert "ikke blant de kartlagte kommunene" in response.content.decode()


def test_participant_match_is_exact():
    match = queries.ParticipantMatch("Ål", period_ids={1})
    assert match and not queries.ParticipantMatch("x")
    assert queries.name_key("  nore   OG uvdal ") == "nore og uvdal"
    assert queries.name_key("Ål") != queries.name_key("Våler")
