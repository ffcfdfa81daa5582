"""Every form in the project, submitted empty or wrong: each error summary link reaches an input.

The forms are found by walking the project's own apps (never a hand list), so a new form is
covered as soon as it exists; one that needs keyword arguments must be given them below, the
way its view passes them, or this test fails and says so.
"""

import importlib
import inspect
import pkgutil
from datetime import date
from pathlib import Path
from types import SimpleNamespace

import pytest
from bs4 import BeautifulSoup
from django import forms
from django.apps import apps
from django.conf import settings
from django.template import Context, Template
from django.test import RequestFactory

from complexcases.organisation.models import User
from complexcases.organisation.roles import Role
from tests.factories import UserFactory

RENDER = Template(
    "{% load crispy_forms_tags crispy_forms_gds %}{% error_summary form %}"
    "<form>{% crispy form %}</form>"
)
WHOLE_FORM_ERROR = "A problem with the whole form"


def project_forms() -> list[type[forms.BaseForm]]:
    """Every Form class defined in the project's own apps (any module, not only forms.py)."""
    found = {}
    for app in apps.get_app_configs():
        path = Path(app.path)
        if not path.is_relative_to(settings.BASE_DIR) or ".venv" in path.parts:
            continue
        module = importlib.import_module(app.name)
        names = [app.name]
        if hasattr(module, "__path__"):
            names += [
                info.name
                for info in pkgutil.walk_packages(module.__path__, prefix=f"{app.name}.")
                if ".migrations" not in info.name and ".management" not in info.name
            ]
        for name in names:
            for obj in vars(importlib.import_module(name)).values():
                if (
                    inspect.isclass(obj)
                    and issubclass(obj, forms.BaseForm)
                    and obj.__module__ == name
                ):
                    found[f"{obj.__module__}.{obj.__qualname__}"] = obj
    return [found[key] for key in sorted(found)]


def _invitee(pk: int, role: str):
    return SimpleNamespace(
        pk=pk, display_name=f"Person {pk}", role=SimpleNamespace(name=role), deputy_display_name=""
    )


def _staff():
    return User.objects.all()


# The keyword arguments each form's view passes (see the view named beside each).
FORM_KWARGS = {
    # complexcases.reporting.views.dashboard passes the user's reporting scope
    "DashboardFilterForm": lambda: {"scope": SimpleNamespace(pdus=[])},
    # complexcases.outcomes.views pass the user's reporting scope
    "AreaForm": lambda: {"scope": SimpleNamespace(pdus=[])},
    # complexcases.people.views.reflective_conversation
    "ReflectiveConversationForm": lambda: {"spo_queryset": _staff()},
    # triage.views.request_create
    "TriageRequestForm": lambda: {"listed": False},
    # triage.views.schedule
    "TriageScheduleForm": lambda: {
        "invitee_choices": [("1|QDO", "A QDO"), ("2|Psychologist", "A psychologist")],
        "pom_prompt": True,
    },
    # triage.views.reason pages; panel.views cancel/move pages
    "ReasonForm": lambda: {"label": "Why?", "submit": "Save"},
    # triage.views.assign; panel.views.qdo_assign
    "AssignForm": lambda: {"queryset": _staff()},
    "QdoForm": lambda: {"queryset": _staff()},
    # triage.views.held: the meeting's invitees
    "HeldForm": lambda: {"invitees": [SimpleNamespace(pk=1, display_name="Person 1", role="QDO")]},
    # panel.views.book: the free slots
    "BookForm": lambda: {"slot_choices": [("1", "Monday 4 January 2027, 10am")]},
    # panel.views.invitees, deputy, actions_add
    "AddStaffInviteeForm": lambda: {"staff": _staff()},
    "DeputyForm": lambda: {"staff": _staff()},
    "ActionForm": lambda: {"staff": _staff()},
    # panel.views.minutes_edit: the booking's invitees
    "MinutesForm": lambda: {
        "invitees": [_invitee(1, "Chair"), _invitee(2, "Psychologist")],
        "final": True,
    },
    # panel.views.follow_up: the person's actions
    "FollowUpForm": lambda: {
        "actions": [
            SimpleNamespace(
                pk=1,
                description="Find housing",
                due_date=date(2027, 1, 4),
                get_status_display=lambda: "Open",
            )
        ]
    },
    # panel.views.reassign: colleagues for each kind of work the leaver holds
    "ReassignForm": lambda: {
        "colleagues": dict.fromkeys(
            ("actions", "chasing", "follow_ups", "caseload", "jcw"), _staff()
        ),
        "counts": dict.fromkeys(("actions", "chasing", "follow_ups", "caseload", "jcw"), 1),
    },
    # jcw.views.episode_open
    "EpisodeOpenForm": lambda: {"screened_in": False},
    # jcw.views.contact_record
    "ContactForm": lambda: {
        "episode": SimpleNamespace(
            clinician=SimpleNamespace(get_full_name=lambda: "Clinician One"),
            practitioner=SimpleNamespace(get_full_name=lambda: "Practitioner One"),
        ),
        "next_session": 2,
        "needs_reason": True,
    },
    # complexcases.organisation.two_factor_views
    "CodeForm": lambda: {"submit": "Continue"},
}

