"""YouTube: the channel feed by default; the Data API for statistics, with quota and key errors."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from postwatch.collect.base import AuthFailed, QuotaExceeded, SourceError, SourceState
from postwatch.demo.server import FixtureServer, Recorded, Response, json_response
from postwatch.registry import Source
from tests.unit.collect import Clock, fetch, http_client, landed_under, make_source

CHANNEL = "UCsonha000000000000000001"
UPLOADS = "UUsonha000000000000000001"
KEY = "AIza-secret-key"
API = "/youtube/youtube/v3"


def yt_source(srv: FixtureServer, **kw: Any) -> Source:
    fields = {
        "id": "yt-test",
        "name": "Đài PT-TH Sơn Hà",
        "platform": "youtube",
        "kind": "official",
        "unit": "sonha",
        "channel_id": CHANNEL,
        "api_base": srv.url("/youtube"),
    }
    fields.update(kw)
    return make_source(**fields)


def feed(videos: list[tuple[str, str, str, int, int]]) -> str:
    """Atom channel feed; videos are (id, title, published, views, star-rating count)."""
    entries = "".join(
        f"""<entry><id>yt:video:{v}</id><yt:videoId>{v}</yt:videoId><yt:channelId>{CHANNEL}</yt:channelId>
        <title>{t}</title><link rel="alternate" href="https://www.youtube.com/watch?v={v}"/>
        <author><name>Sơn Hà TV</name></author><published>{p}</published><updated>{p}</updated>
        <media:group><media:title>{t}</media:title><media:description>Mô tả {v}</media:description>
        <media:community><media:starRating count="{likes}" average="5.00" min="1" max="5"/>
        <media:statistics views="{views}"/></media:community></media:group></entry>"""
        for v, t, p, views, likes in videos
    )
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns:yt="http://www.youtube.com/xml/schemas/2015" xmlns:media="http://search.yahoo.com/mrss/"
 xmlns="http://www.w3.org/2005/Atom"><id>yt:channel:{CHANNEL}</id><title>Sơn Hà TV</title>{entries}</feed>"""


def test_the_channel_feed_is_read_without_a_key(tmp_path: Path) -> None:
    body = feed([("vid1", "Bản tin tối 20/11", "2026-11-20T12:00:00+00:00", 1234, 42)])
    with FixtureServer() as srv, http_client(Clock()) as client:
        srv.script("/youtube/feeds/videos.xml", [Response(200, body, content_type="application/atom+xml")])
        got = fetch(yt_source(srv), client, tmp_path)
        query = srv.requests[0].query
    assert query == {"channel_id": CHANNEL}
    (item,) = got.items
    assert item.item_id == "vid1"
    assert item.title == "Bản tin tối 20/11"
    assert item.text == "Mô tả vid1"
    assert item.url == "https://www.youtube.com/watch?v=vid1"
    assert (item.views, item.likes) == ("1234", "42")
    assert item.author_id == CHANNEL
    assert got.state.watermark == datetime(2026, 11, 20, 12, tzinfo=UTC)


def api_routes(
    srv: FixtureServer, playlist_pages: list[list[tuple[str, str]]], stats: dict[str, dict]
) -> None:
    """channels -> uploads playlist; playlistItems paged by pageToken; videos with statistics."""

    def need_key(req: Recorded) -> Response | None:
        if req.query.get("key") != KEY:
            return json_response(
                {
                    "error": {
                        "code": 400,
                        "message": "API key not valid.",
                        "errors": [{"reason": "keyInvalid"}],
                    }
                },
                400,
            )
        return None

    def channels(req: Recorded) -> Response:
        return need_key(req) or json_response(
            {"items": [{"id": CHANNEL, "contentDetails": {"relatedPlaylists": {"uploads": UPLOADS}}}]}
        )

    def playlist(req: Recorded) -> Response:
        if (bad := need_key(req)) is not None:
            return bad
        i = int(req.query.get("pageToken", "0"))
        body: dict[str, Any] = {
            "items": [
                {"snippet": {"publishedAt": p}, "contentDetails": {"videoId": v, "videoPublishedAt": p}}
                for v, p in playlist_pages[i]
            ]
        }
        if i + 1 < len(playlist_pages):
            body["nextPageToken"] = str(i + 1)
        return json_response(body)

    def videos(req: Recorded) -> Response:
        if (bad := need_key(req)) is not None:
            return bad
        ids = req.query["id"].split(",")
        return json_response({"items": [stats[i] for i in ids if i in stats]})

    srv.route(f"{API}/channels", channels)
    srv.route(f"{API}/playlistItems", playlist)
    srv.route(f"{API}/videos", videos)


