"""Local calendar days for forms and windows: the leadership's day is the configured time zone's
(Asia/Ho_Chi_Minh), not UTC's, so "today" after 17:00 UTC is already tomorrow in Viet Nam."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from postwatch.settings import Settings, get_settings


class DayRangeError(ValueError):
    """A date or range from a form that cannot be used; the message names the field."""


def local_day(at: datetime | None = None, settings: Settings | None = None) -> date:
    """The calendar day in the configured time zone at ``at`` (default: now)."""
    tz = ZoneInfo((settings or get_settings()).timezone)
    return (at or datetime.now(UTC)).astimezone(tz).date()


def parse_day(field: str, value: Any) -> date | None:
    """A form's optional YYYY-MM-DD value; empty is None, anything else names the field."""
    if value in (None, ""):
        return None
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise DayRangeError(f"{field}: {value!r} is not a date (YYYY-MM-DD)") from None


def day_range(
    params: dict[str, Any],
    first: str = "date_from",
    last: str = "date_to",
    *,
    default_days: int = 7,
    today: date | None = None,
) -> tuple[date, date]:
    """(first, last) local days, both inclusive, from a form: an empty last day is today, an empty
    first day is ``default_days`` back from the last; a range running backwards is refused."""
    end = parse_day(last, params.get(last)) or today or local_day()
    start = parse_day(first, params.get(first)) or end - timedelta(days=default_days - 1)
    if start > end:
        raise DayRangeError(f"{first} {start} is after {last} {end}")
    return start, end
