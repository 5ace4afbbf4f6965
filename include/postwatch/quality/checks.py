"""Batch-level checks after a collect run, each with a severity (quality.yaml):

* bad_row_share: a source whose share of quarantined items passes the warn / fail threshold;
* silent_source: a source that returned nothing for N polls in a row;
* volume_band: a poll's new posts outside the source's band over the last days;
* stale_source: no successful fetch within N poll intervals.

The per-source numbers come from SQL (freshness.source_metrics); Great Expectations judges them
(suites.source_checks_suite), and the results are stored like every other validation run. A
``fail`` result makes ``CheckReport.failure_message`` non-empty: the collect DAG fails its task
with it. Load-reconciliation failures of the same run (recorded at load time) count as well.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import pandas as pd

from postwatch.quality import suites
from postwatch.quality.freshness import source_metrics
from postwatch.quality.policy import CheckPolicy, load_policy
from postwatch.quality.validate import DqResult, DqRun, record_runs, run_suite
from postwatch.settings import Settings
from postwatch.warehouse.db import read_query
from postwatch.warehouse.sqlfiles import sql


# What each check's observed value shows, from the metrics row ("not judged" when it could not be).
def _observed_share(r: Any) -> str:
    if pd.isna(r.bad_share):
        return "not judged: nothing fetched in this poll"
    return f"{_i(r.quarantined)} of {_i(r.fetched)} quarantined ({_pct(r.bad_share)})"


def _observed_silent(r: Any) -> str:
    return "never polled" if pd.isna(r.empty_streak) else f"{_i(r.empty_streak)} empty polls in a row"


def _observed_volume(r: Any) -> str:
    if pd.isna(r.volume):
        return "never polled"
    if pd.isna(r.band_low):
        polls = 0 if pd.isna(r.band_polls) else r.band_polls
        return f"{_i(r.volume)} new posts; not judged: {_i(polls)} earlier polls in the window"
    return f"{_i(r.volume)} new posts; band {_f(r.band_low)}–{_f(r.band_high)} from {_i(r.band_polls)} polls"


def _observed_stale(r: Any) -> str:
    if pd.isna(r.intervals_since_success):
        return "never polled"
    return (
        f"{_f(r.hours_since_success, 1)} h since the last success "
        f"({_f(r.intervals_since_success, 1)} intervals of {r.poll_interval_min} min)"
    )


_OBSERVED: dict[str, Callable[[Any], str]] = {
    "bad_row_share": _observed_share,
    "silent_source": _observed_silent,
    "volume_band": _observed_volume,
    "stale_source": _observed_stale,
}


def _i(v: object) -> str:
    return "?" if v is None or pd.isna(v) else str(int(v))  # type: ignore[arg-type]


def _f(v: object, digits: int = 0) -> str:
    return "?" if v is None or pd.isna(v) else f"{float(v):.{digits}f}"  # type: ignore[arg-type]


def _pct(v: object) -> str:
    return "?" if v is None or pd.isna(v) else f"{float(v):.0%}"  # type: ignore[arg-type]


@dataclass
class CheckReport:
    run: DqRun | None
    metrics: pd.DataFrame
    reconciliation_failures: list[DqResult] = field(default_factory=list)

    @property
    def failures(self) -> list[DqResult]:
        own = self.run.failures("fail") if self.run else []
        return own + self.reconciliation_failures

    @property
    def warnings(self) -> list[DqResult]:
        return self.run.failures("warn") if self.run else []

    @property
    def failure_message(self) -> str | None:
        """Names each failing source and its number: the text the Airflow task fails with."""
        if not self.failures:
            return None
        return "data-quality checks failed: " + "; ".join(r.message or r.expectation for r in self.failures)


def run_source_checks(
    run_id: str | None,
    *,
    source_ids: list[str] | None = None,
    now: datetime | None = None,
    trigger: str = "collect",
    policy: CheckPolicy | None = None,
    settings: Settings | None = None,
    record: bool = True,
    latest_polls: bool = False,
) -> CheckReport:
    """Judge every source's poll in ``run_id`` (or each source's latest poll, with ``latest_polls``
    or without a run id) and store the results under ``run_id``."""
    policy = policy or load_policy(settings)
    now = now or datetime.now(UTC)
    judged = None if latest_polls else run_id
    metrics = source_metrics(run_id=judged, now=now, source_ids=source_ids, policy=policy, settings=settings)
    if metrics.empty:
        return CheckReport(None, metrics)
    out = run_suite(
        suites.source_checks_suite(policy.view()),
        metrics.drop(columns=["last_success_at"]),
        run_id=run_id,
        trigger=trigger,
        settings=settings,
    )
    by_source = {r.source_id: r for r in metrics.itertuples(index=False)}
    for res in out.run.results:
        row = by_source.get(res.source_id)
        if row is not None and res.expectation in _OBSERVED:
            res.observed_value = _OBSERVED[res.expectation](row)
    rec_failures = reconciliation_failures(judged, settings) if judged else []
    if record:
        record_runs([out.run], settings)
    return CheckReport(out.run, metrics, rec_failures)


def reconciliation_failures(run_id: str, settings: Settings | None = None) -> list[DqResult]:
    """Failing load reconciliations recorded for ``run_id`` (severity fail)."""
    cols, rows = read_query(sql("dq_reconciliation_failures"), {"run_id": run_id}, settings)
    return [
        DqResult(
            suite=r["suite"],
            expectation=r["expectation"],
            expectation_type=r["expectation_type"],
            column_name=r["column_name"],
            source_id=r["source_id"],
            severity=r["severity"],
            element_count=r["element_count"],
            unexpected_count=r["unexpected_count"],
            observed_value=r["observed_value"],
            success=False,
            message=r["message"],
        )
        for r in (dict(zip(cols, row, strict=True)) for row in rows)
    ]
