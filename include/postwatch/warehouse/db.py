"""Open the DuckLake warehouse as a writer or a read-only reader.

The embedded default is DuckLake with a SQLite catalog file and Parquet data files under
``var/warehouse``: every writer commits a snapshot in its own transaction, so two tasks
writing at once both succeed (conflicts are retried) and an analyst's open read-only
session never blocks ingestion. For scale, the catalog moves to PostgreSQL
(``POSTWATCH_CATALOG=postgres:dbname=... host=...``) and the data path to object storage.
"""

from __future__ import annotations

import importlib
import logging
import random
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import duckdb

from postwatch.settings import Settings, get_settings

log = logging.getLogger(__name__)
T = TypeVar("T")
ALIAS = "wh"
RETRYABLE = ("conflict", "database is locked", "database table is locked", "could not serialize")


def _extension_file(package: str, name: str) -> str:
    mod = importlib.import_module(package)
    path = Path(mod.__file__).parent / "extensions" / f"v{duckdb.__version__}" / f"{name}.duckdb_extension"
    if not path.exists():
        raise RuntimeError(
            f"DuckDB extension {name} for v{duckdb.__version__} not found at {path}; "
            f"install the PyPI package {package.replace('_', '-')} pinned to DuckDB's version"
        )
    return str(path)


def _load_extensions(con: duckdb.DuckDBPyConnection, catalog: str) -> None:
    con.execute(f"LOAD '{_extension_file('duckdb_extension_ducklake', 'ducklake')}'")
    if catalog == "sqlite":
        con.execute(f"LOAD '{_extension_file('duckdb_extension_sqlite_scanner', 'sqlite_scanner')}'")
    elif catalog.startswith("postgres:"):
        con.execute(f"LOAD '{_extension_file('duckdb_extension_postgres_scanner', 'postgres_scanner')}'")


def _attach_target(settings: Settings) -> str:
    if settings.catalog == "sqlite":
        settings.warehouse_dir.mkdir(parents=True, exist_ok=True)
        return f"ducklake:sqlite:{settings.catalog_path}"
    if settings.catalog.startswith("postgres:"):
        return "ducklake:" + settings.catalog
    raise ValueError(
        f"POSTWATCH_CATALOG must be 'sqlite' or 'postgres:<libpq string>', not {settings.catalog!r}"
    )


def connect(read_only: bool = False, settings: Settings | None = None) -> duckdb.DuckDBPyConnection:
    """A new connection with the warehouse attached as the default catalog.

    Callers close it (use ``with connect() as con``). Readers pass ``read_only=True``.
    """
    settings = settings or get_settings()
    con = duckdb.connect(config={"autoinstall_known_extensions": False, "autoload_known_extensions": False})
    try:
        _load_extensions(con, settings.catalog)
        data_path = settings.resolved_data_path
        if "://" not in data_path:
            Path(data_path).mkdir(parents=True, exist_ok=True)
        opts = ["DATA_PATH ?"]
        if read_only:
            opts.append("READ_ONLY")
        target = _attach_target(settings)
        _retry(lambda: con.execute(f"ATTACH '{target}' AS {ALIAS} ({', '.join(opts)})", [data_path]))
        con.execute(f"USE {ALIAS}")
        con.execute("SET TimeZone = 'UTC'")
    except Exception:
        con.close()
        raise
    return con


def _retryable(exc: Exception) -> bool:
    msg = str(exc).lower()
    return isinstance(exc, duckdb.TransactionException) or any(k in msg for k in RETRYABLE)


def _retry(fn: Callable[[], T], attempts: int = 12) -> T:
    """Retry catalog lock / commit conflicts with jittered backoff; other errors pass through."""
    for attempt in range(attempts):
        try:
            return fn()
        except duckdb.Error as exc:
            if not _retryable(exc) or attempt == attempts - 1:
                raise
            wait = min(5.0, 0.05 * 2**attempt) * (0.5 + random.random())
            log.info("warehouse busy (%s); retrying in %.2fs", str(exc).splitlines()[0][:120], wait)
            time.sleep(wait)
    raise AssertionError("unreachable")


def writer(fn: Callable[[duckdb.DuckDBPyConnection], T], settings: Settings | None = None) -> T:
    """Run ``fn`` in one write transaction; on a commit conflict the whole function is re-run.

    ``fn`` must be re-runnable: it sees the latest snapshot on each attempt.
    """

    def attempt() -> T:
        con = connect(settings=settings)
        try:
            con.execute("BEGIN TRANSACTION")
            try:
                out = fn(con)
                con.execute("COMMIT")
                return out
            except BaseException:
                try:
                    con.execute("ROLLBACK")
                except duckdb.Error:
                    pass
                raise
        finally:
            con.close()

    return _retry(attempt)


@contextmanager
def reader(settings: Settings | None = None) -> Iterator[duckdb.DuckDBPyConnection]:
    con = connect(read_only=True, settings=settings)
    try:
        yield con
    finally:
        con.close()


def read_query(
    query: str, params: list[Any] | dict[str, Any] | None = None, settings: Settings | None = None
) -> tuple[list[str], list[tuple[Any, ...]]]:
    """Run one read-only query and return (column names, rows); retried while the catalog is busy."""

    def run() -> tuple[list[str], list[tuple[Any, ...]]]:
        with reader(settings) as con:
            cur = con.execute(query, params or [])
            cols = [d[0] for d in cur.description] if cur.description else []
            return cols, cur.fetchall()

    return _retry(run)


def export_parquet(query: str, out: Path, settings: Settings | None = None) -> int:
    """Write a read-only query's result to Parquet; returns the row count."""

    def run() -> int:
        with reader(settings) as con:
            rel = con.sql(query)
            out.parent.mkdir(parents=True, exist_ok=True)
            rel.write_parquet(str(out))
            return con.execute("select count(*) from read_parquet(?)", [str(out)]).fetchone()[0]

    return _retry(run)
