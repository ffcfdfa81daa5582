"""The import's checked floor: COPY, one SQL pass that checks every row, one statement that writes the changed versions.

Written from the extract contract (docs/screening.md "The monthly extract" and "What an
import does"; DOMAIN.md "The monthly extract (the import contract)" and "The eight
criteria"), not from the product's code (issue #22, decision 4). What it does:

1. Reads the header line, refuses a file without every contract column, and COPYs the file
   (PostgreSQL's CSV parser) into an unlogged table of text columns in the header's order;
   unknown extra columns are carried and ignored.
2. One pass over the staged rows (`CREATE UNLOGGED TABLE … AS SELECT`, which PostgreSQL can
   run in parallel), then one statement over its result:
   - the pass checks every cell as the contract states it (cells are stripped first): the extract
     date a real `YYYY-MM-DD`, the same on every row, not in the future and newer than every
     extract imported; the CRN one letter and six digits (lower case accepted, stored upper)
     and once in the file; surname and forenames present and at most 100 characters; the
     date of birth a real date, from 1900 and in the past; the PDU code known; the
     practitioner's staff code letters and digits, their name "Surname, Forenames", their
     email an email, the same name and email for a code on every row, one code per email
     in the file and an email that belongs to no other staff code already known; custody
     `community` or `custody`; the release date empty or a real date; ROSH one of four
     levels or empty; the ten flags `Y` or `N` in either case; OASys 4.8 `0`–`2`; MAPPA
     level `1`–`3` or empty and category `1`–`4` or empty; a sentence type of at most 20
     characters; and finds each row's PDU, person and version in force, and whether the
     version changed;
   - the statement counts the problems, and only when there are none writes: the extract, the
     practitioners the service does not know (unable to sign in), the people it does not
     know, the versions that end (a value, the PDU or the rule version changed, or the
     person is not in the file: `until` is this extract's date) and the new versions, with
     the criteria met worked out from the eight criteria as DOMAIN.md states them.

What it does not do, and the import does: report each problem's line and words (the floor
only counts them), hash the file (a different file with an imported date is refused),
update changed details of people already known, record history, and write the access log.
Those are the import's costs beyond the floor. It runs with the import's own `work_mem`
(the import sets it) and without JIT, and `ANALYZE`s its pass's result before writing.
"""

import csv
import io
import re
from pathlib import Path

# DOMAIN.md, "The monthly extract (the import contract)": every column, in any order.
CONTRACT_COLUMNS = (
    "extract_date", "crn", "surname", "forenames", "date_of_birth", "pdu_code",
    "pp_staff_code", "pp_name", "pp_email", "custody_status", "expected_release_date",
    "rosh_level", "reg_mental_health_issues", "reg_mentally_disordered_offender",
    "oasys_10_psychological_problems", "oasys_10_psychiatric_problems", "reg_suicide_self_harm",
    "oasys_10_5_self_harm", "rosh_r3_self_harm", "oasys_4_8_learning_difficulties",
    "mappa_level", "mappa_category", "opd_screened_in", "oasys_alcohol_need",
    "oasys_drugs_need", "sentence_type",
)  # fmt: skip
FLAGS = (
    "reg_mental_health_issues", "reg_mentally_disordered_offender",
    "oasys_10_psychological_problems", "oasys_10_psychiatric_problems", "reg_suicide_self_harm",
    "oasys_10_5_self_harm", "rosh_r3_self_harm", "opd_screened_in", "oasys_alcohol_need",
    "oasys_drugs_need",
)  # fmt: skip
# DOMAIN.md's eight criteria over the typed values (rule version 1: criteria 2 and 3 are
# "any of the listed indicators is present").
CRITERIA = (
    (1, "c.rosh_level IN ('high', 'very_high')"),
    (2, "(c.reg_mental_health_issues OR c.reg_mentally_disordered_offender"
        " OR c.oasys_10_psychological_problems OR c.oasys_10_psychiatric_problems)"),
    (3, "(c.reg_suicide_self_harm OR c.oasys_10_5_self_harm OR c.rosh_r3_self_harm)"),
    (4, "c.oasys_4_8_learning_difficulties IN (1, 2)"),
    (5, "coalesce(c.mappa_level, 0) IN (2, 3)"),
    (6, "c.opd_screened_in"),
    (7, "(c.oasys_alcohol_need OR c.oasys_drugs_need)"),
    (8, "upper(c.sentence_type) = 'IPP'"),
)  # fmt: skip
# What a version is compared on: every source value, the PDU and the rule version.
VERSION_VALUES = (
    "pdu_id", "rule_version", "rosh_level", *FLAGS[:7], "oasys_4_8_learning_difficulties",
    "mappa_level", "mappa_category", *FLAGS[7:], "sentence_type",
)  # fmt: skip
EMAIL = r"^[^@\s]+@[^@\s]+\.[^@\s.]+$"
STAGING = "bench_checked_floor_staging"
ROWS = "bench_checked_floor_rows"