def video(vid: str, published: str, views: int) -> dict[str, Any]:
    return {
        "id": vid,
        "snippet": {
            "publishedAt": published,
            "title": f"Video {vid}",
            "description": f"Mô tả {vid}",
            "channelId": CHANNEL,
            "channelTitle": "Sơn Hà TV",
        },
        "statistics": {"viewCount": str(views), "likeCount": "7", "commentCount": "2"},
    }


STATS = {
    "v1": video("v1", "2026-11-21T10:00:00Z", 100),
    "v2": video("v2", "2026-11-20T10:00:00Z", 200),
    "v3": video("v3", "2026-11-19T10:00:00Z", 300),
    "v4": video("v4", "2026-11-22T10:00:00Z", 400),
}


def test_the_data_api_walks_the_uploads_playlist_and_reads_statistics(tmp_path: Path) -> None:
    pages = [
        [("v1", "2026-11-21T10:00:00Z"), ("v2", "2026-11-20T10:00:00Z")],
        [("v3", "2026-11-19T10:00:00Z")],
    ]
    with FixtureServer() as srv, http_client(Clock()) as client:
        api_routes(srv, pages, STATS)
        got = fetch(yt_source(srv, use_data_api=True, conn_id="yt_key"), client, tmp_path, token=KEY)
        assert srv.hits(f"{API}/playlistItems") == 2
    by_id = {i.item_id: i for i in got.items}
    assert set(by_id) == {"v1", "v2", "v3"}
    assert (by_id["v2"].views, by_id["v2"].likes, by_id["v2"].comments) == ("200", "7", "2")
    assert by_id["v2"].url == "https://www.youtube.com/watch?v=v2"
    assert got.state.cursor == UPLOADS
    assert got.state.watermark == datetime(2026, 11, 21, 10, tzinfo=UTC)
    assert [p.meta["kind"] for p in got.payloads] == ["channels", "playlistItems", "playlistItems", "videos"]
    assert all(KEY not in p.url and "key=***" in p.url for p in got.payloads)


def test_a_second_api_poll_reads_only_newer_videos_and_skips_the_channel_lookup(tmp_path: Path) -> None:
    pages = [
        [("v4", "2026-11-22T10:00:00Z"), ("v1", "2026-11-21T10:00:00Z")],
        [("v2", "2026-11-20T10:00:00Z")],
    ]
    state = SourceState(watermark=datetime(2026, 11, 21, 10, tzinfo=UTC), cursor=UPLOADS)
    with FixtureServer() as srv, http_client(Clock()) as client:
        api_routes(srv, pages, STATS)
        got = fetch(yt_source(srv, use_data_api=True, conn_id="yt_key"), client, tmp_path, state, token=KEY)
        assert srv.hits(f"{API}/channels") == 0
        asked = [r.query["id"] for r in srv.requests if r.path == f"{API}/videos"]
    # v1 set the watermark and is re-read inside the overlap; v2 is older and is not asked for
    assert asked == ["v4,v1"]
    assert {i.item_id for i in got.items} == {"v4", "v1"}
    assert got.state.watermark == datetime(2026, 11, 22, 10, tzinfo=UTC)


