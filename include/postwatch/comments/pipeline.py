"""One comments run: for each official Facebook page and YouTube channel, read the comments of its
posts of the last days, classify them, hash the commenters, and upsert them in one transaction.

A source failing (expired token, quota) is recorded in ``comment_runs`` and never stops the
others; a malformed comment is quarantined with its reason (without the commenter's name) and
the rest of the page goes on. Names never reach the warehouse: only ``author_hash``.
"""

from __future__ import annotations

import json
import logging
import traceback
import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

import duckdb
import pyarrow as pa

from postwatch.collect.base import SourceError
from postwatch.collect.comments_base import CommentSource, RawComment
from postwatch.collect.comments_facebook import FacebookComments
from postwatch.collect.comments_youtube import YouTubeComments
from postwatch.collect.http import HttpClient, HttpGaveUp, RetryAfterTooLong
from postwatch.collect.landing import Lander
from postwatch.comments.classify import Classifier
from postwatch.comments.config import CommentsConfig, load_config
from postwatch.comments.hashing import author_hash, hash_key
from postwatch.days import local_day
from postwatch.normalize.rejected import Rejected
from postwatch.normalize.text import clean_text
from postwatch.normalize.times import BadTimestamp, parse_timestamp
from postwatch.pipeline.collect import safe_run_id
from postwatch.registry import Registry, Source, load_registry
from postwatch.settings import Settings, get_settings
from postwatch.tokens import TokenResolver, env_token
from postwatch.warehouse.db import read_query, writer
from postwatch.warehouse.load import rejected_to_arrow
from postwatch.warehouse.sqlfiles import sql

log = logging.getLogger(__name__)
TS = pa.timestamp("us", tz="UTC")
COMMENTS_SCHEMA = pa.schema(
    [
        ("platform", pa.string()),
        ("comment_id", pa.string()),
        ("post_id", pa.string()),
        ("source_id", pa.string()),
        ("unit_id", pa.string()),
        ("parent_id", pa.string()),
        ("thread_id", pa.string()),
        ("author_hash", pa.string()),
        ("by_page", pa.bool_()),
        ("text", pa.string()),
        ("created_at", TS),
        ("kind", pa.string()),
        ("cues", pa.list_(pa.string())),
        ("likes", pa.int64()),
        ("replies", pa.int64()),
        ("landing_ref", pa.string()),
    ]
)
PLATFORMS = ("facebook", "youtube")


def comment_source(
    source: Source,
    client: HttpClient | None,
    lander: Lander | None,
    token: str | None,
    config: CommentsConfig,
    key: bytes,
) -> CommentSource:
    cls = FacebookComments if source.platform.value == "facebook" else YouTubeComments
    platform = source.platform.value
    return cls(
        source, client, lander, token, config.max_pages_per_post,
        lambda author_id, name: author_hash(key, platform, author_id, name),
    )  # fmt: skip


@dataclass
class SourceOutcome:
    source_id: str
    status: str = "ok"
    message: str = ""
    posts: int = 0
    posts_skipped: int = 0
    payloads: int = 0
    comments: int = 0
    new_comments: int = 0
    quarantined: int = 0
    skipped: dict[str, str] = field(default_factory=dict)


@dataclass
class RunSummary:
    run_id: str
    as_of: str
    window_start: str
    sources: list[SourceOutcome] = field(default_factory=list)

    @property
    def comments(self) -> int:
        return sum(s.comments for s in self.sources)

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "comments": self.comments}


def target_posts(
    as_of: date, config: CommentsConfig, settings: Settings | None = None
) -> dict[str, list[dict[str, Any]]]:
    """Official posts of the window, per source id."""
    start = as_of - timedelta(days=config.lookback_days - 1)
    cols, rows = read_query(sql("comments_target_posts"), {"as_of": as_of, "window_start": start}, settings)
    out: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in rows:
        row = dict(zip(cols, r, strict=True))
        out[row["source_id"]].append(row)
    return dict(out)


