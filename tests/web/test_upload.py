"""Uploading a mapping file in the browser (issue #6): checked exactly as ``samarbeid check``,
imported exactly as ``samarbeid import``; who may; CSRF; the private temporary file; and axe-core
on the upload form and the findings page."""

from __future__ import annotations

import datetime as dt
import html
import json
import os
import re
import stat
import tempfile
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from playwright.sync_api import expect

from samarbeid.intake import reader
from samarbeid.intake.commands import check_path
from samarbeid.intake.models import ImportRun
from samarbeid.registry import permissions
from samarbeid.registry.models import Arrangement, ChangeRecord, Mapping, RoleAssignment
from samarbeid.web.upload import check as upload_views
from tests.browser_fixtures import follow
from tests.conftest import EXAMPLE, _Null
from tests.intake.test_bad_files import CASES, CORPUS, apply_limits

BOTH = "BUS21-007"
BOTH_NAME = "Tilsyn- og ulovlighetsoppfølging i Kongsbergregionen"
REJECTED_FILES = [c for c in CASES if c.returncode == 2]


# --- Fixtures and helpers -----------------------------------------------------------------------


@pytest.fixture(autouse=True)
def private_tmp(tmp_path, monkeypatch) -> Path:
    """The uploads' temporary directories go under this test's own directory."""
    root = tmp_path / "tmp"
    root.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(root))
    return root


@pytest.fixture
def users(loaded_example, settings):
    call_command("create_demo_users", stdout=_Null())
    other = Mapping.objects.create(name="Annen 2020", cutoff_date=dt.date(2020, 1, 1))
    outsider = get_user_model().objects.create_user("annen", first_name="Anders")
    permissions.grant(outsider, RoleAssignment.Role.MAPPING_EDITOR, mapping=other)
    ImportRun.objects.all().delete()  # load_example's own run
    return {u.username: u for u in get_user_model().objects.all()}


def _client(user=None, **options) -> Client:
    client = Client(**options)
    if user is not None:
        client.force_login(user)
    return client


def _url(name: str, *args) -> str:
    return reverse(f"web:{name}", args=args)


def _text(response) -> str:
    """The page as a reader sees it: tags removed, entities decoded, spaces collapsed."""
    body = re.sub(r"<[^>]+>", " ", response.content.decode())
    return re.sub(r"\s+", " ", html.unescape(body))


def _upload(client, mapping, path: Path | None = None, *, name=None, content=None, **data):
    if path is not None:
        name, content = path.name, path.read_bytes()
    data["fil"] = SimpleUploadedFile(name, content)
    url = _url("upload", mapping.pk) if mapping is not None else _url("upload_new")
    return client.post(url, data)


def _token(response) -> str:
    match = re.search(r'name="token" value="([^"]+)"', response.content.decode())
    return match.group(1) if match else ""


def _pending(client, mapping=None) -> dict:
    slot = f"kartlegging-{mapping.pk}" if mapping else "ny"
    return client.session[upload_views.SESSION_KEY][slot]


def _import(client, mapping, token):
    url = _url("upload_import", mapping.pk) if mapping is not None else _url("upload_new_import")
    return client.post(url, {"token": token})


def _edited_example(tmp_path: Path) -> Path:
    """The example with one arrangement renamed and one new arrangement (with participants)."""
    lines = EXAMPLE.read_text(encoding="utf-8-sig").splitlines()
    row = next(i for i, line in enumerate(lines) if line.startswith(f"{BOTH},"))
    new_row = lines[row].replace(f"{BOTH},{BOTH_NAME}", "BUS21-900,Nytt felles tilsyn i Numedal")
    lines[row] = lines[row].replace(BOTH_NAME, BOTH_NAME + " (endret)")
    start = lines.index("#Deltakere")
    last = max(i for i in range(start) if lines[i].strip())  # the end of the sheet Ordninger
    lines.insert(last + 1, new_row)  # last: the others keep their positions
    start += 1
    members = [line for line in lines[start:] if line.startswith(f"{BOTH},")]
    lines += [line.replace(BOTH, "BUS21-900", 1) for line in members]
    path = tmp_path / "buskerud2021-rettet.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert not check_path(str(path), mapping_name="Buskerud 2021", cutoff=None).errors
    return path


