"""Agreements: the statutory checklist per legal form (pure), days left and alerts, and
``samarbeid avtaler``."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from samarbeid.portfolio import statutory
from samarbeid.portfolio.agreements import agreement_data, running_out
from samarbeid.portfolio.models import Agreement, AgreementVersion, CooperationBody

TODAY = dt.date(2024, 11, 1)


def test_checklists_follow_legal_rules() -> None:
    ko = dict((item.key, severity) for severity, item in statutory.missing("ko", []))
    assert ko["opplosning"] == ko["arkiv"] == ko["eierandel"] == statutory.ERROR
    assert ko["navn"] == ko["deltakere"] == statutory.WARNING
    assert statutory.missing("ko", [i.key for i in statutory.CHECKLISTS["ko"]]) == []
    assert statutory.missing("as", []) == [] and statutory.missing("", []) == []
    ipr = [(severity, item.key) for severity, item in statutory.missing("ipr", ["navn"])]
    assert (statutory.ERROR, "opplosning") in ipr and (statutory.ERROR, "arkiv") in ipr
    assert all(
        severity == statutory.WARNING for severity, key in ipr if key not in {"opplosning", "arkiv"}
    )


@pytest.fixture
def body(db) -> CooperationBody:
    return CooperationBody.objects.create(name="Digi Test", legal_form="ipr", source="Testdata")


def _agreement(body, ends, **fields) -> Agreement:
    return Agreement.objects.create(
        body=body,
        kind="samarbeidsavtale",
        title=f"Avtale til {ends}",
        ends=ends,
        source="Testdata",
        **fields,
    )


def test_days_left_version_and_missing_content(body) -> None:
    agreement = _agreement(
        body, dt.date(2024, 12, 31), starts=dt.date(2021, 1, 1), covers=["navn", "opplosning"]
    )
    AgreementVersion.objects.create(agreement=agreement, label="0.7", position=0, source="Logg")
    AgreementVersion.objects.create(agreement=agreement, label="1.0", position=1, source="Logg")
    data = agreement_data(agreement, TODAY)
    assert data["dager_igjen"] == 60 and data["versjon"] == "1.0"
    assert [v["versjon"] for v in data["versjonslogg"]] == ["0.7", "1.0"]
    missing = {m["punkt"]: m["alvor"] for m in data["mangler"]}
    assert "navn" not in missing and "opplosning" not in missing
    assert missing["arkiv"] == "feil" and missing["uttreden"] == "advarsel"


def test_running_out_within_days(body) -> None:
    soon = _agreement(body, dt.date(2024, 12, 31))
    _agreement(body, dt.date(2025, 12, 31))
    _agreement(body, dt.date(2024, 10, 31))  # already ended: not an alert
    assert list(running_out(Agreement.objects.all(), 60, TODAY)) == [soon]
    assert list(running_out(Agreement.objects.all(), 59, TODAY)) == []


def test_the_command(body) -> None:
    _agreement(body, dt.date(2024, 12, 31))
    vendor = Agreement.objects.create(
        body=body,
        kind="leverandoravtale",
        title="Everbridge: befolkningsvarsling",
        vendor="Everbridge",
        term_as_stated="mai 2021",
        source="Handlingsplan 2021, avsnitt 2.2.5",
    )
    out = io.StringIO()
    call_command("agreements", per="2024-11-01", format="json", stdout=out)
    data = json.loads(out.getvalue())
    assert [(a["tittel"], a["dager_igjen"]) for a in data] == [
        ("Avtale til 2024-12-31", 60),
        (vendor.title, None),
    ]
    assert data[1]["minsteinnhold_sjekket"] is False and data[1]["mangler"] == []
    out = io.StringIO()
    call_command("agreements", per="2024-11-01", utloper_innen=60, stdout=out)
    assert "| Avtale til 2024-12-31 | Digi Test |" in out.getvalue()
    assert "Everbridge" not in out.getvalue()
    out = io.StringIO()
    call_command("agreements", per="2024-11-01", utloper_innen=10, stdout=out)
    assert out.getvalue() == "Ingen avtaler utløper innen 10 dager.\n"
    with pytest.raises(CommandError, match="--utloper-innen må være 0 eller flere dager"):
        call_command("agreements", utloper_innen=-1, stdout=io.StringIO())
