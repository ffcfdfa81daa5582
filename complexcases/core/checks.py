"""System checks: a Notify configuration that cannot send every email stops start-up and deploys."""

from django.conf import settings
from django.core.checks import Error, register

NOTIFY_BACKEND = "complexcases.core.notify.NotifyEmailBackend"


@register()
def notify_configured(app_configs=None, **kwargs):
    """With the Notify backend: an API key, and a template id for every kind of email."""
    from .email_templates import EMAIL_TEMPLATES

    if settings.EMAIL_BACKEND != NOTIFY_BACKEND:
        return []
    errors = []
    if not settings.NOTIFY_API_KEY:
        errors.append(Error("NOTIFY_API_KEY is not set", id="core.E001"))
    missing = sorted(set(EMAIL_TEMPLATES) - set(settings.NOTIFY_TEMPLATE_IDS))
    if missing:
        errors.append(
            Error(
                f"NOTIFY_TEMPLATE_IDS has no template id for: {', '.join(missing)}",
                hint="Create the templates listed in docs/notify-templates.md",
                id="core.E002",
            )
        )
    return errors
