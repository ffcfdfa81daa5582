from django.apps import AppConfig
from django.db.models.signals import post_migrate


class CoreConfig(AppConfig):
    """What every page shares: the page frame, errors, health and the worker heartbeat."""

    name = "complexcases.core"
    label = "core"
    verbose_name = "Service"

    def ready(self):
        from .database_roles import grant_after_migrate

        post_migrate.connect(grant_after_migrate, dispatch_uid="core.grant_application_role")

        from . import hooks

        hooks.register()

        from . import checks  # noqa: F401 - registers the system checks
        from .metrics import register_service_collector

        register_service_collector()