def _upload_dirs(root: Path) -> list[Path]:
    return sorted(root.glob(f"{upload_views.TEMP_PREFIX}*"))


# --- Step 1 and step 2, the happy path ----------------------------------------------------------


def test_mapping_editor_checks_and_imports(users, loaded_example, tmp_path, private_tmp):
    client = _client(users["kartlegger"])
    page = client.get(_url("upload", loaded_example.pk))
    assert page.status_code == 200
    body = page.content.decode()
    assert 'enctype="multipart/form-data"' in body
    assert '<label for="id_fil">Kartleggingsfil</label>' in body
    assert 'accept=".xlsx,.csv,.json"' in body

    path = _edited_example(tmp_path)
    checked = _upload(client, loaded_example, path)
    assert checked.status_code == 200
    text = _text(checked)
    assert "Kontroll av buskerud2021-rettet.csv" in text
    assert "Filen har ingen feil og 20 advarsler. Den kan importeres." in text
    # Every warning with its place in the file, exactly as `samarbeid check` words it.
    expected = check_path(str(path), mapping_name="Buskerud 2021", cutoff=None).warnings
    assert len(expected) == 20
    for finding in expected:
        assert f"{finding.location()} {finding.text()}" in text
    assert "20 advarsler i buskerud2021-rettet.csv" in text  # the table's caption
    token = _token(checked)
    assert token and token not in checked.request["PATH_INFO"]
    # The checked file waits in a private directory, never under the static files.
    stored = Path(_pending(client, loaded_example)["file"])
    assert stored.parent.parent == private_tmp and stored.name == path.name
    assert stat.S_IMODE(stored.parent.stat().st_mode) == 0o700
    assert stored.read_bytes() == path.read_bytes()

    imported = _import(client, loaded_example, token)
    assert imported.status_code == 200
    text = _text(imported)
    assert "Filen er importert" in text
    assert "1 nye, 1 endrede og 233 uendrede ordninger" in text
    figures = imported.context["counts"]
    assert (figures["ordninger_ny"], figures["ordninger_endret"]) == (1, 1)
    assert figures["ordninger_uendret"] == 233

    assert Arrangement.objects.get(mapping=loaded_example, ref=BOTH).name.endswith("(endret)")
    new = Arrangement.objects.get(mapping=loaded_example, ref="BUS21-900")
    assert new.memberships.count() == Arrangement.objects.get(ref=BOTH).memberships.count() > 0
    run = ImportRun.objects.get()
    assert run.user == "kartlegger"
    assert run.outcome == ImportRun.Outcome.IMPORTED
    assert run.file_name == "buskerud2021-rettet.csv" and run.mapping_name == "Buskerud 2021"
    assert run.warnings == 20 and run.errors == 0 and run.counts["ordninger_ny"] == 1
    # The change history has the import, under the editor's name (the history's import hook).
    records = ChangeRecord.objects.filter(source="Import av buskerud2021-rettet.csv")
    assert {(r.ref, r.action) for r in records} == {
        (BOTH, ChangeRecord.Action.UPDATED),
        ("BUS21-900", ChangeRecord.Action.CREATED),
    }
    assert {r.user_name for r in records} == {"Kari Kartlegger"}
    assert {r.channel for r in records} == {ChangeRecord.Channel.IMPORT}
    # The temporary file is gone, and the token is spent.
    assert _upload_dirs(private_tmp) == []
    again = _import(client, loaded_example, token)
    assert again.status_code == 400 and "Fant ingen kontrollert fil" in _text(again)
    assert ImportRun.objects.count() == 1