# Forms drawn by hand in their page's template rather than by crispy-forms-gds: checked on the
# page itself (role fixture, method, URL, data).
PAGES = {
    "DashboardFilterForm": (
        "head_of_service_client",
        "get",
        "/dashboard/",
        {"period": "custom", "from_month": "13", "to_year": "20"},
    ),
    "LearningSearchForm": ("head_of_service_client", "post", "/learning-log/", {"q": ""}),
    "MonthlyReportForm": (
        "head_of_service_client",
        "get",
        "/dashboard/monthly-report/",
        {"month": "x"},
    ),
    # The outcomes pages' area filter: a PDU outside the region chosen (a second region below).
    "AreaForm": (
        "programme_manager_client",
        "get",
        "/outcomes/criteria/",
        {"region": "LDN", "pdu": "NORTHANTS"},
    ),
}


# Forms that never show an error, and why (so they have no summary to link from).
# complexcases.outcomes.forms: the pages' table choices; an unknown horizon, measure or
# threshold in the query string falls back to the default (BreakdownForm.chosen, ThresholdForm.chosen).
SHOW_NO_ERRORS = {"BreakdownForm", "ThresholdForm"}


@pytest.fixture
def a_second_region(db):
    from tests.factories import ProbationDeliveryUnitFactory, RegionFactory

    ProbationDeliveryUnitFactory(
        code="LDNC", name="London Central", region=RegionFactory(code="LDN", name="London")
    )


def _build(form_class, data):
    params = inspect.signature(form_class.__init__).parameters
    needed = [
        name
        for name, param in params.items()
        if param.kind == param.KEYWORD_ONLY and param.default is param.empty
    ]
    kwargs = FORM_KWARGS[form_class.__name__]() if needed else {}
    if form_class.__name__ == "SignInForm":
        return form_class(RequestFactory().post("/"), data=data)
    return form_class(data, **kwargs)


def _wrong_data(form) -> dict:
    """A value for every input that no field accepts: words in numbers, a date with no month."""
    data = {}
    for bound_field in form.visible_fields():
        widget = bound_field.field.widget
        if isinstance(widget, forms.MultiWidget):
            data[f"{bound_field.html_name}_0"] = "4"
            data[f"{bound_field.html_name}_2"] = "2027"
        else:
            data[bound_field.html_name] = "no such choice \u2603"
    return data


def _check_links(html: str, form, label: str) -> int:
    soup = BeautifulSoup(html, "html.parser")
    summary = soup.select_one(".govuk-error-summary")
    assert summary is not None, f"{label}: no error summary"
    # The summary lists whole-form errors first, then each field's in page order.
    expected = [(str(m), None) for m in form.non_field_errors()]
    expected += [(str(m), None) for f in form.hidden_fields() for m in f.errors]
    expected += [(str(m), f) for f in form.visible_fields() for m in f.errors]
    items = summary.select(".govuk-error-summary__list li")
    assert [i.get_text(" ", strip=True) for i in items] == [m for m, _ in expected], label
    checked = 0
    for item, (message, field) in zip(items, expected, strict=True):
        link = item.find("a")
        if field is None:
            assert link is None, f"{label}: a whole-form error links to {link['href']}"
            continue
        assert link is not None, f"{label}: {message!r} has no link"
        target = soup.find(id=link["href"].removeprefix("#"))
        assert target is not None, f"{label}: {message!r} links to {link['href']}, not on the page"
        focusable = (
            target.name in ("input", "select", "textarea") and target.get("type") != "hidden"
        )
        assert focusable, (
            f"{label}: {message!r} links to a <{target.name}>, which cannot take focus"
        )
        name = target.get("name", "")
        assert name == field.html_name or name.startswith(f"{field.html_name}_"), (
            f"{label}: {message!r} links to {name!r}, not to the {field.html_name!r} field"
        )
        group = soup.find_all("input", attrs={"name": field.html_name})
        if target.get("type") in ("radio", "checkbox") and len(group) > 1:
            assert target is group[0], f"{label}: {message!r} links past the first option"
        checked += 1
    return checked


