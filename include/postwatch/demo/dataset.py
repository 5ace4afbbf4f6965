"""Serve the recorded demo dataset (``demo/data``) the way each platform answers.

``mount_demo(server)`` registers every demo source of ``include/config/sources.yaml`` on a
:class:`FixtureServer`: the Graph API (feeds with ``paging.next``, comments, page info, token
checks), YouTube (channel feed and Data API v3 with key checks), the Zalo OA article API (header
token), the provincial portal (listing pages, articles, robots.txt) and the press feeds (with
ETag / Last-Modified for conditional GET). Only recorded files are served; the handlers pick the
file a request names and answer the platform's own errors for bad tokens, keys and ids.
Rebuild the files with ``python -m postwatch.demo.build_data``.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, quote, urlsplit

from postwatch.demo.env import DEMO_TOKENS
from postwatch.demo.server import FixtureServer, Recorded, Response, json_response

DATA_DIR = Path(__file__).parent / "data"
DEMO_YOUTUBE_KEY = "demo-youtube-key"
GRAPH_TOKENS = frozenset({DEMO_TOKENS["fb_ubnd_sonha"], DEMO_TOKENS["fb_ppca_app"]})
ZALO_TOKEN = DEMO_TOKENS["zalo_oa_sonha"]
TOKEN_PLACEHOLDER = b"{{ACCESS_TOKEN}}"
JSON_TYPE = "application/json; charset=UTF-8"
HTML_TYPE = "text/html; charset=utf-8"
FEED_TYPES = {".xml": "application/rss+xml; charset=utf-8", ".atom": "application/atom+xml; charset=utf-8"}


def mount_demo(server: FixtureServer, data_dir: Path = DATA_DIR) -> None:
    """Register the routes of every demo source on ``server`` (files are read once, here)."""
    if not (data_dir / "graph").is_dir():
        raise FileNotFoundError(f"{data_dir}: no recorded demo data; run python -m postwatch.demo.build_data")
    server.route("/graph/", GraphApi(data_dir / "graph").handle)
    server.route("/youtube/", YouTubeApi(data_dir / "youtube").handle)
    server.route("/zalo/", ZaloApi(data_dir / "zalo").handle)
    portal = Portal(data_dir / "portal")
    server.route("/portal/", portal.handle)
    server.route("/robots.txt", portal.robots)
    for path, response in press_feeds(data_dir / "rss").items():
        server.script(path, [response])


# --------------------------------------------------------------------------- Facebook Graph


def graph_error(
    code: int, message: str, kind: str = "OAuthException", subcode: int | None = None
) -> Response:
    err: dict[str, Any] = {"message": message, "type": kind, "code": code}
    if subcode is not None:
        err["error_subcode"] = subcode
    err["fbtrace_id"] = "AdemoTrace" + str(code)
    return json_response({"error": err}, status=400)


class GraphApi:
    """``/graph/<version>/<node>[/<edge>]`` for the three recorded pages and their posts."""

    PATH = re.compile(r"/graph/v\d+\.\d+/([^/]+)(?:/([a-z_]+))?/?")

    def __init__(self, root: Path) -> None:
        self.bodies: dict[tuple[str, str, str | None], bytes] = {}
        self.pages: dict[str, bytes] = {p.stem: p.read_bytes() for p in (root / "pages").glob("*.json")}
        self.posts: set[str] = set()
        for page_id in self.pages:
            self._load_chain(page_id, "feed", sorted((root / page_id).glob("feed-*.json"), key=_page_no))
        for first in (root / "comments").glob("*_*.json"):
            if "-" in first.stem:
                continue
            rest = sorted(first.parent.glob(f"{first.stem}-*.json"), key=_page_no)
            self._load_chain(first.stem, "comments", [first, *rest])

    def _load_chain(self, node: str, edge: str, files: list[Path]) -> None:
        after: str | None = None
        for f in files:
            body = f.read_bytes()
            self.bodies[(node, edge, after)] = body
            page = json.loads(body)
            if edge == "feed":
                self.posts.update(p["id"] for p in page["data"] if "id" in p)
            nxt = page.get("paging", {}).get("next")
            after = parse_qs(urlsplit(nxt).query)["after"][0] if nxt else None

    def handle(self, req: Recorded) -> Response:
        m = self.PATH.fullmatch(req.path)
        if not m:
            return graph_error(2500, "Unknown path components: " + req.path)
        token = req.query.get("access_token") or _bearer(req.headers.get("authorization", ""))
        if not token:
            return graph_error(190, "Invalid OAuth access token - Cannot parse access token")
        if token not in GRAPH_TOKENS:
            return graph_error(
                190,
                "Error validating access token: Session has expired on Sunday, 22-Nov-26 17:00:00 PST.",
                subcode=463,
            )
        node, edge = m.group(1), m.group(2)
        known = node in self.pages or node in self.posts
        if not known:
            return graph_error(
                100,
                f"Unsupported get request. Object with ID '{node}' does not exist, cannot be loaded due to "
                "missing permissions, or does not support this operation.",
                kind="GraphMethodException",
                subcode=33,
            )
        if edge is None:
            if node in self.pages:
                return self._ok(self.pages[node], token, node)
            return graph_error(100, "(#100) Post fields are not recorded in the demo; use the feed edge")
        if edge in ("posts", "published_posts"):
            edge = "feed"
        if (edge == "feed") != (node in self.pages) or edge not in ("feed", "comments"):
            kind = "Page" if node in self.pages else "Post"
            return graph_error(
                100, f"(#100) Tried accessing nonexisting field ({edge}) on node type ({kind})"
            )
        after = req.query.get("after")
        body = self.bodies.get((node, edge, after))
        if body is None:
            if after is not None:
                return graph_error(100, "(#100) The after cursor is invalid or expired")
            body = b'{"data": []}'
        return self._ok(body, token, node)

    def _ok(self, body: bytes, token: str, node: str) -> Response:
        usage = json.dumps({"call_count": 3, "total_cputime": 1, "total_time": 2})
        headers = {"X-App-Usage": usage, "Cache-Control": "private, no-cache, no-store, must-revalidate"}
        page_id = node.split("_", 1)[0]
        if token == DEMO_TOKENS["fb_ubnd_sonha"]:
            headers["X-Business-Use-Case-Usage"] = json.dumps(
                {
                    page_id: [
                        {
                            "type": "pages",
                            "call_count": 2,
                            "total_cputime": 1,
                            "total_time": 1,
                            "estimated_time_to_regain_access": 0,
                        }
                    ]
                }
            )
        payload = body.replace(TOKEN_PLACEHOLDER, quote(token, safe="").encode("ascii"))
        return Response(200, payload, headers, content_type=JSON_TYPE)


def _bearer(value: str) -> str | None:
    parts = value.split()
    return parts[1] if len(parts) == 2 and parts[0].lower() in ("bearer", "oauth") else None


def _page_no(path: Path) -> int:
    m = re.search(r"-(\d+)$", path.stem)
    return int(m.group(1)) if m else 1


# --------------------------------------------------------------------------- YouTube


def youtube_error(status: int, reason: str, message: str) -> Response:
    errors = [
        {"message": message, "domain": "global" if status != 404 else "youtube.common", "reason": reason}
    ]
    return json_response({"error": {"code": status, "message": message, "errors": errors}}, status=status)


class YouTubeApi:
    """The channel's Atom feed and the Data API v3 resources the collectors call."""

    def __init__(self, root: Path) -> None:
        self.feeds = {p.stem: p.read_bytes() for p in (root / "feeds").glob("*.xml")}
        api = root / "v3"
        self.channels = json.loads((api / "channels.json").read_bytes())
        self.uploads = self.channels["items"][0]["contentDetails"]["relatedPlaylists"]["uploads"]
        self.playlist: dict[str | None, bytes] = {}
        token: str | None = None
        for f in sorted(api.glob("playlistItems-*.json"), key=_page_no):
            body = f.read_bytes()
            self.playlist[token] = body
            token = json.loads(body).get("nextPageToken")
        videos = json.loads((api / "videos.json").read_bytes())
        self.videos_envelope = {k: v for k, v in videos.items() if k != "items"}
        self.videos = {v["id"]: v for v in videos["items"]}
        self.listed = {
            item["contentDetails"]["videoId"]
            for body in self.playlist.values()
            for item in json.loads(body)["items"]
        }
        self.threads = {p.stem: p.read_bytes() for p in (api / "commentThreads").glob("*.json")}

    def handle(self, req: Recorded) -> Response:
        if req.path == "/youtube/feeds/videos.xml":
            feed = self.feeds.get(req.query.get("channel_id", ""))
            if feed is None:
                return Response(
                    404, "<html><body>Error 404 (Not Found)</body></html>", content_type=HTML_TYPE
                )
            return Response(200, feed, content_type="text/xml; charset=UTF-8")
        m = re.fullmatch(r"/youtube/youtube/v3/([A-Za-z]+)", req.path)
        if not m:
            return youtube_error(404, "notFound", "Not Found")
        key = req.query.get("key")
        if not key:
            return youtube_error(403, "forbidden", "The request is missing a valid API key.")
        if key != DEMO_YOUTUBE_KEY:
            return youtube_error(400, "keyInvalid", "API key not valid. Please pass a valid API key.")
        resource = m.group(1)
        if resource == "channels":
            return self._channels(req)
        if resource == "playlistItems":
            return self._playlist(req)
        if resource == "videos":
            return self._videos(req)
        if resource == "commentThreads":
            return self._threads(req)
        return youtube_error(404, "notFound", f"Method {resource} is not recorded in the demo")

    def _channels(self, req: Recorded) -> Response:
        wanted = set(req.query.get("id", "").split(","))
        items = [c for c in self.channels["items"] if c["id"] in wanted]
        return json_response(
            {**self.channels, "pageInfo": {"totalResults": len(items), "resultsPerPage": 5}, "items": items}
        )

    def _playlist(self, req: Recorded) -> Response:
        if req.query.get("playlistId") != self.uploads:
            return youtube_error(
                404,
                "playlistNotFound",
                "The playlist identified with the request's playlistId parameter cannot be found.",
            )
        body = self.playlist.get(req.query.get("pageToken") or None)
        if body is None:
            return youtube_error(400, "invalidPageToken", "The request specifies an invalid page token.")
        return Response(200, body, content_type=JSON_TYPE)

    def _videos(self, req: Recorded) -> Response:
        ids = [i for i in req.query.get("id", "").split(",") if i]
        items = [self.videos[i] for i in ids if i in self.videos]
        page = {
            **self.videos_envelope,
            "items": items,
            "pageInfo": {"totalResults": len(items), "resultsPerPage": len(items)},
        }
        return json_response(page)

    def _threads(self, req: Recorded) -> Response:
        vid = req.query.get("videoId", "")
        if f"{vid}.error" in self.threads:
            return Response(403, self.threads[f"{vid}.error"], content_type=JSON_TYPE)
        if vid in self.threads:
            return Response(200, self.threads[vid], content_type=JSON_TYPE)
        if vid in self.videos:
            empty = {
                "kind": "youtube#commentThreadListResponse",
                "pageInfo": {"totalResults": 0, "resultsPerPage": 100},
                "items": [],
            }
            return json_response(empty)
        return youtube_error(
            404, "videoNotFound", "The video identified by the videoId parameter could not be found."
        )


