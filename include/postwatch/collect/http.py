"""The one shared HTTP client: timeouts, jittered retries honouring Retry-After, per-host pacing."""

from __future__ import annotations

import email.utils
import logging
import random
import re
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

import httpx

from postwatch.settings import Settings, get_settings

log = logging.getLogger(__name__)

RETRY_STATUSES = frozenset({408, 425, 429, 500, 502, 503, 504})
# A ``retry_on`` hook returns this to ask for the client's own jittered exponential backoff.
BACKOFF = -1.0
# Query parameters that carry secrets: never logged, never landed.
SECRET_PARAMS = ("access_token", "key", "appsecret_proof", "client_secret", "token", "api_key")
_SECRET_RE = re.compile(r"(?i)([?&](?:" + "|".join(SECRET_PARAMS) + r")=)[^&#\s\"']*")


def redact_url(url: str | httpx.URL) -> str:
    """The URL with secret query values replaced by ``***`` (tokens never reach logs or landing)."""
    return _SECRET_RE.sub(r"\1***", str(url))


class _RedactSecrets(logging.Filter):
    """httpx logs every request URL at INFO; strip tokens from it before any handler sees it."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(redact_url(a) if isinstance(a, (str, httpx.URL)) else a for a in record.args)
        if isinstance(record.msg, str):
            record.msg = redact_url(record.msg)
        return True


for _name in ("httpx", "httpcore", __name__):
    logging.getLogger(_name).addFilter(_RedactSecrets())


class RetryAfterTooLong(Exception):
    """The server asked us to wait longer than we are willing to block a task."""

    def __init__(self, url: str, seconds: float, response: httpx.Response | None = None) -> None:
        super().__init__(f"{redact_url(url)}: server asked to retry after {seconds:.0f}s (over the cap)")
        self.url = redact_url(url)
        self.seconds = seconds
        self.response = response


class HttpGaveUp(Exception):
    """Retries exhausted; carries the last response or error for the source's record."""

    def __init__(self, url: str, detail: str, response: httpx.Response | None = None) -> None:
        super().__init__(f"{redact_url(url)}: {detail}")
        self.url = redact_url(url)
        self.detail = detail
        self.response = response


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or HTTP-date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


class HostPacer:
    """Keeps at least ``min_interval`` seconds between requests to one host, across threads.

    ``clock`` is injectable so tests can pair it with a fake ``sleep`` and see exact waits.
    """

    def __init__(self, min_interval: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.min_interval = min_interval
        self.clock = clock
        self._next: dict[str, float] = {}
        self._lock = threading.Lock()

    def wait(self, host: str, sleep: Callable[[float], None]) -> None:
        with self._lock:
            now = self.clock()
            at = max(now, self._next.get(host, 0.0))
            self._next[host] = at + self.min_interval
        if at > now:
            sleep(at - now)

    def push_back(self, host: str, seconds: float) -> None:
        """A server told us to slow down: nobody calls this host before ``seconds`` from now."""
        with self._lock:
            self._next[host] = max(self._next.get(host, 0.0), self.clock() + seconds)


class HttpClient:
    """httpx.Client wrapper used by every collector; ``backoff_hook`` lets a platform add waits."""

    def __init__(
        self,
        settings: Settings | None = None,
        *,
        sleep: Callable[[float], None] = time.sleep,
        transport: httpx.BaseTransport | None = None,
        min_interval: float | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.settings = settings or get_settings()
        self.sleep = sleep
        self.pacer = HostPacer(
            self.settings.http_min_interval if min_interval is None else min_interval, clock=clock
        )
        self._client = httpx.Client(
            timeout=httpx.Timeout(self.settings.http_timeout, connect=min(10.0, self.settings.http_timeout)),
            headers={"User-Agent": self.settings.user_agent},
            follow_redirects=True,
            transport=transport,
        )
        self.requests_made = 0

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> HttpClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _backoff(self, attempt: int) -> float:
        base = self.settings.http_backoff_base * (2**attempt)
        return min(self.settings.http_backoff_cap, random.uniform(0, base) + base / 2)

    def slow_down(self, url: str, seconds: float) -> None:
        """A platform signalled heavy usage (e.g. Graph X-App-Usage): hold this URL's host back."""
        if seconds > 0:
            log.warning("slowing down requests to %s for %.1fs", urlsplit(url).netloc, seconds)
            self.pacer.push_back(urlsplit(url).netloc, seconds)

    def get(
        self,
        url: str,
        *,
        params: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
        retry_on: Callable[[httpx.Response], float | None] | None = None,
        max_retries: int | None = None,
    ) -> httpx.Response:
        """GET with retries on network errors and retryable statuses.

        ``retry_on`` lets a platform treat a 200/400 body (Graph API throttling codes) as
        "wait this many seconds and retry"; it returns None when the response is final, or
        ``BACKOFF`` for the client's own jittered backoff. Non-retryable statuses are returned
        to the caller, who decides what they mean.
        """
        retries = self.settings.http_max_retries if max_retries is None else max_retries
        host = urlsplit(url).netloc
        last_exc: Exception | None = None
        resp: httpx.Response | None = None
        for attempt in range(retries + 1):
            self.pacer.wait(host, self.sleep)
            try:
                self.requests_made += 1
                resp = self._client.get(url, params=params, headers=headers)
            except (httpx.TimeoutException, httpx.TransportError) as exc:
                last_exc = exc
                log.warning(
                    "GET %s failed (%s), attempt %d/%d",
                    redact_url(url),
                    type(exc).__name__,
                    attempt + 1,
                    retries + 1,
                )
                if attempt < retries:
                    self.sleep(self._backoff(attempt))
                continue
            wait: float | None = None
            if resp.status_code in RETRY_STATUSES:
                wait = parse_retry_after(resp.headers.get("retry-after"))
                if wait is None:
                    wait = self._backoff(attempt)
            elif retry_on is not None:
                wait = retry_on(resp)
                if wait is not None and wait < 0:
                    wait = self._backoff(attempt)
            if wait is None:
                return resp
            if wait > self.settings.http_backoff_cap:
                self.pacer.push_back(host, wait)
                raise RetryAfterTooLong(url, wait, resp)
            if attempt < retries:
                log.warning("GET %s -> %s, retrying in %.1fs", redact_url(url), resp.status_code, wait)
                self.pacer.push_back(host, wait)
        if resp is not None:
            raise HttpGaveUp(url, f"HTTP {resp.status_code} after {retries + 1} attempts", resp)
        raise HttpGaveUp(url, f"{type(last_exc).__name__}: {last_exc} after {retries + 1} attempts")
