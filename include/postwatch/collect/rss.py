"""RSS and Atom feeds: conditional GET, feedparser on the bytes we fetched, "not a feed" caught.

feedparser is lenient to a fault: an HTML error page or an empty body comes back as a valid
feed with no entries. ``feed_problem`` turns those into a source error so a dead feed never
looks like a quiet day.
"""

from __future__ import annotations

import calendar
import io
import logging
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import feedparser

from postwatch.collect.base import (
    Collector,
    RawItem,
    SourceError,
    SourceState,
    advance,
    cutoff_of,
    is_new,
    try_time,
)
from postwatch.collect.landing import LandedPayload

log = logging.getLogger(__name__)

HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
_TAG = re.compile(r"<\s*/?\s*[a-zA-Z][^>]*>")
_XML_DECL_ENCODING = re.compile(rb"""(<\?xml[^>]*?encoding\s*=\s*["'])[^"']+(["'])""")
_HTML_TITLE = re.compile(rb"<title[^>]*>(.*?)</title>|<h1[^>]*>(.*?)</h1>", re.I | re.S)
# feedparser falls back to these when the declared charset fails; for Vietnamese feeds the
# real charset is almost always Windows-1258, whose Vietnamese letters 1252 turns into mojibake.
_LATIN_FALLBACKS = frozenset({"windows-1252", "iso-8859-1", "iso-8859-2"})


def parse_feed(body: bytes, content_type: str | None = None) -> Any:
    """feedparser on the fetched bytes; mislabelled Windows-1258 is re-read.

    The bytes go in as a stream: given bytes or str, feedparser would first try them as a
    file name or URL, and a body like ``/etc/passwd`` must never be opened.
    """
    headers = {"content-type": content_type} if content_type else {}
    parsed = feedparser.parse(io.BytesIO(body), response_headers=headers)
    exc = parsed.get("bozo_exception")
    if (
        isinstance(exc, feedparser.CharacterEncodingOverride)
        and str(parsed.get("encoding", "")).lower() in _LATIN_FALLBACKS
    ):
        text = body.decode("cp1258", errors="replace")
        fixed = _XML_DECL_ENCODING.sub(rb"\1utf-8\2", text.encode("utf-8"), count=1)
        reparsed = feedparser.parse(io.BytesIO(fixed))
        if reparsed.get("version") and len(reparsed.entries) >= len(parsed.entries):
            log.warning("feed declared a charset it does not use; read it as Windows-1258")
            return reparsed
    return parsed


def _html_hint(body: bytes) -> str:
    m = _HTML_TITLE.search(body[:20_000])
    if not m:
        return ""
    raw = (m.group(1) or m.group(2) or b"").decode("utf-8", errors="replace")
    text = re.sub(r"\s+", " ", _TAG.sub(" ", raw)).strip()
    return f" ({text[:80]!r})" if text else ""


def feed_problem(parsed: Any, body: bytes, content_type: str | None = None) -> str | None:
    """Why a 200 answer is not a usable feed, or None when it is one (an empty feed is fine)."""
    if not body.strip():
        return "not a feed: the server answered an empty body"
    if not parsed.get("version"):
        exc = parsed.get("bozo_exception")
        head = body.lstrip()[:200].lower()
        if b"<html" in head or b"<!doctype html" in head:
            return f"not a feed: the server answered an HTML page{_html_hint(body)}"
        what = f" ({content_type})" if content_type else ""
        return f"not a feed: the answer{what} is neither RSS nor Atom" + (f": {exc}" if exc else "")
    if parsed.get("bozo") and not parsed.entries:
        return f"malformed feed: {parsed.get('bozo_exception')} (no entry could be read)"
    return None


def _struct_iso(st: Any) -> str | None:
    if not st:
        return None
    try:
        return datetime.fromtimestamp(calendar.timegm(st), tz=UTC).isoformat()
    except (OverflowError, TypeError, ValueError):
        return None


def entry_time(entry: Any, key: str) -> str | None:
    """The entry's time as written; feedparser's reading when ours would fail (odd date formats)."""
    raw = entry.get(key)
    if raw and try_time(raw) is None:
        return _struct_iso(entry.get(f"{key}_parsed")) or raw
    return raw or None


def _is_html(entry: Any, title: str | None) -> bool:
    details = [entry.get("title_detail"), entry.get("summary_detail"), *(entry.get("content") or [])]
    if any(isinstance(d, dict) and d.get("type") in HTML_TYPES for d in details):
        return True
    return bool(title and _TAG.search(title))


class RssCollector(Collector):
    """One feed URL; ETag / Last-Modified make an unchanged feed cost one 304."""

    platform = "rss"

    def feed_url(self) -> str:
        return str(self.source.url)

    def feed_params(self) -> dict[str, Any] | None:
        return None

    def fetch(self, state: SourceState) -> SourceState:
        headers: dict[str, str] = {}
        if state.etag:
            headers["If-None-Match"] = state.etag
        if state.last_modified:
            headers["If-Modified-Since"] = state.last_modified
        resp, _ = self.get_landed(
            self.feed_url(), self.state_meta(state, "feed"), params=self.feed_params(), headers=headers
        )
        if resp.status_code == 304:
            return state
        content_type = resp.headers.get("content-type")
        parsed = parse_feed(resp.content, content_type)
        problem = feed_problem(parsed, resp.content, content_type)
        if problem:
            raise SourceError(f"{self.describe()}: {problem} at {self.feed_url()}")
        times = [try_time(entry_time(e, "published") or entry_time(e, "updated")) for e in parsed.entries]
        return SourceState(
            watermark=advance(state.watermark, times, datetime.now(UTC)),
            etag=resp.headers.get("etag"),
            last_modified=resp.headers.get("last-modified"),
            cursor=state.cursor,
        )

    def parse(self, payload: LandedPayload) -> Iterator[RawItem]:
        if payload.status != 200:
            return  # an error answer is the source's failure, recorded at fetch time
        content_type = payload.headers.get("content-type")
        parsed = parse_feed(payload.body, content_type)
        problem = feed_problem(parsed, payload.body, content_type)
        if problem:
            yield self.problem(payload, problem)
            return
        cutoff = cutoff_of(payload)
        for n, entry in enumerate(parsed.entries, 1):
            try:
                item = self.entry_item(payload, entry)
            except (AttributeError, KeyError, TypeError, ValueError, IndexError) as exc:
                yield self.problem(payload, f"feed entry {n} could not be read: {exc}")
                continue
            if is_new(cutoff, item.published, item.updated):
                yield item

    def entry_item(self, payload: LandedPayload, entry: Any) -> RawItem:
        title = entry.get("title")
        content = entry.get("content") or []
        text = content[0].get("value") if content else entry.get("summary")
        updated = entry_time(entry, "updated")
        return self.raw_item(
            payload,
            entry.get("id") or entry.get("link"),
            url=entry.get("link"),
            title=title,
            text=text,
            is_html=_is_html(entry, title),
            author=entry.get("author"),
            published=entry_time(entry, "published") or updated,
            updated=updated,
            native=_native(entry),
        )


def _native(entry: Any) -> dict[str, Any]:
    """The entry's own fields, JSON-friendly (feedparser's parsed time structs left out)."""
    out: dict[str, Any] = {k: v for k, v in entry.items() if isinstance(v, (str, int, float))}
    tags = [t.get("term") for t in entry.get("tags") or [] if isinstance(t, dict) and t.get("term")]
    if tags:
        out["tags"] = tags
    return out
