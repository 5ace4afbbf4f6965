"""Data-quality tests. Row and item builders shared by the test modules."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from postwatch.collect.base import RawItem

T0 = datetime(2026, 11, 20, 1, 0, tzinfo=UTC)
FETCHED = T0 + timedelta(hours=2)


def post(i: int | str, source: str = "rss-baosonha", **kw: Any) -> dict[str, Any]:
    """A normalized post row (the columns normalize_item produces) that passes every check."""
    platform = {"rss-baosonha": "rss", "fb-soyte": "facebook", "yt-sonha": "youtube"}.get(source, "rss")
    row: dict[str, Any] = {
        "platform": platform,
        "post_id": f"{source}-{i}",
        "source_id": source,
        "unit_id": "sonha.soyte" if source == "fb-soyte" else None,
        "kind": "official" if source != "rss-baosonha" else "press",
        "url": f"https://baosonha.vn/tin/{i}.html",
        "title": f"Tin số {i}",
        "text": f"Ủy ban nhân dân tỉnh Sơn Hà thông báo số {i}",
        "published_at": T0 + timedelta(minutes=1),
        "updated_at": None,
        "local_date": date(2026, 11, 20),
        "lang": "vi",
        "likes": 3,
        "comments": 1,
        "shares": None,
        "views": None,
        "content_hash": f"h-{i}",
        "story_key": f"k-{i}",
        "fetched_at": FETCHED,
        "landing_ref": f"landing.jsonl.gz#{i}",
    }
    row.update(kw)
    return row


def item(i: int | str, source: str = "rss-baosonha", **kw: Any) -> RawItem:
    """A raw RSS-like item as a parser would yield it."""
    platform = {"rss-baosonha": "rss", "fb-soyte": "facebook", "yt-sonha": "youtube"}.get(source, "rss")
    fields: dict[str, Any] = {
        "source_id": source,
        "platform": platform,
        "item_id": f"https://baosonha.vn/tin/{i}.html",
        "url": f"https://baosonha.vn/tin/{i}.html",
        "title": f"Tin số {i} về tỉnh Sơn Hà",
        "text": "Ủy ban nhân dân tỉnh Sơn Hà thông báo kế hoạch mới cho người dân",
        "published": "2026-11-20T08:00:00+07:00",
        "fetched_at": FETCHED,
        "landing_ref": f"landing.jsonl.gz#{i}",
    }
    fields.update(kw)
    return RawItem(**fields)
