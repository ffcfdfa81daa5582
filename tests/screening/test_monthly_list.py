"""The monthly list: statuses, idempotence under reruns and concurrency, emails and export."""

import threading
from datetime import date

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection

from complexcases.organisation.roles import Role
from complexcases.screening.models import MonthlyList, MonthlyListEntry
from complexcases.screening.services import (
    ScreeningError,
    monthly_list_generate,
)
from tests.factories import UserFactory
from tests.screening.builders import SIX_CRITERIA, extract_csv, row

pytestmark = pytest.mark.django_db


def import_rows(rows):
    from complexcases.screening.services import extract_import

    return extract_import(source=extract_csv(rows), filename="e.csv", imported_by=None)


def entries(month: date) -> dict[str, str]:
    return dict(
        MonthlyListEntry.objects.filter(monthly_list__month=month).values_list(
            "person__crn", "status"
        )
    )


OCTOBER, NOVEMBER = date(2026, 10, 1), date(2026, 11, 1)


def test_the_threshold_is_six_by_default_and_a_setting(pdus, settings):
    five = {**SIX_CRITERIA, "opd_screened_in": "N"}
    import_rows([row(crn="X000006", **SIX_CRITERIA), row(crn="X000005", **five)])
    monthly_list_generate(month=OCTOBER)
    assert entries(OCTOBER) == {"X000006": "new"}

    settings.SCREENING_THRESHOLD = 5
    MonthlyList.objects.all().delete()
    run = monthly_list_generate(month=OCTOBER)
    assert entries(OCTOBER) == {"X000006": "new", "X000005": "new"}
    assert {m.threshold for m in run.created} == {5}


def test_new_listed_again_and_no_longer_listed(pdus):
    import_rows(
        [row(crn="X000001", **SIX_CRITERIA), row(crn="X000002", **SIX_CRITERIA), row(crn="X000003")]
    )
    monthly_list_generate(month=OCTOBER)
    import_rows(
        [
            row(extract_date="2026-11-01", crn="X000001", **SIX_CRITERIA),
            row(extract_date="2026-11-01", crn="X000002"),
            row(extract_date="2026-11-01", crn="X000003", **SIX_CRITERIA),
        ]
    )
    run = monthly_list_generate(month=NOVEMBER)
    assert run.extract.extract_date == NOVEMBER
    assert entries(NOVEMBER) == {
        "X000001": "listed_again",
        "X000002": "no_longer_listed",
        "X000003": "new",
    }
    dropped = MonthlyListEntry.objects.get(monthly_list__month=NOVEMBER, person__crn="X000002")
    assert dropped.screening.criteria_met_count == 0  # the evidence for leaving is kept


def test_lists_are_per_pdu(pdus):
    import_rows(
        [row(crn="X000001", **SIX_CRITERIA), row(crn="X000002", pdu_code="CAMBS", **SIX_CRITERIA)]
    )
    run = monthly_list_generate(month=OCTOBER)
    assert len(run.created) == 4  # every active PDU gets a list, empty or not
    by_pdu = dict(MonthlyListEntry.objects.values_list("person__crn", "monthly_list__pdu__code"))
    assert by_pdu == {"X000001": "NORTHANTS", "X000002": "CAMBS"}


def test_a_rerun_changes_nothing(pdus):
    import_rows([row(crn="X000001", **SIX_CRITERIA)])
    first = monthly_list_generate(month=OCTOBER)
    rows_before = list(
        MonthlyListEntry.objects.order_by("pk").values_list("pk", "person_id", "status")
    )
    second = monthly_list_generate(
        month=date(2026, 10, 17)
    )  # any day of the month means that month
    assert len(first.created) == 4
    assert second.created == []
    assert second.already_generated == 4
    assert (
        list(MonthlyListEntry.objects.order_by("pk").values_list("pk", "person_id", "status"))
        == rows_before
    )


