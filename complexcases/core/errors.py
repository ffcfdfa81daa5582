"""One error contract for every service (ADR 0026).

A service refuses a change by raising ``ServiceError`` (or an app's subclass) with a message
for the user and, when the message is about one form field, that field's name. Views turn it
into a form error (``form_error``), a form kept as typed (``rebound``) or a message on the
page they go back to (``refused``). A stale edit (ADR 0008) is ``StaleEditError``, raised by
``check_version``.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect


class ServiceError(Exception):
    """A rule refused the change; ``message`` says why, for the user; ``field`` names the
    form field it belongs to (``None``: the whole form)."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class StaleEditError(ServiceError):
    """Someone else changed the record after this form was opened: refuse, do not overwrite."""


def version_of(record) -> str:
    """The version a form carries, so a stale save is refused (ADR 0008)."""
    return record.updated_at.isoformat()


def check_version(current, version: str | None, message: str, *, error=StaleEditError) -> None:
    """Refuse with ``message`` when the form's ``version`` is not the record's now.

    ``None`` means the form carries no version (no check); ``error`` is the app's subclass.
    """
    if version is not None and version_of(current) != version:
        raise error(message)


def form_error(form, error: ServiceError | ValidationError) -> None:
    """Show a refusal on the form: on its field when the form has that field, else on top
    (the GOV.UK error summary lists both)."""
    if isinstance(error, ValidationError):
        if hasattr(error, "error_dict"):
            for field, errors in error.message_dict.items():
                for message in errors:
                    form.add_error(field if field in form.fields else None, message)
        else:
            for message in error.messages:
                form.add_error(None, message)
        return
    field = getattr(error, "field", None)
    form.add_error(field if field in form.fields else None, str(error))


def rebound(form_class, request, record, error, *, version_field="version", **kwargs):
    """The form as typed, with the error; a stale form gets the record's current version, so
    saving again (having read the message) goes through rather than failing for ever."""
    record.refresh_from_db()
    data = request.POST.copy()
    if isinstance(error, StaleEditError):
        data[version_field] = version_of(record)
    form = form_class(data, **kwargs)
    form.is_valid()
    form_error(form, error)
    return form


def refused(request, error, to: str, **url_kwargs):
    """Go back to the record's page with the refusal as an error message."""
    messages.error(request, str(error))
    return redirect(to, **url_kwargs)
