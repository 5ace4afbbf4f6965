"""Bring the warehouse schema up to date from the numbered files in sql/schema, then the views."""

from __future__ import annotations

from datetime import UTC, datetime

import duckdb

from postwatch.settings import Settings
from postwatch.warehouse.db import writer
from postwatch.warehouse.sqlfiles import files

BOOTSTRAP = """
create table if not exists schema_migrations (
    version    varchar not null,
    applied_at timestamptz not null
)
"""


def migrate(settings: Settings | None = None) -> list[str]:
    """Apply pending migrations and (re)create every view; returns the versions applied."""

    def run(con: duckdb.DuckDBPyConnection) -> list[str]:
        con.execute(BOOTSTRAP)
        done = {r[0] for r in con.execute("select version from schema_migrations").fetchall()}
        applied = []
        for path in files("schema"):
            if path.stem in done:
                continue
            con.execute(path.read_text(encoding="utf-8"))
            con.execute("insert into schema_migrations values (?, ?)", [path.stem, datetime.now(UTC)])
            applied.append(path.stem)
        for path in files("views"):
            con.execute(path.read_text(encoding="utf-8"))
        return applied

    return writer(run, settings)
