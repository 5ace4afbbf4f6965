"""Shared fixtures. Airflow reads its configuration at import, so its home is set here first."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
_AF_HOME = Path(tempfile.mkdtemp(prefix="pw-airflow-"))
os.environ.update(
    {
        "AIRFLOW_HOME": str(_AF_HOME),
        "AIRFLOW__CORE__DAGS_FOLDER": str(ROOT / "dags"),
        "AIRFLOW__CORE__PLUGINS_FOLDER": str(ROOT / "plugins"),
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": f"sqlite:///{_AF_HOME / 'airflow.db'}",
        "AIRFLOW__LOGGING__LOGGING_LEVEL": "WARNING",
        "GX_ANALYTICS_ENABLED": "False",
        "NO_PROXY": "127.0.0.1,localhost",
    }
)
os.environ.setdefault("POSTWATCH_HOME", str(Path(tempfile.mkdtemp(prefix="pw-home-"))))


@pytest.fixture
def pw_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh POSTWATCH_HOME (landing zone and warehouse) for one test."""
    home = tmp_path / "var"
    monkeypatch.setenv("POSTWATCH_HOME", str(home))
    return home


@pytest.fixture(scope="session")
def airflow_db() -> Path:
    """A metadata database migrated into the session's temporary AIRFLOW_HOME."""
    airflow = Path(sys.executable).with_name("airflow")
    subprocess.run([str(airflow), "db", "migrate"], check=True, capture_output=True, env=os.environ.copy())
    return _AF_HOME
