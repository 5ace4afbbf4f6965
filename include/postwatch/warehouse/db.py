"""Open the DuckLake warehouse as a writer or a read-only reader.

The embedded default is DuckLake with a SQLite catalog file and Parquet data files under
``var/warehouse``: every writer commits a snapshot in its own transaction, so two tasks
writing at once both succeed (conflicts are retried) and an analyst's open read-only
session never blocks ingestion. For scale, the catalog moves to PostgreSQL
(``POSTWATCH_CATALOG=postgres:dbname=... host=...``) and the data path to object storage.
"""

from __future__ import annotations

import contextlib
import importlib
import logging
import os
import random
import re
import sqlite3
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import closing, contextmanager
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlsplit

import duckdb

from postwatch.settings import Settings, get_settings

log = logging.getLogger(__name__)
T = TypeVar("T")
ALIAS = "wh"
# libpq password for a postgres catalog, kept out of POSTWATCH_CATALOG (see _load_extensions).
CATALOG_PASSWORD_ENV = "POSTWATCH_CATALOG_PASSWORD"
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


def _load_extensions(con: duckdb.DuckDBPyConnection, settings: Settings) -> None:
    """Load what the catalog and the data path need, from the pinned PyPI packages (never downloaded)."""
    con.execute(f"LOAD '{_extension_file('duckdb_extension_ducklake', 'ducklake')}'")
    if settings.catalog == "sqlite":
        con.execute(f"LOAD '{_extension_file('duckdb_extension_sqlite_scanner', 'sqlite_scanner')}'")
    elif settings.catalog.startswith("postgres:"):
        con.execute(f"LOAD '{_extension_file('duckdb_extension_postgres_scanner', 'postgres_scanner')}'")
        if password := os.environ.get(CATALOG_PASSWORD_ENV):
            # The default postgres secret, not password= in the libpq string: DuckDB quotes that
            # string in its connection errors, which would put the password in task logs.
            con.execute(
                "CREATE OR REPLACE TEMPORARY SECRET (TYPE postgres, PASSWORD $password)",
                {"password": password},
            )
    data_path = settings.resolved_data_path
    if data_path.startswith("s3://"):
        con.execute(f"LOAD '{_extension_file('duckdb_extension_httpfs', 'httpfs')}'")
        statement, params = _s3_secret(data_path)
        try:
            con.execute(statement, params)
        except duckdb.Error as exc:
            message = str(exc)
            for value in params.values():
                if isinstance(value, str) and len(value) > 3:
                    message = message.replace(value, "***")
            raise RuntimeError(f"cannot create the S3 secret from POSTWATCH_S3_*: {message}") from None


def _s3_secret(data_path: str, env: Mapping[str, str] | None = None) -> tuple[str, dict[str, Any]]:
    """A CREATE SECRET statement and its bound values for an s3:// data path, from POSTWATCH_S3_*.

    The secret is scoped to the data path's bucket. Values are bound, never formatted into SQL
    nor logged. POSTWATCH_S3_ENDPOINT may carry a scheme: ``http://minio:9000`` turns TLS off.
    """
    env = os.environ if env is None else env
    bucket = urlsplit(data_path).netloc
    if not bucket:
        raise ValueError(f"POSTWATCH_DATA_PATH {data_path!r} names no bucket (expected s3://bucket/prefix/)")
    params: dict[str, Any] = {"scope": f"s3://{bucket}"}
    key_id, secret = env.get("POSTWATCH_S3_KEY_ID", ""), env.get("POSTWATCH_S3_SECRET", "")
    if bool(key_id) != bool(secret):
        raise ValueError(
            "set both POSTWATCH_S3_KEY_ID and POSTWATCH_S3_SECRET, or neither (anonymous access)"
        )
    if key_id:
        params["key_id"], params["secret"] = key_id, secret
    if region := env.get("POSTWATCH_S3_REGION", ""):
        params["region"] = region
    if endpoint := env.get("POSTWATCH_S3_ENDPOINT", ""):
        parts = urlsplit(endpoint if "://" in endpoint else f"//{endpoint}")
        if parts.scheme not in ("", "http", "https") or not parts.netloc:
            raise ValueError(
                f"POSTWATCH_S3_ENDPOINT {endpoint!r} is not host[:port] or http(s)://host[:port]"
            )
        params["endpoint"] = parts.netloc
        if parts.scheme:
            params["use_ssl"] = parts.scheme == "https"
    if url_style := env.get("POSTWATCH_S3_URL_STYLE", ""):
        if url_style not in ("path", "vhost"):
            raise ValueError(f"POSTWATCH_S3_URL_STYLE must be 'path' or 'vhost', not {url_style!r}")
        params["url_style"] = url_style
    options = ", ".join(f"{name.upper()} ${name}" for name in params)
    return f"CREATE OR REPLACE TEMPORARY SECRET postwatch_s3 (TYPE s3, {options})", params


