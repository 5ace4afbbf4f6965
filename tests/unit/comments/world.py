"""A crafted world for comment runs: a registry with one official Facebook page and one YouTube
channel, their posts in the warehouse, and a fixture server answering the Graph and Data APIs."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from postwatch.demo.server import FixtureServer, Recorded, Response, json_response
from postwatch.normalize.text import content_hash
from postwatch.normalize.times import local_date
from postwatch.pipeline.collect import prepare
from postwatch.warehouse.load import RunRecord, load_batch

UNITS = """units:
  - {id: sonha, name: Ủy ban nhân dân tỉnh Sơn Hà, level: province, aliases: [Sơn Hà]}
  - {id: sonha.tanlap, name: Ủy ban nhân dân xã Tân Lập, level: commune, parent: sonha}
"""

SOURCES = """sources:
  - {{id: fb-ubnd, name: UBND tỉnh Sơn Hà, unit: sonha, platform: facebook, kind: official, page_id: "1000",
     conn_id: fb_page, api_base: "{base}/graph"}}
  - {{id: yt-tv, name: Truyền hình Sơn Hà, unit: sonha, platform: youtube, kind: official,
     channel_id: UC_ours, conn_id: yt_key, api_base: "{base}/yt"}}
  - {{id: fb-watched, name: Sơn Hà 24h, platform: facebook, kind: watched, page_id: "3000",
     conn_id: fb_page, api_base: "{base}/graph"}}
