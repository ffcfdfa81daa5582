from django.apps import AppConfig


class ScreeningConfig(AppConfig):
    """Monthly extracts, the eight-criteria screening, the monthly list and reflective conversations."""

    name = "complexcases.screening"
    label = "screening"
    verbose_name = "Screening"

    def ready(self):
        from . import hooks

        hooks.register()
