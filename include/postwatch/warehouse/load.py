"""Atomic loads: one transaction per source batch, so a killed load leaves nothing half-done."""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import duckdb
import pyarrow as pa

from postwatch.normalize.rejected import Rejected
from postwatch.registry import Registry
from postwatch.settings import Settings
from postwatch.warehouse.db import writer
from postwatch.warehouse.sqlfiles import sql

TS = pa.timestamp("us", tz="UTC")
BATCH_SCHEMA = pa.schema(
    [
        ("seq", pa.int64()),
        ("platform", pa.string()),
        ("post_id", pa.string()),
        ("source_id", pa.string()),
        ("unit_id", pa.string()),
        ("kind", pa.string()),
        ("url", pa.string()),
        ("title", pa.string()),
        ("text", pa.string()),
        ("author", pa.string()),
        ("author_id", pa.string()),
        ("published_at", TS),
        ("updated_at", TS),
        ("local_date", pa.date32()),
        ("lang", pa.string()),
        ("likes", pa.int64()),
        ("comments", pa.int64()),
        ("shares", pa.int64()),
        ("views", pa.int64()),
        ("content_hash", pa.string()),
        ("story_key", pa.string()),
        ("encoding_fix", pa.string()),
        ("title_original", pa.string()),
        ("text_original", pa.string()),
        ("fetched_at", TS),
        ("landing_ref", pa.string()),
    ]
)
QUARANTINE_SCHEMA = pa.schema(
    [
        ("quarantine_id", pa.string()),
        ("run_id", pa.string()),
        ("source_id", pa.string()),
        ("platform", pa.string()),
        ("item_id", pa.string()),
        ("stage", pa.string()),
        ("expectation", pa.string()),
        ("reason", pa.string()),
        ("record", pa.string()),
        ("record_hash", pa.string()),
        ("landing_ref", pa.string()),
    ]
)


@dataclass
class LoadCounts:
    fetched: int = 0
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    duplicates: int = 0
    quarantined: int = 0

    def add(self, other: LoadCounts) -> None:
        for f in self.__dataclass_fields__:
            setattr(self, f, getattr(self, f) + getattr(other, f))


@dataclass
class RunRecord:
    """How one source's poll went; stored in ingest_runs and source_state with the load."""

    run_id: str
    source_id: str
    status: str = "ok"
    message: str = ""
    payloads: int = 0
    started_at: datetime | None = None
    landing_files: Sequence[str] = ()
    state: dict[str, Any] | None = None  # SourceState.to_dict(); None leaves source_state alone


def rows_to_arrow(rows: Sequence[dict[str, Any]]) -> pa.Table:
    """Post rows (dicts; a missing column is null) → the load's Arrow batch, ``seq`` = arrival order."""
    return columns_to_arrow({n: [r.get(n) for r in rows] for n in BATCH_SCHEMA.names[1:]}, len(rows))


def columns_to_arrow(columns: Mapping[str, Sequence[Any]], num_rows: int | None = None) -> pa.Table:
    """Posts already as columns (``postwatch.normalize.posts.normalize_batch``) → the load's Arrow batch.

    A column that is absent is null; ``seq`` (arrival order, the last tie-break between copies of
    one post) is added here.
    """
    n = num_rows if num_rows is not None else len(next(iter(columns.values()), ()))
    arrays = [pa.array(range(n), pa.int64())]
    for field in BATCH_SCHEMA:
        if field.name == "seq":
            continue
        values = columns.get(field.name)
        if values is None:
            arrays.append(pa.nulls(n, field.type))
        else:
            if len(values) != n:
                raise ValueError(f"column {field.name} has {len(values)} values, expected {n}")
            if n and pa.types.is_timestamp(field.type) and _one_object(values):
                # A batch's fetch time is one datetime: converting each copy costs 0.35 us a row.
                arrays.append(pa.repeat(pa.scalar(values[0], type=field.type), n))
            else:
                arrays.append(pa.array(values, field.type))
    return pa.Table.from_arrays(arrays, schema=BATCH_SCHEMA)


