from django.apps import AppConfig


class PanelConfig(AppConfig):
    """Panel sessions, slots, invitations, minutes and actions (filled by the panel issue)."""

    name = "panel"
    verbose_name = "Panel"

    def ready(self):
        from . import hooks

        hooks.register()
