"""The one interface every collector implements, and the records that cross it."""

from __future__ import annotations

import abc
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, ClassVar

from postwatch.collect.http import HttpClient
from postwatch.collect.landing import LandedPayload, Lander
from postwatch.registry import Source


class SourceError(Exception):
    """A source-level failure the pipeline records instead of crashing (status, message)."""

    status: ClassVar[str] = "error"


class AuthFailed(SourceError):
    """The token is expired or revoked: the officer must renew it; other sources go on."""

    status = "auth_failed"


class RateLimited(SourceError):
    """The platform asked us to slow down beyond what retries could absorb."""

    status = "rate_limited"


class QuotaExceeded(SourceError):
    status = "quota_exceeded"


@dataclass
class SourceState:
    """What a source remembers between polls: the watermark and HTTP validators."""

    watermark: datetime | None = None
    etag: str | None = None
    last_modified: str | None = None
    cursor: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "watermark": self.watermark.isoformat() if self.watermark else None,
            "etag": self.etag,
            "last_modified": self.last_modified,
            "cursor": self.cursor,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any] | None) -> SourceState:
        d = d or {}
        wm = d.get("watermark")
        return cls(
            watermark=datetime.fromisoformat(wm) if isinstance(wm, str) and wm else wm or None,
            etag=d.get("etag"),
            last_modified=d.get("last_modified"),
            cursor=d.get("cursor"),
        )


@dataclass
class RawItem:
    """One post as a platform described it, fields picked out but not yet cleaned.

    Values are kept as received (strings as given, HTML left in, times unparsed); ``native``
    holds the platform's own record so nothing is lost. Normalization turns it into a post.
    """

    source_id: str
    platform: str
    item_id: str | None
    url: str | None = None
    title: str | None = None
    text: str | None = None
    is_html: bool = False
    author: str | None = None
    author_id: str | None = None
    published: str | None = None  # as given: ISO 8601, RFC 822, epoch seconds...
    updated: str | None = None
    likes: Any = None
    comments: Any = None
    shares: Any = None
    views: Any = None
    native: dict[str, Any] = field(default_factory=dict)
    fetched_at: datetime | None = None
    landing_ref: str = ""
    problem: str | None = None  # set by a parser that could not read the record: it is quarantined


@dataclass
class FetchResult:
    """Outcome of one poll: landed payloads, the state to keep, and how it went."""

    source_id: str
    status: str = "ok"  # ok | not_modified | error | auth_failed | rate_limited | quota_exceeded
    message: str = ""
    landed: list[str] = field(default_factory=list)  # landing file paths
    payloads: int = 0
    state: SourceState = field(default_factory=SourceState)
    started_at: datetime | None = None
    finished_at: datetime | None = None


class Collector(abc.ABC):
    """Fetch lands raw responses; parse turns a landed payload into raw items (replayable)."""

    platform: ClassVar[str]

    def __init__(self, source: Source, client: HttpClient, lander: Lander, token: str | None = None) -> None:
        self.source = source
        self.client = client
        self.lander = lander
        self.token = token

    @abc.abstractmethod
    def fetch(self, state: SourceState) -> SourceState:
        """Fetch everything newer than ``state``; land each response; return the new state.

        Raise a SourceError subclass for source-level failures (after landing what arrived).
        """

    @abc.abstractmethod
    def parse(self, payload: LandedPayload) -> Iterator[RawItem]:
        """Yield the raw items in one landed payload; never touch the network."""
