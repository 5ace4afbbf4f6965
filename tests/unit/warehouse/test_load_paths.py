"""One load, every kind of incoming post: new ones are inserted, stored ones merged, the rest left.

The load inserts new posts directly and runs its MERGE only for stored posts that changed;
this checks that each kind still ends where the single MERGE used to put it.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pyarrow as pa

from postwatch.warehouse.db import read_query
from postwatch.warehouse.load import (
    RunRecord,
    concat_batches,
    load_arrow,
    load_batch,
    rejected_to_arrow,
    rows_to_arrow,
)
from postwatch.warehouse.migrate import migrate

from ..warehouse.test_storage import T0, count, post

FIRST = datetime(2026, 11, 21, 8, 0, tzinfo=UTC)
SECOND = FIRST + timedelta(hours=3)


def _posts() -> list[tuple]:
    sql = "select post_id, text, likes, version, first_seen_at, refreshed_at from posts order by post_id"
    return read_query(sql)[1]


def test_one_load_mixing_new_edited_refreshed_unchanged_and_stale_posts(pw_home: Path) -> None:
    migrate()
    stored = [post(i, text=f"Bài {i} bản gốc", updated_at=T0, likes=1) for i in (1, 2, 3, 4)]
    load_batch(stored, [], RunRecord("r1", "s1"), now=FIRST)
    incoming = [
        post(1, text="Bài 1 đã sửa", updated_at=T0 + timedelta(hours=1), likes=1),  # edited
        post(2, text="Bài 2 bản gốc", updated_at=T0, likes=99),  # engagement only
        post(3, text="Bài 3 bản gốc", updated_at=T0, likes=1),  # unchanged
        post(4, text="Bài 4 bản cũ hơn", updated_at=T0 - timedelta(hours=1), likes=1),  # stale copy
        post(5, text="Bài 5 mới"),  # new
        post(6, text="Bài 6 bản đầu", updated_at=T0),  # new, twice in the batch:
        post(6, text="Bài 6 bản sau", updated_at=T0 + timedelta(minutes=5)),  # the later one wins
    ]
    counts = load_batch(incoming, [], RunRecord("r2", "s1"), now=SECOND)
    # unchanged: the engagement-only refresh, the identical copy and the stale copy
    assert (counts.fetched, counts.new, counts.changed) == (7, 2, 1)
    assert (counts.unchanged, counts.duplicates) == (3, 1)
    assert _posts() == [
        ("s1-1", "Bài 1 đã sửa", 1, 2, FIRST, SECOND),
        ("s1-2", "Bài 2 bản gốc", 99, 1, FIRST, SECOND),
        ("s1-3", "Bài 3 bản gốc", 1, 1, FIRST, FIRST),
        ("s1-4", "Bài 4 bản gốc", 1, 1, FIRST, FIRST),
        ("s1-5", "Bài 5 mới", 5, 1, SECOND, SECOND),
        ("s1-6", "Bài 6 bản sau", 6, 1, SECOND, SECOND),
    ]
    versions = read_query("select post_id, version, text from post_versions order by post_id, version")[1]
    assert versions == [
        ("s1-1", 1, "Bài 1 bản gốc"),
        ("s1-1", 2, "Bài 1 đã sửa"),
        ("s1-2", 1, "Bài 2 bản gốc"),
        ("s1-3", 1, "Bài 3 bản gốc"),
        ("s1-4", 1, "Bài 4 bản gốc"),
        ("s1-5", 1, "Bài 5 mới"),
        ("s1-6", 1, "Bài 6 bản sau"),
    ]


def test_a_load_of_known_posts_only_adds_its_run_record(pw_home: Path) -> None:
    migrate()
    rows = [post(i) for i in range(5)]
    load_batch(rows, [], RunRecord("r1", "s1"), now=FIRST)
    before = _posts()
    counts = load_batch(rows, [], RunRecord("r2", "s1"), now=SECOND)
    assert (counts.new, counts.changed, counts.unchanged) == (0, 0, 5)
    assert _posts() == before
    assert (count("post_versions"), count("ingest_runs")) == (5, 2)


def test_batches_loaded_as_one_keep_the_later_copy_of_a_post(pw_home: Path) -> None:
    migrate()
    same_time = {"updated_at": T0}
    first = rows_to_arrow([post(1, text="Bản trong lô đầu", **same_time), post(2)])
    second = rows_to_arrow([post(1, text="Bản trong lô sau", **same_time)])
    both = concat_batches([first, second])
    counts = load_arrow(both, rejected_to_arrow([], "r"), RunRecord("r", "s1"), now=FIRST)
    assert (counts.new, counts.duplicates) == (2, 1)
    assert read_query("select text from posts where post_id = 's1-1'")[1] == [("Bản trong lô sau",)]


def test_an_empty_batch_with_only_rejects_still_records_the_run(pw_home: Path) -> None:
    migrate()
    empty = concat_batches([])
    assert empty.num_rows == 0 and isinstance(empty, pa.Table)
    counts = load_arrow(empty, rejected_to_arrow([], "r"), RunRecord("r", "s1"), now=FIRST)
    assert (counts.fetched, counts.new) == (0, 0)
    assert (count("posts"), count("ingest_runs")) == (0, 1)


def test_a_bulk_load_keeps_one_connection_and_each_load_is_its_own_transaction(pw_home: Path) -> None:
    from contextlib import closing

    import duckdb
    import pytest

    from postwatch.warehouse.db import connect

    migrate()
    with closing(connect()) as con:
        first = load_arrow(
            rows_to_arrow([post(1), post(2)]), rejected_to_arrow([], "b1"), RunRecord("b1", "s1"), con=con
        )
        bad = rows_to_arrow([post(3)]).set_column(1, "platform", pa.array([None], pa.string()))
        with pytest.raises(duckdb.Error):  # a failed load rolls back alone ...
            load_arrow(bad, rejected_to_arrow([], "b2"), RunRecord("b2", "s1"), con=con)
        second = load_arrow(
            rows_to_arrow([post(2), post(4)]), rejected_to_arrow([], "b3"), RunRecord("b3", "s1"), con=con
        )
        assert con.execute("select count(*) from posts").fetchone() == (3,)  # ... and the connection goes on
    assert (first.new, second.new, second.unchanged) == (2, 1, 1)
    assert [r[0] for r in _posts()] == ["s1-1", "s1-2", "s1-4"]
    assert count("ingest_runs") == 2
