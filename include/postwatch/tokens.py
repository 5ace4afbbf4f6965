"""API tokens come from Airflow Connections or the environment, never from files or logs."""

from __future__ import annotations

import os
import re
from collections.abc import Callable

TokenResolver = Callable[[str], str | None]


def env_var_for(conn_id: str) -> str:
    return "POSTWATCH_TOKEN_" + re.sub(r"[^A-Z0-9]", "_", conn_id.upper())


def env_token(conn_id: str) -> str | None:
    """Token for ``conn_id`` from ``POSTWATCH_TOKEN_<CONN_ID>`` (CLI and tests without Airflow)."""
    return os.environ.get(env_var_for(conn_id)) or None