def test_same_file_again_is_unchanged(users, loaded_example):
    client = _client(users["kartlegger"])
    checked = _upload(client, loaded_example, EXAMPLE)
    imported = _import(client, loaded_example, _token(checked))
    assert imported.status_code == 200
    assert "0 nye, 0 endrede og 234 uendrede ordninger" in _text(imported)
    assert ImportRun.objects.get().outcome == ImportRun.Outcome.UNCHANGED
    assert not ChangeRecord.objects.filter(source="Import av buskerud2021.csv").exists()


def test_administrator_imports_a_new_mapping(users, loaded_example):
    client = _client(users["admin"])
    page = client.get(_url("upload_new"))
    assert page.status_code == 200
    assert '<label for="id_navn">Navn på kartleggingen</label>' in page.content.decode()
    missing = client.post(_url("upload_new"), {"fil": SimpleUploadedFile("a.csv", b"x")})
    assert missing.status_code == 400
    assert "Navn på kartleggingen: Skriv navnet på kartleggingen." in _text(missing)

    checked = _upload(client, None, EXAMPLE, navn="Buskerud kopi")
    assert checked.status_code == 200
    assert "Kartleggingen «Buskerud kopi» er ny." in _text(checked)
    imported = _import(client, None, _token(checked))
    assert imported.status_code == 200
    copy = Mapping.objects.get(name="Buskerud kopi")
    assert Arrangement.objects.filter(mapping=copy).count() == 234
    assert "234 nye, 0 endrede og 0 uendrede ordninger" in _text(imported)
    run = ImportRun.objects.get(mapping_name="Buskerud kopi")
    assert run.user == "admin" and run.outcome == ImportRun.Outcome.IMPORTED
    assert ChangeRecord.objects.filter(mapping=copy).count() == 234
    assert ChangeRecord.objects.filter(mapping=copy, user_name="Anne Administrator").count() == 234


def test_an_administrator_may_upload_to_any_mapping(users, loaded_example):
    checked = _upload(_client(users["admin"]), loaded_example, EXAMPLE)
    assert checked.status_code == 200 and _token(checked)


# --- A file with errors ----------------------------------------------------------------------------


def test_file_with_an_error_lists_it_and_cannot_be_imported(users, loaded_example, private_tmp):
    client = _client(users["kartlegger"])
    before = Arrangement.objects.filter(mapping=loaded_example).count()
    path = CORPUS / "orgnr_checksum.csv"
    checked = _upload(client, loaded_example, path)
    assert checked.status_code == 200
    text = _text(checked)
    assert "Filen har 1 feil og kan ikke importeres" in text
    assert (
        "orgnr_checksum.csv, seksjon Ordninger, linje 15, kolonne organisasjonsnummer "
        "Organisasjonsnummeret «974760674» har feil kontrollsiffer (MOD11)."
    ) in text
    assert "1 feil i orgnr_checksum.csv" in text  # the errors table's caption
    assert "Importer filen" not in text and _token(checked) == ""
    assert "<title>Feil: " in checked.content.decode()

    # Even with the session's own token, the import is refused; nothing is written.
    token = _pending(client, loaded_example)["token"]
    refused = _import(client, loaded_example, token)
    assert refused.status_code == 400
    assert "Ingenting ble importert: 1 feil i orgnr_checksum.csv." in _text(refused)
    assert Arrangement.objects.filter(mapping=loaded_example).count() == before
    assert not Mapping.objects.filter(name="Test 2021").exists()
    assert not ChangeRecord.objects.filter(source__startswith="Import av orgnr").exists()
    run = ImportRun.objects.get()
    assert (run.outcome, run.user, run.errors) == (ImportRun.Outcome.REJECTED, "kartlegger", 1)
    assert _upload_dirs(private_tmp) == []


# --- Files that cannot be read at all --------------------------------------------------------------


