#!/bin/sh
# Run once by the postgres image when its data volume is new (docker-compose.yml mounts it in
# /docker-entrypoint-initdb.d). Two roles (ADR 0023, docs/security.md): the owner, which owns
# the database and runs migrate, and the application's role, which the web, worker and beat
# use and which migrate grants only what it may do (INSERT and SELECT on the access log).
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
  -v owner_password="$DATABASE_OWNER_PASSWORD" -v app_password="$DATABASE_APP_PASSWORD" <<'SQL'
CREATE ROLE complexcases_owner LOGIN PASSWORD :'owner_password';
CREATE ROLE complexcases_app LOGIN PASSWORD :'app_password';
CREATE DATABASE complexcases OWNER complexcases_owner;
REVOKE ALL ON DATABASE complexcases FROM PUBLIC;
GRANT CONNECT ON DATABASE complexcases TO complexcases_app;
SQL
