"""Processing posts in the warehouse: labels and hits written, new and changed posts only."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from postwatch.process.labels import Analyzer
from postwatch.process.run import analyzer_for, process_new, reclassify
from postwatch.warehouse.db import read_query
from postwatch.warehouse.migrate import migrate

from .conftest import OFFICIAL, PRESS, WATCHED, load_posts

FIRE = "Cháy lớn tại chợ Đông Thành, nhiều ki-ốt bị thiêu rụi, người dân rất bức xúc vì xe cứu hỏa đến chậm"


@pytest.fixture(scope="module")
def analyzer() -> Analyzer:
    return Analyzer.load()


def _seed() -> None:
    migrate()
    load_posts(
        WATCHED,
        [
            {"item_id": "77_1", "text": FIRE, "published": "2026-11-20T08:00:00+07:00", "shares": 40},
            {
                "item_id": "77_2",
                "text": "Đồng Nai: xã Tân Lập ngập sâu, 300 hộ sơ tán",
                "published": "2026-11-20T09:00:00+07:00",
            },
        ],
    )
    load_posts(
        OFFICIAL,
        [
            {
                "item_id": "100_1",
                "text": "Lịch tiếp công dân tháng 12",
                "published": "2026-11-21T08:00:00+07:00",
            }
        ],
    )
    load_posts(
        PRESS,
        [{"item_id": "https://dantri.vn/x.htm", "url": "https://dantri.vn/x.htm", "title": "Giá xăng giảm",
          "text": "Giá xăng RON 95 giảm 320 đồng", "published": "2026-11-21T15:00:00+07:00"}],
    )  # fmt: skip


def _labels() -> dict[str, tuple]:
    cols = "post_id, version, relevant, unit_ids, tone, offensive, needs_checking, pack_version"
    return {r[0]: r[1:] for r in read_query(f"select {cols} from post_labels")[1]}


def test_processing_labels_every_post_and_keeps_the_evidence(pw_home: Path, analyzer: Analyzer) -> None:
    _seed()
    report = process_new(analyzer, run_id="t1")
    assert (report.posts, report.relevant) == (4, 2)
    labels = _labels()
    assert labels["77_1"][1:4] == (True, ["sonha.dongthanh"], "negative")
    assert labels["77_1"][5] is True, "a serious incident told by a watched page about us needs checking"
    assert labels["77_2"][1] is False, "xã Tân Lập of Đồng Nai is not ours"
    assert labels["100_1"][1:3] == (True, ["sonha"])
    assert labels["77_1"][6] == analyzer.pack_version
    mentions = json.loads(read_query("select mentions from post_labels where post_id = '77_1'")[1][0][0])
    assert (
        mentions[0]["text"] == "chợ Đông Thành"
        and FIRE[mentions[0]["start"] : mentions[0]["end"]] == "chợ Đông Thành"
    )
    hits = dict(read_query("select rule_id, spans from rule_hits where post_id = '77_1'")[1])
    assert "incident.fire" in hits
    field, start, end, words = json.loads(hits["incident.fire"])[0]
    assert (field, FIRE[start:end]) == ("text", words) and "cháy" in words.lower()
    cues = json.loads(read_query("select tone_cues from post_labels where post_id = '77_1'")[1][0][0])
    assert any(c.get("rule_id") == "incident.fire" for c in cues), "the tone says which rule moved it"
    runs = read_query("select run_id, mode, posts, hits from process_runs")[1]
    assert runs == [("t1", "new", 4, report.hits)] and report.hits >= 1
    coverage = read_query(
        "select local_date::varchar, unit_id, tone, posts from coverage_daily order by 1, 2"
    )[1]
    assert coverage[0] == ("2026-11-20", "sonha.dongthanh", "negative", 1)
    assert {r[1] for r in coverage} == {"sonha.dongthanh", "sonha"}


def test_a_second_run_processes_nothing_and_an_edited_post_is_reprocessed(
    pw_home: Path, analyzer: Analyzer
) -> None:
    _seed()
    process_new(analyzer)
    assert process_new(analyzer).posts == 0
    edited = "Cập nhật: đám cháy ở chợ Đông Thành đã được dập tắt, không có thương vong"
    load_posts(
        WATCHED, [{"item_id": "77_1", "text": edited, "published": "2026-11-20T08:00:00+07:00"}], run_id="r2"
    )
    again = process_new(analyzer)
    assert again.posts == 1
    assert read_query("select version from post_labels where post_id = '77_1'")[1] == [(2,)]
    versions = read_query("select distinct version from rule_hits where post_id = '77_1'")[1]
    assert versions == [(2,)], "hits of the old version are replaced"
    assert process_new(analyzer).posts == 0


def test_reclassify_relabels_a_date_range_only(pw_home: Path, analyzer: Analyzer) -> None:
    _seed()
    process_new(analyzer)
    before = dict(read_query("select post_id, processed_at from post_labels")[1])
    report = reclassify(date(2026, 11, 21), date(2026, 11, 21), analyzer, chunk=1)
    assert report.posts == 2 and report.mode == "reclassify"
    after = dict(read_query("select post_id, processed_at from post_labels")[1])
    assert {k for k in after if after[k] != before[k]} == {"100_1", "https://dantri.vn/x.htm"}
    assert read_query("select count(*) from post_labels")[1] == [(4,)]


def test_reclassify_refuses_a_pack_version_other_than_the_one_loaded(analyzer: Analyzer) -> None:
    with pytest.raises(ValueError, match=r"not '1999\.1'"):
        analyzer_for(pack_version="1999.1")
    with pytest.raises(ValueError, match="model file not found"):
        analyzer_for(model="/nonexistent/tone.npz")