@pytest.mark.parametrize("case", REJECTED_FILES, ids=[c.file for c in REJECTED_FILES])
def test_unreadable_file_is_one_message_with_400(case, users, loaded_example, monkeypatch):
    apply_limits(case, monkeypatch)
    client = _client(users["kartlegger"])
    response = _upload(client, loaded_example, case.path)
    assert response.status_code == 400
    text = _text(response)
    # The intake's own message; the server's temporary path never shows.
    message = re.sub(r"\s+", " ", case.text().replace(f"{CORPUS}/", ""))
    assert f"Kartleggingsfil: {case.location}: {message}" in text
    assert f"Filen «{case.file}» kan ikke leses" in text
    assert tempfile.gettempdir() not in response.content.decode()
    assert 'role="alert"' in response.content.decode()
    assert upload_views.SESSION_KEY not in client.session
    assert not ImportRun.objects.exists()


def test_oversize_file_is_not_stored_beyond_the_limit(users, loaded_example, monkeypatch):
    monkeypatch.setattr(reader, "MAX_FILE_MB", 0.01)  # 10 KiB
    seen = []
    original = upload_views.check_path

    def spy(*args, **kwargs):
        seen.append(args)
        return original(*args, **kwargs)

    monkeypatch.setattr(upload_views, "check_path", spy)
    response = _upload(
        _client(users["kartlegger"]), loaded_example, name="stor.csv", content=b"x" * 3_000_000
    )
    assert response.status_code == 400
    assert "Kartleggingsfil: stor.csv: Filen er 2.9 MB; grensen er 0.01 MB." in _text(response)
    assert seen == []  # never read: refused while it streamed in, at most 10 KiB on disk


def test_handler_writes_at_most_the_limit(tmp_path, monkeypatch):
    monkeypatch.setattr(reader, "MAX_FILE_MB", 0.001)
    handler = upload_views.PrivateUploadHandler()
    with pytest.raises(upload_views.StopFutureHandlers):
        handler.new_file("fil", "../../etc/passwd.csv", "text/csv", None)
    handler.receive_data_chunk(b"a" * 1000, 0)
    handler.receive_data_chunk(b"b" * 1000, 1000)
    saved = handler.file_complete(2000)
    assert saved.path.parent == handler.directory and saved.name == "passwd.csv"
    assert saved.path.stat().st_size == 1048 and saved.too_large and saved.received == 2000
    handler.discard()
    assert not saved.path.exists()


def test_safe_name():
    assert upload_views.safe_name("C:\\Users\\kari\\Buskerud 2021.xlsx") == "Buskerud 2021.xlsx"
    assert upload_views.safe_name("<script>.csv") == "_script_.csv"
    assert upload_views.safe_name(".json") == "json"  # a name without a stem
    assert upload_views.safe_name("") == "fil"
    assert upload_views.safe_name("a" * 300 + ".xlsx").endswith("a.xlsx")
    assert len(upload_views.safe_name("a" * 300 + ".xlsx")) == 120


def test_no_file_chosen(users, loaded_example):
    response = _client(users["kartlegger"]).post(_url("upload", loaded_example.pk), {})
    assert response.status_code == 400
    assert "Kartleggingsfil: Velg filen som skal kontrolleres." in _text(response)


# --- Who may -----------------------------------------------------------------------------------------


def test_anonymous_is_sent_to_sign_in(loaded_example, private_tmp):
    client = Client()
    for url in [_url("upload", loaded_example.pk), _url("upload_new")]:
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(_url("login") + "?next=")
    response = _upload(client, loaded_example, EXAMPLE)
    assert response.status_code == 302
    response = _import(client, loaded_example, "x")
    assert response.status_code == 302
    assert _upload_dirs(private_tmp) == []


@pytest.mark.parametrize("username", ["hjartdal", "annen"])
def test_others_get_403(username, users, loaded_example, private_tmp):
    client = _client(users[username])
    assert client.get(_url("upload", loaded_example.pk)).status_code == 403
    response = _upload(client, loaded_example, EXAMPLE)
    assert response.status_code == 403
    assert "Du kan ikke laste opp filer til «Buskerud 2021»" in _text(response)
    assert _import(client, loaded_example, "x").status_code == 403
    assert _upload_dirs(private_tmp) == []  # the body was never read
    assert client.get(_url("upload_new")).status_code == 403


