"""A real HTTP server on 127.0.0.1 that replays recorded responses.

Used by ``make demo`` (the recorded demo dataset) and by tests (scripted sequences:
429 then 200, a timeout, a malformed body...). Bodies may contain ``{{BASE_URL}}``,
replaced at serve time so recorded ``paging.next`` links point back at this server.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

DATA_DIR = Path(__file__).parent / "data"


@dataclass
class Response:
    status: int = 200
    body: bytes | str = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds to wait before answering (simulate a slow or hung server)
    content_type: str | None = None

    def payload(self, base_url: str) -> bytes:
        raw = self.body.encode("utf-8") if isinstance(self.body, str) else self.body
        return raw.replace(b"{{BASE_URL}}", base_url.encode("ascii"))


def json_response(obj: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return Response(
        status, json.dumps(obj, ensure_ascii=False), headers or {}, content_type="application/json"
    )


@dataclass
class Recorded:
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: bytes = b""


Handler = Callable[[Recorded], Response]


class FixtureServer:
    """Serve scripted routes; a route is a path (query ignored unless given) and a response sequence.

    ``script(path, [r1, r2])`` answers r1 to the first request, then r2 for every later one.
    ``route(path, fn)`` answers by calling ``fn(request)``. Unknown paths answer 404.
    Conditional GET: a response with an ``ETag`` answers 304 to a matching ``If-None-Match``.
    """

    def __init__(self, host: str = "127.0.0.1", port: int = 0) -> None:
        self._scripts: dict[str, list[Response]] = {}
        self._handlers: dict[str, Handler] = {}
        self._counts: dict[str, int] = {}
        self.requests: list[Recorded] = []
        self._lock = threading.Lock()
        server = self

        class _H(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, fmt: str, *args: Any) -> None:  # quiet
                return

            def do_GET(self) -> None:
                server._serve(self)

            def do_HEAD(self) -> None:
                server._serve(self, head=True)

            def do_POST(self) -> None:  # webhooks and bot APIs (e.g. Telegram sendMessage)
                server._serve(self)

        self.httpd = ThreadingHTTPServer((host, port), _H)
        self.httpd.daemon_threads = True
        self._thread: threading.Thread | None = None

    @property
    def base_url(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}"

    def url(self, path: str) -> str:
        return self.base_url + path

    def script(self, path: str, responses: list[Response]) -> None:
        with self._lock:
            self._scripts[path] = list(responses)
            self._counts[path] = 0

    def route(self, path: str, handler: Handler) -> None:
        with self._lock:
            self._handlers[path] = handler

    def hits(self, path: str) -> int:
        return sum(1 for r in self.requests if r.path == path)

    def start(self) -> FixtureServer:
        self._thread = threading.Thread(target=self.httpd.serve_forever, name="fixture-server", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def __enter__(self) -> FixtureServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _pick(self, req: Recorded) -> Response:
        with self._lock:
            # Most specific first: path with sorted query, then bare path, then prefix handlers.
            qkey = req.path + (
                "?" + "&".join(f"{k}={v}" for k, v in sorted(req.query.items())) if req.query else ""
            )
            for key in (qkey, req.path):
                if key in self._scripts:
                    seq = self._scripts[key]
                    i = self._counts[key]
                    self._counts[key] = i + 1
                    return seq[min(i, len(seq) - 1)]
            handler = self._handlers.get(req.path)
            if handler is None:
                prefixes = [p for p in self._handlers if p.endswith("/") and req.path.startswith(p)]
                handler = self._handlers[max(prefixes, key=len)] if prefixes else None
        if handler is not None:
            return handler(req)
        return Response(404, "not found", content_type="text/plain")

    def _serve(self, h: BaseHTTPRequestHandler, head: bool = False) -> None:
        parts = urlsplit(h.path)
        length = int(h.headers.get("Content-Length") or 0)
        req = Recorded(
            h.command,
            parts.path,
            dict(parse_qsl(parts.query, keep_blank_values=True)),
            {k.lower(): v for k, v in h.headers.items()},
            h.rfile.read(length) if length else b"",
        )
        self.requests.append(req)
        resp = self._pick(req)
        if resp.delay:
            time.sleep(resp.delay)
        body = resp.payload(self.base_url)
        status = resp.status
        headers = dict(resp.headers)
        etag = headers.get("ETag") or headers.get("etag")
        lm = headers.get("Last-Modified") or headers.get("last-modified")
        if status == 200 and (
            (etag and req.headers.get("if-none-match") == etag)
            or (lm and not etag and req.headers.get("if-modified-since") == lm)
        ):
            status, body = 304, b""
        try:
            h.send_response(status)
            if resp.content_type and not any(k.lower() == "content-type" for k in headers):
                headers["Content-Type"] = resp.content_type
            headers.setdefault("Date", formatdate(usegmt=True))
            for k, v in headers.items():
                h.send_header(k, v)
            h.send_header("Content-Length", str(len(body)))
            h.end_headers()
            if not head:
                h.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass
