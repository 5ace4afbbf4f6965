"""Comment runs against a real fixture server and a real warehouse: what is stored, what is listed
as unanswered, and that commenters are never stored by name."""

from __future__ import annotations

import gzip
import os
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from postwatch.comments.hashing import HashKeyMissing
from postwatch.comments.pipeline import run_comments
from postwatch.demo.server import FixtureServer
from postwatch.warehouse.db import read_query
from tests.unit.comments.world import HASH_KEY, NAMES, TOKENS, make_world


@pytest.fixture
def srv(tmp_path: Path, pw_home: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[FixtureServer]:
    with FixtureServer() as server:
        make_world(tmp_path, monkeypatch, server)
        yield server


def run(tokens: dict[str, str] = TOKENS, key: str | None = HASH_KEY):
    return run_comments(token_resolver=tokens.get, key=key)


def stored() -> dict[str, dict[str, object]]:
    cols, rows = read_query("select * from comments")
    return {r[1]: dict(zip(cols, r, strict=True)) for r in rows}


def test_unanswered_questions_and_complaints_older_than_the_limit_are_listed(srv: FixtureServer) -> None:
    run()
    _cols, rows = read_query(
        "select comment_id, platform, post_id, source_id, unit_id, kind, post_url "
        "from comments_unanswered order by comment_id"
    )
    assert rows == [
        (
            "1_c2",
            "facebook",
            "1000_1",
            "fb-ubnd",
            "sonha",
            "question",
            "https://www.facebook.com/ubndtinhsonha/posts/1",
        ),
        (
            "1_c3",
            "facebook",
            "1000_1",
            "fb-ubnd",
            "sonha",
            "complaint",
            "https://www.facebook.com/ubndtinhsonha/posts/1",
        ),
        ("t2", "youtube", "vid1", "yt-tv", "sonha", "complaint", "https://www.youtube.com/watch?v=vid1"),
    ]
    ages = read_query("select min(age_hours), max(age_hours) from comments_unanswered")[1][0]
    assert 29.5 <= ages[0] <= ages[1] <= 31


def test_a_reply_by_the_page_answers_its_thread_and_a_reply_by_anyone_else_does_not(
    srv: FixtureServer,
) -> None:
    run()
    rows = stored()
    assert rows["1_c1r"]["by_page"] and rows["1_c1r"]["thread_id"] == "1_c1"
    assert rows["1_c3r"]["parent_id"] == "1_c3" and not rows["1_c3r"]["by_page"]
    assert rows["t1.r1"]["by_page"]
    listed = {r[0] for r in read_query("select comment_id from comments_unanswered")[1]}
    assert "1_c1" not in listed and "t1" not in listed
    assert "1_c3" in listed


def test_young_comments_and_comments_that_ask_nothing_wait_outside_the_list(srv: FixtureServer) -> None:
    run()
    rows = stored()
    assert (rows["1_c5"]["kind"], rows["1_c4"]["kind"]) == ("question", "other")
    listed = {r[0] for r in read_query("select comment_id from comments_unanswered")[1]}
    assert not listed & {"1_c4", "1_c5"}


def test_the_answer_time_comes_from_the_config(srv: FixtureServer, tmp_path: Path) -> None:
    (tmp_path / "config" / "comments.yaml").write_text(
        "answer_within_hours: 1\nreport_kinds: [question]\nquestion_cues: [tai sao]\n", encoding="utf-8"
    )
    run()
    listed = {r[0] for r in read_query("select comment_id from comments_unanswered")[1]}
    assert listed == {"1_c5"}, "a 2-hour-old question now counts; complaints are not asked for"
    assert stored()["1_c2"]["kind"] == "other", "the configured cues replace the shipped ones"


def test_commenters_are_stored_only_as_keyed_hashes_not_even_in_the_landing_zone(srv: FixtureServer) -> None:
    run()
    rows = stored()
    assert rows["1_c1"]["author_hash"] == rows["1_c5"]["author_hash"], "the same person, the same hash"
    assert rows["1_c1"]["author_hash"] != rows["1_c2"]["author_hash"]
    assert rows["1_c1r"]["author_hash"] is None
    dump = repr(read_query("select * from comments")[1]) + repr(read_query("select * from quarantine")[1])
    landed = b"".join(
        gzip.decompress(p.read_bytes()) for p in Path(os.environ["POSTWATCH_HOME"]).rglob("*.gz")
    )
    for name in [*NAMES, "Phạm Thị Dung"]:
        assert name not in dump
        assert name.encode() not in landed and name.encode("unicode_escape") not in landed
    assert b"page-token-secret" not in landed and b"yt-key-secret" not in landed


def test_another_key_gives_other_hashes(srv: FixtureServer) -> None:
    run()
    first = stored()["1_c1"]["author_hash"]
    run(key="another-key-of-the-deployment")
    assert stored()["1_c1"]["author_hash"] != first


def test_without_a_hash_key_nothing_is_requested_or_stored(srv: FixtureServer) -> None:
    os.environ.pop("POSTWATCH_HASH_KEY", None)
    with pytest.raises(HashKeyMissing, match="POSTWATCH_HASH_KEY"):
        run(key=None)
    assert srv.requests == []
    assert read_query("select count(*) from comments")[1] == [(0,)]


def test_a_malformed_comment_is_quarantined_and_the_rest_of_the_page_goes_on(srv: FixtureServer) -> None:
    run()
    rows = read_query("select source_id, item_id, stage, reason from quarantine")[1]
    assert rows == [
        ("fb-ubnd", "1_c6", "normalize", "comment on 1000_1: created_time None unreadable: missing timestamp")
    ]
    assert "1_c4" in stored()


def test_deleted_posts_and_disabled_comments_are_skipped_and_counted(srv: FixtureServer) -> None:
    summary = run()
    by_source = {s.source_id: s for s in summary.sources}
    assert set(by_source) == {"fb-ubnd", "yt-tv"}, "watched pages' comments are not read"
    assert (by_source["fb-ubnd"].status, by_source["fb-ubnd"].posts, by_source["fb-ubnd"].posts_skipped) == (
        "ok",
        2,
        1,
    )
    assert (
        set(by_source["yt-tv"].skipped) == {"vid2"}
        and "commentsDisabled" in by_source["yt-tv"].skipped["vid2"]
    )
    runs = read_query(
        "select source_id, status, posts, posts_skipped, payloads, comments "
        "from comment_runs order by source_id"
    )[1]
    assert runs == [("fb-ubnd", "ok", 2, 1, 2, 7), ("yt-tv", "ok", 2, 1, 1, 3)]


def test_a_second_run_stores_nothing_twice(srv: FixtureServer) -> None:
    run()
    before = read_query("select count(*), count(distinct comment_id) from comments")[1]
    summary = run()
    assert read_query("select count(*), count(distinct comment_id) from comments")[1] == before == [(10, 10)]
    assert sum(s.new_comments for s in summary.sources) == 0
    assert read_query("select count(*) from quarantine")[1] == [(1,)]


def test_an_expired_token_is_recorded_and_the_other_source_still_collects(srv: FixtureServer) -> None:
    summary = run(tokens={"fb_page": "expired", "yt_key": TOKENS["yt_key"]})
    status = {s.source_id: (s.status, s.comments) for s in summary.sources}
    assert status == {"fb-ubnd": ("auth_failed", 0), "yt-tv": ("ok", 3)}
    message = read_query("select message from comment_runs where source_id = 'fb-ubnd'")[1][0][0]
    assert "190" in message and "renew" in message
    assert {r[0] for r in read_query("select source_id from comments")[1]} == {"yt-tv"}


def test_posts_outside_the_window_are_not_read(srv: FixtureServer) -> None:
    summary = run_comments(date(2020, 1, 1), token_resolver=TOKENS.get, key=HASH_KEY)
    assert [s.posts for s in summary.sources] == [0, 0]
    assert srv.requests == []
