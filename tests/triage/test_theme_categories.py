"""The triage outcome form groups a blocker's themes under a legend per category (issue 21);
what a blocker stores (the themes themselves) is unchanged."""

from django.urls import reverse

from tests.html import parse
from tests.triage.test_views import as_user, held_request
from triage.models import Theme, TriageRecord
from triage.reference import DEFAULT_THEMES, THEME_CATEGORIES, themes_grouped


def test_every_default_theme_has_one_category(db):
    listed = [name for _, names in THEME_CATEGORIES for name in names]
    assert len(listed) == len(set(listed))
    assert set(listed) | {"Other"} == set(DEFAULT_THEMES)


def test_a_theme_an_administrator_adds_goes_under_other_themes(triage_world):
    Theme.objects.create(name="Veterans", position=200)
    groups = dict(themes_grouped(list(Theme.objects.all())))
    assert [t.name for t in groups["Other themes"]] == ["Other", "Veterans"]


def test_the_themes_sit_under_category_legends_and_save_as_before(
    triage_world, django_capture_on_commit_callbacks
):
    request = held_request(triage_world)
    client = as_user(triage_world["manager"])
    url = reverse("triage:outcome", args=[request.pk])
    page = parse(client.get(url))
    first = (
        page.select_one("#id_blocker_1_themes_1").find_parent("fieldset").find_parent("fieldset")
    )
    assert first.legend.get_text(strip=True) == "Themes for blocker 1"
    groups = {
        group.legend.get_text(strip=True): [
            label.get_text(strip=True) for label in group.select("label")
        ]
        for group in first.select("fieldset.cc-theme-group")
    }
    assert list(groups) == [
        "Health",
        "Risk and safeguarding",
        "Life history",
        "Identity and circumstances",
        "Other themes",
    ]
    assert groups["Health"] == ["Mental health", "Substance misuse"]
    assert sum(len(labels) for labels in groups.values()) == Theme.objects.count()

    mental_health = Theme.objects.get(name="Mental health")
    gender = Theme.objects.get(name="Gender identity")
    version = page.select_one("input[name=version]")["value"]
    with django_capture_on_commit_callbacks(execute=False):
        response = client.post(
            url,
            {
                "blocker_1": "No AP place",
                "blocker_1_themes": [mental_health.pk, gender.pk],
                "guidance": "Escalate",
                "outcome": "closed_with_guidance",
                "version": version,
            },
        )
    assert response.status_code == 302
    (blocker,) = TriageRecord.objects.get().blockers_found.all()
    assert set(blocker.themes.all()) == {mental_health, gender}


def test_ticked_themes_stay_ticked_when_the_form_comes_back_with_errors(triage_world):
    request = held_request(triage_world)
    client = as_user(triage_world["manager"])
    url = reverse("triage:outcome", args=[request.pk])
    version = parse(client.get(url)).select_one("input[name=version]")["value"]
    gender = Theme.objects.get(name="Gender identity")
    page = parse(
        client.post(url, {"blocker_1": "x", "blocker_1_themes": [gender.pk], "version": version})
    )
    ticked = [box.find_next("label").get_text(strip=True) for box in page.select("input[checked]")]
    assert "Gender identity" in ticked
