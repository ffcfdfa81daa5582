"""Property-based: no input makes a server error or a partial write (hypothesis)."""

import contextlib
import csv
import io

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from complexcases.core.csvimport import ImportRejected
from complexcases.core.models import AccessLogEntry
from complexcases.organisation.models import ProbationDeliveryUnit
from complexcases.organisation.roles import Role
from complexcases.organisation.services import organisation_import
from complexcases.people.models import Person
from complexcases.screening.extract import EXTRACT_COLUMNS
from complexcases.screening.models import (
    Extract,
    PathwayOverride,
    ReflectiveConversation,
    Screening,
)
from complexcases.screening.services import extract_import
from tests.auth import sign_in_verified
from tests.factories import UserFactory
from tests.screening.builders import BASE_ROW
from triage.models import TriageRecord, TriageRequest

SETTINGS = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40)
# Values near the edges of what the extract allows, plus anything at all.
cell = st.one_of(
    text,
    st.sampled_from(["", "Y", "y", "N", "n", "0", "1", "2", "3", "IPP", "high", "very_high", "custody",
                     "2026-02-30", "2026-10-01", "X123456", "x12345", "=1+1", "NORTHANTS", " "]),
)  # fmt: skip


def counts():
    return tuple(model.objects.count() for model in (Extract, Person, Screening, AccessLogEntry))


@pytest.mark.django_db
@SETTINGS
@given(
    rows=st.lists(
        st.fixed_dictionaries({column: cell for column in EXTRACT_COLUMNS}), min_size=1, max_size=4
    ),
    mutate=st.lists(st.sampled_from(EXTRACT_COLUMNS), max_size=3),
)
def test_the_extract_import_lands_whole_or_not_at_all(pdus, rows, mutate):
    # Half the cells from a valid row, the rest random, so both outcomes are exercised.
    rows = [
        {**BASE_ROW, **{c: r[c] for c in mutate}, "crn": BASE_ROW["crn"][:-1] + str(i)}
        for i, r in enumerate(rows)
    ]
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=EXTRACT_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    with transaction.atomic():
        before = counts()
        try:
            result = extract_import(
                source=out.getvalue().encode(), filename="x.csv", imported_by=None
            )
        except ImportRejected as rejected:
            # Either outcome is allowed; each has its own property.
            assert rejected.problems  # noqa: PT017
            assert counts() == before  # nothing written
        else:
            assert Screening.objects.filter(extract=result.extract).count() == len(rows)
        transaction.set_rollback(True)


@pytest.mark.django_db
@SETTINGS
@given(data=st.binary(max_size=300))
@example(data=b"\r\x00")  # found by CI: the fast path's header reading raised csv.Error
def test_any_bytes_are_rejected_cleanly_not_crashed(pdus, data):
    with transaction.atomic():
        with contextlib.suppress(ImportRejected):  # anything else (a crash) fails the test
            extract_import(source=data, filename="x.csv", imported_by=None)
        transaction.set_rollback(True)


FORM_FIELDS = st.dictionaries(
    st.sampled_from([
        "held_on_0", "held_on_1", "held_on_2", "spo", "notes", "outcome", "reason", "pom_name", "pom_contact",
        "version", "requester_role", "blockers", "tried", "support_sought", "urgent", "below_threshold_reason",
        "meeting_date_0", "meeting_date_1", "meeting_date_2", "meeting_time", "duration_minutes", "invitees",
        "guidance", "panel_ask", "redirect_to", "redirect_reason", "blocker_1", "blocker_1_themes", "attended",
        "month", "q", "code", "username", "password",
    ]),
    cell,
    max_size=10,
)  # fmt: skip


@pytest.mark.django_db
@SETTINGS
@given(data=FORM_FIELDS)
@example(data={"q": "\x00"})  # found by a fuzz run: a NUL in a search box reached a query
def test_no_form_post_makes_a_server_error_or_a_stray_row(triage_world, data):
    from tests.triage_fixtures import a_request

    with transaction.atomic():
        request = a_request(triage_world)
        rows_before = tuple(
            m.objects.count() for m in (ReflectiveConversation, PathwayOverride, TriageRecord)
        )
        priya = sign_in_verified(Client(), triage_world["priya"])
        manager = sign_in_verified(Client(), triage_world["manager"])
        for client, url in [
            (priya, reverse("people:reflective-conversation", args=["A000001"])),
            (priya, reverse("people:mark-for-pathway", args=["A000002"])),
            (priya, reverse("people:pom", args=["A000001"])),
            (priya, reverse("triage:request", args=["A000002"])),
            (priya, reverse("triage:withdraw", args=[request.pk])),
            (priya, reverse("people:search")),
            (priya, reverse("screening:monthly-list")),
            (manager, reverse("triage:schedule", args=[request.pk])),
            (manager, reverse("triage:outcome", args=[request.pk])),
            (manager, reverse("screening:generate")),
            (Client(), reverse("login")),
        ]:
            response = client.post(url, data)  # a server error would raise here
            assert response.status_code < 500, url
        if not (data.get("notes") and data.get("outcome")):
            assert ReflectiveConversation.objects.count() == rows_before[0]
        assert (
            TriageRecord.objects.count() == rows_before[2]
        )  # the request is not held: never recorded
        assert TriageRequest.objects.filter(pk=request.pk).exists()
        transaction.set_rollback(True)


