"""Portal listings: robots.txt, next_page with max_pages, article extraction, dates, encodings."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from postwatch.collect.base import SourceError, SourceState
from postwatch.demo.server import FixtureServer, Recorded, Response
from postwatch.registry import Source
from tests.unit.collect import Clock, cp1258, fetch, http_client, landed_under, make_source, nfc, parse_all

HTML = "text/html; charset=utf-8"
LISTING = "/portal/tin-tuc.html"


def web_source(srv: FixtureServer, max_pages: int = 3, **sel: Any) -> Source:
    selectors = {
        "item": "article.news-item",
        "link": "h3 a",
        "title": "h3 a",
        "date": "span.date",
        "date_format": "%d/%m/%Y %H:%M",
        "next_page": "a.next",
        "max_pages": max_pages,
        **sel,
    }
    return make_source(
        id="portal-test",
        name="Cổng TTĐT tỉnh Sơn Hà",
        platform="web",
        kind="official",
        unit="sonha",
        url=srv.url(LISTING),
        selectors=selectors,
    )


def listing(items: list[tuple[str, str, str]], next_href: str | None = None, charset: str = "utf-8") -> str:
    """A listing page; items are (slug, title, dd/mm/yyyy HH:MM)."""
    rows = "".join(
        f'<article class="news-item"><h3><a href="/portal/bai-viet/{s}.html">{t}</a></h3>'
        f'<span class="date">{d}</span></article>'
        for s, t, d in items
    )
    nxt = f'<a class="next" href="{next_href}">Trang sau</a>' if next_href else ""
    return (
        f'<!doctype html><html><head><meta charset="{charset}"><title>Tin tức</title></head>'
        f"<body><nav>Trang chủ | Tin tức</nav><main>{rows}</main>{nxt}</body></html>"
    )


def article_page(title: str, paragraphs: int = 4) -> str:
    body = "".join(
        f"<p>Đoạn {n}: Ủy ban nhân dân tỉnh Sơn Hà thông báo nội dung {title.lower()} tới người dân.</p>"
        for n in range(paragraphs)
    )
    return (
        f"<!doctype html><html><head><meta charset='utf-8'><title>{title}</title>"
        "<meta name='author' content='Phòng Thông tin'></head><body><nav>Menu chính</nav>"
        f"<article><h1>{title}</h1>{body}</article><footer>Bản quyền Cổng TTĐT</footer></body></html>"
    )


PAGE1 = [
    ("cau-moi", "Khánh thành cầu mới", "21/11/2026 08:15"),
    ("mua-lua", "Mùa lúa Tân Lập", "20/11/2026 16:00"),
]
PAGE2 = [("hop-bao", "Họp báo quý IV", "19/11/2026 09:00"), ("le-hoi", "Lễ hội Hòa Bình", "18/11/2026 07:30")]
PAGE3 = [("cu", "Tin cũ trang 3", "10/11/2026 07:30")]


def serve_portal(srv: FixtureServer, robots: str = "User-agent: *\nAllow: /\n") -> None:
    srv.script("/robots.txt", [Response(200, robots, content_type="text/plain")])

    def pages(req: Recorded) -> Response:
        n = req.query.get("page", "1")
        body = {
            "1": listing(PAGE1, "?page=2"),
            "2": listing(PAGE2, "?page=3"),
            "3": listing(PAGE3, "?page=4"),
        }.get(n, listing([]))
        return Response(200, body, content_type=HTML)

    def articles(req: Recorded) -> Response:
        slug = req.path.rsplit("/", 1)[-1].removesuffix(".html")
        title = {s: t for s, t, _ in PAGE1 + PAGE2 + PAGE3}.get(slug, slug)
        return Response(200, article_page(title), content_type=HTML)

    srv.route(LISTING, pages)
    srv.route("/portal/bai-viet/", articles)


def test_listing_pages_are_followed_up_to_max_pages_and_articles_extracted(tmp_path: Path) -> None:
    with FixtureServer() as srv, http_client(Clock()) as client:
        serve_portal(srv)
        got = fetch(web_source(srv, max_pages=2), client, tmp_path)
        listing_pages = [r.query.get("page") for r in srv.requests if r.path == LISTING]
        robots_hits = srv.hits("/robots.txt")
    assert listing_pages == [None, "2"]  # page 3 is beyond max_pages
    assert robots_hits == 1
    by_url = {i.item_id: i for i in got.items}
    assert len(by_url) == 4
    item = by_url[srv.url("/portal/bai-viet/cau-moi.html")]
    assert item.title == "Khánh thành cầu mới"
    assert item.published == "2026-11-21T01:15:00+00:00"
    assert "Ủy ban nhân dân tỉnh Sơn Hà thông báo" in (item.text or "")
    assert "Menu chính" not in (item.text or "")
    assert item.author == "Phòng Thông tin"
    assert got.state.watermark == datetime(2026, 11, 21, 1, 15, tzinfo=UTC)
    assert [p.meta["kind"] for p in got.payloads][:3] == ["robots", "listing", "listing"]


def test_robots_txt_disallow_is_respected(tmp_path: Path) -> None:
    robots = "User-agent: *\nDisallow: /portal/bai-viet/mua-lua.html\n"
    with FixtureServer() as srv, http_client(Clock()) as client:
        serve_portal(srv, robots)
        got = fetch(web_source(srv, max_pages=1), client, tmp_path)
        assert srv.hits("/portal/bai-viet/mua-lua.html") == 0
        assert srv.hits("/portal/bai-viet/cau-moi.html") == 1
    assert [i.title for i in got.items] == ["Khánh thành cầu mới"]


def test_robots_txt_disallowing_the_listing_stops_before_it(tmp_path: Path) -> None:
    robots = "User-agent: PostWatch\nDisallow: /portal/\n"
    with FixtureServer() as srv, http_client(Clock()) as client:
        serve_portal(srv, robots)
        with pytest.raises(SourceError, match=r"robots\.txt disallows the listing page"):
            fetch(web_source(srv), client, tmp_path)
        assert srv.hits(LISTING) == 0


def test_a_missing_robots_txt_allows_crawling_and_a_failing_one_forbids_it(tmp_path: Path) -> None:
    with FixtureServer() as srv, http_client(Clock()) as client:
        serve_portal(srv)
        srv.script("/robots.txt", [Response(404, "no robots")])
        assert len(fetch(web_source(srv, max_pages=1), client, tmp_path, run_id="a").items) == 2
    with FixtureServer() as srv, http_client(Clock(), http_max_retries=1) as client:
        serve_portal(srv)
        srv.script("/robots.txt", [Response(503, "down")])
        with pytest.raises(SourceError, match=r"robots\.txt"):
            fetch(web_source(srv), client, tmp_path, run_id="b")
        assert srv.hits(LISTING) == 0


def test_crawl_delay_spaces_the_requests(tmp_path: Path) -> None:
    clock = Clock()
    with FixtureServer() as srv, http_client(clock) as client:
        serve_portal(srv, "User-agent: *\nCrawl-delay: 4\n")
        fetch(web_source(srv, max_pages=1), client, tmp_path)
    assert clock.sleeps == [4.0, 4.0]  # listing -> article 1 -> article 2


def test_a_second_poll_fetches_only_newer_articles(tmp_path: Path) -> None:
    wm = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)  # after mua-lua (20/11 16:00 local = 09:00 UTC)
    with FixtureServer() as srv, http_client(Clock()) as client:
        serve_portal(srv)
        got = fetch(web_source(srv), client, tmp_path, SourceState(watermark=wm))
        fetched = sorted(r.path for r in srv.requests if r.path.startswith("/portal/bai-viet/"))
        listing_pages = srv.hits(LISTING)
    # mua-lua set the watermark and is re-read inside the overlap; page 2 holds nothing new, so the walk stops
    assert fetched == ["/portal/bai-viet/cau-moi.html", "/portal/bai-viet/mua-lua.html"]
    assert listing_pages == 2
    assert {i.title for i in got.items} == {"Khánh thành cầu mới", "Mùa lúa Tân Lập"}


@pytest.mark.parametrize(
    ("meta_charset", "content_type"),
    [("windows-1258", "text/html"), ("utf-8", "text/html; charset=utf-8"), (None, "text/html")],
    ids=["declared-in-page", "mislabelled-utf8", "undeclared"],
)
def test_a_listing_in_windows_1258_reads_vietnamese_correctly(
    tmp_path: Path, meta_charset: str | None, content_type: str
) -> None:
    page = listing([("thuy-nguyen", "Thủy Nguyên đón khách", "21/11/2026 08:15")], charset=meta_charset or "")
    if meta_charset is None:
        page = page.replace('<meta charset="">', "")
    body = cp1258(page)
    with FixtureServer() as srv, http_client(Clock()) as client:
        serve_portal(srv)
        srv.script(LISTING, [Response(200, body, content_type=content_type)])
        got = fetch(web_source(srv), client, tmp_path)
    assert got.payloads[1].body == body
    assert [nfc(i.title) for i in got.items] == ["Thủy Nguyên đón khách"]


def test_a_date_that_does_not_match_date_format_is_quarantined_with_the_reason(tmp_path: Path) -> None:
    page = listing(
        [("cau-moi", "Khánh thành cầu mới", "hôm qua"), ("mua-lua", "Mùa lúa", "20/11/2026 16:00")]
    )
    with FixtureServer() as srv, http_client(Clock()) as client:
        serve_portal(srv)
        srv.script(LISTING, [Response(200, page, content_type=HTML)])
        got = fetch(web_source(srv), client, tmp_path)
    bad = [i for i in got.items if i.problem]
    assert len(bad) == 1
    assert bad[0].item_id == srv.url("/portal/bai-viet/cau-moi.html")
    assert "'hôm qua' does not match date_format '%d/%m/%Y %H:%M'" in (bad[0].problem or "")
    assert [i.title for i in got.items if not i.problem] == ["Mùa lúa"]


def test_a_failed_article_is_quarantined_and_holds_the_watermark_back(tmp_path: Path) -> None:
    with FixtureServer() as srv, http_client(Clock()) as client:
        serve_portal(srv)
        srv.script("/portal/bai-viet/cau-moi.html", [Response(404, "not found")])
        got = fetch(web_source(srv, max_pages=1), client, tmp_path)
    bad = [i for i in got.items if i.problem]
    assert [i.problem for i in bad] == ["article page answered HTTP 404"]
    # cau-moi (21/11) failed: the watermark stays before it so the next poll tries again
    assert got.state.watermark == datetime(2026, 11, 20, 9, 0, tzinfo=UTC)


def test_a_selector_that_matches_nothing_is_a_clear_source_error(tmp_path: Path) -> None:
    with FixtureServer() as srv, http_client(Clock()) as client:
        serve_portal(srv)
        with pytest.raises(SourceError, match=r"selector 'div\.tin' matched nothing"):
            fetch(web_source(srv, item="div.tin"), client, tmp_path)


def test_listing_and_robots_payloads_yield_no_items_on_their_own(tmp_path: Path) -> None:
    with FixtureServer() as srv, http_client(Clock()) as client:
        serve_portal(srv)
        src = web_source(srv, max_pages=1)
        fetch(src, client, tmp_path)
    payloads = [p for p in landed_under(tmp_path, src) if p.meta["kind"] in ("robots", "listing")]
    assert len(payloads) == 2
    assert parse_all(src, payloads) == []
