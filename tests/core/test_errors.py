"""The one error contract: a service's refusal reaches the form, on its field or on top."""

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.test import RequestFactory

from complexcases.core.errors import (
    ServiceError,
    StaleEditError,
    check_version,
    form_error,
    rebound,
    version_of,
)
from complexcases.people.services import person_pom_update
from complexcases.screening.services import ScreeningError
from jcw.services import JcwError, StaleJcwError
from panel.services import PanelError, StalePanelError
from triage.services import StaleTriageError, TriageError


class PomForm(forms.Form):
    pom_name = forms.CharField(required=False)
    version = forms.CharField(widget=forms.HiddenInput)


def test_every_apps_errors_are_service_errors_and_stale_edits_are_one_kind():
    """Views catch one contract: each app's error is a ServiceError; each stale one a StaleEditError."""
    for error in (TriageError, PanelError, JcwError, ScreeningError):
        assert issubclass(error, ServiceError)
    for stale, app in ((StaleTriageError, TriageError), (StalePanelError, PanelError)):
        assert issubclass(stale, StaleEditError)
        assert issubclass(stale, app)
    assert issubclass(StaleJcwError, StaleEditError)


def test_an_error_lands_on_its_field_or_on_top():
    form = PomForm({"pom_name": "x", "version": "1"})
    form.is_valid()
    form_error(form, ServiceError("Too long", field="pom_name"))
    form_error(form, ServiceError("Not now"))
    form_error(form, ServiceError("About a field the form does not have", field="elsewhere"))
    form_error(form, ValidationError({"pom_name": ["Bad name"], "other": ["Other problem"]}))
    assert form.errors["pom_name"] == ["Too long", "Bad name"]
    assert form.non_field_errors() == [
        "Not now",
        "About a field the form does not have",
        "Other problem",
    ]


@pytest.mark.django_db
def test_a_stale_form_comes_back_as_typed_with_the_current_version(triage_world):
    """Saving again after reading the message goes through, rather than failing for ever."""
    person = triage_world["listed"]
    old = version_of(person)
    person_pom_update(
        person=person, pom_name="A", pom_contact="", version=old, changed_by=triage_world["priya"]
    )
    with pytest.raises(StaleEditError):
        check_version(person.__class__.objects.get(pk=person.pk), old, "Changed")
    request = RequestFactory().post("/", {"pom_name": "B", "version": old})
    form = rebound(PomForm, request, person, StaleEditError("Someone else changed it"))
    assert form.data["pom_name"] == "B"
    assert form.data["version"] == version_of(person) != old
    assert form.non_field_errors() == ["Someone else changed it"]
