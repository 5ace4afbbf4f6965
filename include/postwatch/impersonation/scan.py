"""One impersonation scan: read candidates, score them, and merge them into the suspects table.

Scoring happens outside the database; the merge runs in one writer transaction that re-reads the
suspects, so an officer's decision committed meanwhile is seen (the transaction is re-run on a
conflict) and never overwritten. What a re-scan may change:

- ``new`` and ``confirmed`` keep their status; score, evidence, name and handle are refreshed.
- ``dismissed`` comes back as ``new`` only when it is flagged and its score has risen by at least
  ``resurface_margin`` above the score it had when dismissed (``decided_score``).
- ``resolved`` comes back as ``new`` only when it is flagged and has published after it was resolved.
- A ``new`` suspect the scan no longer sees is unflagged; decisions and their notes always stay,
  and every re-opening is written to ``impersonation_decisions`` as ``resurfaced``.
"""

from __future__ import annotations

import json
import logging
import uuid
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

import duckdb
import pyarrow as pa

from postwatch.days import local_day
from postwatch.impersonation.candidates import Window, gather
from postwatch.impersonation.config import ImpersonationConfig, load_config
from postwatch.impersonation.score import Scorer, Verdict
from postwatch.registry import Registry, load_registry
from postwatch.settings import Settings, get_settings
from postwatch.warehouse.db import writer
from postwatch.warehouse.sqlfiles import sql

log = logging.getLogger(__name__)
TS = pa.timestamp("us", tz="UTC")
SUSPECTS_SCHEMA = pa.schema(
    [
        ("suspect_id", pa.string()),
        ("platform", pa.string()),
        ("page_key", pa.string()),
        ("name", pa.string()),
        ("handle", pa.string()),
        ("url", pa.string()),
        ("source_id", pa.string()),
        ("origins", pa.list_(pa.string())),
        ("posts", pa.int32()),
        ("last_post_at", TS),
        ("first_seen_at", TS),
        ("last_scored_at", TS),
        ("score", pa.float64()),
        ("flagged", pa.bool_()),
        ("matched_unit_id", pa.string()),
        ("matched_source_id", pa.string()),
        ("evidence", pa.string()),
        ("status", pa.string()),
        ("decided_by", pa.string()),
        ("decided_at", TS),
        ("decided_score", pa.float64()),
        ("note", pa.string()),
        ("resurfaced_at", TS),
    ]
)
SCAN_USER = "scan"


@dataclass
class ScanSummary:
    scan_id: str
    as_of: str
    window_start: str
    candidates: int = 0
    recorded: int = 0
    flagged: int = 0
    new_suspects: int = 0
    resurfaced: int = 0
    suspects: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def window_for(as_of: date, config: ImpersonationConfig) -> Window:
    start = as_of - timedelta(days=config.lookback_days - 1)
    return Window(as_of=as_of, start=start, copy_start=start - timedelta(days=config.copy_slack_days))


def merge(
    existing: dict[str, Any] | None, verdict: Verdict, config: ImpersonationConfig, now: datetime
) -> tuple[dict[str, Any] | None, str | None]:
    """The row to write for a scored page and what happened to it: "new", "resurfaced" or None.

    Returns (None, None) for a page never recorded whose score is below the record floor.
    """
    c = verdict.candidate
    flagged = verdict.score >= config.threshold
    if existing is None and verdict.score < config.record_floor:
        return None, None
    row: dict[str, Any] = {
        "suspect_id": c.suspect_id,
        "platform": c.platform,
        "page_key": c.page_key,
        "name": c.name,
        "handle": c.handle,
        "url": c.url,
        "source_id": c.source_id,
        "origins": sorted(c.origins),
        "posts": c.posts,
        "last_post_at": c.last_post_at,
        "first_seen_at": now,
        "last_scored_at": now,
        "score": verdict.score,
        "flagged": flagged,
        "matched_unit_id": verdict.unit_id,
        "matched_source_id": verdict.source_id,
        "evidence": json.dumps(verdict.evidence(), ensure_ascii=False, default=str),
        "status": "new",
        "decided_by": None,
        "decided_at": None,
        "decided_score": None,
        "note": None,
        "resurfaced_at": None,
    }
    if existing is None:
        return row, "new" if flagged else None
    for k in (
        "first_seen_at",
        "status",
        "decided_by",
        "decided_at",
        "decided_score",
        "note",
        "resurfaced_at",
    ):
        row[k] = existing[k]
    event = None
    if existing["status"] == "new" and flagged and not existing["flagged"]:
        event = "new"
    elif existing["status"] == "dismissed" and flagged:
        base = existing["decided_score"] if existing["decided_score"] is not None else existing["score"]
        if verdict.score >= base + config.resurface_margin - 1e-9:
            event = "resurfaced"
    elif existing["status"] == "resolved" and flagged:
        decided_at, last = existing["decided_at"], c.last_post_at
        if decided_at is not None and last is not None and last > decided_at:
            event = "resurfaced"
    if event == "resurfaced":
        row["status"], row["resurfaced_at"] = "new", now
    return row, event


