"""Ad-hoc keyword sweeps: refuse bad queries up front, write matches to CSV and sweep_results."""

from __future__ import annotations

import csv
import json
from datetime import date
from pathlib import Path

import pytest

from postwatch.process.sweep import SweepQueryError, sweep, validate_query
from postwatch.warehouse.db import read_query
from postwatch.warehouse.migrate import migrate

from .conftest import PRESS, WATCHED, load_posts


def test_a_query_with_a_syntax_error_is_refused_naming_the_column() -> None:
    with pytest.raises(SweepQueryError) as err:
        validate_query('"sạt lở" AND (Tân Lập OR')
    message = str(err.value)
    assert "column 25" in message and "expected" in message
    assert message.splitlines()[-1].index("^") - 2 == 24, "the caret sits under column 25"


def test_an_empty_query_is_refused() -> None:
    with pytest.raises(SweepQueryError, match="empty"):
        validate_query("   ")


def test_a_sweep_writes_the_matching_posts_of_the_range_to_csv_and_the_table(pw_home: Path) -> None:
    migrate()
    load_posts(
        WATCHED,
        [
            {
                "item_id": "77_1",
                "text": "Sạt lở đất ở thôn Khe Mát, xã Thủy Nguyên",
                "published": "2026-11-20T08:00:00+07:00",
            },
            {
                "item_id": "77_2",
                "text": "sat lo o khe mat, can ho tro gap",
                "published": "2026-11-21T09:00:00+07:00",
            },
            {
                "item_id": "77_3",
                "text": "Sạt lở ở Khe Mát tuần trước",
                "published": "2026-11-10T09:00:00+07:00",
            },
            {"item_id": "77_4", "text": "Lễ hội hoa ở Khe Mát", "published": "2026-11-20T10:00:00+07:00"},
        ],
    )
    load_posts(
        PRESS,
        [{"item_id": "https://dantri.vn/a.htm", "url": "https://dantri.vn/a.htm", "title": "Sạt lở ở Lào Cai",
          "text": "Mưa lớn gây sạt lở", "published": "2026-11-20T07:00:00+07:00"}],
    )  # fmt: skip
    report = sweep(
        '"sạt lở" AND "Khe Mát"', date(2026, 11, 15), date(2026, 11, 22), "manual__2026-11-22T10:00+07"
    )
    assert (report.matched, report.scanned) == (2, 4)
    assert report.sweep_id == "manual__2026-11-22T10_00_07"
    with open(report.csv_path, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    assert [(r["post_id"], r["matched"]) for r in rows] == [
        ("77_1", "Sạt lở | Khe Mát"),
        ("77_2", "sat lo | khe mat"),
    ]
    stored = read_query("select post_id, spans from sweep_results order by post_id")[1]
    assert [p for p, _ in stored] == ["77_1", "77_2"]
    assert json.loads(stored[0][1])[0] == ["text", 0, 6, "Sạt lở"]


def test_running_a_sweep_again_replaces_its_rows(pw_home: Path) -> None:
    migrate()
    load_posts(
        WATCHED,
        [{"item_id": "77_9", "text": "Cháy chợ Đông Thành", "published": "2026-11-20T08:00:00+07:00"}],
    )
    for _ in range(2):
        sweep("cháy", date(2026, 11, 20), date(2026, 11, 20), "s1")
    assert read_query("select count(*) from sweep_results where sweep_id = 's1'")[1] == [(1,)]