# --------------------------------------------------------------------------- Zalo OA


class ZaloApi:
    """``/zalo/v2.0/article/getslice`` and ``getdetail``; the token travels in a header."""

    def __init__(self, root: Path) -> None:
        self.medias: list[dict[str, Any]] = json.loads((root / "articles.json").read_bytes())["medias"]
        self.details = {p.stem: p.read_bytes() for p in (root / "detail").glob("*.json")}

    def handle(self, req: Recorded) -> Response:
        if req.headers.get("access_token") != ZALO_TOKEN:
            return json_response({"error": -216, "message": "Access token is invalid"})
        if req.path == "/zalo/v2.0/article/getslice":
            try:
                start = max(0, int(req.query.get("offset", "0")))
                limit = min(10, max(1, int(req.query.get("limit", "10"))))
            except ValueError:
                return json_response({"error": -201, "message": "Parameters invalid"})
            data = {"medias": self.medias[start : start + limit], "total": len(self.medias)}
            return json_response({"error": 0, "message": "Success", "data": data})
        if req.path == "/zalo/v2.0/article/getdetail":
            body = self.details.get(req.query.get("id", ""))
            if body is None:
                return json_response({"error": -201, "message": "Article is not exist"})
            return Response(200, body, content_type=JSON_TYPE)
        return json_response({"error": -14003, "message": "Unknown api"}, status=404)