def run_scan(
    as_of: date | None = None,
    settings: Settings | None = None,
    registry: Registry | None = None,
    now: datetime | None = None,
) -> ScanSummary:
    """Scan the window ending on ``as_of`` (default: today in the configured time zone)."""
    settings = settings or get_settings()
    registry = registry or load_registry(settings=settings)
    config = load_config(settings=settings)
    as_of = as_of or local_day(settings=settings)
    window = window_for(as_of, config)
    started = datetime.now(UTC)
    found = gather(registry, config, window, settings)
    scorer = Scorer(registry.units, registry.sources, config, found.official_handles)
    verdicts = [v for c in found.candidates if (v := scorer.score(c)) is not None]
    scan_id = uuid.uuid4().hex

    def tx(con: duckdb.DuckDBPyConnection) -> ScanSummary:
        at = now or datetime.now(UTC)
        cur = con.execute(sql("impersonation_existing"))
        cols = [d[0] for d in cur.description]
        existing = {r[0]: dict(zip(cols, r, strict=True)) for r in cur.fetchall()}
        summary = ScanSummary(scan_id, as_of.isoformat(), window.start.isoformat(), candidates=len(verdicts))
        rows, resurfaced = [], []
        for v in verdicts:
            row, event = merge(existing.get(v.candidate.suspect_id), v, config, at)
            if row is None:
                continue
            rows.append(row)
            summary.new_suspects += event == "new"
            if event == "resurfaced":
                resurfaced.append((existing[row["suspect_id"]]["status"], row))
        summary.recorded = len(rows)
        summary.flagged = sum(r["flagged"] for r in rows)
        summary.resurfaced = len(resurfaced)
        table = pa.Table.from_pylist(rows, schema=SUSPECTS_SCHEMA)
        con.register("suspects_in", table)
        con.execute(sql("impersonation_delete_suspects"))
        con.execute(sql("impersonation_insert_suspects"))
        con.execute(sql("impersonation_unflag_unseen"))
        con.unregister("suspects_in")
        for previous, row in resurfaced:
            con.execute(
                sql("impersonation_insert_decision"),
                {
                    "suspect_id": row["suspect_id"],
                    "decision": "resurfaced",
                    "previous": previous,
                    "decided_by": SCAN_USER,
                    "decided_at": at,
                    "score": row["score"],
                    "note": None,
                },
            )
        con.execute(
            sql("impersonation_insert_scan"),
            {
                "scan_id": scan_id,
                "as_of": as_of,
                "window_start": window.start,
                "started_at": started,
                "finished_at": at,
                "threshold": config.threshold,
                "candidates": summary.candidates,
                "recorded": summary.recorded,
                "flagged": summary.flagged,
                "new_suspects": summary.new_suspects,
                "resurfaced": summary.resurfaced,
            },
        )
        summary.suspects = [
            {"suspect_id": r["suspect_id"], "name": r["name"], "score": r["score"], "status": r["status"]}
            for r in sorted(rows, key=lambda r: -r["score"])
            if r["flagged"]
        ]
        return summary

    summary = writer(tx, settings)
    log.info(
        "impersonation scan %s: %d candidates, %d flagged (%d new, %d resurfaced)",
        as_of,
        summary.candidates,
        summary.flagged,
        summary.new_suspects,
        summary.resurfaced,
    )
    return summary
