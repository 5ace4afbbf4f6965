"""Alerts in the warehouse: new stories, copies joining them, and the life of each alert
(new -> acknowledged -> answered). Transitions are checked here; the CLI and the alert_update DAG
call the same functions."""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import duckdb

from postwatch.alerts.answer import Answer, answers
from postwatch.alerts.detect import Candidate, detect
from postwatch.alerts.group import Story, alert_id_for, match
from postwatch.report.digest.config import AlertSection
from postwatch.rules.text import fold_text
from postwatch.settings import Settings
from postwatch.warehouse.db import read_query, writer
from postwatch.warehouse.sqlfiles import sql

log = logging.getLogger(__name__)


class AlertStateError(ValueError):
    """A transition that does not fit the alert (unknown id, ambiguous prefix, already answered)."""


@dataclass
class PassResult:
    created: list[str] = field(default_factory=list)
    grouped: dict[str, int] = field(default_factory=dict)  # alert_id -> posts that joined it
    answered: list[Answer] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "created": self.created,
            "grouped": self.grouped,
            "answered": [{"alert_id": a.alert_id, "answered_at": a.answered_at.isoformat(),
                          "source_id": a.source_id, "match": a.match} for a in self.answered],
        }  # fmt: skip


def _rows(con: duckdb.DuckDBPyConnection, name: str, params: Mapping[str, Any]) -> list[dict[str, Any]]:
    cur = con.execute(sql(name), dict(params))
    cols = [c[0] for c in cur.description or []]
    return [dict(zip(cols, r, strict=True)) for r in cur.fetchall()]


def _event(con: duckdb.DuckDBPyConnection, alert_id: str, event: str, at: datetime, by: str | None,
           note: str | None = None) -> None:  # fmt: skip
    con.execute(sql("alerts_insert_event"), {"alert_id": alert_id, "event": event, "at": at, "by": by,
                                             "note": note})  # fmt: skip


def _stories(con: duckdb.DuckDBPyConnection, since: datetime) -> list[Story]:
    out = []
    for r in _rows(con, "alerts_recent", {"since": since}):
        s = Story(r["alert_id"], r["kind"], set(r["story_keys"] or []) | {r["story_key"]},
                  set(r["urls"] or []), set(r["hashes"] or []), [], set(r["post_refs"] or []))  # fmt: skip
        if r["kind"] != "spike" and r["title"]:
            s.titles.append(fold_text(r["title"]))
        out.append(s)
    return out


def record(
    con: duckdb.DuckDBPyConnection, candidates: Sequence[Candidate], now: datetime, cfg: AlertSection
) -> PassResult:
    """Turn candidates into alerts: a copy of a known story joins it, anything else is a new alert."""
    result = PassResult()
    stories = _stories(con, now - timedelta(hours=cfg.grouping.window_hours))
    for cand in candidates:
        story, how = match(cand, stories, cfg.grouping.title_similarity)
        new_posts = [p for p in cand.posts if story is None or p.ref not in story.post_refs]
        if story is None:
            alert_id = alert_id_for(cand.story_key)
            con.execute(sql("alerts_insert"), {
                "alert_id": alert_id, "story_key": cand.story_key, "kind": cand.kind, "unit_id": cand.unit_id,
                "rule_id": cand.rule_id, "title": cand.title, "url": cand.url, "severity": cand.severity,
                "reason": json.dumps(cand.reason, ensure_ascii=False, default=str), "now": now,
                "first_seen_at": cand.first_seen_at, "engagement": cand.engagement,
            })  # fmt: skip
            _event(con, alert_id, "created", now, None, cand.kind)
            story = Story(alert_id, cand.kind)
            stories.append(story)
            result.created.append(alert_id)
            how = "story_key"
        elif new_posts:
            result.grouped[story.alert_id] = result.grouped.get(story.alert_id, 0) + len(new_posts)
            _event(con, story.alert_id, "grouped", now, None, f"{len(new_posts)} post(s) by {how}")
        for p in new_posts:
            ref = {"alert_id": story.alert_id, "platform": p.platform, "post_id": p.post_id, "match": how}
            con.execute(sql("alerts_insert_post"), {**ref, "now": now})
        story.absorb(cand)
        con.execute(sql("alerts_touch"), {"alert_id": story.alert_id, "engagement": cand.engagement,
                                          "first_seen_at": cand.first_seen_at, "severity": cand.severity,
                                          "now": now})  # fmt: skip
    return result