def real_date(column: str) -> str:
    """True when the text is a real date written YYYY-MM-DD (never raises, unlike a cast)."""
    y, m, d = (f"substr({column}, 1, 4)::int", f"substr({column}, 6, 2)",
               f"substr({column}, 9, 2)::int")  # fmt: skip
    return f"""(CASE WHEN {column} ~ '^[0-9]{{4}}-[0-9]{{2}}-[0-9]{{2}}$' THEN
        {y} >= 1 AND {m} BETWEEN '01' AND '12' AND {d} >= 1 AND {d} <= CASE
            WHEN {m} IN ('04', '06', '09', '11') THEN 30
            WHEN {m} = '02' THEN CASE WHEN mod({y}, 4) = 0 AND (mod({y}, 100) <> 0 OR mod({y}, 400) = 0)
                THEN 29 ELSE 28 END
            ELSE 31 END
        ELSE false END)"""


def _statement() -> tuple[str, str]:
    flags_typed = ",\n        ".join(
        f"CASE WHEN s.{f} IN ('Y', 'y') THEN true WHEN s.{f} IN ('N', 'n') THEN false END AS {f}"
        for f in FLAGS
    )
    flags_ok = " AND ".join(f"s.{f} IN ('Y', 'N', 'y', 'n')" for f in FLAGS)
    criteria = ", ".join(f"CASE WHEN {sql} THEN {n} END" for n, sql in CRITERIA)
    count = " + ".join(f"({sql})::int" for _n, sql in CRITERIA)
    values = ", ".join(VERSION_VALUES)
    current = ", ".join(f"v.{c}" for c in VERSION_VALUES)
    incoming = ", ".join(
        "%(rule_version)s::smallint" if c == "rule_version" else f"c.{c}" for c in VERSION_VALUES
    )
    j_values = ", ".join(f"j.{c}" for c in VERSION_VALUES if c not in ("rule_version",))
    inserted = ", ".join(
        "%(rule_version)s" if v == "rule_version" else f"c.{v}" for v in VERSION_VALUES
    )
    # An empty cell is NULL to COPY's CSV; to the contract it is empty. Cells are stripped.
    stripped = ",\n        ".join(f"coalesce(btrim({c}), '') AS {c}" for c in CONTRACT_COLUMNS)
    # Dates repeat (a few tens of thousands of births in 250,000 rows): each distinct text is
    # worked out once, and the rows find theirs by a hash join.
    births = f"""SELECT v, CASE WHEN {real_date("v")} THEN CASE WHEN v::date >= DATE '1900-01-01'
            AND v::date < current_date THEN v::date END END AS d
        FROM (SELECT DISTINCT coalesce(btrim(date_of_birth), '') AS v FROM {STAGING}) x"""  # noqa: S608
    releases = f"""SELECT v, CASE WHEN {real_date("v")} THEN v::date END AS d
        FROM (SELECT DISTINCT coalesce(btrim(expected_release_date), '') AS v FROM {STAGING}) x"""  # noqa: S608
    # Built from this module's constants only; the values go in as parameters.
    the_pass = f"""
CREATE UNLOGGED TABLE {ROWS} AS
SELECT c.*, p.id AS person_id, v.id AS version_id,
    (v.id IS NOT NULL AND ({current}) IS DISTINCT FROM ({incoming})) AS changed
FROM (
    SELECT upper(s.crn) AS crn, s.surname, s.forenames, s.pp_staff_code, s.pp_name, s.pp_email,
        s.custody_status, d.id AS pdu_id, s.expected_release_date AS release_text,
        births.d AS date_of_birth, releases.d AS expected_release_date,
        s.rosh_level,
        {flags_typed},
        CASE s.oasys_4_8_learning_difficulties WHEN '0' THEN 0 WHEN '1' THEN 1 WHEN '2' THEN 2
            END::smallint AS oasys_4_8_learning_difficulties,
        CASE s.mappa_level WHEN '1' THEN 1 WHEN '2' THEN 2 WHEN '3' THEN 3 END::smallint AS mappa_level,
        CASE s.mappa_category WHEN '1' THEN 1 WHEN '2' THEN 2 WHEN '3' THEN 3 WHEN '4' THEN 4
            END::smallint AS mappa_category,
        s.sentence_type,
        -- Every row has the first row's extract date (itself checked once, in the verdict).
        (s.extract_date = (SELECT coalesce(btrim(extract_date), '') FROM {STAGING} LIMIT 1)
            AND s.crn ~ '^[A-Za-z][0-9]{{6}}$'
            AND length(s.surname) BETWEEN 1 AND 100 AND length(s.forenames) BETWEEN 1 AND 100
            AND d.id IS NOT NULL
            AND s.custody_status IN ('community', 'custody')
            AND s.rosh_level IN ('', 'low', 'medium', 'high', 'very_high')
            AND {flags_ok}
            AND s.oasys_4_8_learning_difficulties IN ('0', '1', '2')
            AND s.mappa_level IN ('', '1', '2', '3')
            AND s.mappa_category IN ('', '1', '2', '3', '4')
            AND length(s.sentence_type) BETWEEN 1 AND 20) AS row_ok
    FROM (SELECT {stripped} FROM {STAGING}) s
    LEFT JOIN organisation_probationdeliveryunit d ON d.code = s.pdu_code
    LEFT JOIN ({births}) births ON births.v = s.date_of_birth
    LEFT JOIN ({releases}) releases ON releases.v = s.expected_release_date
    OFFSET 0
) c
LEFT JOIN people_person p ON p.crn = c.crn
LEFT JOIN screening_screening v ON v.person_id = p.id AND v.until IS NULL
"""  # noqa: S608 - names are this module's constants
    writes = f"""
WITH practitioners AS (
    -- Each staff code once: one name and one email on every row (a second spelling is a second
    -- group), a well-formed code, name and email.
    SELECT staff_code, min(pp_name) AS pp_name, lower(min(pp_email)) AS email, min(pdu_id) AS pdu_id,
        (count(*) = 1 AND staff_code ~ '^[A-Za-z0-9]{{1,20}}$' AND min(pp_name) ~ '^[^,]+, [^,]+$'
            AND min(pp_email) ~ '{EMAIL}' AND length(min(pp_email)) <= 254) AS ok
    FROM (
        SELECT pp_staff_code AS staff_code, pp_name, pp_email, min(pdu_id) AS pdu_id
        FROM {ROWS} GROUP BY pp_staff_code, pp_name, pp_email
    ) spellings
    GROUP BY staff_code
), practitioners_known AS (
    SELECT p.*, coalesce(by_code.id, by_email.id) AS user_id,
        (by_email.staff_code IS NOT NULL AND by_email.staff_code <> p.staff_code) AS email_taken,
        count(*) OVER (PARTITION BY p.email) > 1 AS email_shared
    FROM practitioners p
    LEFT JOIN organisation_user by_code ON by_code.staff_code = p.staff_code
    LEFT JOIN organisation_user by_email ON lower(by_email.email) = p.email
), verdict AS (
    SELECT r.rows, f.extract_date,
        r.bad_rows + d.duplicates + s.bad_staff
            + CASE WHEN {real_date("f.extract_date")} AND f.extract_date::date <= current_date
                AND f.extract_date::date > coalesce(
                    (SELECT max(extract_date) FROM screening_extract), DATE '0001-01-01')
                THEN 0 ELSE 1 END AS problems
    FROM (SELECT coalesce(btrim(extract_date), '') AS extract_date FROM {STAGING} LIMIT 1) f,
    (
        SELECT count(*) AS rows,
            count(*) FILTER (WHERE NOT row_ok OR date_of_birth IS NULL
                OR (release_text <> '' AND expected_release_date IS NULL)) AS bad_rows
        FROM {ROWS}
    ) r,
    (SELECT count(*) AS duplicates
        FROM (SELECT 1 FROM {ROWS} GROUP BY crn HAVING count(*) > 1) x) d,
    (SELECT count(*) FILTER (WHERE NOT ok OR email_taken OR email_shared) AS bad_staff
        FROM practitioners_known) s
), extract AS (
    INSERT INTO screening_extract (extract_date, sha256, filename, row_count, imported_at)
    SELECT extract_date::date, '', %(filename)s, rows, now() FROM verdict WHERE problems = 0
    RETURNING id, extract_date
), new_staff AS (
    INSERT INTO organisation_user (password, is_superuser, first_name, last_name, is_staff,
        is_active, date_joined, email, staff_code, pdu_id)
    SELECT '!', false, split_part(pp_name, ', ', 2), split_part(pp_name, ', ', 1), false,
        false, now(), email, staff_code, pdu_id
    FROM practitioners_known WHERE user_id IS NULL AND (SELECT problems FROM verdict) = 0
    RETURNING id, staff_code
), gone AS (
    -- Versions in force whose person is not in the file.
    UPDATE screening_screening v SET until = e.extract_date
    FROM extract e
    WHERE v.until IS NULL AND NOT EXISTS (SELECT 1 FROM {ROWS} j WHERE j.person_id = v.person_id)
    RETURNING v.id
), closed AS (
    UPDATE screening_screening v SET until = e.extract_date
    FROM extract e, {ROWS} j
    WHERE v.id = j.version_id AND j.changed
    RETURNING j.*
), new_people AS (
    INSERT INTO people_person (crn, surname, forenames, date_of_birth, pdu_id, practitioner_id,
        custody_status, expected_release_date, pom_name, pom_contact, as_at, created_at, updated_at)
    SELECT j.crn, j.surname, j.forenames, j.date_of_birth, j.pdu_id,
        coalesce(k.user_id, n.id), j.custody_status, j.expected_release_date, '', '',
        e.extract_date, now(), now()
    FROM {ROWS} j CROSS JOIN extract e
    JOIN practitioners_known k ON k.staff_code = j.pp_staff_code
    LEFT JOIN new_staff n ON n.staff_code = j.pp_staff_code
    WHERE j.person_id IS NULL
    RETURNING id, crn
), incoming AS (
    SELECT j.person_id, {j_values} FROM closed j
    UNION ALL
    SELECT n.id, {j_values} FROM {ROWS} j JOIN new_people n ON n.crn = j.crn
    UNION ALL
    SELECT j.person_id, {j_values} FROM {ROWS} j
    WHERE j.person_id IS NOT NULL AND j.version_id IS NULL
), added AS (
    INSERT INTO screening_screening (person_id, extract_id, as_at, {values}, criteria_met,
        criteria_met_count)
    SELECT c.person_id, e.id, e.extract_date, {inserted},
        array_remove(ARRAY[{criteria}], NULL)::smallint[], {count}
    FROM incoming c CROSS JOIN extract e
    RETURNING 1
)
SELECT v.problems, v.rows, (SELECT count(*) FROM new_staff), (SELECT count(*) FROM new_people),
    (SELECT count(*) FROM closed) + (SELECT count(*) FROM gone), (SELECT count(*) FROM added)
FROM verdict v
"""  # noqa: S608 - names are this module's constants
    return the_pass, writes


