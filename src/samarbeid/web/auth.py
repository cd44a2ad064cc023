"""Sign-in and sign-out for editors, with throttling of failed attempts.

Throttling: at most :data:`MAX_FAILURES` failed sign-ins per user name and IP address within
:data:`WINDOW`; then that pair is refused (without even checking the password) until the oldest
failure leaves the window, with a message saying how long to wait. The failures are rows of
:class:`~samarbeid.registry.models.LoginFailure` in the database, so the limit holds across server
threads, processes and restarts (the default cache is per process); a successful sign-in clears
the pair. Keyed on name *and* address, one person typing wrongly does not lock the real user out
from elsewhere.

The IP address is ``REMOTE_ADDR``. Behind a reverse proxy ``samarbeid serve --proxy`` makes
waitress set it from the proxy's ``X-Forwarded-For`` (it trusts only that proxy).
"""

from __future__ import annotations

import datetime as dt
import math
from functools import wraps

from django import forms
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from samarbeid.registry.models import LoginFailure

MAX_FAILURES = 5
WINDOW = dt.timedelta(minutes=15)


def client_ip(request: HttpRequest | None) -> str:
    return (request.META.get("REMOTE_ADDR") or "ukjent")[:45] if request is not None else "ukjent"


def _key(username: str) -> str:
    return username.strip().casefold()[:150]


def wait_time(username: str, ip: str, now: dt.datetime | None = None) -> dt.timedelta | None:
    """How long the pair must wait before the next attempt; None when it may try now."""
    now = now or timezone.now()
    recent = list(
        LoginFailure.objects.filter(username=_key(username), ip=ip, at__gt=now - WINDOW)
        .order_by("-at")
        .values_list("at", flat=True)[:MAX_FAILURES]
    )
    if len(recent) < MAX_FAILURES:
        return None
    return recent[-1] + WINDOW - now


def record_failure(username: str, ip: str) -> None:
    now = timezone.now()
    LoginFailure.objects.create(username=_key(username), ip=ip, at=now)
    LoginFailure.objects.filter(at__lt=now - 4 * WINDOW).delete()  # keep the table small


def clear_failures(username: str, ip: str) -> None:
    LoginFailure.objects.filter(username=_key(username), ip=ip).delete()


class ThrottledAuthenticationForm(AuthenticationForm):
    error_messages = {
        "invalid_login": (
            "Feil brukernavn eller passord. Store og små bokstaver i passordet har betydning."
        ),
        "inactive": "Brukeren er deaktivert. Ta kontakt med administratoren.",
        "throttled": (
            "For mange mislykkede innlogginger for dette brukernavnet fra din adresse. "
            "Vent %(minutes)s før du prøver igjen."
        ),
    }

    def __init__(self, request=None, *args, **kwargs) -> None:
        super().__init__(request, *args, **kwargs)
        self.fields["username"].label = "Brukernavn"
        self.fields["password"].label = "Passord"
        self.fields["username"].error_messages["required"] = "Skriv brukernavnet ditt."
        self.fields["password"].error_messages["required"] = "Skriv passordet ditt."

    def clean(self):
        username = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if username and password:
            ip = client_ip(self.request)
            wait = wait_time(username, ip)
            if wait is not None:
                minutes = max(1, math.ceil(wait.total_seconds() / 60))
                raise forms.ValidationError(
                    self.error_messages["throttled"],
                    code="throttled",
                    params={"minutes": "1 minutt" if minutes == 1 else f"{minutes} minutter"},
                )
            try:
                cleaned = super().clean()
            except forms.ValidationError as error:
                if error.code == "invalid_login":
                    record_failure(username, ip)
                raise
            clear_failures(username, ip)
            return cleaned
        return super().clean()


class LoginView(auth_views.LoginView):
    template_name = "web/edit/login.html"
    authentication_form = ThrottledAuthenticationForm
    redirect_authenticated_user = True

    def get_default_redirect_url(self) -> str:
        return reverse("web:front")


class LogoutView(auth_views.LogoutView):
    """POST only (Django's rule: a link cannot sign anyone out), then to the front page."""

    def get_default_redirect_url(self) -> str:
        return reverse("web:front")


def login_required(view):
    """Like Django's, but to our sign-in page whatever ``LOGIN_URL`` says."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs):
        if not request.user.is_authenticated:
            query = urlencode({"next": request.get_full_path()})
            return redirect(f"{reverse('web:login')}?{query}")
        return view(request, *args, **kwargs)

    return wrapper
