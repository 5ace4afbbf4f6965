"""The local (Vietnam) day of a timestamp: the boundary at 17:00 UTC, whatever zone it comes in."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta, timezone

from postwatch.normalize.times import local_date, parse_timestamp


def test_the_vietnamese_day_starts_at_17_00_utc() -> None:
    assert local_date(datetime(2026, 11, 23, 16, 59, 59, tzinfo=UTC)) == date(2026, 11, 23)
    assert local_date(datetime(2026, 11, 23, 17, 0, tzinfo=UTC)) == date(2026, 11, 24)
    assert local_date(datetime(2026, 12, 31, 17, 0, tzinfo=UTC)) == date(2027, 1, 1)


def test_a_timestamp_in_another_zone_gives_the_same_day_as_its_utc_instant() -> None:
    paris = timezone(timedelta(hours=1))
    assert local_date(datetime(2026, 11, 23, 18, 30, tzinfo=paris)) == date(2026, 11, 24)
    assert local_date(datetime(2026, 11, 23, 17, 30, tzinfo=paris)) == date(2026, 11, 23)
    rnd = random.Random(3)
    for _ in range(2000):
        t = datetime(1971, 1, 1, tzinfo=UTC) + timedelta(seconds=rnd.randint(0, 2_500_000_000))
        zone = timezone(timedelta(minutes=rnd.randint(-14 * 60, 14 * 60)))
        assert local_date(t) == local_date(t.astimezone(zone)), t


def test_a_naive_timestamp_is_read_as_vietnamese_local_time() -> None:
    assert local_date(parse_timestamp("2026-11-24 00:30")) == date(2026, 11, 24)
    assert local_date(parse_timestamp("24/11/2026 23:59")) == date(2026, 11, 24)
