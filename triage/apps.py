from django.apps import AppConfig


class TriageConfig(AppConfig):
    """Triage requests and meetings (filled by the triage issue)."""

    name = "triage"
    verbose_name = "Triage"

    def ready(self):
        from . import hooks

        hooks.register()
