"""Raw item → post row: hostile inputs either become a clean row or a quarantine reason."""

from __future__ import annotations

import json
import unicodedata
from datetime import UTC, date, datetime

import pytest

from postwatch.collect.base import RawItem
from postwatch.normalize.posts import normalize_item
from postwatch.normalize.rejected import Rejected
from postwatch.registry import Source
from tests.unit.normalize.common import FB, NOW, SOURCE


def raw(**kw: object) -> RawItem:
    base: dict[str, object] = {
        "source_id": "rss-x",
        "platform": "rss",
        "item_id": "https://x.vn/a.html",
        "url": "https://x.vn/a.html?utm_source=fb",
        "title": "Tiêu đề",
        "text": "Nội dung bài viết về tỉnh Sơn Hà",
        "published": "Fri, 20 Nov 2026 08:00:00 +0700",
        "landing_ref": "f.jsonl.gz#0",
    }
    base.update(kw)
    return RawItem(**base)  # type: ignore[arg-type]


def ok(item: RawItem, source: Source = SOURCE) -> dict:
    out = normalize_item(item, source, NOW)
    assert not isinstance(out, Rejected), out
    return out


def rejected(item: RawItem, source: Source = SOURCE) -> Rejected:
    out = normalize_item(item, source, NOW)
    assert isinstance(out, Rejected), out
    return out


def test_a_clean_item_becomes_a_row_with_utc_time_local_day_and_canonical_url() -> None:
    row = ok(raw(published="2026-11-20T23:30:00+07:00"))
    assert row["published_at"] == datetime(2026, 11, 20, 16, 30, tzinfo=UTC)
    assert row["local_date"] == date(2026, 11, 20)
    assert row["url"] == "https://x.vn/a.html"
    assert row["lang"] == "vi" and row["kind"] == "press"


def test_a_late_evening_utc_post_counts_in_the_next_vietnamese_day() -> None:
    row = ok(raw(published="2026-11-20T18:30:00Z"))
    assert row["local_date"] == date(2026, 11, 21)


def test_a_naive_timestamp_is_read_as_vietnamese_local_time() -> None:
    row = ok(raw(published="20/11/2026 08:15"))
    assert row["published_at"] == datetime(2026, 11, 20, 1, 15, tzinfo=UTC)


def test_nfd_and_old_tone_placement_are_normalised_and_the_original_kept() -> None:
    nfd = unicodedata.normalize("NFD", "Lũ ở xã Hoà Bình\u200b")
    row = ok(raw(text=nfd))
    assert row["text"] == "Lũ ở xã Hòa Bình"
    assert row["text_original"] == nfd


def test_script_in_a_title_is_stripped_to_text() -> None:
    row = ok(raw(title="Tin <script>alert(1)</script>nóng", text="<p>Bài <b>hay</b></p>", is_html=True))
    assert row["title"] == "Tin nóng"
    assert row["text"] == "Bài hay"


def test_sql_looking_text_and_emoji_are_stored_verbatim() -> None:
    s = "'; DROP TABLE posts;-- 😀 Robert'); --"
    assert ok(raw(text=s))["text"] == s


def test_the_same_content_hashes_the_same_and_an_edit_does_not() -> None:
    a, b, c = ok(raw()), ok(raw(fetched_at=NOW)), ok(raw(text="Nội dung đã sửa"))
    assert a["content_hash"] == b["content_hash"] != c["content_hash"]


@pytest.mark.parametrize(
    ("item", "expectation", "words"),
    [
        (raw(item_id=None), "post_id_not_null", "missing post id"),
        (raw(item_id="  "), "post_id_not_null", "missing post id"),
        (raw(published="2030-01-01T00:00:00Z"), "published_at_not_future", "in the future"),
        (raw(published="1970-01-01T00:00:00Z"), "published_at_plausible", "before 2000"),
        (raw(published="hôm qua"), "published_at_parseable", "unparseable"),
        (raw(published=None), "published_at_parseable", "missing"),
        (raw(likes=-3), "engagement_counts_non_negative", "negative likes"),
        (raw(shares="N/A"), "engagement_counts_integer", "shares"),
        (raw(title="", text="  \u200b "), "text_not_empty", "empty post"),
        (raw(url="javascript:alert(1)"), "url_is_http", "not http"),
        (raw(text="UBND tØnh S¬n Hµ tæ chøc héi nghÞ"), "text_unicode", "TCVN3"),
    ],
)
def test_broken_records_are_rejected_with_the_expectation_and_a_readable_reason(
    item: RawItem, expectation: str, words: str
) -> None:
    r = rejected(item)
    assert r.expectation == expectation
    assert words in r.reason
    assert r.source_id == "rss-x" and r.landing_ref == "f.jsonl.gz#0"
    assert json.loads(r.record)["title"] == item.title, "the record is kept as received"


def test_a_post_before_the_source_start_is_rejected() -> None:
    r = rejected(
        raw(source_id="fb-x", platform="facebook", item_id="1_2", published="2025-12-31T10:00:00Z"), FB
    )
    assert r.expectation == "published_at_after_source_start"


def test_a_parser_problem_is_quarantined_at_the_parse_stage() -> None:
    r = rejected(raw(problem="row 7: column 'Create time' is missing"))
    assert (r.stage, r.reason) == ("parse", "row 7: column 'Create time' is missing")


def test_engagement_counts_accept_strings_with_thousands_separators() -> None:
    row = ok(raw(likes="1,234", shares="12", views=3.0, comments=None))
    assert (row["likes"], row["shares"], row["views"], row["comments"]) == (1234, 12, 3, None)


def test_a_100_kb_post_is_kept_whole() -> None:
    text = "Xã Tân Lập tổ chức ngày hội đại đoàn kết. " * 2500
    assert len(ok(raw(text=text))["text"]) == len(text.strip())


def test_a_mojibake_title_is_repaired_and_marked() -> None:
    row = ok(raw(title="Tỉnh Sơn Hà".encode().decode("cp1252", errors="ignore")))
    assert row["encoding_fix"] == "mojibake_repaired"
    assert row["title"].startswith("Tỉnh Sơn H")
