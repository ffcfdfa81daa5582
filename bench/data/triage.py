"""Triage requests, meetings and outcomes in proportion: one request per conversation that asked for one.

Older months' requests are closed (mostly with an outcome, some withdrawn or cancelled);
the latest month's are open, at every stage.
"""

from django.db import connection

from complexcases.organisation.roles import Role

from . import Context
from .cases import open_case_columns


def generate(context: Context) -> None:
    programme_managers = context.ids["national"][Role.PROGRAMME_MANAGER]
    latest = context.months[-2]  # the newest month with a list
    open_case_columns()  # the cases step groups the requests and bookings into cases
    with connection.cursor() as cursor:
        cursor.execute("SELECT setseed(0.1005)")
        cursor.execute(
            """
            INSERT INTO triage_triagerequest (requester_role, blockers, tried, support_sought, urgent,
                below_threshold_reason, status, closed_reason, requested_at, updated_at, assigned_to_id,
                person_id, requested_by_id)
            SELECT 'practitioner', 'Engagement has broken down and housing keeps failing. (Synthetic.)',
                'Extra contact, a referral to approved premises. (Synthetic.)',
                'Ideas from the Complex Cases team. (Synthetic.)', random() < 0.1, '',
                CASE WHEN c.held_on < %(latest)s THEN
                    (ARRAY['outcome_recorded','outcome_recorded','outcome_recorded','outcome_recorded',
                           'outcome_recorded','outcome_recorded','outcome_recorded','outcome_recorded',
                           'withdrawn','cancelled'])[1 + floor(random() * 10)::int]
                ELSE (ARRAY['requested','scheduled','held'])[1 + floor(random() * 3)::int] END,
                '', c.held_on + interval '3 days 9 hours', c.held_on + interval '3 days 9 hours',
                (%(managers)s::bigint[])[1 + floor(random() * cardinality(%(managers)s::bigint[]))::int],
                c.person_id, c.recorded_by_id
            FROM screening_reflectiveconversation c
            WHERE c.outcome = 'will_request_triage'
            """,
            {"latest": latest, "managers": programme_managers},
        )
        requests = cursor.rowcount
        cursor.execute(
            """
            INSERT INTO triage_triagemeeting (starts_at, duration_minutes, calendar_uid, sequence,
                cancelled_at, scheduled_by_id, request_id, reschedule_reason)
            SELECT r.requested_at + interval '6 days 1 hour', 45, gen_random_uuid(), 0,
                CASE WHEN r.status = 'cancelled' THEN r.requested_at + interval '5 days' END,
                r.assigned_to_id, r.id, ''
            FROM triage_triagerequest r
            WHERE r.status IN ('scheduled', 'held', 'outcome_recorded', 'cancelled')
            """
        )
        meetings = cursor.rowcount
        cursor.execute(
            """
            INSERT INTO triage_triageinvitee (name, email, role, attended, user_id, meeting_id)
            SELECT '', '', 'Probation practitioner',
                CASE WHEN r.status IN ('held', 'outcome_recorded') THEN true END, r.requested_by_id, m.id
            FROM triage_triagemeeting m JOIN triage_triagerequest r ON r.id = m.request_id
            """
        )
        cursor.execute(
            """
            INSERT INTO triage_triagerecord (guidance, outcome, panel_ask, redirect_to, redirect_reason,
                notes, recorded_at, recorded_by_id, request_id)
            SELECT 'Agree a single point of contact and review housing weekly. (Synthetic.)', o.outcome,
                CASE WHEN o.outcome = 'refer_to_panel' THEN 'Help with a stuck housing plan. (Synthetic.)' ELSE '' END,
                CASE WHEN o.outcome = 'redirect' THEN 'opd_consultation' ELSE '' END,
                CASE WHEN o.outcome = 'redirect' THEN 'OPD consultation fits better. (Synthetic.)' ELSE '' END,
                '', r.requested_at + interval '7 days', r.assigned_to_id, r.id
            FROM triage_triagerequest r
            CROSS JOIN LATERAL (SELECT (ARRAY['closed_with_guidance','closed_with_guidance',
                'closed_with_guidance','closed_with_guidance','closed_with_guidance','refer_to_panel',
                'refer_to_panel','refer_to_panel','redirect','redirect'])[1 + floor(random() * 10)::int]
                AS outcome, r.id AS rid) o
            WHERE r.status = 'outcome_recorded'
            """
        )
        records = cursor.rowcount
        cursor.execute(
            """
            WITH blocker AS (
                INSERT INTO triage_triageblocker (description, position, record_id)
                SELECT d.description, d.position, t.id
                FROM triage_triagerecord t
                CROSS JOIN (VALUES ('Housing keeps breaking down', 0), ('Missed appointments', 1)) AS d(description, position)
                RETURNING id
            )
            INSERT INTO triage_triageblocker_themes (triageblocker_id, theme_id)
            SELECT b.id, (SELECT id FROM triage_theme ORDER BY position LIMIT 1 OFFSET mod(b.id, 10))
            FROM blocker b
            """
        )
    context.counts.update(
        triage_requests=requests, triage_meetings=meetings, triage_records=records
    )
