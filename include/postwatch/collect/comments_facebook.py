"""Comments on a Facebook page's own posts: Graph API ``/{post-id}/comments`` with the page token.

``filter=stream`` returns replies too, flat, each naming its ``parent``; some answers (and the
recorded demo data) nest the replies under their comment instead (``comments.data``): both are
read. ``paging.next`` is followed up to a page cap. A post deleted since it was collected (code
100) is skipped and reported; an expired token stops the source (the officer renews it).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from postwatch.collect import graph_errors as ge
from postwatch.collect.base import SourceError
from postwatch.collect.comments_base import CommentFetch, CommentSource, RawComment, ScrubbedLanding, as_int
from postwatch.collect.facebook import FacebookCollector, split_next
from postwatch.collect.landing import LandedPayload

FIELDS = "id,message,created_time,from{id,name},parent{id},comment_count,like_count"
PAGE_LIMIT = 100
MISSING_POST = 100  # "Object with ID ... does not exist": the post was deleted or hidden


class _Graph(ScrubbedLanding, FacebookCollector):
    """The page-feed collector's client, errors and pacing; lands comment pages with names hashed."""


class FacebookComments(CommentSource):
    """Fetch and parse the comments of one official page's posts."""

    platform = "facebook"
    api_class = _Graph
    owner_field = "page_id"

    def comments_url(self, post_id: str) -> str:
        return f"{self.api.root()}/{ge.GRAPH_VERSION}/{post_id}/comments"

    def fetch(self, post_ids: list[str]) -> CommentFetch:
        """Land every comment page of each post; raise AuthFailed / RateLimited for the whole source."""
        token = self.api._require_token()
        out = CommentFetch()
        for post_id in post_ids:
            url: str | None = self.comments_url(post_id)
            params: dict[str, Any] = {"fields": FIELDS, "filter": "stream", "limit": PAGE_LIMIT}
            page = 0
            while url and page < self.max_pages:
                page += 1
                meta = {"kind": "comments", "post_id": post_id, "page": page}
                resp, payload = self.api.get_landed(
                    url, meta, params={**params, "access_token": token}, retry_on=ge.retry_on, check=False
                )
                err = ge.graph_error(resp.content) if resp.status_code >= 400 else None
                if err is not None and err.code == MISSING_POST and not (err.is_auth or err.is_throttle):
                    out.skipped[post_id] = f"Graph: {err.message}"
                    break
                failure = self.api.error_for(resp)
                if failure is not None:
                    raise failure
                body = self.api.decode_json(resp)
                if payload is not None:
                    out.payloads.append(payload)
                nxt = (body.get("paging") or {}).get("next") if isinstance(body, dict) else None
                url = None
                if isinstance(nxt, str) and nxt and body.get("data"):
                    url, params = split_next(nxt)
                self.api._respect_usage(resp, more=url is not None)
        return out

    def parse(self, payload: LandedPayload) -> Iterator[RawComment]:
        """The comments (and nested replies) in one landed page."""
        post_id = str(payload.meta.get("post_id") or "")
        if payload.status != 200:
            return
        try:
            body = payload.json()
        except ValueError as exc:
            raise SourceError(f"{payload.ref}: the comments answer is not JSON ({exc})") from exc
        data = body.get("data") if isinstance(body, dict) else None
        if not isinstance(data, list):
            raise SourceError(f"{payload.ref}: the comments answer has no 'data' list")
        for n, c in enumerate(data, 1):
            if not isinstance(c, dict):
                yield self._problem(payload, post_id, f"comment {n} is not a JSON object: {str(c)[:80]!r}")
                continue
            yield self._comment(payload, post_id, c, _parent_id(c))
            nested = c.get("comments")
            for r in nested.get("data") or [] if isinstance(nested, dict) else []:
                if isinstance(r, dict):
                    yield self._comment(payload, post_id, r, _parent_id(r) or c.get("id"))

    def _comment(self, payload: LandedPayload, post_id: str, c: dict[str, Any], parent: Any) -> RawComment:
        who = c.get("from") if isinstance(c.get("from"), dict) else {}
        return RawComment(
            platform=self.platform,
            comment_id=str(c["id"]) if c.get("id") else None,
            post_id=post_id,
            parent_id=str(parent) if parent else None,
            author_id=str(who["id"]) if who.get("id") else None,
            author_name=who.get("name"),
            text=c.get("message"),
            created=c.get("created_time"),
            likes=as_int(c.get("like_count")),
            replies=as_int(c.get("comment_count")),
            landing_ref=payload.ref,
        )

    def _problem(self, payload: LandedPayload, post_id: str, reason: str) -> RawComment:
        return RawComment(self.platform, None, post_id, None, None, None, None, None, None, None,
                          payload.ref, reason)  # fmt: skip


def _parent_id(c: dict[str, Any]) -> str | None:
    parent = c.get("parent")
    if isinstance(parent, dict) and parent.get("id"):
        return str(parent["id"])
    return None
