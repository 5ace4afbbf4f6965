"""Raw item → post row, or → a quarantine record that says what is wrong with it.

Structural problems (no id, unreadable time, unrepairable encoding, nothing to read) are
caught here; value checks on whole batches live in ``postwatch.quality``.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import UTC, date, datetime, timedelta
from typing import Any

from postwatch.collect.base import RawItem
from postwatch.normalize.rejected import Rejected
from postwatch.normalize.text import (
    clean_text,
    content_hash,
    detect_language,
    fold_diacritics,
    html_to_text,
    looks_like_html,
    repair_encoding,
)
from postwatch.normalize.times import BadTimestamp, local_date, parse_timestamp
from postwatch.normalize.urls import canonical_url
from postwatch.registry import Source

MAX_TEXT = 1_000_000
FUTURE_TOLERANCE = timedelta(minutes=10)
EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)
COUNT_FIELDS = ("likes", "comments", "shares", "views")
POST_COLUMNS = (
    "platform",
    "post_id",
    "source_id",
    "unit_id",
    "kind",
    "url",
    "title",
    "text",
    "author",
    "author_id",
    "published_at",
    "updated_at",
    "local_date",
    "lang",
    "likes",
    "comments",
    "shares",
    "views",
    "content_hash",
    "story_key",
    "encoding_fix",
    "title_original",
    "text_original",
    "fetched_at",
    "landing_ref",
)


def _record_json(raw: RawItem) -> str:
    d = asdict(raw)
    d["fetched_at"] = raw.fetched_at.isoformat() if raw.fetched_at else None
    return json.dumps(d, ensure_ascii=False, default=str)


def _count(value: Any) -> int | None:
    """Engagement count as an int; raises ValueError with a readable message when it is not one."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise ValueError(f"not a number: {value!r}")
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if value != int(value):
            raise ValueError(f"not a whole number: {value!r}")
        return int(value)
    s = str(value).strip().replace(",", "").replace(".", "") if isinstance(value, str) else str(value)
    try:
        return int(s)
    except ValueError:
        raise ValueError(f"not a number: {str(value)[:40]!r}") from None


def _clean_field(value: str | None, is_html: bool) -> tuple[str, str | None]:
    if not value:
        return "", None
    fixed, problem = repair_encoding(value)
    if is_html or looks_like_html(fixed):
        return html_to_text(fixed), problem
    return clean_text(fixed), problem


def story_key(title: str, text: str) -> str:
    """Copies of one story (same headline across outlets and re-posts) share this key."""
    basis = title if len(title) >= 12 else text[:200]
    words = fold_diacritics(basis.lower()).split()
    return content_hash(" ".join(w.strip(".,:;!?\"'()[]«»“”-–") for w in words[:16]))


def normalize_item(raw: RawItem, source: Source, now: datetime | None = None) -> dict[str, Any] | Rejected:
    """Clean one raw item; every way it can fail becomes a Rejected with a human reason."""

    def reject(reason: str, stage: str = "normalize", expectation: str | None = None) -> Rejected:
        return Rejected(
            raw.source_id,
            source.platform.value,
            raw.item_id,
            stage,
            reason,
            _record_json(raw),
            raw.landing_ref,
            expectation,
        )

    if raw.problem:
        return reject(raw.problem, stage="parse")
    if raw.item_id is None or str(raw.item_id).strip() == "":
        return reject("missing post id", expectation="post_id_not_null")
    try:
        published = parse_timestamp(raw.published)
    except BadTimestamp as exc:
        return reject(f"published time: {exc}", expectation="published_at_parseable")
    updated = None
    if raw.updated:
        try:
            updated = parse_timestamp(raw.updated)
        except BadTimestamp:
            updated = None
    now = now or datetime.now(UTC)
    if published > now + FUTURE_TOLERANCE:
        return reject(
            f"published_at {published.isoformat()} is in the future", expectation="published_at_not_future"
        )
    if published < EARLIEST:
        return reject(
            f"published_at {published.isoformat()} is before 2000: a placeholder date",
            expectation="published_at_plausible",
        )
    if source.since and published.date() < date.fromisoformat(source.since[:10]):
        return reject(
            f"published_at {published.date()} is before the source's start {source.since}",
            expectation="published_at_after_source_start",
        )
    counts: dict[str, int | None] = {}
    for f in COUNT_FIELDS:
        try:
            n = _count(getattr(raw, f))
        except ValueError as exc:
            return reject(f"{f}: {exc}", expectation="engagement_counts_integer")
        if n is not None and n < 0:
            return reject(f"negative {f} count ({n})", expectation="engagement_counts_non_negative")
        counts[f] = n

    title, p1 = _clean_field(raw.title, raw.is_html and looks_like_html(raw.title or ""))
    text, p2 = _clean_field(raw.text, raw.is_html)
    fix = p1 or p2
    if fix and fix.startswith("legacy_"):
        return reject(
            f"text is in a legacy Vietnamese encoding ({fix[7:].upper()}); convert the export to Unicode",
            expectation="text_unicode",
        )
    if not title and not text:
        return reject("empty post: no title and no text", expectation="text_not_empty")
    if len(text) > MAX_TEXT:
        return reject(f"text is {len(text):,} characters (over {MAX_TEXT:,})", expectation="text_length")
    url = None
    if raw.url:
        url = canonical_url(raw.url)
        if url is None:
            return reject(f"URL is not http(s): {raw.url[:120]!r}", expectation="url_is_http")

    return {
        "platform": source.platform.value,
        "post_id": str(raw.item_id).strip(),
        "source_id": source.id,
        "unit_id": source.unit,
        "kind": source.kind.value,
        "url": url,
        "title": title or None,
        "text": text,
        "author": clean_text(raw.author) or None if raw.author else None,
        "author_id": raw.author_id,
        "published_at": published,
        "updated_at": updated,
        "local_date": local_date(published),
        "lang": detect_language(title + " " + text[:400]),
        **counts,
        "content_hash": content_hash(title, text),
        "story_key": story_key(title, text),
        "encoding_fix": fix,
        "title_original": raw.title if raw.title != title else None,
        "text_original": raw.text if raw.text != text else None,
        "fetched_at": raw.fetched_at or now,
        "landing_ref": raw.landing_ref,
    }
