"""`postwatch quarantine list` / `release`: a quarantined record, once its cause is fixed, is re-run
through the checks and normalization and loads; until then it stays in quarantine."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from typer.testing import CliRunner

from postwatch.cli import app
from postwatch.collect.base import RawItem
from postwatch.pipeline.collect import load_items, prepare
from postwatch.registry import Registry
from postwatch.settings import get_settings
from postwatch.warehouse.db import read_query
from postwatch.warehouse.load import RunRecord

NOW = datetime(2026, 11, 22, 3, 0, tzinfo=UTC)
REASON = "published_at 2025-06-15 is before the source's start 2025-07-01"


def early_item(item_id: str) -> RawItem:
    return RawItem(
        source_id="rss-baosonha",
        platform="rss",
        item_id=item_id,
        url=f"https://baosonha.vn/luu-tru/{item_id}.html",
        title="Sơn Hà tổng kết 6 tháng đầu năm",
        text="Bài lưu trữ từ trước khi nguồn được theo dõi.",
        published="2025-06-15T08:00:00+07:00",
        fetched_at=NOW,
    )


def test_a_record_released_after_its_fix_loads_and_leaves_quarantine(
    warehouse: Registry, pw_config: Path
) -> None:
    source = warehouse.source("rss-baosonha")
    load_items(
        source, [early_item("old-1")], RunRecord("r1", source.id), get_settings(), NOW, registry=warehouse
    )
    runner = CliRunner()

    listed = runner.invoke(app, ["quarantine", "list", "--source", "rss-baosonha"])
    assert listed.exit_code == 0, listed.output
    assert "published_at_after_source_start" in listed.output and "(1 rows)" in listed.output
    (qid,) = read_query("select quarantine_id from quarantine where status = 'open'")[1][0]

    still = runner.invoke(app, ["quarantine", "release", qid])
    assert still.exit_code == 1
    assert f"published_at_after_source_start: {REASON}" in still.output
    assert read_query("select status from quarantine")[1] == [("open",)]

    sources = (pw_config / "sources.yaml").read_text(encoding="utf-8")
    (pw_config / "sources.yaml").write_text(sources.replace('since: "2025-07-01"', 'since: "2025-01-01"'))
    prepare()
    released = runner.invoke(app, ["quarantine", "release", qid])

    assert released.exit_code == 0, released.output
    assert f"released {qid}: 1 new, 0 changed, 0 unchanged" in released.output
    assert read_query("select post_id, local_date::varchar from posts")[1] == [("old-1", "2025-06-15")]
    assert read_query("select status, released_at is not null from quarantine")[1] == [("released", True)]
    again = runner.invoke(app, ["quarantine", "release", qid])
    assert again.exit_code == 1 and "already released" in again.output


def test_releasing_an_unknown_id_names_it_and_changes_nothing(warehouse: Registry) -> None:
    out = CliRunner().invoke(app, ["quarantine", "release", "nope"])
    assert out.exit_code == 1
    assert "no quarantined record 'nope'" in out.output