def test_no_extract_yet_is_a_clear_error(pdus):
    with pytest.raises(
        ScreeningError, match="No extract dated on or before 31 October 2026 has been imported"
    ):
        monthly_list_generate(month=OCTOBER)


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_runs_leave_exactly_one_set_of_rows(pdus):
    import_rows([row(crn=f"X{n:06d}", **SIX_CRITERIA) for n in range(1, 200)])
    barrier = threading.Barrier(2)
    outcomes = []

    def run():
        try:
            barrier.wait()
            outcomes.append(len(monthly_list_generate(month=OCTOBER).created))
        except Exception as error:
            outcomes.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sorted(outcomes) == [0, 4]
    assert MonthlyList.objects.count() == 4
    assert MonthlyListEntry.objects.count() == 199


def test_list_ready_email_goes_to_the_pdus_spos_and_heads_with_counts_only(
    pdus, django_capture_on_commit_callbacks
):
    from complexcases.celery import app
    from complexcases.core.models import EmailDelivery

    spo = UserFactory(
        pdu=pdus["NORTHANTS"], email="spo.north@example.com", roles=[Role.SENIOR_PROBATION_OFFICER]
    )
    head = UserFactory(
        pdu=pdus["NORTHANTS"], email="head.north@example.com", roles=[Role.HEAD_OF_SERVICE]
    )
    UserFactory(
        pdu=pdus["CAMBS"], email="spo.cambs@example.com", roles=[Role.SENIOR_PROBATION_OFFICER]
    )
    UserFactory(
        pdu=pdus["NORTHANTS"],
        email="gone@example.com",
        is_active=False,
        roles=[Role.SENIOR_PROBATION_OFFICER],
    )
    import_rows(
        [row(crn="X000001", surname="Zebedee", **SIX_CRITERIA), row(crn="X000002", **SIX_CRITERIA)]
    )
    app.conf.task_always_eager = True
    try:
        with django_capture_on_commit_callbacks(execute=True):
            monthly_list_generate(month=OCTOBER)
    finally:
        app.conf.task_always_eager = False
    # Queued with the lists, in their transaction, and sent after commit: one email each.
    assert sorted(
        EmailDelivery.objects.filter(template="monthly-list-ready").values_list(
            "recipient", "status"
        )
    ) == sorted([(head.email, "sent"), (spo.email, "sent"), ("spo.cambs@example.com", "sent")])
    north = [m for m in mail.outbox if {spo.email, head.email} & set(m.to)]
    assert sorted(address for m in north for address in m.to) == sorted([spo.email, head.email])
    email = north[0]
    assert north[1].body == email.body
    assert email.subject == "Complex cases list for October 2026 is ready: Northamptonshire"
    assert "New this month: 2" in email.body
    assert "/cases/?month=2026-10&pdu=NORTHANTS" in email.body
    for personal in ("X000001", "X000002", "Zebedee", "Example"):
        assert personal not in email.body
        assert personal not in email.subject


def test_generating_queues_the_emails_after_commit(
    pdus, django_capture_on_commit_callbacks, settings
):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    from complexcases.celery import app

    app.conf.task_always_eager = True
    try:
        UserFactory(pdu=pdus["NORTHANTS"], roles=[Role.SENIOR_PROBATION_OFFICER])
        import_rows([row(**SIX_CRITERIA)])
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            monthly_list_generate(month=OCTOBER)
        assert len(callbacks) == 1  # the one email's hand-over to the broker
        assert len(mail.outbox) == 1  # only Northamptonshire has anyone to tell
    finally:
        app.conf.task_always_eager = False


def test_the_generate_command_runs_a_month(pdus, capsys):
    import_rows([row(**SIX_CRITERIA)])
    call_command("generate_monthly_list", "--month", "2026-10")
    call_command("generate_monthly_list", "--month", "2026-10")
    out = capsys.readouterr().out
    assert (
        "October 2026: 4 PDU lists generated from the extract as at 2026-10-01; 0 already existed."
        in out
    )
    assert (
        "October 2026: 0 PDU lists generated from the extract as at 2026-10-01; 4 already existed."
        in out
    )


