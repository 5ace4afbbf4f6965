"""The recorded demo dataset, served by the real fixture server, is complete and well-formed.

The planted cases asserted here are listed with their ids in include/postwatch/demo/data/README.md.
"""

from __future__ import annotations

import csv
import io
import os
import shutil
import unicodedata
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import feedparser
import ftfy
import httpx
import pytest
from selectolax.lexbor import LexborHTMLParser as HTMLParser

from postwatch.demo import build_data
from postwatch.demo.dataset import DATA_DIR, DEMO_YOUTUBE_KEY, mount_demo
from postwatch.demo.env import DEMO_TOKENS
from postwatch.demo.server import FixtureServer
from postwatch.registry import Platform, Registry, Source, load_registry
from postwatch.settings import get_settings

ICT = timezone(timedelta(hours=7))
FIRST_DAY, LAST_DAY = date(2026, 11, 9), date(2026, 11, 22)
OFFICIAL, WATCHED, IMPOSTER = "100064123456789", "100089987654321", "100099111222333"
CHANNEL = "UCsonha000000000000000001"
PRESS = ("vnexpress.xml", "dantri.xml", "baosonha.xml", "vov.atom")
DANTRI = "https://dantri.com.vn/xa-hoi"
ACTIVE_IDS = [s.id for s in load_registry().active_sources]


@pytest.fixture(scope="module")
def server() -> Iterator[FixtureServer]:
    with FixtureServer() as srv:
        mount_demo(srv)
        yield srv


@pytest.fixture(scope="module")
def client(server: FixtureServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.base_url, timeout=30) as c:
        yield c


@pytest.fixture(scope="module")
def registry(server: FixtureServer) -> Registry:
    mp = pytest.MonkeyPatch()
    mp.setenv("POSTWATCH_DEMO_URL", server.base_url)
    try:
        return load_registry()
    finally:
        mp.undo()


def token_for(source: Source) -> str:
    assert source.conn_id, source.id
    return DEMO_TOKENS[source.conn_id]


def follow(client: httpx.Client, url: str, **kw: Any) -> Iterator[dict[str, Any]]:
    """Pages of a Graph edge, following paging.next until it stops (fails on a loop)."""
    seen: set[str] = set()
    while url:
        assert url not in seen, f"paging.next loops back to {url}"
        seen.add(url)
        resp = client.get(url, **kw)
        assert resp.status_code == 200, resp.text
        page = resp.json()
        yield page
        url = page.get("paging", {}).get("next")


def graph_posts(client: httpx.Client, page_id: str, token: str = "demo-app-token") -> list[dict[str, Any]]:
    """Every post of a page's feed, in feed order, with the full recorded fields."""
    url = f"/graph/v23.0/{page_id}/feed?fields=id,message&limit=100&access_token={token}"
    return [p for page in follow(client, url) for p in page["data"]]


def feed(client: httpx.Client, name: str) -> feedparser.FeedParserDict:
    resp = client.get(f"/rss/{name}")
    assert resp.status_code == 200
    return feedparser.parse(resp.content)


def press_entries(client: httpx.Client, names: tuple[str, ...] = PRESS) -> list[Any]:
    return [e for name in names for e in feed(client, name).entries]


def yt_api(client: httpx.Client, resource: str, **params: str) -> httpx.Response:
    return client.get(f"/youtube/youtube/v3/{resource}", params={**params, "key": DEMO_YOUTUBE_KEY})


def zalo(client: httpx.Client, call: str, **params: Any) -> dict[str, Any]:
    resp = client.get(f"/zalo/v2.0/article/{call}", params=params, headers={"access_token": "demo-oa-token"})
    assert resp.status_code == 200
    return resp.json()


def zalo_medias(client: httpx.Client) -> list[dict[str, Any]]:
    total = zalo(client, "getslice", offset=0, limit=10)["data"]["total"]
    return [
        m for o in range(0, total, 10) for m in zalo(client, "getslice", offset=o, limit=10)["data"]["medias"]
    ]


