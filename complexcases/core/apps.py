from django.apps import AppConfig


class CoreConfig(AppConfig):
    """What every page shares: the page frame, errors, health and the worker heartbeat."""

    name = "complexcases.core"
    label = "core"
    verbose_name = "Service"

    def ready(self):
        from . import checks  # noqa: F401 - registers the system checks
        from .metrics import register_service_collector

        register_service_collector()
