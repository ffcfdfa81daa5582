from django.apps import AppConfig


class CasesConfig(AppConfig):
    """The case: one person's journey on the pathway, from a triage request to closure.

    Triage, panel and joint case work hang their records on a case; the case knows none of
    them (ADR 0040). What they show on the case page comes through ``cases.parts``.
    """

    name = "complexcases.cases"
    label = "cases"
    verbose_name = "Cases"

    def ready(self):
        from . import hooks

        hooks.register()