def test_quota_exceeded_is_reported_as_quota_exceeded_without_retrying(tmp_path: Path) -> None:
    quota = {
        "error": {
            "code": 403,
            "message": "The request cannot be completed because you have exceeded your quota.",
            "errors": [{"domain": "youtube.quota", "reason": "quotaExceeded"}],
        }
    }
    with FixtureServer() as srv, http_client(Clock()) as client:
        srv.script(f"{API}/channels", [json_response(quota, 403)])
        src = yt_source(srv, use_data_api=True, conn_id="yt_key")
        with pytest.raises(QuotaExceeded, match="quota") as err:
            fetch(src, client, tmp_path, token=KEY)
        assert srv.hits(f"{API}/channels") == 1
    assert "yt_key" in str(err.value)
    assert [p.status for p in landed_under(tmp_path, src)] == [403]


def test_an_invalid_key_is_auth_failed(tmp_path: Path) -> None:
    with FixtureServer() as srv, http_client(Clock()) as client:
        api_routes(srv, [[]], {})
        with pytest.raises(AuthFailed, match="keyInvalid") as err:
            fetch(yt_source(srv, use_data_api=True, conn_id="yt_key"), client, tmp_path, token="wrong")
    assert "Airflow Connections" in str(err.value)
    assert "wrong" not in str(err.value)


def test_use_data_api_without_a_key_is_auth_failed_before_any_request(tmp_path: Path) -> None:
    with FixtureServer() as srv, http_client(Clock()) as client:
        with pytest.raises(AuthFailed, match="no YouTube API key"):
            fetch(yt_source(srv, use_data_api=True, conn_id="yt_key"), client, tmp_path, token=None)
        assert srv.requests == []


def test_a_per_user_rate_limit_is_retried_then_succeeds(tmp_path: Path) -> None:
    clock = Clock()
    limited = {"error": {"code": 403, "message": "slow", "errors": [{"reason": "rateLimitExceeded"}]}}
    ok = {"items": [{"contentDetails": {"relatedPlaylists": {"uploads": UPLOADS}}}]}
    with FixtureServer() as srv, http_client(clock) as client:
        api_routes(srv, [[]], {})
        srv.script(f"{API}/channels", [json_response(limited, 403), json_response(ok)])
        got = fetch(yt_source(srv, use_data_api=True, conn_id="yt_key"), client, tmp_path, token=KEY)
        assert srv.hits(f"{API}/channels") == 2
    assert len(clock.sleeps) == 1
    assert got.state.cursor == UPLOADS


def test_a_malformed_api_answer_is_a_source_error_after_landing(tmp_path: Path) -> None:
    with FixtureServer() as srv, http_client(Clock()) as client:
        srv.script(f"{API}/channels", [Response(200, "{not json", content_type="application/json")])
        src = yt_source(srv, use_data_api=True, conn_id="yt_key")
        with pytest.raises(SourceError, match="malformed JSON"):
            fetch(src, client, tmp_path, token=KEY)
    assert [p.body for p in landed_under(tmp_path, src)] == [b"{not json"]


def test_an_unknown_channel_is_a_clear_source_error(tmp_path: Path) -> None:
    with FixtureServer() as srv, http_client(Clock()) as client:
        srv.script(f"{API}/channels", [json_response({"items": []})])
        with pytest.raises(SourceError, match=f"no channel {CHANNEL}"):
            fetch(yt_source(srv, use_data_api=True, conn_id="yt_key"), client, tmp_path, token=KEY)


def test_a_feed_that_is_an_html_error_page_is_not_a_feed(tmp_path: Path) -> None:
    with FixtureServer() as srv, http_client(Clock()) as client:
        srv.script(
            "/youtube/feeds/videos.xml",
            [Response(200, "<html><title>Oops</title></html>", content_type="text/html")],
        )
        with pytest.raises(SourceError, match="not a feed"):
            fetch(yt_source(srv), client, tmp_path)
