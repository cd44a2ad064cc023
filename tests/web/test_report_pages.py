"""The mapping report and the comparison as public pages (report_views), through the test client:
what they show (checked against the analyses), the downloads and their disk cache, bad input."""

from __future__ import annotations

import io
import json
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

from samarbeid.analysis import catalogue, compare
from samarbeid.registry import lifecycle, permissions
from samarbeid.registry.models import Mapping
from samarbeid.registry.snapshot import mapping_data
from samarbeid.web import report_views
from tests.small import small_mapping

EXAMPLE = Path(__file__).parents[2] / "src" / "samarbeid" / "examples" / "buskerud2021.csv"
ENDED_REF = "BUS21-221"


@pytest.fixture(autouse=True)
def _report_dir(settings, tmp_path):
    """Built reports go to this test's own VAR_DIR (the generation can repeat between tests)."""
    settings.VAR_DIR = tmp_path / "var"
    report_views._built_report.cache_clear()
    return settings.VAR_DIR / "reports"


def write_later_copy(path: Path) -> None:
    """The example dated 2023-11-01 without arrangement BUS21-221 (and its participants)."""
    lines = []
    for line in EXAMPLE.read_text("utf-8-sig").splitlines():
        if line.startswith("dato,"):
            line = "dato,2023-11-01"
        if not line.startswith(ENDED_REF + ","):
            lines.append(line)
    path.write_text("\n".join(lines) + "\n", "utf-8")


def import_later_copy(tmp_path: Path, *, public: bool = True) -> Mapping:
    """Imported as "Buskerud 2023": a draft, then (``public``) sent to verification."""
    path = tmp_path / "buskerud2023.csv"
    write_later_copy(path)
    out = io.StringIO()
    call_command("import_file", str(path), "--mapping", "Buskerud 2023", stdout=out, stderr=out)
    mapping = Mapping.objects.get(name="Buskerud 2023")
    assert mapping.status == Mapping.Status.DRAFT
    if public:
        lifecycle.set_status(
            mapping, Mapping.Status.VERIFICATION, user=None, source="Test", command="test"
        )
    return mapping


@pytest.fixture
def later(loaded_example, tmp_path) -> Mapping:
    return import_later_copy(tmp_path)


