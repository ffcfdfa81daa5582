"""Every URL in the URLconf, for every role: the expected access decision.

Generated from the URLconf, so a new URL without an entry in EXPECTED fails here, and a
new view without a role or object check fails on the statuses. For object URLs each
role is tried with an object it may see and, where one exists, one it may not (404).
"""

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from complexcases.core.models import AccessLogEntry
from complexcases.organisation.roles import Role
from complexcases.screening.models import ReflectiveConversation
from tests.access_fixtures import kwargs_for
from tests.auth import sign_in_verified
from tests.oidc_provider import (
    OTHER_CLIENT,
    TEST_CLIENT_CALLBACK,
    use_provider,
)
from triage.models import TriageRequest

R = Role
EVERY_ROLE = set(Role.ALL)
CASE_HOLDERS = {R.PROBATION_PRACTITIONER, R.SENIOR_PROBATION_OFFICER}
CC_TEAM = {
    R.PROGRAMME_MANAGER,
    R.CASE_ADMINISTRATOR,
    R.QUALITY_DEVELOPMENT_OFFICER,
    R.SENIOR_FORENSIC_PSYCHOLOGIST,
}
RUN_TRIAGE = {R.PROGRAMME_MANAGER, R.CASE_ADMINISTRATOR}
SEE_PEOPLE = CASE_HOLDERS | CC_TEAM | {R.HEAD_OF_SERVICE}
JCW_VIEWERS = CASE_HOLDERS | CC_TEAM | {R.HEAD_OF_SERVICE, R.OPD_CLINICIAN}
JCW_COUNTS = CC_TEAM | {R.HEAD_OF_SERVICE, R.OPD_CLINICIAN}
RUN_PANEL = RUN_TRIAGE
PANEL_CASE = SEE_PEOPLE | {R.PANEL_MEMBER, R.OPD_CLINICIAN}
FOLLOW_UP = RUN_PANEL | {R.QUALITY_DEVELOPMENT_OFFICER}
OUTCOMES = {R.PROGRAMME_MANAGER, R.HEAD_OF_SERVICE}
PANEL_POSTS = (
    "panel:action-update",
    "panel:action-complete",
    "panel:invitee-remove",
    "panel:invitations-send",
    "panel:paper-remove",
    "panel:minutes-finalise",
    "panel:papers-link-revoke",
    "panel:papers-link-renew",
)
ROLE_CHANGE_POSTS = ("organisation:role-change-approve", "organisation:role-change-decline")