"""
TOKENS = {"fb_page": "page-token-secret", "yt_key": "yt-key-secret"}
HASH_KEY = "a-test-hash-key-0123456789"
NOW = datetime.now(UTC)
OLD = NOW - timedelta(hours=30)
YOUNG = NOW - timedelta(hours=2)
NAMES = ["Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường", "@nguoixem01", "@nguoixem02"]


def graph_time(t: datetime, minutes: int = 0) -> str:
    return (t + timedelta(minutes=minutes)).strftime("%Y-%m-%dT%H:%M:%S+0000")


def yt_time(t: datetime, minutes: int = 0) -> str:
    return (t + timedelta(minutes=minutes)).strftime("%Y-%m-%dT%H:%M:%SZ")


def fb_comment(cid: str, text: str, when: str, who: tuple[str, str], **extra: Any) -> dict[str, Any]:
    return {
        "id": cid,
        "message": text,
        "created_time": when,
        "from": {"id": who[0], "name": who[1]},
        "comment_count": 0,
        **extra,
    }


AN, BINH, CUONG = ("501", NAMES[0]), ("502", NAMES[1]), ("503", NAMES[2])
PAGE = ("1000", "UBND tỉnh Sơn Hà")

# Post 1000_1, page 1 (replies nested, as Graph nests them with a comments{} field) and page 2
# (flat filter=stream, replies naming their parent).
FB_PAGE_1 = {
    "data": [
        fb_comment(
            "1_c1",
            "Bao giờ thì đường Trần Hưng Đạo thông xe?",
            graph_time(OLD),
            AN,
            comment_count=1,
            comments={"data": [fb_comment("1_c1r", "Từ 16h30 đã thông xe.", graph_time(OLD, 40), PAGE)]},
        ),
        fb_comment("1_c2", "Cho hoi khi nao co ket qua xet tuyen", graph_time(OLD, 5), BINH),
        fb_comment("1_c3", "Phản ánh: rác để cả tuần không ai giải quyết", graph_time(OLD, 10), CUONG),
    ],
    "paging": {
        "next": "{{BASE_URL}}/graph/v23.0/1000_1/comments?limit=3&filter=stream"
        "&access_token=page-token-secret&after=CURSOR2"
    },
}
FB_PAGE_2 = {
    "data": [
        fb_comment("1_c3r", "Chỗ tôi cũng vậy", graph_time(OLD, 20), BINH, parent={"id": "1_c3"}),
        fb_comment("1_c4", "Cảm ơn trang đã thông tin kịp thời.", graph_time(OLD, 30), BINH),
        fb_comment("1_c5", "Tại sao chưa có thông báo?", graph_time(YOUNG), AN),
        {"id": "1_c6", "message": "Không có thời gian", "from": {"id": "504", "name": "Phạm Thị Dung"}},
    ],
    "paging": {"cursors": {"before": "CURSOR2"}},
}
DELETED = {
    "error": {
        "message": "Unsupported get request. Object with ID '1000_2' does not exist",
        "type": "GraphMethodException",
        "code": 100,
        "error_subcode": 33,
    }
}


def yt_comment(cid: str, text: str, when: str, channel: str, name: str) -> dict[str, Any]:
    return {
        "kind": "youtube#comment",
        "id": cid,
        "snippet": {
            "videoId": "vid1",
            "textDisplay": text,
            "textOriginal": text,
            "authorDisplayName": name,
            "authorProfileImageUrl": f"https://yt3.ggpht.com/{name}",
            "authorChannelUrl": f"http://www.youtube.com/{name}",
            "authorChannelId": {"value": channel},
            "likeCount": 3,
            "publishedAt": when,
            "updatedAt": when,
        },
    }


def yt_thread(top: dict[str, Any], replies: list[dict[str, Any]]) -> dict[str, Any]:
    thread: dict[str, Any] = {
        "kind": "youtube#commentThread",
        "id": top["id"],
        "snippet": {"videoId": "vid1", "topLevelComment": top, "totalReplyCount": len(replies)},
    }
    if replies:
        thread["replies"] = {"comments": replies}
    return thread


YT_THREADS = {
    "kind": "youtube#commentThreadListResponse",
    "items": [
        yt_thread(
            yt_comment("t1", "Khi nào phát sóng lại chương trình này?", yt_time(OLD), "UC_viewer1", NAMES[3]),
            [yt_comment("t1.r1", "Thứ Bảy tuần này ạ.", yt_time(OLD, 60), "UC_ours", "Truyền hình Sơn Hà")],
        ),
        yt_thread(
            yt_comment(
                "t2", "Đề nghị làm rõ trách nhiệm vụ cháy chợ", yt_time(OLD, 5), "UC_viewer2", NAMES[4]
            ),
            [],
        ),
    ],
}
DISABLED = {
    "error": {
        "code": 403,
        "message": "The video has disabled comments.",
        "errors": [{"reason": "commentsDisabled", "domain": "youtube.commentThread"}],
    }
}


def graph(req: Recorded) -> Response:
    if req.query.get("access_token") != TOKENS["fb_page"]:
        return json_response(
            {
                "error": {
                    "message": "Error validating access token",
                    "type": "OAuthException",
                    "code": 190,
                    "error_subcode": 463,
                }
            },
            400,
        )
    if req.path.endswith("/1000_1/comments"):
        return json_response(FB_PAGE_2 if req.query.get("after") == "CURSOR2" else FB_PAGE_1)
    if req.path.endswith("/1000_2/comments"):
        return json_response(DELETED, 400)
    return json_response({"data": []})


def youtube(req: Recorded) -> Response:
    if req.query.get("key") != TOKENS["yt_key"]:
        return json_response(
            {"error": {"code": 400, "message": "API key not valid.", "errors": [{"reason": "keyInvalid"}]}},
            400,
        )
    if req.query.get("videoId") == "vid1":
        return json_response(YT_THREADS)
    return json_response(DISABLED, 403)


def post(source_id: str, platform: str, post_id: str, url: str) -> dict[str, object]:
    when = NOW - timedelta(days=1)
    text = f"Bài chính thức {post_id}"
    return {
        "platform": platform,
        "post_id": post_id,
        "source_id": source_id,
        "unit_id": "sonha",
        "kind": "official",
        "url": url,
        "title": None,
        "text": text,
        "author": None,
        "author_id": None,
        "published_at": when,
        "updated_at": None,
        "local_date": local_date(when),
        "lang": "vi",
        "likes": 1,
        "comments": 1,
        "shares": 0,
        "views": None,
        "content_hash": content_hash("", text),
        "story_key": post_id,
        "encoding_fix": None,
        "title_original": None,
        "text_original": None,
        "fetched_at": when,
        "landing_ref": None,
    }


def base_posts() -> list[dict[str, object]]:
    return [
        post("fb-ubnd", "facebook", "1000_1", "https://www.facebook.com/ubndtinhsonha/posts/1"),
        post("fb-ubnd", "facebook", "1000_2", "https://www.facebook.com/ubndtinhsonha/posts/2"),
        post("yt-tv", "youtube", "vid1", "https://www.youtube.com/watch?v=vid1"),
        post("yt-tv", "youtube", "vid2", "https://www.youtube.com/watch?v=vid2"),
    ]


def make_world(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    srv: FixtureServer,
    posts: Callable[[], list] = base_posts,
) -> Path:
    cfg = tmp_path / "config"
    cfg.mkdir()
    (cfg / "units.yaml").write_text(UNITS, encoding="utf-8")
    (cfg / "sources.yaml").write_text(SOURCES.format(base=srv.base_url), encoding="utf-8")
    monkeypatch.setenv("POSTWATCH_CONFIG_DIR", str(cfg))
    srv.route("/graph/", graph)
    srv.route("/yt/", youtube)
    prepare()
    rows = posts()
    for sid in sorted({str(r["source_id"]) for r in rows}):
        load_batch([r for r in rows if r["source_id"] == sid], [], RunRecord(run_id="seed", source_id=sid))
    return cfg
