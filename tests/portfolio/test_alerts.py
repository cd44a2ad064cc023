"""E-mail alerts before an agreement runs out: 90 and 30 days before, once each, to the body's
secretariat; a renewal starts over; without an address nothing is recorded."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command

from samarbeid.portfolio import alerts
from samarbeid.portfolio.models import Agreement, AgreementAlert

from . import factories as f

pytestmark = pytest.mark.django_db
TODAY = dt.date(2024, 10, 1)


@pytest.fixture
def agreement():
    body = f.body("DigiTest")
    made = Agreement.objects.create(
        body=body, kind="samarbeidsavtale", title="Samarbeidsavtale DigiTest",
        ends=TODAY + dt.timedelta(days=60), source="Testdata",
    )  # fmt: skip
    made.council_decisions.create(council="Skien", outcome="Vedtatt", source="Testdata")
    user = f.secretariat(body)
    user.email = "sekretariat@example.no"
    user.save()
    return made


def test_an_alert_at_90_then_at_30_days_and_never_twice(agreement, mailoutbox):
    assert [(a.threshold, a.days_left) for a in alerts.due(TODAY)] == [(90, 60)]
    for alert in alerts.due(TODAY):
        alerts.send(alert)
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == ["sekretariat@example.no"]
    assert "løper ut 30.11.2024" in mail.subject
    assert "om 60 dager" in mail.body and "hvert medlemskommunestyre" in mail.body
    assert "- Skien: Vedtatt" in mail.body
    assert alerts.due(TODAY) == [] and alerts.due(TODAY + dt.timedelta(days=20)) == []
    later = TODAY + dt.timedelta(days=31)  # 29 days left
    assert [a.threshold for a in alerts.due(later)] == [30]


def test_first_seen_inside_30_days_gets_one_alert(agreement, mailoutbox):
    late = TODAY + dt.timedelta(days=45)
    for alert in alerts.due(late):
        alerts.send(alert)
    assert len(mailoutbox) == 1
    assert set(AgreementAlert.objects.values_list("threshold", flat=True)) == {30, 90}
    assert alerts.due(late) == []


def test_a_renewal_starts_over(agreement):
    for alert in alerts.due(TODAY):
        alerts.send(alert)
    Agreement.objects.filter(pk=agreement.pk).update(ends=TODAY + dt.timedelta(days=80))
    assert [a.threshold for a in alerts.due(TODAY)] == [90]


def test_no_address_no_record_and_the_command_says_so(agreement, mailoutbox, capsys):
    type(agreement.body.roles.get().user).objects.update(email="")
    call_command("agreement_alerts", per=TODAY.isoformat())
    assert "ingen i sekretariatet har e-postadresse" in capsys.readouterr().out
    assert mailoutbox == [] and not AgreementAlert.objects.exists()


def test_the_command_sends_and_a_dry_run_does_not(agreement, mailoutbox, capsys):
    call_command("agreement_alerts", per=TODAY.isoformat(), torrkjoring=True)
    assert "ville varslet sekretariat@example.no" in capsys.readouterr().out
    assert mailoutbox == []
    call_command("agreement_alerts", per=TODAY.isoformat())
    assert "varslet 1 av 1" in capsys.readouterr().out and len(mailoutbox) == 1
