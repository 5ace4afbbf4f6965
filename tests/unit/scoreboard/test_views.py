"""The scoreboard views on a crafted warehouse, checked against numbers worked out by hand.

Registry: Sơn Hà (a Facebook page and an unverified YouTube channel), Tân Lập (a page without an
admin), Hòa Bình (only a switched-off page), Sở Y tế (only a watched page). Posts, local days of
November 2026 (likes/comments/shares[/views], tone):
  fb-ubnd   10th p1 10/2/1 positive · 12th p2 5/1/0 negative, p3 3/0/0 unlabelled · 16th p4 20/4/6 positive
            (an older label said negative: the latest label counts)
  yt-sonha  16th v1 7/1/0/500 neutral
  fb-tanlap 11th t1 2/0/0 positive
  fb-hoabinh-old (inactive) 13th h1 1/1/1 positive
  fb-news (watched, never counted) 16th n1 100/50/20 positive
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import duckdb
import pytest

from postwatch.normalize.text import content_hash
from postwatch.normalize.times import local_date
from postwatch.pipeline.collect import prepare
from postwatch.warehouse.db import read_query, writer
from postwatch.warehouse.load import RunRecord, load_batch

UNITS = """units:
  - {id: sonha, name: Ủy ban nhân dân tỉnh Sơn Hà, level: province}
  - {id: sonha.soyte, name: Sở Y tế, level: department, parent: sonha}
  - {id: sonha.tanlap, name: Ủy ban nhân dân xã Tân Lập, level: commune, parent: sonha}
  - {id: sonha.hoabinh, name: Ủy ban nhân dân xã Hòa Bình, level: commune, parent: sonha}
"""
SOURCES = """sources:
  - {id: fb-ubnd, name: UBND tỉnh Sơn Hà, unit: sonha, platform: facebook, kind: official, page_id: "1",
     verified: true, admin: {name: Nguyễn Thị Lan, phone: "+84 912 345 678"}}
  - {id: yt-sonha, name: Truyền hình Sơn Hà, unit: sonha, platform: youtube, kind: official, channel_id: UC1,
     admin: {name: Trần Văn Minh, email: minh@sonhatv.vn}}
  - {id: fb-tanlap, name: UBND xã Tân Lập, unit: sonha.tanlap, platform: facebook, kind: official,
     page_id: "2", verified: true}
  - {id: fb-hoabinh-old, name: UBND xã Hòa Bình (cũ), unit: sonha.hoabinh, platform: facebook,
     kind: official, page_id: "3", verified: true, active: false, admin: {name: Lê Văn Hùng}}
  - {id: fb-news, name: Sơn Hà 24h, unit: sonha.soyte, platform: facebook, kind: watched, page_id: "4"}
