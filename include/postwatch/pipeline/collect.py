"""Collect flow: prepare the warehouse, fetch each source into landing, normalize and load.

Fetching only writes landing files and the source's health; loading reads the landing
files of one run, so a load can be re-run (or replayed later) without fetching again.
"""

from __future__ import annotations

import logging
import re
import traceback
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pyarrow as pa

from postwatch.collect import collector_for
from postwatch.collect.base import Collector, RawItem, SourceError, SourceState
from postwatch.collect.http import HttpClient, HttpGaveUp, RetryAfterTooLong
from postwatch.collect.landing import LandedPayload, Lander, landing_files, read_file
from postwatch.normalize.posts import normalize_item, normalize_rows
from postwatch.normalize.rejected import Rejected
from postwatch.pipeline.backfill import Backfill
from postwatch.quality.checks import run_source_checks
from postwatch.quality.health import Sender, track_health
from postwatch.quality.policy import load_policy
from postwatch.quality.reconcile import Accounting, reconcile_load
from postwatch.quality.validate import DqRun, record_runs, validate_posts, validate_raw
from postwatch.registry import Registry, Source, load_registry
from postwatch.report.mail import SmtpSettings
from postwatch.settings import Settings, get_settings
from postwatch.tokens import TokenResolver, env_token
from postwatch.warehouse.db import read_query, writer
from postwatch.warehouse.load import (
    LoadCounts,
    RunRecord,
    load_arrow,
    rejected_to_arrow,
    rows_to_arrow,
    sync_registry,
)
from postwatch.warehouse.migrate import migrate
from postwatch.warehouse.sqlfiles import sql

log = logging.getLogger(__name__)

RETRYABLE_STATUSES = frozenset({"error", "rate_limited"})


def safe_run_id(run_id: str) -> str:
    """Airflow run ids hold ':' and '+'; landing file names must not."""
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", run_id).strip("_") or "run"


def prepare(settings: Settings | None = None) -> Registry:
    """Migrate the schema and mirror the registry into the warehouse; returns the registry."""
    settings = settings or get_settings()
    registry = load_registry(settings=settings)
    migrate(settings)
    sync_registry(registry, settings)
    return registry


def read_state(source_id: str, settings: Settings | None = None) -> SourceState:
    cols, rows = read_query(sql("source_state"), {"source_id": source_id}, settings)
    if not rows:
        return SourceState()
    rec = dict(zip(cols, rows[0], strict=True))
    return SourceState(
        watermark=rec["watermark"], etag=rec["etag"], last_modified=rec["last_modified"], cursor=rec["cursor"]
    )


@dataclass
class FetchOutcome:
    source_id: str
    status: str
    message: str = ""
    payloads: int = 0
    landing_files: list[str] = field(default_factory=list)
    retryable: bool = False

    def to_dict(self) -> dict[str, Any]:
        return self.__dict__.copy()


def _record_state(
    source_id: str, status: str, message: str, state: SourceState | None, settings: Settings
) -> None:
    st = state.to_dict() if state else {}

    def tx(con: Any) -> None:
        con.execute(
            sql("upsert_source_state"),
            {
                "source_id": source_id,
                "watermark": st.get("watermark"),
                "etag": st.get("etag"),
                "last_modified": st.get("last_modified"),
                "cursor": st.get("cursor"),
                "status": status,
                "message": message or None,
                "attempt_at": datetime.now(UTC),
                "success": status in ("ok", "not_modified"),
            },
        )

    writer(tx, settings)


