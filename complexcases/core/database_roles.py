"""The application's database role: ordinary work everywhere, but append-only on the access log.

Two roles (ADR 0023): the owner, which runs `migrate` and owns every table, and the
application's role (DATABASE_APP_ROLE), which the web, worker and beat connect as. After
every migrate, as the owner, this grants the application's role what it needs and no more:

- SELECT, INSERT, UPDATE, DELETE on every table (and the same by default on tables the
  owner makes later), USAGE on the sequences;
- on the access log only SELECT and INSERT: no UPDATE, DELETE or TRUNCATE, and, not being
  the owner, no ALTER or DROP either;
- EXECUTE on `core_access_log_apply_retention(days)`, the owner's SECURITY DEFINER function
  that deletes only rows older than the retention period, never younger than a year;
- its own schema for the extract import's scratch tables (STAGING_SCHEMA), since the
  application's role may not create tables beside the real ones;
- no temporary tables, which would be found before the real table of the same name.

Granted again after every migrate, so a new table gets them and a stray grant is taken back.
"""

import logging

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

logger = logging.getLogger(__name__)

STAGING_SCHEMA = "import_staging"  # created by migration core 0007
ACCESS_LOG_TABLE = "core_accesslogentry"
RETENTION_FUNCTION = "core_access_log_apply_retention(integer)"


def grant_application_role(using: str = DEFAULT_DB_ALIAS) -> bool:
    """Grant DATABASE_APP_ROLE its privileges; False (and a warning) when it cannot."""
    role = settings.DATABASE_APP_ROLE
    connection = connections[using]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT current_user, current_schema(), current_database(),"
            " EXISTS (SELECT FROM pg_roles WHERE rolname = %s)",
            [role],
        )
        me, schema, database, exists = cursor.fetchone()
        if not role or role == me:
            logger.warning(
                "Connected as the application's role %r: run migrate as the owner (ADR 0023)", role
            )
            return False
        if not exists:
            logger.warning(
                "Database role %r (DATABASE_APP_ROLE) does not exist: nothing granted", role
            )
            return False
        quote = connection.ops.quote_name
        app, schema, database = quote(role), quote(schema), quote(database)
        for statement in (
            f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {schema} TO {app}",
            f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {schema} TO {app}",
            f"ALTER DEFAULT PRIVILEGES IN SCHEMA {schema}"
            f" GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {app}",
            f"ALTER DEFAULT PRIVILEGES IN SCHEMA {schema} GRANT USAGE, SELECT ON SEQUENCES TO {app}",
            f"REVOKE ALL ON {ACCESS_LOG_TABLE} FROM {app}",
            f"GRANT SELECT, INSERT ON {ACCESS_LOG_TABLE} TO {app}",
            # Only the owner's migrate records what has been applied.
            f"REVOKE INSERT, UPDATE, DELETE ON django_migrations FROM {app}",
            f"GRANT EXECUTE ON FUNCTION {RETENTION_FUNCTION} TO {app}",
            f"GRANT USAGE, CREATE ON SCHEMA {STAGING_SCHEMA} TO {app}",
            # A temporary table is found before the real one of the same name: no shadow log.
            f"REVOKE TEMPORARY ON DATABASE {database} FROM PUBLIC",
            f"REVOKE TEMPORARY ON DATABASE {database} FROM {app}",
        ):
            cursor.execute(statement)
    return True


def grant_after_migrate(sender, app_config, using=DEFAULT_DB_ALIAS, **kwargs):
    """post_migrate (and the test runner's flush): once, when the core app's turn comes."""
    if app_config.label == "core":
        grant_application_role(using=using)