PUBLIC = "public"
# Opened by a token (a bearer token, a signed link), never by signing in: 404 for everyone else.
BY_TOKEN = "secret"  # unlike TOKEN below: unknown (404) without it, not 401
BY_TOKEN_KWARGS = {"calendar-file": {"token": "not-a-signed-token"}}
# A papers link for an invitee outside the service (ADR 0045): "This link does not work" (404).
PAPERS_LINK_PAGES = ("papers-link", "papers-link-code", "papers-link-files")
BY_TOKEN_KWARGS |= {f"panel:{name}": {"token": "not-a-papers-link"} for name in PAPERS_LINK_PAGES}
BY_TOKEN_KWARGS["panel:papers-link-download"] = {"token": "not-a-papers-link", "paper_id": 1}
SSO = "sso"  # single sign-on's views: a 404 while OIDC_ISSUER is unset (tests/organisation/test_oidc.py)
TOKEN = "token"  # a client-credentials token, never a session (tests/core/test_sar_api.py)
# url name → (roles allowed, the object its URL needs: None, "person", "conversation", "triage", "upload")
EXPECTED = {
    "home": (EVERY_ROLE, None),
    "healthz": (PUBLIC, None),
    "health-liveness": (PUBLIC, None),
    "health-readiness": (PUBLIC, None),
    "metrics": (BY_TOKEN, None),
    "calendar-file": (BY_TOKEN, None),
    "accessibility": (PUBLIC, None),
    "privacy": (PUBLIC, None),
    "login": (PUBLIC, None),
    "sso-start": (SSO, None),
    "sso-callback": (SSO, None),
    "sar-api": (TOKEN, None),
    "sar-api-openapi": (PUBLIC, None),
    "logout": ("sign-out", None),  # POST only; everyone ends up at sign-in
    "signed-out": (PUBLIC, None),
    "keep-alive": (EVERY_ROLE, None),  # POST only
    "two-factor-setup": (EVERY_ROLE, None),
    "two-factor-verify": (EVERY_ROLE, None),
    "access-log": ({R.DATA_PROTECTION_OFFICER}, None),
    "access-log-export": ({R.DATA_PROTECTION_OFFICER}, None),
    "subject-access": ({R.DATA_PROTECTION_OFFICER}, None),
    "subject-access-report": ({R.DATA_PROTECTION_OFFICER}, "person"),
    "subject-access-json": ({R.DATA_PROTECTION_OFFICER}, "person"),
    "organisation:pdu-list": (
        {R.PROGRAMME_MANAGER, R.CASE_ADMINISTRATOR, R.HEAD_OF_SERVICE, R.SYSTEM_ADMINISTRATOR},
        None,
    ),
    "organisation:upload": ({R.SYSTEM_ADMINISTRATOR}, None),
    "organisation:staff-list": ({R.SYSTEM_ADMINISTRATOR}, None),
    "organisation:staff-roles": ({R.SYSTEM_ADMINISTRATOR}, "staff"),
    "organisation:role-changes": ({R.SYSTEM_ADMINISTRATOR, R.DATA_PROTECTION_OFFICER}, None),
    "organisation:role-change-approve": ({R.SYSTEM_ADMINISTRATOR}, "role-change"),  # POST only
    "organisation:role-change-decline": ({R.SYSTEM_ADMINISTRATOR}, "role-change"),  # POST only
    "people:search": (SEE_PEOPLE, None),
    "people:person": (SEE_PEOPLE, "person"),
    "cases:detail": (SEE_PEOPLE, "case"),
    "cases:part": (SEE_PEOPLE, "case-history"),
    "screening:reflective-conversation": (CASE_HOLDERS, "person"),
    "screening:reflective-conversation-ndelius": (SEE_PEOPLE, "conversation"),
    "screening:mark-for-pathway": (CASE_HOLDERS | RUN_TRIAGE, "person"),
    "people:pom": (CASE_HOLDERS | RUN_TRIAGE, "person"),
    "screening:monthly-list": (SEE_PEOPLE, None),
    "screening:generate": (RUN_TRIAGE, None),
    "screening:extract-upload": (RUN_TRIAGE, None),
    "screening:extract-upload-status": (RUN_TRIAGE, "upload"),
    "screening:extract-upload-progress": (RUN_TRIAGE, "upload"),
    "triage:request": (CASE_HOLDERS | RUN_TRIAGE, "person"),
    "triage:check": (CASE_HOLDERS | RUN_TRIAGE, "person"),
    "triage:queue": (CASE_HOLDERS | CC_TEAM, None),
    "triage:detail": (CASE_HOLDERS | CC_TEAM, "triage"),
    "triage:confirmation": (CASE_HOLDERS | CC_TEAM, "triage"),
    "triage:assign": (RUN_TRIAGE, "triage"),  # POST only
    "triage:schedule": (RUN_TRIAGE, "triage"),
    "triage:reschedule": (RUN_TRIAGE, "triage"),
    "triage:cancel": (RUN_TRIAGE, "triage"),
    "triage:withdraw": (CASE_HOLDERS, "triage"),
    "triage:held": (RUN_TRIAGE, "triage"),
    "triage:outcome": (RUN_TRIAGE, "triage"),
    "triage:ndelius": (CASE_HOLDERS | CC_TEAM, "triage"),
    "jcw:caseload": (JCW_VIEWERS, None),
    "jcw:start": ({R.OPD_CLINICIAN}, None),
    "jcw:counts": (JCW_COUNTS, None),
    "jcw:counts-csv": (JCW_COUNTS, None),
    "jcw:person": (JCW_VIEWERS, "person"),
    "jcw:episode-open": ({R.OPD_CLINICIAN}, "person"),
    "jcw:episode": (JCW_VIEWERS, "episode"),
    "jcw:episode-aim": ({R.OPD_CLINICIAN}, "episode"),
    "jcw:episode-close": ({R.OPD_CLINICIAN}, "episode"),
    "jcw:episode-feedback": (CASE_HOLDERS, "episode"),
    "jcw:contact-record": (CASE_HOLDERS | {R.OPD_CLINICIAN}, "episode"),
    "jcw:contact": (JCW_VIEWERS, "contact"),
    "jcw:contact-view": (CASE_HOLDERS, "contact"),
    "jcw:contact-feedback": (CASE_HOLDERS, "contact"),
    "jcw:contact-ndelius": (JCW_VIEWERS, "contact"),
    # Reporting (ADR 0016): figures for case holders (their team), heads of service and the team.
    "reporting:dashboard": (CASE_HOLDERS | CC_TEAM | {R.HEAD_OF_SERVICE}, None),
    "reporting:dashboard-csv": (CASE_HOLDERS | CC_TEAM | {R.HEAD_OF_SERVICE}, None),
    "reporting:monthly-report": (CC_TEAM | {R.HEAD_OF_SERVICE}, None),
    "reporting:monthly-report-csv": (CC_TEAM | {R.HEAD_OF_SERVICE}, None),
    "reporting:learning-log": (EVERY_ROLE, None),
    "reporting:learning-choose": (RUN_PANEL | {R.PANEL_MEMBER}, None),
    "reporting:learning-add": (RUN_PANEL | {R.PANEL_MEMBER}, "panel-booking"),
    # Outcomes after the panel and criteria testing (issue #25): the programme manager and heads
    # of service only, scoped as the dashboard is.
    "outcomes:after-panel": (OUTCOMES, None),
    "outcomes:after-panel-csv": (OUTCOMES, None),
    "outcomes:criteria": (OUTCOMES, None),
    "outcomes:criteria-csv": (OUTCOMES, None),
    "outcomes:threshold": (OUTCOMES, None),
    "outcomes:threshold-csv": (OUTCOMES, None),
    "panel:sessions": (CC_TEAM | {R.PANEL_MEMBER}, None),
    "panel:session": (CC_TEAM | {R.PANEL_MEMBER}, "panel-session"),
    "panel:session-create": (RUN_PANEL, None),
    "panel:session-cancel": (RUN_PANEL, "panel-session"),
    "panel:session-move": (RUN_PANEL, "panel-session"),
    "panel:patterns": (RUN_PANEL, None),
    "panel:pattern-create": (RUN_PANEL, None),
    "panel:ready": (RUN_PANEL, None),
    "panel:book": (RUN_PANEL, "panel-ready"),
    "panel:booking": (PANEL_CASE, "panel-booking"),
    "panel:booking-cancel": (RUN_PANEL, "panel-booking"),
    "panel:invitees": (RUN_PANEL, "panel-booking"),
    "panel:invitee-remove": (RUN_PANEL, "panel-invitee"),  # POST only
    "panel:invitations-send": (RUN_PANEL, "panel-booking"),  # POST only
    "panel:deputy": (PANEL_CASE, "panel-invitee"),
    "panel:paper-upload": (RUN_PANEL, "panel-booking"),
    "panel:paper": (PANEL_CASE, "panel-paper"),
    "panel:paper-remove": (RUN_PANEL, "panel-paper"),  # POST only
    "panel:pack": (PANEL_CASE, "panel-booking"),
    "panel:papers-link": (BY_TOKEN, None),
    "panel:papers-link-code": (BY_TOKEN, None),
    "panel:papers-link-files": (BY_TOKEN, None),
    "panel:papers-link-download": (BY_TOKEN, None),
    "panel:papers-link-revoke": (RUN_PANEL, "panel-papers-link"),  # POST only
    "panel:papers-link-renew": (RUN_PANEL, "panel-papers-link"),  # POST only
    "panel:minutes": (PANEL_CASE, "panel-booking"),
    "panel:minutes-edit": (RUN_PANEL, "panel-booking"),
    "panel:minutes-finalise": (RUN_PANEL, "panel-booking"),  # POST only
    "panel:minutes-version": (PANEL_CASE, "panel-version"),
    "panel:actions-add": (RUN_PANEL, "panel-booking"),
    "panel:my-actions": (PANEL_CASE, None),
    "panel:action": (PANEL_CASE, "panel-action"),
    "panel:action-update": (PANEL_CASE, "panel-action"),  # POST only
    "panel:action-complete": (PANEL_CASE, "panel-action"),  # POST only
    "panel:follow-ups": (FOLLOW_UP, None),
    "panel:follow-up": (FOLLOW_UP, "panel-follow-up"),
    "panel:follow-up-assign": (RUN_PANEL, "panel-follow-up"),
    "panel:follow-up-ndelius": (FOLLOW_UP, "panel-follow-up"),
    "panel:pathway-close": (FOLLOW_UP, "panel-booking"),
    "organisation:reassign": ({R.SENIOR_PROBATION_OFFICER, R.SYSTEM_ADMINISTRATOR}, "panel-staff"),
}


