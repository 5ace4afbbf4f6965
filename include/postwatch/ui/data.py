"""What the PostWatch page shows, read from the warehouse's views with named read-only queries.

Each section depends on views other parts of the pipeline create; a section whose view does not
exist yet is marked ``missing`` and one whose query fails is marked ``error``, so the page always
renders and never takes a write lock (reads go through ``read_query``, a read-only snapshot).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, Literal, TypeVar
from zoneinfo import ZoneInfo

import duckdb

from postwatch.settings import Settings, get_settings
from postwatch.warehouse.db import read_query
from postwatch.warehouse.sqlfiles import sql

log = logging.getLogger(__name__)

TONES = ("positive", "negative", "neutral")
CHART_DAYS = 14
ROW_LIMIT = 50
State = Literal["ok", "missing", "error"]


@dataclass
class Section:
    """One block of the page: its rows, or why there are none."""

    state: State = "ok"
    rows: list[dict[str, Any]] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    needs: tuple[str, ...] = ()
    error: str | None = None


S = TypeVar("S", bound=Section)


@dataclass
class DayCoverage:
    local_date: date
    positive: int = 0
    negative: int = 0
    neutral: int = 0

    @property
    def total(self) -> int:
        return self.positive + self.negative + self.neutral


@dataclass
class Coverage(Section):
    """Relevant posts by tone on the shown day, per unit, and over the 14 days ending on it."""

    shown_day: date | None = None
    days: list[DayCoverage] = field(default_factory=list)

    @property
    def today(self) -> DayCoverage | None:
        return self.days[-1] if self.days else None


@dataclass
class Dashboard:
    requested_day: date
    today: date
    coverage: Coverage
    alerts: Section
    impersonation: Section
    sources: Section
    quarantine: Section

    def as_json(self) -> dict[str, Any]:
        """The same numbers as the HTML page, for scripts and tests."""

        def section(s: Section) -> dict[str, Any]:
            return {"state": s.state, "counts": s.counts, "rows": s.rows, "error": s.error}

        cov = section(self.coverage) | {
            "shown_day": self.coverage.shown_day,
            "days": [
                {"local_date": d.local_date, **{t: getattr(d, t) for t in TONES}} for d in self.coverage.days
            ],
        }
        return {
            "requested_day": self.requested_day,
            "today": self.today,
            "coverage": cov,
            "alerts": section(self.alerts),
            "impersonation": section(self.impersonation),
            "sources": section(self.sources),
            "quarantine": section(self.quarantine),
        }


def local_today(settings: Settings | None = None, now: datetime | None = None) -> date:
    settings = settings or get_settings()
    return (now or datetime.now(ZoneInfo(settings.timezone))).astimezone(ZoneInfo(settings.timezone)).date()


def _rows(name: str, params: dict[str, Any], settings: Settings) -> list[dict[str, Any]]:
    cols, rows = read_query(sql(name), params, settings)
    return [dict(zip(cols, r, strict=True)) for r in rows]


def _fill(section: S, relations: set[str], fn: Callable[[S], None]) -> S:
    """Run ``fn`` to fill the section when its views exist; a failing query degrades, never raises."""
    if missing := [n for n in section.needs if n not in relations]:
        section.state = "missing"
        section.error = ", ".join(missing)
        return section
    try:
        fn(section)
    except duckdb.Error as exc:
        log.warning("PostWatch page: section on %s failed: %s", section.needs, exc)
        section.state = "error"
        section.error = str(exc).splitlines()[0][:300]
        section.rows = []
    return section


def _coverage_days(rows: Iterable[dict[str, Any]], last: date) -> list[DayCoverage]:
    days = {last - timedelta(days=i): DayCoverage(last - timedelta(days=i)) for i in range(CHART_DAYS)}
    for r in rows:
        if r["local_date"] in days and r["tone"] in TONES:
            setattr(days[r["local_date"]], r["tone"], int(r["posts"]))
    return [days[d] for d in sorted(days)]


def load_dashboard(day: date | None = None, settings: Settings | None = None) -> Dashboard:
    """Everything the page shows for ``day`` (default: today in the configured time zone).

    Coverage falls back to the latest earlier day with posts, so a quiet morning (or the recorded
    demo weeks) still shows the last known picture, and says so.
    """
    settings = settings or get_settings()
    today = local_today(settings)
    requested = day or today
    try:
        relations = {r["name"] for r in _rows("ui_relations", {}, settings)}
    except duckdb.Error as exc:  # no warehouse at all yet: every section says so
        log.warning("PostWatch page: cannot list the warehouse's relations: %s", exc)
        relations = set()

    def coverage(s: Coverage) -> None:
        shown = _rows("ui_coverage_day", {"day": requested}, settings)[0]["local_date"]
        s.shown_day = shown
        if shown is None:
            return
        s.days = _coverage_days(_rows("ui_coverage_days", {"day": shown}, settings), shown)
        s.rows = _rows("ui_coverage_units", {"day": shown}, settings)

    def alerts(s: Section) -> None:
        s.counts = _rows("ui_alerts_counts", {}, settings)[0]
        s.rows = _rows("ui_alerts_open", {"limit": ROW_LIMIT}, settings)

    def impersonation(s: Section) -> None:
        s.rows = _rows("ui_impersonation_open", {"limit": ROW_LIMIT}, settings)
        s.counts = {"open": len(s.rows)}

    def sources(s: Section) -> None:
        s.rows = _rows("ui_source_health", {}, settings)
        s.counts = {
            "active": len(s.rows),
            "broken": sum(1 for r in s.rows if r["incident"]),
            "stale": sum(1 for r in s.rows if r["stale"]),
        }

    def quarantine(s: Section) -> None:
        s.counts = _rows("ui_quarantine_counts", {}, settings)[0]
        params = {"source_id": None, "status": "open", "limit": 20}
        s.rows = _rows("quarantine_list", params, settings)

    return Dashboard(
        requested_day=requested,
        today=today,
        coverage=_fill(Coverage(needs=("coverage_daily", "units")), relations, coverage),
        alerts=_fill(Section(needs=("alerts_open", "units")), relations, alerts),
        impersonation=_fill(Section(needs=("impersonation_open",)), relations, impersonation),
        sources=_fill(Section(needs=("dq_source_health",)), relations, sources),
        quarantine=_fill(Section(needs=("quarantine",)), relations, quarantine),
    )
