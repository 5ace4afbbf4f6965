"""Apply relevance, rules, tone and flags to posts in the warehouse, in committed chunks.

``process_new`` labels what is new or changed since the last run (a post whose version or
content hash differs from its label's); ``reclassify`` relabels every post of a date range, e.g.
after a rule-pack or model change. Each chunk replaces its posts' labels and hits in one
transaction, so an interrupted run loses at most the chunk in flight and the next run resumes.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from postwatch.process.labels import HIT_COLUMNS, LABEL_COLUMNS, Analyzer, Labelled
from postwatch.settings import Settings
from postwatch.warehouse.db import read_query, writer
from postwatch.warehouse.sqlfiles import sql

log = logging.getLogger(__name__)
CHUNK = 20_000
TS = pa.timestamp("us", tz="UTC")
LABEL_SCHEMA = pa.schema(
    [
        ("platform", pa.string()),
        ("post_id", pa.string()),
        ("version", pa.int32()),
        ("content_hash", pa.string()),
        ("relevant", pa.bool_()),
        ("unit_ids", pa.list_(pa.string())),
        ("mentions", pa.string()),
        ("tone", pa.string()),
        ("tone_score", pa.float64()),
        ("tone_cues", pa.string()),
        ("offensive", pa.bool_()),
        ("offensive_terms", pa.list_(pa.string())),
        ("needs_checking", pa.bool_()),
        ("check_reasons", pa.list_(pa.string())),
        ("pack_version", pa.string()),
        ("model_version", pa.string()),
        ("processed_at", TS),
    ]
)
HIT_SCHEMA = pa.schema(
    [
        ("platform", pa.string()),
        ("post_id", pa.string()),
        ("version", pa.int32()),
        ("rule_id", pa.string()),
        ("pack_id", pa.string()),
        ("pack_version", pa.string()),
        ("category", pa.string()),
        ("severity", pa.string()),
        ("unit_id", pa.string()),
        ("spans", pa.string()),
        ("matched_at", TS),
    ]
)
assert tuple(LABEL_SCHEMA.names) == LABEL_COLUMNS and tuple(HIT_SCHEMA.names) == HIT_COLUMNS


@dataclass
class ProcessReport:
    run_id: str
    mode: str
    posts: int = 0
    hits: int = 0
    relevant: int = 0
    pack_version: str = ""
    model_version: str = ""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _table(rows: Sequence[dict[str, Any]], schema: pa.Schema) -> pa.Table:
    return pa.table({n: [r[n] for r in rows] for n in schema.names}, schema=schema)


def _rows(cols: list[str], rows: list[tuple[Any, ...]]) -> list[dict[str, Any]]:
    return [dict(zip(cols, r, strict=True)) for r in rows]


def write_labels(out: Labelled, settings: Settings | None = None) -> None:
    """Replace the labels and hits of the labelled posts, in one transaction."""
    labels, hits = _table(out.labels, LABEL_SCHEMA), _table(out.hits, HIT_SCHEMA)

    def tx(con: duckdb.DuckDBPyConnection) -> None:
        con.register("labels_in", labels)
        con.register("hits_in", hits)
        con.execute(sql("process_delete_hits"))
        con.execute(sql("process_delete_labels"))
        con.execute(sql("process_insert_labels"))
        if hits.num_rows:
            con.execute(sql("process_insert_hits"))
        con.unregister("labels_in")
        con.unregister("hits_in")

    writer(tx, settings)


def _record_run(report: ProcessReport, started: datetime, settings: Settings | None) -> None:
    params = {
        "run_id": report.run_id,
        "started_at": started,
        "finished_at": datetime.now(UTC),
        "mode": report.mode,
        "posts": report.posts,
        "hits": report.hits,
        "pack_version": report.pack_version,
        "model_version": report.model_version,
    }
    writer(lambda con: con.execute(sql("process_insert_run"), params), settings)


def _drive(
    analyzer: Analyzer,
    mode: str,
    run_id: str | None,
    next_chunk: Callable[[list[dict[str, Any]] | None], list[dict[str, Any]]],
    settings: Settings | None,
) -> ProcessReport:
    started = datetime.now(UTC)
    report = ProcessReport(
        run_id or f"{mode}-{started:%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:6]}",
        mode,
        pack_version=analyzer.pack_version,
        model_version=analyzer.model_version,
    )
    posts = next_chunk(None)
    while posts:
        out = analyzer.label(posts)
        write_labels(out, settings)
        report.posts += len(out.labels)
        report.hits += len(out.hits)
        report.relevant += sum(1 for r in out.labels if r["relevant"])
        log.info("%s: labelled %d posts (%d so far)", mode, len(posts), report.posts)
        posts = next_chunk(posts)
    _record_run(report, started, settings)
    return report


def run_process(run_id: str | None = None, settings: Settings | None = None) -> ProcessReport:
    """What the ``process`` DAG runs: bring the schema up to date, then label new and changed posts."""
    from postwatch.warehouse.migrate import migrate

    migrate(settings)
    return process_new(run_id=run_id, settings=settings)


def analyzer_for(
    pack_version: str | None = None, model: str | None = None, rules_dir: str | None = None
) -> Analyzer:
    """The analyzer a reclassify run asked for; refuses a pack version other than the one loaded,
    so a range is never relabelled with rules the officer did not mean."""
    model_path = None if not model or model == "default" else Path(model)
    if model_path is not None and not model_path.is_file():
        raise ValueError(f"tone model file not found: {model_path}")
    rdir = Path(rules_dir) if rules_dir else None
    if rdir is not None and not rdir.is_dir():
        raise ValueError(f"rules folder not found: {rdir}")
    analyzer = Analyzer.load(model_path=model_path, rules_dir=rdir)
    if pack_version and pack_version != analyzer.pack_version:
        raise ValueError(
            f"the rule packs in {rdir or 'include/config/rules'} are version {analyzer.pack_version!r}, "
            f"not {pack_version!r}: point rules_dir at that version's packs or leave pack_version empty"
        )
    return analyzer


def process_new(
    analyzer: Analyzer | None = None,
    run_id: str | None = None,
    settings: Settings | None = None,
    chunk: int = CHUNK,
) -> ProcessReport:
    """Label every post that is new or changed since it was last labelled."""
    analyzer = analyzer or Analyzer.load()

    def next_chunk(_: list[dict[str, Any]] | None) -> list[dict[str, Any]]:
        # Each written chunk drops out of the pending set, so the same query gives the next one.
        return _rows(*read_query(sql("process_pending"), {"limit": chunk}, settings))

    return _drive(analyzer, "new", run_id, next_chunk, settings)


def posts_in_range(
    date_from: date, date_to: date, settings: Settings | None = None, chunk: int = CHUNK
) -> Callable[[list[dict[str, Any]] | None], list[dict[str, Any]]]:
    """A chunk reader over the current posts of a local-date range, in key order."""
    if date_from > date_to:
        raise ValueError(f"date range is empty: {date_from} is after {date_to}")

    def next_chunk(previous: list[dict[str, Any]] | None) -> list[dict[str, Any]]:
        last = previous[-1] if previous else {"platform": "", "post_id": ""}
        params = {
            "date_from": date_from,
            "date_to": date_to,
            "after_platform": last["platform"],
            "after_post_id": last["post_id"],
            "limit": chunk,
        }
        return _rows(*read_query(sql("process_posts_in_range"), params, settings))

    return next_chunk


def reclassify(
    date_from: date,
    date_to: date,
    analyzer: Analyzer | None = None,
    run_id: str | None = None,
    settings: Settings | None = None,
    chunk: int = CHUNK,
) -> ProcessReport:
    """Relabel every current post of a local-date range with the given (or configured) analyzer."""
    analyzer = analyzer or Analyzer.load()
    return _drive(
        analyzer, "reclassify", run_id, posts_in_range(date_from, date_to, settings, chunk), settings
    )
