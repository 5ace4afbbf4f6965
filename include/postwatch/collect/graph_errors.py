"""Facebook Graph API error codes and usage headers: what to retry, when to slow down, what to report.

Shared by the page-feed collector and the comments collector: both talk to the same API
under the same app limits.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import httpx

from postwatch.collect.http import BACKOFF

GRAPH_ROOT = "https://graph.facebook.com"
GRAPH_VERSION = "v23.0"
# 4 app limit, 17 user limit, 32 page limit, 613 custom limit, 80000-80014 business use case limits.
THROTTLE_CODES = frozenset({4, 17, 32, 613, *range(80000, 80015)})
AUTH_CODES = frozenset({190, 102})
PERMISSION_CODES = frozenset({10, *range(200, 300)})
USAGE_HEADERS = ("x-app-usage", "x-page-usage", "x-business-use-case-usage")
USAGE_KEYS = ("call_count", "total_time", "total_cputime")
SLOW_DOWN_AT = 90.0


@dataclass(frozen=True)
class GraphError:
    code: int | None
    subcode: int | None
    message: str
    type: str = ""
    fbtrace_id: str = ""

    @property
    def label(self) -> str:
        sub = f", subcode {self.subcode}" if self.subcode is not None else ""
        return f"code {self.code}{sub}"

    @property
    def is_throttle(self) -> bool:
        return self.code in THROTTLE_CODES

    @property
    def is_auth(self) -> bool:
        return self.code in AUTH_CODES

    @property
    def is_permission(self) -> bool:
        return self.code in PERMISSION_CODES or (self.code == 100 and self.subcode == 33)


def _int(v: Any) -> int | None:
    try:
        return int(v)
    except (TypeError, ValueError):
        return None


def graph_error(body: bytes | Mapping[str, Any]) -> GraphError | None:
    """The ``error`` object of a Graph answer, or None (also when the body is not JSON)."""
    if isinstance(body, (bytes, bytearray)):
        try:
            body = json.loads(body)
        except ValueError:
            return None
    err = body.get("error") if isinstance(body, Mapping) else None
    if not isinstance(err, Mapping):
        return None
    return GraphError(
        code=_int(err.get("code")),
        subcode=_int(err.get("error_subcode")),
        message=str(err.get("message") or "")[:300],
        type=str(err.get("type") or ""),
        fbtrace_id=str(err.get("fbtrace_id") or ""),
    )


@dataclass(frozen=True)
class Usage:
    """Highest usage percentage in the answer's headers and the longest announced lock-out."""

    percent: float = 0.0
    regain_minutes: float = 0.0
    header: str = ""


def usage(headers: Mapping[str, str]) -> Usage:
    """Read X-App-Usage, X-Page-Usage and X-Business-Use-Case-Usage (JSON percentages)."""
    best = Usage()
    low = {k.lower(): v for k, v in headers.items()}
    for name in USAGE_HEADERS:
        raw = low.get(name)
        if not raw:
            continue
        try:
            doc = json.loads(raw)
        except ValueError:
            continue
        # App/page usage is one object; business use case usage maps business id -> [objects].
        if isinstance(doc, Mapping) and any(k in doc for k in USAGE_KEYS):
            entries: list[Any] = [doc]
        elif isinstance(doc, Mapping):
            entries = [e for v in doc.values() if isinstance(v, list) for e in v]
        else:
            continue
        for e in entries:
            if not isinstance(e, Mapping):
                continue
            pct = max((float(e.get(k) or 0) for k in USAGE_KEYS), default=0.0)
            regain = float(e.get("estimated_time_to_regain_access") or 0)
            if pct > best.percent or regain > best.regain_minutes:
                best = Usage(max(pct, best.percent), max(regain, best.regain_minutes), name)
    return best


def usage_pause(u: Usage, cap: float) -> float:
    """Seconds to hold the host back: the announced lock-out, or a pause growing from 90 % to 100 %."""
    if u.regain_minutes > 0:
        return u.regain_minutes * 60.0
    if u.percent < SLOW_DOWN_AT:
        return 0.0
    share = min(1.0, 0.1 + 0.9 * (u.percent - SLOW_DOWN_AT) / (100.0 - SLOW_DOWN_AT))
    return cap * share


def retry_on(resp: httpx.Response) -> float | None:
    """HttpClient hook: throttling codes are retried (after any announced lock-out), others are final."""
    if resp.status_code < 400:
        return None
    err = graph_error(resp.content)
    if err is None or not err.is_throttle:
        return None
    regain = usage(resp.headers).regain_minutes
    return regain * 60.0 if regain > 0 else BACKOFF
