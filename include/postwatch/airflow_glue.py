"""The only library module that imports Airflow: Assets, and Connections turned into plain values."""

from __future__ import annotations

import logging

from airflow.sdk import Asset, Connection

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
