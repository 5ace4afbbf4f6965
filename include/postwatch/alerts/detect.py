"""What deserves a hot alert right now: a negative post spreading fast, a critical rule hit, or a
spike in mentions of a unit or hits of a rule. Each finding is a Candidate; grouping decides
whether it is a new story or a copy of one already alerted."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import duckdb

from postwatch.report.digest.config import AlertSection
from postwatch.report.digest.render import strings
from postwatch.warehouse.sqlfiles import sql

TZ = ZoneInfo("Asia/Ho_Chi_Minh")


@dataclass(frozen=True)
class PostRef:
    platform: str
    post_id: str
    url: str | None = None
    title: str | None = None
    story_key: str | None = None
    content_hash: str | None = None
    published_at: datetime | None = None

    @property
    def ref(self) -> str:
        return f"{self.platform}|{self.post_id}"


@dataclass(frozen=True)
class Candidate:
    kind: str  # velocity | critical_rule | spike
    severity: str  # critical | high
    story_key: str
    title: str
    url: str | None
    unit_id: str | None
    rule_id: str | None
    first_seen_at: datetime
    engagement: int
    reason: dict[str, Any]
    posts: tuple[PostRef, ...] = field(default_factory=tuple)


def _rows(con: duckdb.DuckDBPyConnection, name: str, params: Mapping[str, Any]) -> list[dict[str, Any]]:
    cur = con.execute(sql(name), dict(params))
    cols = [c[0] for c in cur.description or []]
    return [dict(zip(cols, r, strict=True)) for r in cur.fetchall()]


def most_specific(unit_ids: Sequence[str] | None, parents: Mapping[str, str | None]) -> str | None:
    """Of the units a post is about, the deepest in the tree (the commune rather than the province)."""

    def depth(u: str) -> int:
        d, seen = 0, set()
        while parents.get(u) and u not in seen:
            seen.add(u)
            u, d = parents[u] or "", d + 1
        return d

    units = [u for u in (unit_ids or []) if u]
    return max(units, key=lambda u: (depth(u), u)) if units else None


def _title(row: Mapping[str, Any]) -> str:
    text = (row.get("title") or row.get("text") or "").strip()
    return text if len(text) <= 160 else text[:159].rstrip() + "…"


def _ref(row: Mapping[str, Any]) -> PostRef:
    return PostRef(
        row["platform"], row["post_id"], row.get("url"), row.get("title"), row.get("story_key"),
        row.get("content_hash"), row.get("published_at"),
    )  # fmt: skip


def detect(
    con: duckdb.DuckDBPyConnection,
    now: datetime,
    cfg: AlertSection,
    parents: Mapping[str, str | None],
    names: Mapping[str, str],
    seen_by: datetime | None = None,
) -> list[Candidate]:
    """Every finding at ``now``, critical rule hits first so a story that is both is filed as an
    incident (posts collected after ``seen_by``, by default ``now``, are not seen: replays are honest)."""
    seen_by = seen_by or now
    since = now - timedelta(hours=cfg.velocity.lookback_hours)
    out: list[Candidate] = []
    for r in _rows(con, "alerts_critical_candidates", {"now": now, "since": since, "seen_by": seen_by}):
        out.append(Candidate(
            kind="critical_rule", severity="critical", story_key=r["story_key"], title=_title(r),
            url=r["url"],
            unit_id=r["rule_unit_id"] or most_specific(r["unit_ids"], parents), rule_id=r["rule_ids"][0],
            first_seen_at=r["published_at"], engagement=int(r["engagement"]),
            reason={"rules": list(r["rule_ids"])}, posts=(_ref(r),),
        ))  # fmt: skip
    for r in _rows(con, "alerts_velocity_candidates", {
        "now": now, "since": since, "seen_by": seen_by, "per_hour": cfg.velocity.engagement_per_hour,
        "min_engagement": cfg.velocity.min_engagement,
    }):  # fmt: skip
        out.append(Candidate(
            kind="velocity", severity="high", story_key=r["story_key"], title=_title(r), url=r["url"],
            unit_id=most_specific(r["unit_ids"], parents), rule_id=None, first_seen_at=r["published_at"],
            engagement=int(r["engagement"]),
            reason={"engagement": int(r["engagement"]), "per_hour": round(float(r["velocity"]), 1),
                    "threshold": cfg.velocity.engagement_per_hour},
            posts=(_ref(r),),
        ))  # fmt: skip
    out.extend(_spikes(con, now, cfg, names, seen_by))
    return out


def spike_title(scope: str, subject: str, recent: int) -> str:
    """The spike's one-line title, worded by templates/digest_strings.j2."""
    return " ".join(str(strings().spike_title(scope, subject, recent)).split())


def _spikes(
    con: duckdb.DuckDBPyConnection,
    now: datetime,
    cfg: AlertSection,
    names: Mapping[str, str],
    seen_by: datetime,
) -> list[Candidate]:
    day = now.astimezone(TZ).date().isoformat()
    hour, day_span = timedelta(hours=1), timedelta(days=1)
    specs: list[tuple[str, str, float, int, str, dict[str, Any]]] = [
        ("alerts_unit_spikes", "unit", cfg.spike.ratio, cfg.spike.min_count, "1h/12h",
         {"press": False, "recent": hour, "periods": 12}),
        ("alerts_rule_spikes", "rule", cfg.spike.ratio, cfg.spike.min_count, "1h/12h", {}),
        ("alerts_unit_spikes", "press", cfg.spike.press_ratio, cfg.spike.press_min_count, "1d/14d",
         {"press": True, "recent": day_span, "periods": 14}),
    ]  # fmt: skip
    out: list[Candidate] = []
    for name, scope, ratio, min_count, window, extra in specs:
        params = {"now": now, "seen_by": seen_by, "ratio": ratio, "min_count": min_count, **extra}
        for r in _rows(con, name, params):
            subject = r.get("rule_id") if scope == "rule" else r["unit_id"]
            posts = tuple(PostRef(p["platform"], p["post_id"], p["url"], p["title"], None, None,
                                  p["published_at"]) for p in r["posts"])  # fmt: skip
            out.append(Candidate(
                kind="spike", severity="high", story_key=f"spike:{scope}:{subject}:{day}",
                title=spike_title(scope, names.get(subject or "", subject or "?"), int(r["recent"])),
                url=posts[0].url if posts else None, unit_id=r.get("unit_id"),
                rule_id=r.get("rule_id"), first_seen_at=min(p.published_at for p in posts if p.published_at),
                engagement=0,
                reason={"scope": scope, "window": window, "recent": int(r["recent"]),
                        "baseline": int(r["baseline"]), "baseline_rate": round(float(r["baseline_rate"]), 2),
                        "ratio": ratio},
                posts=posts,
            ))  # fmt: skip
    return out
