"""The warehouse with its catalog on a real PostgreSQL server: the scale-out path, end to end.

A throw-away cluster is started on 127.0.0.1 for this module. Each test gets its own catalog
database, created by docker/postgres/10-warehouse-catalog.sh, the file the compose stack runs.
Without PostgreSQL's server binaries the module skips (CI installs them through .ci/run and sets
POSTWATCH_REQUIRE_POSTGRES=1, which turns a missing or broken server into a failure).
"""

from __future__ import annotations

import multiprocessing as mp
import os
import pwd
import secrets
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from postwatch.normalize.rejected import Rejected
from postwatch.settings import get_settings
from postwatch.warehouse.db import connect, read_query
from postwatch.warehouse.load import RunRecord, load_batch
from postwatch.warehouse.migrate import migrate

ROOT = Path(__file__).resolve().parents[2]
INIT_SCRIPT = ROOT / "docker" / "postgres" / "10-warehouse-catalog.sh"
NO_BINARIES = "no PostgreSQL server binaries found (apt-get install postgresql)"
T0 = datetime(2026, 11, 20, 1, 0, tzinfo=UTC)


def _server_bin() -> Path | None:
    """Directory holding initdb, pg_ctl and psql of one PostgreSQL version (newest first)."""
    dirs = []
    if found := shutil.which("pg_ctl"):
        dirs.append(Path(found).resolve().parent)
    versions = Path("/usr/lib/postgresql").glob("*/bin")
    dirs += sorted(versions, key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0, reverse=True)
    for d in dirs:
        if all((d / tool).is_file() for tool in ("initdb", "pg_ctl", "psql")):
            return d
    return None