def fetch_source(
    source_id: str,
    run_id: str,
    *,
    settings: Settings | None = None,
    token_resolver: TokenResolver = env_token,
    registry: Registry | None = None,
    client: HttpClient | None = None,
    backfill: Backfill | None = None,
) -> FetchOutcome:
    """Poll one source; land what arrives; record its health. Never raises for a source failure.

    With ``backfill`` the source is fetched from the window's first day; its stored watermark and
    validators are left as they were (see pipeline/backfill.py).
    """
    settings = settings or get_settings()
    registry = registry or load_registry(settings=settings)
    source = registry.source(source_id)
    state = backfill.state() if backfill else read_state(source_id, settings)
    lander = Lander(settings.landing_dir, source.id, source.platform.value, run_id=safe_run_id(run_id))
    token = token_resolver(source.conn_id) if source.conn_id else None
    own_client = client is None
    client = client or HttpClient(settings)
    status, message, new_state = "ok", "", state
    try:
        collector = collector_for(source, client, lander, token)
        new_state = collector.fetch(state)
        if lander.count == 0 and new_state == state:
            status = "not_modified"
    except SourceError as exc:
        status, message = exc.status, str(exc)
    except RetryAfterTooLong as exc:
        status, message = "rate_limited", str(exc)
    except HttpGaveUp as exc:
        status, message = "error", str(exc)
    except Exception as exc:  # one broken collector must not stop the other sources
        status, message = "error", f"{type(exc).__name__}: {exc}"
        log.error("source %s failed:\n%s", source_id, traceback.format_exc())
    finally:
        if own_client:
            client.close()
    keep = backfill is None and status in ("ok", "not_modified")
    _record_state(source_id, status, message, new_state if keep else None, settings)
    if status not in ("ok", "not_modified"):
        log.warning("source %s: %s: %s", source_id, status, message)
    elif backfill:
        log.info("source %s: backfill %s landed %d payloads", source_id, backfill.describe(), lander.count)
    return FetchOutcome(
        source_id,
        status,
        message,
        lander.count,
        [str(p) for p in lander.paths],
        retryable=status in RETRYABLE_STATUSES,
    )


def _parser(source: Source) -> Collector:
    return collector_for(source, None, None, None)  # parse() needs neither network nor landing


def parse_payloads(source: Source, payloads: Iterable[LandedPayload]) -> Iterator[RawItem]:
    parser = _parser(source)
    for payload in payloads:
        if payload.meta.get("kind") == "robots":
            continue
        yield from parser.parse(payload)


def normalize_items(
    source: Source, items: Iterable[RawItem], now: datetime | None = None
) -> tuple[list[dict[str, Any]], list[Rejected]]:
    """normalize_item over one source's items, the source looked up once (see normalize_batch for
    the columnar form the loader prefers)."""
    return normalize_rows(source, items, now)


def load_files(
    source: Source,
    files: list[Path],
    run: RunRecord,
    settings: Settings,
    now: datetime | None = None,
    *,
    registry: Registry | None = None,
    trigger: str = "collect",
) -> LoadCounts:
    payloads = [p for f in files for p in read_file(f)]
    run.payloads = len(payloads)
    items = list(parse_payloads(source, payloads))
    return load_items(source, items, run, settings, now, registry=registry, trigger=trigger)


def load_items(
    source: Source,
    items: list[RawItem],
    run: RunRecord,
    settings: Settings,
    now: datetime | None = None,
    *,
    registry: Registry | None = None,
    trigger: str = "collect",
) -> LoadCounts:
    """Check, normalize, validate and load one source's items; nothing is dropped silently.

    raw items suite -> normalize_item -> normalized posts suite (GX) -> load (good rows, and every
    rejected record to quarantine with its check and reason) -> load reconciliation -> results
    stored in dq_runs / dq_results.
    """
    checked = check_items(source, items, run.run_id, settings, now, registry=registry, trigger=trigger)
    counts = load_arrow(checked.good, rejected_to_arrow(checked.rejected, run.run_id), run, settings, now)
    reconciled = reconcile_load(
        [Accounting.of(source.id, len(items), counts)],
        run_id=run.run_id,
        trigger=trigger,
        severity=load_policy(settings).reconciliation.severity,
        settings=settings,
    )
    record_runs([*checked.runs, reconciled], settings)
    return counts


@dataclass
class CheckedItems:
    """A source's items after the checks: the batch that may load, and everything rejected."""

    good: pa.Table
    rejected: list[Rejected]
    runs: list[DqRun | None]


def check_items(
    source: Source,
    items: list[RawItem],
    run_id: str | None,
    settings: Settings,
    now: datetime | None = None,
    *,
    registry: Registry | None = None,
    trigger: str = "collect",
) -> CheckedItems:
    """raw items suite -> normalize_item -> normalized posts suite; loads nothing."""
    registry = registry or load_registry(settings=settings)
    raw = validate_raw(source, items, run_id=run_id, trigger=trigger, settings=settings)
    rows: list[dict[str, Any]] = []
    origins: list[RawItem] = []
    rejected: list[Rejected] = list(raw.rejected)
    for item in raw.ok:
        out = normalize_item(item, source, now)
        if isinstance(out, Rejected):
            rejected.append(out)
        else:
            rows.append(out)
            origins.append(item)
    posts = validate_posts(
        rows_to_arrow(rows),
        registry,
        raws=origins,
        run_id=run_id,
        trigger=trigger,
        source_id=source.id,
        settings=settings,
    )
    return CheckedItems(posts.good, rejected + posts.rejected, [raw.run, posts.run])


