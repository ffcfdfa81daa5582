from django.apps import AppConfig


class ReportingConfig(AppConfig):
    """Managers' dashboard, the monthly report and the shared learning log."""

    name = "complexcases.reporting"
    label = "reporting"
    verbose_name = "Reporting and learning"

    def ready(self):
        from . import hooks

        hooks.register()
