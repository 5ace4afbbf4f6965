"""The one interface every collector implements, and the records that cross it."""

from __future__ import annotations

import abc
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, ClassVar
from urllib.parse import quote

import httpx

from postwatch.collect.http import HttpClient, HttpGaveUp, RetryAfterTooLong, redact_url
from postwatch.collect.landing import LandedPayload, Lander
from postwatch.normalize.times import BadTimestamp, parse_timestamp
from postwatch.registry import Source

# Items are re-read this far behind the watermark: a post stamped a little before the last
# one we saw (clock skew, slow indexing) still comes in; the warehouse de-duplicates repeats.
OVERLAP = timedelta(minutes=10)


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
    # A backfill's upper bound, sent to platforms that can filter by it (Facebook). Never stored:
    # to_dict() leaves it out, so the next regular poll is not bounded.
    until: datetime | None = None

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


def aware(dt: datetime | None) -> datetime | None:
    """Watermarks from older state rows may be naive: they were written in UTC."""
    if dt is None:
        return None
    return dt.replace(tzinfo=UTC) if dt.tzinfo is None else dt.astimezone(UTC)


def latest(*times: datetime | None) -> datetime | None:
    """The newest of the given times (None when there are none)."""
    seen = [aware(t) for t in times if t is not None]
    return max(seen) if seen else None  # type: ignore[type-var]


def try_time(value: Any) -> datetime | None:
    """A platform time as UTC, or None when it cannot be read (normalization reports those)."""
    try:
        return parse_timestamp(value)
    except BadTimestamp:
        return None


def advance(watermark: datetime | None, times: Iterable[datetime | None], now: datetime) -> datetime | None:
    """New watermark: the newest time seen, ignoring times in the future (a wrong publisher
    clock must not push the watermark ahead and hide the posts that really come next)."""
    limit = now + OVERLAP
    return latest(watermark, *(t for t in times if t is not None and t <= limit))


def cutoff_of(payload: LandedPayload) -> datetime | None:
    """Items at or before this time were seen by an earlier poll (watermark minus the overlap)."""
    wm = payload.meta.get("watermark")
    if not wm:
        return None
    return aware(datetime.fromisoformat(wm)) - OVERLAP  # type: ignore[operator]


def is_new(cutoff: datetime | None, published: Any, updated: Any = None) -> bool:
    """Keep an item created or edited after the cutoff; keep it too when its times are unreadable."""
    if cutoff is None:
        return True
    pub = try_time(published)
    if pub is None:
        return True  # missing or unreadable: normalization quarantines it with the reason
    upd = try_time(updated) if updated not in (None, "") else None
    return pub > cutoff or (upd is not None and upd > cutoff)