def run_files(settings: Settings, source_id: str, run_id: str) -> list[Path]:
    safe = safe_run_id(run_id)
    return sorted((settings.landing_dir / source_id).glob(f"*/{safe}.jsonl.gz"))


def load_run(
    run_id: str,
    source_ids: Iterable[str],
    *,
    settings: Settings | None = None,
    registry: Registry | None = None,
) -> dict[str, dict[str, Any]]:
    """Normalize and load what each source landed in this run; one source failing spares the rest."""
    settings = settings or get_settings()
    registry = registry or load_registry(settings=settings)
    summary: dict[str, dict[str, Any]] = {}
    failures: list[str] = []
    for sid in source_ids:
        source = registry.source(sid)
        cols, rows = read_query(sql("source_state"), {"source_id": sid}, settings)
        rec = dict(zip(cols, rows[0], strict=True)) if rows else {"status": "unknown", "message": ""}
        status, message = rec["status"], rec["message"]
        files = run_files(settings, sid, run_id)
        run = RunRecord(
            safe_run_id(run_id),
            sid,
            status=status,
            message=message or "",
            landing_files=[str(f) for f in files],
        )
        try:
            counts = load_files(source, files, run, settings, registry=registry)
        except Exception as exc:
            log.error("loading %s failed:\n%s", sid, traceback.format_exc())
            failures.append(f"{sid}: {type(exc).__name__}: {exc}")
            summary[sid] = {"status": "load_failed", "message": str(exc)}
            continue
        summary[sid] = {"status": status, "message": message, **counts.__dict__}
    if failures:
        raise RuntimeError("loading failed for " + "; ".join(failures))
    return summary


def replay(
    source_ids: Iterable[str] | None = None,
    start: date | None = None,
    end: date | None = None,
    *,
    settings: Settings | None = None,
) -> dict[str, dict[str, Any]]:
    """Re-parse landed payloads (after a parser fix) and load them again; nothing is fetched."""
    settings = settings or get_settings()
    registry = prepare(settings)
    wanted = list(source_ids) if source_ids else [s.id for s in registry.sources]
    run_id = "replay_" + datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    summary: dict[str, dict[str, Any]] = {}
    for sid in wanted:
        source = registry.source(sid)
        files = landing_files(settings.landing_dir, [sid], start, end)
        run = RunRecord(run_id, sid, status="replay", landing_files=[str(f) for f in files])
        counts = load_files(source, files, run, settings, registry=registry, trigger="replay")
        summary[sid] = {"status": "replay", "files": len(files), **counts.__dict__}
    return summary


def check_run(
    run_id: str,
    source_ids: Iterable[str],
    *,
    settings: Settings | None = None,
    smtp: SmtpSettings | None = None,
    deliver: Sender | None = None,
    now: datetime | None = None,
) -> dict[str, Any]:
    """Batch-level checks after a run's load, and source-health incidents (mail once per incident).

    ``failure_message`` is set when a check of severity ``fail`` failed (or a load did not
    reconcile): it names each source and its number, and the caller fails the run with it.
    """
    settings = settings or get_settings()
    now = now or datetime.now(UTC)
    report = run_source_checks(safe_run_id(run_id), source_ids=list(source_ids), now=now, settings=settings)
    health = track_health(
        report.metrics, now=now, settings=settings, smtp=smtp or SmtpSettings.from_env(), deliver=deliver
    )
    return {
        "failures": [r.message for r in report.failures],
        "warnings": [r.message for r in report.warnings],
        "failure_message": report.failure_message,
        "incidents_opened": [f"{i.source_id}: {i.kind}" for i in health.opened],
        "incidents_closed": [f"{i.source_id}: {i.kind}" for i in health.closed],
        "mailed": health.mailed,
        "mail_errors": health.mail_errors,
    }
