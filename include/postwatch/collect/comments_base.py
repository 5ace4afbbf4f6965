"""What the comment collectors hand over: landed pages of comments, and raw comments parsed from them.

Comment collectors follow the post collectors' rule: every answer is landed as received (token
taken out) before anything reads it, and parsing reads only landed payloads, so a run can be
replayed. They reuse the post collectors of the same platform for the shared client, landing,
token redaction and the platform's error mapping.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

import httpx

from postwatch.collect.base import Collector
from postwatch.collect.http import redact_url
from postwatch.collect.landing import LandedPayload


@dataclass
class RawComment:
    """One comment as the platform described it; the commenter's name is still in clear here.

    It never leaves the process like this: the comments pipeline hashes ``author_id`` /
    ``author_name`` before anything is stored.
    """

    platform: str
    comment_id: str | None
    post_id: str
    parent_id: str | None
    author_id: str | None
    author_name: str | None
    text: str | None
    created: str | None
    likes: int | None = None
    replies: int | None = None
    landing_ref: str = ""
    problem: str | None = None


@dataclass
class CommentFetch:
    """One source's comment pages for a set of posts: what was landed and which posts were skipped."""

    payloads: list[LandedPayload] = field(default_factory=list)
    skipped: dict[str, str] = field(default_factory=dict)  # post id -> why (deleted, comments disabled)


def as_int(value: Any) -> int | None:
    try:
        return int(value) if value is not None else None
    except (TypeError, ValueError):
        return None


Hasher = Callable[[str | None, str | None], str | None]  # (author id, author name) -> keyed hash
# Fields that name or picture a commenter, per platform answer: replaced by the keyed hash before
# the answer is landed, so not even the landing zone keeps commenters' names.
NAME_FIELDS = ("authorDisplayName", "authorChannelUrl", "authorProfileImageUrl")


def scrub_names(body: bytes, page_id: str | None, hasher: Hasher) -> bytes:
    """The JSON answer with every commenter's name replaced by ``hmac:<hash>`` (the page's own kept).

    Facebook names commenters in ``from{id,name}``; YouTube in a comment snippet's
    ``authorDisplayName`` / ``authorChannelUrl`` / ``authorProfileImageUrl`` next to
    ``authorChannelId.value``. Anything that is not JSON is landed unchanged (it names nobody).
    """
    try:
        doc = json.loads(body)
    except ValueError:
        return body

    def walk(node: Any) -> None:
        if isinstance(node, list):
            for x in node:
                walk(x)
            return
        if not isinstance(node, dict):
            return
        who = node.get("from")
        if isinstance(who, dict) and who.get("name") and str(who.get("id") or "") != (page_id or ""):
            who["name"] = "hmac:" + str(hasher(_str(who.get("id")), who["name"]))
        channel = node.get("authorChannelId")
        channel_id = channel.get("value") if isinstance(channel, dict) else None
        if any(node.get(f) for f in NAME_FIELDS) and (channel_id or "") != (page_id or ""):
            hashed = "hmac:" + str(hasher(_str(channel_id), _str(node.get("authorDisplayName"))))
            for f in NAME_FIELDS:
                if node.get(f):
                    node[f] = hashed
        for v in node.values():
            walk(v)

    walk(doc)
    return json.dumps(doc, ensure_ascii=False, indent=1).encode("utf-8")


def _str(v: Any) -> str | None:
    return None if v is None or v == "" else str(v)


def land_scrubbed(
    collector: Collector,
    resp: httpx.Response,
    meta: dict[str, Any] | None,
    page_id: str | None,
    hasher: Hasher,
) -> LandedPayload:
    """Collector.land with commenters' names hashed first (and our token taken out, as there)."""
    body = scrub_names(resp.content, page_id, hasher)
    if collector.token:
        for form in {collector.token, quote(collector.token, safe="")}:
            body = body.replace(form.encode("utf-8"), b"***")
    return collector.lander.land(
        redact_url(resp.request.url), resp.status_code, resp.headers, body, meta=meta
    )
