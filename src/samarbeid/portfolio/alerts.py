"""E-mail to a body's secretariat before an agreement runs out (the expiry alert of the body's
page and the API, sent through the site's e-mail backend, ``EMAIL_BACKEND``).

An agreement is alerted at most once per threshold and end date: 90 days before, then 30 days
before (:data:`THRESHOLDS`). An agreement first seen inside 30 days gets one alert, not two.
A renewal (a new end date) starts over. Without a secretariat member with an e-mail address
nothing is recorded, so the alert goes out once someone is there. Meant to run daily
(``samarbeid avtalevarsel`` from cron or a systemd timer)."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from .agreements import running_out
from .models import Agreement, AgreementAlert, BodyRole

log = logging.getLogger(__name__)

#: Days before the end at which the secretariat is alerted, largest first.
THRESHOLDS = (90, 30)


@dataclass
class Alert:
    agreement: Agreement
    days_left: int
    threshold: int
    recipients: list[str] = field(default_factory=list)
    sent: int = 0


def secretariat_addresses(agreement: Agreement) -> list[str]:
    users = (
        get_user_model()
        .objects.filter(
            body_roles__body=agreement.body,
            body_roles__role=BodyRole.Role.SECRETARIAT,
            is_active=True,
        )
        .exclude(email="")
    )
    return sorted({u.email for u in users})


def due(today: dt.date | None = None) -> list[Alert]:
    """The alerts not yet sent for agreements of a body that run out within 90 days."""
    today = today or timezone.localdate()
    result = []
    agreements = running_out(
        Agreement.objects.filter(body__isnull=False).select_related("body"), THRESHOLDS[0], today
    )
    for agreement in agreements:
        days = (agreement.ends - today).days
        threshold = min(t for t in THRESHOLDS if days <= t)
        done = AgreementAlert.objects.filter(
            agreement=agreement, ends=agreement.ends, threshold=threshold
        ).exists()
        if not done:
            result.append(Alert(agreement, days, threshold, secretariat_addresses(agreement)))
    return result


def _link(agreement: Agreement) -> str:
    path = reverse("portfolio:agreement", args=[agreement.body_id, agreement.pk])
    return f"{settings.SITE_URL}{path}" if settings.SITE_URL else path


def send(alert: Alert) -> Alert:
    """Send one alert to every address, and record it (with every threshold it covers)."""
    agreement = alert.agreement
    subject = f"Avtalen «{agreement.title}» løper ut {agreement.ends:%d.%m.%Y}"
    body = render_to_string(
        "portfolio/email/agreement_alert.txt",
        {
            "agreement": agreement,
            "days": alert.days_left,
            "link": _link(agreement),
            "decisions": agreement.council_decisions.all(),
        },
    )
    for address in alert.recipients:
        try:
            alert.sent += send_mail(subject, body, None, [address])
        except Exception:  # a failing mail server is logged; the alert is tried again tomorrow
            log.exception("Avtalevarsel til %s kunne ikke sendes", address)
    if alert.sent:
        with transaction.atomic():
            for threshold in THRESHOLDS:
                if threshold >= alert.threshold:
                    AgreementAlert.objects.get_or_create(
                        agreement=agreement,
                        ends=agreement.ends,
                        threshold=threshold,
                        defaults={"recipients": ", ".join(alert.recipients)},
                    )
    return alert
