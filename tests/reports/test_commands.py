"""The report commands on the loaded Buskerud 2021 example: rapport, oversikt, sammenlign."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import openpyxl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.conftest import EXAMPLE
from tests.reports.conftest import ink_share, pdf_pages

pytestmark = pytest.mark.django_db


def documented_ids() -> list[str]:
    """The stable table ids the catalogue documents (its module docstring)."""
    from samarbeid.analysis import catalogue

    text = catalogue.__doc__.split("Stable ids", 1)[1].split(":", 1)[1].split(".\n", 1)[0]
    return [i.strip() for i in text.replace("\n", " ").split(",") if i.strip()]


def run(name: str, *args: str) -> str:
    out = io.StringIO()
    call_command(name, *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_rapport_writes_every_format(loaded_example, tmp_path: Path) -> None:
    out = run(
        "report",
        "--mapping",
        "Buskerud 2021",
        "--format",
        "md,json,xlsx",
        "--format",
        "html",
        "--format",
        "pdf",
        "--out",
        str(tmp_path),
    )
    stem = tmp_path / "buskerud-2021-rapport"
    for ext in ("md", "json", "xlsx", "html", "pdf"):
        assert f"{stem}.{ext}" in out
        assert Path(f"{stem}.{ext}").stat().st_size > 1000

    # JSON: every documented id, numbers as numbers.
    data = json.loads(Path(f"{stem}.json").read_text("utf-8"))
    ids = [t["id"] for t in data["tabeller"]]
    assert len(ids) == len(set(ids))
    for table_id in documented_ids():
        assert table_id in ids
    tables = {t["id"]: t for t in data["tabeller"]}
    assert tables["totalt"]["n"] == 221
    assert tables["totalt"]["rows"] == [[221]]
    per = tables["per_kommune"]
    counts = [row[per["columns"].index("ordninger")] for row in per["rows"]]
    assert all(isinstance(c, int) for c in counts) and len(counts) == 25
    assert data["kartlegging"]["dato"] == "2021-11-01"
    assert data["kartlegging"]["ordninger"] == {"telles": 221, "avsluttet": 12, "utenfor": 1}

    # Markdown: every table has its anchor; findings come first.
    md = Path(f"{stem}.md").read_text("utf-8")
    for table_id in ids:
        assert f'<a id="{table_id}"></a>' in md
    assert md.index("## Hovedfunn") < md.index("## 1 Omfang og avgrensning")
    assert (
        "Kartleggingen omfatter 221 formelle samarbeidsordninger mellom de 25 kommunene per "
        "1. november 2021." in md
    )

    # xlsx: a sheet per table, numbers as numbers.
    book = openpyxl.load_workbook(f"{stem}.xlsx", read_only=True)
    assert book.sheetnames[0] == "Innhold"
    assert set(ids) <= set(book.sheetnames)
    rows = list(book["per_kommune"].iter_rows(min_row=2, values_only=True))
    assert all(isinstance(r[3], int) for r in rows)

    # PDF: many pages, none blank; the map and charts are in the HTML.
    pages = pdf_pages(Path(f"{stem}.pdf"), tmp_path / "png")
    assert len(pages) >= 20
    assert all(ink_share(p) > 0.002 for p in pages)
    html = Path(f"{stem}.html").read_text("utf-8")
    for figure_id in (
        "kart_per_kommune",
        "figur_per_kommune",
        "figur_oppgaveomrader",
        "figur_nettverk",
        "figur_juridisk_form",
    ):
        assert f'<figure id="{figure_id}"' in html


def test_rapport_same_data_same_bytes(loaded_example, tmp_path: Path) -> None:
    run("report", "--format", "md,json,html", "--out", str(tmp_path / "a"))
    run("report", "--format", "md,json,html", "--out", str(tmp_path / "b"))
    for ext in ("md", "json", "html"):
        name = f"buskerud-2021-rapport.{ext}"
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()


def test_rapport_unknown_mapping_and_format(loaded_example, tmp_path: Path) -> None:
    with pytest.raises(CommandError, match=r"Fant ingen kartlegging «Nordland».*Buskerud 2021"):
        run("report", "--mapping", "Nordland", "--out", str(tmp_path))
    with pytest.raises(CommandError, match="Ukjent format «docx»"):
        run("report", "--format", "docx", "--out", str(tmp_path))


def test_oversikt_by_name_or_number_is_the_same(loaded_example, tmp_path: Path) -> None:
    run(
        "municipality_overview",
        "--kommune",
        "Hjartdal",
        "--format",
        "html,xlsx",
        "--out",
        str(tmp_path / "navn"),
    )
    run(
        "municipality_overview",
        "--kommune",
        "3819",
        "--format",
        "html,xlsx",
        "--out",
        str(tmp_path / "nummer"),
    )
    name = "buskerud-2021-oversikt-3819-hjartdal.html"
    by_name = (tmp_path / "navn" / name).read_bytes()
    assert by_name == (tmp_path / "nummer" / name).read_bytes()
    html = by_name.decode()
    assert "<h1>Hjartdal: interkommunalt samarbeid</h1>" in html
    assert (tmp_path / "navn" / "buskerud-2021-oversikt-3819-hjartdal.xlsx").exists()


def test_oversikt_al_is_not_valer(loaded_example, tmp_path: Path) -> None:
    out = run("municipality_overview", "--kommune", "Ål", "--format", "md", "--out", str(tmp_path))
    assert out.strip().endswith("buskerud-2021-oversikt-3043-al.md")
    md = (tmp_path / "buskerud-2021-oversikt-3043-al.md").read_text("utf-8")
    assert md.startswith("# Ål: interkommunalt samarbeid")
    assert "Våler" not in md.split("## 1")[0]
    assert re.search(r"Ål deltar i \d+ tellende samarbeidsordninger", md)


def test_oversikt_unknown_municipality(loaded_example, tmp_path: Path) -> None:
    with pytest.raises(CommandError) as error:
        run("municipality_overview", "--kommune", "Hjardal", "--out", str(tmp_path))
    message = str(error.value)
    assert "Fant ingen kommune «Hjardal» i kartleggingen «Buskerud 2021»" in message
    assert "Mente du «Hjartdal»?" in message
    assert "Ål (3043)" in message
    with pytest.raises(CommandError, match="Fant ingen kommune «Våler»"):
        run("municipality_overview", "--kommune", "Våler", "--out", str(tmp_path))
    assert not list(tmp_path.glob("*"))


def test_oversikt_all_municipalities_with_progress(loaded_example, tmp_path: Path, capsys) -> None:
    err = io.StringIO()
    call_command(
        "municipality_overview",
        "--alle",
        "--format",
        "md",
        "--out",
        str(tmp_path),
        stdout=io.StringIO(),
        stderr=err,
    )
    files = sorted(p.name for p in tmp_path.glob("*.md"))
    assert len(files) == 25
    assert "buskerud-2021-oversikt-3043-al.md" in files
    progress = capsys.readouterr().err
    assert "\rSkriver oversikter [" in progress and "25/25" in progress


def _modified_example(path: Path) -> None:
    """The example with BUS21-221 removed and a new arrangement BUS23-900 added, dated 2023."""
    text = EXAMPLE.read_text("utf-8-sig")
    sections: dict[str, list[list[str]]] = {}
    order: list[str] = []
    current = ""
    for row in csv.reader(io.StringIO(text)):
        if row and row[0].startswith("#"):
            current = row[0]
            order.append(current)
            sections[current] = []
        elif current and row:
            sections[current].append(row)
    fields = sections["#Kartlegging"]
    for row in fields:
        if row[0] == "dato":
            row[1] = "2023-11-01"
    arrangements = sections["#Ordninger"]
    header = arrangements[0]
    removed = next(r for r in arrangements if r[0] == "BUS21-221")
    new = list(removed)
    new[0], new[header.index("navn")] = "BUS23-900", "Felles innkjøpskontor Tinn-Hjartdal"
    sections["#Ordninger"] = [r for r in arrangements if r[0] != "BUS21-221"] + [new]
    members = sections["#Deltakere"]
    old_members = [r for r in members if r[0] == "BUS21-221"]
    new_members = []
    for member, (name, number) in zip(
        old_members, (("Tinn", "3818"), ("Hjartdal", "3819")), strict=True
    ):
        row = list(member)
        row[0], row[1], row[2] = "BUS23-900", name, number
        new_members.append(row)
    sections["#Deltakere"] = [r for r in members if r[0] != "BUS21-221"] + new_members
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    for name in order:
        writer.writerow([name])
        writer.writerows(sections[name])
        writer.writerow([])
    path.write_text(out.getvalue(), "utf-8")


def test_sammenlign_lists_new_and_ended(loaded_example, tmp_path: Path) -> None:
    changed = tmp_path / "buskerud2023.csv"
    _modified_example(changed)
    call_command(
        "import_file",
        str(changed),
        "--mapping",
        "Buskerud 2023",
        stdout=io.StringIO(),
        stderr=io.StringIO(),
    )
    out = run(
        "compare_mappings",
        "--from",
        "Buskerud 2021",
        "--to",
        "Buskerud 2023",
        "--format",
        "md,json,html,xlsx",
        "--out",
        str(tmp_path / "cmp"),
    )
    stem = tmp_path / "cmp" / "buskerud-2021-til-buskerud-2023-sammenligning"
    assert f"{stem}.md" in out
    md = Path(f"{stem}.md").read_text("utf-8")
    assert "BUS23-900" in md and "Felles innkjøpskontor Tinn-Hjartdal" in md
    assert "BUS21-221" in md and "Felles biblioteksjef Notodden-Hjartdal" in md
    data = json.loads(Path(f"{stem}.json").read_text("utf-8"))
    assert data["type"] == "sammenligning"
    refs = {r for t in data["tabeller"] for ids in t["ids"] for r in ids}
    assert {"BUS23-900", "BUS21-221"} <= refs
    assert Path(f"{stem}.xlsx").exists() and Path(f"{stem}.html").exists()
    with pytest.raises(CommandError, match="samme kartlegging"):
        run(
            "compare_mappings",
            "--from",
            "Buskerud 2021",
            "--to",
            "Buskerud 2021",
            "--out",
            str(tmp_path),
        )


def test_public_command_names(tmp_path: Path) -> None:
    """`samarbeid rapport|oversikt|sammenlign --help` reach these commands (real subprocess)."""
    import os
    import subprocess
    import sys

    env = {
        **{k: v for k, v in os.environ.items() if k != "DATABASE_URL"},
        "SAMARBEID_VAR_DIR": str(tmp_path / "var"),
    }
    for public, flag in (
        ("rapport", "--mapping"),
        ("oversikt", "--kommune"),
        ("sammenlign", "--from"),
    ):
        result = subprocess.run(
            [sys.executable, "-m", "samarbeid", public, "--help"],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert result.returncode == 0, result.stderr
        assert flag in result.stdout
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "samarbeid",
            "oversikt",
            "--kommune",
            "Ål",
            "--mapping",
            "Finnes ikke",
            "--out",
            str(tmp_path / "o"),
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "Fant ingen kartlegging «Finnes ikke»" in result.stderr
