"""The access log holds against SQL run as the application (ADR 0023).

- The trigger no longer lets a session setting open the log. It lets the table's owner
  delete rows more than 365 days old (what the retention function below does), and the
  owner's TRUNCATE in a test database (the test runner's flush). The application's role
  has no UPDATE, DELETE or TRUNCATE on the table at all (core.database_roles).
- Retention is `core_access_log_apply_retention(days)`: SECURITY DEFINER, owned by the
  owner, with a fixed search_path; it refuses fewer than 365 days and deletes only rows
  older than `days`. EXECUTE is granted to the application's role, not to PUBLIC.
- The schema `import_staging` holds the extract import's scratch tables, which the
  application's role creates and drops, since it may not create tables in the main schema.
"""

from django.db import migrations

FORWARD = r"""
CREATE OR REPLACE FUNCTION core_access_log_append_only() RETURNS trigger AS $$
BEGIN
    IF current_user = (SELECT pg_get_userbyid(relowner) FROM pg_class WHERE oid = TG_RELID) THEN
        IF TG_OP = 'DELETE' AND OLD.at < now() - interval '365 days' THEN
            RETURN OLD;
        END IF;
        IF TG_OP = 'TRUNCATE' AND current_setting('complexcases.test_database', true) = 'on' THEN
            RETURN NULL;
        END IF;
    END IF;
    RAISE EXCEPTION 'The access log is append-only: % is not allowed', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END
$$ LANGUAGE plpgsql;

DO $do$
BEGIN
    EXECUTE format($create$
        CREATE FUNCTION core_access_log_apply_retention(older_than_days integer) RETURNS bigint
            LANGUAGE plpgsql SECURITY DEFINER SET search_path = %I, pg_temp
        AS $body$
        DECLARE
            deleted bigint;
        BEGIN
            IF older_than_days IS NULL OR older_than_days < 365 THEN
                RAISE EXCEPTION 'Access log entries are kept for at least 365 days, not %%', older_than_days
                    USING ERRCODE = 'invalid_parameter_value';
            END IF;
            DELETE FROM core_accesslogentry WHERE at < now() - make_interval(days => older_than_days);
            GET DIAGNOSTICS deleted = ROW_COUNT;
            RETURN deleted;
        END
        $body$
    $create$, current_schema());
END
$do$;
REVOKE ALL ON FUNCTION core_access_log_apply_retention(integer) FROM PUBLIC;

CREATE SCHEMA IF NOT EXISTS import_staging;
"""

BACKWARD = r"""
DROP SCHEMA IF EXISTS import_staging CASCADE;
DROP FUNCTION IF EXISTS core_access_log_apply_retention(integer);
CREATE OR REPLACE FUNCTION core_access_log_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' AND current_setting('complexcases.access_log_retention', true) = 'on' THEN
        RETURN OLD;
    END IF;
    IF TG_OP = 'TRUNCATE' AND current_setting('complexcases.test_database', true) = 'on' THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION 'The access log is append-only: % is not allowed', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END
$$ LANGUAGE plpgsql;
"""


class Migration(migrations.Migration):
    dependencies = [("core", "0006_access_log_no_truncate")]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
