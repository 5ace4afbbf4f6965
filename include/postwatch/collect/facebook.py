"""Facebook page feed through the Graph API.

A page the unit administers is read with its page token; a watched page needs the app's
Page Public Content Access. When neither is possible, the page's posts come in through the
file import. The feed is ranked, not chronological: we follow ``paging.next`` up to a page
cap and filter by time instead of stopping at the first old post.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from urllib.parse import parse_qsl, urlsplit, urlunsplit

import httpx

from postwatch.collect import graph_errors as ge
from postwatch.collect.base import (
    AuthFailed,
    Collector,
    RateLimited,
    RawItem,
    SourceError,
    SourceState,
    advance,
    aware,
    cutoff_of,
    is_new,
    try_time,
)
from postwatch.collect.http import SECRET_PARAMS
from postwatch.collect.landing import LandedPayload
from postwatch.registry import Kind
from postwatch.tokens import env_var_for

log = logging.getLogger(__name__)

FIELDS = (
    "id,message,story,created_time,updated_time,permalink_url,from{id,name},shares,"
    "reactions.summary(total_count).limit(0),comments.summary(total_count).limit(0),"
    "attachments{title,description,url,type}"
)
PAGE_LIMIT = 100  # the Graph API's maximum for a page feed
# Posts edited this long after they were created still show up: the ``since`` filter the
# feed applies is on creation time, so it reaches back this far behind the watermark.
EDIT_WINDOW = timedelta(days=3)


def split_next(url: str) -> tuple[str, dict[str, str]]:
    """``paging.next`` as (URL without query, its parameters minus our token).

    The token goes back in as a parameter of our own so it never sits in a URL we log; httpx
    replaces a URL's query when given params, so the cursor parameters travel that way too.
    """
    parts = urlsplit(url)
    params = {k: v for k, v in parse_qsl(parts.query, keep_blank_values=True) if k not in SECRET_PARAMS}
    return urlunsplit(parts._replace(query="", fragment="")), params


def _count(post: dict[str, Any], field: str) -> Any:
    node = post.get(field)
    if not isinstance(node, dict):
        return None
    summary = node.get("summary")
    return summary.get("total_count") if isinstance(summary, dict) else None


def _attachments(post: dict[str, Any]) -> list[dict[str, Any]]:
    node = post.get("attachments")
    data = node.get("data") if isinstance(node, dict) else None
    return [a for a in data or [] if isinstance(a, dict)]


class FacebookCollector(Collector):
    platform = "facebook"
    max_pages = 10  # 1,000 posts per poll: far above what a government page publishes in a day

    def root(self) -> str:
        return str(self.source.api_base or ge.GRAPH_ROOT).rstrip("/")

    def feed_url(self) -> str:
        return f"{self.root()}/{ge.GRAPH_VERSION}/{self.source.page_id}/feed"

    def _connection(self) -> str:
        return self.source.conn_id or "(none)"

    def _require_token(self) -> str:
        if not self.token:
            where = (
                f"connection {self.source.conn_id} (or {env_var_for(self.source.conn_id)})"
                if self.source.conn_id
                else "a conn_id in sources.yaml"
            )
            raise AuthFailed(f"no Facebook token for {self.describe()}: set {where}")
        return self.token

    def _since(self, state: SourceState) -> int | None:
        wm = aware(state.watermark)
        if wm is not None:
            return int((wm - EDIT_WINDOW).timestamp())
        if self.source.since:
            start = date.fromisoformat(self.source.since[:10])
            return int(datetime.combine(start, time(), tzinfo=UTC).timestamp())
        return None

    def error_for(self, resp: httpx.Response) -> SourceError | None:
        if resp.status_code < 400:
            return None
        err = ge.graph_error(resp.content)
        if err is None:
            return super().error_for(resp)
        if err.is_auth:
            kind = "page" if self.source.kind == Kind.official else "app"
            return AuthFailed(
                f"Facebook token for connection {self._connection()} expired or was revoked ({err.label}): "
                f"renew the {kind} token in Airflow Connections. Facebook said: {err.message}"
            )
        if err.is_throttle:
            return RateLimited(
                f"Facebook is throttling {self.describe()} ({err.label}: {err.message}); retries ran out, "
                "the next poll continues"
            )
        if err.is_permission:
            return SourceError(
                f"Facebook refused access to page {self.source.page_id} for {self.describe()} "
                f"({err.label}: {err.message}). A page the unit administers needs its page token; a "
                "watched page needs the app's Page Public Content Access; otherwise use the file import"
            )
        return SourceError(f"Facebook error for {self.describe()} ({err.label}): {err.message}")

    def _respect_usage(self, resp: httpx.Response, more: bool) -> None:
        """Usage headers at 90 % or more slow the host down; a lock-out over the cap ends this poll."""
        u = ge.usage(resp.headers)
        cap = self.client.settings.http_backoff_cap
        pause = ge.usage_pause(u, cap)
        if pause <= 0:
            return
        if pause > cap and more:
            raise RateLimited(
                f"Facebook reports {u.percent:.0f}% of the call budget used ({u.header}) and asks to wait "
                f"about {pause / 60:.0f} min; this poll stops here and the next one continues"
            )
        self.client.slow_down(str(resp.request.url), min(pause, cap))

    def fetch(self, state: SourceState) -> SourceState:
        token = self._require_token()
        params: dict[str, Any] = {"fields": FIELDS, "limit": PAGE_LIMIT}
        since = self._since(state)
        if since is not None:
            params["since"] = since
        if state.until is not None:
            params["until"] = int(aware(state.until).timestamp())  # type: ignore[union-attr]
        url: str | None = self.feed_url()
        newest = state.watermark
        now = datetime.now(UTC)
        pages = 0
        while url and pages < self.max_pages:
            pages += 1
            resp, _ = self.get_landed(
                url,
                self.state_meta(state, "feed", page=pages),
                params={**params, "access_token": token},
                retry_on=ge.retry_on,
            )
            body = self.decode_json(resp)
            data = body.get("data") if isinstance(body, dict) else None
            if not isinstance(data, list):
                raise SourceError(
                    f"{self.describe()}: the Graph API answer has no 'data' list (page {pages})"
                )
            newest = advance(
                newest, (try_time(p.get("created_time")) for p in data if isinstance(p, dict)), now
            )
            paging = body.get("paging") if isinstance(body.get("paging"), dict) else {}
            nxt = paging.get("next") if data else None
            if isinstance(nxt, str) and nxt:
                url, params = split_next(nxt)  # carries fields, limit, since and the cursor
            else:
                url = None
            self._respect_usage(resp, more=url is not None)
        if url:
            log.warning("%s: stopped after %d pages (page cap)", self.describe(), pages)
        return SourceState(
            watermark=newest, etag=state.etag, last_modified=state.last_modified, cursor=state.cursor
        )

    def parse(self, payload: LandedPayload) -> Iterator[RawItem]:
        if payload.status != 200:
            return  # error answers are the source's failure, recorded at fetch time
        try:
            body = payload.json()
        except ValueError as exc:
            yield self.problem(payload, f"Facebook answer is not valid JSON ({exc})")
            return
        if isinstance(body, dict) and "error" in body:
            return
        data = body.get("data") if isinstance(body, dict) else None
        if not isinstance(data, list):
            yield self.problem(payload, "Facebook answer has no 'data' list of posts")
            return
        cutoff = cutoff_of(payload)
        for n, post in enumerate(data, 1):
            if not isinstance(post, dict):
                yield self.problem(payload, f"post {n} on this page is not a JSON object: {str(post)[:80]!r}")
                continue
            if is_new(cutoff, post.get("created_time"), post.get("updated_time")):
                yield self.post_item(payload, post)

    def post_item(self, payload: LandedPayload, post: dict[str, Any]) -> RawItem:
        author = post.get("from") if isinstance(post.get("from"), dict) else {}
        text = post.get("message")
        if not text:
            parts = [post.get("story")]
            for a in _attachments(post):
                parts += [a.get("title"), a.get("description")]
            text = "\n\n".join(str(p) for p in parts if p) or None
        shares = post.get("shares")
        return self.raw_item(
            payload,
            post.get("id"),
            url=post.get("permalink_url"),
            text=text,
            author=author.get("name"),
            author_id=author.get("id"),
            published=post.get("created_time"),
            updated=post.get("updated_time"),
            likes=_count(post, "reactions"),
            comments=_count(post, "comments"),
            # Graph leaves ``shares`` out when nobody shared the post.
            shares=shares.get("count") if isinstance(shares, dict) else 0,
            native=post,
        )
