"""The upload page /utbredelse/opplasting/ and its template downloads: checked and recorded as
``samarbeid meld-status`` does, for a signed-in user who may report for some municipality; a bad
file writes nothing and names the row, column and value; the others are sent to sign in (anonymous)
or refused with the reason (403)."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from samarbeid.adoption.models import AdoptionRecord
from tests.adoption import factories as f
from tests.adoption.bad_status_files import HEADER, USER, csv_bytes, good_rows

pytestmark = pytest.mark.django_db
URL = "/utbredelse/opplasting/"


@pytest.fixture
def reporter():
    f.solutions()
    return f.editor(USER)


def _client(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _post(client: Client, name: str, content: bytes, **data):
    return client.post(URL, {"fil": SimpleUploadedFile(name, content), **data})


def test_the_addresses() -> None:
    assert reverse("adoption:upload") == URL
    assert reverse("adoption:upload_template", args=["xlsx"]) == URL + "mal.xlsx"


def test_anonymous_is_sent_to_sign_in() -> None:
    response = _client().get(URL)
    assert response.status_code == 302
    assert response["Location"] == reverse("web:login") + "?next=%2Futbredelse%2Fopplasting%2F"
    assert _client().post(URL, {}).status_code == 302


def test_a_user_who_reports_for_no_municipality_is_refused_with_the_reason(reporter) -> None:
    client = _client(f.user("leser"))
    for response in (client.get(URL), _post(client, "good.csv", csv_bytes(good_rows()))):
        assert response.status_code == 403
        text = response.content.decode()
        assert "Du kan ikke melde status for noen kommune." in text
        assert "kommuneredaktører (for sin kommune)" in text
    assert AdoptionRecord.objects.count() == 0


def test_the_form(reporter) -> None:
    response = _client(reporter).get(URL)
    assert response.status_code == 200
    text = response.content.decode()
    assert 'type="file" name="fil"' in text and 'accept=".xlsx,.csv"' in text
    assert 'name="kilde"' in text and 'name="bare_kontroller"' in text
    assert 'href="/utbredelse/opplasting/mal.xlsx"' in text
    assert 'href="/utbredelse/opplasting/mal.csv"' in text


def test_a_good_file_is_recorded_with_a_summary(reporter) -> None:
    response = _post(_client(reporter), "good.csv", csv_bytes(good_rows()))
    assert response.status_code == 200
    assert "Lagret fra good.csv: 3 rader, 3 nye statuser, 0 uendret." in response.content.decode()
    records = AdoptionRecord.objects.all()
    assert records.count() == 3
    assert {r.reported_by for r in records} == {reporter}
    again = _post(_client(reporter), "good.csv", csv_bytes(good_rows()))
    assert "3 rader, 0 nye statuser, 3 uendret." in again.content.decode()
    assert AdoptionRecord.objects.count() == 3


def test_only_checking_writes_nothing(reporter) -> None:
    response = _post(_client(reporter), "good.csv", csv_bytes(good_rows()), bare_kontroller="on")
    assert response.status_code == 200
    text = response.content.decode()
    assert "good.csv er i orden: 3 rader. Ingenting er lagret (bare kontroll)." in text
    assert AdoptionRecord.objects.count() == 0


def test_the_source_for_the_whole_file(reporter) -> None:
    rows = good_rows()
    for row in rows[1:]:
        row[5] = None
    response = _post(_client(reporter), "uten-kilde.csv", csv_bytes(rows), kilde="Årsrapport")
    assert response.status_code == 200
    assert set(AdoptionRecord.objects.values_list("source", flat=True)) == {"Årsrapport"}


def test_one_bad_row_writes_nothing_and_is_named(reporter) -> None:
    rows = good_rows()
    rows[2][3] = "ibruk"
    response = _post(_client(reporter), "en-feil.csv", csv_bytes(rows))
    assert response.status_code == 400
    text = response.content.decode()
    assert "en-feil.csv har 1 feil. Ingenting ble lagret." in text
    assert (
        '<tr><th scope="row">linje 3</th><td>status</td><td>ibruk</td><td>Ukjent verdi «ibruk». '
        "Forventet en av: ikke_startet, tilgjengeliggjort, i_bruk, stoppet. Forslag: i_bruk."
        "</td></tr>"
    ) in text
    assert AdoptionRecord.objects.count() == 0


def test_a_row_for_another_municipality_writes_nothing(reporter) -> None:
    rows = good_rows()
    rows[3][0:2] = ["4601", "Bergen"]
    book = openpyxl.Workbook()
    book.active.title = "Status"
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    response = _post(_client(reporter), "bergen.xlsx", buffer.getvalue())
    assert response.status_code == 400
    text = response.content.decode()
    assert "Status, rad 4</th><td>kommunenummer</td><td>4601</td>" in text
    assert "Brukeren «redaktor» kan ikke melde status for Bergen (4601)." in text
    assert AdoptionRecord.objects.count() == 0


def test_a_file_that_cannot_be_read(reporter) -> None:
    response = _post(_client(reporter), "tom.csv", b"")
    assert response.status_code == 400
    text = response.content.decode()
    assert "Filen «tom.csv» kan ikke leses" in text and "Filen er tom (0 byte)." in text
    response = _post(_client(reporter), "status.pdf", b"%PDF")
    assert "Filtypen «.pdf» kan ikke leses som en statusfil." in response.content.decode()


def test_the_form_says_what_is_missing(reporter) -> None:
    response = _client(reporter).post(URL, {"kilde": "=1+2"})
    assert response.status_code == 400
    text = response.content.decode()
    assert "Velg filen med status." in text
    assert "Cellen begynner med «=» og blir en formel i regneark" in text


def test_the_upload_needs_the_csrf_token(reporter) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(reporter)
    response = client.post(URL, {"fil": SimpleUploadedFile("good.csv", csv_bytes(good_rows()))})
    assert response.status_code == 403
    assert AdoptionRecord.objects.count() == 0


def test_the_templates(reporter) -> None:
    response = _client(reporter).get(URL + "mal.xlsx")
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="status-mal.xlsx"'
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Veiledning", "Status"]
    assert book["Status"].max_row == 5  # Porsgrunn and Skien × two solutions
    text = _client(reporter).get(URL + "mal.csv").content.decode("utf-8-sig")
    assert text.splitlines()[:2] == [",".join(HEADER), "4001,Porsgrunn,DigiHelse,,,,"]
    anonymous = _client().get(URL + "mal.csv")
    assert anonymous.status_code == 200
    assert anonymous.content.decode("utf-8-sig") == ",".join(HEADER) + "\r\n"
    assert _client().get(URL + "mal.pdf").status_code == 404
