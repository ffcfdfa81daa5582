"""Every GET page in the URLconf, for every role that may open it, in headless Chromium:
zero axe violations (WCAG 2.0/2.1/2.2 A and AA, and axe's best-practice rules such as every
piece of content in a landmark), no console errors, one <h1>, a descriptive
title unique to the page, and no internal link answering 404 or 500.

Driven by the access matrix's table, so a new page is swept as soon as it has an entry.
"""

from collections import defaultdict
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from complexcases.screening.models import ExtractUpload
from complexcases.screening.selectors import current_list_entry
from complexcases.screening.services import reflective_conversation_record
from tests.auth import sign_in_verified
from tests.browser.conftest import SWEEP_TAGS, axe_violations
from tests.factories import UserFactory
from tests.jcw.fixtures import a_contact, an_episode
from tests.panel_fixtures import panel_matrix_objects
from tests.test_access_matrix import EXPECTED, PANEL_POSTS, PUBLIC, ROLE_CHANGE_POSTS, R, kwargs_for
from tests.triage_fixtures import a_request

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

POST_ONLY = {"logout", "keep-alive", "triage:assign", *PANEL_POSTS, *ROLE_CHANGE_POSTS}
# Pages that send you elsewhere rather than render (a download, or a step that needs a prior one).
NOT_PAGES = {"access-log-export", "subject-access-json", "screening:extract-upload-progress", "healthz",
             "triage:check", "two-factor-verify", "panel:paper", "jcw:counts-csv"}  # fmt: skip
NOT_PAGES |= {"reporting:dashboard-csv", "reporting:monthly-report-csv"}  # CSV downloads
NOT_PAGES |= {"outcomes:after-panel-csv", "outcomes:criteria-csv", "outcomes:threshold-csv"}
NOT_PAGES |= {"health-liveness", "health-readiness", "metrics", "calendar-file"}  # JSON, text, .ics
NOT_PAGES |= {"sar-api-openapi"}  # a JSON document (on main since the SAR API merge)
# A papers link's pages need a real token: swept in tests/browser/test_papers_link_journey.py.
NOT_PAGES |= {"panel:papers-link", "panel:papers-link-code", "panel:papers-link-files",
              "panel:papers-link-download"}  # fmt: skip


@pytest.fixture
def world(triage_world, jcw_world, pdus):
    w = triage_world
    person = w["listed"]
    conversation = reflective_conversation_record(
        entry=current_list_entry(person), held_on=timezone.localdate() - timedelta(days=1), spo=w["spo"],
        notes="Synthetic notes", outcome="no_further_support", recorded_by=w["priya"],
    )  # fmt: skip
    users = {
        R.PROBATION_PRACTITIONER: w["priya"], R.SENIOR_PROBATION_OFFICER: w["spo"],
        R.PROGRAMME_MANAGER: w["manager"], R.CASE_ADMINISTRATOR: w["admin"], R.QUALITY_DEVELOPMENT_OFFICER: w["qdo"],
        R.SENIOR_FORENSIC_PSYCHOLOGIST: w["psychologist"],
        R.HEAD_OF_SERVICE: UserFactory(pdu=pdus["NORTHANTS"], roles=[R.HEAD_OF_SERVICE]),
        R.PANEL_MEMBER: UserFactory(roles=[R.PANEL_MEMBER]), R.OPD_CLINICIAN: jcw_world["clinician"],
        R.DATA_PROTECTION_OFFICER: UserFactory(roles=[R.DATA_PROTECTION_OFFICER]),
        R.SYSTEM_ADMINISTRATOR: UserFactory(roles=[R.SYSTEM_ADMINISTRATOR], is_staff=True),
    }  # fmt: skip
    panel_objects, _ = panel_matrix_objects(w, users)  # before the open triage request below
    episode = an_episode(jcw_world)
    objects = {
        "person": person,
        "conversation": conversation,
        "triage": (triage := a_request(w)),
        "case": triage.case,
        "case-history": triage.case,
        "upload": ExtractUpload.objects.create(filename="x.csv", uploaded_by=w["admin"]),
        **panel_objects,
        "episode": episode,
        "contact": a_contact(jcw_world, episode, contact_type="direct"),
        "staff": UserFactory(roles=[R.PANEL_MEMBER]),
    }
    return users, objects


def test_every_page_for_every_role(browser, live_server, world):
    users, objects = world
    failures = []
    visited = 0
    checked_links: dict[tuple[str, str], int] = {}
    for role, user in users.items():
        django_client = sign_in_verified(Client(), user)
        context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
        context.add_cookies(
            [
                {
                    "name": "sessionid",
                    "value": django_client.cookies["sessionid"].value,
                    "url": live_server.url,
                }
            ]
        )
        page = context.new_page()
        errors = []
        page.on(
            "console",
            lambda message, errors=errors: message.type == "error" and errors.append(message.text),
        )
        page.on("pageerror", lambda error, errors=errors: errors.append(str(error)))
        titles = defaultdict(list)
        for name, (allowed, kind) in sorted(EXPECTED.items()):
            if name in POST_ONLY or name in NOT_PAGES:
                continue
            if allowed not in (PUBLIC,) and (not isinstance(allowed, set) or role not in allowed):
                continue
            path = reverse(name, kwargs=kwargs_for(kind, objects[kind] if kind else None))
            errors.clear()
            response = page.goto(live_server.url + path)
            where = f"{role} {path}"
            if response.status >= 400:
                failures.append(f"{where}: status {response.status}")
                continue
            if page.url != live_server.url + path:
                continue  # a state redirect (e.g. a step not yet possible): the page it lands on is swept itself
            visited += 1
            h1s = page.locator("h1").count()
            if h1s != 1:
                failures.append(f"{where}: {h1s} <h1> elements")
            title = page.title()
            if not title.endswith("– Complex Cases") or len(title) < len("x – Complex Cases"):
                failures.append(f"{where}: title {title!r}")
            titles[title].append(name)
            for violation in axe_violations(page, SWEEP_TAGS):
                failures.append(f"{where}: axe {violation['id']} at {violation['nodes'][:3]}")
            failures.extend(f"{where}: console {error}" for error in errors)
            for href in page.eval_on_selector_all(
                "a[href^='/']", "els => els.map(e => e.getAttribute('href'))"
            ):
                target = href.split("#")[0]
                if not target or target.startswith(("/django-admin/", "/static/", "/assets/")):
                    continue
                key = (role, target)
                if key not in checked_links:
                    checked_links[key] = django_client.get(target).status_code
                if checked_links[key] in (404, 500):
                    failures.append(f"{where}: link {target} answers {checked_links[key]}")
        failures.extend(
            f"{role}: title {title!r} shared by {names}"
            for title, names in titles.items()
            if len(set(names)) > 1
        )
        context.close()
    assert failures == []
    # Not vacuous: every role saw its pages (93 page views across the eleven roles today).
    assert visited >= 90, visited
    assert len(checked_links) >= 50, len(checked_links)