def url_names() -> list[str]:
    names = []

    def walk(patterns, namespace=None):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if pattern.namespace == "admin":
                    continue
                walk(pattern.url_patterns, pattern.namespace or namespace)
            elif isinstance(pattern, URLPattern) and pattern.name:
                names.append(f"{namespace}:{pattern.name}" if namespace else pattern.name)

    walk(get_resolver().url_patterns)
    return names


def test_every_url_has_an_expected_access_decision():
    assert sorted(url_names()) == sorted(EXPECTED), (
        "add the new URL to EXPECTED with the roles it allows"
    )


def sees_everyone(role):
    return (
        role in CC_TEAM or role == R.DATA_PROTECTION_OFFICER
    )  # the DPO answers anyone's subject access request


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_access_matrix(name, matrix, client):
    allowed, kind = EXPECTED[name]
    if allowed == BY_TOKEN:
        url = reverse(name, kwargs=BY_TOKEN_KWARGS.get(name, {}))
        assert client.get(url).status_code == 404, name
        for user in matrix["users"].values():
            assert sign_in_verified(Client(), user).get(url).status_code == 404, name
        return
    url = reverse(name, kwargs=kwargs_for(kind, matrix["visible"][kind] if kind else None))
    post_only = name in POST_ONLY

    anonymous = client.post(url) if post_only else client.get(url)
    if allowed == "sign-out":
        user = next(iter(matrix["users"].values()))
        client.force_login(user)
        assert client.get(url).status_code == 405  # sign out is never a GET
        assert client.post(url)["Location"] == reverse("login")
        assert client.get(reverse("home")).status_code == 302
        return
    if allowed == PUBLIC:
        assert anonymous.status_code == 200, name
        return
    if allowed == SSO:
        assert anonymous.status_code == 404, name
        return
    if allowed == TOKEN:
        assert anonymous.status_code == 401, name
        for role, user in matrix["users"].items():
            assert sign_in_verified(Client(), user).get(url).status_code == 401, (name, role)
        return
    assert anonymous.status_code == 302, name
    assert anonymous["Location"].startswith(reverse("login")), name

    for role, user in matrix["users"].items():
        signed_in = sign_in_verified(Client(), user)
        response = signed_in.post(url) if post_only else signed_in.get(url)
        if role not in allowed:
            assert response.status_code == 403, (name, role)
            continue
        # Allowed: exactly the page, or exactly a redirect within the service (a POST's answer,
        # or a state of the matrix's record the page refuses), never a refusal.
        assert response.status_code == expected_status(name, role), (
            name,
            role,
            response.status_code,
        )
        if response.status_code == 302:
            assert not response["Location"].startswith(reverse("login")), (name, role)
        hidden = matrix["hidden"].get(kind) if kind else None
        if hidden is not None and not sees_everyone(role):
            hidden_url = reverse(name, kwargs=kwargs_for(kind, hidden))
            refused = signed_in.post(hidden_url) if post_only else signed_in.get(hidden_url)
            assert refused.status_code == 404, (name, role, "may not see", refused.status_code)


