"""Scans on a crafted warehouse: who becomes a suspect, and how decisions survive re-scans."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from postwatch.impersonation.decisions import DecisionError, decide
from postwatch.impersonation.scan import run_scan
from postwatch.impersonation.score import suspect_id
from postwatch.warehouse.db import read_query
from tests.unit.impersonation.crafted import (
    COPIED_DETOUR,
    SCAM,
    World,
    at,
    exported,
    imposter,
    load,
    make_world,
)

AS_OF = date(2026, 11, 20)
IMPOSTER = suspect_id("facebook", "2000")
NEWS = suspect_id("facebook", "3000")
AUTHOR = suspect_id("file", "name:ubnd son ha ho tro")
OFFICIAL = suspect_id("facebook", "1000")


@pytest.fixture
def world(tmp_path: Path, pw_home: Path, monkeypatch: pytest.MonkeyPatch) -> World:
    return make_world(tmp_path, pw_home, monkeypatch)


def suspects() -> dict[str, dict[str, Any]]:
    cols, rows = read_query("select * from impersonation_suspects")
    return {r[0]: dict(zip(cols, r, strict=True)) for r in rows}


def signals(row: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {s["signal"]: s for s in json.loads(row["evidence"])["signals"]}


def test_a_scan_flags_the_imposter_and_the_author_using_our_name(world: World) -> None:
    summary = run_scan(AS_OF)
    rows = suspects()
    flagged = {sid for sid, r in rows.items() if r["flagged"]}
    assert flagged == {IMPOSTER, AUTHOR}
    assert summary.flagged == 2 and summary.new_suspects == 2
    assert summary.suspects[0]["suspect_id"] == IMPOSTER, "the imposter ranks first"
    assert rows[IMPOSTER]["score"] > rows[AUTHOR]["score"] > rows[NEWS]["score"]
    assert rows[IMPOSTER]["matched_unit_id"] == "sonha"
    assert rows[IMPOSTER]["matched_source_id"] == "fb-ubnd"
    assert all(r["status"] == "new" for r in rows.values())


def test_our_official_page_and_the_press_are_never_suspects(world: World) -> None:
    run_scan(AS_OF)
    rows = suspects()
    assert OFFICIAL not in rows
    assert {r["source_id"] for r in rows.values()} <= {"fb-imposter", "fb-news", None}
    assert not [r for r in rows.values() if r["platform"] == "rss"]


def test_pages_that_never_use_our_units_names_are_not_candidates(world: World) -> None:
    summary = run_scan(AS_OF)
    names = {r["name"] for r in suspects().values()}
    assert "Cửa hàng điện máy Minh Anh" not in names
    # imposter, news page, "UBND Son Ha Ho Tro" and "Chợ quê Tân Lập" (mentions xã Tân Lập) were scored
    assert summary.candidates == 4


def test_the_watched_page_and_the_author_of_its_posts_are_one_suspect(world: World) -> None:
    run_scan(AS_OF)
    row = suspects()[IMPOSTER]
    assert row["origins"] == ["author", "copies", "watched"]
    assert row["posts"] == 2
    assert row["handle"] == "ubnd.tinh.sonha.tintuc"
    assert row["last_post_at"] == at(19, 20)


def test_the_evidence_shows_the_copied_post_and_the_scam_cues(world: World) -> None:
    run_scan(AS_OF)
    rows = suspects()
    imp = signals(rows[IMPOSTER])
    copies = imp["copies"]["detail"]["examples"]
    assert [(c["post"], c["official"], c["via"]) for c in copies] == [
        (
            "https://www.facebook.com/ubnd.tinh.sonha.tintuc/posts/1",
            "https://www.facebook.com/ubndtinhsonha/posts/1",
            "text",
        )
    ]
    cues = imp["scam"]["detail"]["examples"][0]["cues"]
    assert {"chuyen khoan", "link dang ky", "nhan ho tro", "stk"} <= set(cues)
    assert imp["handle"]["detail"]["resembles"] == "ubndtinhsonha"
    assert "scam" not in signals(rows[NEWS]), "a warning about a scam is not a scam"


def test_a_missing_impersonation_yaml_falls_back_to_the_shipped_one(
    tmp_path: Path, pw_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_world(tmp_path, pw_home, monkeypatch, impersonation_yaml=False)
    assert run_scan(AS_OF).flagged == 2


def test_decisions_survive_a_rescan(world: World) -> None:
    run_scan(AS_OF)
    decide(IMPOSTER[:6], "confirm", "lan.nt", "Đã báo cáo Facebook")
    decide(AUTHOR, "dismiss", "lan.nt", "Trang hỗ trợ của hội tình nguyện")
    before = suspects()
    run_scan(AS_OF)
    after = suspects()
    for sid in (IMPOSTER, AUTHOR):
        keep = ("status", "decided_by", "decided_at", "decided_score", "note", "first_seen_at")
        assert {k: after[sid][k] for k in keep} == {k: before[sid][k] for k in keep}
        assert after[sid]["last_scored_at"] > before[sid]["last_scored_at"]
    assert after[IMPOSTER]["status"] == "confirmed" and after[AUTHOR]["status"] == "dismissed"
    log = read_query("select suspect_id, decision, previous, decided_by, note from impersonation_decisions")[
        1
    ]
    assert sorted(log) == sorted(
        [
            (IMPOSTER, "confirmed", "new", "lan.nt", "Đã báo cáo Facebook"),
            (AUTHOR, "dismissed", "new", "lan.nt", "Trang hỗ trợ của hội tình nguyện"),
        ]
    )


def test_a_dismissed_suspect_stays_dismissed_until_its_score_rises_by_the_margin(world: World) -> None:
    run_scan(AS_OF)
    decide(AUTHOR, "dismiss", "lan.nt")
    dismissed_at = suspects()[AUTHOR]["decided_score"]

    load([exported("e4", "UBND Son Ha Ho Tro", SCAM, at(20, 15))], run_id="more-1")
    run_scan(AS_OF)
    row = suspects()[AUTHOR]
    assert dismissed_at < row["score"] < dismissed_at + 0.15
    assert row["flagged"] and row["status"] == "dismissed"

    load(
        [
            exported("e5", "UBND Son Ha Ho Tro", SCAM + " Hạn cuối hôm nay.", at(20, 16)),
            exported("e6", "UBND Son Ha Ho Tro", COPIED_DETOUR, at(20, 17)),
            exported("e7", "UBND Son Ha Ho Tro", COPIED_DETOUR + " Chia sẻ ngay.", at(20, 18)),
        ],
        run_id="more-2",
    )
    summary = run_scan(AS_OF)
    row = suspects()[AUTHOR]
    assert row["score"] >= dismissed_at + 0.15
    assert row["status"] == "new" and row["resurfaced_at"] is not None
    assert row["decided_by"] == "lan.nt", "the dismissal stays on record"
    assert summary.resurfaced == 1
    log = read_query(
        "select decision, previous, decided_by from impersonation_decisions order by decided_at"
    )[1]
    assert log == [("dismissed", "new", "lan.nt"), ("resurfaced", "dismissed", "scan")]


def test_a_resolved_suspect_returns_only_when_it_publishes_again(world: World) -> None:
    run_scan(AS_OF)
    decide(IMPOSTER, "confirm", "lan.nt", now=datetime(2026, 11, 20, 5, tzinfo=UTC))
    decide(IMPOSTER, "resolve", "lan.nt", "Facebook đã gỡ trang", now=datetime(2026, 11, 20, 6, tzinfo=UTC))
    run_scan(AS_OF)
    assert suspects()[IMPOSTER]["status"] == "resolved"

    load([imposter("3", SCAM, at(21, 8))], run_id="back")
    run_scan(date(2026, 11, 21))
    row = suspects()[IMPOSTER]
    assert row["status"] == "new" and row["note"] == "Facebook đã gỡ trang"


def test_a_new_suspect_no_longer_seen_leaves_the_open_list_but_confirmed_ones_stay(world: World) -> None:
    run_scan(AS_OF)
    decide(IMPOSTER, "confirm", "lan.nt")
    run_scan(date(2026, 12, 31))  # a window with none of their posts
    rows = suspects()
    assert rows[AUTHOR]["flagged"] is False and rows[AUTHOR]["status"] == "new"
    open_ids = [r[0] for r in read_query("select suspect_id from impersonation_open")[1]]
    assert open_ids == [IMPOSTER]


def test_impersonation_open_lists_confirmed_first_then_new_flagged_by_score(world: World) -> None:
    run_scan(AS_OF)
    decide(AUTHOR, "confirm", "lan.nt", "Trang lừa đảo")
    _cols, rows = read_query("select suspect_id, status, matched_unit_name, note from impersonation_open")
    assert rows == [
        (AUTHOR, "confirmed", "Ủy ban nhân dân tỉnh Sơn Hà", "Trang lừa đảo"),
        (IMPOSTER, "new", "Ủy ban nhân dân tỉnh Sơn Hà", None),
    ]
    decide(AUTHOR, "resolve", "lan.nt")
    decide(IMPOSTER, "dismiss", "lan.nt")
    assert read_query("select count(*) from impersonation_open")[1] == [(0,)]


def test_a_repeated_decision_changes_nothing(world: World) -> None:
    run_scan(AS_OF)
    first = decide(IMPOSTER, "confirm", "lan.nt", "lần 1")
    again = decide(IMPOSTER, "confirm", "huy.pq", "lần 2")
    assert first.changed and not again.changed
    assert suspects()[IMPOSTER]["note"] == "lần 1"
    assert read_query("select count(*) from impersonation_decisions")[1] == [(1,)]


@pytest.mark.parametrize(
    ("ref", "decision", "message"),
    [
        ("ffffffff", "confirm", "no suspect with id"),
        ("xyz", "confirm", "is not a suspect id"),
        (IMPOSTER, "resolve", "resolve applies to a confirmed suspect"),
        (IMPOSTER, "delete", "unknown decision"),
    ],
)
def test_a_decision_that_does_not_fit_is_refused_with_the_reason(
    world: World, ref: str, decision: str, message: str
) -> None:
    run_scan(AS_OF)
    with pytest.raises(DecisionError, match=message):
        decide(ref, decision, "lan.nt")
    assert suspects()[IMPOSTER]["status"] == "new"


def test_every_scan_is_recorded_with_its_window(world: World) -> None:
    run_scan(AS_OF)
    rows = read_query("select as_of, window_start, threshold, flagged from impersonation_scans")[1]
    assert rows == [(AS_OF, date(2026, 10, 22), 0.6, 2)]


def test_a_file_import_is_never_a_page_and_its_unattributed_rows_are_skipped(world: World) -> None:
    load([exported("e8", "", "Thông báo của UBND tỉnh Sơn Hà về hỗ trợ tiểu thương.", at(20, 10))], "anon")
    summary = run_scan(AS_OF)
    assert summary.candidates == 4
    assert "Tệp xuất bài nhắc đến Sơn Hà" not in {r["name"] for r in suspects().values()}
