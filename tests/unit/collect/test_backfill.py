"""Backfill: chosen sources collected again from a past day, the hourly watermark left alone."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from postwatch.demo.server import FixtureServer, Recorded, Response, json_response
from postwatch.pipeline.backfill import Backfill, BackfillError, backfill_from, choose_sources
from postwatch.pipeline.collect import fetch_source, load_run, prepare
from postwatch.warehouse.db import read_query
from tests.unit.collect import Clock, http_client

PAGE = "100064123456789"
FEED = f"/graph/v23.0/{PAGE}/feed"
TOKEN = "EAAB-page-token"
RSS = """<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Báo Sơn Hà</title>
<item><guid>bsh-1</guid><title>Lũ quét ở xã Tân Lập</title><link>https://baosonha.vn/1.html</link>
<description>Nước dâng nhanh.</description><pubDate>Tue, 10 Nov 2026 08:00:00 +0700</pubDate></item>
<item><guid>bsh-2</guid><title>Hòa Bình vào mùa gặt</title><link>https://baosonha.vn/2.html</link>
<description>Nông dân phấn khởi.</description><pubDate>Sat, 21 Nov 2026 09:00:00 +0700</pubDate></item>
</channel></rss>"""


def fb_post(n: int, created: str) -> dict[str, Any]:
    return {
        "id": f"{PAGE}_{n}",
        "message": f"Thông báo số {n} của UBND tỉnh Sơn Hà",
        "created_time": created,
        "updated_time": created,
        "permalink_url": f"https://www.facebook.com/{PAGE}/posts/{n}",
    }


class GraphFeed:
    """The page feed as the Graph API serves it: filtered by the ``since`` / ``until`` it is sent."""

    def __init__(self, posts: list[dict[str, Any]]) -> None:
        self.posts = posts
        self.asked: list[dict[str, str]] = []

    def __call__(self, req: Recorded) -> Response:
        if req.query.get("access_token") != TOKEN:
            return json_response(
                {"error": {"message": "bad token", "type": "OAuthException", "code": 190}}, 400
            )
        self.asked.append(req.query)
        since = int(req.query.get("since", 0))
        until = int(req.query.get("until", 2**40))
        data = [p for p in self.posts if since <= _ts(p["created_time"]) < until]
        return json_response({"data": data, "paging": {"cursors": {"before": "b", "after": "a"}}})


def _ts(created: str) -> int:
    return int(datetime.strptime(created, "%Y-%m-%dT%H:%M:%S%z").timestamp())


@pytest.fixture
def world(pw_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    with FixtureServer() as srv:
        config = tmp_path / "config"
        config.mkdir()
        (config / "units.yaml").write_text(
            "units:\n  - id: sonha\n    name: Ủy ban nhân dân tỉnh Sơn Hà\n    level: province\n",
            encoding="utf-8",
        )
        (config / "sources.yaml").write_text(
            f"""sources:
  - id: fb-ubnd
    name: UBND tỉnh Sơn Hà
    unit: sonha
    platform: facebook
    kind: official
    page_id: "{PAGE}"
    conn_id: fb_test
    api_base: {srv.base_url}/graph
  - id: rss-bsh
    name: Báo Sơn Hà
    platform: rss
    kind: press
    url: {srv.base_url}/rss.xml
  - id: rss-old
    name: Báo cũ
    platform: rss
    kind: press
    active: false
    url: {srv.base_url}/old.xml
