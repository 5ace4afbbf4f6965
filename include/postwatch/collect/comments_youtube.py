"""Comments on an official YouTube channel's videos: Data API v3 ``commentThreads`` with the API key.

``part=snippet,replies`` gives each top-level comment with the replies YouTube includes (a reply
whose author channel is the official channel answers the thread). ``nextPageToken`` is followed up
to a page cap. A video with comments disabled (403 commentsDisabled) or gone (404) is skipped and
reported; quota and key errors stop the source, as for posts.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from postwatch.collect.base import AuthFailed, SourceError
from postwatch.collect.comments_base import CommentFetch, CommentSource, RawComment, ScrubbedLanding, as_int
from postwatch.collect.landing import LandedPayload
from postwatch.collect.youtube import YoutubeCollector, api_reasons, retry_on

PAGE_SIZE = 100  # the API's maximum for commentThreads
SKIP_REASONS = frozenset({"commentsDisabled", "videoNotFound", "forbidden"})


class _DataApi(ScrubbedLanding, YoutubeCollector):
    """The video collector's client, errors and key handling; lands comment pages with names hashed."""


class YouTubeComments(CommentSource):
    """Fetch and parse the comment threads of one official channel's videos."""

    platform = "youtube"
    api_class = _DataApi
    owner_field = "channel_id"

    def fetch(self, video_ids: list[str]) -> CommentFetch:
        key = self.api.token
        if not key:
            raise AuthFailed(
                f"{self.api.describe()}: connection {self.api.source.conn_id or '(none)'} holds no YouTube "
                "API key, which reading comments needs: add the key in Airflow Connections"
            )
        out = CommentFetch()
        for video_id in video_ids:
            token: str | None = None
            page = 0
            while page < self.max_pages:
                page += 1
                params: dict[str, Any] = {
                    "part": "snippet,replies",
                    "videoId": video_id,
                    "maxResults": PAGE_SIZE,
                    "textFormat": "plainText",
                    "key": key,
                }
                if token:
                    params["pageToken"] = token
                meta = {"kind": "commentThreads", "post_id": video_id, "page": page}
                resp, payload = self.api.get_landed(
                    self.api.api_url("commentThreads"), meta, params=params, retry_on=retry_on, check=False
                )
                if resp.status_code in (403, 404):
                    reasons, message = api_reasons(resp.content)
                    skip = SKIP_REASONS.intersection(reasons)
                    if skip and not isinstance(self.api.error_for(resp), AuthFailed):
                        out.skipped[video_id] = f"YouTube {', '.join(sorted(skip))}: {message}"
                        break
                failure = self.api.error_for(resp)
                if failure is not None:
                    raise failure
                body = self.api.decode_json(resp)
                if payload is not None:
                    out.payloads.append(payload)
                token = body.get("nextPageToken") if isinstance(body, dict) else None
                if not token:
                    break
        return out

    def parse(self, payload: LandedPayload) -> Iterator[RawComment]:
        video_id = str(payload.meta.get("post_id") or "")
        if payload.status != 200:
            return
        try:
            body = payload.json()
        except ValueError as exc:
            raise SourceError(f"{payload.ref}: the commentThreads answer is not JSON ({exc})") from exc
        items = body.get("items") if isinstance(body, dict) else None
        if not isinstance(items, list):
            raise SourceError(f"{payload.ref}: the commentThreads answer has no 'items' list")
        for n, thread in enumerate(items, 1):
            snippet = thread.get("snippet") if isinstance(thread, dict) else None
            top = snippet.get("topLevelComment") if isinstance(snippet, dict) else None
            if not isinstance(top, dict):
                why = f"thread {n} has no topLevelComment"
                yield RawComment(self.platform, None, video_id, None, None, None, None, None, None, None,
                                 payload.ref, why)  # fmt: skip
                continue
            yield self._comment(payload, video_id, top, None, as_int(snippet.get("totalReplyCount")))
            replies = thread.get("replies")
            for r in replies.get("comments") or [] if isinstance(replies, dict) else []:
                if isinstance(r, dict):
                    yield self._comment(payload, video_id, r, top.get("id"), None)

    def _comment(
        self, payload: LandedPayload, video_id: str, c: dict[str, Any], parent: Any, replies: int | None
    ) -> RawComment:
        s = c.get("snippet") if isinstance(c.get("snippet"), dict) else {}
        channel = s.get("authorChannelId")
        author_id = channel.get("value") if isinstance(channel, dict) else None
        return RawComment(
            platform=self.platform,
            comment_id=str(c["id"]) if c.get("id") else None,
            post_id=video_id,
            parent_id=str(s.get("parentId") or parent) if (s.get("parentId") or parent) else None,
            author_id=author_id,
            author_name=s.get("authorDisplayName"),
            text=s.get("textOriginal") or s.get("textDisplay"),
            created=s.get("publishedAt"),
            likes=as_int(s.get("likeCount")),
            replies=replies,
            landing_ref=payload.ref,
        )