def expected_status(name: str, role: str) -> int:
    """What an allowed role gets: the page (200), or a redirect: a POST's answer, a state of
    the matrix's record the page refuses, or a page that is not for that role's use."""
    if name in STATUS:
        return STATUS[name]
    if name in FORM_AGAIN_FOR:
        return 200 if role in FORM_AGAIN_FOR[name] else 302
    if name in POST_ONLY or name in REDIRECTS_IN_MATRIX_STATE:
        return 302
    return 302 if role in REDIRECTED_ROLES.get(name, ()) else 200


STATUS = {
    "keep-alive": 204,  # the session timeout's POST: nothing to show
    # Without answers in the session, "check your answers" sends you to the questions.
    "triage:check": 302,
}
# An empty POST from whoever may change the action (its owner, their SPO, the team) is the
# form again, with its errors; anyone else who may see the action is sent back to it.
_ACTION_CHANGERS = {
    R.PROBATION_PRACTITIONER,
    R.SENIOR_PROBATION_OFFICER,
    R.PROGRAMME_MANAGER,
    R.CASE_ADMINISTRATOR,
}
FORM_AGAIN_FOR = {
    "panel:action-update": _ACTION_CHANGERS,
    "panel:action-complete": _ACTION_CHANGERS,
}
# Allowed roles a page sends elsewhere in the service, and why.
REDIRECTED_ROLES = {
    # A deputy is nominated by the invitee (here the practitioner) or the team who book; others
    # are sent back to the panel case with "You can only nominate a deputy for your own seat".
    "panel:deputy": {
        R.SENIOR_PROBATION_OFFICER,
        R.QUALITY_DEVELOPMENT_OFFICER,
        R.SENIOR_FORENSIC_PSYCHOLOGIST,
        R.HEAD_OF_SERVICE,
        R.PANEL_MEMBER,
        R.OPD_CLINICIAN,
    },
    # Only the team or the panel's chair records its learning: anyone else back to the log.
    "reporting:learning-add": {R.PANEL_MEMBER},
    # Already set up and verified with an app (roles that must have two-factor): home.
    "two-factor-setup": {R.DATA_PROTECTION_OFFICER, R.SYSTEM_ADMINISTRATOR},
    "two-factor-verify": {R.DATA_PROTECTION_OFFICER, R.SYSTEM_ADMINISTRATOR},
}


