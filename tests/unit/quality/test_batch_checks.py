"""Batch-level checks on a real poll history (ingest_runs written by the load): a source gone silent,
a volume spike, a stale source; and the load reconciliation catching a row lost between stages."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from postwatch.collect.base import RawItem
from postwatch.normalize.posts import normalize_item
from postwatch.pipeline.collect import check_items, check_run
from postwatch.quality.reconcile import Accounting, reconcile_load
from postwatch.quality.validate import record_runs
from postwatch.registry import Registry
from postwatch.settings import get_settings
from postwatch.warehouse.db import read_query
from postwatch.warehouse.load import RunRecord, load_arrow, load_batch, rejected_to_arrow

NOW = datetime(2026, 11, 22, 3, 0, tzinfo=UTC)
RUN = "scheduled__2026-11-22T03_00_00"


def raw(registry: Registry, source_id: str, item_id: str) -> RawItem:
    source = registry.source(source_id)
    return RawItem(
        source_id=source_id,
        platform=source.platform.value,
        item_id=item_id,
        url=f"https://baosonha.vn/tin/{item_id}.html",
        title=f"Tin số {item_id}",
        text="Ủy ban nhân dân tỉnh Sơn Hà họp bàn kế hoạch phòng chống lụt bão.",
        published="2026-11-21T08:00:00+07:00",
        fetched_at=NOW,
    )


def poll(
    registry: Registry, source_id: str, run_id: str, at: datetime, ids: list[str], status: str = "ok"
) -> None:
    """One poll of ``source_id`` as the load records it (ingest_runs, source_state)."""
    source = registry.source(source_id)
    rows = [normalize_item(raw(registry, source_id, i), source, at) for i in ids]
    run = RunRecord(run_id, source_id, status=status, message="" if status == "ok" else "HTTP 503", state={})
    load_batch([r for r in rows if isinstance(r, dict)], [], run, get_settings(), at)


def test_a_silent_source_a_volume_spike_and_a_stale_source_are_each_reported(warehouse: Registry) -> None:
    for h in range(8, 0, -1):  # hourly history: the press feed brings 4 new posts each poll
        at = NOW - timedelta(hours=h)
        poll(warehouse, "rss-baosonha", f"r{h}", at, [f"h{h}-{i}" for i in range(4)])
        poll(warehouse, "fb-soyte", f"r{h}", at, [f"1001_{h}"] if h > 6 else [])
    poll(warehouse, "rss-baosonha", RUN, NOW, [f"spike-{i}" for i in range(40)])
    poll(warehouse, "fb-soyte", RUN, NOW, [])
    poll(warehouse, "yt-sonha", "r7", NOW - timedelta(hours=7), ["yt1"])
    poll(warehouse, "yt-sonha", RUN, NOW, [], status="error")

    out = check_run(RUN, ["fb-soyte", "rss-baosonha", "yt-sonha"], now=NOW + timedelta(minutes=1))

    assert out["failure_message"] is None, "all three checks are warnings by quality.yaml defaults"
    assert sorted(out["warnings"]) == [
        "fb-soyte: returned nothing for 6 polls in a row",
        "rss-baosonha: 40 new posts in the last poll, above its 7-day band 0–10",
        "yt-sonha: no successful fetch for 7.0 h (3.5 poll intervals of 120 min)",
    ]
    stored = read_query(
        "select r.source_id, r.expectation, r.severity, r.observed_value from dq_results r "
        "join dq_runs d using (dq_run_id) where d.suite = 'source_checks' and not r.success order by 1, 2"
    )[1]
    assert stored == [
        ("fb-soyte", "silent_source", "warn", "6 empty polls in a row"),
        ("rss-baosonha", "volume_band", "warn", "40 new posts; band 0–10 from 8 polls"),
        ("yt-sonha", "stale_source", "warn", "7.0 h since the last success (3.5 intervals of 120 min)"),
    ]
    assert out["incidents_opened"] == ["yt-sonha: stale"]


def test_a_poll_within_its_band_and_a_source_with_recent_posts_pass(warehouse: Registry) -> None:
    for h in range(8, 0, -1):
        poll(warehouse, "rss-baosonha", f"r{h}", NOW - timedelta(hours=h), [f"h{h}-{i}" for i in range(4)])
    poll(warehouse, "rss-baosonha", RUN, NOW, [f"n-{i}" for i in range(6)])

    out = check_run(RUN, ["rss-baosonha"], now=NOW + timedelta(minutes=1))

    assert out["warnings"] == [] and out["failures"] == []


def test_reconciliation_catches_a_row_lost_between_validation_and_load(warehouse: Registry) -> None:
    settings = get_settings()
    source = warehouse.source("rss-baosonha")
    items = [raw(warehouse, source.id, i) for i in ("a", "b", "c")]
    checked = check_items(source, items, RUN, settings, NOW, registry=warehouse)
    assert checked.good.num_rows == 3
    survivors = checked.good.slice(1)  # a row disappears on its way to the load
    run = RunRecord(RUN, source.id, started_at=NOW)
    counts = load_arrow(survivors, rejected_to_arrow(checked.rejected, RUN), run, settings, NOW)
    reconciled = reconcile_load([Accounting.of(source.id, len(items), counts)], run_id=RUN)
    record_runs([*checked.runs, reconciled])

    lost = (
        "rss-baosonha: 3 items fetched but 2 accounted for (loaded 2 + quarantined 0 + duplicates 0): "
        "1 lost between stages"
    )
    assert not reconciled.success
    assert [r.message for r in reconciled.failures("fail")] == [lost]
    out = check_run(RUN, [source.id], now=NOW + timedelta(minutes=1))
    assert out["failure_message"] == f"data-quality checks failed: {lost}"
