"""RSS / Atom: landing before parsing, watermarks, conditional GET, and feeds that are not feeds."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from postwatch.collect.base import SourceError, SourceState
from postwatch.demo.server import FixtureServer, Response
from postwatch.registry import Source
from tests.unit.collect import Clock, cp1258, fetch, http_client, landed_under, make_source, nfc, parse_all

RSS = "application/rss+xml; charset=utf-8"


def rss(items: list[tuple[str, str, str]], encoding: str = "utf-8", extra: str = "") -> str:
    """An RSS 2.0 feed; items are (guid, title, RFC 822 date)."""
    body = "".join(
        f"<item><guid>{g}</guid><title>{t}</title><link>https://baosonha.vn/{g}.html</link>"
        f"<description>&lt;p&gt;Nội dung {g}&lt;/p&gt;{extra}</description><pubDate>{d}</pubDate></item>"
        for g, t, d in items
    )
    return (
        f'<?xml version="1.0" encoding="{encoding}"?><rss version="2.0"><channel>'
        f"<title>Báo Sơn Hà</title><link>https://baosonha.vn</link>{body}</channel></rss>"
    )


def atom(entries: list[tuple[str, str, str, str]]) -> str:
    """An Atom feed; entries are (id, title, published, updated)."""
    body = "".join(
        f"<entry><id>{i}</id><title>{t}</title><link rel='alternate' href='https://vov.vn/{i}'/>"
        f"<published>{p}</published><updated>{u}</updated><summary>Tóm tắt {i}</summary></entry>"
        for i, t, p, u in entries
    )
    return (
        "<?xml version='1.0' encoding='utf-8'?><feed xmlns='http://www.w3.org/2005/Atom'>"
        f"<title>VOV</title><id>urn:vov</id><updated>2026-11-22T00:00:00Z</updated>{body}</feed>"
    )


def source(srv: FixtureServer, path: str = "/rss/feed.xml") -> Source:
    return make_source(id="rss-test", platform="rss", url=srv.url(path))


ITEMS = [
    ("a1", "Khánh thành cầu Tân Lập", "Fri, 20 Nov 2026 08:00:00 +0700"),
    ("a2", "Hòa Bình đón mưa lớn", "Sat, 21 Nov 2026 09:30:00 +0700"),
]


def test_a_feed_is_landed_as_received_then_parsed_into_items(tmp_path: Path) -> None:
    with FixtureServer() as srv, http_client(Clock()) as client:
        body = rss(ITEMS)
        srv.script("/rss/feed.xml", [Response(200, body, content_type=RSS)])
        got = fetch(source(srv), client, tmp_path)
    assert [p.body for p in got.payloads] == [body.encode("utf-8")]
    assert [i.item_id for i in got.items] == ["a1", "a2"]
    assert got.items[1].title == "Hòa Bình đón mưa lớn"
    assert got.items[1].url == "https://baosonha.vn/a2.html"
    assert got.items[1].published == "Sat, 21 Nov 2026 09:30:00 +0700"
    assert all(i.landing_ref.endswith("#0") for i in got.items)
    assert got.state.watermark == datetime(2026, 11, 21, 2, 30, tzinfo=UTC)


def test_a_second_poll_with_the_returned_state_yields_only_newer_or_edited_items(tmp_path: Path) -> None:
    first = atom(
        [
            ("e1", "Tin cũ", "2026-11-19T01:00:00Z", "2026-11-19T01:00:00Z"),
            ("e2", "Tin sẽ được sửa", "2026-11-19T02:00:00Z", "2026-11-19T02:00:00Z"),
            ("e3", "Tin mới nhất", "2026-11-20T03:00:00Z", "2026-11-20T03:00:00Z"),
        ]
    )
    second = atom(
        [
            ("e1", "Tin cũ", "2026-11-19T01:00:00Z", "2026-11-19T01:00:00Z"),
            ("e2", "Tin đã sửa", "2026-11-19T02:00:00Z", "2026-11-21T05:00:00Z"),
            ("e3", "Tin mới nhất", "2026-11-20T03:00:00Z", "2026-11-20T03:00:00Z"),
            ("e4", "Tin hôm nay", "2026-11-21T04:00:00Z", "2026-11-21T04:00:00Z"),
        ]
    )
    with FixtureServer() as srv, http_client(Clock()) as client:
        srv.script("/rss/vov.atom", [Response(200, first), Response(200, second)])
        src = source(srv, "/rss/vov.atom")
        one = fetch(src, client, tmp_path, run_id="r1")
        two = fetch(src, client, tmp_path, one.state, run_id="r2")
    assert {i.item_id for i in one.items} == {"e1", "e2", "e3"}
    assert one.state.watermark == datetime(2026, 11, 20, 3, tzinfo=UTC)
    # e1 is long past the watermark: dropped. e3 set the watermark: it is re-read inside the small
    # overlap (the warehouse de-duplicates it). e2 was edited, e4 is new.
    assert {i.item_id for i in two.items} == {"e2", "e3", "e4"}
    assert next(i.title for i in two.items if i.item_id == "e2") == "Tin đã sửa"
    assert two.state.watermark == datetime(2026, 11, 21, 4, tzinfo=UTC)


def test_conditional_get_304_lands_nothing_and_keeps_the_state(tmp_path: Path) -> None:
    headers = {"ETag": '"v1"', "Last-Modified": "Sat, 21 Nov 2026 03:00:00 GMT"}
    with FixtureServer() as srv, http_client(Clock()) as client:
        srv.script("/rss/feed.xml", [Response(200, rss(ITEMS), headers, content_type=RSS)])
        src = source(srv)
        one = fetch(src, client, tmp_path, run_id="r1")
        two = fetch(src, client, tmp_path, one.state, run_id="r2")
        sent = srv.requests[-1].headers
    assert one.state.etag == '"v1"'
    assert one.state.last_modified == "Sat, 21 Nov 2026 03:00:00 GMT"
    assert sent["if-none-match"] == '"v1"'
    assert sent["if-modified-since"] == "Sat, 21 Nov 2026 03:00:00 GMT"
    assert two.payloads == []
    assert two.items == []
    assert two.state == one.state


@pytest.mark.parametrize(
    ("body", "content_type", "reason"),
    [
        (
            "<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1></body></html>",
            "text/html",
            "not a feed: the server answered an HTML page ('502 Bad Gateway')",
        ),
        ("", "application/rss+xml", "not a feed: the server answered an empty body"),
        ("   \n  ", "application/rss+xml", "not a feed: the server answered an empty body"),
        ('{"status": "ok"}', "application/json", "not a feed"),
        ('<?xml version="1.0"?><rss version="2.0"><channel><title>Cắt ngang', RSS, "malformed feed"),
    ],
    ids=["html-error-page", "empty-body", "blank-body", "json", "truncated"],
)
def test_a_body_that_is_not_a_feed_is_a_source_error_after_landing(
    tmp_path: Path, body: str, content_type: str, reason: str
) -> None:
    with FixtureServer() as srv, http_client(Clock()) as client:
        srv.script("/rss/feed.xml", [Response(200, body, content_type=content_type)])
        src = source(srv)
        with pytest.raises(SourceError) as err:
            fetch(src, client, tmp_path)
    assert reason in str(err.value)
    assert "rss-test" in str(err.value)
    payloads = landed_under(tmp_path, src)
    assert [p.body for p in payloads] == [body.encode("utf-8")]
    items = parse_all(src, payloads)
    assert len(items) == 1
    assert items[0].problem is not None
    assert reason in items[0].problem


def test_a_valid_feed_without_items_is_a_quiet_day_not_an_error(tmp_path: Path) -> None:
    with FixtureServer() as srv, http_client(Clock()) as client:
        srv.script("/rss/feed.xml", [Response(200, rss([]), content_type=RSS)])
        got = fetch(source(srv), client, tmp_path, SourceState(watermark=datetime(2026, 11, 1, tzinfo=UTC)))
    assert got.items == []
    assert got.state.watermark == datetime(2026, 11, 1, tzinfo=UTC)


def test_an_http_error_status_is_a_source_error_naming_it(tmp_path: Path) -> None:
    with FixtureServer() as srv, http_client(Clock()) as client:
        srv.script("/rss/feed.xml", [Response(404, "gone", content_type="text/plain")])
        with pytest.raises(SourceError, match="answered HTTP 404"):
            fetch(source(srv), client, tmp_path)


def test_a_feed_that_never_answers_in_time_is_a_source_error(tmp_path: Path) -> None:
    with FixtureServer() as srv, http_client(Clock(), http_timeout=0.3, http_max_retries=1) as client:
        srv.script("/rss/feed.xml", [Response(200, rss(ITEMS), delay=1.5)])
        with pytest.raises(SourceError, match=r"no usable answer.*Timeout"):
            fetch(source(srv), client, tmp_path)


def test_script_in_a_title_passes_through_and_is_html_stays_true(tmp_path: Path) -> None:
    items = [("x1", "&lt;script&gt;alert(1)&lt;/script&gt;Tin nóng", "Fri, 20 Nov 2026 08:00:00 +0700")]
    with FixtureServer() as srv, http_client(Clock()) as client:
        srv.script("/rss/feed.xml", [Response(200, rss(items), content_type=RSS)])
        got = fetch(source(srv), client, tmp_path)
    assert got.items[0].title == "<script>alert(1)</script>Tin nóng"
    assert got.items[0].is_html is True


def test_a_feed_declared_windows_1258_reads_vietnamese_correctly(tmp_path: Path) -> None:
    items = [("v1", "Hòa Bình và Thủy Nguyên", "Fri, 20 Nov 2026 08:00:00 +0700")]
    body = cp1258(rss(items, encoding="windows-1258"))
    with FixtureServer() as srv, http_client(Clock()) as client:
        srv.script("/rss/feed.xml", [Response(200, body, content_type="application/rss+xml")])
        got = fetch(source(srv), client, tmp_path)
    assert got.payloads[0].body == body
    assert nfc(got.items[0].title) == "Hòa Bình và Thủy Nguyên"


def test_a_feed_mislabelled_utf8_but_written_in_windows_1258_does_not_crash(tmp_path: Path) -> None:
    items = [("v1", "Hòa Bình và Thủy Nguyên", "Fri, 20 Nov 2026 08:00:00 +0700")]
    body = cp1258(rss(items, encoding="utf-8"))
    with FixtureServer() as srv, http_client(Clock()) as client:
        srv.script("/rss/feed.xml", [Response(200, body, content_type=RSS)])
        got = fetch(source(srv), client, tmp_path)
    assert got.payloads[0].body == body  # landed byte for byte (base64 in the landing file)
    assert nfc(got.items[0].title) == "Hòa Bình và Thủy Nguyên"


def test_a_five_megabyte_item_is_landed_and_parsed(tmp_path: Path) -> None:
    big = "&lt;p&gt;" + "Người dân Sơn Hà phản ánh. " * 200_000 + "&lt;/p&gt;"
    items = [("big", "Bài rất dài", "Fri, 20 Nov 2026 08:00:00 +0700")]
    with FixtureServer() as srv, http_client(Clock()) as client:
        srv.script("/rss/feed.xml", [Response(200, rss(items, extra=big), content_type=RSS)])
        got = fetch(source(srv), client, tmp_path)
    assert len(got.payloads[0].body) > 5_000_000
    assert len(got.items) == 1
    assert len(got.items[0].text or "") > 5_000_000


def test_an_entry_without_id_or_link_is_kept_for_quarantine_not_dropped(tmp_path: Path) -> None:
    body = (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>t</title>'
        "<item><title>Không có mã</title><pubDate>Fri, 20 Nov 2026 08:00:00 +0700</pubDate></item>"
        "</channel></rss>"
    )
    with FixtureServer() as srv, http_client(Clock()) as client:
        srv.script("/rss/feed.xml", [Response(200, body, content_type=RSS)])
        got = fetch(source(srv), client, tmp_path)
    assert len(got.items) == 1
    assert got.items[0].item_id is None
    assert got.items[0].title == "Không có mã"


def test_a_429_with_retry_after_then_the_feed_waits_what_the_server_asked(tmp_path: Path) -> None:
    clock = Clock()
    with FixtureServer() as srv, http_client(clock) as client:
        srv.script(
            "/rss/feed.xml",
            [Response(429, "slow down", {"Retry-After": "9"}), Response(200, rss(ITEMS), content_type=RSS)],
        )
        got = fetch(source(srv), client, tmp_path)
    assert clock.sleeps == [9.0]
    assert [i.item_id for i in got.items] == ["a1", "a2"]
    assert [p.status for p in got.payloads] == [200]


def test_a_500_then_success_is_retried_and_the_feed_read(tmp_path: Path) -> None:
    clock = Clock()
    with FixtureServer() as srv, http_client(clock) as client:
        srv.script("/rss/feed.xml", [Response(500, "oops"), Response(200, rss(ITEMS), content_type=RSS)])
        got = fetch(source(srv), client, tmp_path)
        assert srv.hits("/rss/feed.xml") == 2
    assert len(clock.sleeps) == 1
    assert len(got.items) == 2
