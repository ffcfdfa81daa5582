"""Screenings as versions, not monthly snapshots (ADR 0018).

A screening row holds a person's values from the extract that first had them (`as_at`)
until the first later extract that did not (`until`). `VERSION_COLUMNS` are what make two
extracts' rows "the same": every source value, the PDU (the monthly list is per PDU) and
the rule version. Criteria met follow from those.

`SNAPSHOTS_TO_VERSIONS` turns one-row-per-extract data into versions: the migration that
brought versions in runs it, and so does the benchmark generator after COPYing monthly
snapshots. Rows of one person in consecutive extracts with the same values fold into the
first; monthly-list entries that pointed at a folded row point at the version instead.
"""

from django.db import connection

# In the model's field order (bench/data/people.py slices it); the same set as
# extract.SOURCE_VALUE_COLUMNS, which is in check_extract's reading order (a test checks).
SOURCE_VALUE_COLUMNS = (
    "rosh_level",
    "reg_mental_health_issues",
    "reg_mentally_disordered_offender",
    "oasys_10_psychological_problems",
    "oasys_10_psychiatric_problems",
    "reg_suicide_self_harm",
    "oasys_10_5_self_harm",
    "rosh_r3_self_harm",
    "oasys_4_8_learning_difficulties",
    "mappa_level",
    "mappa_category",
    "opd_screened_in",
    "oasys_alcohol_need",
    "oasys_drugs_need",
    "sentence_type",
)
VERSION_COLUMNS = ("pdu_id", "rule_version", *SOURCE_VALUE_COLUMNS)
_VALUES = ", ".join(f"s.{column}" for column in VERSION_COLUMNS)

SNAPSHOTS_TO_VERSIONS = [
    f"""
    CREATE TEMPORARY TABLE screening_version_map ON COMMIT DROP AS
    WITH extracts AS (
        SELECT id, extract_date, row_number() OVER (ORDER BY extract_date) AS n FROM screening_extract
    ), ordered AS (
        SELECT s.id, s.person_id, e.n, ROW({_VALUES})::text AS v,
            lag(e.n) OVER w AS previous_n, lag(ROW({_VALUES})::text) OVER w AS previous_v
        FROM screening_screening s JOIN extracts e ON e.id = s.extract_id
        WHERE s.until IS NULL
        WINDOW w AS (PARTITION BY s.person_id ORDER BY e.n)
    ), marked AS (
        SELECT id, person_id, n,
            sum((previous_n IS NULL OR previous_n <> n - 1 OR previous_v <> v)::int)
                OVER (PARTITION BY person_id ORDER BY n) AS version
        FROM ordered
    ), versions AS (
        SELECT id, n,
            first_value(id) OVER v AS keep_id,
            max(n) OVER v AS last_n
        FROM marked
        WINDOW v AS (PARTITION BY person_id, version ORDER BY n
                     ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)
    )
    SELECT versions.id, versions.keep_id, later.extract_date AS until
    FROM versions LEFT JOIN extracts later ON later.n = versions.last_n + 1
    """,  # noqa: S608 - column names are this module's constants
    """
    UPDATE screening_monthlylistentry e SET screening_id = m.keep_id
    FROM screening_version_map m WHERE e.screening_id = m.id AND m.id <> m.keep_id
    """,
    """
    DELETE FROM screening_screening s USING screening_version_map m
    WHERE s.id = m.id AND m.id <> m.keep_id
    """,
    """
    UPDATE screening_screening s SET until = m.until
    FROM screening_version_map m WHERE s.id = m.id AND m.id = m.keep_id AND m.until IS NOT NULL
    """,
]


def snapshots_to_versions(cursor=None) -> None:
    """Fold monthly snapshot rows into versions (must run inside a transaction)."""
    if cursor is None:
        with connection.cursor() as own:
            return snapshots_to_versions(own)
    for statement in SNAPSHOTS_TO_VERSIONS:
        cursor.execute(statement)
    cursor.execute("DROP TABLE screening_version_map")