# --------------------------------------------------------------------------- portal


NOT_FOUND = (
    "<!DOCTYPE html><html lang=vi><head><title>Không tìm thấy trang</title></head>"
    "<body><h1>404</h1></body></html>"
)


class Portal:
    """The provincial portal: ``tin-tuc.html[?page=N]``, ``bai-viet/<slug>.html``, robots.txt."""

    def __init__(self, root: Path) -> None:
        self.files = {str(p.relative_to(root)): p.read_bytes() for p in root.rglob("*.html")}
        self.robots_txt = (root / "robots.txt").read_bytes()

    def handle(self, req: Recorded) -> Response:
        rel = req.path.removeprefix("/portal/")
        if rel == "tin-tuc.html":
            page = req.query.get("page", "1")
            rel = "tin-tuc.html" if page in ("", "1") else f"tin-tuc-{page}.html"
        body = self.files.get(rel)
        if body is None:
            return Response(404, NOT_FOUND, content_type=HTML_TYPE)
        return Response(200, body, content_type=HTML_TYPE)

    def robots(self, _req: Recorded) -> Response:
        return Response(200, self.robots_txt, content_type="text/plain; charset=utf-8")


# --------------------------------------------------------------------------- press feeds


def press_feeds(root: Path) -> dict[str, Response]:
    """Each recorded feed with its recorded validators; ``vtc.rss`` is an HTML error page (200)."""
    headers: dict[str, dict[str, str]] = json.loads((root / "headers.json").read_bytes())
    feeds = {}
    for path in sorted(root.iterdir()):
        if path.name == "headers.json":
            continue
        ctype = FEED_TYPES.get(path.suffix, HTML_TYPE)
        feeds[f"/rss/{path.name}"] = Response(
            200, path.read_bytes(), dict(headers.get(path.name, {})), content_type=ctype
        )
    return feeds
