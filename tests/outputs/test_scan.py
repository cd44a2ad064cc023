"""Issue 10's "done when": no output of the app can contain a live spreadsheet formula.

Hostile values are stored past every input check in every text field (tests/outputs/hostile.py);
then every xlsx, csv and Markdown file the app can produce, from the command line and from the
web, is made and scanned (tests/outputs/scan.py). The test also checks that the payloads reached
the files (neutralised), so it cannot pass on files that simply left them out.
"""

from __future__ import annotations

import contextlib
import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from samarbeid.core import cells
from samarbeid.intake.writers import write_csv
from tests.conftest import _Null

from . import hostile
from .scan import csv_problems, md_problems, xlsx_problems, xlsx_texts

pytestmark = pytest.mark.django_db

HYPERLINK = hostile.PAYLOADS[0]


def test_every_model_is_classified() -> None:
    covered = {model._meta.label for model in hostile.COVERED}
    unclassified = {
        label
        for label in hostile.project_models_with_text() - covered - hostile.NOT_IN_OUTPUTS
        if not label.startswith((hostile.PORTFOLIO, hostile.ADOPTION, hostile.FINANCE))
    }
    assert unclassified == set(), "add the model to COVERED or NOT_IN_OUTPUTS in hostile.py"


def _command(name: str, *args: str, **options: object) -> None:
    try:
        call_command(name, *args, stdout=_Null(), stderr=_Null(), **options)
    except SystemExit as exit_:  # a refused command: the scan needs every file
        raise AssertionError(f"{name} {args} {options} exited {exit_.code}") from None


def _cli_outputs(registry: dict, out: Path) -> dict[str, bytes]:
    older, newer = registry["older"], registry["newer"]
    files: dict[str, bytes] = {}
    out.mkdir()
    target = out / "export.csv"
    _command("export_mapping", mapping=newer.name, fmt="csv", out=str(target))
    files["export.csv"] = target.read_bytes()
    for fmt in ("xlsx", "csv"):
        template = out / f"mal.{fmt}"
        _command("write_template", fmt=fmt, out=str(template))
        files[f"template.{fmt}"] = template.read_bytes()
    for command, options in (
        ("report", {"mapping": newer.name}),
        ("municipality_overview", {"mapping": newer.name, "alle": True, "quiet": True}),
        ("compare_mappings", {"source": older.name, "target": newer.name}),
    ):
        folder = out / command
        _command(command, formats=["xlsx,md"], out=str(folder), **options)
        for path in sorted(folder.iterdir()):
            files[f"{command}/{path.name}"] = path.read_bytes()
    return files


def _export_xlsx(registry: dict, out: Path) -> dict[str, bytes]:
    """The mapping file as xlsx is read back, and XML reads a carriage return back as a line
    feed: the export (command and API) refuses it, naming the cell, and writes nothing.
    Corrected, it is written."""
    target = out / "export.xlsx"
    name, url = registry["newer"].name, f"/api/kartlegginger/{registry['newer'].pk}/eksport.xlsx"
    with pytest.raises(CommandError) as refused:
        call_command("export_mapping", mapping=name, fmt="xlsx", out=str(target))
    assert "kontrolltegnet U+000D" in str(refused.value) and "celle" in str(refused.value)
    assert not target.exists()
    response = Client().get(url)
    assert response.status_code == 409 and "U+000D" in response.json()["detail"]
    hostile.replace_in_texts("\r", "\n")
    _command("export_mapping", mapping=name, fmt="xlsx", out=str(target))
    return {"export.xlsx": target.read_bytes(), f"api {url}": _get(Client(), url)}


def _rejected_rows_file(tmp_path: Path) -> bytes:
    """import --skip-invalid: the file of rejected rows names each row as the file does."""
    tables = hostile._tables()
    template = tables["Ordninger"][-1]
    for n, payload in enumerate(hostile.PAYLOADS):  # rejected for their staff-years
        tables["Ordninger"].append({**template, "id": f"X{n}", "navn": payload, "arsverk": "mange"})
    path = tmp_path / "fiendtlig.csv"
    write_csv(tables, path)
    rejected = tmp_path / "avvist.csv"
    with contextlib.suppress(SystemExit):  # exit 1: rows were rejected
        call_command(
            "import_file",
            str(path),
            mapping="Fiendtlig",
            skip_invalid=True,
            rejected=str(rejected),
            stdout=_Null(),
            stderr=_Null(),
        )
    assert rejected.exists(), "the import wrote no file of rejected rows"
    return rejected.read_bytes()


def _web_outputs(registry: dict) -> dict[str, bytes]:
    older, newer, round_ = registry["older"], registry["newer"], registry["round"]
    anonymous = Client()
    files: dict[str, bytes] = {}
    for fmt in ("xlsx", "md"):
        url = reverse("web:report_download", args=[newer.pk, fmt])
        files[f"web {url}"] = _get(anonymous, url)
        url = reverse("web:compare_download", args=[fmt]) + f"?fra={older.pk}&til={newer.pk}"
        files[f"web {url}"] = _get(anonymous, url)
    url = f"/api/kartlegginger/{newer.pk}/eksport.csv"
    files[f"api {url}"] = _get(anonymous, url)
    editor = Client()
    editor.force_login(registry["editor"])
    for fmt in ("csv", "xlsx"):
        url = reverse("verification:export", args=[newer.pk, round_.number, fmt])
        files[f"round {url}"] = _get(editor, url)
    return files


