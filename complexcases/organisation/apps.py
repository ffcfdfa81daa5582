from django.apps import AppConfig
from django.db.models.signals import post_migrate


class OrganisationConfig(AppConfig):
    """Regions, PDUs, teams, staff and their roles."""

    name = "complexcases.organisation"
    label = "organisation"
    verbose_name = "Organisation"

    def ready(self):
        from . import hooks
        from .roles import sync_roles_after_migrate

        hooks.register()

        post_migrate.connect(sync_roles_after_migrate, dispatch_uid="organisation.sync_roles")