def to_rows(
    raw: Iterable[RawComment],
    source: Source,
    unit_of: dict[str, str | None],
    is_page: Any,
    classifier: Classifier,
    key: bytes,
) -> tuple[list[dict[str, Any]], list[Rejected]]:
    """Clean, classify and pseudonymise parsed comments; bad ones become Rejected with the reason."""
    rows: dict[str, dict[str, Any]] = {}
    rejected: list[Rejected] = []
    for c in raw:
        reason = c.problem
        created = None
        if reason is None and not c.comment_id:
            reason = "comment without an id"
        if reason is None:
            try:
                created = parse_timestamp(c.created)
            except BadTimestamp as exc:
                reason = f"created_time {c.created!r} unreadable: {exc}"
        if reason is not None:
            rejected.append(_reject(c, source, reason, key))
            continue
        by_page = is_page(c.author_id)
        text = clean_text(c.text)
        kind = classifier.classify(text)
        rows[c.comment_id] = {  # a comment met twice (nested and flat) is one row
            "platform": c.platform,
            "comment_id": c.comment_id,
            "post_id": c.post_id,
            "source_id": source.id,
            "unit_id": unit_of.get(c.post_id) or source.unit,
            "parent_id": c.parent_id,
            "thread_id": c.parent_id or c.comment_id,
            "author_hash": None if by_page else author_hash(key, c.platform, c.author_id, c.author_name),
            "by_page": by_page,
            "text": text,
            "created_at": created,
            "kind": kind.kind.value,
            "cues": list(kind.cues),
            "likes": c.likes,
            "replies": c.replies,
            "landing_ref": c.landing_ref,
        }
    _resolve_threads(rows)
    return list(rows.values()), rejected


def _resolve_threads(rows: dict[str, dict[str, Any]]) -> None:
    """A reply to a reply belongs to the thread of its top-level comment."""
    for row in rows.values():
        seen = {row["comment_id"]}
        parent = rows.get(row["thread_id"])
        while parent is not None and parent["parent_id"] and parent["comment_id"] not in seen:
            seen.add(parent["comment_id"])
            row["thread_id"] = parent["parent_id"]
            parent = rows.get(parent["parent_id"])


def _reject(c: RawComment, source: Source, reason: str, key: bytes) -> Rejected:
    record = asdict(c)
    record["author_hash"] = author_hash(key, c.platform, record.pop("author_id"), record.pop("author_name"))
    return Rejected(
        source_id=source.id,
        platform=c.platform,
        item_id=c.comment_id,
        stage="parse" if c.problem else "normalize",
        reason=f"comment on {c.post_id}: {reason}",
        record=json.dumps(record, ensure_ascii=False, default=str),
        landing_ref=c.landing_ref,
    )


def store(
    rows: list[dict[str, Any]],
    rejected: list[Rejected],
    outcome: SourceOutcome,
    run_id: str,
    started: datetime,
    settings: Settings | None = None,
) -> None:
    """Upsert the comments, quarantine the bad ones and record the run, in one transaction."""
    table = pa.Table.from_pylist(rows, schema=COMMENTS_SCHEMA)
    quarantine = rejected_to_arrow(rejected, run_id)

    def tx(con: duckdb.DuckDBPyConnection) -> None:
        now = datetime.now(UTC)
        if table.num_rows:
            con.register("comments_in", table)
            outcome.new_comments = con.execute(sql("comments_count_new")).fetchone()[0]
            con.execute(sql("comments_merge"), {"now": now})
            con.unregister("comments_in")
        if quarantine.num_rows:
            con.register("quarantine_in", quarantine)
            con.execute(sql("insert_quarantine"), {"now": now})
            con.unregister("quarantine_in")
        con.execute(
            sql("comments_insert_run"),
            {
                "run_id": run_id,
                "source_id": outcome.source_id,
                "started_at": started,
                "finished_at": now,
                "status": outcome.status,
                "message": outcome.message or None,
                "posts": outcome.posts,
                "posts_skipped": outcome.posts_skipped,
                "payloads": outcome.payloads,
                "comments": outcome.comments,
                "new_comments": outcome.new_comments,
            },
        )

    writer(tx, settings)