"""
PLATFORM = {"yt-sonha": "youtube"}
KIND = {"fb-news": "watched"}
UNIT = {
    "fb-ubnd": "sonha",
    "yt-sonha": "sonha",
    "fb-tanlap": "sonha.tanlap",
    "fb-hoabinh-old": "sonha.hoabinh",
}


def on(day: int) -> datetime:
    return datetime(2026, 11, day, 9, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh")).astimezone(UTC)


def post(source_id: str, post_id: str, day: int, counts: tuple[int, ...]) -> dict[str, Any]:
    likes, comments, shares, *views = counts
    when, text = on(day), f"Bài {post_id}"
    return {
        "platform": PLATFORM.get(source_id, "facebook"),
        "post_id": post_id,
        "source_id": source_id,
        "unit_id": UNIT.get(source_id),
        "kind": KIND.get(source_id, "official"),
        "url": None,
        "title": None,
        "text": text,
        "author": None,
        "author_id": None,
        "published_at": when,
        "updated_at": None,
        "local_date": local_date(when),
        "lang": "vi",
        "likes": likes,
        "comments": comments,
        "shares": shares,
        "views": views[0] if views else None,
        "content_hash": content_hash("", text),
        "story_key": post_id,
        "encoding_fix": None,
        "title_original": None,
        "text_original": None,
        "fetched_at": when,
        "landing_ref": None,
    }


POSTS = [
    post("fb-ubnd", "p1", 10, (10, 2, 1)),
    post("fb-ubnd", "p2", 12, (5, 1, 0)),
    post("fb-ubnd", "p3", 12, (3, 0, 0)),
    post("fb-ubnd", "p4", 16, (20, 4, 6)),
    post("yt-sonha", "v1", 16, (7, 1, 0, 500)),
    post("fb-tanlap", "t1", 11, (2, 0, 0)),
    post("fb-hoabinh-old", "h1", 13, (1, 1, 1)),
    post("fb-news", "n1", 16, (100, 50, 20)),
]
# (platform, post_id, tone, minutes after the first labelling)
LABELS = [
    ("facebook", "p1", "positive", 0),
    ("facebook", "p2", "negative", 0),
    ("facebook", "p4", "negative", 0),
    ("facebook", "p4", "positive", 5),
    ("youtube", "v1", "neutral", 0),
    ("facebook", "t1", "positive", 0),
    ("facebook", "h1", "positive", 0),
    ("facebook", "n1", "positive", 0),
]


@pytest.fixture
def warehouse(tmp_path: Path, pw_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cfg = tmp_path / "config"
    cfg.mkdir()
    (cfg / "units.yaml").write_text(UNITS, encoding="utf-8")
    (cfg / "sources.yaml").write_text(SOURCES, encoding="utf-8")
    monkeypatch.setenv("POSTWATCH_CONFIG_DIR", str(cfg))
    prepare()
    for sid in sorted({p["source_id"] for p in POSTS}):
        load_batch([p for p in POSTS if p["source_id"] == sid], [], RunRecord(run_id="t", source_id=sid))
    first = datetime(2026, 11, 17, tzinfo=UTC)

    def labels(con: duckdb.DuckDBPyConnection) -> None:
        con.executemany(
            "insert into post_labels (platform, post_id, version, content_hash, relevant, tone, tone_score, "
            "offensive, needs_checking, pack_version, model_version, processed_at) "
            "values (?, ?, 1, 'h', true, ?, 0, false, false, 'v1', 'default', ?)",
            [[pl, pid, tone, first + timedelta(minutes=m)] for pl, pid, tone, m in LABELS],
        )

    writer(labels)


def rows(sql: str, **params: Any) -> list[dict[str, Any]]:
    cols, data = read_query(sql, params)
    return [dict(zip(cols, r, strict=True)) for r in data]


def day_row(unit_id: str, day: int, view: str = "unit_scoreboard_daily") -> dict[str, Any]:
    found = rows(
        f"select * from {view} where unit_id = $u and local_date = $d", u=unit_id, d=date(2026, 11, day)
    )
    assert len(found) == 1
    return found[0]


def test_a_units_day_counts_its_official_posts_tone_and_engagement(warehouse: None) -> None:
    r = day_row("sonha", 16)
    got = {
        k: r[k]
        for k in (
            "official_pages",
            "official_posts",
            "labelled_posts",
            "positive_posts",
            "negative_posts",
            "neutral_posts",
            "positive_share",
            "likes",
            "comments",
            "shares",
            "views",
            "engagement",
            "days_since_last_post",
        )
    }
    assert got == {
        "official_pages": 2,
        "official_posts": 2,
        "labelled_posts": 2,
        "positive_posts": 1,
        "negative_posts": 0,
        "neutral_posts": 1,
        "positive_share": 0.5,
        "likes": 27,
        "comments": 5,
        "shares": 6,
        "views": 500,
        "engagement": 38,
        "days_since_last_post": 0,
    }


def test_unlabelled_posts_count_as_posts_but_not_in_the_positive_share(warehouse: None) -> None:
    r = day_row("sonha", 12)
    assert (r["official_posts"], r["labelled_posts"], r["positive_share"], r["engagement"]) == (2, 1, 0.0, 9)


def test_a_silent_day_is_a_row_of_zeros_that_counts_the_days_since_the_last_post(warehouse: None) -> None:
    r = day_row("sonha", 14)
    assert (r["official_posts"], r["engagement"], r["positive_share"]) == (0, 0, None)
    assert (r["last_official_post_date"], r["days_since_last_post"]) == (date(2026, 11, 12), 2)
    before = day_row("sonha.tanlap", 10)
    assert (before["last_official_post_date"], before["days_since_last_post"]) == (None, None)
    assert day_row("sonha.tanlap", 16)["days_since_last_post"] == 5


def test_watched_pages_never_count_for_a_unit(warehouse: None) -> None:
    r = day_row("sonha.soyte", 16)
    assert (r["official_pages"], r["official_posts"], r["engagement"]) == (0, 0, 0)


def test_the_last_seven_days_add_up_the_window_ending_on_the_day(warehouse: None) -> None:
    r = day_row("sonha", 16, "unit_scoreboard_last7d")
    got = {
        k: r[k]
        for k in (
            "official_posts_day",
            "official_posts_7d",
            "active_days_7d",
            "labelled_posts_7d",
            "positive_posts_7d",
            "negative_posts_7d",
            "positive_share_7d",
            "engagement_day",
            "engagement_7d",
            "views_7d",
        )
    }
    assert got == {
        "official_posts_day": 2,
        "official_posts_7d": 5,
        "active_days_7d": 3,
        "labelled_posts_7d": 4,
        "positive_posts_7d": 2,
        "negative_posts_7d": 1,
        "positive_share_7d": 0.5,
        "engagement_day": 38,
        "engagement_7d": 60,
        "views_7d": 500,
    }
    later = day_row("sonha", 17, "unit_scoreboard_last7d")
    assert (later["official_posts_7d"], later["active_days_7d"], later["engagement_7d"]) == (4, 2, 47)
    assert later["positive_share_7d"] == pytest.approx(1 / 3)


def test_units_silent_lists_units_with_a_page_that_posted_nothing_that_day(warehouse: None) -> None:
    on_16 = rows(
        "select unit_id, days_silent, official_posts_7d, never_posted from units_silent "
        "where local_date = $d",
        d=date(2026, 11, 16),
    )
    assert on_16 == [
        {"unit_id": "sonha.tanlap", "days_silent": 5, "official_posts_7d": 1, "never_posted": False}
    ]
    on_10 = rows("select unit_id, never_posted from units_silent where local_date = $d", d=date(2026, 11, 10))
    assert on_10 == [{"unit_id": "sonha.tanlap", "never_posted": True}]


def test_units_without_an_active_official_page_are_listed_with_what_they_have(warehouse: None) -> None:
    got = rows(
        "select unit_id, parent_name, inactive_official_pages, watched_pages from units_without_official_page"
    )
    assert got == [
        {
            "unit_id": "sonha.hoabinh",
            "parent_name": "Ủy ban nhân dân tỉnh Sơn Hà",
            "inactive_official_pages": 1,
            "watched_pages": 0,
        },
        {
            "unit_id": "sonha.soyte",
            "parent_name": "Ủy ban nhân dân tỉnh Sơn Hà",
            "inactive_official_pages": 0,
            "watched_pages": 1,
        },
    ]


def test_official_pages_unverified_or_without_an_admin_contact_are_listed_with_the_problems(
    warehouse: None,
) -> None:
    got = rows("select source_id, active, problems from pages_missing_admin_or_unverified")
    assert got == [
        {"source_id": "yt-sonha", "active": True, "problems": ["unverified"]},
        {"source_id": "fb-hoabinh-old", "active": False, "problems": ["missing_admin_contact"]},
        {"source_id": "fb-tanlap", "active": True, "problems": ["missing_admin", "missing_admin_contact"]},
    ]
