"""The only library module that imports Airflow: Assets, and Connections turned into plain values."""

from __future__ import annotations

import logging

from airflow.sdk import Asset, Connection, Param

from postwatch.report.mail import SmtpSettings
from postwatch.tokens import env_token

log = logging.getLogger(__name__)

# Published by `collect` when new or changed posts are in the warehouse; `process` and
# `hot_alerts` are scheduled on it rather than on a clock.
POSTS = Asset(name="postwatch_posts", uri="file:///postwatch/warehouse/posts", group="postwatch")


def airflow_token(conn_id: str) -> str | None:
    """Token from the Airflow connection's password (or extra ``token``), else the environment."""
    try:
        conn = Connection.get(conn_id)
    except Exception as exc:  # missing connection: fall back, the collector says "no token"
        log.info("no Airflow connection %s (%s); trying POSTWATCH_TOKEN_*", conn_id, type(exc).__name__)
        return env_token(conn_id)
    token = conn.password or (conn.extra_dejson or {}).get("token")
    return token or env_token(conn_id)


def smtp_settings(conn_id: str = "smtp_default") -> SmtpSettings | None:
    """The Airflow SMTP connection as plain settings (same extras as the SMTP provider reads:
    ``from_email``, ``disable_ssl``, ``disable_tls``, ``timeout``, ``retry_limit``); without
    that connection, the ``POSTWATCH_SMTP_*`` environment; None when neither is set."""
    try:
        conn = Connection.get(conn_id)
    except Exception as exc:  # no connection: mail may still be configured in the environment
        log.info("no Airflow connection %s (%s); trying POSTWATCH_SMTP_*", conn_id, type(exc).__name__)
        return SmtpSettings.from_env()
    if not conn.host:
        return SmtpSettings.from_env()
    extra = conn.extra_dejson or {}
    use_ssl = not _flag(extra.get("disable_ssl", False))
    return SmtpSettings(
        host=conn.host,
        port=conn.port or (465 if use_ssl else 587),
        user=conn.login or None,
        password=conn.password or None,
        ssl=use_ssl,
        starttls=not use_ssl and not _flag(extra.get("disable_tls", False)),
        sender=extra.get("from_email") or SmtpSettings.sender,
        timeout=float(extra.get("timeout", 30)),
        retries=int(extra.get("retry_limit", 3)) + 1,
    )


def _flag(value: object) -> bool:
    return value.strip().lower() in ("1", "true", "yes", "on") if isinstance(value, str) else bool(value)


WAREHOUSE_CONN_ID = "postwatch_warehouse"


def warehouse_duckdb_connection(settings: object | None = None) -> dict[str, object]:
    """The Airflow connection (``conn_type`` duckdb) that opens the warehouse read-only for
    SQLExecuteQueryOperator / DuckDBHook, as the JSON of ``AIRFLOW_CONN_POSTWATCH_WAREHOUSE``.

    DuckDB opens a DuckLake catalog given as the database (``ducklake:sqlite:<catalog>``) and
    autoloads the ducklake and sqlite extensions from ``extension_directory``. The hook loads
    extensions by name only and never downloads here, so the pinned extension files from the
    PyPI packages are linked into DuckDB's directory layout under ``<home>/duckdb_extensions``.
    A postgres catalog works the same way (libpq takes the password from PGPASSWORD).
    """
    from pathlib import Path

    import duckdb

    from postwatch.settings import Settings, get_settings
    from postwatch.warehouse.db import _extension_file

    s = settings if isinstance(settings, Settings) else get_settings()
    if s.catalog == "sqlite":
        database, needed = f"ducklake:sqlite:{s.catalog_path}", ["ducklake", "sqlite_scanner"]
    elif s.catalog.startswith("postgres:"):
        database, needed = f"ducklake:{s.catalog}", ["ducklake", "postgres_scanner"]
    else:
        raise ValueError(f"POSTWATCH_CATALOG must be 'sqlite' or 'postgres:...', not {s.catalog!r}")
    with duckdb.connect() as probe:
        platform = probe.execute("pragma platform").fetchone()[0]
    ext_dir = s.home / "duckdb_extensions"
    target = ext_dir / f"v{duckdb.__version__}" / platform
    target.mkdir(parents=True, exist_ok=True)
    for name in needed:
        source = Path(_extension_file(f"duckdb_extension_{name}", name))
        link = target / source.name
        if not link.exists() or link.resolve() != source.resolve():
            link.unlink(missing_ok=True)
            link.symlink_to(source)
    return {
        "conn_type": "duckdb",
        "description": "PostWatch warehouse (DuckLake), read-only",
        "extra": {
            "database": database,
            "read_only": True,
            "extension_directory": str(ext_dir),
            "autoinstall_extensions": False,
            "autoload_extensions": True,
        },
    }


def comment_hash_key() -> str | None:
    """The key commenters are hashed with: Airflow Variable ``postwatch_hash_key``, else the password
    of connection ``postwatch_hash_key``, else POSTWATCH_HASH_KEY (None: postwatch.comments refuses)."""
    import os

    from airflow.sdk import Variable

    try:
        value = Variable.get("postwatch_hash_key", default=None)
    except Exception as exc:  # no metadata DB reachable: the environment still works
        log.info("no Airflow Variable postwatch_hash_key (%s)", type(exc).__name__)
        value = None
    if not value:
        try:
            value = Connection.get("postwatch_hash_key").password
        except Exception:
            value = None
    return value or os.environ.get("POSTWATCH_HASH_KEY") or None


from typing import TYPE_CHECKING  # noqa: E402

if TYPE_CHECKING:  # the notify module pulls in jinja and matplotlib: not at DAG parse time
    from postwatch.alerts.notify import TelegramTarget


def telegram_target(conn_id: str = "telegram_default") -> TelegramTarget | None:
    """The Telegram connection as plain settings, the way the Telegram provider reads it (password:
    bot token, extra ``chat_id``; host: another Bot API server); None when it is not configured."""
    from postwatch.alerts.notify import TelegramTarget

    try:
        conn = Connection.get(conn_id)
    except Exception as exc:  # no connection: alerts go by mail only
        log.info("no Airflow connection %s (%s); alerts by e-mail only", conn_id, type(exc).__name__)
        return None
    extra = conn.extra_dejson or {}
    token, chat_id = conn.password or extra.get("token"), extra.get("chat_id")
    if not token or not chat_id:
        log.warning("connection %s needs a bot token (password) and extra chat_id: no Telegram", conn_id)
        return None
    base = conn.host if conn.host and conn.host.startswith("http") else "https://api.telegram.org"
    return TelegramTarget(token=token, chat_id=str(chat_id), base_url=base)


def local_date_param(title: str, description: str) -> Param:
    """An optional local day for a trigger form; the form refuses anything but YYYY-MM-DD."""
    return Param(None, type=["null", "string"], format="date", title=title, description=description)
