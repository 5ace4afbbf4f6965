"""Environment for running Airflow on this project locally (make demo, make airflow, tests)."""

from __future__ import annotations

import json
import os
from pathlib import Path

from postwatch.settings import PROJECT_ROOT, Settings, get_settings

DEMO_TOKENS = {
    "fb_ubnd_sonha": "demo-page-token",
    "fb_ppca_app": "demo-app-token",
    "zalo_oa_sonha": "demo-oa-token",
    "yt_sonha_tv": "demo-youtube-key",
}


def airflow_env(
    settings: Settings | None = None, demo_url: str | None = None, airflow_home: Path | None = None
) -> dict[str, str]:
    """Variables that point Airflow at this project's DAGs, plugins and a metadata DB under var/."""
    settings = settings or get_settings()
    home = airflow_home or settings.home / "airflow"
    home.mkdir(parents=True, exist_ok=True)
    env = {
        "AIRFLOW_HOME": str(home),
        "AIRFLOW__CORE__DAGS_FOLDER": str(PROJECT_ROOT / "dags"),
        "AIRFLOW__CORE__PLUGINS_FOLDER": str(PROJECT_ROOT / "plugins"),
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": f"sqlite:///{home / 'airflow.db'}",
        "AIRFLOW__CORE__DEFAULT_TIMEZONE": "Asia/Ho_Chi_Minh",
        "AIRFLOW__LOGGING__LOGGING_LEVEL": os.environ.get("AIRFLOW__LOGGING__LOGGING_LEVEL", "WARNING"),
        "POSTWATCH_HOME": str(settings.home),
        "POSTWATCH_CONFIG_DIR": str(settings.config_dir),
        "GX_ANALYTICS_ENABLED": "False",
        "NO_PROXY": "127.0.0.1,localhost",
    }
    from postwatch.airflow_glue import warehouse_duckdb_connection

    # The warehouse, read-only, for SQLExecuteQueryOperator / DuckDBHook (docs/sql-examples.md).
    env["AIRFLOW_CONN_POSTWATCH_WAREHOUSE"] = json.dumps(warehouse_duckdb_connection(settings))
    if demo_url:
        env["POSTWATCH_DEMO_URL"] = demo_url
        # Commenter names are stored as keyed hashes; the demo's key is public, production's is not.
        env["POSTWATCH_HASH_KEY"] = "demo-hash-key-not-a-secret-0001"
        for conn_id, token in DEMO_TOKENS.items():
            env[f"AIRFLOW_CONN_{conn_id.upper()}"] = json.dumps({"conn_type": "generic", "password": token})
    return env
