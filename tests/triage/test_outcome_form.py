"""The triage outcome form: questions revealed by the outcome chosen, optional blockers folded."""

import pytest
from django.urls import reverse

from tests.html import error_summary, parse
from tests.triage.test_views import as_user, held_request
from triage.models import TriageRecord

pytestmark = pytest.mark.django_db


def _reveal(page, outcome_label: str):
    radio = next(
        item.select_one("input")
        for item in page.select(".govuk-radios__item")
        if item.select_one("label").get_text(strip=True) == outcome_label
    )
    return radio, page.select_one(f"#{radio['aria-controls']}") if radio.get(
        "aria-controls"
    ) else None


def test_referring_and_redirecting_questions_are_revealed_by_their_outcome(triage_world):
    """GOV.UK conditional reveals: each question sits under its radio, hidden until chosen."""
    page = parse(
        as_user(triage_world["manager"]).get(
            reverse("triage:outcome", args=[held_request(triage_world).pk])
        )
    )
    closed, nothing = _reveal(page, "Closed with guidance")
    assert nothing is None
    assert closed["id"] == "id_outcome_1"  # numbered from 1, as the error summary links
    _refer, refer_reveal = _reveal(page, "Refer to panel")
    assert [label.get_text(strip=True) for label in refer_reveal.select("label")] == [
        "What is the panel asked to help with?"
    ]
    _redirect, redirect_reveal = _reveal(page, "Redirect")
    assert [label.get_text(strip=True) for label in redirect_reveal.select("label")] == [
        "Where is the case redirected to?",
        "Why is it redirected?",
    ]
    # Hidden only by GOV.UK Frontend's script: without JavaScript every question shows.
    for reveal in (refer_reveal, redirect_reveal):
        assert "govuk-radios__conditional--hidden" in reveal["class"]
    assert page.select_one("[data-module=govuk-radios]") is not None


def test_a_chosen_outcome_keeps_its_questions_open_after_an_error(triage_world):
    request = held_request(triage_world)
    url = reverse("triage:outcome", args=[request.pk])
    client = as_user(triage_world["manager"])
    version = parse(client.get(url)).select_one("input[name=version]")["value"]
    response = client.post(
        url,
        {
            "blocker_1": "No AP place",
            "guidance": "Advice",
            "outcome": "redirect",
            "version": version,
        },
    )
    assert error_summary(response) == [
        "Choose where the case is redirected to",
        "Enter why the case is redirected",
    ]
    page = parse(response)
    _radio, reveal = _reveal(page, "Redirect")
    assert "govuk-radios__conditional--hidden" not in reveal["class"]
    links = [a["href"] for a in page.select(".govuk-error-summary__list a")]
    assert links == ["#id_redirect_to", "#id_redirect_reason"]
    assert all(page.select_one(link) in reveal.descendants for link in links)


def test_an_answer_left_under_another_outcome_is_not_saved(
    triage_world, django_capture_on_commit_callbacks
):
    """Typed under "Refer to panel", then "Closed with guidance" chosen: no panel ask is kept."""
    request = held_request(triage_world)
    url = reverse("triage:outcome", args=[request.pk])
    client = as_user(triage_world["manager"])
    version = parse(client.get(url)).select_one("input[name=version]")["value"]
    with django_capture_on_commit_callbacks(execute=False):
        response = client.post(
            url,
            {
                "blocker_1": "No AP place",
                "guidance": "Advice",
                "outcome": "closed_with_guidance",
                "panel_ask": "Find an AP place",
                "redirect_reason": "Typed, then changed my mind",
                "version": version,
            },
        )
    assert response.status_code == 302
    record = TriageRecord.objects.get()
    assert (record.outcome, record.panel_ask, record.redirect_reason) == (
        "closed_with_guidance",
        "",
        "",
    )


def test_optional_blockers_are_folded_until_used(triage_world):
    """Blocker 1 and its themes show; blockers 2 and 3 open from "Add blocker n" or when filled in."""
    request = held_request(triage_world)
    url = reverse("triage:outcome", args=[request.pk])
    client = as_user(triage_world["manager"])
    page = parse(client.get(url))
    folds = page.select("details.govuk-details")
    assert [d.select_one("summary").get_text(strip=True) for d in folds] == [
        "Add blocker 2",
        "Add blocker 3",
    ]
    assert not any(d.has_attr("open") for d in folds)
    assert page.select_one("input[name=blocker_1]").find_parent("details") is None
    assert len(page.select("input[name=blocker_1_themes]")) == len(
        folds[0].select("input[name=blocker_2_themes]")
    )
    version = page.select_one("input[name=version]")["value"]
    page = parse(client.post(url, {"blocker_2": "Second blocker", "version": version}))
    folds = page.select("details.govuk-details")
    assert [d.has_attr("open") for d in folds] == [True, False]
