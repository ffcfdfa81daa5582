from django.conf import settings

from .navigation import navigation_for


def service(request):
    """The service name and the navigation the signed-in user may use."""
    return {
        "service_name": settings.SERVICE_NAME,
        "session_warning_seconds": settings.SESSION_IDLE_WARNING_SECONDS,
        "session_timeout_seconds": settings.SESSION_IDLE_TIMEOUT_SECONDS,
        "navigation": navigation_for(request) if request.user.is_authenticated else [],
    }