def test_only_administrators_may_upload_a_new_mapping(users):
    for username in ["kartlegger", "hjartdal"]:
        response = _client(users[username]).get(_url("upload_new"))
        assert response.status_code == 403
        assert "Bare administratorer" in _text(response)


def test_a_frozen_mapping_refuses(users, loaded_example, private_tmp):
    client = _client(users["kartlegger"])
    checked = _upload(client, loaded_example, EXAMPLE)
    token = _token(checked)
    assert token
    Mapping.objects.filter(pk=loaded_example.pk).update(status="frosset")
    refused = _import(client, loaded_example, token)
    assert refused.status_code == 403
    assert "Kartleggingen «Buskerud 2021» er frosset og kan ikke endres." in _text(refused)
    run = ImportRun.objects.get()
    assert (run.outcome, run.message, run.user) == (
        ImportRun.Outcome.REJECTED,
        "frosset",
        "kartlegger",
    )
    assert not ChangeRecord.objects.filter(source="Import av buskerud2021.csv").exists()
    assert _upload_dirs(private_tmp) == []
    # And no upload at all while frozen, for administrators too.
    for user in ["kartlegger", "admin", "hjartdal"]:
        client = _client(users[user])
        response = client.get(_url("upload", loaded_example.pk))
        assert response.status_code == 403
        assert "er frosset og kan ikke endres" in _text(response)
        assert _upload(client, loaded_example, EXAMPLE).status_code == 403
        assert _import(client, loaded_example, "x").status_code == 403
    assert _upload_dirs(private_tmp) == []
    assert ImportRun.objects.count() == 1


def test_new_mapping_name_of_a_frozen_mapping_refuses(users, loaded_example):
    Mapping.objects.filter(pk=loaded_example.pk).update(status="frosset")
    client = _client(users["admin"])
    checked = _upload(client, None, EXAMPLE, navn="Buskerud 2021")
    assert checked.status_code == 200
    assert "Kartleggingen er frosset" in _text(checked) and _token(checked) == ""
    refused = _import(client, None, _pending(client)["token"])
    assert refused.status_code == 403
    assert ImportRun.objects.get().outcome == ImportRun.Outcome.REJECTED


def test_token_of_another_session_or_made_up_is_refused(users, loaded_example):
    kari = _client(users["kartlegger"])
    token = _token(_upload(kari, loaded_example, EXAMPLE))
    admin = _client(users["admin"])
    for client, attempt in [(admin, token), (kari, "gjettet"), (kari, "")]:
        response = _import(client, loaded_example, attempt)
        assert response.status_code == 400
        assert "Fant ingen kontrollert fil" in _text(response)
    assert not ImportRun.objects.exists()
    # The right token still works afterwards.
    assert _import(kari, loaded_example, token).status_code == 200


def test_import_is_post_only(users, loaded_example):
    response = _client(users["kartlegger"]).get(_url("upload_import", loaded_example.pk))
    assert response.status_code == 405


def test_csrf_is_required(users, loaded_example, private_tmp):
    client = _client(users["kartlegger"], enforce_csrf_checks=True)
    response = _upload(client, loaded_example, EXAMPLE)
    assert response.status_code == 403
    assert _upload_dirs(private_tmp) == []
    # With the form's token it works; the import needs it too.
    page = client.get(_url("upload", loaded_example.pk))
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode())[1]
    checked = _upload(client, loaded_example, EXAMPLE, csrfmiddlewaretoken=csrf)
    assert checked.status_code == 200
    token = _token(checked)
    assert _import(client, loaded_example, token).status_code == 403
    assert not ImportRun.objects.exists()
    imported = client.post(
        _url("upload_import", loaded_example.pk), {"token": token, "csrfmiddlewaretoken": csrf}
    )
    assert imported.status_code == 200