class _Page(HTMLParser):
    """Tables (caption, rows of cell texts), headings, and what the CSP would block."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: list[dict] = []
        self.headings: list[int] = []
        self.blocked: list[str] = []
        self.unscoped_th = 0
        self._in: list[str] = []
        self._text: list[str] | None = None

    def handle_starttag(self, tag, attrs) -> None:
        attrs = dict(attrs)
        if "style" in attrs or tag == "style" or (tag == "script" and "src" not in attrs):
            self.blocked.append(tag)
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            self.headings.append(int(tag[1]))
        if tag == "table":
            self.tables.append({"caption": "", "rows": [], "labelled": "aria-labelledby" in attrs})
        elif tag == "tr" and self.tables:
            self.tables[-1]["rows"].append([])
        elif tag in ("caption", "th", "td"):
            if tag == "th" and attrs.get("scope") not in ("col", "row"):
                self.unscoped_th += 1
            self._text = []
        self._in.append(tag)

    def handle_endtag(self, tag) -> None:
        if tag in ("caption", "th", "td") and self._text is not None and self.tables:
            text = " ".join("".join(self._text).split())
            if tag == "caption":
                self.tables[-1]["caption"] = text
            else:
                self.tables[-1]["rows"][-1].append(text)
            self._text = None

    def handle_data(self, data) -> None:
        if self._text is not None:
            self._text.append(data)

    def table(self, caption_start: str) -> dict:
        found = [t for t in self.tables if t["caption"].startswith(caption_start)]
        assert len(found) == 1, (caption_start, [t["caption"] for t in self.tables])
        return found[0]


def parse(response) -> _Page:
    page = _Page()
    page.feed(response.content.decode("utf-8"))
    return page


def assert_accessible_structure(page: _Page) -> None:
    assert page.blocked == [], "inline styles or scripts the Content-Security-Policy blocks"
    assert page.headings.count(1) == 1 and page.headings[0] == 1
    assert all(b - a <= 1 for a, b in zip(page.headings, page.headings[1:], strict=False))
    assert page.tables and all(t["caption"] or t["labelled"] for t in page.tables)
    assert page.unscoped_th == 0


def _url(name: str, *args) -> str:
    return reverse(f"web:{name}", args=args)


# --- The mapping report --------------------------------------------------------------------------


def test_report_page_shows_the_analysis(client, loaded_example):
    data = mapping_data(loaded_example)
    tables = {t.id: t for t in catalogue.method_tables(data)}
    response = client.get(_url("report", loaded_example.pk))
    assert response.status_code == 200
    page = parse(response)
    assert_accessible_structure(page)

    total = tables["totalt"]
    shown = page.table(f"Tabell 2.1. {total.title}")
    assert shown["rows"][1:] == [[str(total.rows[0][0])]]
    assert total.rows[0][0] == len(data.counted())

    per_municipality = tables["per_kommune"]
    shown = page.table(f"Tabell 2.3. {per_municipality.title}")
    header = shown["rows"][0]
    name_col, count_col = header.index("Kommune"), header.index("Ordninger")
    columns = per_municipality.columns
    expected = [
        [str(r[columns.index("kommune")]), str(r[columns.index("ordninger")])]
        for r in per_municipality.rows
    ]
    assert [[r[name_col], r[count_col]] for r in shown["rows"][1:]] == expected
    assert len(expected) == len(data.municipalities) == 25

    html = response.content.decode()
    assert html.count('<figure id="figur_') >= 5 and html.count("<svg") >= 5
    assert 'fill="#' in html  # the charts' colours, as presentation attributes
    for fmt in ("pdf", "xlsx", "md", "json"):
        assert f'href="{_url("report_download", loaded_example.pk, fmt)}"' in html
    assert response.context["crumbs"][-1] == ("", "Rapport")


def test_pdf_is_built_once_per_registry_generation(client, db, monkeypatch, _report_dir):
    """The small mapping: this is about the disk cache (the example's PDF is checked in
    tests/reports/ and builds in ~10 s)."""
    mapping = small_mapping("Liten 2021", status=Mapping.Status.FROZEN)
    url = _url("report_download", mapping.pk, "pdf")
    first = client.get(url)
    assert first.status_code == 200
    assert first["Content-Type"] == "application/pdf"
    assert first["Content-Disposition"] == 'attachment; filename="liten-2021-rapport.pdf"'
    assert first.content.startswith(b"%PDF")
    files = list(_report_dir.glob(f"rapport-{mapping.pk}-*.pdf"))
    assert len(files) == 1 and files[0].read_bytes() == first.content
    mtime = files[0].stat().st_mtime_ns

    calls: list[str] = []

    def fake_render(report, fmt):
        calls.append(fmt)
        return b"%PDF-1.7 ny"

    monkeypatch.setattr(report_views, "render_format", fake_render)
    second = client.get(url)
    assert second.content == first.content and calls == []
    assert files[0].stat().st_mtime_ns == mtime

    mapping.save()  # any change to the registry makes a new generation
    third = client.get(url)
    assert calls == ["pdf"] and third.content == b"%PDF-1.7 ny"
    now = list(_report_dir.glob(f"rapport-{mapping.pk}-*.pdf"))
    assert len(now) == 1 and now != files  # the stale file is gone
    assert not list(_report_dir.glob(".*.tmp"))


def test_xlsx_md_and_json_downloads(client, loaded_example):
    from openpyxl import load_workbook

    total = next(
        t for t in catalogue.method_tables(mapping_data(loaded_example)) if t.id == "totalt"
    )
    response = client.get(_url("report_download", loaded_example.pk, "xlsx"))
    assert response.status_code == 200
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert response["Content-Disposition"] == 'attachment; filename="buskerud-2021-rapport.xlsx"'
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames[0] == "Innhold" and "totalt" in book.sheetnames
    assert book["totalt"]["A2"].value == total.rows[0][0]

    response = client.get(_url("report_download", loaded_example.pk, "json"))
    assert response["Content-Type"] == "application/json"
    data = json.loads(response.content)
    assert data["type"] == "rapport" and data["kartlegging"]["navn"] == "Buskerud 2021"
    shown = next(t for t in data["tabeller"] if t["id"] == "totalt")
    assert shown["rows"] == total.rows

    response = client.get(_url("report_download", loaded_example.pk, "md"))
    assert response["Content-Type"] == "text/markdown; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="buskerud-2021-rapport.md"'
    assert response.content.decode().startswith("# Interkommunalt samarbeid i Buskerud\n")


@pytest.mark.parametrize("name", ["report", "report_download"])
def test_unknown_mapping_is_the_sites_404(client, db, name):
    args = [987654] if name == "report" else [987654, "pdf"]
    response = client.get(_url(name, *args))
    assert response.status_code == 404
    assert "Fant ikke siden" in response.content.decode()


def test_unknown_format_is_404(client, loaded_example):
    response = client.get(f"/kartlegginger/{loaded_example.pk}/rapport.docx")
    assert response.status_code == 404
    assert client.get("/kartlegginger/sammenlign/sammenligning.exe?fra=1&til=2").status_code == 404


def test_mapping_without_arrangements_has_no_report(client, db):
    import datetime as dt

    empty = Mapping.objects.create(
        name="Tom 2024", cutoff_date=dt.date(2024, 1, 1), status=Mapping.Status.VERIFICATION
    )
    response = client.get(_url("report", empty.pk))
    assert response.status_code == 200
    assert "har ingen kommuner eller ordninger ennå" in response.content.decode()
    assert_accessible_structure_without_tables(parse(response))
    assert client.get(_url("report_download", empty.pk, "pdf")).status_code == 404


def assert_accessible_structure_without_tables(page: _Page) -> None:
    assert page.blocked == [] and page.headings == [1]


def test_frozen_mapping_report_is_public(client, loaded_example):
    lifecycle.set_status(
        loaded_example, Mapping.Status.FROZEN, user=None, source="Test", command="test"
    )
    assert client.get(_url("report", loaded_example.pk)).status_code == 200
    assert client.get(_url("report_download", loaded_example.pk, "md")).status_code == 200


def test_draft_only_for_users_with_a_role(client, loaded_example, tmp_path, django_user_model):
    """The rule of every public page (web.access): a draft is 404 for the public, as if it did
    not exist, and a comparison with it is an unknown id; a reader with a role for it sees it."""
    draft = import_later_copy(tmp_path, public=False)
    assert client.get(_url("report", draft.pk)).status_code == 404
    assert client.get(_url("report_download", draft.pk, "json")).status_code == 404
    response = client.get(_url("compare"), {"fra": loaded_example.pk, "til": draft.pk})
    assert response.status_code == 400
    html = response.content.decode()
    assert f"Fant ingen kartlegging med id «{draft.pk}»." in html
    assert "Buskerud 2023" not in html

    reader = django_user_model.objects.create_user("leser", password="x")
    permissions.grant(reader, permissions.Role.READER, mapping=draft)
    client.force_login(reader)
    assert client.get(_url("report", draft.pk)).status_code == 200
    response = client.get(_url("compare"), {"fra": loaded_example.pk, "til": draft.pk})
    assert response.status_code == 200
    assert "Endringer fra Buskerud 2021 til Buskerud 2023" in response.content.decode()


def test_report_is_served_with_the_sites_security_headers(client, loaded_example):
    response = client.get(_url("report", loaded_example.pk))
    assert "style-src 'self'" in response["Content-Security-Policy"]
    assert "unsafe-inline" not in response["Content-Security-Policy"]


# --- Embedding and the disk cache ----------------------------------------------------------------


def test_embed_moves_svg_styles_to_attributes():
    html = (
        '<html><head><style>body{}</style></head><body class="rapport">'
        '<header class="title-page"><h1>T</h1></header><main>'
        '<figure id="f" class="chart" style="max-width: 7.00in">'
        '<svg role="img" viewBox="0 0 504 100.8" xmlns="http://www.w3.org/2000/svg">'
        '<style type="text/css">*{stroke-linejoin: round; stroke-linecap: butt}</style>'
        '<path d="M 0 0" fill="red" style="fill: #ffffff; stroke: #222222; stroke-width: 0.8"/>'
        "<text style=\"font-size: 9px; font-family: 'DejaVu Sans'\">x</text></svg></figure>"
        '<div class="table-wrap screen-only"><table><caption>Tabell 1</caption>'
        '<colgroup><col style="width: 50%"></colgroup><tr><td>1</td></tr></table></div>'
        '<div class="table-wrap print-only"><table class="split"><caption>Tabell 1</caption>'
        "</table></div></main></body></html>"
    )
    header, body = report_views.embed(html, shift_headings=1)
    assert header == '<header class="title-page"><h2>T</h2></header>'
    assert "style" not in body and "<main>" not in body and "print-only" not in body
    assert '<path d="M 0 0" fill="#ffffff" stroke="#222222" stroke-width="0.8"/>' in body
    assert '<text font-size="9px" font-family="\'DejaVu Sans\'">x</text>' in body
    assert 'width="504pt" height="100.8pt" stroke-linejoin="round"' in body
    assert (
        '<div class="table-wrap" role="region" tabindex="0" aria-labelledby="rapporttabell-1">'
        '<table><caption id="rapporttabell-1">Tabell 1</caption><tr>'
    ) in body


def test_cache_never_leaves_a_partial_file(db, monkeypatch, _report_dir):
    def broken_replace(source, target):
        raise OSError("disk full")

    monkeypatch.setattr(report_views.os, "replace", broken_replace)
    with pytest.raises(OSError):
        report_views.cached("rapport-1", "pdf", lambda: b"%PDF-1.7")
    assert list(_report_dir.iterdir()) == []  # neither the file nor its temporary copy

    monkeypatch.undo()
    assert report_views.cached("rapport-1", "pdf", lambda: b"%PDF-1.7") == b"%PDF-1.7"
    assert report_views.cached("rapport-1", "pdf", lambda: b"never made") == b"%PDF-1.7"
    assert [p.suffix for p in _report_dir.iterdir()] == [".pdf"]


def test_concurrent_misses_make_the_file_once(db, monkeypatch, _report_dir):
    import threading
    import time

    monkeypatch.setattr(report_views, "generation", lambda: "g1")
    made: list[int] = []

    def slow_pdf() -> bytes:
        made.append(1)
        time.sleep(0.3)
        return b"%PDF-1.7 en gang"

    results: list[bytes] = []
    threads = [
        threading.Thread(target=lambda: results.append(report_views.cached("r", "pdf", slow_pdf)))
        for _ in range(4)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert made == [1] and results == [b"%PDF-1.7 en gang"] * 4
    assert report_views._BUILDING == {}


# --- The comparison ------------------------------------------------------------------------------


def test_compare_form_without_choice(client, later):
    response = client.get(_url("compare"))
    assert response.status_code == 200
    page = parse(response)
    assert page.blocked == [] and page.headings == [1, 2] and page.tables == []
    html = response.content.decode()
    assert '<label for="id_fra">Fra kartlegging</label>' in html
    assert '<label for="id_til">Til kartlegging</label>' in html
    assert "Buskerud 2023 (per 1. november 2023)" in html
    assert "error-summary" not in html


def test_comparison_shows_ended_arrangement(client, loaded_example, later):
    expected = {t.id: t for t in compare.compare(mapping_data(loaded_example), mapping_data(later))}
    response = client.get(_url("compare"), {"fra": loaded_example.pk, "til": later.pk})
    assert response.status_code == 200
    page = parse(response)
    assert_accessible_structure(page)
    assert page.headings[:3] == [1, 2, 2]  # the page, the form, then the comparison one down

    overview = page.table("Tabell 1.1. Sammenligning av to kartlegginger")
    counted = next(
        r for r in expected["sammenligning_oversikt"].rows if r[0] == "Tellede ordninger"
    )
    row = next(r for r in overview["rows"] if r[0] == "Tellede ordninger")
    assert row[1:3] == [str(counted[1]), str(counted[2])]
    assert counted[1] - counted[2] == 1

    ended = page.table("Tabell 1.3. Avsluttede ordninger")
    assert [r[:2] for r in ended["rows"][1:]] == [
        r[:2] for r in expected["sammenligning_avsluttet"].rows
    ]
    assert ended["rows"][1][0] == ENDED_REF

    html = response.content.decode()
    query = f"?fra={loaded_example.pk}&amp;til={later.pk}"
    assert f'href="{_url("compare_download", "xlsx")}{query}"' in html
    assert f'<option value="{later.pk}" selected>' in html


def test_comparison_downloads(client, loaded_example, later):
    from openpyxl import load_workbook

    params = {"fra": loaded_example.pk, "til": later.pk}
    response = client.get(_url("compare_download", "xlsx"), params)
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        'attachment; filename="buskerud-2021-til-buskerud-2023-sammenligning.xlsx"'
    )
    assert "sammenligning_avsluttet" in load_workbook(io.BytesIO(response.content)).sheetnames
    data = json.loads(client.get(_url("compare_download", "json"), params).content)
    assert data["type"] == "sammenligning"
    pdf = client.get(_url("compare_download", "pdf"), params)
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")


@pytest.mark.parametrize(
    ("params", "messages"),
    [
        ({"fra": "A", "til": "A"}, ["Til kartlegging: Velg to forskjellige kartlegginger."]),
        ({"fra": "tekst", "til": "A"}, ["Fant ingen kartlegging med id «tekst»."]),
        ({"fra": "A", "til": "987654"}, ["Fant ingen kartlegging med id «987654»."]),
        ({"fra": "A", "til": "1.5"}, ["Fant ingen kartlegging med id «1.5»."]),
        ({"fra": "A"}, ["Velg kartleggingen du sammenligner til."]),
        ({"til": "A"}, ["Velg kartleggingen du sammenligner fra."]),
        (
            {"fra": "", "til": ""},
            [
                "Velg kartleggingen du sammenligner fra.",
                "Velg kartleggingen du sammenligner til.",
            ],
        ),
        ({"fra": "x" * 500, "til": "A"}, ["Fant ingen kartlegging med id «xxxxxxxxxxxxxxxxxxx…»"]),
        ({"fra": "EMPTY", "til": "A"}, ["«Tom 2024» har ingen kommuner eller ordninger ennå"]),
    ],
)
@pytest.mark.parametrize("where", ["compare", "compare_download"])
def test_bad_comparison_input_is_400_with_the_form(client, loaded_example, params, messages, where):
    import datetime as dt

    empty = Mapping.objects.create(
        name="Tom 2024", cutoff_date=dt.date(2024, 1, 1), status=Mapping.Status.VERIFICATION
    )
    ids = {"A": str(loaded_example.pk), "EMPTY": str(empty.pk)}
    query = {key: ids.get(value, value) for key, value in params.items()}
    url = _url(where) if where == "compare" else _url(where, "pdf")
    response = client.get(url, query)
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    assert 'class="error-summary" role="alert"' in html
    for message in messages:
        assert message in html
    assert "<title>Feil i valget:" in html
    assert 'method="get"' in html and 'name="fra"' in html and 'name="til"' in html
    assert parse(response).blocked == []