QUERY_VALUES = st.one_of(
    cell,
    st.sampled_from(["-1", "0", "13", "99999", "9" * 30, "1e3", "2026", "2025", "1", "custom", "12", "this-month",
                     "all", "team", "past", "done", "overdue", "EOE", "ESSEXN", "A000001", "/", "//evil.example"]),
)  # fmt: skip
QUERY_STRINGS = st.dictionaries(
    st.sampled_from([
        "region", "pdu", "period", "from_month", "from_year", "to_month", "to_year", "page", "tab", "order",
        "scope", "show", "figure", "theme", "crn", "redact", "month", "status", "sort", "clear", "next", "reason",
        "criteria", "listed", "team", "practitioner", "ordering", "q", "email",
    ]),
    QUERY_VALUES,
    max_size=6,
)  # fmt: skip
PAGES = [
    "home", "screening:monthly-list", "reporting:dashboard", "reporting:dashboard-csv",
    "reporting:monthly-report", "reporting:monthly-report-csv", "reporting:learning-log", "triage:queue",
    "panel:sessions", "panel:ready", "panel:my-actions", "panel:follow-ups", "jcw:caseload", "jcw:counts",
    "jcw:counts-csv", "access-log", "subject-access", "organisation:staff-list", "login",
    "organisation:role-changes",
]  # fmt: skip


@pytest.fixture
def query_clients(triage_world, system_admin_user) -> list[Client]:
    """A practitioner, a programme manager, a system administrator and the DPO."""
    dpo = UserFactory(roles=[Role.DATA_PROTECTION_OFFICER])
    return [
        sign_in_verified(Client(), user)
        for user in (triage_world["priya"], triage_world["manager"], system_admin_user, dpo)
    ]


def test_every_page_fuzzed_below_opens_for_one_of_its_users(query_clients):
    """So that the fuzzing reaches each view, not a refusal."""
    clients = query_clients
    for url in PAGES:
        statuses = [client.get(reverse(url)).status_code for client in clients]
        assert 200 in statuses or url == "login", (url, statuses)


@pytest.mark.django_db
@SETTINGS
@given(query=QUERY_STRINGS)
@example(query={"period": "custom", "from_year": "9" * 30, "to_year": "0"})
@example(query={"page": "9" * 30})
def test_no_query_string_makes_a_server_error(query_clients, query):
    """Every list, dashboard and export reads its filters from the query string."""
    for url in PAGES:
        for client in query_clients:
            response = client.get(reverse(url), query)
            assert response.status_code < 500, (url, query)


ORGANISATION_ROWS = st.lists(
    st.tuples(
        st.one_of(cell, st.sampled_from(["EOE", "LDN", "eoe"])),
        st.one_of(cell, st.sampled_from(["East of England", "London"])),
        st.one_of(cell, st.sampled_from(["NORTHANTS", "CAMBS", "LDNC", "cambs"])),
        st.one_of(cell, st.sampled_from(["Northamptonshire", "Cambridge"])),
    ),
    max_size=6,
)


@pytest.mark.django_db
@SETTINGS
@given(rows=ORGANISATION_ROWS, junk=st.binary(max_size=60))
@example(rows=[("EOE", "East of England", "X\x00", "N")], junk=b"")
def test_an_organisation_file_is_imported_or_rejected_whole(pdus, rows, junk):
    """What lands is exactly the file's PDUs, or nothing at all, whatever the file holds."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["region_code", "region_name", "pdu_code", "pdu_name"])
    writer.writerows(rows)
    data = out.getvalue().encode() + junk
    with transaction.atomic():
        before = list(
            ProbationDeliveryUnit.objects.order_by("code").values_list(
                "code", "name", "region__code"
            )
        )
        try:
            result = organisation_import(source=data)
        except ImportRejected as rejected:
            assert rejected.problems  # noqa: PT017
            after = ProbationDeliveryUnit.objects.order_by("code").values_list(
                "code", "name", "region__code"
            )
            assert list(after) == before  # nothing written
        else:
            assert ProbationDeliveryUnit.objects.count() == len(before) + result.pdus_created
        transaction.set_rollback(True)
