from django.apps import AppConfig


class PeopleConfig(AppConfig):
    """People on probation: the subjects of cases (never users of the service)."""

    name = "complexcases.people"
    label = "people"
    verbose_name = "People on probation"

    def ready(self):
        from . import hooks

        hooks.register()