def units(con: duckdb.DuckDBPyConnection) -> tuple[dict[str, str | None], dict[str, str]]:
    rows = _rows(con, "alerts_units", {})
    return {r["unit_id"]: r["parent_id"] for r in rows}, {r["unit_id"]: r["name"] for r in rows}


def auto_answer(
    con: duckdb.DuckDBPyConnection,
    now: datetime,
    cfg: AlertSection,
    parents: Mapping[str, str | None],
    seen_by: datetime | None = None,
) -> list[Answer]:
    """Mark answered the open alerts an official page has since posted about."""
    open_alerts = _rows(con, "alerts_unanswered", {})
    if not open_alerts:
        return []
    since = min(a["first_seen_at"] for a in open_alerts) - timedelta(seconds=1)
    official = _rows(con, "alerts_official_posts", {"since": since, "now": now, "seen_by": seen_by or now})
    found = answers(open_alerts, official, parents, similarity=cfg.answer_match.similarity,
                    window_hours=cfg.answer_match.window_hours)  # fmt: skip
    for a in found:
        con.execute(sql("alerts_answer"), {"alert_id": a.alert_id, "at": a.answered_at,
                                           "by": f"auto:{a.source_id}", "url": a.url, "note": None,
                                           "now": now})  # fmt: skip
        _event(con, a.alert_id, "answered", a.answered_at, f"auto:{a.source_id}", f"matched by {a.match}")
    return found


def run_pass(
    now: datetime, cfg: AlertSection, settings: Settings | None = None, seen_by: datetime | None = None
) -> PassResult:
    """One detection pass at ``now``, in one transaction: detect, group, record, find answers.

    ``seen_by`` (default ``now``) is the latest collection time a post may have to be seen.
    """

    def tx(con: duckdb.DuckDBPyConnection) -> PassResult:
        parents, names = units(con)
        result = record(con, detect(con, now, cfg, parents, names, seen_by), now, cfg)
        result.answered = auto_answer(con, now, cfg, parents, seen_by)
        return result

    return writer(tx, settings)


def find(prefix: str, settings: Settings | None = None) -> dict[str, Any]:
    """The one alert whose id starts with ``prefix``."""
    cols, rows = read_query(sql("alerts_find"), {"prefix": prefix.strip()}, settings)
    if not rows:
        raise AlertStateError(f"no alert with id {prefix!r}")
    if len(rows) > 1:
        raise AlertStateError(f"{prefix!r} matches {len(rows)} alerts: give more characters")
    return dict(zip(cols, rows[0], strict=True))


def acknowledge(prefix: str, by: str, at: datetime, note: str | None = None,
                settings: Settings | None = None) -> dict[str, Any]:  # fmt: skip
    """new -> acknowledged. Acknowledging twice changes nothing; an answered alert stays answered."""
    alert = find(prefix, settings)
    if alert["status"] == "answered":
        raise AlertStateError(f"alert {alert['alert_id']} is already answered; nothing to acknowledge")
    if alert["status"] == "acknowledged":
        return alert

    def tx(con: duckdb.DuckDBPyConnection) -> None:
        con.execute(
            sql("alerts_acknowledge"), {"alert_id": alert["alert_id"], "at": at, "by": by, "note": note}
        )
        _event(con, alert["alert_id"], "acknowledged", at, by, note)

    writer(tx, settings)
    return find(alert["alert_id"], settings)


def answer(prefix: str, by: str, at: datetime, url: str | None = None, note: str | None = None,
           now: datetime | None = None, settings: Settings | None = None) -> dict[str, Any]:  # fmt: skip
    """new|acknowledged -> answered at ``at`` (when the unit answered). Answering twice changes nothing."""
    alert = find(prefix, settings)
    if alert["status"] == "answered":
        return alert
    if at < alert["first_seen_at"]:
        raise AlertStateError(f"answer time {at:%Y-%m-%d %H:%M} UTC is before the story broke")

    def tx(con: duckdb.DuckDBPyConnection) -> None:
        con.execute(sql("alerts_answer"), {"alert_id": alert["alert_id"], "at": at, "by": by, "url": url,
                                           "note": note, "now": now or at})  # fmt: skip
        _event(con, alert["alert_id"], "answered", at, by, note)

    writer(tx, settings)
    return find(alert["alert_id"], settings)
