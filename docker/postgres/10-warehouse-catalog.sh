#!/usr/bin/env bash
# Create the warehouse catalog's own role and database next to Airflow's metadata database.
#
# The postgres image runs this once, when its data volume is first initialised
# (/docker-entrypoint-initdb.d). It is idempotent, so on an existing volume run it by hand:
#   docker compose exec postgres bash /docker-entrypoint-initdb.d/10-warehouse-catalog.sh
# The test tests/integration/test_postgres_catalog.py runs this same file against a real server.
#
# Reads: POSTGRES_USER, POSTGRES_DB (superuser session), WAREHOUSE_DB_NAME, WAREHOUSE_DB_USER,
# WAREHOUSE_DB_PASSWORD. Values reach SQL as psql variables (:'name' / :"name"), quoted by psql.
set -euo pipefail

: "${WAREHOUSE_DB_PASSWORD:?set WAREHOUSE_DB_PASSWORD}"
WAREHOUSE_DB_NAME="${WAREHOUSE_DB_NAME:-postwatch}"
WAREHOUSE_DB_USER="${WAREHOUSE_DB_USER:-postwatch}"

psql -v ON_ERROR_STOP=1 --no-psqlrc --quiet \
    --username "${POSTGRES_USER:-postgres}" --dbname "${POSTGRES_DB:-postgres}" \
    --set wh_db="$WAREHOUSE_DB_NAME" \
    --set wh_user="$WAREHOUSE_DB_USER" \
    --set wh_password="$WAREHOUSE_DB_PASSWORD" <<'SQL'
SELECT format('CREATE ROLE %I LOGIN', :'wh_user')
WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'wh_user') \gexec
-- Set on every run, so rotating WAREHOUSE_DB_PASSWORD in .env and re-running this file is enough.
ALTER ROLE :"wh_user" WITH LOGIN PASSWORD :'wh_password';
SELECT format('CREATE DATABASE %I OWNER %I ENCODING %L TEMPLATE template0', :'wh_db', :'wh_user', 'UTF8')
WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = :'wh_db') \gexec
-- Only the warehouse role (and superusers) may connect to the catalog.
REVOKE ALL ON DATABASE :"wh_db" FROM PUBLIC;
GRANT ALL ON DATABASE :"wh_db" TO :"wh_user";
SQL

echo "warehouse catalog: database ${WAREHOUSE_DB_NAME} owned by ${WAREHOUSE_DB_USER} is ready"
