"""A small, known warehouse for the UI page tests: units, sources, labelled posts, alerts, quarantine.

Rows are written straight into the tables the views read (the way the pipeline leaves them), so the
page is checked against SQL over the same rows, not against what the page computed for itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import duckdb
import pandas as pd

from postwatch.warehouse.db import writer
from postwatch.warehouse.migrate import migrate

DAY = date(2026, 11, 22)
NOW = datetime.now(UTC)
T_DAY = datetime(2026, 11, 22, 3, 0, tzinfo=UTC)  # 10:00 in Asia/Ho_Chi_Minh

UNITS = [
    ("sonha", "UBND tỉnh Sơn Hà", "province", None),
    ("sonha.soyte", "Sở Y tế", "department", "sonha"),
    ("sonha.tanlap", "xã Tân Lập", "commune", "sonha"),
]
SOURCES = [
    ("fb_ubnd", "Trang UBND tỉnh Sơn Hà", "sonha", "facebook", "official"),
    ("rss_baosonha", "Báo Sơn Hà", None, "rss", "press"),
    ("yt_sonhatv", "Sơn Hà TV", "sonha", "youtube", "watched"),
]
# (days before DAY, unit, tone, relevant): the per-day pattern varies so a shifted day shows.
POSTS = [
    *[(0, "sonha", "positive", True)] * 3,
    *[(0, "sonha.soyte", "negative", True)] * 2,
    (0, "sonha.tanlap", "neutral", True),
    (0, "sonha.tanlap", "negative", True),
    (0, None, "negative", False),  # not relevant: never counted
    *[(1, "sonha", "neutral", True)] * 4,
    (1, "sonha.soyte", "positive", True),
    *[(5, "sonha.tanlap", "negative", True)] * 2,
    (13, "sonha", "positive", True),
    (14, "sonha", "positive", True),  # one day outside the 14-day window
]


@dataclass(frozen=True)
class Seeded:
    day: date
    alerts: bool


def _insert(con: duckdb.DuckDBPyConnection, table: str, rows: list[dict[str, object]]) -> None:
    frame = pd.DataFrame(rows)  # noqa: F841 (read by DuckDB's replacement scan below)
    con.execute(f"insert into {table} by name select * from frame")


def _tables(con: duckdb.DuckDBPyConnection) -> set[str]:
    return {r[0] for r in con.execute("select table_name from duckdb_tables()").fetchall()}


def seed() -> Seeded:
    """Migrate the warehouse of the current POSTWATCH_HOME and fill it; returns what was written."""
    migrate()

    def run(con: duckdb.DuckDBPyConnection) -> bool:
        _insert(
            con,
            "units",
            [
                {"unit_id": u, "name": n, "level": lv, "parent_id": p, "aliases": [], "loaded_at": NOW}
                for u, n, lv, p in UNITS
            ],
        )
        _insert(
            con,
            "sources",
            [
                {
                    "source_id": s,
                    "name": n,
                    "unit_id": u,
                    "platform": pf,
                    "kind": k,
                    "verified": True,
                    "active": True,
                    "poll_interval_min": 30,
                    "loaded_at": NOW,
                }
                for s, n, u, pf, k in SOURCES
            ],
        )
        _insert(
            con,
            "source_state",
            [
                {
                    "source_id": "fb_ubnd",
                    "status": "auth_failed",
                    "message": "token expired",
                    "last_attempt_at": NOW,
                    "last_success_at": NOW - timedelta(days=2),
                    "consecutive_failures": 5,
                    "updated_at": NOW,
                },
                {
                    "source_id": "rss_baosonha",
                    "status": "ok",
                    "last_attempt_at": NOW,
                    "last_success_at": NOW,
                    "consecutive_failures": 0,
                    "updated_at": NOW,
                },
            ],
        )
        if "source_incidents" in _tables(con):
            _insert(
                con,
                "source_incidents",
                [
                    {
                        "incident_id": "inc-1",
                        "source_id": "fb_ubnd",
                        "kind": "token_expired",
                        "message": "Graph API 190",
                        "opened_at": NOW - timedelta(days=1),
                        "last_seen_at": NOW,
                        "polls": 5,
                    }
                ],
            )
        posts, labels = [], []
        for i, (back, unit, tone, relevant) in enumerate(POSTS):
            published = T_DAY - timedelta(days=back, minutes=i)
            key = {"platform": "rss", "post_id": f"p{i}", "version": 1, "content_hash": f"h{i}"}
            posts.append(
                key
                | {
                    "source_id": "rss_baosonha",
                    "unit_id": unit,
                    "kind": "press",
                    "url": f"https://baosonha.vn/{i}",
                    "title": f"Tin số {i}",
                    "text": f"Nội dung tin số {i} về tỉnh Sơn Hà",
                    "published_at": published,
                    "local_date": DAY - timedelta(days=back),
                    "lang": "vi",
                    "story_key": f"s{i}",
                    "first_seen_at": published,
                    "refreshed_at": published,
                }
            )
            labels.append(
                key
                | {
                    "relevant": relevant,
                    "unit_ids": [unit] if unit else [],
                    "tone": tone,
                    "tone_score": {"positive": 0.7, "negative": -0.7, "neutral": 0.0}[tone],
                    "offensive": False,
                    "needs_checking": False,
                    "pack_version": "test",
                    "model_version": "default",
                    "processed_at": NOW,
                }
            )
        _insert(con, "posts", posts)
        _insert(con, "post_labels", labels)
        _insert(
            con,
            "quarantine",
            [
                {
                    "quarantine_id": f"q{i}",
                    "source_id": "rss_baosonha",
                    "platform": "rss",
                    "item_id": f"item-{i}",
                    "stage": stage,
                    "reason": f"thiếu trường published_at ({i})",
                    "record": "{}",
                    "record_hash": f"rh{i}",
                    "quarantined_at": NOW - timedelta(hours=i),
                    "status": status,
                }
                for i, (stage, status) in enumerate(
                    [("parse", "open"), ("normalize", "open"), ("validate", "open"), ("parse", "released")]
                )
            ],
        )
        has_alerts = "alerts" in _tables(con)
        if has_alerts:
            _insert(
                con,
                "alerts",
                [
                    {
                        "alert_id": aid,
                        "story_key": f"story-{aid}",
                        "kind": "critical_rule",
                        "unit_id": unit,
                        "title": title,
                        "url": f"https://baosonha.vn/{aid}",
                        "severity": "critical",
                        "reason": "test",
                        "status": status,
                        "created_at": NOW - age,
                        "first_seen_at": NOW - age,
                        "last_seen_at": NOW - age,
                        "posts": 1,
                        "engagement": 10,
                        "updated_at": NOW,
                    }
                    for aid, unit, title, status, age in [
                        ("a-old", "sonha.soyte", "Cháy tại bệnh viện tỉnh", "new", timedelta(hours=3)),
                        (
                            "a-new",
                            "sonha.tanlap",
                            "Sạt lở đất ở xã Tân Lập",
                            "acknowledged",
                            timedelta(minutes=30),
                        ),
                        ("a-done", "sonha", "Đã trả lời", "answered", timedelta(hours=5)),
                    ]
                ],
            )
        return has_alerts

    return Seeded(DAY, writer(run))


def drop_view(name: str) -> None:
    """Remove a view, as on a warehouse where its owner's migration has not run yet."""
    writer(lambda con: con.execute(f"drop view if exists {name}"))