def _run_as() -> list[str]:
    """initdb refuses to run as root: run the server as an unprivileged user when we are root."""
    if os.geteuid() != 0:
        return []
    runuser = shutil.which("runuser")
    for user in ("postgres", "nobody"):
        try:
            pwd.getpwnam(user)
        except KeyError:
            continue
        if runuser:
            return [runuser, "-u", user, "--"]
    raise RuntimeError("running as root, and no 'postgres' user with runuser to start PostgreSQL as")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Cluster:
    """A PostgreSQL cluster in a temporary directory, listening on 127.0.0.1 only."""

    bin: Path
    root: Path
    port: int
    run_as: list[str]

    @property
    def data(self) -> Path:
        return self.root / "data"

    def _owned_by_server_user(self) -> None:
        if self.run_as:
            user = pwd.getpwnam(self.run_as[2])
            os.chown(self.root, user.pw_uid, user.pw_gid)

    def start(self) -> None:
        self._owned_by_server_user()
        initdb = [str(self.bin / "initdb"), "-D", str(self.data), "-U", "postgres", "-E", "UTF8"]
        initdb += ["--locale=C", "--auth-local=trust", "--auth-host=scram-sha-256", "--no-sync"]
        subprocess.run([*self.run_as, *initdb], check=True, capture_output=True, text=True)
        opts = (
            f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.root} "
            "-c fsync=off -c full_page_writes=off -c synchronous_commit=off"
        )
        start = [str(self.bin / "pg_ctl"), "-D", str(self.data), "-l", str(self.root / "server.log")]
        subprocess.run(
            [*self.run_as, *start, "-w", "-t", "60", "-o", opts, "start"],
            check=True,
            capture_output=True,
            text=True,
        )

    def stop(self) -> None:
        stop = [str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop"]
        subprocess.run([*self.run_as, *stop], check=False, capture_output=True)
        shutil.rmtree(self.root, ignore_errors=True)

    def log_tail(self) -> str:
        log = self.root / "server.log"
        return log.read_text(errors="replace")[-2000:] if log.exists() else "(no server log)"

    def create_catalog(self, name: str, user: str, password: str) -> subprocess.CompletedProcess[str]:
        """Run the compose stack's init script against this cluster (superuser over the socket)."""
        env = {
            **os.environ,
            "PATH": f"{self.bin}:{os.environ.get('PATH', '')}",
            "PGHOST": str(self.root),
            "PGPORT": str(self.port),
            "POSTGRES_USER": "postgres",
            "POSTGRES_DB": "postgres",
            "WAREHOUSE_DB_NAME": name,
            "WAREHOUSE_DB_USER": user,
            "WAREHOUSE_DB_PASSWORD": password,
        }
        return subprocess.run(["bash", str(INIT_SCRIPT)], env=env, capture_output=True, text=True, check=True)

    def psql(self, db: str, query: str) -> str:
        cmd = [str(self.bin / "psql"), "-h", str(self.root), "-p", str(self.port), "-U", "postgres"]
        out = subprocess.run([*cmd, "-d", db, "-At", "-c", query], capture_output=True, text=True, check=True)
        return out.stdout.strip()


def _unavailable(reason: str) -> None:
    if os.environ.get("POSTWATCH_REQUIRE_POSTGRES") == "1":
        pytest.fail(f"POSTWATCH_REQUIRE_POSTGRES=1 but {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def cluster() -> Iterator[Cluster]:
    bin_dir = _server_bin()
    if bin_dir is None:
        _unavailable(NO_BINARIES)
    try:
        run_as = _run_as()
    except RuntimeError as exc:
        _unavailable(str(exc))
    # Not under pytest's tmp_path: its parents are private to root, the server user cannot enter.
    c = Cluster(bin_dir, Path(tempfile.mkdtemp(prefix="pw-pg-")), _free_port(), run_as)
    try:
        c.start()
    except subprocess.CalledProcessError as exc:
        detail = (exc.stderr or "").strip()[-800:]
        c.stop()
        _unavailable(f"could not start a PostgreSQL server from {bin_dir}: {detail}\n{c.log_tail()}")
    yield c
    c.stop()


@dataclass
class Catalog:
    name: str
    user: str
    password: str


@pytest.fixture
def pg_catalog(cluster: Cluster, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Catalog:
    """A fresh catalog database for one test; data files under tmp_path, as on a shared volume."""
    cat = Catalog(f"wh_{secrets.token_hex(4)}", f"pw_{secrets.token_hex(4)}", secrets.token_urlsafe(18))
    cluster.create_catalog(cat.name, cat.user, cat.password)
    monkeypatch.setenv("POSTWATCH_HOME", str(tmp_path / "var"))
    monkeypatch.setenv(
        "POSTWATCH_CATALOG", f"postgres:dbname={cat.name} host=127.0.0.1 port={cluster.port} user={cat.user}"
    )
    monkeypatch.setenv("POSTWATCH_CATALOG_PASSWORD", cat.password)
    monkeypatch.setenv("POSTWATCH_DATA_PATH", str(tmp_path / "data") + "/")
    return cat


def post(i: int, source: str = "s1") -> dict:
    return {
        "platform": "rss",
        "post_id": f"{source}-{i}",
        "source_id": source,
        "kind": "press",
        "url": f"https://baosonha.vn/{source}/{i}",
        "title": f"Tin {i}",
        "text": f"Bài viết số {i} về tỉnh Sơn Hà",
        "published_at": T0 + timedelta(minutes=i),
        "local_date": date(2026, 11, 20),
        "lang": "vi",
        "content_hash": f"h-{source}-{i}",
        "story_key": f"k{i}",
        "fetched_at": T0,
    }


def count(table: str, where: str = "true") -> int:
    return read_query(f"select count(*) from {table} where {where}")[1][0][0]


def test_a_batch_loads_and_reads_back_with_the_catalog_in_postgresql(
    cluster: Cluster, pg_catalog: Catalog, tmp_path: Path
) -> None:
    migrate()
    bad = Rejected("s1", "rss", None, "normalize", "missing post id", '{"title": "x"}', "f#1", "post_id")
    counts = load_batch([post(i) for i in range(40)], [bad], RunRecord("r1", "s1", state={}))
    assert (counts.new, counts.quarantined) == (40, 1)
    cols, rows = read_query("select post_id, title from posts where post_id = $id", {"id": "s1-7"})
    assert (cols, rows) == (["post_id", "title"], [("s1-7", "Tin 7")])
    assert (count("posts"), count("quarantine"), count("ingest_runs"), count("source_state")) == (40, 1, 1, 1)
    # The catalog lives in PostgreSQL, the rows in Parquet under the data path; no SQLite file.
    ducklake_tables = cluster.psql(
        pg_catalog.name, "select count(*) from information_schema.tables where table_name like 'ducklake_%'"
    )
    assert int(ducklake_tables) > 0
    assert list((tmp_path / "data").rglob("*.parquet"))
    assert not get_settings().catalog_path.exists()


def _writer(source: str, n: int, batches: int, q: mp.Queue) -> None:
    try:
        for b in range(batches):
            load_batch(
                [post(b * n + i, source) for i in range(n)], [], RunRecord(f"run-{source}-{b}", source)
            )
        q.put(("ok", source))
    except Exception as exc:  # report to the parent instead of dying silently
        q.put(("error", f"{source}: {type(exc).__name__}: {exc}"))


def test_two_concurrent_writers_and_an_open_reader_lose_nothing_on_a_postgresql_catalog(
    pg_catalog: Catalog,
) -> None:
    migrate()
    reader = connect(read_only=True)
    reader.execute("begin transaction")
    assert reader.execute("select count(*) from posts").fetchone()[0] == 0
    ctx = mp.get_context("spawn")  # children inherit POSTWATCH_* from os.environ
    q: mp.Queue = ctx.Queue()
    procs = [ctx.Process(target=_writer, args=(src, 300, 5, q)) for src in ("a", "b")]
    for p in procs:
        p.start()
    seen = []
    while any(p.is_alive() for p in procs):
        seen.append(reader.execute("select count(*) from posts").fetchone()[0])
        time.sleep(0.05)
    for p in procs:
        p.join(120)
    results = sorted(q.get(timeout=5) for _ in procs)
    reader.execute("commit")
    reader.close()
    assert results == [("ok", "a"), ("ok", "b")]
    assert set(seen) == {0}, "the open read transaction keeps its snapshot"
    assert count("posts") == 3000
    assert count("posts", "source_id = 'b'") == 1500
    assert count("post_versions") == 3000
    assert count("ingest_runs") == 10


def test_the_catalog_password_stays_out_of_connection_errors(
    cluster: Cluster, pg_catalog: Catalog, monkeypatch: pytest.MonkeyPatch
) -> None:
    closed = _free_port()
    monkeypatch.setenv(
        "POSTWATCH_CATALOG", f"postgres:dbname={pg_catalog.name} host=127.0.0.1 port={closed} user=x"
    )
    with pytest.raises(Exception) as refused:
        connect()
    assert "Connection refused" in str(refused.value) or "could not connect" in str(refused.value)
    assert pg_catalog.password not in str(refused.value)

    monkeypatch.setenv(
        "POSTWATCH_CATALOG",
        f"postgres:dbname={pg_catalog.name} host=127.0.0.1 port={cluster.port} user={pg_catalog.user}",
    )
    monkeypatch.setenv("POSTWATCH_CATALOG_PASSWORD", "wrong-" + pg_catalog.password)
    with pytest.raises(Exception) as denied:
        connect()
    assert "password authentication failed" in str(denied.value)
    assert pg_catalog.password not in str(denied.value)


def test_a_password_written_into_the_catalog_string_is_refused(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("POSTWATCH_HOME", str(tmp_path))
    monkeypatch.setenv("POSTWATCH_CATALOG", "postgres:dbname=postwatch host=127.0.0.1 password=hunter2")
    with pytest.raises(ValueError, match="POSTWATCH_CATALOG_PASSWORD") as refused:
        connect()
    assert "hunter2" not in str(refused.value)


def test_rerunning_the_catalog_init_script_keeps_the_data_and_rotates_the_password(
    cluster: Cluster, pg_catalog: Catalog, monkeypatch: pytest.MonkeyPatch
) -> None:
    migrate()
    load_batch([post(i) for i in range(5)], [], RunRecord("r1", "s1"))
    rotated = secrets.token_urlsafe(18)
    cluster.create_catalog(pg_catalog.name, pg_catalog.user, rotated)
    with pytest.raises(Exception, match="password authentication failed"):
        connect()
    monkeypatch.setenv("POSTWATCH_CATALOG_PASSWORD", rotated)
    assert count("posts") == 5
    # Only the warehouse role (and superusers) may connect to the catalog database.
    assert (
        cluster.psql(
            pg_catalog.name, f"select has_database_privilege('public', '{pg_catalog.name}', 'connect')"
        )
        == "f"
    )
