"""Zalo OA articles: offset paging, article bodies, watermarks, error envelopes at HTTP 200."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from postwatch.collect.base import AuthFailed, SourceError, SourceState
from postwatch.demo.server import FixtureServer, Recorded, Response, json_response
from postwatch.registry import Source
from tests.unit.collect import Clock, fetch, http_client, landed_under, make_source, parse_all

TOKEN = "oa-secret-token"
SLICE = "/zalo/v2.0/article/getslice"
DETAIL = "/zalo/v2.0/article/getdetail"
T0 = int(datetime(2026, 11, 22, 1, 0, tzinfo=UTC).timestamp() * 1000)
HOUR = 3_600_000


def zalo_source(srv: FixtureServer) -> Source:
    return make_source(
        id="zalo-test",
        name="UBND tỉnh Sơn Hà (Zalo OA)",
        platform="zalo",
        kind="official",
        unit="sonha",
        conn_id="zalo_oa_sonha",
        api_base=srv.url("/zalo"),
    )


def article(n: int, created: int, updated: int | None = None, **kw: Any) -> dict[str, Any]:
    return {
        "id": f"art{n}",
        "type": "normal",
        "title": f"Thông báo {n}",
        "author": "Văn phòng UBND",
        "description": f"Tóm tắt {n}",
        "status": "show",
        "total_view": 100 + n,
        "total_share": n,
        "create_date": created,
        "update_date": updated or created,
        "thumb": "",
        "link": f"https://zalo.me/oa/art{n}",
        **kw,
    }


def routes(srv: FixtureServer, articles: list[dict[str, Any]], token: str = TOKEN) -> None:
    def bad_token(req: Recorded) -> Response | None:
        if req.headers.get("access_token") != token:
            return json_response({"error": -216, "message": "Access token is invalid"})
        return None

    def getslice(req: Recorded) -> Response:
        if (bad := bad_token(req)) is not None:
            return bad
        off, lim = int(req.query["offset"]), int(req.query["limit"])
        page = articles[off : off + lim]
        return json_response(
            {"error": 0, "message": "Success", "data": {"medias": page, "total": len(articles)}}
        )

    def getdetail(req: Recorded) -> Response:
        if (bad := bad_token(req)) is not None:
            return bad
        a = next(a for a in articles if a["id"] == req.query["id"])
        body = [{"type": "text", "content": f"<p>Nội dung đầy đủ của {a['title']}</p>"}]
        return json_response({"error": 0, "message": "Success", "data": {**a, "body": body}})

    srv.route(SLICE, getslice)
    srv.route(DETAIL, getdetail)


def test_articles_are_paged_by_offset_and_their_bodies_fetched(tmp_path: Path) -> None:
    arts = [article(n, T0 - n * HOUR) for n in range(12)]
    with FixtureServer() as srv, http_client(Clock()) as client:
        routes(srv, arts)
        got = fetch(zalo_source(srv), client, tmp_path, token=TOKEN)
        offsets = [r.query["offset"] for r in srv.requests if r.path == SLICE]
        sent = next(r for r in srv.requests if r.path == SLICE)
    assert offsets == ["0", "10"]
    assert sent.headers["access_token"] == TOKEN
    assert "access_token" not in sent.query
    assert {i.item_id for i in got.items} == {f"art{n}" for n in range(12)}
    bodies = [i for i in got.items if i.is_html]
    assert len(bodies) == 12
    art3 = next(i for i in bodies if i.item_id == "art3")
    assert art3.text == "<p>Nội dung đầy đủ của Thông báo 3</p>"
    assert (art3.title, art3.views, art3.shares, art3.published) == ("Thông báo 3", 103, 3, T0 - 3 * HOUR)
    assert got.state.watermark == datetime(2026, 11, 22, 1, 0, tzinfo=UTC)
    assert all(TOKEN not in p.url for p in got.payloads)


def test_a_second_poll_reads_only_newer_or_edited_articles(tmp_path: Path) -> None:
    old = [article(n, T0 - (n + 24) * HOUR) for n in range(3)]
    wm = datetime.fromtimestamp(old[0]["create_date"] / 1000, tz=UTC)
    edited = article(9, T0 - 48 * HOUR, updated=T0)
    fresh = article(10, T0)
    with FixtureServer() as srv, http_client(Clock()) as client:
        routes(srv, [fresh, *old, edited])
        got = fetch(zalo_source(srv), client, tmp_path, SourceState(watermark=wm), token=TOKEN)
        details = sorted(r.query["id"] for r in srv.requests if r.path == DETAIL)
    # art10 is new, art9 was edited; art0 set the watermark and is re-read inside the overlap;
    # art1 and art2 are older and neither listed nor fetched again
    assert {i.item_id for i in got.items} == {"art10", "art9", "art0"}
    assert details == ["art0", "art10", "art9"]
    assert got.state.watermark == datetime.fromtimestamp(T0 / 1000, tz=UTC)


def test_a_detail_error_other_than_auth_does_not_stop_the_poll(tmp_path: Path) -> None:
    with FixtureServer() as srv, http_client(Clock()) as client:
        routes(srv, [article(1, T0)])
        srv.script(DETAIL, [json_response({"error": -201, "message": "id is invalid"})])
        got = fetch(zalo_source(srv), client, tmp_path, token=TOKEN)
    assert [(i.item_id, i.is_html) for i in got.items] == [("art1", False)]


def test_an_invalid_token_minus_216_is_auth_failed(tmp_path: Path) -> None:
    with FixtureServer() as srv, http_client(Clock()) as client:
        routes(srv, [article(1, T0)])
        src = zalo_source(srv)
        with pytest.raises(AuthFailed) as err:
            fetch(src, client, tmp_path, token="expired-token")
    assert "zalo_oa_sonha" in str(err.value)
    assert "-216" in str(err.value)
    assert "renew" in str(err.value)
    payloads = landed_under(tmp_path, src)
    assert len(payloads) == 1
    assert parse_all(src, payloads) == []


def test_another_negative_error_code_is_a_source_error(tmp_path: Path) -> None:
    with FixtureServer() as srv, http_client(Clock()) as client:
        srv.script(SLICE, [json_response({"error": -32, "message": "Exceeded rate limit"})])
        with pytest.raises(SourceError) as err:
            fetch(zalo_source(srv), client, tmp_path, token=TOKEN)
    assert not isinstance(err.value, AuthFailed)
    assert "error -32" in str(err.value)


def test_a_missing_token_is_auth_failed_without_a_request(tmp_path: Path) -> None:
    with FixtureServer() as srv, http_client(Clock()) as client:
        with pytest.raises(AuthFailed, match="zalo_oa_sonha"):
            fetch(zalo_source(srv), client, tmp_path, token=None)
        assert srv.requests == []


def test_malformed_json_is_a_source_error_after_landing(tmp_path: Path) -> None:
    with FixtureServer() as srv, http_client(Clock()) as client:
        srv.script(SLICE, [Response(200, '{"error":0,"data":{"medias":[', content_type="application/json")])
        src = zalo_source(srv)
        with pytest.raises(SourceError, match="malformed JSON"):
            fetch(src, client, tmp_path, token=TOKEN)
    items = parse_all(src, landed_under(tmp_path, src))
    assert [i.problem for i in items] == [items[0].problem]
    assert "not valid JSON" in (items[0].problem or "")


def test_a_failing_article_detail_leaves_the_list_entry_standing(tmp_path: Path) -> None:
    with FixtureServer() as srv, http_client(Clock()) as client:
        routes(srv, [article(1, T0)])
        srv.script(DETAIL, [Response(404, "not found")])
        got = fetch(zalo_source(srv), client, tmp_path, token=TOKEN)
    assert [(i.item_id, i.text) for i in got.items] == [("art1", "Tóm tắt 1")]


def test_hidden_articles_are_not_collected(tmp_path: Path) -> None:
    with FixtureServer() as srv, http_client(Clock()) as client:
        routes(srv, [article(1, T0), article(2, T0 - HOUR, status="hide")])
        got = fetch(zalo_source(srv), client, tmp_path, token=TOKEN)
    assert {i.item_id for i in got.items} == {"art1"}
