"""A small hand-made mapping and hand-made analysis tables: the report code is tested on its own,
without depending on the analysis modules' numbers."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from samarbeid.analysis.model import MappingData, Table
from tests.analysis.factory import make_data, municipality

SCOPE = [
    municipality("3043", "Ål", 4648, region="Hallingdal", entity="0619@"),
    municipality("3044", "Hol", 4434, region="Hallingdal", entity="0620@"),
    municipality("3039", "Flå", 1049, region="Hallingdal", entity="0615@"),
    municipality("3005", "Drammen", 101859, region="Drammensregionen", entity="3005@2020-01-01"),
    municipality("3049", "Lier", 27118, region="Drammensregionen", entity="0626@"),
    municipality("3047", "Modum", 14166, region="Drammensregionen", entity="0623@"),
]
OUTSIDE = [municipality("3419", "Våler (Viken)", 5000, "30", "Viken", entity="0137@")]


@pytest.fixture
def small_data() -> MappingData:
    data = make_data(
        SCOPE,
        [
            {
                "ref": "T-1",
                "name": "Hallingdal barnevern",
                "members": ["3043", "3044", "3039"],
                "host": "3043",
                "legal_form": "vertskommune",
                "established": 2016,
                "arsverk": 12.5,
                "sector": "sosial",
                "task_areas": (19,),
            },
            {
                "ref": "T-2",
                "name": "Drammensregionen IKS",
                "members": ["3005", "3049", "3047"],
                "legal_form": "iks",
                "established": 1998,
                "sector": "teknisk",
            },
            {
                "ref": "T-3",
                "name": "Alle seks | felles",
                "members": ["3043", "3044", "3039", "3005", "3049", "3047", "3419"],
                "sector": "helse",
            },
            {
                "ref": "T-4",
                "name": "Nedlagt samarbeid",
                "members": ["3043", "3044"],
                "status": "avsluttet",
                "ended": "2020",
            },
            {
                "ref": "T-5",
                "name": "Fag | nettverk",
                "members": ["3005", "3049"],
                "status": "utenfor",
            },
        ],
        outside=OUTSIDE,
    )
    data.name, data.title = "Test 2021", "Interkommunalt samarbeid i Testfylket"
    return data


@pytest.fixture
def small_tables() -> list[Table]:
    return [
        Table(
            "totalt",
            "Antall samarbeidsordninger",
            3,
            ["ordninger"],
            [[3]],
            [["T-1", "T-2", "T-3"]],
            caption="Tellende ordninger (n = 3).",
        ),
        Table(
            "geografisk_niva",
            "Geografisk nivå",
            3,
            ["niva", "ordninger", "prosent"],
            [
                ["Lokalt (2–3 kommuner)", 2, 66.7],
                ["Regionalt (4–8 kommuner)", 1, 33.3],
                ["Høyere nivå (9 eller flere)", 0, 0.0],
            ],
            [["T-1", "T-2"], ["T-3"], []],
        ),
        Table(
            "per_kommune",
            "Samarbeidsordninger per kommune",
            6,
            [
                "kommunenummer",
                "kommune",
                "innbyggere",
                "ordninger",
                "vertskommune_for",
                "betjent_av_andre",
            ],
            [
                ["3043", "Ål", 4648, 2, 1, 0],
                ["3044", "Hol", 4434, 2, 0, 1],
                ["3039", "Flå", 1049, 2, 0, 1],
                ["3005", "Drammen", 101859, 2, 0, 0],
                ["3049", "Lier", 27118, 2, 0, 0],
                ["3047", "Modum", 14166, 1, 0, 0],
            ],
            [["T-1", "T-3"]] * 5 + [["T-2"]],
            missing=["T-2", "T-3"],
            missing_reason="Ukjent vertskommune.",
        ),
        Table(
            "storrelsesklasse",
            "Snitt etter kommunestørrelse",
            6,
            ["klasse", "kommuner", "snitt_ordninger"],
            [["< 5 000", 3, 2.0], ["5 000–15 000", 1, 1.0], ["> 15 000", 2, 2.0]],
        ),
        Table(
            "etablering_ar",
            "Etableringsår",
            2,
            ["ar", "ordninger"],
            [[1998, 1], [2016, 1]],
            [["T-2"], ["T-1"]],
            missing=["T-3"],
            missing_reason="Ukjent år.",
        ),
        Table(
            "arsverk",
            "Årsverk",
            1,
            ["region", "ordninger_med_arsverk", "arsverk", "andel_av_kommunale_arsverk"],
            [["Hallingdal", 1, 12.5, None], ["Hele området", 1, 12.5, float("nan")]],
            [["T-1"], ["T-1"]],
            missing=["T-2", "T-3"],
            missing_reason="Årsverk ikke oppgitt.",
        ),
        Table(
            "juridisk_form",
            "Juridisk organisering",
            3,
            ["form", "ordninger", "prosent"],
            [
                ["Interkommunalt selskap (IKS)", 1, 33.3],
                ["Administrativt vertskommunesamarbeid (kommuneloven § 20-2)", 1, 33.3],
                ["Ikke kjent", 1, 33.3],
            ],
            [["T-2"], ["T-1"], ["T-3"]],
        ),
        Table(
            "sektor",
            "Samarbeid etter sektor",
            3,
            ["sektor", "ordninger"],
            [
                ["Sosialtjenester", 1],
                ["Tekniske tjenester", 1],
                ["Helsetjenester", 1],
                ["Ikke plassert", 0],
            ],
            [["T-1"], ["T-2"], ["T-3"], []],
        ),
        Table(
            "datakvalitet_mangler",
            "Ordninger som mangler data",
            3,
            ["opplysning", "ordninger"],
            [["år", 1], ["vertskommune", 2]],
            [["T-3"], ["T-2", "T-3"]],
            missing=["T-2", "T-3"],
            missing_reason="Vertskommune ikke kjent.",
        ),
    ]


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def require_tool(name: str) -> str:
    """The path of a system tool; skip when it is missing, except in CI (there it must exist:
    ``scripts/system-deps.sh`` installs it)."""
    path = soffice() if name == "soffice" else shutil.which(name)
    if path is None:
        if os.environ.get("CI"):
            pytest.fail(f"{name} mangler i CI: kjør scripts/system-deps.sh")
        pytest.skip(f"{name} er ikke installert (scripts/system-deps.sh)")
    return path


def pdf_pages(pdf: Path, out_dir: Path) -> list[Path]:
    """Render a PDF to PNG pages at 50 dpi with pdftoppm."""
    tool = require_tool("pdftoppm")
    out_dir.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [tool, "-r", "50", "-png", str(pdf), str(out_dir / "side")],
        check=True,
        capture_output=True,
        timeout=120,
    )
    return sorted(out_dir.glob("side-*.png"))


def ink_share(png: Path) -> float:
    """Share of pixels that are not (nearly) white."""
    from PIL import Image

    image = Image.open(png).convert("L")
    histogram = image.histogram()
    return 1 - sum(histogram[245:]) / max(sum(histogram), 1)
