"""docker-compose.yml cannot run here (no Docker engine), so check it lines up with the code."""

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
SERVICES = COMPOSE["services"]
APP_SERVICES = ("migrate", "web", "worker", "beat")


def test_it_has_the_services_production_needs():
    assert set(SERVICES) >= {"web", "worker", "beat", "db", "redis", "migrate"}


def test_database_is_postgresql_15_or_newer_and_redis_7_with_volumes():
    assert int(SERVICES["db"]["image"].split(":")[1]) >= 15
    assert SERVICES["redis"]["image"] == "redis:7"
    assert "pgdata:/var/lib/postgresql/data" in SERVICES["db"]["volumes"]
    assert {"pgdata", "redisdata", "media"} <= set(COMPOSE["volumes"])


def test_long_running_services_have_healthchecks():
    for name in ("db", "redis", "web", "worker"):
        assert SERVICES[name]["healthcheck"]["test"], name
    assert "/health/readiness" in " ".join(SERVICES["web"]["healthcheck"]["test"])


def test_uploads_are_scanned_by_a_clamav_service():
    assert SERVICES["clamav"]["image"].startswith("clamav/clamav:")
    assert SERVICES["clamav"]["healthcheck"]["test"]
    for name in APP_SERVICES:
        assert SERVICES[name]["environment"]["CLAMD_URL"] == "tcp://clamav:3310", name


def test_app_services_use_production_settings_and_give_every_required_variable():
    settings_text = (ROOT / "complexcases/settings/production.py").read_text() + (
        ROOT / "complexcases/settings/base.py"
    ).read_text()
    required = set(re.findall(r'required\("([A-Z_]+)"\)', settings_text))
    assert required == {"SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "REDIS_URL"}
    example = (ROOT / ".env.example").read_text()
    for name in APP_SERVICES:
        service = SERVICES[name]
        assert (
            service["environment"]["DJANGO_SETTINGS_MODULE"] == "complexcases.settings.production"
        )
        given = set(service["environment"]) | {
            line.split("=")[0].lstrip("# ") for line in example.splitlines() if "=" in line
        }
        assert required <= given, name
        assert service["env_file"] == ".env"
        assert service["depends_on"]["db"]["condition"] == "service_healthy"
        assert service["depends_on"]["redis"]["condition"] == "service_healthy"


def test_commands_run_what_exists_in_the_code():
    assert SERVICES["web"]["command"][:2] == ["gunicorn", "complexcases.wsgi:application"]
    assert (ROOT / "complexcases/wsgi.py").exists()
    assert SERVICES["worker"]["command"][:4] == ["celery", "-A", "complexcases", "worker"]
    assert SERVICES["beat"]["command"][:4] == ["celery", "-A", "complexcases", "beat"]
    assert SERVICES["migrate"]["command"] == ["python", "manage.py", "migrate", "--no-input"]
    for name in ("web", "worker", "beat"):
        assert (
            SERVICES[name]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
        )


def test_the_dockerfile_builds_what_compose_runs():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "FROM python:3.11" in dockerfile
    assert "npm ci" in dockerfile
    assert "collectstatic" in dockerfile
    assert "tools/build_frontend.py" in dockerfile
    assert re.search(r"^USER \w+", dockerfile, re.MULTILINE), "the image must not run as root"


def test_gunicorn_logs_paths_without_query_strings():
    """Search terms and filters can hold names or CRNs; access logs must not."""
    config = {}
    exec((ROOT / "gunicorn.conf.py").read_text(), config)  # noqa: S102 - our own config file
    assert "%(U)s" in config["access_log_format"]
    for with_query in ("%(r)s", "%(q)s"):
        assert with_query not in config["access_log_format"]


def _database_user(service: str) -> str:
    return re.match(r"postgres://(\w+):", SERVICES[service]["environment"]["DATABASE_URL"])[1]


def test_migrate_runs_as_the_owner_role_and_the_rest_as_the_applications_role():
    """ADR 0023: only the owner may change the schema; the app may only add to the access log."""
    assert _database_user("migrate") == "complexcases_owner"
    for name in ("web", "worker", "beat"):
        assert _database_user(name) == "complexcases_app"
    for name in APP_SERVICES:
        assert SERVICES[name]["environment"]["DATABASE_APP_ROLE"] == "complexcases_app"


def test_the_database_is_made_with_both_roles_and_owned_by_the_owner():
    mounted = {
        volume.split(":")[1]: ROOT / volume.split(":")[0] for volume in SERVICES["db"]["volumes"]
    }
    script = mounted["/docker-entrypoint-initdb.d/10-complexcases-roles.sh"].read_text()
    assert "CREATE ROLE complexcases_owner LOGIN" in script
    assert "CREATE ROLE complexcases_app LOGIN" in script
    assert "CREATE DATABASE complexcases OWNER complexcases_owner" in script
    for password in ("DATABASE_OWNER_PASSWORD", "DATABASE_APP_PASSWORD"):
        assert password in SERVICES["db"]["environment"]
        assert f"{password}=" in (ROOT / ".env.example").read_text()


def test_single_sign_on_and_the_sar_api_settings_are_carried_and_documented():
    """Every OIDC_/SAR_API_ variable the settings read is in compose, .env.example and the README."""
    base = (ROOT / "complexcases/settings/base.py").read_text()
    names = set(re.findall(r'env\.\w+\("((?:OIDC|SAR_API)_[A-Z_]+|LOCAL_PASSWORDS_ENABLED)"', base))
    assert {"OIDC_ISSUER", "OIDC_ROLE_MAP", "SAR_API_AUDIENCE", "LOCAL_PASSWORDS_ENABLED"} <= names
    example = (ROOT / ".env.example").read_text()
    readme = (ROOT / "README.md").read_text()
    environment = COMPOSE["x-app"]["environment"]
    for name in names - {"OIDC_TIMEOUT_SECONDS"}:
        assert name in environment, name
    for name in names:
        assert f"{name}=" in example, name
        assert f"`{name}`" in readme, name
