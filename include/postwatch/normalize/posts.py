"""Raw item → post row, or → a quarantine record that says what is wrong with it.

Structural problems (no id, unreadable time, unrepairable encoding, nothing to read) are
caught here; value checks on whole batches live in ``postwatch.quality``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from postwatch import native
from postwatch.collect.base import RawItem
from postwatch.gcpause import gc_paused
from postwatch.normalize.rejected import Rejected
from postwatch.normalize.text import (
    clean_plain,
    clean_text,
    content_hash,
    fold_diacritics,
    html_to_text,
    looks_like_html,
    post_language,
    repair_encoding,
)
from postwatch.normalize.times import BadTimestamp, local_date, parse_timestamp
from postwatch.normalize.urls import canonical_url
from postwatch.registry import Source

_storykey = native.load("postwatch.normalize.storykey")  # story_text in C; None where not compiled
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
    if type(value) is int:  # the common case (bool, an int subclass, is refused below)
        return value
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
    if not is_html:
        cleaned = clean_plain(value)  # the common case, decided by one scan
        if cleaned is not None:
            return cleaned, None
    fixed, problem = repair_encoding(value)
    if is_html or looks_like_html(fixed):
        return html_to_text(fixed), problem
    return clean_text(fixed), problem


_KEY_PUNCT = ".,:;!?\"'()[]«»“”-–"
_KEY_PUNCT_RE = re.compile("[" + re.escape(_KEY_PUNCT) + "]")


def story_key(title: str, text: str) -> str:
    """Copies of one story (same headline across outlets and re-posts) share this key."""
    basis = title if len(title) >= 12 else text[:200]
    key = _storykey.story_text(basis) if _storykey is not None else None
    return content_hash(story_text(basis) if key is None else key)


def story_text(basis: str) -> str:
    """What story_key hashes: the first 16 words, lower-case, without diacritics or end punctuation.

    The definition; ``storykey.pyx`` computes the same in C where it was compiled.
    """
    words = fold_diacritics(basis.lower()).split()[:16]
    key = " ".join(words)
    if _KEY_PUNCT_RE.search(key) is not None:  # only then can stripping the words change one
        key = " ".join([w.strip(_KEY_PUNCT) for w in words])
    return key


class _BadCount(Exception):
    def __init__(self, reason: str, expectation: str) -> None:
        super().__init__(reason)
        self.reason, self.expectation = reason, expectation


def _counts(raw: RawItem) -> tuple[int | None, ...]:
    """The engagement counts in COUNT_FIELDS order; _BadCount names the first that is not one."""
    counts: list[int | None] = []
    for f in COUNT_FIELDS:
        try:
            n = _count(getattr(raw, f))
        except ValueError as exc:
            raise _BadCount(f"{f}: {exc}", "engagement_counts_integer") from None
        if n is not None and n < 0:
            raise _BadCount(f"negative {f} count ({n})", "engagement_counts_non_negative")
        counts.append(n)
    return tuple(counts)


class _SourceFacts:
    """What every post of one source shares, looked up once per batch instead of once per item."""

    __slots__ = ("id", "kind", "latest", "platform", "since", "since_date", "unit")

    def __init__(self, source: Source, now: datetime) -> None:
        self.latest = now + FUTURE_TOLERANCE  # later than this is "in the future"
        self.id = source.id
        self.platform = source.platform.value
        self.kind = source.kind.value
        self.unit = source.unit
        self.since = source.since
        self.since_date = date.fromisoformat(source.since[:10]) if source.since else None


def _reject(
    raw: RawItem, facts: _SourceFacts, reason: str, stage: str = "normalize", expectation: str | None = None
) -> Rejected:
    return Rejected(
        raw.source_id,
        facts.platform,
        raw.item_id,
        stage,
        reason,
        _record_json(raw),
        raw.landing_ref,
        expectation,
    )


def _normalize(raw: RawItem, facts: _SourceFacts, now: datetime) -> tuple[Any, ...] | Rejected:
    """One item → the post's values in POST_COLUMNS order, or why it cannot be one."""
    if raw.problem:
        return _reject(raw, facts, raw.problem, stage="parse")
    if raw.item_id is None:
        return _reject(raw, facts, "missing post id", expectation="post_id_not_null")
    post_id = str(raw.item_id).strip()
    if post_id == "":
        return _reject(raw, facts, "missing post id", expectation="post_id_not_null")
    try:
        published = parse_timestamp(raw.published)
    except BadTimestamp as exc:
        return _reject(raw, facts, f"published time: {exc}", expectation="published_at_parseable")
    updated = None
    if raw.updated:
        try:
            updated = parse_timestamp(raw.updated)
        except BadTimestamp:
            updated = None
    if published > facts.latest:
        return _reject(
            raw,
            facts,
            f"published_at {published.isoformat()} is in the future",
            expectation="published_at_not_future",
        )
    if published < EARLIEST:
        return _reject(
            raw,
            facts,
            f"published_at {published.isoformat()} is before 2000: a placeholder date",
            expectation="published_at_plausible",
        )
    if facts.since_date is not None and published.date() < facts.since_date:
        return _reject(
            raw,
            facts,
            f"published_at {published.date()} is before the source's start {facts.since}",
            expectation="published_at_after_source_start",
        )
    counts: tuple[Any, ...] = (raw.likes, raw.comments, raw.shares, raw.views)
    for n in counts:  # the common case: each None or a non-negative int, which _count keeps as is
        if n is not None and (type(n) is not int or n < 0):
            try:
                counts = _counts(raw)
            except _BadCount as exc:
                return _reject(raw, facts, exc.reason, expectation=exc.expectation)
            break

    raw_title, raw_text = raw.title, raw.text
    title, p1 = _clean_field(raw_title, raw.is_html and looks_like_html(raw_title or ""))
    text, p2 = _clean_field(raw_text, raw.is_html)
    fix = p1 or p2
    if fix and fix.startswith("legacy_"):
        return _reject(
            raw,
            facts,
            f"text is in a legacy Vietnamese encoding ({fix[7:].upper()}); convert the export to Unicode",
            expectation="text_unicode",
        )
    if not title and not text:
        return _reject(raw, facts, "empty post: no title and no text", expectation="text_not_empty")
    if len(text) > MAX_TEXT:
        return _reject(
            raw, facts, f"text is {len(text):,} characters (over {MAX_TEXT:,})", expectation="text_length"
        )
    url = None
    if raw.url:
        url = canonical_url(raw.url)
        if url is None:
            return _reject(raw, facts, f"URL is not http(s): {raw.url[:120]!r}", expectation="url_is_http")

    return (
        facts.platform,
        post_id,
        facts.id,
        facts.unit,
        facts.kind,
        url,
        title or None,
        text,
        clean_text(raw.author) or None if raw.author else None,
        raw.author_id,
        published,
        updated,
        local_date(published),
        post_language(title, text),
        *counts,
        content_hash(title, text),
        story_key(title, text),
        fix,
        raw_title if raw_title != title else None,
        raw_text if raw_text != text else None,
        raw.fetched_at or now,
        raw.landing_ref,
    )