@pytest.mark.django_db
def test_every_form_links_each_error_to_an_input_of_its_field():
    """Each form with errors: every summary link targets a focusable input of the field at fault."""
    UserFactory(roles=[Role.QUALITY_DEVELOPMENT_OFFICER])
    found = project_forms()
    assert len(found) > 30, "the walk found too few forms: is discovery broken?"
    kinds, total = set(), 0
    for form_class in found:
        label = f"{form_class.__module__}.{form_class.__qualname__}"
        params = inspect.signature(form_class.__init__).parameters
        needs_kwargs = any(
            p.kind == p.KEYWORD_ONLY and p.default is p.empty for p in params.values()
        )
        assert not needs_kwargs or form_class.__name__ in FORM_KWARGS, (
            f"{label} needs keyword arguments: add what its view passes to FORM_KWARGS"
        )
        if form_class.__name__ in PAGES or form_class.__name__ in SHOW_NO_ERRORS:
            continue
        probe = _build(form_class, None)
        if getattr(probe, "helper", None) is None:
            bases_of_others = any(
                other is not form_class and issubclass(other, form_class) for other in found
            )
            assert bases_of_others, f"{label} has no FormHelper: check it on its page in PAGES"
            continue
        for data in ({}, _wrong_data(probe)):
            form = _build(form_class, data)
            form.is_valid()
            form.add_error(None, WHOLE_FORM_ERROR)
            for bound_field in form.visible_fields():
                if bound_field.errors:
                    kinds.add(type(bound_field.field.widget).__name__)
            html = RENDER.render(Context({"form": form}))
            total += _check_links(html, form, label)
    assert total > 50
    assert {"RadioSelect", "CheckboxSelectMultiple", "DateInput"} <= kinds


@pytest.mark.parametrize("form_name", sorted(PAGES))
def test_forms_drawn_by_hand_link_each_error_to_an_input(form_name, request, pdus, a_second_region):
    """The dashboard, monthly report, learning log search and outcomes area filter: links reach
    a focusable input."""
    client_fixture, method, url, data = PAGES[form_name]
    client = request.getfixturevalue(client_fixture)
    response = getattr(client, method)(url, data)
    assert response.status_code == 200
    soup = BeautifulSoup(response.content.decode(), "html.parser")
    if form_name == "AreaForm":
        assert soup.select(".govuk-error-summary__list a"), "the filter's error is summarised"
    for link in soup.select(".govuk-error-summary__list a"):
        target = soup.find(id=link["href"].removeprefix("#"))
        reached = target is not None and target.name in ("input", "select", "textarea")
        assert reached, f"{form_name}: {link.get_text(strip=True)!r} links to {link['href']}"
        if target.get("type") == "radio":
            assert target is soup.find("input", attrs={"name": target["name"]})


def test_a_radio_error_links_to_the_first_radio():
    """'Select yes if the request is urgent' links to the first radio, not the fieldset."""
    from complexcases.core.error_summary import field_anchor

    class Urgent(forms.Form):
        urgent = forms.ChoiceField(choices=[("yes", "Yes"), ("no", "No")], widget=forms.RadioSelect)

    form = Urgent({})
    assert field_anchor(form["urgent"]) == "id_urgent_1"


def test_a_date_error_links_to_the_part_that_is_missing():
    """A date with no month links to the Month input; an empty date to the Day input."""
    from complexcases.core.error_summary import field_anchor
    from complexcases.core.forms import GovukDateField

    class When(forms.Form):
        when = GovukDateField(
            required_message="Enter the date", real_date_message="The date must be a real date"
        )

    assert field_anchor(When({"when_0": "4", "when_2": "2027"})["when"]) == "id_when_1"
    assert field_anchor(When({})["when"]) == "id_when_0"