def _get(client: Client, url: str) -> bytes:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_no_output_holds_a_live_formula_or_raw_html(tmp_path: Path) -> None:
    registry = hostile.build(tmp_path)
    assert registry["stored"] > 100
    files = _cli_outputs(registry, tmp_path / "ut")
    files["rejected rows (import --skip-invalid)"] = _rejected_rows_file(tmp_path)
    files.update(_web_outputs(registry))
    files.update(_export_xlsx(registry, tmp_path / "ut"))

    problems: list[str] = []
    seen: set[str] = set()
    for name, data in files.items():
        if data[:2] == b"PK":
            problems += xlsx_problems(data, name)
            seen.update(text for text in xlsx_texts(data) if text.startswith("'"))
        elif name.endswith(".md") or ".md?" in name:
            text = data.decode("utf-8")
            problems += md_problems(text, name)
            if "&lt;script&gt;" in text:
                seen.add("md escaped")
        else:
            problems += csv_problems(data, name)
            seen.update(data.decode("utf-8-sig").replace('""', '"').splitlines())
    assert problems == [], "\n".join(problems[:40])

    kinds = {name.split(" ")[0].split("/")[0].split(".")[0] for name in files}
    assert {"export", "template", "report", "compare_mappings", "web", "api", "round"} <= kinds
    assert "municipality_overview" in kinds and "rejected rows (import --skip-invalid)" in files
    # the payloads are in the files, neutralised, not left out
    text = "\n".join(seen)
    for neutralised in ("'=HYPERLINK(", "''=1+2", "'+cmd|", "'@SUM(1+1)", "'-2+3", "'\t=1+1"):
        assert neutralised in text, neutralised
    assert "md escaped" in seen


def test_html_outputs_escape_data(tmp_path: Path) -> None:
    """The report's HTML and the pages show a ``<script>`` name as text (Jinja and Django
    autoescape); never the tag itself."""
    from samarbeid.registry.models import Arrangement, Mapping, Region
    from samarbeid.registry.snapshot import mapping_data
    from samarbeid.reports.build import build_report
    from samarbeid.reports.fmt import slug
    from samarbeid.reports.render import render_html

    mapping = hostile.import_small(tmp_path, "Skript")
    script = "<script>alert(1)</script>"
    Mapping.objects.filter(pk=mapping.pk).update(
        title=script, description=script, source=script, status="frosset"
    )
    for n, arrangement in enumerate(Arrangement.objects.filter(mapping=mapping)):
        Arrangement.objects.filter(pk=arrangement.pk).update(
            name=f"{script} {n}", notes=script, description=script, abbreviation="<b>x</b>"
        )
    Region.objects.filter(name="Numedal").update(name="<script>alert(2)</script>")
    html = render_html(build_report(mapping_data(mapping)), figures=True)
    assert "<script>alert" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<b>x</b>" not in html

    client = Client()
    arrangement = Arrangement.objects.filter(mapping=mapping).first()
    pages = [
        reverse("web:mapping", args=[mapping.pk]),
        reverse("web:arrangements", args=[mapping.pk]),
        reverse("web:arrangement", args=[mapping.pk, arrangement.ref]),
        reverse("web:report", args=[mapping.pk]),
        reverse("web:region", args=[mapping.pk, slug("<script>alert(2)</script>")]),
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.content.decode("utf-8")
        assert "<script>alert" not in body, url
        assert "<b>x</b>" not in body, url


def test_rejected_rows_file_is_safe_on_its_own(tmp_path: Path) -> None:
    """The rejected-rows file names a row by the very formula it was refused for."""
    data = _rejected_rows_file(tmp_path)
    assert csv_problems(data, "avvist.csv") == []
    rows = data.decode("utf-8-sig")
    assert "'=HYPERLINK(" in rows


def test_scanners_find_what_they_look_for() -> None:
    """The scan can fail: a live formula in an xlsx (cell or XML) and a csv, a tag in Markdown."""
    from openpyxl import Workbook  # a workbook saved past the mechanism, on purpose

    book = Workbook()
    book.active["A1"] = "=1+2"
    book.active["A2"] = "@SUM(1)"
    buffer = io.BytesIO()
    book.save(buffer)
    found = xlsx_problems(buffer.getvalue(), "x")
    assert any("<f>" in p for p in found) and any("A2" in p for p in found)
    assert csv_problems(b"a,=1+2\r\n-5,\t1\r\n", "c") == [
        "c: line 1, cell 2 = '=1+2'",
        "c: line 2, cell 2 = '\\t1'",
    ]
    assert md_problems('<a id="t1"></a>\n| <script> |', "m") == ["m: raw HTML '<script> |'"]
    assert cells.csv_bytes([["=1"]]) == b"\xef\xbb\xbf'=1\r\n"