def tiktok_rows() -> list[dict[str, str]]:
    text = (DATA_DIR / "imports" / "tiktok_sonha.csv").read_text(encoding="utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


# --------------------------------------------------------------------------- completeness


@pytest.mark.parametrize("source_id", ACTIVE_IDS)
def test_every_active_source_is_served_its_platform_request(
    source_id: str, registry: Registry, client: httpx.Client
) -> None:
    s = registry.source(source_id)
    if s.platform == Platform.facebook:
        url = f"{s.api_base}/v23.0/{s.page_id}/feed?fields=id,message&limit=100&access_token={token_for(s)}"
        resp = client.get(url)
        assert resp.status_code == 200 and resp.json()["data"]
    elif s.platform == Platform.youtube:
        resp = client.get(f"{s.api_base}/feeds/videos.xml", params={"channel_id": s.channel_id})
        assert resp.status_code == 200 and feedparser.parse(resp.content).entries
    elif s.platform == Platform.zalo:
        resp = client.get(
            f"{s.api_base}/v2.0/article/getslice",
            params={"offset": 0, "limit": 10, "type": "normal"},
            headers={"access_token": token_for(s)},
        )
        assert resp.json()["error"] == 0 and resp.json()["data"]["medias"]
    elif s.platform == Platform.web:
        assert s.selectors is not None
        resp = client.get(str(s.url))
        assert resp.status_code == 200
        assert HTMLParser(resp.text).css(s.selectors.item)
        root = urlsplit(str(s.url))
        assert client.get(f"{root.scheme}://{root.netloc}/robots.txt").status_code == 200
    elif s.platform == Platform.rss:
        assert client.get(str(s.url)).status_code == 200
    elif s.platform in (Platform.tiktok, Platform.file):
        assert s.file is not None
        path = (get_settings().config_dir / s.file.path).resolve()
        assert path == (DATA_DIR / "imports" / "tiktok_sonha.csv").resolve()
        assert set(s.file.columns.values()) <= set(tiktok_rows()[0])
    else:
        pytest.fail(f"no demo check for platform {s.platform}")


def test_press_feeds_parse_with_feedparser_and_have_entries(client: httpx.Client) -> None:
    for name in PRESS:
        parsed = feed(client, name)
        assert not parsed.bozo, (name, parsed.get("bozo_exception"))
        assert len(parsed.entries) >= 30, name
    yt = feedparser.parse(client.get("/youtube/feeds/videos.xml", params={"channel_id": CHANNEL}).content)
    assert not yt.bozo and len(yt.entries) == 15


def test_the_vtc_source_is_an_html_error_page_served_with_200(client: httpx.Client) -> None:
    resp = client.get("/rss/vtc.rss")
    assert resp.status_code == 200 and resp.headers["content-type"].startswith("text/html")
    parsed = feedparser.parse(resp.content)
    assert parsed.bozo and not parsed.entries


@pytest.mark.parametrize(("page_id", "at_least"), [(OFFICIAL, 60), (WATCHED, 85), (IMPOSTER, 10)])
def test_graph_paging_next_is_followable_to_the_end(
    client: httpx.Client, page_id: str, at_least: int
) -> None:
    pages = list(follow(client, f"/graph/v23.0/{page_id}/feed?limit=100&access_token=demo-page-token"))
    assert "next" not in pages[-1].get("paging", {})
    posts = [p for page in pages for p in page["data"]]
    assert len(posts) >= at_least
    assert len(pages) == len(list((DATA_DIR / "graph" / page_id).glob("feed-*.json")))
    assert all(p["from"]["id"] == page_id for p in posts)


def test_next_links_carry_the_callers_token(client: httpx.Client) -> None:
    page = client.get(f"/graph/v23.0/{OFFICIAL}/feed?access_token=demo-page-token").json()
    assert "access_token=demo-page-token" in page["paging"]["next"]
    assert "{{" not in page["paging"]["next"]


def test_the_volume_is_several_hundred_posts(client: httpx.Client) -> None:
    fb = sum(len(graph_posts(client, p)) for p in (OFFICIAL, WATCHED, IMPOSTER))
    videos = yt_api(client, "videos", id=",".join(_video_ids(client))).json()["items"]
    portal = len(list((DATA_DIR / "portal" / "bai-viet").glob("*.html")))
    total = (
        fb + len(press_entries(client)) + len(zalo_medias(client)) + len(videos) + portal + len(tiktok_rows())
    )
    assert 400 <= total <= 520


def test_the_committed_data_is_what_the_builder_writes(tmp_path: Path) -> None:
    build_data.build(tmp_path)
    built = {p.relative_to(tmp_path) for p in tmp_path.rglob("*") if p.is_file()}
    committed = {
        p.relative_to(DATA_DIR)
        for p in DATA_DIR.rglob("*")
        if p.is_file() and p.relative_to(DATA_DIR).parts[0] not in ("corpus", "seeds")
    }
    assert built == committed
    changed = [str(p) for p in built if (tmp_path / p).read_bytes() != (DATA_DIR / p).read_bytes()]
    assert changed == [], "committed demo data is stale: run python -m postwatch.demo.build_data"


def test_committed_data_stays_under_three_megabytes() -> None:
    assert sum(p.stat().st_size for p in DATA_DIR.rglob("*") if p.is_file()) < 3_000_000


def test_seed_letters_are_verbatim_copies() -> None:
    shared_data = Path(os.environ.get("POSTWATCH_SHARED_DATA", DATA_DIR.parents[4] / "shared" / "data"))
    shared = shared_data.parent / "seeds"
    if not shared.is_dir():
        pytest.skip(f"{shared} is absent")
    for original in shared.glob("*.txt"):
        assert (DATA_DIR / "seeds" / original.name).read_bytes() == original.read_bytes()


# --------------------------------------------------------------------------- dates


def _local_day(dt: datetime) -> date:
    return dt.astimezone(ICT).date()


def _video_ids(client: httpx.Client) -> list[str]:
    ids, token = [], ""
    while True:
        extra = {"pageToken": token} if token else {}
        page = yt_api(client, "playlistItems", playlistId="UU" + CHANNEL[2:], maxResults="50", **extra).json()
        ids += [i["contentDetails"]["videoId"] for i in page["items"]]
        token = page.get("nextPageToken", "")
        if not token:
            return ids


def all_times(client: httpx.Client) -> list[datetime]:
    times = []
    for page_id in (OFFICIAL, WATCHED, IMPOSTER):
        for p in graph_posts(client, page_id):
            times.append(datetime.strptime(p["created_time"], "%Y-%m-%dT%H:%M:%S%z"))
    for e in press_entries(client):
        times.append(datetime(*e.published_parsed[:6], tzinfo=UTC))
    yt = feedparser.parse(client.get("/youtube/feeds/videos.xml", params={"channel_id": CHANNEL}).content)
    times += [datetime.fromisoformat(e.published) for e in yt.entries]
    videos = yt_api(client, "videos", id=",".join(_video_ids(client))).json()["items"]
    times += [datetime.fromisoformat(v["snippet"]["publishedAt"].replace("Z", "+00:00")) for v in videos]
    times += [datetime.fromtimestamp(m["create_date"] / 1000, ICT) for m in zalo_medias(client)]
    for html in _portal_listings(client):
        for node in HTMLParser(html).css("article.news-item span.date"):
            times.append(datetime.strptime(node.text(), "%d/%m/%Y %H:%M").replace(tzinfo=ICT))
    times += [
        datetime.strptime(r["Create time"], "%d/%m/%Y %H:%M").replace(tzinfo=ICT) for r in tiktok_rows()
    ]
    return times


def test_dates_span_the_fourteen_local_days_apart_from_two_planted_outliers(client: httpx.Client) -> None:
    days = [_local_day(t) for t in all_times(client)]
    outliers = sorted(d for d in days if not FIRST_DAY <= d <= LAST_DAY)
    assert outliers == [date(1970, 1, 1), date(2030, 11, 20)]
    inside = [d for d in days if FIRST_DAY <= d <= LAST_DAY]
    assert min(inside) == FIRST_DAY and max(inside) == LAST_DAY
    assert len(set(inside)) == 14


# --------------------------------------------------------------------------- auth errors


def test_a_wrong_graph_token_gets_oauth_error_190(client: httpx.Client) -> None:
    for query in ("access_token=expired-token", ""):
        resp = client.get(f"/graph/v23.0/{OFFICIAL}/feed?fields=id&{query}")
        assert resp.status_code == 400
        err = resp.json()["error"]
        assert err["code"] == 190 and err["type"] == "OAuthException"


def test_a_wrong_zalo_token_gets_error_216(client: httpx.Client) -> None:
    for headers in ({"access_token": "nope"}, {}):
        resp = client.get("/zalo/v2.0/article/getslice", params={"offset": 0, "limit": 10}, headers=headers)
        assert resp.status_code == 200 and resp.json()["error"] == -216


def test_a_wrong_youtube_key_gets_key_invalid(client: httpx.Client) -> None:
    resp = client.get(
        "/youtube/youtube/v3/channels", params={"part": "contentDetails", "id": CHANNEL, "key": "x"}
    )
    assert resp.status_code == 400
    assert resp.json()["error"]["errors"][0]["reason"] == "keyInvalid"


def test_an_unknown_graph_object_gets_error_100(client: httpx.Client) -> None:
    resp = client.get("/graph/v23.0/999_1/comments?access_token=demo-page-token")
    assert resp.status_code == 400 and resp.json()["error"]["code"] == 100


# --------------------------------------------------------------------------- planted Graph cases


def test_the_watched_page_has_the_four_planted_broken_posts(client: httpx.Client) -> None:
    posts = graph_posts(client, WATCHED)
    no_id = [p for p in posts if "id" not in p]
    assert len(no_id) == 1 and no_id[0]["message"].startswith("Bà con phường Đông Thành lưu ý")
    by_id = {p["id"]: p for p in posts if "id" in p}
    assert by_id[f"{WATCHED}_4351358854743780"]["reactions"]["summary"]["total_count"] == -3
    assert by_id[f"{WATCHED}_3808941441626499"]["created_time"] == "1970-01-01T00:00:00+0000"
    assert by_id[f"{WATCHED}_5844594481265828"]["created_time"] == "2030-11-20T01:15:00+0000"


def test_an_edited_official_post_appears_on_two_feed_pages_with_different_messages(
    client: httpx.Client,
) -> None:
    pages = list(follow(client, f"/graph/v23.0/{OFFICIAL}/feed?access_token=demo-page-token"))
    seen = [
        (k, p)
        for k, page in enumerate(pages, 1)
        for p in page["data"]
        if p.get("id") == f"{OFFICIAL}_3157478593756938"
    ]
    assert [k for k, _ in seen] == [1, 2]
    (_, edited), (_, original) = seen
    assert edited["updated_time"] > original["updated_time"]
    assert "CẬP NHẬT 16H30" in edited["message"] and "CẬP NHẬT" not in original["message"]
    assert edited["created_time"] == original["created_time"]


def test_the_feed_is_ranked_not_chronological(client: httpx.Client) -> None:
    posts = graph_posts(client, OFFICIAL)
    assert posts[0]["id"] == f"{OFFICIAL}_5683363419445958"  # pinned warning about the impostor page
    assert posts[0]["created_time"] < posts[1]["created_time"]


def test_the_fire_video_is_reposted_under_a_new_id(client: httpx.Client) -> None:
    fire = [
        p
        for p in graph_posts(client, WATCHED)
        if p.get("message", "").startswith("🔥🔥 CHÁY LỚN Ở CHỢ ĐÔNG THÀNH")
    ]
    assert {p["id"] for p in fire} == {f"{WATCHED}_9582922426911424", f"{WATCHED}_5151261929965803"}


def test_a_shared_link_post_has_a_story_but_no_message(client: httpx.Client) -> None:
    post = next(p for p in graph_posts(client, WATCHED) if p.get("id") == f"{WATCHED}_3255741040681938")
    assert "message" not in post and post["story"]
    assert "fbclid=" in post["attachments"]["data"][0]["url"]


def test_watched_texts_carry_the_planted_hazards(client: httpx.Client) -> None:
    by_id = {p["id"]: p.get("message", "") for p in graph_posts(client, WATCHED) if "id" in p}
    nfd = [i for i, m in by_id.items() if unicodedata.normalize("NFC", m) != m]
    assert sorted(nfd) == sorted(
        f"{WATCHED}_{n}" for n in ("8034177653682670", "6707967007779257", "9285890851493742")
    )
    assert by_id[f"{WATCHED}_3782060787605302"].startswith("\ufeff")
    assert "Tân\u200bLập" in by_id[f"{WATCHED}_3782060787605302"]
    assert "\u200d" in by_id[f"{WATCHED}_6959148646836932"]
    assert "'; DROP TABLE posts;--" in by_id[f"{WATCHED}_6182546336170438"]
    assert "xa Tan Lap" in by_id[f"{WATCHED}_4167251512032045"]
    assert "Hoà Bình" in by_id[f"{WATCHED}_9668843226973540"]


def test_a_viral_negative_post_has_thousands_of_shares_and_most_have_far_fewer(client: httpx.Client) -> None:
    shares = sorted(p.get("shares", {}).get("count", 0) for p in graph_posts(client, WATCHED))
    assert shares[-1] >= 5000
    assert shares[len(shares) // 2] < 500


def test_impostor_posts_carry_scam_cues(client: httpx.Client) -> None:
    texts = [p["message"].lower() for p in graph_posts(client, IMPOSTER)]
    cues = ("chuyển khoản", "link đăng ký", "nhận hỗ trợ", "stk", "otp")
    assert sum(any(c in t for c in cues) for t in texts) >= 6
    info = client.get(f"/graph/v23.0/{IMPOSTER}?access_token=demo-app-token").json()
    assert info["name"] == "UBND Tinh Son Ha - Tin Tuc" and info["verification_status"] == "not_verified"


def test_official_comments_page_through_and_include_replies_from_the_page(client: httpx.Client) -> None:
    post = f"{OFFICIAL}_8242105788370060"  # the initial report on the market fire
    pages = list(follow(client, f"/graph/v23.0/{post}/comments?filter=toplevel&access_token=demo-page-token"))
    comments = [c for page in pages for c in page["data"]]
    assert len(pages) == 2 and len(comments) == 30
    replies = [r for c in comments for r in c.get("comments", {}).get("data", [])]
    assert replies and all(r["from"]["id"] == OFFICIAL for r in replies)
    assert any(c["comment_count"] == 0 for c in comments)
    assert all(c["from"]["id"] != OFFICIAL for c in comments)


def test_comments_of_a_post_without_recorded_comments_are_empty(client: httpx.Client) -> None:
    post = graph_posts(client, WATCHED)[0]["id"]
    resp = client.get(f"/graph/v23.0/{post}/comments?access_token=demo-app-token")
    assert resp.status_code == 200 and resp.json() == {"data": []}


# --------------------------------------------------------------------------- planted feed cases


def test_press_feeds_carry_the_planted_items(client: httpx.Client) -> None:
    vne = feed(client, "vnexpress.xml").entries
    empty = [e for e in vne if not e.get("title") and not e.get("summary")]
    assert [e.id for e in empty] == ["https://vnexpress.net/bai-viet-4204744.html"]
    assert any("utm_source=rss" in e.link for e in vne)

    dantri = {e.id: e for e in feed(client, "dantri.xml").entries}
    scripted = [e for e in dantri.values() if "<script>alert(1)</script>" in e.title]
    assert len(scripted) == 1
    garbled = dantri[f"{DANTRI}/truyen-6-don-vi-mau-cuu-san-phu-bang-huyet-sau-sinh-20261114104000623.htm"]
    assert "Ä‘Æ¡n" in garbled.title
    assert ftfy.fix_text(garbled.title) == "Truyền 6 đơn vị máu cứu sản phụ băng huyết sau sinh"

    bsh = feed(client, "baosonha.xml").entries
    ids = [e.id for e in bsh]
    assert ids.count("baosonha-927187") == 2
    legacy = next(e for e in bsh if e.id == "baosonha-679331")
    assert legacy.title == "Héi nghÞ tæng kÕt c«ng t¸c d©n vËn n¨m 2026"
    assert ftfy.fix_text(legacy.title) == legacy.title  # not mojibake: only a legacy-encoding fix helps
    assert any("Hoà Bình" in e.title for e in bsh)

    vov = {e.id: e for e in feed(client, "vov.atom").entries}
    nfd = vov["tag:vov.vn,2026:post4723839"]
    assert unicodedata.normalize("NFC", nfd.title) != nfd.title


def test_one_story_is_covered_by_several_outlets_under_different_headlines(client: httpx.Client) -> None:
    titles = [e.title for e in press_entries(client)]
    fire = {t for t in titles if "chợ Đông Thành" in t and ("Cháy" in t or "cháy" in t)}
    assert len(fire) >= 4


def test_relevance_negatives_name_our_places_elsewhere(client: httpx.Client) -> None:
    text = " ".join(f"{e.title} {e.summary}" for e in press_entries(client, ("vnexpress.xml", "dantri.xml")))
    for elsewhere in ("xã Sơn Hà, tỉnh Quảng Ngãi", "Thủy điện Hòa Bình", "xã Tân Lập, tỉnh Đồng Nai"):
        assert elsewhere in text
    assert "Thủy Nguyên" in text and "Hải Phòng" in text


def test_feeds_answer_304_to_their_recorded_validators(client: httpx.Client) -> None:
    for name in PRESS:
        first = client.get(f"/rss/{name}")
        assert first.headers["etag"] and first.headers["last-modified"]
        again = client.get(f"/rss/{name}", headers={"If-None-Match": first.headers["etag"]})
        assert again.status_code == 304 and again.content == b""


def test_the_tiktok_export_has_the_na_row() -> None:
    raw = (DATA_DIR / "imports" / "tiktok_sonha.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = tiktok_rows()
    assert list(rows[0]) == list(build_data.TIKTOK_COLUMNS)
    assert 18 <= len(rows) <= 25
    assert [r["Video ID"] for r in rows if r["Likes"] == "N/A"] == ["7207486890489108832"]


# --------------------------------------------------------------------------- YouTube


def test_the_youtube_feed_has_an_entry_without_video_id(client: httpx.Client) -> None:
    resp = client.get("/youtube/feeds/videos.xml", params={"channel_id": CHANNEL})
    entries = feedparser.parse(resp.content).entries
    missing = [e for e in entries if not e.get("yt_videoid")]
    assert len(missing) == 1 and missing[0].title.startswith("Trực tiếp - Lễ bế mạc")
    assert client.get("/youtube/feeds/videos.xml", params={"channel_id": "UCother"}).status_code == 404


def test_the_data_api_pages_uploads_and_reports_statistics(client: httpx.Client) -> None:
    uploads = yt_api(client, "channels", part="contentDetails", id=CHANNEL).json()
    assert uploads["items"][0]["contentDetails"]["relatedPlaylists"]["uploads"] == "UU" + CHANNEL[2:]
    ids = _video_ids(client)
    assert len(ids) == len(set(ids)) >= 24
    videos = yt_api(client, "videos", part="snippet,statistics", id=",".join(ids)).json()["items"]
    assert "UVYUW7uxWTd" in ids and "UVYUW7uxWTd" not in {v["id"] for v in videos}  # private video
    assert all(v["statistics"]["viewCount"].isdigit() for v in videos)


def test_comment_threads_have_channel_replies_and_one_video_has_comments_disabled(
    client: httpx.Client,
) -> None:
    disabled = yt_api(client, "commentThreads", part="snippet,replies", videoId="bzO1RRnHfrP")
    assert disabled.status_code == 403
    assert disabled.json()["error"]["errors"][0]["reason"] == "commentsDisabled"
    replies = []
    for vid in _video_ids(client):
        resp = yt_api(client, "commentThreads", part="snippet,replies", videoId=vid)
        if resp.status_code == 200:
            for t in resp.json()["items"]:
                replies += t.get("replies", {}).get("comments", [])
    assert replies and all(r["snippet"]["authorChannelId"]["value"] == CHANNEL for r in replies)


# --------------------------------------------------------------------------- Zalo and portal


def test_zalo_slices_reach_every_article_and_details_have_a_body(client: httpx.Client) -> None:
    ids = [m["id"] for m in zalo_medias(client)]
    assert len(ids) == len(set(ids)) == zalo(client, "getslice", offset=0, limit=10)["data"]["total"] >= 18
    detail = zalo(client, "getdetail", id=ids[0])
    assert detail["error"] == 0 and any(b["type"] == "text" for b in detail["data"]["body"])
    title = zalo(client, "getdetail", id="bdcd84c017ce2059fbeac0a74cf0adb4")["data"]["title"]
    assert unicodedata.normalize("NFC", title) != title


def _portal_listings(client: httpx.Client) -> list[str]:
    pages, url = [], "/portal/tin-tuc.html"
    while url:
        resp = client.get(url)
        assert resp.status_code == 200
        pages.append(resp.text)
        nxt = HTMLParser(resp.text).css_first("a.next")
        url = urljoin(str(resp.url), nxt.attributes["href"]) if nxt else ""
        assert len(pages) < 10
    return pages


def test_the_portal_listing_spans_pages_and_every_article_is_served(client: httpx.Client) -> None:
    pages = _portal_listings(client)
    assert len(pages) >= 2
    links = [
        (i, a.attributes["href"])
        for i, html in enumerate(pages, 1)
        for a in HTMLParser(html).css("article.news-item h3 a")
    ]
    base = "http://x/portal/tin-tuc.html"
    paths = [urlsplit(urljoin(base, href)).path for _, href in links]
    disallowed = [p for p in paths if p.startswith("/portal/quan-tri/")]
    assert disallowed == ["/portal/quan-tri/ban-nhap.html"]
    robots = client.get("/robots.txt").text
    assert "Disallow: /portal/quan-tri/" in robots
    articles = [p for p in paths if p.startswith("/portal/bai-viet/")]
    assert len(articles) >= 30
    letters = 0
    for path in articles:
        resp = client.get(path)
        assert resp.status_code == 200, path
        body = HTMLParser(resp.text).css_first("article.news-detail")
        assert body is not None and len(body.text()) > 200
        letters += "Nơi nhận" in body.text() and "Kính gửi" in body.text()
    assert letters == 4


# --------------------------------------------------------------------------- the builder's own checks


def test_a_corpus_typo_fails_naming_file_story_and_field(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(DATA_DIR / "corpus", corpus)
    with (corpus / "watched.yaml").open("a", encoding="utf-8") as f:
        f.write("\n- story: w-typo\n  fb:\n    - page: watched\n      at: 11-20 10:00\n      txet: hello\n")
    with pytest.raises(build_data.CorpusError, match=r"watched\.yaml: story 'w-typo' fb\[0\].*txet"):
        build_data.load_corpus(corpus)


def test_tcvn3_planting_matches_the_legacy_code_page() -> None:
    # Known TCVN3 renderings (as a Windows-1252 reader shows them): Thông báo, Mường Khương, Đường.
    assert build_data.tcvn3("Thông báo") == "Th«ng b¸o"
    assert build_data.tcvn3("Mường Khương") == "M\u00adêng Kh\u00ad¬ng"
    assert build_data.tcvn3("Đường") == "§\u00adêng"
