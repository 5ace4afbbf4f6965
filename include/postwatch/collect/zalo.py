"""Zalo Official Account articles of the unit's own OA (OA access token; article/getslice).

Zalo answers HTTP 200 even for errors: the ``error`` field of the JSON envelope says what
went wrong (-216 invalid token, -124 expired). New or edited articles are also fetched with
``article/getdetail`` so the rules see the article body, not only its summary.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

from postwatch.collect.base import (
    OVERLAP,
    AuthFailed,
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
from postwatch.tokens import env_var_for

log = logging.getLogger(__name__)

ZALO_ROOT = "https://openapi.zalo.me"
AUTH_ERRORS = frozenset({-216, -124})  # access token invalid, access token expired
PAGE_SIZE = 10


def envelope_error(body: Any) -> tuple[int, str] | None:
    """(code, message) when the JSON envelope reports an error, else None."""
    if not isinstance(body, dict):
        return None
    try:
        code = int(body.get("error", 0))
    except (TypeError, ValueError):
        return None
    return (code, str(body.get("message") or "")[:300]) if code != 0 else None


def _body_text(blocks: Any) -> str | None:
    """Article body blocks → HTML text (images and videos left out; their captions kept)."""
    if not isinstance(blocks, list):
        return None
    parts = []
    for b in blocks:
        if not isinstance(b, dict):
            continue
        if b.get("type") == "text" and b.get("content"):
            parts.append(str(b["content"]))
        elif b.get("caption"):
            parts.append(f"<p>{b['caption']}</p>")
    return "\n".join(parts) or None


class ZaloCollector(Collector):
    platform = "zalo"
    max_pages = 20  # 200 articles per poll
    max_details = 50

    def root(self) -> str:
        return str(self.source.api_base or ZALO_ROOT).rstrip("/")

    def _check(self, body: Any, what: str) -> None:
        err = envelope_error(body)
        if err is None:
            return
        code, message = err
        if code in AUTH_ERRORS:
            raise AuthFailed(
                f"Zalo OA token in connection {self.source.conn_id} is invalid or expired (error {code}: "
                f"{message}): renew the OA access token in Airflow Connections"
            )
        raise SourceError(f"Zalo OA {what} for {self.describe()} failed (error {code}): {message}")

    def fetch(self, state: SourceState) -> SourceState:
        if not self.token:
            raise AuthFailed(
                f"no Zalo OA token for {self.describe()}: set connection {self.source.conn_id} "
                f"(or {env_var_for(self.source.conn_id or '')}) in Airflow Connections"
            )
        headers = {"access_token": self.token}
        wm = aware(state.watermark)
        cutoff = wm - OVERLAP if wm else None
        fresh: list[dict[str, Any]] = []
        offset = 0
        for page in range(1, self.max_pages + 1):
            resp, _ = self.get_landed(
                f"{self.root()}/v2.0/article/getslice",
                self.state_meta(state, "slice", page=page),
                params={"offset": offset, "limit": PAGE_SIZE, "type": "normal"},
                headers=headers,
            )
            body = self.decode_json(resp)
            self._check(body, "article list")
            data = body.get("data") if isinstance(body.get("data"), dict) else {}
            medias = [m for m in data.get("medias") or [] if isinstance(m, dict)]
            new_here = [
                m
                for m in medias
                if m.get("status", "show") == "show"
                and is_new(cutoff, m.get("create_date"), m.get("update_date"))
            ]
            fresh += new_here
            offset += len(medias)
            total = data.get("total")
            # Newest first: a page with nothing new, a short page or the end of the list stops.
            if (
                not medias
                or not new_here
                or len(medias) < PAGE_SIZE
                or (isinstance(total, int) and offset >= total)
            ):
                break
        for media in fresh[: self.max_details]:
            self._detail(state, media, headers)
        if len(fresh) > self.max_details:
            log.warning(
                "%s: %d new articles, bodies fetched for %d", self.describe(), len(fresh), self.max_details
            )
        return SourceState(
            watermark=advance(
                state.watermark, (try_time(m.get("create_date")) for m in fresh), datetime.now(UTC)
            ),
            etag=state.etag,
            last_modified=state.last_modified,
            cursor=state.cursor,
        )

    def _detail(self, state: SourceState, media: dict[str, Any], headers: dict[str, str]) -> None:
        """One article's body; a failure here leaves the list entry standing (only auth stops the poll)."""
        if media.get("id") is None:
            return
        resp, _ = self.get_landed(
            f"{self.root()}/v2.0/article/getdetail",
            self.state_meta(state, "detail", listing=media),
            params={"id": media["id"]},
            headers=headers,
            check=False,
        )
        try:
            self._check(json.loads(resp.content), "article detail")
        except ValueError:
            log.warning("%s: article %s detail is not JSON", self.describe(), media.get("id"))
        except AuthFailed:
            raise
        except SourceError as exc:
            log.warning("%s", exc)

    def parse(self, payload: LandedPayload) -> Iterator[RawItem]:
        if payload.status != 200:
            return
        kind = payload.meta.get("kind", "slice")
        try:
            body = payload.json()
        except ValueError as exc:
            if kind == "slice":
                yield self.problem(payload, f"Zalo answer is not valid JSON ({exc})")
            else:
                listing = payload.meta.get("listing") or {}
                yield self.problem(
                    payload, f"Zalo article detail is not valid JSON ({exc})", item_id=listing.get("id")
                )
            return
        if envelope_error(body) is not None:
            return  # an error envelope is the source's failure, recorded at fetch time
        data = body.get("data") if isinstance(body, dict) else None
        if not isinstance(data, dict):
            yield self.problem(payload, "Zalo answer has no 'data' object")
            return
        cutoff = cutoff_of(payload)
        if kind == "detail":
            listing = payload.meta.get("listing") if isinstance(payload.meta.get("listing"), dict) else {}
            article = {**listing, **{k: v for k, v in data.items() if v not in (None, "")}}
            if is_new(cutoff, article.get("create_date"), article.get("update_date")):
                yield self.article_item(payload, article, _body_text(data.get("body")))
            return
        medias = data.get("medias")
        if not isinstance(medias, list):
            yield self.problem(payload, "Zalo article list has no 'medias' list")
            return
        for n, media in enumerate(medias, 1):
            if not isinstance(media, dict):
                yield self.problem(payload, f"article {n} in this list is not a JSON object")
            elif media.get("status", "show") != "show":
                continue  # hidden or draft: not public
            elif is_new(cutoff, media.get("create_date"), media.get("update_date")):
                yield self.article_item(payload, media, None)

    def article_item(self, payload: LandedPayload, article: dict[str, Any], body: str | None) -> RawItem:
        return self.raw_item(
            payload,
            article.get("id"),
            url=article.get("link"),
            title=article.get("title"),
            text=body or article.get("description"),
            is_html=body is not None,
            author=article.get("author"),
            published=article.get("create_date"),
            updated=article.get("update_date"),
            views=article.get("total_view"),
            shares=article.get("total_share"),
            native={k: v for k, v in article.items() if k != "body"},
        )
