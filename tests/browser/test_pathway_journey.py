"""The whole pathway, one case, in headless Chromium, each step signed in as the role that does it:

1. a case administrator uploads the extract and generates the monthly list;
2. the practitioner records a reflective conversation and requests triage;
3. a programme manager schedules the triage and records "refer to panel";
4. a case administrator books the case into a panel session, adjusts the invitees, attaches a
   paper, records attendance, minutes and an action, and finalises;
5. the action owner updates and completes the action;
6. a QDO records the follow-up check-in with an early outcome;
7. an OPD clinician records a joint case work contact and the practitioner gives feedback;
8. a head of service sees all of it on the dashboard.

axe (WCAG 2.2 AA) and the console are checked on every page; screenshots are saved per step.
Each step is a function; the test runs them in order on one database, as the pathway does."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from complexcases.organisation.roles import Role
from jcw.models import JcwContact, JcwFeedback
from panel.models import FollowUp, PanelAction, PanelBooking, PanelMember, PanelRole
from panel.reference import early_outcomes_ensure_defaults, panel_roles_ensure_defaults
from tests.browser.conftest import SCREENSHOTS, axe_violations, screenshot
from tests.factories import TeamFactory, UserFactory
from tests.panel_fixtures import a_session, held
from tests.screening.builders import SIX_CRITERIA, extract_csv, row
from triage.models import TriageRequest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "correct-horse-battery-staple"


def check(page, name):
    screenshot(page, f"pathway-{name}")
    assert axe_violations(page) == [], name
    assert page.console_errors == [], name


def as_user(browser, live_server, email):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    page = context.new_page()
    page.console_errors = []
    page.on("console", lambda m: m.type == "error" and page.console_errors.append(m.text))
    page.on("pageerror", lambda error: page.console_errors.append(str(error)))
    page.goto(f"{live_server.url}/sign-in")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server.url}/")
    return context, page


def fill_date(page, day, scope=None):
    where = scope or page
    where.get_by_label("Day").fill(str(day.day))
    where.get_by_label("Month").fill(str(day.month))
    where.get_by_label("Year").fill(str(day.year))


@pytest.fixture
def people(pdus):
    from jcw.reference import activity_types_ensure_defaults
    from triage.reference import themes_ensure_defaults

    themes_ensure_defaults()
    panel_roles_ensure_defaults()
    early_outcomes_ensure_defaults()
    activity_types_ensure_defaults()
    north = pdus["NORTHANTS"]
    team = TeamFactory(pdu=north, name="Northampton North")
    spo = UserFactory(
        first_name="Sam",
        last_name="Okafor",
        email="sam.okafor@example.com",
        pdu=north,
        team=team,
        roles=[Role.SENIOR_PROBATION_OFFICER],
    )
    users = {
        "spo": spo,
        "priya": UserFactory(first_name="Priya", last_name="Hughes", email="priya.hughes@example.com", staff_code="N01P001", pdu=north, team=team, line_manager=spo, roles=[Role.PROBATION_PRACTITIONER]),
        "manager": UserFactory(first_name="Morgan", last_name="Ellis", email="morgan.ellis@example.com", roles=[Role.PROGRAMME_MANAGER]),
        "admin": UserFactory(first_name="Casey", last_name="Adeyemi", email="casey@example.com", roles=[Role.CASE_ADMINISTRATOR]),
        "qdo": UserFactory(first_name="Quinn", last_name="Dawson", email="quinn@example.com", roles=[Role.QUALITY_DEVELOPMENT_OFFICER]),
        "clinician": UserFactory(first_name="Olu", last_name="Brennan", email="olu.brennan@example.com", pdu=north, team=TeamFactory(pdu=north, name="OPD pathway team"), roles=[Role.OPD_CLINICIAN]),
        "head": UserFactory(first_name="Harper", last_name="Grant", email="harper.grant@example.com", pdu=north, roles=[Role.HEAD_OF_SERVICE]),
        "chair": UserFactory(first_name="Helen", last_name="Ortiz", email="helen.ortiz@example.com", roles=[Role.PANEL_MEMBER]),
    }  # fmt: skip
    for user in users.values():
        user.set_password(PASSWORD)
        user.save()
    roles = {role.code: role for role in PanelRole.objects.all()}
    for code, user in (
        ("chair", "chair"),
        ("deputy_chair", "manager"),
        ("qdo_representative", "qdo"),
        ("case_administrator", "admin"),
    ):
        PanelMember.objects.create(region=north.region, role=roles[code], user=users[user])
    PanelMember.objects.create(
        region=north.region, role=roles["head_of_pdu"], user=users["head"], pdu=north
    )
    return users


def step_1_upload_and_list(browser, live_server, tmp_path):
    month = timezone.localdate().replace(day=1)
    extract = tmp_path / "extract.csv"
    extract.write_bytes(
        extract_csv(
            [
                row(
                    extract_date=month.isoformat(),
                    crn="A000001",
                    surname="Adams",
                    forenames="Jo",
                    **SIX_CRITERIA,
                ),
                row(
                    extract_date=month.isoformat(), crn="A000002", surname="Brown", forenames="Lee"
                ),
            ]
        )
    )
    context, page = as_user(browser, live_server, "casey@example.com")
    page.get_by_role("link", name="Import extract").first.click()
    page.get_by_label("Upload the monthly extract").set_input_files(str(extract))
    page.get_by_role("button", name="Upload and import").click()
    page.get_by_role("heading", name="Extract imported").wait_for()
    check(page, "1-extract-imported")
    page.goto(f"{live_server.url}/cases/generate")
    page.get_by_label("Month").fill(f"{month:%Y-%m}")
    page.get_by_role("button", name="Generate the list").click()
    page.get_by_role("heading", name=f"Monthly list for {month:%B %Y}").wait_for()
    check(page, "1-monthly-list")
    assert page.locator("table tbody tr").count() == 1
    context.close()


def step_2_conversation_and_triage_request(browser, live_server):
    context, page = as_user(browser, live_server, "priya.hughes@example.com")
    page.get_by_role("link", name="Monthly list").first.click()
    page.get_by_role("link", name="Adams, Jo").click()
    page.get_by_role("button", name="Record reflective conversation").click()
    fill_date(page, timezone.localdate())
    page.get_by_label("Notes").fill("Talked through housing and engagement.")
    page.get_by_label("Practitioner will request triage").check()
    page.get_by_role("button", name="Save reflective conversation").click()
    page.get_by_text("Reflective conversation saved").wait_for()
    page.get_by_role("button", name="Request triage").click()
    page.get_by_label("What is making the case complex or stuck?").fill(
        "No accommodation on release."
    )
    page.get_by_label("What has been tried?").fill("Two approved premises referrals.")
    page.get_by_label("What support are you looking for?").fill("Help securing an AP place.")
    page.get_by_role("group", name="Is this urgent?").get_by_label("No").check()
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("button", name="Send request").click()
    page.get_by_role("heading", name="Triage requested").wait_for()
    check(page, "2-triage-requested")
    context.close()


def step_3_triage_refers_to_panel(browser, live_server):
    context, page = as_user(browser, live_server, "morgan.ellis@example.com")
    page.get_by_role("link", name="Triage").first.click()
    page.get_by_role("link", name="Adams, Jo triage request").click()
    page.get_by_role("button", name="Schedule meeting").click()
    fill_date(page, timezone.localdate() + timedelta(days=7))
    page.get_by_label("Start time").fill("10am")
    page.get_by_role("button", name="Save the meeting").click()
    page.get_by_text("Triage meeting scheduled").wait_for()
    meeting = TriageRequest.objects.get().meeting
    meeting.starts_at = timezone.now() - timedelta(hours=1)  # the meeting happens
    meeting.save()
    page.reload()
    page.get_by_role("button", name="Record meeting as held").click()
    page.get_by_role("button", name="Save attendance").click()
    page.get_by_label("Blocker 1", exact=True).fill("No AP place agreed before release")
    page.get_by_role("group", name="Themes for blocker 1").get_by_label(
        "Housing or approved premises"
    ).check()
    page.get_by_label("Guidance given").fill("Escalate the AP referral.")
    page.get_by_label("Refer to panel").check()
    page.get_by_label("What is the panel asked to help with?").fill("Secure an AP place.")
    page.get_by_role("button", name="Save outcome").click()
    page.get_by_role("heading", name="Outcome: refer to panel").wait_for()
    check(page, "3-refer-to-panel")
    context.close()


def step_4_panel(browser, live_server, people, tmp_path):
    a_session({"listed": TriageRequest.objects.get().person, "admin": people["admin"]})
    context, page = as_user(browser, live_server, "casey@example.com")
    page.get_by_role("link", name="Panel").first.click()
    page.get_by_role("button", name="Cases ready for panel").click()
    page.get_by_role(
        "link", name=re.compile(r"^Book case CC-\d{4}-\d{5} \(Adams, Jo\) into a slot$")
    ).click()
    page.locator("input[name=slot]").first.check()
    page.get_by_role("button", name="Book into this slot").click()
    page.get_by_role("heading", name="Who is invited").wait_for()
    page.get_by_label("Full name").fill("Mina Shah")
    page.get_by_label("Organisation").fill("Community mental health team")
    page.get_by_label("Email address").fill("mina.shah@nhs.example")
    page.locator("select[name=external-role]").select_option(label="Mental health representative")
    page.get_by_role("button", name="Add someone outside the service").click()
    page.get_by_text("Mina Shah added to the list").wait_for()
    page.get_by_role("button", name="Send invitations").click()
    page.get_by_text("Invitations sent to").wait_for()
    page.get_by_role("button", name="Attach a paper").click()
    paper = tmp_path / "report.pdf"
    paper.write_bytes(b"%PDF-1.7\n% synthetic\n")
    page.get_by_label("Title").fill("Psychology report")
    page.get_by_label("Upload a file").set_input_files(str(paper))
    page.get_by_role("button", name="Attach paper").click()
    page.get_by_text("Paper attached").wait_for()
    held(PanelBooking.objects.get())  # the panel meets
    page.reload()
    page.get_by_role("button", name="Record minutes").click()
    for select in page.locator("select[name^=attendance_]").all():
        select.select_option("attended")
    page.get_by_label("The chair reminded everyone").check()
    page.get_by_label("2. Case overview").fill("Priya presented the case.")
    page.get_by_label("5. Chair's summary of actions").fill("One action agreed.")
    page.get_by_role("button", name="Save draft").click()
    page.get_by_role("button", name="Add actions").click()
    group = page.get_by_role("group", name="Action 1")
    group.get_by_label("Action", exact=True).fill("Escalate the approved premises referral")
    group.locator("select[name=form-0-owner]").select_option(label="Priya Hughes")
    fill_date(page, timezone.localdate() + timedelta(days=14), scope=group)
    page.get_by_role("button", name="Save actions").click()
    page.get_by_text("1 action recorded").wait_for()
    page.get_by_role("button", name="Finalise and send").click()
    page.get_by_text("Minutes finalised").wait_for()
    check(page, "4-minutes-final")
    context.close()


def step_5_action_completed(browser, live_server):
    context, page = as_user(browser, live_server, "priya.hughes@example.com")
    page.get_by_role("link", name="My actions").first.click()
    page.get_by_role("link", name="Escalate the approved premises referral").click()
    page.get_by_label("What has happened?").fill("Referral escalated to the regional AP manager.")
    page.get_by_role("button", name="Add update").click()
    page.get_by_role("group", name="Is the action done?").get_by_label("Done").check()
    page.get_by_label("Outcome").fill("AP place secured.")
    page.get_by_role("button", name="Complete action").click()
    page.get_by_text("Action completed").wait_for()
    check(page, "5-action-completed")
    context.close()


def step_6_follow_up(browser, live_server):
    context, page = as_user(browser, live_server, "quinn@example.com")
    page.get_by_role("link", name="Follow-ups").first.click()
    page.get_by_role("link", name="Adams, Jo (A000001)").click()
    page.get_by_label("Developments in the case").fill("Moved into the AP.")
    page.get_by_role("group", name="How is the practitioner?").get_by_label("Managing").check()
    page.get_by_role("group", name="Is further support needed?").get_by_label(
        "No further support needed"
    ).check()
    page.get_by_label("Approved premises place secured").check()
    page.get_by_role("button", name="Save check-in").click()
    page.get_by_text("Check-in recorded").wait_for()
    check(page, "6-follow-up")
    context.close()


def step_7_joint_case_work(browser, live_server):
    context, page = as_user(browser, live_server, "olu.brennan@example.com")
    page.get_by_role("link", name="Joint case work").first.click()
    page.get_by_role("button", name="Start joint case work").click()
    page.get_by_label("CRN").fill("A000001")
    page.get_by_role("button", name="Continue").click()
    fill_date(page, timezone.localdate() - timedelta(days=1))
    page.get_by_label("What is the dilemma to solve?").fill(
        "Disengages when the practitioner changes."
    )
    page.get_by_label("What is the desired outcome?").fill("A shared formulation.")
    page.get_by_label("How many sessions are planned?").fill("3")
    page.get_by_role("button", name="Start joint case work").click()
    page.get_by_text("Joint case work started").wait_for()
    page.get_by_role("button", name="Record a contact").click()
    page.get_by_label("Direct joint case work", exact=True).check()
    when = timezone.localtime() - timedelta(hours=1)
    fill_date(page, when)
    page.get_by_label("Time of the contact").fill(f"{when:%H:%M}")
    page.get_by_role("group", name="What did the joint case work involve?").get_by_label(
        "Creating a psychologically-informed formulation"
    ).check()
    page.get_by_label("Notes", exact=True).fill("Drafted the formulation together.")
    page.get_by_role("button", name="Save contact").click()
    page.get_by_role("heading", name="Direct joint case work: session 1").wait_for()
    check(page, "7-jcw-contact")
    context.close()
    context, page = as_user(browser, live_server, "priya.hughes@example.com")
    page.get_by_role("link", name="Joint case work").first.click()
    page.get_by_role("link", name="Adams, Jo joint case work").click()
    page.get_by_role("link", name="Direct joint case work").click()
    page.get_by_role("button", name="Give feedback on this contact").click()
    for statement in (
        "I have a clear understanding",
        "positive impact on my practice",
        "apply skills from joint case work",
        "important part of my work",
        "positive impact on risk management",
    ):
        page.get_by_role("group", name=statement).get_by_label("Strongly agree", exact=True).check()
    page.get_by_role("group", name="Before the joint case work").get_by_label(
        "Not very confident"
    ).check()
    page.get_by_role("group", name="How confident are you now").get_by_label(
        "Confident", exact=True
    ).check()
    page.get_by_role("button", name="Send feedback").click()
    page.get_by_text("Feedback sent").wait_for()
    check(page, "7-jcw-feedback")
    context.close()


def step_8_dashboard(browser, live_server):
    context, page = as_user(browser, live_server, "harper.grant@example.com")
    page.get_by_role("link", name="Dashboard").first.click()
    page.get_by_role("heading", name="Dashboard", level=1).wait_for()
    check(page, "8-dashboard")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.get_by_role("heading", name="At a glance").evaluate("heading => heading.scrollIntoView()")
    page.screenshot(path=str(SCREENSHOTS / "pathway-8-dashboard-at-a-glance.png"))
    numbers = dict(
        zip(
            page.locator(".cc-big-number__label").all_inner_texts(),
            page.locator(".cc-big-number__value").all_inner_texts(),
            strict=True,
        )
    )
    context.close()
    return numbers


def test_the_whole_pathway(browser, live_server, people, tmp_path):
    from complexcases.celery import app

    app.conf.task_always_eager = (
        True  # uploads, emails: the worker paths are tested in tests/*/test_tasks.py
    )
    try:
        step_1_upload_and_list(browser, live_server, tmp_path)
        step_2_conversation_and_triage_request(browser, live_server)
        step_3_triage_refers_to_panel(browser, live_server)
        step_4_panel(browser, live_server, people, tmp_path)
        step_5_action_completed(browser, live_server)
        step_6_follow_up(browser, live_server)
        step_7_joint_case_work(browser, live_server)
        numbers = step_8_dashboard(browser, live_server)
    finally:
        app.conf.task_always_eager = False
    assert PanelAction.objects.get().status == "done"
    assert (
        FollowUp.objects.get(number=1).early_outcomes.get().name
        == "Approved premises place secured"
    )
    assert JcwContact.objects.get().contact_type == "direct"
    assert JcwFeedback.objects.count() == 1
    # The head of service sees the case at every stage of the pathway.
    assert numbers["People listed"] == "1"
    assert numbers["Triage requests"] == "1"
    assert numbers["Cases heard at panel"] == "1"
