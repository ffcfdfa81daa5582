"""The access log refuses UPDATE and DELETE at the database, whoever asks.

The retention job (a later issue) may delete old rows only after running
`SET LOCAL complexcases.access_log_retention = 'on'` in its own transaction.
"""

from django.db import migrations

FORWARD = """
CREATE FUNCTION core_access_log_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' AND current_setting('complexcases.access_log_retention', true) = 'on' THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'The access log is append-only: % is not allowed', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER core_access_log_append_only
    BEFORE UPDATE OR DELETE ON core_accesslogentry
    FOR EACH ROW EXECUTE FUNCTION core_access_log_append_only();
"""

BACKWARD = """
DROP TRIGGER IF EXISTS core_access_log_append_only ON core_accesslogentry;
DROP FUNCTION IF EXISTS core_access_log_append_only();
"""


class Migration(migrations.Migration):
    dependencies = [("core", "0002_access_log")]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
