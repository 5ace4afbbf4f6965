#!/usr/bin/env bash
# One-shot set-up run by the compose service "init" (as root) before any Airflow service starts.
# Every step is idempotent: `docker compose up init` again after changing pools.json or the config.
set -euo pipefail

AIRFLOW_UID="${AIRFLOW_UID:-50000}"
DEPLOY=/opt/airflow/deploy

as_airflow() {
    # Files written to the shared volumes belong to the user the long-running services run as.
    HOME=/home/airflow setpriv --reuid="$AIRFLOW_UID" --regid=0 --clear-groups -- "$@"
}

echo "== checking secrets"
python - <<'PY'
import os
import sys

from cryptography.fernet import Fernet

# "new,old" while rotating: every comma-separated part must be a key.
try:
    for key in os.environ["AIRFLOW__CORE__FERNET_KEY"].split(","):
        Fernet(key.strip())
except (KeyError, ValueError) as exc:
    sys.exit(f"AIRFLOW_FERNET_KEY in .env is not a Fernet key ({exc}); see .env.example for how to make one")
weak = [
    name
    for name in ("AIRFLOW__API_AUTH__JWT_SECRET", "AIRFLOW__API__SECRET_KEY", "POSTWATCH_CATALOG_PASSWORD")
    if len(os.environ.get(name, "")) < 16
]
if weak:
    sys.exit(f"too short (< 16 characters) in .env: {', '.join(weak)}; see .env.example")
PY

echo "== shared volumes owned by uid ${AIRFLOW_UID}"
mkdir -p /opt/airflow/logs /opt/airflow/var
chown -R "${AIRFLOW_UID}:0" /opt/airflow/logs /opt/airflow/var

echo "== Airflow metadata database and admin user"
# The image entrypoint migrates (_AIRFLOW_DB_MIGRATE) and creates the user (_AIRFLOW_WWW_USER_CREATE).
/entrypoint airflow version

echo "== per-platform pools"
as_airflow airflow pools import "${DEPLOY}/pools.json"

echo "== registry and warehouse schema"
as_airflow postwatch sources validate
as_airflow python -c 'from postwatch.warehouse.migrate import migrate; print("migrations applied:", migrate() or "none")'

chown -R "${AIRFLOW_UID}:0" /opt/airflow/logs
echo "== init done"