# Object kinds whose URL names one person's record.
PERSON_KINDS = {
    "person",
    "case",
    "case-history",
    "conversation",
    "triage",
    "episode",
    "contact",
    "panel-booking",
    "panel-invitee",
    "panel-paper",
    "panel-version",
    "panel-action",
    "panel-follow-up",
    "panel-papers-link",
}
POST_ONLY = {"logout", "keep-alive", "triage:assign", *PANEL_POSTS, *ROLE_CHANGE_POSTS}
# Pages about one person that do not log exactly one row for them, and why.
ONE_ROW_EXEMPT = {
    "triage:check": "a POST-only check of the request's words; it shows no record",
}
# Pages the matrix's objects are not in the state for: they redirect to the record and show
# nothing, so they must log nothing. (Each is tested with a record in the right state in its
# app's tests.) If one starts to show a page here, move it to the one-row test.
REDIRECTS_IN_MATRIX_STATE = {
    "jcw:episode-open",
    "panel:follow-up-ndelius",
    "screening:reflective-conversation",
    "triage:held",
    "triage:ndelius",
    "triage:outcome",
    "triage:reschedule",
}


def person_pages() -> list[tuple[str, str]]:
    """Every page (GET) whose URL names one person's record: from EXPECTED, so none is missed."""
    return sorted(
        (name, kind)
        for name, (allowed, kind) in EXPECTED.items()
        if kind in PERSON_KINDS
        and isinstance(allowed, set)
        and name not in POST_ONLY
        and name not in ONE_ROW_EXEMPT
    )


