"""Analysts' Airflow connection: SQLExecuteQueryOperator and DuckDBHook read the real warehouse, read-only."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest
from airflow.providers.common.sql.operators.sql import SQLExecuteQueryOperator
from airflow.providers.duckdb.hooks.duckdb import DuckDBHook

from postwatch.airflow_glue import WAREHOUSE_CONN_ID, warehouse_duckdb_connection
from postwatch.warehouse.db import read_query
from tests.unit.ui.seed import seed

QUERY = "select tone, count(*) as posts from post_labels where relevant group by tone order by tone"


@pytest.fixture
def warehouse_conn(pw_home: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    seed()
    monkeypatch.setenv(f"AIRFLOW_CONN_{WAREHOUSE_CONN_ID.upper()}", json.dumps(warehouse_duckdb_connection()))
    return WAREHOUSE_CONN_ID


def test_sql_execute_query_operator_reads_the_warehouse_through_the_connection(warehouse_conn: str) -> None:
    op = SQLExecuteQueryOperator(task_id="tone_counts", conn_id=warehouse_conn, sql=QUERY)
    rows = op.execute(context={})
    expected = read_query(QUERY)[1]
    assert [tuple(r) for r in rows] == expected
    assert dict(expected) == {"negative": 5, "neutral": 5, "positive": 6}


def test_the_hook_sees_the_views_and_cannot_write(warehouse_conn: str) -> None:
    hook = DuckDBHook(duckdb_conn_id=warehouse_conn)
    assert hook.get_records("select count(*) from quarantine where status = 'open'") == [(3,)]
    assert hook.get_records("select count(*) from coverage_daily")[0][0] > 0
    with pytest.raises(duckdb.Error, match=r"read-only|read only"):
        hook.run("insert into units values ('x', 'x', 'x', null, [], now())")
    assert read_query("select count(*) from units where unit_id = 'x'")[1] == [(0,)]


def test_the_extension_directory_links_the_pinned_extension_files(warehouse_conn: str, pw_home: Path) -> None:
    extra = warehouse_duckdb_connection()["extra"]
    assert (
        isinstance(extra, dict)
        and extra["database"] == f"ducklake:sqlite:{pw_home / 'warehouse' / 'catalog.sqlite'}"
    )
    linked = sorted(p.name for p in Path(extra["extension_directory"]).rglob("*.duckdb_extension"))
    assert linked == ["ducklake.duckdb_extension", "sqlite_scanner.duckdb_extension"]
    # Idempotent: a second call (every `make airflow`) keeps the same links.
    assert warehouse_duckdb_connection()["extra"] == extra
