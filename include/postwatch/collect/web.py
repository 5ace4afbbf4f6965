"""Portals without feeds: a listing page read with CSS selectors, article text by trafilatura.

robots.txt at the host root is fetched first and honoured (a disallowed path is never
requested; Crawl-delay spaces our requests). The listing is followed through ``next_page``
up to ``max_pages``; only articles newer than the watermark are fetched.
"""

from __future__ import annotations

import json
import logging
import re
import urllib.robotparser
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

import trafilatura
from selectolax.lexbor import LexborHTMLParser

from postwatch.collect.base import (
    OVERLAP,
    Collector,
    RawItem,
    SourceError,
    SourceState,
    advance,
    aware,
    cutoff_of,
    is_new,
    try_time,
)
from postwatch.collect.landing import LandedPayload
from postwatch.normalize.times import VN_FIXED
from postwatch.registry import WebSelectors

log = logging.getLogger(__name__)

_CHARSET = re.compile(r"charset\s*=\s*[\"']?([A-Za-z0-9_.:-]+)", re.I)
_META_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?([A-Za-z0-9_.:-]+)", re.I)


def declared_charset(content_type: str | None) -> str | None:
    m = _CHARSET.search(content_type or "")
    return m.group(1) if m else None


def html_input(body: bytes, content_type: str | None) -> str:
    """Page text: the charset the server or the page declares (when the bytes fit it), else
    UTF-8, else Windows-1258.

    Older Vietnamese portals still serve Windows-1258 without saying so; guessing UTF-8 there
    would turn every accented letter into a replacement character.
    """
    declared = [declared_charset(content_type)]
    m = _META_CHARSET.search(body[:4096])
    if m:
        declared.append(m.group(1).decode("ascii", errors="ignore"))
    for charset in filter(None, declared):
        try:
            return body.decode(charset)
        except (LookupError, UnicodeDecodeError):
            continue  # unknown or wrong label: fall through to the next guess
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        return body.decode("cp1258", errors="replace")


@dataclass
class Listed:
    """One entry of a listing page, as the selectors found it."""

    url: str
    title: str | None
    date: str | None
    published: str | None  # ISO, when ``date`` could be read

    def to_meta(self) -> dict[str, Any]:
        return self.__dict__.copy()


def read_date(text: str | None, fmt: str | None) -> datetime | None:
    """A listing date with the portal's strptime format (local time when no zone is given)."""
    if not text:
        return None
    text = " ".join(text.split())
    if fmt:
        try:
            dt = datetime.strptime(text, fmt)
        except ValueError:
            return None
        return (dt if dt.tzinfo else dt.replace(tzinfo=VN_FIXED)).astimezone(UTC)
    return try_time(text)


def read_listing(
    body: bytes, content_type: str | None, page_url: str, sel: WebSelectors
) -> tuple[list[Listed], str | None]:
    """The entries on one listing page and the absolute URL of the next page (if any)."""
    tree = LexborHTMLParser(html_input(body, content_type))
    items: list[Listed] = []
    for node in tree.css(sel.item):
        link = node.css_first(sel.link) if sel.link else None
        href = link.attributes.get("href") if link is not None else None
        if not href:
            continue
        title_node = node.css_first(sel.title) if sel.title else link
        date_node = node.css_first(sel.date) if sel.date else None
        title = title_node.text(strip=True) if title_node is not None else None
        date = date_node.text(strip=True) if date_node is not None else None
        when = read_date(date, sel.date_format)
        items.append(Listed(urljoin(page_url, href), title or None, date, when.isoformat() if when else None))
    nxt = None
    if sel.next_page:
        node = tree.css_first(sel.next_page)
        href = node.attributes.get("href") if node is not None else None
        nxt = urljoin(page_url, href) if href else None
    return items, nxt


class Robots:
    """robots.txt rules for one host (RFC 9309: 4xx means no rules, 5xx means stay away)."""

    def __init__(self, agent: str, status: int, body: bytes) -> None:
        self.agent = agent
        self.parser = urllib.robotparser.RobotFileParser()
        if status == 200:
            self.parser.parse(body.decode("utf-8", errors="replace").splitlines())
        else:
            self.parser.allow_all = True

    def allowed(self, url: str) -> bool:
        return self.parser.can_fetch(self.agent, url)

    def delay(self) -> float:
        d = self.parser.crawl_delay(self.agent)
        return float(d) if d else 0.0


