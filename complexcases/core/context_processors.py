from django.conf import settings

from .navigation import navigation_for


def service(request):
    """The service name and the navigation the signed-in user may use."""
    return {
        "service_name": settings.SERVICE_NAME,
        "navigation": navigation_for(request) if request.user.is_authenticated else [],
    }
