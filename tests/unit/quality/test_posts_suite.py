"""The normalized_posts suite (Great Expectations) on crafted batches: each row that breaks a rule is
rejected with the check's name and a reason naming the value; the other rows pass untouched."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from postwatch.collect.base import RawItem
from postwatch.normalize.posts import normalize_item
from postwatch.quality.validate import validate_posts
from postwatch.registry import Registry, load_registry
from postwatch.warehouse.load import rows_to_arrow

NOW = datetime(2026, 11, 22, 3, 0, tzinfo=UTC)


@pytest.fixture
def registry(pw_home: Path, pw_config: Path) -> Registry:
    return load_registry()


def post(registry: Registry, item_id: str, source_id: str = "fb-soyte", **override: Any) -> dict[str, Any]:
    """A post as normalize_item makes it, then changed as an upstream bug or a stale registry would."""
    source = registry.source(source_id)
    raw = RawItem(
        source_id=source.id,
        platform=source.platform.value,
        item_id=item_id,
        url=f"https://www.facebook.com/{item_id}",
        text="Sở Y tế tỉnh Sơn Hà khuyến cáo người dân tiêm phòng cúm mùa cho trẻ em.",
        published="2026-11-21T08:00:00+07:00",
        likes=4,
        fetched_at=NOW,
    )
    row = normalize_item(raw, source, NOW)
    assert isinstance(row, dict)
    row.update(override)
    return row


def reasons(registry: Registry, rows: list[dict[str, Any]]) -> list[tuple[str | None, str | None, str]]:
    out = validate_posts(rows_to_arrow(rows), registry, run_id="t", trigger="test")
    assert out.good.num_rows + len(out.rejected) == len(rows), "every row passes or is rejected"
    return sorted((r.item_id, r.expectation, r.reason) for r in out.rejected)


def test_a_clean_normalized_batch_passes_every_expectation(registry: Registry) -> None:
    rows = [post(registry, "1"), post(registry, "2"), post(registry, "b1", "rss-baosonha")]
    out = validate_posts(rows_to_arrow(rows), registry, run_id="t", trigger="test")
    assert out.rejected == []
    assert out.good.num_rows == 3
    assert out.run is not None and out.run.success
    assert all(r.success for r in out.run.results)


def test_each_broken_value_is_rejected_with_the_check_and_a_reason_naming_it(registry: Registry) -> None:
    rows = [
        post(registry, "ok"),
        post(registry, "unknown-source") | {"source_id": "fb-cu"},
        post(registry, "unknown-unit", unit_id="sonha.soxaydung"),
        post(registry, "ftp", url="ftp://files.sonha.gov.vn/a.pdf"),
        post(registry, "french", lang="fr"),
        post(registry, "negative", shares=-2),
        post(registry, "future", published_at=NOW + timedelta(minutes=11)),
        post(registry, "empty", title=None, text=""),
        post(
            registry, "before-start", source_id="rss-baosonha", published_at=datetime(2025, 6, 30, tzinfo=UTC)
        ),
    ]
    assert reasons(registry, rows) == [
        (
            "before-start",
            "published_at_after_source_start",
            "published_at 2025-06-30 is before the source's start 2025-07-01",
        ),
        ("empty", "text_not_empty", "empty post: no title and no text"),
        ("french", "lang_expected", "language 'fr' is not one of vi, en, und"),
        ("ftp", "url_is_http", "URL is not http(s): 'ftp://files.sonha.gov.vn/a.pdf'"),
        (
            "future",
            "published_at_not_future",
            "published_at 2026-11-22 03:11 UTC is in the future: later than 2026-11-22 03:10 UTC, "
            "10 minutes after the post was fetched",
        ),
        ("negative", "engagement_counts_non_negative", "negative shares count (-2)"),
        ("unknown-source", "source_in_registry", "source 'fb-cu' is not in the registry (sources.yaml)"),
        ("unknown-unit", "unit_in_registry", "unit 'sonha.soxaydung' is not in the registry (units.yaml)"),
    ]


def test_a_post_ten_minutes_after_its_fetch_is_still_accepted(registry: Registry) -> None:
    rows = [post(registry, "edge", published_at=NOW + timedelta(minutes=10))]
    assert reasons(registry, rows) == []


def test_one_row_breaking_two_rules_keeps_both_reasons_in_suite_order(registry: Registry) -> None:
    rows = [post(registry, "twice", url="mailto:a@b.vn", likes=-1)]
    out = validate_posts(rows_to_arrow(rows), registry, run_id="t", trigger="test")
    assert [(r.expectation, r.reason) for r in out.rejected] == [
        ("url_is_http", "URL is not http(s): 'mailto:a@b.vn'; negative likes count (-1)")
    ]