def normalize_item(raw: RawItem, source: Source, now: datetime | None = None) -> dict[str, Any] | Rejected:
    """Clean one raw item; every way it can fail becomes a Rejected with a human reason."""
    now = now or datetime.now(UTC)
    out = _normalize(raw, _SourceFacts(source, now), now)
    return out if isinstance(out, Rejected) else dict(zip(POST_COLUMNS, out, strict=True))


def normalize_rows(
    source: Source, items: Iterable[RawItem], now: datetime | None = None
) -> tuple[list[dict[str, Any]], list[Rejected]]:
    """``normalize_item`` over many items of one source: post rows (dicts) and rejects, in order."""
    rows, rejected = _normalize_all(source, items, now)
    return [dict(zip(POST_COLUMNS, r, strict=True)) for r in rows], rejected


def _normalize_all(
    source: Source, items: Iterable[RawItem], now: datetime | None
) -> tuple[list[tuple[Any, ...]], list[Rejected]]:
    """Each item's values in POST_COLUMNS order, or its rejection; the source looked up once."""
    now = now or datetime.now(UTC)
    facts = _SourceFacts(source, now)
    rows: list[tuple[Any, ...]] = []
    rejected: list[Rejected] = []
    for raw in items:
        out = _normalize(raw, facts, now)
        if isinstance(out, Rejected):
            rejected.append(out)
        else:
            rows.append(out)
    return rows, rejected


@dataclass
class NormalizedBatch:
    """A batch of posts as columns (POST_COLUMNS order, one list each), and what was rejected.

    Columns skip the per-post dict that ``normalize_item`` builds; ``postwatch.warehouse.load.
    columns_to_arrow`` turns them into the load's Arrow batch.
    """

    columns: dict[str, list[Any]]
    rejected: list[Rejected]

    @property
    def num_rows(self) -> int:
        return len(self.columns[POST_COLUMNS[0]])


def normalize_batch(source: Source, items: Iterable[RawItem], now: datetime | None = None) -> NormalizedBatch:
    """``normalize_item`` over many items of one source, the posts kept as columns (the cyclic
    garbage collector paused meanwhile, see ``postwatch.gcpause``)."""
    with gc_paused():
        rows, rejected = _normalize_all(source, items, now)
    columns = list(zip(*rows, strict=True)) if rows else [() for _ in POST_COLUMNS]
    return NormalizedBatch(
        {name: list(col) for name, col in zip(POST_COLUMNS, columns, strict=True)}, rejected
    )
