"""The one codec between model fields and file columns: every rendering of «etablert» is one
function, and the database holds the shape that function assumes."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction

from samarbeid.analysis.overview import established_text
from samarbeid.intake.exporter import mapping_tables
from samarbeid.registry import codec
from samarbeid.registry.models import Arrangement
from samarbeid.rules.values import format_established


@pytest.mark.parametrize(
    ("start", "end", "unspecified", "file_text", "report_text"),
    [
        (None, None, False, "", "Ikke kjent"),
        (None, None, True, "uspesifisert", "Uspesifisert"),
        (2005, 2005, False, "2005", "2005"),
        (2015, 2021, False, "2015-2021", "2015–2021"),
    ],
)
def test_one_text_of_established(start, end, unspecified, file_text, report_text) -> None:
    assert format_established(start, end, unspecified) == file_text
    row = {"established_from": start, "established_to": end, "established_unspecified": unspecified}
    assert established_text(row) == report_text


def test_export_and_history_share_the_rows(loaded_example) -> None:
    rows = codec.arrangement_rows(Arrangement.objects.filter(mapping=loaded_example))
    tables = mapping_tables(loaded_example)
    assert [r["values"] for r in rows.values()] == tables["Ordninger"]
    a = Arrangement.objects.filter(mapping=loaded_example, established_from__isnull=False).first()
    expected = format_established(a.established_from, a.established_to, False)
    assert rows[a.pk]["values"]["etablert"] == expected != ""


@pytest.mark.parametrize(
    "fields",
    [
        {"established_from": None, "established_to": 2015},
        {"established_from": 2015, "established_to": None},
        {"established_from": 2015, "established_to": 2015, "established_unspecified": True},
    ],
)
def test_the_database_refuses_half_a_period(loaded_example, fields) -> None:
    a = Arrangement.objects.filter(mapping=loaded_example).first()
    with pytest.raises(IntegrityError), transaction.atomic():
        Arrangement.objects.filter(pk=a.pk).update(**fields)