def _ensure_wal(path: Path) -> None:
    """Put the SQLite catalog in WAL mode (persistent in the file, so this is cheap after the first time).

    In SQLite's default rollback-journal mode an analyst's open read transaction holds a shared
    lock that blocks every writer's commit; in WAL mode readers keep their snapshot and writers
    commit past them, which is what requirement (a) of the storage design needs.
    """
    with closing(sqlite3.connect(path, timeout=30)) as db:
        if db.execute("pragma journal_mode").fetchone()[0].lower() != "wal":
            db.execute("pragma journal_mode=wal")


def _attach_target(settings: Settings) -> str:
    if settings.catalog == "sqlite":
        settings.warehouse_dir.mkdir(parents=True, exist_ok=True)
        _retry_sqlite(lambda: _ensure_wal(settings.catalog_path))
        return f"ducklake:sqlite:{settings.catalog_path}"
    if settings.catalog.startswith("postgres:"):
        if re.search(r"(^|\s)password\s*=", settings.catalog[len("postgres:") :]):
            raise ValueError(
                f"POSTWATCH_CATALOG must not carry password=: DuckDB repeats the catalog string in its "
                f"errors, so the password would reach the logs; set {CATALOG_PASSWORD_ENV} instead"
            )
        return "ducklake:" + settings.catalog
    raise ValueError(
        f"POSTWATCH_CATALOG must be 'sqlite' or 'postgres:<libpq string>', not {settings.catalog!r}"
    )


# Extensions are loaded only by explicit path from wheels whose hashes uv.lock pins, never
# installed or auto-loaded; DuckDB's own signature check re-hashes ~40 MB per LOAD (0.3 s on
# every connection), which the lock's hash check already covers.
_DUCKDB_CONFIG = {
    "autoinstall_known_extensions": False,
    "autoload_known_extensions": False,
    "allow_unsigned_extensions": True,
}


def connect(read_only: bool = False, settings: Settings | None = None) -> duckdb.DuckDBPyConnection:
    """A new connection with the warehouse attached as the default catalog.

    Callers close it (use ``with connect() as con``). Readers pass ``read_only=True``.
    """
    settings = settings or get_settings()
    con = duckdb.connect(config=_DUCKDB_CONFIG)
    try:
        _load_extensions(con, settings)
        data_path = settings.resolved_data_path
        if "://" not in data_path:
            Path(data_path).mkdir(parents=True, exist_ok=True)
        opts = ["DATA_PATH ?"]
        if settings.catalog == "sqlite" and settings.data_path is None:
            # The embedded warehouse lives under POSTWATCH_HOME: follow the folder when it is moved
            # or copied (file paths in the catalog are relative to the data path).
            opts.append("OVERRIDE_DATA_PATH true")
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


def _retry_sqlite(fn: Callable[[], None], attempts: int = 10) -> None:
    for attempt in range(attempts):
        try:
            return fn()
        except sqlite3.OperationalError:
            if attempt == attempts - 1:
                raise
            time.sleep(0.05 * 2**attempt)


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


def writer(
    fn: Callable[[duckdb.DuckDBPyConnection], T],
    settings: Settings | None = None,
    con: duckdb.DuckDBPyConnection | None = None,
) -> T:
    """Run ``fn`` in one write transaction; on a commit conflict the whole function is re-run.

    ``fn`` must be re-runnable: it sees the latest snapshot on each attempt. ``con``: a connection
    from ``connect()`` the caller keeps for many transactions (a bulk load: attaching the lake
    costs about 50 ms); by default each call opens and closes its own.
    """

    def attempt() -> T:
        c = con if con is not None else connect(settings=settings)
        try:
            c.execute("BEGIN TRANSACTION")
            try:
                out = fn(c)
                c.execute("COMMIT")
                return out
            except BaseException:
                with contextlib.suppress(duckdb.Error):
                    c.execute("ROLLBACK")
                raise
        finally:
            if c is not con:  # opened here
                c.close()

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