PASS, WRITES = _statement()


def header(path: Path) -> list[str]:
    with open(path, encoding="utf-8", newline="") as handle:
        return next(csv.reader(io.StringIO(handle.readline())), [])


def checked_floor(path: Path, *, rule_version: int) -> dict:
    """Run the floor in the caller's transaction; return the problems found and what it wrote."""
    from django.db import connection

    names = header(path)
    missing = [c for c in CONTRACT_COLUMNS if c not in names]
    if missing:
        return {"problems": len(missing), "rows": 0}
    # Unknown columns ride along under a name of their own and are never read.
    columns = [
        name if name in CONTRACT_COLUMNS and re.fullmatch(r"[a-z0-9_]+", name) else f"extra_{i}"
        for i, name in enumerate(names)
    ]
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE UNLOGGED TABLE {STAGING} ({', '.join(f'{c} text' for c in columns)})"
        )
        with (
            open(path, "rb") as handle,
            cursor.cursor.copy(f"COPY {STAGING} FROM STDIN (FORMAT csv, HEADER true)") as copy,
        ):
            while chunk := handle.read(1 << 20):
                copy.write(chunk)
        # The import's own memory for sorts and hashes (SET LOCAL work_mem, as it sets); no JIT,
        # whose compiling costs more than it saves on a statement run once.
        cursor.execute("SET LOCAL work_mem = '64MB'")
        cursor.execute("SET LOCAL jit = off")
        parameters = {"filename": path.name, "rule_version": rule_version}
        cursor.execute(PASS, parameters)
        cursor.execute(f"ANALYZE {ROWS}")  # so the writes' plans know how few rows changed
        cursor.execute(WRITES, parameters)
        problems, rows, staff, people, ended, added = cursor.fetchone()
        # What a commit would check: the deferred foreign keys of every row written.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    return {
        "problems": problems,
        "rows": rows,
        "staff_created": staff,
        "people_created": people,
        "versions_ended": ended,
        "versions_added": added,
    }
