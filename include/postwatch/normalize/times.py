"""Timestamps as platforms write them → aware UTC datetimes, plus the local (Vietnam) day."""

from __future__ import annotations

import email.utils
import re
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo

VN = ZoneInfo("Asia/Ho_Chi_Minh")
# Vietnam has kept UTC+7 since 1975: a fixed offset is exact and much faster than zoneinfo.
VN_FIXED = timezone(timedelta(hours=7))

_DMY = re.compile(
    r"^\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?:[ ,T]+(?:lúc\s*)?(\d{1,2})[:hg](\d{2})(?::(\d{2}))?)?\s*$"
)


_EPOCH = re.compile(r"\d{9,13}(\.\d+)?")


class BadTimestamp(ValueError):
    pass


def parse_timestamp(value: Any, naive_tz: Any = VN_FIXED) -> datetime:
    """Parse ISO 8601, RFC 822, epoch seconds/milliseconds or dd/mm/yyyy [HH:MM] into UTC.

    A timestamp without zone is taken in ``naive_tz`` (local time for Vietnamese sources).
    """
    if value is None or value == "":
        raise BadTimestamp("missing timestamp")
    if isinstance(value, datetime):
        dt = value
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        return _from_epoch(float(value))
    else:
        s = value.strip() if type(value) is str else str(value).strip()
        if not (len(s) > 4 and s[4] == "-") and _EPOCH.fullmatch(s):  # "YYYY-": never an epoch
            return _from_epoch(float(s))
        try:
            dt = datetime.fromisoformat(s)
        except ValueError:
            m = _DMY.match(s)
            if m:
                d, mo, y, hh, mm, ss = m.groups()
                try:
                    dt = datetime(int(y), int(mo), int(d), int(hh or 0), int(mm or 0), int(ss or 0))
                except ValueError as exc:
                    raise BadTimestamp(f"unparseable timestamp {s[:60]!r}: {exc}") from exc
            else:
                try:
                    dt = email.utils.parsedate_to_datetime(s)
                except (TypeError, ValueError, IndexError) as exc:
                    raise BadTimestamp(f"unparseable timestamp {s[:60]!r}") from exc
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=naive_tz)
    return dt.astimezone(UTC)


def _from_epoch(x: float) -> datetime:
    if x > 1e11:  # milliseconds
        x /= 1000.0
    try:
        return datetime.fromtimestamp(x, tz=UTC)
    except (OverflowError, OSError, ValueError) as exc:
        raise BadTimestamp(f"epoch out of range: {x}") from exc


_VN_OFFSET = timedelta(hours=7)


def local_date(ts: datetime) -> date:
    """The calendar day in Vietnam: what leadership means by "yesterday"."""
    if ts.tzinfo is UTC:  # what parse_timestamp returns: shifting the wall clock is half the cost
        return (ts + _VN_OFFSET).date()
    return ts.astimezone(VN_FIXED).date()
