"""What the comment collectors hand over: landed pages of comments, and raw comments parsed from them.

Comment collectors follow the post collectors' rule: every answer is landed as received (token
taken out) before anything reads it, and parsing reads only landed payloads, so a run can be
replayed. They reuse the post collectors of the same platform for the shared client, landing,
token redaction and the platform's error mapping.
"""

from __future__ import annotations

import abc
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, ClassVar
from urllib.parse import quote

import httpx

from postwatch.collect.base import Collector
from postwatch.collect.http import HttpClient, redact_url
from postwatch.collect.landing import LandedPayload, Lander
from postwatch.registry import Source


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


class ScrubbedLanding(Collector):
    """Mixed in before a post collector: its client, token and error mapping are kept, and every
    answer is landed with commenters' names hashed (and our token taken out, as there)."""

    def __init__(
        self,
        source: Source,
        client: HttpClient | None,
        lander: Lander | None,
        token: str | None,
        *,
        hasher: Hasher,
        owner_id: str | None,
    ) -> None:
        super().__init__(source, client, lander, token)
        self.hasher = hasher
        self.owner_id = owner_id

    def land(self, resp: httpx.Response, meta: dict[str, Any] | None = None) -> LandedPayload:
        body = scrub_names(resp.content, self.owner_id, self.hasher)
        if self.token:
            for form in {self.token, quote(self.token, safe="")}:
                body = body.replace(form.encode("utf-8"), b"***")
        return self.lander.land(redact_url(resp.request.url), resp.status_code, resp.headers, body, meta=meta)


class CommentSource(abc.ABC):
    """The comments of one official page or channel; subclasses fetch and parse one platform's."""

    platform: ClassVar[str]
    api_class: ClassVar[type[ScrubbedLanding]]
    owner_field: ClassVar[str]  # the Source field naming the page or channel itself

    def __init__(
        self,
        source: Source,
        client: HttpClient | None,
        lander: Lander | None,
        token: str | None,
        max_pages: int,
        hasher: Hasher,
    ) -> None:
        self.owner_id: str | None = getattr(source, self.owner_field)
        self.api = self.api_class(source, client, lander, token, hasher=hasher, owner_id=self.owner_id)
        self.max_pages = max_pages

    def is_page(self, author_id: str | None) -> bool:
        """Written by the page or channel itself (its replies answer a thread)."""
        return bool(author_id) and author_id == self.owner_id

    @abc.abstractmethod
    def fetch(self, post_ids: list[str]) -> CommentFetch:
        """Land every comment page of each post; raise AuthFailed / RateLimited for the whole source."""

    @abc.abstractmethod
    def parse(self, payload: LandedPayload) -> Iterator[RawComment]:
        """The comments (and replies) in one landed page."""
