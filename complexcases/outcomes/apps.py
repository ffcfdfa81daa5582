from django.apps import AppConfig


class OutcomesConfig(AppConfig):
    """Outcomes after the panel, a fair comparison, and what makes a complex case (issue #25)."""

    name = "complexcases.outcomes"
    label = "outcomes"
    verbose_name = "Outcomes and criteria testing"

    def ready(self):
        from django.db.models.signals import post_save

        from . import hooks

        hooks.register()
        # A new extract brings later states for every heard case: refresh once it is committed.
        post_save.connect(
            hooks.extract_imported, sender="screening.Extract", dispatch_uid="outcomes-refresh"
        )
