"""An email backend whose server is down (every send raises, as smtplib would)."""

from django.core.mail.backends.base import BaseEmailBackend


class MailServerDown(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise ConnectionRefusedError(111, "Connection refused")