def test_export_writes_csv_safe_for_spreadsheets(pdus, capsys):
    import_rows(
        [
            row(crn="X000001", **SIX_CRITERIA),
            row(
                crn="X000002", surname='=HYPERLINK("http://evil")', pdu_code="CAMBS", **SIX_CRITERIA
            ),
        ]
    )
    monthly_list_generate(month=OCTOBER)
    call_command("export_monthly_list", "--month", "2026-10")
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "month,pdu_code,crn,criteria_met_count,criteria_met,status"
    assert lines[1:] == [
        "2026-10,CAMBS,X000002,6,1;2;3;4;5;6,new",
        "2026-10,NORTHANTS,X000001,6,1;2;3;4;5;6,new",
    ]
    from complexcases.core.models import AccessLogEntry

    assert (
        AccessLogEntry.objects.filter(
            action="disclosure", record_type="monthly list export"
        ).count()
        == 2
    )


def test_spreadsheet_formulas_are_neutralised():
    from complexcases.core.export import spreadsheet_safe

    assert spreadsheet_safe("=1+1") == "'=1+1"
    assert spreadsheet_safe("+44") == "'+44"
    assert spreadsheet_safe("-2") == "'-2"
    assert spreadsheet_safe("@SUM(A1)") == "'@SUM(A1)"
    assert spreadsheet_safe("X000001") == "X000001"


def test_beat_runs_the_list_at_7am_london_time_on_the_first(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["monthly-list"]
    assert entry["task"] == "complexcases.screening.tasks.generate_monthly_list"
    schedule = entry["schedule"]
    assert (schedule.minute, schedule.hour, schedule.day_of_month) == ({0}, {7}, {1})
    assert settings.CELERY_TIMEZONE == "Europe/London"


def test_a_person_who_moves_pdu_is_listed_again_not_new(pdus):
    import_rows([row(crn="X000001", **SIX_CRITERIA)])
    monthly_list_generate(month=OCTOBER)
    import_rows([row(extract_date="2026-11-01", crn="X000001", pdu_code="CAMBS", **SIX_CRITERIA)])
    monthly_list_generate(month=NOVEMBER)
    moves = dict(
        MonthlyListEntry.objects.filter(monthly_list__month=NOVEMBER).values_list(
            "monthly_list__pdu__code", "status"
        )
    )
    assert moves == {"NORTHANTS": "no_longer_listed", "CAMBS": "listed_again"}
    from complexcases.people.models import Person
    from complexcases.screening.selectors import current_list_entry

    assert current_list_entry(Person.objects.get()).status == "listed_again"


def test_an_override_is_refused_for_a_listed_person_and_once_per_extract(pdus):
    from complexcases.people.models import Person
    from complexcases.screening.services import pathway_override_record

    import_rows([row(crn="X000001", **SIX_CRITERIA), row(crn="X000002")])
    monthly_list_generate(month=OCTOBER)
    marker = UserFactory()
    with pytest.raises(ScreeningError, match="on this month's list"):
        pathway_override_record(
            person=Person.objects.get(crn="X000001"), reason="x", marked_by=marker
        )
    pathway_override_record(
        person=Person.objects.get(crn="X000002"), reason="Gender identity", marked_by=marker
    )
    with pytest.raises(ScreeningError, match="already been marked"):
        pathway_override_record(
            person=Person.objects.get(crn="X000002"), reason="again", marked_by=marker
        )


def test_an_override_can_be_made_again_after_a_newer_extract_with_the_same_values(pdus):
    """Once per extract, not once per screening version: November repeats October's values
    (so one version), yet it is a new extract."""
    from datetime import UTC, datetime

    import time_machine

    from complexcases.people.models import Person
    from complexcases.screening.models import PathwayOverride, Screening
    from complexcases.screening.services import pathway_override_record

    import_rows([row(crn="X000002")])
    marker = UserFactory()
    with time_machine.travel(datetime(2026, 10, 15, 12, tzinfo=UTC)):
        pathway_override_record(
            person=Person.objects.get(crn="X000002"), reason="First", marked_by=marker
        )
    import_rows([row(crn="X000002", extract_date="2026-11-01")])
    assert Screening.objects.filter(person__crn="X000002").count() == 1
    pathway_override_record(
        person=Person.objects.get(crn="X000002"), reason="Second", marked_by=marker
    )
    assert list(PathwayOverride.objects.order_by("marked_at").values_list("reason", flat=True)) == [
        "First",
        "Second",
    ]
