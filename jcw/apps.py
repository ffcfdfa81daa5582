from django.apps import AppConfig


class JcwConfig(AppConfig):
    """Joint case work on the OPD pathway (filled by the JCW issue)."""

    name = "jcw"
    verbose_name = "Joint case work"

    def ready(self):
        from . import hooks

        hooks.register()
