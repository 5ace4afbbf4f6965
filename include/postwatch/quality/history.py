"""Re-validate history on demand (the data_quality DAG, ``postwatch dq validate``): the stored posts of
a date range against today's normalized_posts suite, the landing files of the range's ingest runs
against what the warehouse holds (nothing dropped silently), and the sources' batch-level checks.
Results are recorded like the collect flow's; stored posts are reported, never moved to quarantine.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa

from postwatch.collect.landing import read_file
from postwatch.quality import suites
from postwatch.quality.checks import run_source_checks
from postwatch.quality.policy import load_policy
from postwatch.quality.validate import DqRun, record_json, record_runs, run_suite, validate_posts
from postwatch.registry import Registry, load_registry
from postwatch.settings import Settings, get_settings
from postwatch.warehouse.db import read_query, reader
from postwatch.warehouse.load import BATCH_SCHEMA, record_hash
from postwatch.warehouse.sqlfiles import sql

log = logging.getLogger(__name__)


@dataclass
class HistoryReport:
    start: date
    end: date
    runs: list[DqRun] = field(default_factory=list)

    @property
    def failures(self) -> list[str]:
        """Failed checks of severity fail (lost items, failing batch checks)."""
        return [r.message or r.expectation for run in self.runs for r in run.failures("fail")]

    def summary(self) -> dict[str, Any]:
        return {
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "runs": [
                {
                    "suite": r.suite,
                    "rows": r.rows_checked,
                    "rows_failed": r.rows_failed,
                    "success": r.success,
                    "failed": sorted({f"{x.expectation} ({x.source_id})" for x in r.failures()}),
                }
                for r in self.runs
            ],
            "failures": self.failures,
        }


def stored_posts(
    start: date, end: date, source_ids: list[str] | None, settings: Settings | None = None
) -> pa.Table:
    params = {"start": start, "end": end, "source_ids": source_ids}
    with reader(settings) as con:
        tbl = con.execute(sql("dq_posts_for_validation"), params).fetch_arrow_table()
    return tbl.select(BATCH_SCHEMA.names).cast(BATCH_SCHEMA)


def landing_frame(
    start: date, end: date, source_ids: list[str] | None, registry: Registry, settings: Settings | None = None
) -> pd.DataFrame:
    """One row per ingest run in the range: items in its landing files, items it recorded, and
    landed items that are neither in posts nor in quarantine."""
    from postwatch.pipeline.collect import parse_payloads

    cols, rows = read_query(
        sql("dq_ingest_runs_in_range"), {"start": start, "end": end, "source_ids": source_ids}, settings
    )
    runs = [dict(zip(cols, r, strict=True)) for r in rows]
    known = {s.id: s for s in registry.sources}
    runs = [r for r in runs if r["source_id"] in known]
    if not runs:
        return pd.DataFrame(columns=["run_id", "source_id", "landed", "recorded", "unaccounted", "example"])
    _, krows = read_query(
        sql("dq_accounted_keys"), {"source_ids": sorted({r["source_id"] for r in runs})}, settings
    )
    keys: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for kind, scope, key in krows:
        keys[kind].add((scope, key))
    out = []
    for r in runs:
        source = known[r["source_id"]]
        payloads = [p for f in r["landing_files"] or [] if Path(f).exists() for p in read_file(Path(f))]
        items = list(parse_payloads(source, payloads))
        missing = []
        for it in items:
            iid = None if it.item_id is None else str(it.item_id).strip()
            if (
                (iid and (source.platform.value, iid) in keys["post"])
                or (iid and (source.id, iid) in keys["quarantine_item"])
                or (source.id, record_hash(record_json(it))) in keys["quarantine_hash"]
            ):
                continue
            missing.append(iid or it.landing_ref)
        out.append(
            {
                "run_id": r["run_id"],
                "source_id": source.id,
                "landed": len(items),
                "recorded": int(r["fetched"]),
                "unaccounted": len(missing),
                "example": missing[0] if missing else None,
            }
        )
    return pd.DataFrame(out)


def revalidate(
    start: date,
    end: date,
    source_ids: list[str] | None = None,
    *,
    run_id: str,
    settings: Settings | None = None,
) -> HistoryReport:
    """Re-validate posts, landing files and source checks for local days ``start``..``end``."""
    settings = settings or get_settings()
    registry = load_registry(settings=settings)
    if source_ids:
        unknown = sorted(set(source_ids) - {s.id for s in registry.sources})
        if unknown:
            raise ValueError(f"unknown source(s) {', '.join(unknown)} (not in sources.yaml)")
    if end < start:
        raise ValueError(f"the date range ends ({end}) before it starts ({start})")
    report = HistoryReport(start, end)
    policy = load_policy(settings)
    posts = stored_posts(start, end, source_ids, settings)
    checked = validate_posts(posts, registry, run_id=run_id, trigger="data_quality", settings=settings)
    if checked.run is not None:
        report.runs.append(checked.run)
    frame = landing_frame(start, end, source_ids, registry, settings)
    if not frame.empty:
        out = run_suite(
            suites.landing_reconciliation_suite(policy.reconciliation.severity),
            frame,
            run_id=run_id,
            trigger="data_quality",
            settings=settings,
        )
        report.runs.append(out.run)
    record_runs(report.runs, settings)
    checks = run_source_checks(
        run_id, source_ids=source_ids, trigger="data_quality", settings=settings, latest_polls=True
    )
    if checks.run is not None:
        report.runs.append(checks.run)
    log.info("re-validated %s..%s: %d posts, %d ingest runs", start, end, posts.num_rows, len(frame))
    return report
