"""Backfill: collect chosen sources again from a past local date, without moving their watermark.

A data officer triggers `collect` with a date range after an outage or when a page is added.
The window's start replaces the stored watermark for that run only (conditional-GET validators
and cursors are dropped too, or a 304 would answer); the end is sent to platforms whose API can
filter by it (Facebook). What a feed no longer holds cannot come back: RSS and the YouTube Atom
feed only carry their latest items, so for them a backfill reaches as far back as the feed does.
The stored watermark and validators stay as they were, so the hourly polls are not disturbed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from postwatch.collect.base import SourceState
from postwatch.days import DayRangeError, parse_day
from postwatch.normalize.times import VN
from postwatch.registry import Registry, load_registry


class BackfillError(DayRangeError):
    """A backfill request that cannot run; the message says which field and why."""


@dataclass(frozen=True)
class Backfill:
    """Local dates (Asia/Ho_Chi_Minh), both inclusive; ``until`` None means up to now."""

    since: date
    until: date | None = None

    @property
    def start(self) -> datetime:
        return datetime.combine(self.since, time(), tzinfo=VN)

    @property
    def end(self) -> datetime | None:
        if self.until is None:
            return None
        return datetime.combine(self.until + timedelta(days=1), time(), tzinfo=VN)

    def state(self) -> SourceState:
        """The state a collector fetches against for this window (nothing of the stored one)."""
        return SourceState(watermark=self.start, until=self.end)

    def describe(self) -> str:
        return f"{self.since.isoformat()} .. {self.until.isoformat() if self.until else 'now'}"


def backfill_from(params: Mapping[str, Any], today: date) -> Backfill | None:
    """The window asked for in the trigger form's ``since`` / ``until``; None for a regular poll."""
    try:
        since, until = parse_day("since", params.get("since")), parse_day("until", params.get("until"))
    except DayRangeError as exc:
        raise BackfillError(str(exc)) from None
    if since is None:
        if until is not None:
            raise BackfillError("until is set without since: a backfill needs its first day")
        return None
    if since > today:
        raise BackfillError(f"since {since} is in the future (today is {today})")
    if until is not None and until < since:
        raise BackfillError(f"until {until} is before since {since}")
    return Backfill(since, until)


def choose_sources(registry: Registry, requested: Sequence[str] | None) -> list[str]:
    """The active sources to poll: all of them, or the requested ones (unknown or inactive ids fail)."""
    active = [s.id for s in registry.active_sources]
    if not requested:
        return active
    wanted = set(requested)
    unknown = sorted(wanted - {s.id for s in registry.sources})
    if unknown:
        raise BackfillError(f"sources: unknown source id(s) {', '.join(unknown)} (see sources.yaml)")
    inactive = sorted(wanted.difference(active))
    if inactive:
        raise BackfillError(
            f"sources: {', '.join(inactive)} is not active in sources.yaml; set active: true to collect it"
        )
    return [sid for sid in active if sid in wanted]


def source_choices() -> dict[str, Any]:
    """Schema keywords for the form's source list: the active ids as a pick list (``examples``
    makes Airflow's form a multi-select, ``values_display`` shows the page names) and as an enum,
    so a typo is refused in the form. An unreadable registry gives a free list (the run itself
    then reports the registry error with its file and line), so the DAG file always imports."""
    try:
        active = load_registry().active_sources
    except Exception:
        active = []
    if not active:
        return {"items": {"type": "string", "minLength": 1}}
    ids = [s.id for s in active]
    return {
        "items": {"type": "string", "enum": ids},
        "examples": ids,
        "values_display": {s.id: f"{s.name} ({s.id})" for s in active},
    }