def _one_object(values: Sequence[Any]) -> bool:
    """Whether every value is the same object (an identity test, stopping at the first other)."""
    first = values[0]
    return all(v is first for v in values)


def concat_batches(batches: Sequence[pa.Table]) -> pa.Table:
    """Several Arrow batches of one source as one load, ``seq`` renumbered in the order given.

    ``seq`` is the last tie-break between copies of a post inside a load, so a later batch's copy
    must rank after an earlier batch's.
    """
    if not batches:
        return BATCH_SCHEMA.empty_table()
    table = pa.concat_tables(batches)
    return table.set_column(0, BATCH_SCHEMA.field("seq"), pa.array(range(table.num_rows), pa.int64()))


def record_hash(record: str) -> str:
    """Identity of a bad record regardless of when it was fetched or which payload carried it."""
    try:
        d = json.loads(record)
    except ValueError:
        d = record
    if isinstance(d, dict):
        d = {k: v for k, v in d.items() if k not in ("fetched_at", "landing_ref")}
    blob = json.dumps(d, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.blake2b(blob.encode("utf-8"), digest_size=16).hexdigest()


def rejected_to_arrow(rejected: Sequence[Rejected], run_id: str) -> pa.Table:
    return pa.table(
        {
            "quarantine_id": [uuid.uuid4().hex for _ in rejected],
            "run_id": [run_id] * len(rejected),
            "source_id": [r.source_id for r in rejected],
            "platform": [r.platform for r in rejected],
            "item_id": [None if r.item_id is None else str(r.item_id) for r in rejected],
            "stage": [r.stage for r in rejected],
            "expectation": [r.expectation for r in rejected],
            "reason": [r.reason for r in rejected],
            "record": [r.record for r in rejected],
            "record_hash": [record_hash(r.record) for r in rejected],
            "landing_ref": [r.landing_ref for r in rejected],
        },
        schema=QUARANTINE_SCHEMA,
    )


def _load_in(
    con: duckdb.DuckDBPyConnection, batch: pa.Table, quarantine: pa.Table, now: datetime
) -> LoadCounts:
    counts = LoadCounts(fetched=batch.num_rows + quarantine.num_rows, quarantined=quarantine.num_rows)
    if batch.num_rows:
        con.register("batch_in", batch)
        con.execute(sql("stage_latest"))
        latest = con.execute("select count(*) from batch_latest").fetchone()[0]
        counts.duplicates = batch.num_rows - latest
        con.execute(sql("stage_classify"))
        counts.new, counts.changed, counts.unchanged, to_update = con.execute(sql("batch_counts")).fetchone()
        if counts.new or counts.changed:
            con.execute(sql("insert_versions"), {"now": now})
        if counts.new:
            con.execute(sql("insert_new_posts"), {"now": now})
        if to_update:  # a MERGE joins the whole posts table: only when a stored post changes
            con.execute(sql("merge_posts"), {"now": now})
        con.unregister("batch_in")
    if quarantine.num_rows:
        con.register("quarantine_in", quarantine)
        con.execute(sql("insert_quarantine"), {"now": now})
        con.unregister("quarantine_in")
    return counts


def load_batch(
    rows: Sequence[dict[str, Any]],
    rejected: Sequence[Rejected],
    run: RunRecord,
    settings: Settings | None = None,
    now: datetime | None = None,
) -> LoadCounts:
    """Load one source's normalized rows, its rejects, its run record and its new state atomically."""
    batch = rows_to_arrow(rows)
    quarantine = rejected_to_arrow(rejected, run.run_id)
    return load_arrow(batch, quarantine, run, settings, now)


def load_arrow(
    batch: pa.Table,
    quarantine: pa.Table,
    run: RunRecord,
    settings: Settings | None = None,
    now: datetime | None = None,
    con: duckdb.DuckDBPyConnection | None = None,
) -> LoadCounts:
    """Load one batch, its quarantine rows, its run record and its source state in one transaction
    (on ``con`` when the caller keeps one for a bulk load, see ``writer``; it is left on one thread)."""

    def tx(con: duckdb.DuckDBPyConnection) -> LoadCounts:
        # One thread: loads run beside other work (mapped collect tasks, the normalize workers of
        # a bulk load), and a second DuckDB thread there mostly waits for a core. Measured on 100k-
        # post loads: 11 CPU-us a post against 16 with two threads, for the same wall time.
        con.execute("SET threads = 1")
        at = now or datetime.now(UTC)
        counts = _load_in(con, batch, quarantine, at)
        # A re-run of the same load replaces its run record instead of adding a second one.
        con.execute(sql("delete_ingest_run"), {"run_id": run.run_id, "source_id": run.source_id})
        con.execute(
            sql("insert_ingest_run"),
            {
                "run_id": run.run_id,
                "source_id": run.source_id,
                "started_at": run.started_at,
                "finished_at": at,
                "status": run.status,
                "message": run.message or None,
                "payloads": run.payloads,
                "fetched": counts.fetched,
                "loaded_new": counts.new,
                "loaded_changed": counts.changed,
                "unchanged": counts.unchanged,
                "duplicates": counts.duplicates,
                "quarantined": counts.quarantined,
                "landing_files": list(run.landing_files),
            },
        )
        if run.state is not None:
            st = run.state
            con.execute(
                sql("upsert_source_state"),
                {
                    "source_id": run.source_id,
                    "watermark": st.get("watermark"),
                    "etag": st.get("etag"),
                    "last_modified": st.get("last_modified"),
                    "cursor": st.get("cursor"),
                    "status": run.status,
                    "message": run.message or None,
                    "attempt_at": at,
                    "success": run.status in ("ok", "not_modified"),
                },
            )
        return counts

    return writer(tx, settings, con)


def sync_registry(registry: Registry, settings: Settings | None = None) -> None:
    """Mirror units.yaml and sources.yaml into their tables (replaced whole, in one transaction)."""
    units = pa.table(
        {
            "unit_id": [u.id for u in registry.units],
            "name": [u.name for u in registry.units],
            "level": [u.level for u in registry.units],
            "parent_id": [u.parent for u in registry.units],
            "aliases": [list(u.aliases) for u in registry.units],
        }
    )
    ss = registry.sources
    sources = pa.table(
        {
            "source_id": [s.id for s in ss],
            "name": [s.name for s in ss],
            "unit_id": [s.unit for s in ss],
            "platform": [s.platform.value for s in ss],
            "kind": [s.kind.value for s in ss],
            "url": [str(s.url) if s.url else None for s in ss],
            "handle": [s.handle for s in ss],
            "page_id": [s.page_id for s in ss],
            "channel_id": [s.channel_id for s in ss],
            "verified": [s.verified for s in ss],
            "admin_name": [s.admin.name if s.admin else None for s in ss],
            "admin_phone": [s.admin.phone if s.admin else None for s in ss],
            "admin_email": [str(s.admin.email) if s.admin and s.admin.email else None for s in ss],
            "active": [s.active for s in ss],
            "poll_interval_min": pa.array([s.poll_interval for s in ss], pa.int32()),
            "conn_id": [s.conn_id for s in ss],
            "since": pa.array(
                [date.fromisoformat(s.since[:10]) if s.since else None for s in ss], pa.date32()
            ),
        }
    )

    def tx(con: duckdb.DuckDBPyConnection) -> None:
        now = datetime.now(UTC)
        con.register("units_in", units)
        con.register("sources_in", sources)
        con.execute(sql("replace_units"))
        con.execute(sql("insert_units"), {"now": now})
        con.execute(sql("replace_sources"))
        con.execute(sql("insert_sources"), {"now": now})

    writer(tx, settings)
