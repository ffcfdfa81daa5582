"""Each month's list through the real job, reflective conversations, and the access log's collection rows."""

from django.db import connection

from complexcases.screening.tasks import generate_monthly_list

from . import Context


def generate(context: Context) -> None:
    # Every month's list but the newest: making that one is the monthly list benchmark.
    for month in context.months[:-1]:
        # As Celery runs it (the benchmark settings run tasks in-process).
        generate_monthly_list.apply(args=[f"{month:%Y-%m}"]).get()
    with connection.cursor() as cursor:
        cursor.execute("SELECT setseed(0.1004)")
        # Most listed cases get their reflective conversation a week into the month.
        cursor.execute(
            """
            INSERT INTO screening_reflectiveconversation
                (held_on, notes, outcome, recorded_at, entry_id, person_id, recorded_by_id, spo_id)
            SELECT l.month + 7, 'Talked through risks, engagement and what has been tried. (Synthetic.)',
                CASE WHEN random() < 0.3 THEN 'will_request_triage' ELSE 'no_further_support' END,
                l.month + interval '7 days 10 hours', e.id, e.person_id, p.practitioner_id,
                coalesce(u.line_manager_id, p.practitioner_id)
            FROM screening_monthlylistentry e
            JOIN screening_monthlylist l ON l.id = e.monthly_list_id
            JOIN people_person p ON p.id = e.person_id
            JOIN organisation_user u ON u.id = p.practitioner_id
            WHERE e.status <> 'no_longer_listed' AND random() < 0.7
            """
        )
        conversations = cursor.rowcount
        # The import logs a collection row per new screening version (ADR 0018).
        cursor.execute(
            """
            INSERT INTO core_accesslogentry
                (at, user_id, person_id, person_crn, record_type, record_id, action, detail, recipient, request_id)
            SELECT s.as_at + interval '8 hours', NULL, s.person_id, p.crn, 'screening', s.id::text, 'collection',
                'Imported in extract as at ' || s.as_at, '', '-'
            FROM screening_screening s JOIN people_person p ON p.id = s.person_id
            """
        )
        collections = cursor.rowcount
        cursor.execute(
            "SELECT count(*) FROM screening_monthlylistentry e JOIN screening_monthlylist l"
            " ON l.id = e.monthly_list_id WHERE l.month = %s AND e.status <> 'no_longer_listed'",
            [context.months[-2]],
        )
        listed = cursor.fetchone()[0]
    context.counts.update(
        listed_latest_month=listed,
        reflective_conversations=conversations,
        access_log_rows=collections,
    )
