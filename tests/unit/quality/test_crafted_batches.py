"""Crafted batches through the real collect path (raw suite -> normalize -> posts suite -> load ->
reconciliation): every bad item lands in quarantine with its check and reason, the rest loads,
and the batch-level checks judge the poll."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from postwatch.collect.base import RawItem
from postwatch.pipeline.collect import check_run, load_items
from postwatch.registry import Registry
from postwatch.settings import get_settings
from postwatch.warehouse.db import read_query
from postwatch.warehouse.load import RunRecord

NOW = datetime(2026, 11, 22, 3, 0, tzinfo=UTC)
RUN = "manual__2026-11-22T03_00_00"


def item(item_id: str | None, **fields: Any) -> RawItem:
    base: dict[str, Any] = {
        "source_id": "fb-soyte",
        "platform": "facebook",
        "item_id": item_id,
        "title": None,
        "text": f"Sở Y tế Sơn Hà thông báo lịch tiêm chủng đợt {item_id}.",
        "published": "2026-11-21T08:00:00+07:00",
        "likes": 3,
        "comments": 1,
        "shares": 0,
        "fetched_at": NOW,
        "landing_ref": f"landing/fb-soyte/{RUN}.jsonl.gz#0",
    }
    base.update(fields)
    return RawItem(**base)


def load(registry: Registry, items: list[RawItem]) -> None:
    source = registry.source("fb-soyte")
    run = RunRecord(RUN, source.id, started_at=NOW)
    load_items(source, items, run, get_settings(), NOW, registry=registry)


def quarantined() -> list[tuple[Any, ...]]:
    return read_query(
        "select coalesce(item_id, '-'), stage, expectation, reason from quarantine order by 1, 3, 4"
    )[1]


def failed_results(suite: str) -> list[tuple[Any, ...]]:
    return read_query(
        "select r.expectation, r.source_id, r.unexpected_count, r.element_count from dq_results r "
        "join dq_runs d using (dq_run_id) where d.suite = $suite and not r.success order by 1",
        {"suite": suite},
    )[1]


def test_a_clean_batch_loads_whole_and_every_check_passes(warehouse: Registry) -> None:
    load(warehouse, [item("1001_1"), item("1001_2", title="Lịch tiêm"), item("1001_3", likes="12")])

    assert quarantined() == []
    assert read_query("select count(*) from posts")[1] == [(3,)]
    runs = read_query("select suite, rows_checked, rows_failed, success from dq_runs order by suite")[1]
    assert runs == [
        ("load_reconciliation", 1, 0, True),
        ("normalized_posts", 3, 0, True),
        ("raw_items.facebook", 3, 0, True),
    ]
    assert read_query("select count(*) from dq_results where not success")[1] == [(0,)]
    out = check_run(RUN, ["fb-soyte"], now=NOW + timedelta(minutes=1))
    assert out["failure_message"] is None
    assert out["failures"] == []


def test_a_bad_batch_quarantines_exactly_its_bad_items_with_their_reasons(warehouse: Registry) -> None:
    same_time = {"published": "2026-11-21T09:00:00+07:00"}
    items = [
        item("1001_1"),
        item("1001_dup", text="Lịch tiêm chủng đợt 1.", **same_time),
        item("1001_dup", text="Lịch tiêm chủng đợt 2 (đã sửa?).", **same_time),
        item("1001_edit", text="Bản đầu.", updated="2026-11-21T09:00:00+07:00"),
        item("1001_edit", text="Bản đã sửa.", updated="2026-11-21T10:00:00+07:00"),
        item(None),
        item("1001_future", published=(NOW + timedelta(days=1)).isoformat()),
        item("1001_ancient", published="1970-01-01T00:00:00+00:00"),
        item("1001_negative", likes=-5),
        item("1001_empty", title="  ", text=""),
    ]
    load(warehouse, items)

    assert quarantined() == [
        ("-", "validate", "raw_item_id_present", "facebook item without a post id"),
        (
            "1001_ancient",
            "normalize",
            "published_at_plausible",
            "published_at 1970-01-01T00:00:00+00:00 is before 2000: a placeholder date",
        ),
        *[
            (
                "1001_dup",
                "validate",
                "post_key_unique",
                "(facebook, 1001_dup) appears more than once in the batch with different content and the "
                "same publication, update and fetch times: cannot tell which copy is the latest",
            )
        ]
        * 2,
        ("1001_empty", "validate", "raw_content_present", "empty post: no title and no text"),
        (
            "1001_future",
            "normalize",
            "published_at_not_future",
            "published_at 2026-11-23T03:00:00+00:00 is in the future",
        ),
        ("1001_negative", "normalize", "engagement_counts_non_negative", "negative likes count (-5)"),
    ]
    posts = read_query("select post_id, text from posts order by post_id")[1]
    assert posts == [
        ("1001_1", "Sở Y tế Sơn Hà thông báo lịch tiêm chủng đợt 1001_1."),
        ("1001_edit", "Bản đã sửa."),
    ]
    run = read_query(
        "select fetched, loaded_new, duplicates, quarantined from ingest_runs where run_id = $r", {"r": RUN}
    )[1]
    assert run == [(10, 2, 1, 7)], "10 fetched = 2 loaded + 1 superseded edit + 7 quarantined"
    assert failed_results("raw_items.facebook") == [
        ("raw_content_present", "fb-soyte", 1, 10),
        ("raw_item_id_present", "fb-soyte", 1, 10),
    ]
    assert failed_results("normalized_posts") == [("post_key_unique", "fb-soyte", 2, 4)]
    assert failed_results("load_reconciliation") == []

    out = check_run(RUN, ["fb-soyte"], now=NOW + timedelta(minutes=1))
    assert out["failure_message"] == (
        "data-quality checks failed: fb-soyte: 7 of 10 items quarantined (70%), over the 50% threshold"
    )
    assert out["warnings"] == ["fb-soyte: 7 of 10 items quarantined (70%), over the 10% threshold"]


def test_the_same_bad_record_seen_again_stays_one_open_quarantine_row(warehouse: Registry) -> None:
    load(warehouse, [item("1001_1"), item("1001_negative", likes=-5)])
    load(warehouse, [item("1001_1"), item("1001_negative", likes=-5, fetched_at=NOW + timedelta(hours=1))])

    assert [q[0] for q in quarantined()] == ["1001_negative"]
    assert failed_results("load_reconciliation") == []
