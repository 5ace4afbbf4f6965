"""Local days for forms: Viet Nam's calendar, not UTC's; empty fields have stated defaults."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from postwatch.days import DayRangeError, day_range, local_day, parse_day


def test_the_local_day_turns_at_17_00_utc() -> None:
    assert local_day(datetime(2026, 11, 22, 16, 59, tzinfo=UTC)) == date(2026, 11, 22)
    assert local_day(datetime(2026, 11, 22, 17, 0, tzinfo=UTC)) == date(2026, 11, 23)


def test_an_empty_range_is_the_last_seven_days_up_to_today() -> None:
    today = date(2026, 11, 23)
    assert day_range({}, today=today) == (date(2026, 11, 17), today)
    assert day_range({"date_from": None, "date_to": ""}, today=today) == (date(2026, 11, 17), today)


def test_an_empty_first_day_counts_back_from_the_last_day_given() -> None:
    got = day_range(
        {"start": None, "end": "2026-11-12"}, "start", "end", default_days=3, today=date(2026, 11, 23)
    )
    assert got == (date(2026, 11, 10), date(2026, 11, 12))


def test_a_backward_range_is_refused_naming_both_fields() -> None:
    with pytest.raises(DayRangeError, match="date_from 2026-11-22 is after date_to 2026-11-09"):
        day_range({"date_from": "2026-11-22", "date_to": "2026-11-09"})


def test_a_day_that_is_not_iso_names_its_field() -> None:
    assert parse_day("as_of", "2026-11-22") == date(2026, 11, 22)
    with pytest.raises(DayRangeError, match=r"as_of: '22/11/2026' is not a date \(YYYY-MM-DD\)"):
        parse_day("as_of", "22/11/2026")
