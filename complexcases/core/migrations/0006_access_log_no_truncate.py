"""TRUNCATE does not fire row triggers: refuse it with a statement trigger too.

Test databases connect with `complexcases.test_database=on` (settings/test.py), so the
test runner's flush between transactional tests can still empty the table. In production
the app's database role should also lack TRUNCATE, UPDATE and DELETE on this table
(docs/security.md).
"""

from django.db import migrations

FORWARD = """
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

CREATE TRIGGER core_access_log_no_truncate
    BEFORE TRUNCATE ON core_accesslogentry
    FOR EACH STATEMENT EXECUTE FUNCTION core_access_log_append_only();
"""
BACKWARD = "DROP TRIGGER IF EXISTS core_access_log_no_truncate ON core_accesslogentry;"


class Migration(migrations.Migration):
    dependencies = [("core", "0005_subject_access_permission")]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
