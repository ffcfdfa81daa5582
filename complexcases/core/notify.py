"""A Django email backend that sends through GOV.UK Notify: a template per kind of email.

EMAIL_BACKEND=complexcases.core.notify.NotifyEmailBackend, with NOTIFY_API_KEY and
NOTIFY_TEMPLATE_IDS. Each message must carry a template key and personalisation (built by
`email_message`); one Notify email is sent per recipient, and each Notify id is kept on the
message (`sent_ids`) for the deliver_email task to record. Errors are sorted for the task:
EmailTemporarilyUnavailable (5xx, 429, no answer) is retried, EmailRefused (other 4xx) is not.
A calendar attachment becomes a signed, expiring link (ADR 0033).
"""

from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.core.exceptions import ImproperlyConfigured
from django.core.mail.backends.base import BaseEmailBackend
from django.urls import reverse
from django.utils import timezone

CALENDAR_SALT = "complexcases.calendar-file"


class EmailTemporarilyUnavailable(Exception):
    """The mail service could not take the email now: try again later."""


class EmailRefused(Exception):
    """The mail service refused the email as built: retrying would fail the same way."""


def calendar_file_link(content: bytes) -> str:
    """Keep an .ics file and return a signed link to it that expires with NOTIFY_FILE_RETENTION_WEEKS."""
    from .models import CalendarFile

    now = timezone.now()
    CalendarFile.objects.filter(expires_at__lt=now).delete()
    weeks = settings.NOTIFY_FILE_RETENTION_WEEKS
    calendar_file = CalendarFile.objects.create(
        content=content.decode("utf-8"), expires_at=now + timedelta(weeks=weeks)
    )
    token = signing.dumps(str(calendar_file.pk), salt=CALENDAR_SALT)
    return settings.SITE_URL.rstrip("/") + reverse("calendar-file", args=[token])


def calendar_file_content(token: str) -> str | None:
    """The .ics content for a link made by calendar_file_link, or None if bad or expired."""
    from .models import CalendarFile

    max_age = timedelta(weeks=settings.NOTIFY_FILE_RETENTION_WEEKS)
    try:
        pk = signing.loads(token, salt=CALENDAR_SALT, max_age=max_age)
    except signing.BadSignature:
        return None
    found = CalendarFile.objects.filter(pk=pk, expires_at__gte=timezone.now()).first()
    return found.content if found else None


class NotifyEmailBackend(BaseEmailBackend):
    def __init__(self, fail_silently=False, **kwargs):
        super().__init__(fail_silently=fail_silently, **kwargs)
        if not settings.NOTIFY_API_KEY:
            raise ImproperlyConfigured("NotifyEmailBackend needs NOTIFY_API_KEY")
        from notifications_python_client.notifications import NotificationsAPIClient

        self.client = NotificationsAPIClient(
            settings.NOTIFY_API_KEY, base_url=settings.NOTIFY_BASE_URL, timeout=20
        )

    def send_messages(self, email_messages) -> int:
        sent = 0
        for message in email_messages:
            self._send(message)
            sent += 1
        return sent

    def _send(self, message) -> None:
        from notifications_python_client.errors import HTTPError

        message.sent_ids = []
        template = getattr(message, "template", "")
        template_id = settings.NOTIFY_TEMPLATE_IDS.get(template)
        if not template_id:
            raise EmailRefused(f"No Notify template id for {template or 'an untemplated email'}")
        personalisation = dict(getattr(message, "personalisation", {}))
        for filename, content, mimetype in message.attachments:
            if mimetype.startswith("text/calendar") or filename.endswith(".ics"):
                raw = content if isinstance(content, bytes) else content.encode()
                personalisation["calendar_link"] = calendar_file_link(raw)
        for recipient in message.to:
            try:
                response = self.client.send_email_notification(
                    email_address=recipient,
                    template_id=template_id,
                    personalisation=personalisation or None,
                    reference=template,
                )
            except HTTPError as error:
                status = error.status_code
                if status == 429 or status >= 500:
                    raise EmailTemporarilyUnavailable(f"Notify {status}") from error
                raise EmailRefused(f"Notify {status}: {_first_message(error)}") from error
            except OSError as error:  # connection refused, timeout, DNS
                raise EmailTemporarilyUnavailable(f"Notify unreachable: {error}") from error
            message.sent_ids.append((recipient, response["id"]))


def _first_message(error) -> str:
    """Notify's errors are [{"error": ..., "message": ...}]; the message says what to fix."""
    messages = error.message
    if isinstance(messages, list) and messages:
        return str(messages[0].get("message", ""))[:200]
    return str(messages)[:200]
