"""The screening service error."""

from complexcases.core.errors import ServiceError


class ScreeningError(ServiceError):
    """A request the current state does not allow; the message is for the user."""
