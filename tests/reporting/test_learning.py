"""The learning log: recorded from a heard panel case, anonymised (no CRNs, dates of birth or
names), and open to every member of staff to browse and search."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse

from complexcases.core.models import AccessLogEntry
from complexcases.organisation.roles import Role
from complexcases.reporting.models import LearningEntry
from complexcases.reporting.services import LearningError, learning_entry_create
from complexcases.reporting.validators import contains_crn, contains_date_of_birth
from panel.models import PanelBooking
from tests.auth import sign_in_verified
from tests.factories import UserFactory
from tests.html import error_summary, h1, parse
from triage.models import Theme

pytestmark = pytest.mark.django_db

LOG = reverse("reporting:learning-log")
CHOOSE = reverse("reporting:learning-choose")


def add_url(booking) -> str:
    return reverse("reporting:learning-add", kwargs={"pk": booking.pk})


def housing() -> Theme:
    return Theme.objects.get(name="Housing or approved premises")


def entry_for(world, **changes) -> LearningEntry:
    arguments = {
        "booking": world.bookings["b1"],
        "blocker": "No approved premises place would accept a man with arson history.",
        "what_unblocked": "The head of PDU escalated to the regional AP manager.",
        "helped_by": "Regional approved premises referral unit",
        "themes": [housing()],
        "by": world.admin,
        **changes,
    }
    return learning_entry_create(**arguments)


def signed_in(user) -> Client:
    return sign_in_verified(Client(), user)


# What the check refuses ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "CRN X123456",
        "case x123456 discussed",
        "refX123456",
        "A000001",
        "Z9999999",
        "X 123456",
        "x-123456",
    ],
)
def test_crn_shaped_strings_are_found(text):
    assert contains_crn(text)


@pytest.mark.parametrize(
    "text", ["AP place found after 3 weeks", "Section 117 aftercare", "room 12"]
)
def test_ordinary_text_is_not_a_crn(text):
    assert not contains_crn(text)


@pytest.mark.parametrize(
    "text",
    [
        "born 03/04/1985",
        "03-04-1985",
        "1985-04-03",
        "3 April 1985",
        "3rd Apr 1985",
        "April 3, 1985",
        "dob unknown",
        "his date of birth",
        "4/5/85",
    ],
)
def test_dates_of_birth_are_found(text):
    assert contains_date_of_birth(text, today=date(2026, 9, 15))


@pytest.mark.parametrize(
    "text",
    ["panel on 3 September 2026", "due 2026-10-01", "since March 2021", "aged 40", "1 in 3 cases"],
)
def test_recent_dates_and_plain_numbers_are_not_dates_of_birth(text):
    assert not contains_date_of_birth(text, today=date(2026, 9, 15))


def test_a_crn_is_refused_by_the_service(world):
    with pytest.raises(ValidationError) as error:
        entry_for(world, blocker="Case X123456 had no AP place")
    assert "Remove the CRN" in error.value.message_dict["blocker"][0]
    assert not LearningEntry.objects.exists()


# Look-alikes: a zero-width space, a soft hyphen, a direction mark, fullwidth letters and
# digits, Arabic-Indic and Devanagari digits, a combining accent, a non-breaking space.
LOOK_ALIKE_CRNS = [
    "X12\u200b3456",
    "X\u00ad123456",
    "X123\u200e456",
    "\uff38\uff11\uff12\uff13\uff14\uff15\uff16",
    "X\u0661\u0662\u0663\u0664\u0665\u0666",
    "X\u0967\u0968\u0969\u096a\u096b\u096c",
    "X1\u030023456",
    "X\u00a0123456",
    "X\ufeff123456",
]


@pytest.mark.parametrize("text", LOOK_ALIKE_CRNS)
def test_a_crn_in_look_alike_characters_is_found(text):
    assert contains_crn(f"case {text} discussed")


@pytest.mark.parametrize("text", LOOK_ALIKE_CRNS)
def test_a_crn_in_look_alike_characters_is_refused_by_the_database(world, text):
    """The constraint normalises as the form does: no look-alike CRN is stored by any route."""
    with pytest.raises(IntegrityError), transaction.atomic():
        LearningEntry.objects.create(
            booking=world.bookings["b1"],
            region=world.pdus["NORTHANTS"].region,
            blocker="ok",
            what_unblocked=f"case {text}",
            helped_by="ok",
            created_by=world.admin,
        )


def test_ordinary_text_in_other_scripts_is_stored(world):
    """Accents, other scripts and short numbers still pass the database check."""
    entry = LearningEntry.objects.create(
        booking=world.bookings["b1"],
        region=world.pdus["NORTHANTS"].region,
        blocker="Café référral to the Łódź team, room ١٢",
        what_unblocked="Escalation to the regional AP manager",
        helped_by="Approved premises ２",
        created_by=world.admin,
    )
    assert entry.pk


def test_a_fullwidth_date_of_birth_is_refused(world):
    with pytest.raises(ValidationError) as error:
        entry_for(world, what_unblocked="Born ０１/０２/１９７９ in Leeds")
    assert "Remove the date of birth" in error.value.message_dict["what_unblocked"][0]


def test_a_name_with_a_zero_width_space_is_refused(world):
    person = world.bookings["b1"].person
    disguised = person.surname[:2] + "\u200b" + person.surname[2:]
    with pytest.raises(ValidationError) as error:
        entry_for(world, helped_by=f"{disguised}'s family")
    assert "Remove the name" in error.value.message_dict["helped_by"][0]


def test_a_crn_is_refused_by_the_database_too(world):
    """The check constraint stops a CRN arriving by any route that skips the form and service."""
    with pytest.raises(IntegrityError), transaction.atomic():
        LearningEntry.objects.create(
            booking=world.bookings["b1"],
            region=world.pdus["NORTHANTS"].region,
            blocker="ok",
            what_unblocked="ok",
            helped_by="Team for x123456",
            created_by=world.admin,
        )


def test_a_date_of_birth_is_refused(world):
    with pytest.raises(ValidationError) as error:
        entry_for(world, what_unblocked="Confirmed his DOB 01/02/1979 with the prison")
    assert "Remove the date of birth" in error.value.message_dict["what_unblocked"][0]


def test_the_persons_and_practitioners_names_are_refused(world):
    person = world.bookings["b1"].person
    with pytest.raises(ValidationError) as error:
        entry_for(world, helped_by=f"{person.surname}'s family")
    assert error.value.message_dict["helped_by"] == [
        f"Remove the name “{person.surname}”: the learning log must not identify anyone"
    ]
    practitioner = person.practitioner
    with pytest.raises(ValidationError):
        entry_for(world, blocker=f"{practitioner.last_name} had no support")


def test_learning_only_comes_from_a_heard_case(world):
    booking = world.bookings["b1"]
    PanelBooking.objects.filter(pk=booking.pk).update(status="booked")
    with pytest.raises(LearningError, match="heard at panel"):
        entry_for(world)


def test_recording_learning_keeps_its_region_themes_and_an_access_log_row(world):
    entry = entry_for(world)
    assert entry.region.code == "EOE"
    assert list(entry.themes.all()) == [housing()]
    log = AccessLogEntry.objects.get(record_type="learning entry")
    assert log.action == AccessLogEntry.Action.COLLECTION
    assert log.person_crn == world.bookings["b1"].person.crn
    assert log.user == world.admin


# The pages ------------------------------------------------------------------------------------


def test_the_case_administrator_records_learning_from_a_heard_case(world):
    client = signed_in(world.admin)
    choose = client.get(CHOOSE)
    assert choose.status_code == 200
    links = [a["href"] for a in parse(choose).select("a[href*='/learning-log/record/']")]
    assert add_url(world.bookings["b1"]) in links
    assert add_url(world.bookings["b2"]) in links
    page = client.get(add_url(world.bookings["b1"]))
    assert h1(page) == "Record learning from a panel case"
    response = client.post(
        add_url(world.bookings["b1"]),
        {
            "blocker": "No AP place for a man with arson history.",
            "what_unblocked": "Escalation to the regional AP manager.",
            "helped_by": "Regional AP referral unit",
            "themes": [housing().pk],
        },
    )
    assert response.status_code == 302
    assert response["Location"] == LOG
    entry = LearningEntry.objects.get()
    assert entry.created_by == world.admin
    assert entry.booking == world.bookings["b1"]
    log = client.get(LOG)
    assert "Learning added to the log" in log.content.decode()
    assert "Escalation to the regional AP manager." in log.content.decode()


@pytest.mark.parametrize("crn", ["X123456", "\uff38\uff11\uff12\uff13\uff14\uff15\uff16"])
def test_a_crn_in_the_form_is_an_error_that_keeps_what_was_typed(world, crn):
    client = signed_in(world.admin)
    response = client.post(
        add_url(world.bookings["b1"]),
        {
            "blocker": f"{crn} had no AP place",
            "what_unblocked": "Escalation",
            "helped_by": "Regional AP referral unit",
            "themes": [housing().pk],
        },
    )
    assert response.status_code == 200
    assert error_summary(response) == [
        "Remove the CRN (one letter and six digits, like X123456): the learning log must not identify anyone"
    ]
    assert "Escalation" in response.content.decode()
    assert not LearningEntry.objects.exists()


def test_the_persons_name_in_the_form_is_an_error(world):
    person = world.bookings["b1"].person
    response = signed_in(world.admin).post(
        add_url(world.bookings["b1"]),
        {
            "blocker": "No AP place",
            "what_unblocked": f"Talking to {person.surname} directly",
            "helped_by": "Regional AP referral unit",
            "themes": [housing().pk],
        },
    )
    assert error_summary(response) == [
        f"Remove the name “{person.surname}”: the learning log must not identify anyone"
    ]


def test_a_form_with_nothing_in_it_says_what_to_enter(world):
    response = signed_in(world.admin).post(add_url(world.bookings["b1"]), {})
    assert error_summary(response) == [
        "Enter what the blocker was",
        "Enter what unblocked it",
        "Enter the service or contact that helped",
        "Select at least one theme",
    ]


def test_a_case_not_heard_yet_sends_you_back_with_a_message(world):
    booking = world.bookings["b1"]
    PanelBooking.objects.filter(pk=booking.pk).update(status="booked")
    client = signed_in(world.admin)
    response = client.get(add_url(booking))
    assert response["Location"] == CHOOSE
    assert "heard at panel" in client.get(CHOOSE).content.decode()


@pytest.mark.parametrize(
    "role",
    [
        Role.PROBATION_PRACTITIONER,
        Role.HEAD_OF_SERVICE,
        Role.QUALITY_DEVELOPMENT_OFFICER,
    ],
)
def test_only_the_case_administrator_and_programme_manager_record_learning(world, role):
    client = signed_in(UserFactory(pdu=world.pdus["NORTHANTS"], roles=[role]))
    assert client.get(CHOOSE).status_code == 403
    assert client.get(add_url(world.bookings["b1"])).status_code == 403
    assert client.post(add_url(world.bookings["b1"]), {}).status_code == 403


def test_a_case_that_does_not_exist_is_not_found(world):
    assert (
        signed_in(world.admin)
        .get(reverse("reporting:learning-add", kwargs={"pk": 999999}))
        .status_code
        == 404
    )


@pytest.mark.parametrize("role", Role.ALL)
def test_every_member_of_staff_can_read_the_log(world, role):
    entry_for(world)
    client = signed_in(UserFactory(roles=[role], is_staff=role == Role.SYSTEM_ADMINISTRATOR))
    response = client.get(LOG)
    assert response.status_code == 200
    assert "Regional approved premises referral unit" in response.content.decode()
    # The log never shows or links the case it came from.
    assert world.bookings["b1"].person.crn not in response.content.decode()
    assert "/panel/" not in "".join(a["href"] for a in parse(response).select("main a"))


def test_browse_by_theme_and_region_and_search(world):
    entry_for(world)
    entry_for(
        world,
        booking=world.bookings["b2"],
        blocker="Staff were misgendering the person in letters.",
        what_unblocked="Equalities training and a case note template.",
        helped_by="Equalities manager",
        themes=[Theme.objects.get(name="Gender identity")],
    )
    client = signed_in(world.users["pa"])
    gender = Theme.objects.get(name="Gender identity")
    by_theme = client.get(f"{LOG}?theme={gender.pk}")
    assert "Equalities manager" in by_theme.content.decode()
    assert "Regional approved premises referral unit" not in by_theme.content.decode()
    assert "2 entries" in client.get(f"{LOG}?region=EOE").content.decode()
    assert "0 entries" in client.get(f"{LOG}?region=LDN").content.decode()
    found = client.post(LOG, {"q": "template"})
    assert "1 entry matching “template”" in found.content.decode()
    assert "Equalities manager" in found.content.decode()
    assert error_summary(client.post(LOG, {"q": ""})) == ["Enter words to search for"]


def test_a_panel_member_records_learning_only_from_a_case_they_chaired(world):
    from panel.models import PanelInvitee, PanelRole

    booking = world.bookings["b1"]
    member = UserFactory(pdu=world.pdus["NORTHANTS"], roles=[Role.PANEL_MEMBER])
    client = signed_in(member)
    assert client.get(add_url(booking)).status_code == 404  # not invited: not theirs to see
    seat = PanelInvitee.objects.create(
        booking=booking, role=PanelRole.objects.get(code="other"), user=member
    )
    assert client.get(add_url(booking))["Location"] == "/learning-log/"  # invited, not the chair
    seat.role = PanelRole.objects.get(code="chair")
    seat.save()
    assert client.get(add_url(booking)).status_code == 200
    assert "heard at panel" in client.get(CHOOSE).content.decode()
