"""A small warehouse written row by row, the way collect and process leave it: units, sources, posts,
post_labels and rule_hits. Used by the alert and digest tests, which then check their output against
SQL over these same rows."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import duckdb
import pandas as pd

from postwatch.warehouse.db import writer
from postwatch.warehouse.migrate import migrate

VN = ZoneInfo("Asia/Ho_Chi_Minh")
LOADED = datetime(2026, 11, 1, tzinfo=UTC)

UNITS = [
    ("sonha", "Ủy ban nhân dân tỉnh Sơn Hà", "province", None),
    ("sonha.soyte", "Sở Y tế tỉnh Sơn Hà", "department", "sonha"),
    ("sonha.dongthanh", "Ủy ban nhân dân phường Đông Thành", "ward", "sonha"),
    ("sonha.tanlap", "Ủy ban nhân dân xã Tân Lập", "commune", "sonha"),
]
SOURCES = [
    ("fb-ubnd", "UBND tỉnh Sơn Hà", "sonha", "facebook", "official"),
    ("fb-dongthanh", "UBND phường Đông Thành", "sonha.dongthanh", "facebook", "official"),
    ("fb-soyte", "Sở Y tế Sơn Hà", "sonha.soyte", "facebook", "official"),
    ("fb-sonha24h", "Sơn Hà 24h", None, "facebook", "watched"),
    ("rss-vnexpress", "VnExpress", None, "rss", "press"),
    ("rss-dantri", "Dân trí", None, "rss", "press"),
]
TONE_SCORE = {"positive": 0.7, "negative": -0.7, "neutral": 0.0}


def local(day: date, hour: int, minute: int = 0) -> datetime:
    """A local (Asia/Ho_Chi_Minh) wall-clock time as UTC."""
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=VN).astimezone(UTC)


@dataclass
class World:
    posts: list[dict[str, Any]] = field(default_factory=list)
    labels: list[dict[str, Any]] = field(default_factory=list)
    hits: list[dict[str, Any]] = field(default_factory=list)

    def post(
        self,
        post_id: str,
        published_at: datetime,
        *,
        source: str = "fb-sonha24h",
        title: str | None = None,
        text: str = "Nội dung",
        tone: str = "neutral",
        relevant: bool = True,
        units: list[str] | None = None,
        likes: int = 0,
        comments: int = 0,
        shares: int = 0,
        story_key: str | None = None,
        url: str | None = None,
        content_hash: str | None = None,
        rules: list[tuple[str, str, str]] = (),  # (rule_id, category, severity)
        cues: str | None = None,
        labelled: bool = True,
    ) -> dict[str, Any]:
        src = next(s for s in SOURCES if s[0] == source)
        row = {
            "platform": src[3],
            "post_id": post_id,
            "version": 1,
            "content_hash": content_hash or f"h-{post_id}",
            "source_id": source,
            "unit_id": src[2],
            "kind": src[4],
            "url": url or f"https://example.vn/{source}/{post_id}",
            "title": title,
            "text": text,
            "published_at": published_at,
            "local_date": published_at.astimezone(VN).date(),
            "lang": "vi",
            "likes": likes,
            "comments": comments,
            "shares": shares,
            "story_key": story_key or f"story-{post_id}",
            "first_seen_at": published_at + timedelta(minutes=5),
            "refreshed_at": published_at + timedelta(minutes=5),
        }
        self.posts.append(row)
        key = {k: row[k] for k in ("platform", "post_id", "version", "content_hash")}
        if labelled:
            self.labels.append(
                key
                | {
                    "relevant": relevant,
                    "unit_ids": units if units is not None else ([src[2]] if src[2] else ["sonha"]),
                    "tone": tone,
                    "tone_score": TONE_SCORE[tone],
                    "tone_cues": cues,
                    "offensive": False,
                    "needs_checking": False,
                    "pack_version": "test",
                    "model_version": "default",
                    "processed_at": published_at + timedelta(minutes=10),
                }
            )
        for rule_id, category, severity in rules:
            self.hits.append(
                {
                    "platform": row["platform"],
                    "post_id": post_id,
                    "version": 1,
                    "rule_id": rule_id,
                    "pack_id": rule_id.split(".")[0],
                    "pack_version": "test",
                    "category": category,
                    "severity": severity,
                    "unit_id": None,
                    "spans": "[]",
                    "matched_at": published_at + timedelta(minutes=10),
                }
            )
        return row

    def save(self, *, registry: bool = True) -> None:
        """Migrate the current POSTWATCH_HOME's warehouse and write the rows added so far (once)."""
        migrate()
        posts, labels, hits = self.posts, self.labels, self.hits
        self.posts, self.labels, self.hits = [], [], []

        def tx(con: duckdb.DuckDBPyConnection) -> None:
            if registry and not con.execute("select count(*) from units").fetchone()[0]:
                _insert(con, "units", [
                    {"unit_id": u, "name": n, "level": lv, "parent_id": p, "aliases": [], "loaded_at": LOADED}
                    for u, n, lv, p in UNITS
                ])  # fmt: skip
                _insert(con, "sources", [
                    {"source_id": s, "name": n, "unit_id": u, "platform": pf, "kind": k, "verified": True,
                     "active": True, "poll_interval_min": 30, "loaded_at": LOADED}
                    for s, n, u, pf, k in SOURCES
                ])  # fmt: skip
            for table, rows in (("posts", posts), ("post_labels", labels), ("rule_hits", hits)):
                if rows:
                    _insert(con, table, rows)

        writer(tx)


def _insert(con: duckdb.DuckDBPyConnection, table: str, rows: list[dict[str, Any]]) -> None:
    frame = pd.DataFrame(rows)  # noqa: F841 (read by DuckDB's replacement scan)
    con.execute(f"insert into {table} by name select * from frame")
