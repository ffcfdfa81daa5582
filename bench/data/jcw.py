"""Joint case work in proportion: episodes for one in ten people screened in to the OPD pathway.

Each episode (an OPD clinician and the person's practitioner) started some time in the last
year; those started more than four months ago are closed with an outcome. Contacts are its
sessions so far (direct or indirect, each with one or two activity types) and a case
consultation; practitioners gave feedback on about a third of sessions and at every close.
"""

from django.db import connection

from complexcases.organisation.roles import Role

from . import Context

LONDON = "Europe/London"
RATINGS = (
    "understanding", "practice_impact", "apply_skills", "important", "risk_management",
    "confidence_before", "confidence_after",
)  # fmt: skip


def generate(context: Context) -> None:
    clinicians = context.ids["national"][Role.OPD_CLINICIAN]
    with connection.cursor() as cursor:
        cursor.execute("SELECT setseed(0.3005)")
        cursor.execute(
            """
            INSERT INTO jcw_jcwepisode (person_id, pdu_id, clinician_id, practitioner_id,
                opd_screened_in, not_screened_in_reason, dilemma, desired_outcome,
                planned_sessions, extra_sessions_reason, started_on, status, outcome,
                closing_note, closed_on, closed_by_id, created_at, updated_at)
            SELECT e.person_id, e.pdu_id, e.clinician_id, e.practitioner_id, true, '',
                'How to keep engagement going through a housing crisis. (Synthetic.)',
                'A plan the person agrees to and the practitioner feels able to hold. (Synthetic.)',
                e.planned,
                CASE WHEN e.planned > 6 THEN 'A complex formulation needs more time. (Synthetic.)'
                    ELSE '' END,
                e.started_on,
                CASE WHEN e.started_on < current_date - 120 THEN 'closed' ELSE 'open' END,
                CASE WHEN e.started_on < current_date - 120 THEN (ARRAY['achieved','achieved','partly_achieved',
                    'not_achieved'])[1 + mod(e.person_id, 4)] ELSE '' END,
                CASE WHEN e.started_on < current_date - 120 THEN 'Sessions complete. (Synthetic.)' ELSE '' END,
                CASE WHEN e.started_on < current_date - 120 THEN e.started_on + 110 END,
                CASE WHEN e.started_on < current_date - 120 THEN e.clinician_id END,
                (e.started_on::timestamp + interval '9 hours') AT TIME ZONE %(tz)s,
                now()
            FROM (
                SELECT p.id AS person_id, p.pdu_id, p.practitioner_id,
                    (%(clinicians)s::bigint[])[1 + mod(p.id, cardinality(%(clinicians)s::bigint[]))]
                        AS clinician_id,
                    CASE WHEN mod(p.id, 7) = 0 THEN 8 ELSE 3 + mod(p.id, 4) END AS planned,
                    current_date - (7 + floor(random() * 358)::int) AS started_on
                FROM screening_screening s
                JOIN people_person p ON p.id = s.person_id
                -- The version in force at the newest extract (ADR 0018).
                WHERE s.until IS NULL AND s.opd_screened_in AND mod(p.id, 10) = 0
            ) e
            ORDER BY e.started_on
            """,
            {"clinicians": clinicians, "tz": LONDON},
        )
        episodes = cursor.rowcount
        # Sessions every two weeks from the start, up to the plan and not in the future.
        cursor.execute(
            """
            INSERT INTO jcw_jcwcontact (episode_id, contact_type, occurred_at, session_number,
                extra_session_reason, clinician_took_part, practitioner_took_part,
                others_took_part, other_activity, notes, next_steps, recorded_by_id, recorded_at,
                practitioner_view, practitioner_view_by_id, practitioner_view_at, updated_at)
            SELECT e.id, c.contact_type, c.occurred_at, c.session_number,
                CASE WHEN c.session_number > 6 THEN e.extra_sessions_reason ELSE '' END, true,
                c.contact_type <> 'consultation' OR mod(e.id, 2) = 0, '', '',
                'Worked through the formulation together. (Synthetic.)', '', e.clinician_id,
                c.occurred_at + interval '2 hours', '', NULL, NULL, now()
            FROM jcw_jcwepisode e
            CROSS JOIN LATERAL (
                SELECT CASE WHEN mod(e.id + n, 3) = 0 THEN 'indirect' ELSE 'direct' END
                        AS contact_type,
                    n AS session_number,
                    ((e.started_on + 14 * (n - 1))::timestamp + interval '10 hours')
                        AT TIME ZONE %(tz)s AS occurred_at
                FROM generate_series(1, e.planned_sessions) AS n
                WHERE e.started_on + 14 * (n - 1) < current_date
                UNION ALL
                SELECT 'consultation', NULL,
                    ((e.started_on + 3)::timestamp + interval '14 hours') AT TIME ZONE %(tz)s
                WHERE e.started_on + 3 < current_date
            ) c
            ORDER BY e.id, c.occurred_at
            """,
            {"tz": LONDON},
        )
        contacts = cursor.rowcount
        cursor.execute(
            """
            INSERT INTO jcw_jcwcontactactivity (contact_id, activity_type_id)
            SELECT c.id, a.id
            FROM jcw_jcwcontact c
            JOIN jcw_activitytype a ON NOT a.needs_description AND a.disabled_on IS NULL
                AND mod(c.id + a.position / 10, 4) = 0
            """
        )
        cursor.execute(
            f"""
            INSERT INTO jcw_jcwfeedback (episode_id, contact_id, stage, given_by_id, given_at,
                worked_well, did_not_work, {", ".join(RATINGS)})
            SELECT e.id, c.id, 'after_contact', e.practitioner_id, c.occurred_at + interval '1 day',
                'Thinking the case through together. (Synthetic.)', '',
                3 + mod(c.id, 3), 3 + mod(c.id, 3), 3 + mod(c.id, 2), 4, 3 + mod(c.id, 3),
                2 + mod(c.id, 2), 3 + mod(c.id, 3)
            FROM jcw_jcwcontact c JOIN jcw_jcwepisode e ON e.id = c.episode_id
            WHERE c.session_number IS NOT NULL AND mod(c.id, 3) = 0
                AND c.occurred_at + interval '1 day' < now()
            UNION ALL
            SELECT e.id, NULL, 'end_of_episode', e.practitioner_id,
                (e.closed_on::timestamp + interval '12 hours') AT TIME ZONE %(tz)s,
                'Having a clinician alongside. (Synthetic.)', 'Sessions were hard to fit in. (Synthetic.)',
                4, 4, 3 + mod(e.id, 3), 4, 3 + mod(e.id, 3), 2, 4
            FROM jcw_jcwepisode e WHERE e.status = 'closed'
            """,  # noqa: S608 - column names from a constant
            {"tz": LONDON},
        )
        feedback = cursor.rowcount
    context.counts.update(jcw_episodes=episodes, jcw_contacts=contacts, jcw_feedback=feedback)
