"""Every model that holds rows about a person is in the subject access report.

The models come from the model graph (every installed model with a chain of foreign keys to
``people.Person``), not from a hand list, so a new model that points at a person, or at one
of their records, fails here until a registered subject access section covers it.
"""

from django.apps import apps

from complexcases.core.registry import subject_access_sections


def _reaches_person(model, seen=None) -> bool:
    """Whether following the model's foreign keys (and many-to-many fields) reaches Person."""
    person = apps.get_model("people", "Person")
    if model is person:
        return True
    if any(f.name == "person_id" and not f.is_relation for f in model._meta.concrete_fields):
        return True  # the access log keeps the id, not a foreign key, so it outlives an erasure
    seen = set() if seen is None else seen
    seen.add(model)
    for field in model._meta.get_fields():
        if not (field.is_relation and field.concrete and field.related_model):
            continue
        if field.related_model in seen:
            continue
        if _reaches_person(field.related_model, seen):
            return True
    return False


def _is_history(model) -> bool:
    """Left out on purpose: django-simple-history's earlier versions of rows the report holds
    as they are now. Whether a request also gets every earlier version is for the DPO."""
    return hasattr(model, "instance_type") and model.__name__.startswith("Historical")


def models_about_a_person() -> set[str]:
    return {
        model._meta.label
        for model in apps.get_models()
        if not _is_history(model) and _reaches_person(model)
    }


def test_every_model_about_a_person_is_in_a_section():
    """A model with a path to a person and no section covering it fails here."""
    covered = {label for section in subject_access_sections() for label in section.models}
    assert models_about_a_person() - covered == set()


def test_sections_name_real_models_about_a_person():
    """A section cannot claim a model that does not exist or holds nothing about a person."""
    about = models_about_a_person()
    for section in subject_access_sections():
        for label in section.models:
            assert label in about, f"{section.name}: {label}"


def test_the_graph_finds_models_several_hops_from_a_person():
    """Invitees reach a person through a meeting and a request; learning through a booking."""
    about = models_about_a_person()
    assert {"triage.TriageInvitee", "reporting.LearningEntry", "people.Person"} <= about
    assert "organisation.Team" not in about
    assert "panel.PanelRole" not in about
