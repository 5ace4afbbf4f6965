"""YouTube: the channel's Atom feed by default (no key), the Data API v3 when statistics matter.

The feed carries the last 15 videos with views and ratings. With ``use_data_api`` and a key
the uploads playlist is walked (newest first) and ``videos`` adds view, like and comment
counts; quota and key errors become the source's status, not a crash.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import httpx

from postwatch.collect.base import (
    OVERLAP,
    AuthFailed,
    QuotaExceeded,
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
from postwatch.collect.http import BACKOFF
from postwatch.collect.landing import LandedPayload
from postwatch.collect.rss import RssCollector, entry_time

log = logging.getLogger(__name__)

FEED_ROOT = "https://www.youtube.com"
API_ROOT = "https://www.googleapis.com"
QUOTA_REASONS = frozenset({"quotaExceeded", "dailyLimitExceeded"})
RATE_REASONS = frozenset({"rateLimitExceeded", "userRateLimitExceeded"})
KEY_REASONS = frozenset({"keyInvalid", "keyExpired", "API_KEY_INVALID", "API_KEY_EXPIRED"})
WATCH_URL = "https://www.youtube.com/watch?v="


def api_reasons(body: bytes) -> tuple[list[str], str]:
    """The ``reason`` codes and message of a Data API error answer (empty when it is not one)."""
    try:
        doc = json.loads(body)
    except ValueError:
        return [], ""
    err = doc.get("error") if isinstance(doc, dict) else None
    if not isinstance(err, dict):
        return [], ""
    reasons = [
        str(e.get("reason")) for e in err.get("errors") or [] if isinstance(e, dict) and e.get("reason")
    ]
    reasons += [
        str(d.get("reason")) for d in err.get("details") or [] if isinstance(d, dict) and d.get("reason")
    ]
    return reasons, str(err.get("message") or "")[:300]


def retry_on(resp: httpx.Response) -> float | None:
    """Per-user rate limits are worth a backoff; an exhausted daily quota is not."""
    if resp.status_code in (403, 429) and RATE_REASONS.intersection(api_reasons(resp.content)[0]):
        return BACKOFF
    return None


class YoutubeCollector(RssCollector):
    platform = "youtube"
    max_pages = 4  # 200 uploads per poll through the API

    def _root(self, real: str) -> str:
        return str(self.source.api_base).rstrip("/") if self.source.api_base else real

    def feed_url(self) -> str:
        return f"{self._root(FEED_ROOT)}/feeds/videos.xml"

    def feed_params(self) -> dict[str, Any] | None:
        return {"channel_id": self.source.channel_id}

    def api_url(self, endpoint: str) -> str:
        return f"{self._root(API_ROOT)}/youtube/v3/{endpoint}"

    def error_for(self, resp: httpx.Response) -> SourceError | None:
        if resp.status_code < 400:
            return None
        reasons, message = api_reasons(resp.content)
        conn = self.source.conn_id or "(none)"
        if QUOTA_REASONS.intersection(reasons):
            return QuotaExceeded(
                f"YouTube Data API quota of the key in connection {conn} is used up ({', '.join(reasons)}) "
                f"for {self.describe()}; collection resumes after the daily reset (midnight Pacific time)"
            )
        if KEY_REASONS.intersection(reasons) or "API key not valid" in message:
            return AuthFailed(
                f"YouTube API key in connection {conn} is invalid or expired ({', '.join(reasons)}): "
                f"replace it in Airflow Connections. Google said: {message}"
            )
        if RATE_REASONS.intersection(reasons):
            return RateLimited(f"YouTube is rate-limiting {self.describe()} ({', '.join(reasons)})")
        if reasons:
            return SourceError(f"YouTube error for {self.describe()} ({', '.join(reasons)}): {message}")
        return super().error_for(resp)

    # -- fetch ---------------------------------------------------------------------------------

    def fetch(self, state: SourceState) -> SourceState:
        if not self.source.use_data_api:
            return super().fetch(state)
        if not self.token:
            raise AuthFailed(
                f"{self.describe()} has use_data_api set but connection {self.source.conn_id or '(none)'} "
                "holds no YouTube API key: add the key in Airflow Connections or turn use_data_api off"
            )
        return self._fetch_api(state, self.token)

    def _get_json(self, endpoint: str, meta: dict[str, Any], params: dict[str, Any], key: str) -> Any:
        resp, _ = self.get_landed(
            self.api_url(endpoint), meta, params={**params, "key": key}, retry_on=retry_on
        )
        body = self.decode_json(resp)
        if not isinstance(body, dict):
            raise SourceError(f"{self.describe()}: YouTube {endpoint} answer is not a JSON object")
        return body

    def _uploads_playlist(self, state: SourceState, key: str) -> str:
        if state.cursor and state.cursor.startswith("UU"):
            return state.cursor  # the uploads playlist never changes: save a quota unit per poll
        body = self._get_json(
            "channels",
            self.state_meta(state, "channels"),
            {"part": "contentDetails", "id": self.source.channel_id},
            key,
        )
        try:
            return str(body["items"][0]["contentDetails"]["relatedPlaylists"]["uploads"])
        except (KeyError, IndexError, TypeError):
            raise SourceError(
                f"{self.describe()}: YouTube knows no channel {self.source.channel_id} (or it has no uploads)"
            ) from None

    def _fetch_api(self, state: SourceState, key: str) -> SourceState:
        uploads = self._uploads_playlist(state, key)
        wm = aware(state.watermark)
        cutoff = wm - OVERLAP if wm else None
        fresh: list[tuple[str, datetime | None]] = []
        token: str | None = None
        for page in range(1, self.max_pages + 1):
            params = {"part": "snippet,contentDetails", "playlistId": uploads, "maxResults": 50}
            if token:
                params["pageToken"] = token
            body = self._get_json(
                "playlistItems", self.state_meta(state, "playlistItems", page=page), params, key
            )
            items = [i for i in body.get("items") or [] if isinstance(i, dict)]
            new_here = 0
            for it in items:
                details = it.get("contentDetails") or {}
                vid = details.get("videoId") or (it.get("snippet") or {}).get("resourceId", {}).get("videoId")
                when = details.get("videoPublishedAt") or (it.get("snippet") or {}).get("publishedAt")
                if vid and is_new(cutoff, when):
                    fresh.append((str(vid), try_time(when)))
                    new_here += 1
            token = body.get("nextPageToken")
            # The uploads playlist is newest first: a page with nothing new ends the walk.
            if not token or new_here == 0:
                break
        ids = [v for v, _ in fresh]
        for i in range(0, len(ids), 50):
            self._get_json(
                "videos",
                self.state_meta(state, "videos"),
                {"part": "snippet,statistics", "id": ",".join(ids[i : i + 50])},
                key,
            )
        return SourceState(
            watermark=advance(state.watermark, (t for _, t in fresh), datetime.now(UTC)),
            etag=state.etag,
            last_modified=state.last_modified,
            cursor=uploads,
        )

    # -- parse ---------------------------------------------------------------------------------

    def parse(self, payload: LandedPayload) -> Iterator[RawItem]:
        kind = payload.meta.get("kind") or ("videos" if "/youtube/v3/videos" in payload.url else "feed")
        if kind == "feed":
            yield from super().parse(payload)
        elif kind == "videos" and payload.status == 200:
            yield from self._parse_videos(payload)
        # channels / playlistItems answers only lead to the videos; error answers are the source's

    def _parse_videos(self, payload: LandedPayload) -> Iterator[RawItem]:
        try:
            body = payload.json()
        except ValueError as exc:
            yield self.problem(payload, f"YouTube videos answer is not valid JSON ({exc})")
            return
        items = body.get("items") if isinstance(body, dict) else None
        if not isinstance(items, list):
            yield self.problem(payload, "YouTube videos answer has no 'items' list")
            return
        cutoff = cutoff_of(payload)
        for n, video in enumerate(items, 1):
            if not isinstance(video, dict):
                yield self.problem(payload, f"video {n} in this answer is not a JSON object")
                continue
            snippet = video.get("snippet") if isinstance(video.get("snippet"), dict) else {}
            stats = video.get("statistics") if isinstance(video.get("statistics"), dict) else {}
            if not is_new(cutoff, snippet.get("publishedAt")):
                continue
            vid = video.get("id")
            yield self.raw_item(
                payload,
                vid,
                url=WATCH_URL + str(vid) if vid else None,
                title=snippet.get("title"),
                text=snippet.get("description"),
                author=snippet.get("channelTitle"),
                author_id=snippet.get("channelId"),
                published=snippet.get("publishedAt"),
                likes=stats.get("likeCount"),
                comments=stats.get("commentCount"),
                views=stats.get("viewCount"),
                native=video,
            )

    def entry_item(self, payload: LandedPayload, entry: Any) -> RawItem:
        """A feed entry: yt:videoId, media:description, media:statistics views, star-rating count.

        An entry without a video id keeps item_id None (quarantined as "missing post id") rather
        than borrowing the bare ``yt:video:`` entry id; feedparser copies that id into ``link``
        too, so only an http(s) link is taken.
        """
        vid = entry.get("yt_videoid") or str(entry.get("id") or "").removeprefix("yt:video:") or None
        link = entry.get("link") if str(entry.get("link") or "").startswith(("http://", "https://")) else None
        group_title = entry.get("media_title") if isinstance(entry.get("media_title"), str) else None
        stats = entry.get("media_statistics") if isinstance(entry.get("media_statistics"), dict) else {}
        rating = entry.get("media_starrating") if isinstance(entry.get("media_starrating"), dict) else {}
        updated = entry_time(entry, "updated")
        return self.raw_item(
            payload,
            vid,
            url=link or (WATCH_URL + vid if vid else None),
            title=entry.get("title") or group_title,
            text=entry.get("summary"),
            is_html=False,  # media:description is plain text; normalization still strips stray tags
            author=entry.get("author"),
            author_id=entry.get("yt_channelid"),
            published=entry_time(entry, "published") or updated,
            updated=updated,
            likes=rating.get("count"),
            views=stats.get("views"),
            native={k: v for k, v in entry.items() if isinstance(v, (str, int, float))}
            | {"media_statistics": stats, "media_starrating": rating},
        )
