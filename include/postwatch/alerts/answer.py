"""Has the unit answered the story? An official page of the unit (or of a unit above it) posted
about the same story after it broke: same story key, the same incident rule fired, or a title/text
close to the alert's title (rapidfuzz, see group.similar, over diacritic-folded text)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from postwatch.alerts.group import similar
from postwatch.rules.text import fold_text


@dataclass(frozen=True)
class Answer:
    alert_id: str
    answered_at: datetime
    source_id: str
    url: str | None
    match: str  # story_key | rule | text


def lineage(unit_id: str | None, parents: Mapping[str, str | None]) -> set[str]:
    """The unit and every unit above it: their official pages may answer for it."""
    out: set[str] = set()
    while unit_id and unit_id not in out:
        out.add(unit_id)
        unit_id = parents.get(unit_id)
    return out


def _text(post: Mapping[str, Any]) -> str:
    return fold_text(post.get("title") or (post.get("text") or "")[:200])


def find_answer(
    alert: Mapping[str, Any],
    official_posts: Sequence[Mapping[str, Any]],
    parents: Mapping[str, str | None],
    *,
    similarity: float,
    window_hours: int,
) -> Answer | None:
    """The earliest official post answering ``alert`` (a row of alerts_unanswered), or None."""
    first = alert["first_seen_at"]
    units = lineage(alert.get("unit_id"), parents)
    own = set(alert.get("post_refs") or [])
    keys = set(alert.get("story_keys") or [])
    rules = set(alert.get("rule_ids") or [])
    title = fold_text(alert.get("title") or "")
    for post in sorted(official_posts, key=lambda p: p["published_at"]):
        if not (first <= post["published_at"] <= first + timedelta(hours=window_hours)):
            continue
        if f"{post['platform']}|{post['post_id']}" in own:
            continue
        if units and post.get("unit_id") not in units:
            continue
        how = _how(post, keys, rules, title, similarity)
        if how:
            return Answer(alert["alert_id"], post["published_at"], post["source_id"], post.get("url"), how)
    return None


def _how(post: Mapping[str, Any], keys: set[str], rules: set[str], title: str, similarity: float) -> str:
    if post.get("story_key") in keys:
        return "story_key"
    if rules & set(post.get("rule_ids") or []):
        return "rule"
    if title and similar(title, _text(post)) >= similarity:
        return "text"
    return ""


def answers(
    alerts: Iterable[Mapping[str, Any]],
    official_posts: Sequence[Mapping[str, Any]],
    parents: Mapping[str, str | None],
    *,
    similarity: float,
    window_hours: int,
) -> list[Answer]:
    found = (find_answer(a, official_posts, parents, similarity=similarity, window_hours=window_hours)
             for a in alerts)  # fmt: skip
    return [a for a in found if a is not None]
