"""How each source is doing, from its poll history: last success, polls in a row that returned
nothing, this poll's volume against its recent band, and the share of its items quarantined.

One named query (sql/queries/dq_source_metrics.sql) computes it all, as of a given time, so the
batch checks, the incident tracker and the CLI read the same numbers.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pandas as pd

from postwatch.quality.policy import CheckPolicy, load_policy
from postwatch.settings import Settings
from postwatch.warehouse.db import read_query
from postwatch.warehouse.sqlfiles import sql

METRIC_COLUMNS = (
    "source_id",
    "name",
    "poll_interval_min",
    "status",
    "message",
    "consecutive_failures",
    "last_success_at",
    "run_id",
    "fetched",
    "quarantined",
    "bad_share",
    "empty_streak",
    "volume",
    "band_low",
    "band_high",
    "band_polls",
    "hours_since_success",
    "intervals_since_success",
)


def source_metrics(
    *,
    run_id: str | None = None,
    now: datetime | None = None,
    source_ids: list[str] | None = None,
    policy: CheckPolicy | None = None,
    settings: Settings | None = None,
) -> pd.DataFrame:
    """One row per active source (or per ``source_ids``), as of ``now``; the poll judged is
    ``run_id`` or, without one, each source's latest."""
    policy = policy or load_policy(settings)
    now = now or datetime.now(UTC)
    band = policy.volume_band
    cols, rows = read_query(
        sql("dq_source_metrics"),
        {
            "now": now,
            "run_id": run_id,
            "band_start": now - timedelta(days=band.days),
            "silent_polls": policy.silent.polls,
            "min_polls": band.min_polls,
            "width": band.width,
            "source_ids": list(source_ids) if source_ids else None,
        },
        settings,
    )
    df = pd.DataFrame(rows, columns=cols)
    for c in ("fetched", "quarantined"):
        df[c] = df[c].astype("int64")
    for c in ("bad_share", "empty_streak", "volume", "band_low", "band_high", "hours_since_success"):
        df[c] = pd.to_numeric(df[c], errors="coerce").astype("float64")
    df["intervals_since_success"] = pd.to_numeric(df["intervals_since_success"]).astype("float64")
    return df.reset_index(drop=True)


@dataclass(frozen=True)
class Freshness:
    source_id: str
    name: str
    last_success_at: datetime | None
    hours_since_success: float | None
    poll_interval_min: int
    stale: bool


def stale_sources(metrics: pd.DataFrame, policy: CheckPolicy) -> list[Freshness]:
    """Sources without a successful fetch within ``policy.stale.intervals`` poll intervals."""
    out = []
    for r in metrics.itertuples(index=False):
        intervals = r.intervals_since_success
        stale = bool(pd.notna(intervals) and intervals > policy.stale.intervals)
        if stale:
            out.append(
                Freshness(
                    r.source_id,
                    r.name,
                    None if pd.isna(r.last_success_at) else r.last_success_at,
                    None if pd.isna(r.hours_since_success) else float(r.hours_since_success),
                    int(r.poll_interval_min),
                    stale,
                )
            )
    return out