@dataclass(slots=True)
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
    # Both are None in a parse-only collector (``collector_for(source, None, None, None)``):
    # parse() never touches them, fetch() always has them.
    client: HttpClient
    lander: Lander

    def __init__(
        self, source: Source, client: HttpClient | None, lander: Lander | None, token: str | None = None
    ) -> None:
        self.source = source
        self.client = client  # type: ignore[assignment]
        self.lander = lander  # type: ignore[assignment]
        self.token = token

    # -- helpers shared by the HTTP collectors -------------------------------------------------

    def describe(self) -> str:
        """How messages name this source for the officer."""
        return f"{self.source.name} ({self.source.id})"

    @staticmethod
    def state_meta(state: SourceState, kind: str, **extra: Any) -> dict[str, Any]:
        """Landing meta: what the payload is and the watermark it was fetched against (for parse)."""
        wm = aware(state.watermark)
        meta = {"kind": kind, "watermark": wm.isoformat() if wm else None, **extra}
        if state.until is not None:
            meta["until"] = aware(state.until).isoformat()  # type: ignore[union-attr]
        return meta

    def land(self, resp: httpx.Response, meta: dict[str, Any] | None = None) -> LandedPayload:
        """Land a response as received, with our token taken out of its URL and body.

        Graph API bodies echo the token inside ``paging.next``; the landing zone is read by
        analysts and replays, so the one secret is replaced by ``***`` and nothing else changes.
        """
        body = resp.content
        if self.token:
            for form in {self.token, quote(self.token, safe="")}:
                body = body.replace(form.encode("utf-8"), b"***")
        return self.lander.land(redact_url(resp.request.url), resp.status_code, resp.headers, body, meta=meta)

    def error_for(self, resp: httpx.Response) -> SourceError | None:
        """The source-level error a (landed) response means, or None when it is usable."""
        if resp.status_code >= 400:
            return SourceError(
                f"{self.describe()}: {redact_url(resp.request.url)} answered HTTP {resp.status_code} "
                f"{resp.reason_phrase}".rstrip()
            )
        return None

    def get_landed(
        self,
        url: str,
        meta: dict[str, Any],
        *,
        params: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
        retry_on: Callable[[httpx.Response], float | None] | None = None,
        check: bool = True,
    ) -> tuple[httpx.Response, LandedPayload | None]:
        """GET through the shared client, land the answer (not a body-less 304), then judge it.

        Whatever arrives is landed before anything reads it. With ``check`` a failing answer
        raises the SourceError that ``error_for`` names; retries that ran out or a Retry-After
        over the cap become source errors an officer can act on.
        """
        try:
            resp = self.client.get(url, params=params, headers=headers, retry_on=retry_on)
        except RetryAfterTooLong as exc:
            if exc.response is not None:
                self.land(exc.response, meta)
                err = self.error_for(exc.response)
                if isinstance(err, (AuthFailed, QuotaExceeded)):
                    raise err from exc
            raise RateLimited(
                f"{self.describe()}: the server asked us to wait {exc.seconds:.0f}s, longer than a task "
                f"may block ({self.client.settings.http_backoff_cap:.0f}s); the next poll retries"
            ) from exc
        except HttpGaveUp as exc:
            if exc.response is not None:
                self.land(exc.response, meta)
                err = self.error_for(exc.response)
                if err is not None:
                    raise err from exc
            raise SourceError(f"{self.describe()}: no usable answer from {exc.url} ({exc.detail})") from exc
        payload = None if resp.status_code == 304 else self.land(resp, meta)
        if check:
            err = self.error_for(resp)
            if err is not None:
                raise err
        return resp, payload

    def decode_json(self, resp: httpx.Response) -> Any:
        """The JSON body of a landed response, or a source error saying it was not JSON."""
        try:
            return json.loads(resp.content)
        except ValueError as exc:
            raise SourceError(
                f"{self.describe()}: {redact_url(resp.request.url)} answered malformed JSON ({exc}); "
                "the body was landed as received"
            ) from exc

    def raw_item(self, payload: LandedPayload, item_id: Any, **fields: Any) -> RawItem:
        """A RawItem stamped with this source and the payload it came from."""
        return RawItem(
            source_id=self.source.id,
            platform=self.source.platform.value,
            item_id=None if item_id is None or item_id == "" else str(item_id),
            fetched_at=payload.fetched_at,
            landing_ref=payload.ref,
            **fields,
        )

    def problem(self, payload: LandedPayload, reason: str, item_id: Any = None, **fields: Any) -> RawItem:
        """A record (or payload) that could not be read: normalization quarantines it with ``reason``."""
        return self.raw_item(payload, item_id, problem=reason, **fields)

    @abc.abstractmethod
    def fetch(self, state: SourceState) -> SourceState:
        """Fetch everything newer than ``state``; land each response; return the new state.

        Raise a SourceError subclass for source-level failures (after landing what arrived).
        """

    @abc.abstractmethod
    def parse(self, payload: LandedPayload) -> Iterator[RawItem]:
        """Yield the raw items in one landed payload; never touch the network."""
