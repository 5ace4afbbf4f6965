"""Paths and switches, read from the environment so the CLI, DAGs and tests agree."""

from __future__ import annotations

from functools import cached_property
from pathlib import Path

from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parents[2]


class Settings(BaseSettings):
    """All runtime state lives under ``home``; configuration under ``config_dir``."""

    model_config = SettingsConfigDict(env_prefix="POSTWATCH_", extra="ignore")

    home: Path = PROJECT_ROOT / "var"
    config_dir: Path = PROJECT_ROOT / "include" / "config"
    sql_dir: Path = PROJECT_ROOT / "sql"
    # Warehouse catalog: "sqlite" (embedded default) or a libpq string "postgres:dbname=... host=..."
    catalog: str = "sqlite"
    # Where DuckLake keeps parquet data files; defaults to home/warehouse/data.
    data_path: str | None = None
    timezone: str = "Asia/Ho_Chi_Minh"
    user_agent: str = "PostWatch/0.1 (+public-post monitoring for a local government; contact via config)"
    http_timeout: float = 20.0
    http_max_retries: int = 4
    http_backoff_base: float = 0.5
    http_backoff_cap: float = 60.0
    # Minimum seconds between two requests to the same host.
    http_min_interval: float = 0.0
    # Airflow task retries for the DAGs; the demo shortens the delay so a retry does not stall it.
    task_retries: int = 2
    task_retry_delay: float = 120.0

    def task_defaults(self) -> dict[str, object]:
        """``default_args`` shared by the DAGs: retries with exponential back-off."""
        from datetime import timedelta

        return {
            "retries": self.task_retries,
            "retry_delay": timedelta(seconds=self.task_retry_delay),
            "retry_exponential_backoff": True,
        }

    @cached_property
    def landing_dir(self) -> Path:
        return self.home / "landing"

    @cached_property
    def warehouse_dir(self) -> Path:
        return self.home / "warehouse"

    @cached_property
    def catalog_path(self) -> Path:
        return self.warehouse_dir / "catalog.sqlite"

    @cached_property
    def resolved_data_path(self) -> str:
        return self.data_path or str(self.warehouse_dir / "data") + "/"


def get_settings() -> Settings:
    """Fresh settings each call: tests and tasks change the environment between runs."""
    return Settings()
