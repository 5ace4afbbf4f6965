"""Everything the digest of one local day shows, read from the warehouse by named queries.

Each section is read on its own: a view another part of the pipeline has not created yet (or a
query that fails) marks that section unavailable with the reason, and the rest of the digest goes
out. The numbers are plain values, so the templates, the chart and the tests read the same data.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import duckdb

from postwatch.report.digest.config import DigestSection
from postwatch.settings import Settings
from postwatch.warehouse.db import reader
from postwatch.warehouse.sqlfiles import sql

log = logging.getLogger(__name__)

TONES = ("positive", "negative", "neutral")
TREND_DAYS = 14
BASELINE_DAYS = 7


@dataclass(frozen=True)
class Section:
    """Rows of one digest section, or why they could not be read."""

    rows: list[dict[str, Any]] = field(default_factory=list)
    error: str | None = None
    total: int = 0  # rows before the list was cut to the configured length

    @property
    def available(self) -> bool:
        return self.error is None


@dataclass(frozen=True)
class ToneCount:
    tone: str
    count: int
    mean_7d: float  # mean of the 7 days before the digest day

    @property
    def change(self) -> float:
        return self.count - self.mean_7d

    @property
    def change_pct(self) -> float | None:
        return None if self.mean_7d == 0 else 100.0 * (self.count - self.mean_7d) / self.mean_7d


@dataclass(frozen=True)
class DigestData:
    day: date
    tones: dict[str, ToneCount]
    trend: list[tuple[date, dict[str, int]]]  # the 14 days ending on ``day``, oldest first
    negative: Section
    positive: Section
    impersonation: Section
    comments: Section
    scoreboard: Section
    silent: Section
    without_page: Section
    responses: Section
    dq: Section

    @property
    def total(self) -> int:
        return sum(t.count for t in self.tones.values())


def _rows(
    con: duckdb.DuckDBPyConnection, name: str, params: dict[str, Any] | None = None
) -> list[dict[str, Any]]:
    cur = con.execute(sql(name), params or {})
    cols = [c[0] for c in cur.description or []]
    return [dict(zip(cols, r, strict=True)) for r in cur.fetchall()]


def _section(
    con: duckdb.DuckDBPyConnection, name: str, params: dict[str, Any] | None = None, limit: int | None = None
) -> Section:
    try:
        rows = _rows(con, name, params)
    except duckdb.CatalogException as exc:
        reason = str(exc).splitlines()[0]
        log.warning("digest section %s unavailable: %s", name, reason)
        return Section(error=reason)
    except duckdb.Error as exc:
        reason = f"{type(exc).__name__}: {str(exc).splitlines()[0]}"
        log.exception("digest section %s failed", name)
        return Section(error=reason)
    return Section(rows=rows[:limit] if limit else rows, total=len(rows))


def cues(tone_cues: str | None, rules: str | None, limit: int = 5) -> list[str]:
    """Readable evidence for a label: rule ids that fired, then the strongest tone cues."""
    out: list[str] = [r.strip() for r in (rules or "").split(",") if r.strip()]
    try:
        parsed = json.loads(tone_cues) if tone_cues else []
    except ValueError:
        parsed = []
    items = parsed if isinstance(parsed, list) else []

    def weight(item: Any) -> float:
        if isinstance(item, dict):
            try:
                return abs(float(item.get("weight", 0) or 0))
            except (TypeError, ValueError):
                return 0.0
        return 0.0

    for item in sorted(items, key=weight, reverse=True):
        if isinstance(item, dict):
            text = next(
                (str(item[k]) for k in ("text", "term", "cue", "matched", "rule_id", "ngram") if item.get(k)),
                None,
            )
        else:
            text = str(item) if item else None
        if text and text not in out:
            out.append(text)
    return out[:limit]


def _items(con: duckdb.DuckDBPyConnection, tone: str, day: date, limit: int) -> Section:
    section = _section(con, "digest_tone_items", {"tone": tone, "day": day})
    if not section.available:
        return section
    rows = []
    for r in section.rows[:limit]:
        rows.append({**r, "cues": cues(r.get("tone_cues"), r.get("rules"))})
    return Section(rows=rows, total=section.total)


def _trend(
    con: duckdb.DuckDBPyConnection, day: date
) -> tuple[dict[str, ToneCount], list[tuple[date, dict[str, int]]]]:
    start = day - timedelta(days=TREND_DAYS - 1)
    series: dict[date, dict[str, int]] = {
        start + timedelta(days=i): dict.fromkeys(TONES, 0) for i in range(TREND_DAYS)
    }
    for r in _rows(con, "digest_tone_series", {"start": start, "end": day}):
        if r["tone"] in TONES:
            series[r["local_date"]][r["tone"]] = int(r["posts"])
    baseline = [series[day - timedelta(days=i)] for i in range(1, BASELINE_DAYS + 1)]
    tones = {t: ToneCount(t, series[day][t], sum(b[t] for b in baseline) / BASELINE_DAYS) for t in TONES}
    return tones, sorted(series.items())


def gather(day: date, cfg: DigestSection, settings: Settings | None = None) -> DigestData:
    """Read every section of the digest of local day ``day`` from one read-only snapshot."""
    with reader(settings) as con:
        tones, trend = _trend(con, day)
        return DigestData(
            day=day,
            tones=tones,
            trend=trend,
            negative=_items(con, "negative", day, cfg.negative_items),
            positive=_items(con, "positive", day, cfg.positive_items),
            impersonation=_section(con, "digest_impersonation", limit=cfg.impersonation_items),
            comments=_section(con, "digest_comments", limit=cfg.comment_items),
            scoreboard=_section(con, "digest_scoreboard", {"day": day}),
            silent=_section(con, "digest_silent_units", {"day": day}),
            without_page=_section(con, "digest_units_without_page"),
            responses=_section(con, "digest_response_times", {"day": day}),
            dq=_section(con, "digest_dq"),
        )
