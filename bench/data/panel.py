"""Panel sessions, bookings, minutes, actions and follow-ups, in proportion to triage referrals.

One or two sessions per region per month (four 45-minute slots each), from the first month
with an extract to two months ahead. Triage records that refer to panel are booked into
their region's slots a few weeks after the outcome, as far as the slots go (about a third
at national scale): past ones mostly heard (invitees' attendance, final minutes, three
actions, a follow-up), some cancelled; future ones booked. Everything is set-wise SQL.
"""

from django.db import connection

from complexcases.organisation.roles import Role

from . import Context

LONDON = "Europe/London"


def generate(context: Context) -> None:
    national = context.ids["national"]
    administrators = national[Role.CASE_ADMINISTRATOR]
    members = national[Role.PANEL_MEMBER]
    qdos = national[Role.QUALITY_DEVELOPMENT_OFFICER]
    first, last = context.months[0], context.next_month
    with connection.cursor() as cursor:
        cursor.execute("SELECT setseed(0.2005)")
        # Sessions: the second Tuesday-ish (day 8) of every month, and the fourth (day 22)
        # in every other month per region; papers out five days before the past ones.
        cursor.execute(
            """
            INSERT INTO panel_panelsession (region_id, pattern_id, pattern_month, starts_at, status,
                change_reason, papers_released_at, created_by_id, updated_at)
            SELECT g.region_id, NULL, NULL, g.starts_at, 'scheduled', '',
                CASE WHEN g.starts_at < now() THEN g.starts_at - interval '5 days' END,
                (%(admins)s::bigint[])[1 + mod(g.region_id, cardinality(%(admins)s::bigint[]))],
                now()
            FROM (
                SELECT r.id AS region_id,
                    ((m + d.day * interval '1 day' + interval '10 hours')::timestamp
                        AT TIME ZONE %(tz)s) AS starts_at
                FROM organisation_region r
                CROSS JOIN generate_series(%(first)s::timestamp,
                    %(last)s::timestamp + interval '2 months', interval '1 month') AS m
                CROSS JOIN (VALUES (7), (21)) AS d(day)
                WHERE d.day = 7 OR mod(r.id + extract(month FROM m)::int, 2) = 0
            ) g
            ORDER BY g.starts_at, g.region_id
            """,
            {"admins": administrators, "tz": LONDON, "first": first, "last": last},
        )
        sessions = cursor.rowcount
        cursor.execute(
            """
            INSERT INTO panel_panelslot (session_id, position, starts_at, duration_minutes)
            SELECT s.id, p, s.starts_at + (p - 1) * interval '45 minutes', 45
            FROM panel_panelsession s CROSS JOIN generate_series(1, 4) AS p
            ORDER BY s.id, p
            """
        )
        slots = cursor.rowcount
        # Bookings: each referral wants a panel 2 to 10 weeks after its outcome; within a
        # region and month the earliest referrals take the slots in order.
        cursor.execute(
            """
            WITH referral AS (
                SELECT t.id AS record_id, r.person_id, pdu.region_id, t.recorded_at,
                    CASE WHEN t.recorded_at > (SELECT max(recorded_at) - interval '60 days'
                            FROM triage_triagerecord WHERE outcome = 'refer_to_panel')
                        -- The newest referrals wait in the queue for this month's panels or next.
                        THEN (%(next)s::date + floor(random() * 2)::int * interval '1 month')::date
                        ELSE date_trunc('month', (t.recorded_at + (14 + floor(random() * 56)::int)
                            * interval '1 day') AT TIME ZONE %(tz)s)::date END AS month
                FROM triage_triagerecord t
                JOIN triage_triagerequest r ON r.id = t.request_id
                JOIN people_person p ON p.id = r.person_id
                JOIN organisation_probationdeliveryunit pdu ON pdu.id = p.pdu_id
                WHERE t.outcome = 'refer_to_panel'
            ), numbered AS (
                SELECT *, row_number() OVER (PARTITION BY region_id, month
                    ORDER BY recorded_at, record_id) AS n
                FROM referral
            ), slot AS (
                SELECT sl.id AS slot_id, sl.starts_at, s.region_id,
                    date_trunc('month', s.starts_at AT TIME ZONE %(tz)s)::date AS month,
                    row_number() OVER (PARTITION BY s.region_id,
                        date_trunc('month', s.starts_at AT TIME ZONE %(tz)s)
                        ORDER BY sl.starts_at, sl.id) AS n
                FROM panel_panelslot sl JOIN panel_panelsession s ON s.id = sl.session_id
            ), matched AS (
                SELECT slot.slot_id, slot.starts_at, numbered.person_id, numbered.record_id,
                    numbered.recorded_at,
                    CASE WHEN slot.starts_at < now()
                        THEN CASE WHEN random() < 0.06 THEN 'cancelled' ELSE 'heard' END
                        ELSE CASE WHEN random() < 0.08 THEN 'cancelled' ELSE 'booked' END
                    END AS status
                FROM numbered JOIN slot USING (region_id, month, n)
            ), deduplicated AS (
                -- One upcoming booking per person: a second one was cancelled.
                SELECT *, row_number() OVER (PARTITION BY person_id, status = 'booked'
                    ORDER BY starts_at) AS upcoming
                FROM matched
            )
            INSERT INTO panel_panelbooking (slot_id, person_id, triage_record_id, status,
                calendar_uid, sequence, invitations_sent_at, cancelled_reason, booked_by_id,
                booked_at, updated_at)
            SELECT d.slot_id, d.person_id, d.record_id, s.status, gen_random_uuid(),
                CASE WHEN s.status = 'cancelled' THEN 1 ELSE 0 END,
                CASE WHEN d.starts_at - interval '14 days' < now()
                    THEN d.starts_at - interval '14 days' END,
                CASE WHEN s.status = 'cancelled'
                    THEN 'The practitioner asked to present at a later panel. (Synthetic.)'
                    ELSE '' END,
                (%(admins)s::bigint[])[1 + mod(d.record_id, cardinality(%(admins)s::bigint[]))],
                least(d.recorded_at + interval '1 day', now()), now()
            FROM deduplicated d
            CROSS JOIN LATERAL (SELECT CASE WHEN d.status = 'booked' AND d.upcoming > 1
                THEN 'cancelled' ELSE d.status END AS status) s
            ORDER BY d.starts_at
            """,
            {"admins": administrators, "tz": LONDON, "next": last},
        )
        bookings = cursor.rowcount
        # Invitees: the ten core seats (panel members) and the practitioner presenting.
        cursor.execute(
            """
            INSERT INTO panel_panelinvitee (booking_id, role_id, user_id, name, organisation, email,
                suggested_because, deputy_user_id, deputy_name, deputy_email, invited_at,
                removed_at, attendance)
            SELECT b.id, ro.id,
                CASE WHEN ro.code = 'practitioner' THEN p.practitioner_id
                    ELSE (%(members)s::bigint[])[1 + mod(b.id + ro.k,
                        cardinality(%(members)s::bigint[]))] END,
                '', '', '',
                CASE WHEN ro.code = 'practitioner' THEN 'Holds the case' ELSE '' END,
                NULL,
                CASE WHEN a.attendance = 'deputy' THEN 'Deputy Member' ELSE '' END,
                CASE WHEN a.attendance = 'deputy' THEN 'deputy@example.com' ELSE '' END,
                b.invitations_sent_at, NULL, a.attendance
            FROM panel_panelbooking b
            JOIN people_person p ON p.id = b.person_id
            CROSS JOIN (SELECT id, code, row_number() OVER (ORDER BY position) AS k
                FROM panel_panelrole WHERE (core OR code = 'practitioner') AND disabled_on IS NULL) ro
            CROSS JOIN LATERAL (SELECT CASE WHEN b.status <> 'heard' THEN ''
                WHEN ro.code = 'practitioner' THEN 'attended'
                ELSE (ARRAY['attended','attended','attended','attended','attended','attended',
                    'attended','deputy','apologies','apologies'])[1 + mod(b.id * 7 + ro.k * 3, 10)]
                END AS attendance) a
            ORDER BY b.id, ro.k
            """,
            {"members": members},
        )
        invitees = cursor.rowcount
        cursor.execute(
            """
            INSERT INTO panel_panelminutes (booking_id, status, mappa_reminder_given, introductions,
                case_overview, questions_and_reflections, member_support, chair_summary,
                final_questions, version, updated_by_id, updated_at, finalised_at)
            SELECT b.id, 'final', true, 'Members introduced themselves. (Synthetic.)',
                'Housing has broken down three times since release. (Synthetic.)',
                'Members asked about engagement and what has worked before. (Synthetic.)',
                'Approved premises and mental health offered contacts. (Synthetic.)',
                'Agree a single point of contact; review housing weekly. (Synthetic.)', '', 1,
                b.booked_by_id, least(s.starts_at + interval '2 days', now()),
                least(s.starts_at + interval '2 days', now())
            FROM panel_panelbooking b JOIN panel_panelslot s ON s.id = b.slot_id
            WHERE b.status = 'heard'
            """
        )
        minutes = cursor.rowcount
        cursor.execute(
            """
            INSERT INTO panel_panelminutesversion (minutes_id, number, content, attendance, reason,
                finalised_by_id, finalised_at)
            SELECT m.id, 1,
                jsonb_build_object('introductions', m.introductions, 'case_overview', m.case_overview,
                    'questions_and_reflections', m.questions_and_reflections,
                    'member_support', m.member_support, 'chair_summary', m.chair_summary,
                    'final_questions', m.final_questions,
                    'mappa_reminder_given', m.mappa_reminder_given),
                coalesce((SELECT jsonb_agg(jsonb_build_object(
                        'name', coalesce(u.first_name || ' ' || u.last_name, i.name),
                        'role', r.name,
                        'attendance', CASE i.attendance WHEN 'attended' THEN 'Attended'
                            WHEN 'deputy' THEN 'Sent a deputy' WHEN 'apologies' THEN 'Apologies'
                            ELSE '' END,
                        'deputy', i.deputy_name) ORDER BY r.position, i.id)
                    FROM panel_panelinvitee i
                    JOIN panel_panelrole r ON r.id = i.role_id
                    LEFT JOIN organisation_user u ON u.id = i.user_id
                    WHERE i.booking_id = m.booking_id AND i.removed_at IS NULL), '[]'::jsonb),
                '', m.updated_by_id, m.finalised_at
            FROM panel_panelminutes m
            """
        )
        # Actions: three per heard case, owned by the practitioner, their SPO or the head of
        # the PDU; due two to ten weeks after the panel; past-due ones mostly closed.
        cursor.execute(
            """
            WITH heads AS (
                SELECT u.pdu_id, min(u.id) AS head_id
                FROM organisation_user u
                JOIN organisation_user_groups ug ON ug.user_id = u.id
                JOIN auth_group g ON g.id = ug.group_id
                WHERE g.name = %(head)s AND u.pdu_id IS NOT NULL
                GROUP BY u.pdu_id
            ), planned AS (
                SELECT b.id AS booking_id, b.person_id, b.booked_by_id, k,
                    (s.starts_at AT TIME ZONE %(tz)s)::date AS agreed_on, s.starts_at,
                    CASE mod(b.id + k, 4)
                        WHEN 2 THEN coalesce(pr.line_manager_id, p.practitioner_id)
                        WHEN 3 THEN coalesce(h.head_id, p.practitioner_id)
                        ELSE p.practitioner_id END AS owner_id,
                    mod(b.id * 7 + k * 3, 10) AS draw
                FROM panel_panelbooking b
                JOIN panel_panelslot s ON s.id = b.slot_id
                JOIN people_person p ON p.id = b.person_id
                JOIN organisation_user pr ON pr.id = p.practitioner_id
                LEFT JOIN heads h ON h.pdu_id = p.pdu_id
                CROSS JOIN generate_series(1, 3) AS k
                WHERE b.status = 'heard'
            ), dated AS (
                SELECT *, agreed_on + (7 + 14 * k + mod(booking_id, 14))::int AS due_date FROM planned
            ), decided AS (
                SELECT *,
                    CASE WHEN due_date < current_date THEN
                        CASE WHEN draw < 5 THEN 'done' WHEN draw = 5 THEN 'not_needed' ELSE 'open' END
                    ELSE CASE WHEN draw < 2 THEN 'done' ELSE 'open' END END AS status
                FROM dated
            )
            INSERT INTO panel_panelaction (booking_id, person_id, description, owner_id, owner_name,
                owner_organisation, owner_email, chaser_id, agreed_on, due_date, status,
                outcome_note, closed_at, created_by_id, created_at, updated_at)
            SELECT booking_id, person_id,
                (ARRAY['Refer to approved premises and confirm a bed date. (Synthetic.)',
                    'Arrange a joint meeting with the community mental health team. (Synthetic.)',
                    'Review the risk management plan with the OPD lead. (Synthetic.)'])[k],
                owner_id, '', '', '', NULL, agreed_on, due_date, status,
                CASE status WHEN 'done' THEN 'Done and recorded in NDelius. (Synthetic.)'
                    WHEN 'not_needed' THEN 'Overtaken by a recall. (Synthetic.)' ELSE '' END,
                CASE WHEN status <> 'open' THEN least(
                    ((agreed_on + (due_date - agreed_on) / 2)::timestamp + interval '14 hours')
                        AT TIME ZONE %(tz)s, now()) END,
                booked_by_id, least(starts_at + interval '2 days', now()),
                CASE WHEN status <> 'open' THEN least(
                    ((agreed_on + (due_date - agreed_on) / 2)::timestamp + interval '14 hours')
                        AT TIME ZONE %(tz)s, now())
                    ELSE least(starts_at + interval '2 days', now()) END
            FROM decided
            ORDER BY booking_id, k
            """,
            {"head": Role.HEAD_OF_SERVICE, "tz": LONDON},
        )
        actions = cursor.rowcount
        # Follow-ups: one per heard case, four weeks on; most past-due ones completed.
        cursor.execute(
            """
            INSERT INTO panel_followup (booking_id, person_id, number, qdo_id, due_on, status,
                developments, wellbeing, wellbeing_notes, further_support, other_outcome,
                held_on, completed_at, completed_by_id, updated_at)
            SELECT f.booking_id, f.person_id, 1, f.qdo_id, f.due_on, f.status,
                CASE WHEN f.completed THEN 'Housing held; engagement better. (Synthetic.)' ELSE '' END,
                CASE WHEN f.completed THEN (ARRAY['struggling','under_pressure','managing',
                    'managing','well'])[1 + mod(f.booking_id, 5)] ELSE '' END,
                '',
                CASE WHEN f.completed THEN (ARRAY['none','none','none','triage','panel'])
                    [1 + mod(f.booking_id / 5, 5)] ELSE '' END,
                '',
                CASE WHEN f.completed THEN f.due_on END,
                CASE WHEN f.completed THEN least((f.due_on::timestamp + interval '11 hours')
                    AT TIME ZONE %(tz)s, now()) END,
                CASE WHEN f.completed THEN f.qdo_id END, now()
            FROM (
                SELECT b.id AS booking_id, b.person_id,
                    (%(qdos)s::bigint[])[1 + mod(b.id, cardinality(%(qdos)s::bigint[]))] AS qdo_id,
                    (s.starts_at AT TIME ZONE %(tz)s)::date + 28 AS due_on,
                    (s.starts_at AT TIME ZONE %(tz)s)::date + 28 < current_date
                        AND mod(b.id, 10) < 8 AS completed,
                    CASE WHEN (s.starts_at AT TIME ZONE %(tz)s)::date + 28 < current_date
                        AND mod(b.id, 10) < 8 THEN 'completed' ELSE 'scheduled' END AS status
                FROM panel_panelbooking b JOIN panel_panelslot s ON s.id = b.slot_id
                WHERE b.status = 'heard'
            ) f
            ORDER BY f.booking_id
            """,
            {"qdos": qdos, "tz": LONDON},
        )
        follow_ups = cursor.rowcount
        cursor.execute(
            """
            INSERT INTO panel_followup_early_outcomes (followup_id, earlyoutcome_id)
            SELECT f.id, e.id
            FROM panel_followup f
            JOIN panel_earlyoutcome e ON mod(f.id + e.position / 10, 4) = 0
            WHERE f.status = 'completed'
            """
        )
        cursor.execute(
            "SELECT count(*) FILTER (WHERE status = 'heard'), count(*) FILTER (WHERE status ="
            " 'booked'), count(*) FILTER (WHERE status = 'cancelled') FROM panel_panelbooking"
        )
        heard, booked, cancelled = cursor.fetchone()
        cursor.execute(
            "SELECT count(*) FILTER (WHERE status = 'open' AND due_date < current_date)"
            " FROM panel_panelaction"
        )
        (overdue,) = cursor.fetchone()
    context.counts.update(
        panel_sessions=sessions,
        panel_slots=slots,
        panel_bookings=bookings,
        panel_heard=heard,
        panel_booked=booked,
        panel_cancelled=cancelled,
        panel_invitees=invitees,
        panel_minutes=minutes,
        panel_actions=actions,
        panel_actions_overdue=overdue,
        follow_ups=follow_ups,
    )
