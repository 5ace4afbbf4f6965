"""Facebook Graph page feed: paging, ranked feeds and watermarks, throttling, usage headers, tokens."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from postwatch.collect.base import AuthFailed, RateLimited, SourceError, SourceState
from postwatch.demo.server import FixtureServer, Recorded, Response, json_response
from postwatch.registry import Source
from tests.unit.collect import BACKOFF_CAP, Clock, fetch, http_client, landed_under, make_source, parse_all

PAGE = "100064123456789"
FEED = f"/graph/v23.0/{PAGE}/feed"
TOKEN = "EAAB-page-token-secret"


def post(n: int, created: str, updated: str | None = None, **extra: Any) -> dict[str, Any]:
    return {
        "id": f"{PAGE}_{n}",
        "message": f"Thông báo số {n} của UBND tỉnh Sơn Hà",
        "created_time": created,
        "updated_time": updated or created,
        "permalink_url": f"https://www.facebook.com/{PAGE}/posts/{n}",
        "from": {"id": PAGE, "name": "UBND tỉnh Sơn Hà"},
        "shares": {"count": n},
        "reactions": {"data": [], "summary": {"total_count": 10 + n}},
        "comments": {"data": [], "summary": {"total_count": n}},
        **extra,
    }


def fb_source(srv: FixtureServer, **kw: Any) -> Source:
    fields = {
        "id": "fb-test",
        "name": "UBND tỉnh Sơn Hà",
        "platform": "facebook",
        "kind": "official",
        "unit": "sonha",
        "page_id": PAGE,
        "conn_id": "fb_ubnd_sonha",
        "api_base": srv.url("/graph"),
    }
    fields.update(kw)
    return make_source(**fields)


def graph_error(code: int, status: int = 400, subcode: int | None = None, **headers: str) -> Response:
    err: dict[str, Any] = {
        "message": f"error {code}",
        "type": "OAuthException",
        "code": code,
        "fbtrace_id": "A1",
    }
    if subcode is not None:
        err["error_subcode"] = subcode
    return json_response({"error": err}, status, headers)


def paged_feed(pages: list[list[dict[str, Any]]], headers: list[dict[str, str]] | None = None) -> Callable:
    """A feed handler serving ``pages`` by the ``after`` cursor, insisting on the right token."""

    def handler(req: Recorded) -> Response:
        if req.query.get("access_token") != TOKEN:
            return graph_error(190, subcode=463)
        i = int(req.query.get("after", "0"))
        body: dict[str, Any] = {"data": pages[i], "paging": {"cursors": {"before": "b", "after": str(i)}}}
        if i + 1 < len(pages):
            body["paging"]["next"] = (
                f"{{{{BASE_URL}}}}{FEED}?fields=id&limit=100&access_token={TOKEN}&after={i + 1}"
            )
        return json_response(body, headers=(headers or [{}] * len(pages))[i])

    return handler


def test_the_feed_is_followed_through_paging_next_and_every_page_is_landed(tmp_path: Path) -> None:
    pages = [
        [post(1, "2026-11-20T08:15:00+0000"), post(2, "2026-11-20T07:00:00+0000")],
        [post(3, "2026-11-19T08:15:00+0000")],
        [post(4, "2026-11-18T08:15:00+0000")],
    ]
    with FixtureServer() as srv, http_client(Clock()) as client:
        srv.route(FEED, paged_feed(pages))
        got = fetch(fb_source(srv), client, tmp_path, token=TOKEN)
        seen = [r.query for r in srv.requests]
    assert [i.item_id for i in got.items] == [f"{PAGE}_{n}" for n in (1, 2, 3, 4)]
    assert len(got.payloads) == 3
    assert [q.get("after") for q in seen] == [None, "1", "2"]
    assert all(q["access_token"] == TOKEN for q in seen)
    assert seen[0]["limit"] == "100"
    assert seen[1]["fields"] == "id"  # later pages ask exactly what paging.next says
    assert "permalink_url" in seen[0]["fields"]
    assert "reactions.summary(total_count)" in seen[0]["fields"]
    for p in got.payloads:
        assert TOKEN not in p.url
        assert "access_token=***" in p.url
        assert TOKEN.encode() not in p.body  # paging.next echoes the token: it is not landed either
    assert b"access_token=***&after=1" in got.payloads[0].body
    assert got.state.watermark == datetime(2026, 11, 20, 8, 15, tzinfo=UTC)


def test_posts_map_counts_author_and_times_as_received(tmp_path: Path) -> None:
    no_shares = post(2, "2026-11-20T07:00:00+0000")
    del no_shares["shares"]
    with FixtureServer() as srv, http_client(Clock()) as client:
        srv.route(
            FEED, paged_feed([[post(1, "2026-11-20T08:15:00+0000", "2026-11-20T09:00:00+0000"), no_shares]])
        )
        got = fetch(fb_source(srv), client, tmp_path, token=TOKEN)
    first, second = got.items
    assert (first.likes, first.comments, first.shares) == (11, 1, 1)
    assert first.author == "UBND tỉnh Sơn Hà"
    assert first.author_id == PAGE
    assert first.published == "2026-11-20T08:15:00+0000"
    assert first.updated == "2026-11-20T09:00:00+0000"
    assert first.url == f"https://www.facebook.com/{PAGE}/posts/1"
    assert first.text == "Thông báo số 1 của UBND tỉnh Sơn Hà"
    assert first.platform == "facebook"
    assert second.shares == 0  # Graph leaves shares out when nobody shared


def test_a_ranked_feed_with_an_old_post_first_is_walked_to_the_end(tmp_path: Path) -> None:
    wm = datetime(2026, 11, 19, 0, 0, tzinfo=UTC)
    pages = [
        [post(1, "2026-11-10T08:00:00+0000"), post(2, "2026-11-20T08:00:00+0000")],
        [post(3, "2026-11-09T08:00:00+0000")],
        [post(4, "2026-11-21T08:00:00+0000")],
    ]
    with FixtureServer() as srv, http_client(Clock()) as client:
        srv.route(FEED, paged_feed(pages))
        got = fetch(fb_source(srv), client, tmp_path, SourceState(watermark=wm), token=TOKEN)
        since = srv.requests[0].query["since"]
    assert [i.item_id for i in got.items] == [f"{PAGE}_2", f"{PAGE}_4"]
    assert got.state.watermark == datetime(2026, 11, 21, 8, tzinfo=UTC)
    # since reaches back behind the watermark so posts edited soon after publication come back
    assert int(since) < wm.timestamp()


def test_a_second_poll_yields_only_new_and_edited_posts(tmp_path: Path) -> None:
    first = [[post(1, "2026-11-18T08:00:00+0000"), post(2, "2026-11-20T08:00:00+0000")]]
    second = [
        [
            post(1, "2026-11-18T08:00:00+0000", "2026-11-21T10:00:00+0000", message="Đã đính chính"),
            post(2, "2026-11-20T08:00:00+0000"),
            post(3, "2026-11-21T09:00:00+0000"),
        ]
    ]
    with FixtureServer() as srv, http_client(Clock()) as client:
        src = fb_source(srv)
        srv.route(FEED, paged_feed(first))
        one = fetch(src, client, tmp_path, token=TOKEN, run_id="r1")
        srv.route(FEED, paged_feed(second))
        two = fetch(src, client, tmp_path, one.state, token=TOKEN, run_id="r2")
    assert one.state.watermark == datetime(2026, 11, 20, 8, tzinfo=UTC)
    got = {i.item_id: i for i in two.items}
    # post 2 set the watermark and is re-read inside the small overlap;
    # post 1 comes back because it was edited
    assert set(got) == {f"{PAGE}_1", f"{PAGE}_2", f"{PAGE}_3"}
    assert got[f"{PAGE}_1"].text == "Đã đính chính"
    stale = [[post(5, "2026-11-01T08:00:00+0000")]]
    with FixtureServer() as srv, http_client(Clock()) as client:
        srv.route(FEED, paged_feed(stale))
        three = fetch(fb_source(srv), client, tmp_path, two.state, token=TOKEN, run_id="r3")
    assert three.items == []
    assert three.state.watermark == two.state.watermark


def test_an_expired_token_is_auth_failed_with_a_message_the_officer_can_act_on(tmp_path: Path) -> None:
    with FixtureServer() as srv, http_client(Clock()) as client:
        srv.route(FEED, paged_feed([[post(1, "2026-11-20T08:00:00+0000")]]))
        src = fb_source(srv)
        with pytest.raises(AuthFailed) as err:
            fetch(src, client, tmp_path, token="EAAB-expired")
        hits = srv.hits(FEED)
    msg = str(err.value)
    assert "fb_ubnd_sonha" in msg
    assert "expired or was revoked (code 190, subcode 463)" in msg
    assert "renew the page token in Airflow Connections" in msg
    assert "EAAB-expired" not in msg
    assert hits == 1  # a dead token is not retried
    payloads = landed_under(tmp_path, src)
    assert len(payloads) == 1
    assert payloads[0].status == 400
    assert "EAAB-expired" not in payloads[0].url
    assert parse_all(src, payloads) == []  # an error answer is the source's failure, not a record


def test_a_missing_token_is_auth_failed_without_calling_facebook(tmp_path: Path) -> None:
    with FixtureServer() as srv, http_client(Clock()) as client:
        with pytest.raises(AuthFailed, match="fb_ubnd_sonha"):
            fetch(fb_source(srv), client, tmp_path, token=None)
        assert srv.requests == []


@pytest.mark.parametrize(("code", "status"), [(613, 400), (4, 403), (17, 400), (32, 400), (80001, 400)])
def test_throttling_codes_are_retried_then_succeed(tmp_path: Path, code: int, status: int) -> None:
    clock = Clock()
    ok = json_response({"data": [post(1, "2026-11-20T08:00:00+0000")], "paging": {}})
    with FixtureServer() as srv, http_client(clock) as client:
        srv.script(FEED, [graph_error(code, status), ok])
        got = fetch(fb_source(srv), client, tmp_path, token=TOKEN)
        hits = srv.hits(FEED)
    assert hits == 2
    assert len(clock.sleeps) == 1
    assert [i.item_id for i in got.items] == [f"{PAGE}_1"]


def test_throttling_that_outlasts_the_retries_is_rate_limited(tmp_path: Path) -> None:
    with FixtureServer() as srv, http_client(Clock(), http_max_retries=2) as client:
        srv.script(FEED, [graph_error(613)])
        src = fb_source(srv)
        with pytest.raises(RateLimited, match="code 613"):
            fetch(src, client, tmp_path, token=TOKEN)
        assert srv.hits(FEED) == 3
    assert [p.status for p in landed_under(tmp_path, src)] == [400]


def test_x_app_usage_at_95_percent_pauses_before_the_next_page(tmp_path: Path) -> None:
    clock = Clock()
    busy = {"X-App-Usage": json.dumps({"call_count": 95, "total_time": 20, "total_cputime": 10})}
    pages = [[post(1, "2026-11-20T08:00:00+0000")], [post(2, "2026-11-19T08:00:00+0000")]]
    with FixtureServer() as srv, http_client(clock) as client:
        srv.route(FEED, paged_feed(pages, headers=[busy, {}]))
        got = fetch(fb_source(srv), client, tmp_path, token=TOKEN)
    assert len(got.items) == 2
    assert len(clock.sleeps) == 1
    assert BACKOFF_CAP / 2 <= clock.sleeps[0] <= BACKOFF_CAP


def test_usage_below_90_percent_does_not_pause(tmp_path: Path) -> None:
    clock = Clock()
    calm = {"X-App-Usage": json.dumps({"call_count": 50, "total_time": 20, "total_cputime": 10})}
    pages = [[post(1, "2026-11-20T08:00:00+0000")], [post(2, "2026-11-19T08:00:00+0000")]]
    with FixtureServer() as srv, http_client(clock) as client:
        srv.route(FEED, paged_feed(pages, headers=[calm, calm]))
        fetch(fb_source(srv), client, tmp_path, token=TOKEN)
    assert clock.sleeps == []


def test_a_business_use_case_lockout_longer_than_the_cap_ends_the_poll_as_rate_limited(
    tmp_path: Path,
) -> None:
    buc = {
        "X-Business-Use-Case-Usage": json.dumps(
            {
                PAGE: [
                    {
                        "type": "pages",
                        "call_count": 100,
                        "total_cputime": 40,
                        "total_time": 30,
                        "estimated_time_to_regain_access": 30,
                    }
                ]
            }
        )
    }
    pages = [[post(1, "2026-11-20T08:00:00+0000")], [post(2, "2026-11-19T08:00:00+0000")]]
    with FixtureServer() as srv, http_client(Clock()) as client:
        srv.route(FEED, paged_feed(pages, headers=[buc, {}]))
        src = fb_source(srv)
        with pytest.raises(RateLimited, match="30 min"):
            fetch(src, client, tmp_path, token=TOKEN)
        assert srv.hits(FEED) == 1
    # the page that did arrive is landed and will be loaded
    assert [i.item_id for i in parse_all(src, landed_under(tmp_path, src))] == [f"{PAGE}_1"]


def test_a_permission_error_points_to_page_public_content_access_or_the_file_import(tmp_path: Path) -> None:
    with FixtureServer() as srv, http_client(Clock()) as client:
        srv.script(FEED, [graph_error(10, 403)])
        with pytest.raises(SourceError) as err:
            fetch(fb_source(srv, kind="watched", unit=None), client, tmp_path, token=TOKEN)
    assert not isinstance(err.value, AuthFailed)
    assert "Page Public Content Access" in str(err.value)
    assert "file import" in str(err.value)


def test_malformed_json_is_a_source_error_after_landing_the_body(tmp_path: Path) -> None:
    body = '{"data": [{"id": "1", "message": "cắt ngang'
    with FixtureServer() as srv, http_client(Clock()) as client:
        srv.script(FEED, [Response(200, body, content_type="application/json")])
        src = fb_source(srv)
        with pytest.raises(SourceError, match="malformed JSON"):
            fetch(src, client, tmp_path, token=TOKEN)
    payloads = landed_under(tmp_path, src)
    assert [p.body for p in payloads] == [body.encode("utf-8")]
    items = parse_all(src, payloads)
    assert len(items) == 1
    assert "not valid JSON" in (items[0].problem or "")


def test_a_post_that_is_not_an_object_is_quarantined_while_the_others_parse(tmp_path: Path) -> None:
    body = {"data": [post(1, "2026-11-20T08:00:00+0000"), "rác", post(2, "2026-11-20T07:00:00+0000")]}
    with FixtureServer() as srv, http_client(Clock()) as client:
        srv.script(FEED, [json_response(body)])
        got = fetch(fb_source(srv), client, tmp_path, token=TOKEN)
    assert [i.item_id for i in got.items if not i.problem] == [f"{PAGE}_1", f"{PAGE}_2"]
    assert [i.problem for i in got.items if i.problem] == ["post 2 on this page is not a JSON object: 'rác'"]


def test_a_five_megabyte_message_does_not_crash(tmp_path: Path) -> None:
    huge = "Ý kiến người dân về dự án. " * 200_000
    with FixtureServer() as srv, http_client(Clock()) as client:
        srv.script(FEED, [json_response({"data": [post(1, "2026-11-20T08:00:00+0000", message=huge)]})])
        got = fetch(fb_source(srv), client, tmp_path, token=TOKEN)
    assert len(got.items) == 1
    assert got.items[0].text == huge


def test_the_page_cap_stops_an_endless_feed(tmp_path: Path) -> None:
    endless = [
        [post(n, (datetime(2026, 11, 20, tzinfo=UTC) - timedelta(hours=n)).isoformat())] for n in range(8)
    ]
    with FixtureServer() as srv, http_client(Clock()) as client:
        srv.route(FEED, paged_feed(endless))
        got = fetch(fb_source(srv), client, tmp_path, token=TOKEN, max_pages=3)
        assert srv.hits(FEED) == 3
    assert len(got.items) == 3


def test_a_429_with_retry_after_waits_what_facebook_asked(tmp_path: Path) -> None:
    clock = Clock()
    ok = json_response({"data": [post(1, "2026-11-20T08:00:00+0000")], "paging": {}})
    with FixtureServer() as srv, http_client(clock) as client:
        srv.script(FEED, [Response(429, "", {"Retry-After": "5"}), ok])
        got = fetch(fb_source(srv), client, tmp_path, token=TOKEN)
    assert clock.sleeps == [5.0]
    assert len(got.items) == 1


def test_a_graph_api_that_never_answers_in_time_is_a_source_error(tmp_path: Path) -> None:
    with FixtureServer() as srv, http_client(Clock(), http_timeout=0.3, http_max_retries=1) as client:
        srv.script(FEED, [Response(200, "{}", delay=1.5)])
        with pytest.raises(SourceError, match=r"no usable answer.*Timeout") as err:
            fetch(fb_source(srv), client, tmp_path, token=TOKEN)
    assert TOKEN not in str(err.value)