def test_stale_upload_directories_are_removed(private_tmp):
    old = Path(tempfile.mkdtemp(prefix=upload_views.TEMP_PREFIX))
    fresh = Path(tempfile.mkdtemp(prefix=upload_views.TEMP_PREFIX))
    past = old.stat().st_mtime - upload_views.MAX_AGE.total_seconds() - 60
    os.utime(old, (past, past))
    upload_views._remove_stale_uploads()
    assert _upload_dirs(private_tmp) == [fresh]


def test_mapping_page_links_to_the_upload(users, loaded_example):
    link = f'href="{_url("upload", loaded_example.pk)}"'
    assert link not in Client().get(_url("mapping", loaded_example.pk)).content.decode()
    page = _client(users["kartlegger"]).get(_url("mapping", loaded_example.pk))
    assert link in page.content.decode()


# --- In a real browser: axe-core --------------------------------------------------------------------


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_axe_on_the_upload_pages(axe_page, live_example, settings):
    from .test_browser import _run_axe

    call_command("create_demo_users", stdout=_Null())
    url, mapping = live_example
    page = axe_page
    page.goto(f"{url}/logg-inn/")
    page.get_by_label("Brukernavn").fill("kartlegger")
    page.get_by_label("Passord").fill("demo-kartlegger")
    follow(page.get_by_role("button", name="Logg inn"))

    problems: dict[str, list[str]] = {}
    shots = os.environ.get("SAMARBEID_SCREENSHOTS")

    def audit(name: str) -> None:
        assert page.locator("html").get_attribute("lang") == "nb"
        if shots:
            Path(shots).mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(Path(shots) / f"opplasting-{name}.png"), full_page=True)
        for violation in _run_axe(page):
            if violation["impact"] in {"serious", "critical"}:
                nodes = [" ".join(n["target"]) for n in violation["nodes"][:5]]
                problems.setdefault(name, []).append(f"{violation['id']}: {nodes}")

    page.goto(f"{url}/kartlegginger/{mapping.pk}/")
    follow(page.get_by_role("link", name="Last opp kartleggingsfil"))
    assert page.get_by_role("heading", level=1).inner_text().startswith("Last opp kartleggingsfil")
    audit("skjema")

    page.get_by_label("Kartleggingsfil").set_input_files(str(CORPUS / "empty.xlsx"))
    follow(page.get_by_role("button", name="Kontroller filen"))
    assert "Filen er tom (0 byte)." in page.get_by_role("alert").inner_text()
    audit("skjema-avvist")

    page.get_by_label("Kartleggingsfil").set_input_files(str(CORPUS / "orgnr_checksum.csv"))
    follow(page.get_by_role("button", name="Kontroller filen"))
    errors = page.get_by_role(
        "table", name="1 feil i orgnr_checksum.csv, i rekkefølgen de ble funnet"
    )
    assert "linje 15, kolonne organisasjonsnummer" in errors.inner_text()
    expect(page.get_by_role("button", name="Importer filen")).to_have_count(0)
    audit("kontroll-feil")

    follow(page.get_by_role("link", name="Last opp en rettet fil"))
    page.get_by_label("Kartleggingsfil").set_input_files(str(EXAMPLE))
    follow(page.get_by_role("button", name="Kontroller filen"))
    assert "Den kan importeres." in page.get_by_role("status").inner_text()
    expect(page.get_by_role("table", name="20 advarsler i buskerud2021.csv")).to_have_count(1)
    audit("kontroll-advarsler")

    follow(page.get_by_role("button", name="Importer filen"))
    assert page.get_by_role("heading", level=1).inner_text().startswith("Filen er importert")
    audit("importert")
    assert ImportRun.objects.filter(user="kartlegger").count() == 1
    assert problems == {}, json.dumps(problems, indent=2, ensure_ascii=False)


@pytest.mark.parametrize(
    ("username", "shown"),
    [("kartlegger", True), ("admin", True), ("hjartdal", False), ("annen", False)],
)
def test_upload_link_only_for_those_who_may_upload(username, shown, users, loaded_example):
    page = _client(users[username]).get(reverse("web:mapping", args=[loaded_example.pk]))
    assert (_url("upload", loaded_example.pk) in page.content.decode()) is shown
