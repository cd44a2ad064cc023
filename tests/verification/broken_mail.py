"""An e-mail backend whose server is down (for the test that a failing mail undoes nothing)."""

from django.core.mail.backends.base import BaseEmailBackend


class Backend(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise ConnectionRefusedError("SMTP-tjeneren svarer ikke")