""",
            encoding="utf-8",
        )
        monkeypatch.setenv("POSTWATCH_CONFIG_DIR", str(config))
        monkeypatch.setenv("POSTWATCH_TOKEN_FB_TEST", TOKEN)
        yield srv


def _poll(registry: Any, run: str, backfill: Backfill | None = None, ids: tuple[str, ...] = ("fb-ubnd",)):
    with http_client(Clock()) as client:
        out = [fetch_source(s, run, registry=registry, client=client, backfill=backfill) for s in ids]
    load_run(run, ids, registry=registry)
    return out


def _state(source_id: str) -> tuple[Any, ...]:
    return read_query(
        "select watermark, etag, status from source_state where source_id = $s", {"s": source_id}
    )[1][0]


def test_a_backfill_brings_back_a_past_range_and_leaves_the_watermark_alone(world: FixtureServer) -> None:
    feed = GraphFeed([fb_post(4, "2026-11-21T08:00:00+0000")])
    world.route(FEED, feed)
    registry = prepare()
    _poll(registry, "scheduled__1")
    before = _state("fb-ubnd")
    assert before[0] == datetime(2026, 11, 21, 8, tzinfo=UTC)

    # Posts the hourly polls never saw (an outage, or the page was added late).
    feed.posts += [
        fb_post(1, "2026-11-05T08:00:00+0000"),
        fb_post(2, "2026-11-09T01:00:00+0000"),  # 08:00 on 9 Nov in Viet Nam: inside
        fb_post(3, "2026-11-12T16:30:00+0000"),  # 23:30 on 12 Nov in Viet Nam: inside
        fb_post(5, "2026-11-12T17:30:00+0000"),  # 00:30 on 13 Nov in Viet Nam: after the range
    ]
    _poll(registry, "scheduled__2")
    assert read_query("select count(*) from posts")[1] == [(1,)], "the regular poll starts at its watermark"

    window = Backfill(date(2026, 11, 9), date(2026, 11, 12))
    [outcome] = _poll(registry, "manual__backfill", window)
    assert outcome.status == "ok"
    asked = feed.asked[-1]
    # The request reaches back to the first local day (and a little before, for edited posts).
    assert int(asked["since"]) <= int(datetime(2026, 11, 8, 17, tzinfo=UTC).timestamp())
    assert int(asked["until"]) == int(datetime(2026, 11, 12, 17, tzinfo=UTC).timestamp())
    ids = [r[0] for r in read_query("select post_id from posts order by post_id")[1]]
    assert ids == [f"{PAGE}_2", f"{PAGE}_3", f"{PAGE}_4"]
    assert _state("fb-ubnd") == before, "the hourly watermark is not moved by a backfill"

    # The next hourly poll is not bounded by the backfill's end, and starts where it was.
    feed.posts.append(fb_post(6, "2026-11-22T08:00:00+0000"))
    _poll(registry, "scheduled__3")
    assert "until" not in feed.asked[-1]
    assert int(feed.asked[-1]["since"]) > int(datetime(2026, 11, 13, tzinfo=UTC).timestamp())
    assert _state("fb-ubnd")[0] == datetime(2026, 11, 22, 8, tzinfo=UTC)


def test_a_backfilled_feed_is_fetched_without_validators_from_the_first_day(world: FixtureServer) -> None:
    newest_only = RSS.replace(RSS[RSS.index("<item>") : RSS.index("</item>") + 7], "")
    world.script(
        "/rss.xml",
        [
            Response(200, newest_only, {"ETag": '"v1"'}, content_type="application/rss+xml"),
            Response(200, RSS, {"ETag": '"v2"'}, content_type="application/rss+xml"),
        ],
    )
    registry = prepare()
    _poll(registry, "scheduled__1", ids=("rss-bsh",))
    # A back-dated article shows up later: older than the watermark, so the hourly poll skips it.
    _poll(registry, "scheduled__2", ids=("rss-bsh",))
    assert world.requests[-1].headers.get("if-none-match") == '"v1"'
    assert read_query("select count(*) from posts")[1] == [(1,)]
    stored = _state("rss-bsh")

    _poll(registry, "manual__backfill", Backfill(date(2026, 11, 1)), ids=("rss-bsh",))
    assert "if-none-match" not in world.requests[-1].headers, "a conditional GET could answer 304"
    urls = [r[0] for r in read_query("select url from posts order by url")[1]]
    assert urls == ["https://baosonha.vn/1.html", "https://baosonha.vn/2.html"]
    assert _state("rss-bsh") == stored


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"until": "2026-11-12"}, "until is set without since"),
        ({"since": "2026-11-12", "until": "2026-11-10"}, "until 2026-11-10 is before since 2026-11-12"),
        ({"since": "2026-12-01"}, "since 2026-12-01 is in the future"),
        ({"since": "12/11/2026"}, "since: '12/11/2026' is not a date"),
    ],
)
def test_a_window_that_cannot_run_is_refused_naming_the_field(params: dict[str, str], message: str) -> None:
    with pytest.raises(BackfillError, match=message):
        backfill_from(params, today=date(2026, 11, 23))


def test_an_empty_form_is_a_regular_poll_and_a_first_day_alone_runs_up_to_now() -> None:
    assert backfill_from({"since": None, "until": None, "sources": []}, today=date(2026, 11, 23)) is None
    window = backfill_from({"since": "2026-11-09"}, today=date(2026, 11, 23))
    assert window == Backfill(date(2026, 11, 9)) and window.state().until is None


def test_chosen_sources_must_exist_and_be_active(world: FixtureServer) -> None:
    registry = prepare()
    assert choose_sources(registry, []) == ["fb-ubnd", "rss-bsh"]
    assert choose_sources(registry, ["rss-bsh"]) == ["rss-bsh"]
    with pytest.raises(BackfillError, match=r"unknown source id.*rss-typo"):
        choose_sources(registry, ["rss-bsh", "rss-typo"])
    with pytest.raises(BackfillError, match="rss-old is not active"):
        choose_sources(registry, ["rss-old"])