class WebCollector(Collector):
    platform = "web"

    @property
    def selectors(self) -> WebSelectors:
        assert self.source.selectors is not None  # the registry requires them for platform web
        return self.source.selectors

    def _robots(self, state: SourceState, listing_url: str) -> Robots:
        parts = urlsplit(listing_url)
        url = f"{parts.scheme}://{parts.netloc}/robots.txt"
        try:
            resp, _ = self.get_landed(url, self.state_meta(state, "robots"), check=False)
        except SourceError as exc:
            raise SourceError(
                f"{self.describe()}: robots.txt of {parts.netloc} could not be read, so nothing was "
                f"crawled ({exc})"
            ) from exc
        if resp.status_code >= 500:
            raise SourceError(
                f"{self.describe()}: robots.txt of {parts.netloc} answered HTTP {resp.status_code}; "
                "crawlers must stay away until it answers"
            )
        return Robots(self.client.settings.user_agent, resp.status_code, resp.content)

    def _pace(self, url: str, robots: Robots) -> None:
        delay = min(robots.delay(), self.client.settings.http_backoff_cap)
        if delay:
            self.client.slow_down(url, delay)

    def fetch(self, state: SourceState) -> SourceState:
        sel = self.selectors
        url: str | None = str(self.source.url)
        robots = self._robots(state, url)
        wm = aware(state.watermark)
        cutoff = wm - OVERLAP if wm else None
        listed: dict[str, Listed] = {}
        visited: set[str] = set()
        for page in range(1, sel.max_pages + 1):
            if url is None or url in visited:
                break
            if not robots.allowed(url):
                if page == 1:
                    raise SourceError(f"{self.describe()}: robots.txt disallows the listing page {url}")
                log.info("%s: robots.txt disallows %s; listing stops", self.describe(), url)
                break
            visited.add(url)
            resp, _ = self.get_landed(url, self.state_meta(state, "listing", page=page))
            self._pace(url, robots)
            items, url = read_listing(resp.content, resp.headers.get("content-type"), str(resp.url), sel)
            if page == 1 and not items:
                raise SourceError(
                    f"{self.describe()}: selector {sel.item!r} matched nothing on {resp.url}; the portal's "
                    "layout may have changed, update the selectors in sources.yaml"
                )
            fresh = [i for i in items if is_new(cutoff, i.published)]
            for i in fresh:
                listed.setdefault(i.url, i)
            if not fresh:
                break  # listings are newest first: a page with nothing new ends the walk
        fetched, failed = self._articles(state, list(listed.values()), robots)
        # A failed article holds the watermark back so the next poll tries it again.
        hold = min((t for t in failed if t is not None), default=None)
        times = [t for t in fetched if t is not None and (hold is None or t < hold)]
        return SourceState(
            watermark=advance(state.watermark, times, datetime.now(UTC)),
            etag=state.etag,
            last_modified=state.last_modified,
            cursor=state.cursor,
        )

    def _articles(
        self, state: SourceState, entries: list[Listed], robots: Robots
    ) -> tuple[list[datetime | None], list[datetime | None]]:
        fetched: list[datetime | None] = []
        failed: list[datetime | None] = []
        for entry in entries:
            when = try_time(entry.published) if entry.published else None
            if not robots.allowed(entry.url):
                log.info("%s: robots.txt disallows %s; not fetched", self.describe(), entry.url)
                continue
            try:
                resp, _ = self.get_landed(
                    entry.url, self.state_meta(state, "article", listing=entry.to_meta()), check=False
                )
            except SourceError as exc:
                log.warning("%s", exc)
                failed.append(when)
                continue
            self._pace(entry.url, robots)
            (fetched if resp.status_code == 200 else failed).append(when)
        if entries and not fetched:
            raise SourceError(f"{self.describe()}: none of the {len(entries)} new articles could be fetched")
        return fetched, failed

    def parse(self, payload: LandedPayload) -> Iterator[RawItem]:
        if payload.meta.get("kind") != "article":
            return  # robots.txt and listing pages only lead to the articles
        listing = payload.meta.get("listing") if isinstance(payload.meta.get("listing"), dict) else {}
        url = listing.get("url") or payload.url
        if payload.status != 200:
            yield self.problem(
                payload,
                f"article page answered HTTP {payload.status}",
                item_id=url,
                url=url,
                title=listing.get("title"),
            )
            return
        doc = self.extract(payload, url)
        published = listing.get("published") or doc.get("date")
        if not published and listing.get("date"):
            yield self.problem(
                payload,
                f"listing date {listing['date']!r} does not match date_format "
                f"{self.selectors.date_format!r} and the article names no date",
                item_id=url,
                url=url,
                title=listing.get("title"),
            )
            return
        if not is_new(cutoff_of(payload), published):
            return
        yield self.raw_item(
            payload,
            url,
            url=url,
            title=listing.get("title") or doc.get("title"),
            text=doc.get("text"),
            author=doc.get("author"),
            published=published,
            native={"listing": listing, "extracted": {k: v for k, v in doc.items() if k != "raw_text"}},
        )

    @staticmethod
    def extract(payload: LandedPayload, url: str) -> dict[str, Any]:
        """Main text and metadata of an article page (trafilatura); empty when nothing is found."""
        src = html_input(payload.body, payload.headers.get("content-type"))
        out = trafilatura.extract(
            src, url=url, output_format="json", with_metadata=True, include_comments=False
        )
        if not out:
            return {}
        doc = json.loads(out)
        return doc if isinstance(doc, dict) else {}