def collect_source(
    source: Source,
    posts: list[dict[str, Any]],
    run_id: str,
    config: CommentsConfig,
    key: bytes,
    *,
    settings: Settings,
    token_resolver: TokenResolver = env_token,
    client: HttpClient | None = None,
) -> SourceOutcome:
    """Fetch, parse and store one source's comments; a source-level failure is recorded, not raised."""
    started = datetime.now(UTC)
    outcome = SourceOutcome(source.id, posts=len(posts))
    # Beside the posts' landing folders, not among them: post replays never meet comment pages.
    lander = Lander(settings.landing_dir / "comments", source.id, source.platform.value, safe_run_id(run_id))
    token = token_resolver(source.conn_id) if source.conn_id else None
    own_client = client is None
    client = client or HttpClient(settings)
    rows: list[dict[str, Any]] = []
    rejected: list[Rejected] = []
    try:
        reader = comment_source(source, client, lander, token, config, key)
        fetched = reader.fetch([p["post_id"] for p in posts])
        outcome.payloads, outcome.skipped = len(fetched.payloads), fetched.skipped
        outcome.posts_skipped = len(fetched.skipped)
        raw = [c for p in fetched.payloads for c in reader.parse(p)]
        unit_of = {p["post_id"]: p["unit_id"] for p in posts}
        rows, rejected = to_rows(raw, source, unit_of, reader.is_page, Classifier(config), key)
        outcome.comments, outcome.quarantined = len(rows), len(rejected)
    except (SourceError, RetryAfterTooLong, HttpGaveUp) as exc:
        outcome.status = getattr(exc, "status", "error")
        outcome.message = str(exc)
    except Exception as exc:  # one broken source must not stop the others
        outcome.status, outcome.message = "error", f"{type(exc).__name__}: {exc}"
        log.error("comments of %s failed:\n%s", source.id, traceback.format_exc())
    finally:
        if own_client:
            client.close()
    if outcome.status != "ok":
        rows, rejected = [], []
        log.warning("comments of %s: %s: %s", source.id, outcome.status, outcome.message)
    store(rows, rejected, outcome, run_id, started, settings)
    return outcome


def set_policy(config: CommentsConfig, settings: Settings | None = None) -> None:
    """Write the settings the view comments_unanswered applies."""

    def tx(con: duckdb.DuckDBPyConnection) -> None:
        con.execute(sql("comments_clear_policy"))
        con.execute(
            sql("comments_insert_policy"),
            {
                "answer_within_hours": config.answer_within_hours,
                "report_kinds": [k.value for k in config.report_kinds],
                "lookback_days": config.lookback_days,
                "now": datetime.now(UTC),
            },
        )

    writer(tx, settings)


def run_comments(
    as_of: date | None = None,
    *,
    settings: Settings | None = None,
    registry: Registry | None = None,
    token_resolver: TokenResolver = env_token,
    key: str | None = None,
    run_id: str | None = None,
    client: HttpClient | None = None,
) -> RunSummary:
    """Collect the comments of every official Facebook page and YouTube channel for the window."""
    settings = settings or get_settings()
    secret = hash_key(key)  # before any request: without a key nothing about commenters is kept
    registry = registry or load_registry(settings=settings)
    config = load_config(settings=settings)
    as_of = as_of or local_day(settings=settings)
    start = as_of - timedelta(days=config.lookback_days - 1)
    summary = RunSummary(run_id or uuid.uuid4().hex, as_of.isoformat(), start.isoformat())
    set_policy(config, settings)
    posts = target_posts(as_of, config, settings)
    for source in registry.sources:
        if source.kind.value != "official" or not source.active or source.platform.value not in PLATFORMS:
            continue
        outcome = collect_source(
            source, posts.get(source.id, []), summary.run_id, config, secret,
            settings=settings, token_resolver=token_resolver, client=client,
        )  # fmt: skip
        summary.sources.append(outcome)
    log.info("comments %s: %d comments from %d sources", as_of, summary.comments, len(summary.sources))
    return summary
