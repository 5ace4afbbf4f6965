"""Storage: concurrent writers and an open reader, a killed load, idempotent re-loads."""

from __future__ import annotations

import multiprocessing as mp
import os
import signal
import subprocess
import sys
import textwrap
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from postwatch.normalize.rejected import Rejected
from postwatch.warehouse.db import connect, read_query
from postwatch.warehouse.load import RunRecord, load_batch
from postwatch.warehouse.migrate import migrate

T0 = datetime(2026, 11, 20, 1, 0, tzinfo=UTC)


def post(i: int, source: str = "s1", text: str | None = None, **kw: object) -> dict:
    body = text or f"Bài viết số {i} về tỉnh Sơn Hà"
    row = {
        "platform": "rss",
        "post_id": f"{source}-{i}",
        "source_id": source,
        "unit_id": None,
        "kind": "press",
        "url": f"https://bao.vn/{source}/{i}",
        "title": f"Tin {i}",
        "text": body,
        "published_at": T0 + timedelta(minutes=i),
        "local_date": date(2026, 11, 20),
        "lang": "vi",
        "likes": i,
        "content_hash": f"h-{hash(body)}",
        "story_key": f"k{i}",
        "fetched_at": T0,
    }
    row.update(kw)
    return row


def count(table: str, where: str = "true") -> int:
    return read_query(f"select count(*) from {table} where {where}")[1][0][0]


def _writer(home: str, source: str, n: int, batches: int, q: mp.Queue) -> None:
    os.environ["POSTWATCH_HOME"] = home
    try:
        for b in range(batches):
            rows = [post(b * n + i, source) for i in range(n)]
            load_batch(rows, [], RunRecord(f"run-{source}-{b}", source, state={}))
        q.put(("ok", source))
    except Exception as exc:  # report to the parent instead of dying silently
        q.put(("error", f"{source}: {type(exc).__name__}: {exc}"))


def test_two_concurrent_writers_and_an_open_reader_lose_nothing(pw_home: Path) -> None:
    migrate()
    reader = connect(read_only=True)
    reader.execute("begin transaction")
    assert reader.execute("select count(*) from posts").fetchone()[0] == 0
    ctx = mp.get_context("spawn")
    q: mp.Queue = ctx.Queue()
    procs = [ctx.Process(target=_writer, args=(str(pw_home), src, 500, 6, q)) for src in ("a", "b")]
    for p in procs:
        p.start()
    # The analyst keeps reading while both writers commit.
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
    assert count("posts") == 6000
    assert count("posts", "source_id = 'a'") == 3000
    assert count("ingest_runs") == 12
    assert count("source_state") == 2


KILL_SCRIPT = textwrap.dedent("""
    import datetime, sys, time
    sys.path.insert(0, {tests!r})
    from unit.warehouse.test_storage import post
    from postwatch.warehouse.db import writer
    from postwatch.warehouse.load import _load_in, rows_to_arrow, rejected_to_arrow

    def slow(con):
        _load_in(con, rows_to_arrow([post(i, "k") for i in range(20000)]),
                 rejected_to_arrow([], "r"), {now!r})
        print("LOADED-UNCOMMITTED", flush=True)
        time.sleep(60)

    writer(slow)
""")


def test_a_load_killed_before_commit_leaves_nothing_and_the_rerun_completes(pw_home: Path) -> None:
    migrate()
    script = KILL_SCRIPT.format(tests=str(Path(__file__).resolve().parents[2]), now=T0)
    proc = subprocess.Popen(
        [sys.executable, "-c", script],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "POSTWATCH_HOME": str(pw_home)},
    )
    line = proc.stdout.readline()
    assert line.strip() == "LOADED-UNCOMMITTED"
    proc.send_signal(signal.SIGKILL)
    proc.wait(30)
    assert count("posts") == 0
    assert count("post_versions") == 0
    counts = load_batch([post(i, "k") for i in range(20000)], [], RunRecord("rerun", "k"))
    assert (counts.new, counts.quarantined) == (20000, 0)
    assert count("posts") == 20000


def test_loading_the_same_batch_twice_leaves_identical_counts(pw_home: Path) -> None:
    migrate()
    bad = Rejected(
        "s1", "rss", None, "normalize", "missing post id", '{"title": "x"}', "f#1", "post_id_not_null"
    )
    rows = [post(i) for i in range(50)]
    first = load_batch(rows, [bad], RunRecord("r1", "s1"))
    second = load_batch(rows, [bad], RunRecord("r1", "s1"))
    assert (first.new, first.quarantined) == (50, 1)
    assert (second.new, second.unchanged, second.quarantined) == (0, 50, 1)
    assert (count("posts"), count("post_versions"), count("quarantine"), count("ingest_runs")) == (
        50,
        50,
        1,
        1,
    )


def test_duplicates_in_one_batch_resolve_to_the_latest_version(pw_home: Path) -> None:
    migrate()
    old = post(1, text="Bản cũ", updated_at=T0)
    new = post(1, text="Bản mới đã sửa", updated_at=T0 + timedelta(hours=1))
    counts = load_batch([new, old], [], RunRecord("r", "s1"))
    assert (counts.fetched, counts.new, counts.duplicates) == (2, 1, 1)
    assert read_query("select text, version from posts")[1] == [("Bản mới đã sửa", 1)]


def test_an_edit_becomes_a_new_version_and_an_older_copy_does_not_overwrite(pw_home: Path) -> None:
    migrate()
    load_batch([post(1, text="Bản gốc", updated_at=T0)], [], RunRecord("r1", "s1"))
    edited = load_batch(
        [post(1, text="Bản đã sửa", updated_at=T0 + timedelta(hours=2))], [], RunRecord("r2", "s1")
    )
    stale = load_batch([post(1, text="Bản gốc", updated_at=T0)], [], RunRecord("r3", "s1"))
    assert edited.changed == 1
    assert stale.changed == 0
    assert read_query("select text, version from posts")[1] == [("Bản đã sửa", 2)]
    assert read_query("select version, text from post_versions order by version")[1] == [
        (1, "Bản gốc"),
        (2, "Bản đã sửa"),
    ]


def test_engagement_changes_refresh_counts_without_a_new_version(pw_home: Path) -> None:
    migrate()
    load_batch([post(1, likes=3)], [], RunRecord("r1", "s1"))
    load_batch([post(1, likes=40)], [], RunRecord("r2", "s1"))
    assert read_query("select likes, version from posts")[1] == [(40, 1)]
    assert count("post_versions") == 1


def test_reader_cannot_write(pw_home: Path) -> None:
    import duckdb

    migrate()
    with pytest.raises(duckdb.Error, match="read-only"):
        read_query("insert into units values ('x', 'x', 'x', null, [], now())")