def person_of(obj):
    """The person a matrix object is about."""
    for path in ("person", "booking.person"):
        target = obj
        for attribute in path.split("."):
            target = getattr(target, attribute, None)
        if target is not None:
            return target
    return obj  # a Person


def role_for(allowed: set) -> str:
    """Who opens the page in the one-row test: the programme manager where they may."""
    for role in (R.PROGRAMME_MANAGER, R.DATA_PROTECTION_OFFICER, R.PROBATION_PRACTITIONER):
        if role in allowed:
            return role
    return sorted(allowed)[0]


def test_the_one_row_test_covers_every_person_page():
    assert len(person_pages()) >= 30
    assert ("panel:booking", "panel-booking") in person_pages()
    assert ("people:person", "person") in person_pages()


@pytest.mark.django_db
def test_a_token_without_the_role_is_refused_whoever_is_signed_in(
    matrix,
    oidc_providers,
    settings,
):
    provider = oidc_providers(TEST_CLIENT_CALLBACK)
    use_provider(settings, provider)
    without_role = {
        "HTTP_AUTHORIZATION": f"Bearer {provider.client_credentials_token(OTHER_CLIENT)}"
    }
    with_role = {"HTTP_AUTHORIZATION": f"Bearer {provider.client_credentials_token()}"}
    url = reverse("sar-api") + "?crn=A000001"
    assert Client().get(url, **without_role).status_code == 403
    for role, user in matrix["users"].items():
        assert sign_in_verified(Client(), user).get(url, **without_role).status_code == 403, role
    assert Client().get(url, **with_role).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "kind"), person_pages())
def test_a_page_that_shows_a_person_logs_exactly_one_row_for_them(name, kind, matrix):
    obj = matrix["visible"][kind]
    person = person_of(obj)
    client = sign_in_verified(Client(), matrix["users"][role_for(EXPECTED[name][0])])
    before = AccessLogEntry.objects.filter(person_crn=person.crn).count()
    response = client.get(reverse(name, kwargs=kwargs_for(kind, obj)))
    if name in REDIRECTS_IN_MATRIX_STATE:
        assert response.status_code == 302, (name, response.status_code)
        assert AccessLogEntry.objects.filter(person_crn=person.crn).count() == before, name
        return
    assert response.status_code == 200, (name, response.status_code)
    assert AccessLogEntry.objects.filter(person_crn=person.crn).count() == before + 1, name


@pytest.mark.django_db
def test_a_list_page_logs_one_row_per_person_shown(matrix):
    client = Client()
    client.force_login(matrix["users"][R.PROGRAMME_MANAGER])
    before = AccessLogEntry.objects.count()
    client.get(reverse("triage:queue"))
    new = AccessLogEntry.objects.order_by("-pk")[: AccessLogEntry.objects.count() - before]
    # B000009: the out-of-scope request is a second Cambridgeshire person's, as B000001's case
    # is at panel (one open case per person).
    assert sorted(entry.person_crn for entry in new) == ["A000001", "B000009"]
    # Five requests exist: the two open ones the queue's first tab shows, and three closed
    # ones referred to panel (in panel_matrix_objects), which that tab leaves out.
    assert TriageRequest.objects.filter(status="requested").count() == 2
    assert TriageRequest.objects.count() == 5
    assert ReflectiveConversation.objects.count() == 1
