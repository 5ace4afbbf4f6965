"""Which pages to score, and what their posts show, from the registry and the collected posts.

Three ways in: (a) the watched list in sources.yaml; (b) authors of collected posts (not ours,
not the press) whose name or posts use one of our units' names; (c) authors who re-post our
official posts (same story, or near-identical text). A page met several ways is one candidate,
keyed by its platform id (a Facebook page id, a YouTube channel id), so the watched page and the
author of its posts coincide. Feeds and portals (rss, web) are one page each: their authors
are journalists, not pages, and are not profiled.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from postwatch.impersonation.config import ImpersonationConfig
from postwatch.impersonation.score import Candidate, PhraseSet, compact, fold, handle_from_url, page_key_of
from postwatch.registry import Kind, Registry, Source
from postwatch.settings import Settings
from postwatch.warehouse.db import read_query
from postwatch.warehouse.sqlfiles import sql

SITE_PLATFORMS = frozenset({"rss", "web"})
# Sources that are collections of other pages' posts, not a page one could impersonate with.
BATCH_PLATFORMS = frozenset({"file"})
SHINGLE = 5  # words per shingle when comparing texts for copies
COPY_CONTAINMENT = 0.6  # share of the shorter text's shingles found in the other
MIN_SHINGLES = 3


@dataclass(frozen=True)
class Window:
    as_of: date
    start: date
    copy_start: date

    def params(self) -> dict[str, date]:
        return {"as_of": self.as_of, "window_start": self.start}


def _rows(name: str, params: dict[str, Any], settings: Settings | None) -> list[dict[str, Any]]:
    cols, rows = read_query(sql(name), params, settings)
    return [dict(zip(cols, r, strict=True)) for r in rows]


class UnitMentions:
    """Does a text use one of our units' names or aliases (folded, whole words, or written together)?"""

    def __init__(self, registry: Registry, generic: PhraseSet) -> None:
        phrases = {fold(t) for u in registry.units for t in (u.name, *u.aliases)}
        phrases |= {
            " ".join(rest) for u in registry.units if (rest := generic.split(fold(u.name).split())[0])
        }
        phrases = {p for p in phrases if len(p.replace(" ", "")) >= 4}
        self._pattern = (
            re.compile(
                r"\b(?:" + "|".join(re.escape(p) for p in sorted(phrases, key=len, reverse=True)) + r")\b"
            )
            if phrases
            else None
        )
        self._compact = {p.replace(" ", "") for p in phrases if len(p.replace(" ", "")) >= 5}

    def found(self, text: str | None) -> bool:
        folded = fold(text)
        if not folded or self._pattern is None:
            return False
        if self._pattern.search(folded):
            return True  # written together inside one token: a handle or hashtag ("ubndtinhsonha")
        return any(c in t for t in folded.split() if len(t) >= 5 for c in self._compact)


class CopyFinder:
    """Finds our official posts a post repeats: the same story key, or most of the same words in order."""

    def __init__(self, official_posts: Iterable[dict[str, Any]]) -> None:
        self._stories: dict[str, dict[str, Any]] = {}
        self._index: dict[int, set[int]] = defaultdict(set)
        self._posts: list[tuple[dict[str, Any], int]] = []
        for p in official_posts:
            self._stories.setdefault(p["story_key"], p)
            sh = shingles(_post_text(p))
            for s in sh:
                self._index[s].add(len(self._posts))
            self._posts.append((p, len(sh)))

    def find(self, post: dict[str, Any]) -> tuple[dict[str, Any], str] | None:
        """(the official post copied, "story" or "text"), or None."""
        hit = self._stories.get(post["story_key"])
        if hit is not None:
            return hit, "story"
        sh = shingles(_post_text(post))
        if len(sh) < MIN_SHINGLES:
            return None
        counts: dict[int, int] = defaultdict(int)
        for s in sh:
            for i in self._index.get(s, ()):
                counts[i] += 1
        for i, n in sorted(counts.items(), key=lambda kv: -kv[1]):
            official, size = self._posts[i]
            if size >= MIN_SHINGLES and n / min(len(sh), size) >= COPY_CONTAINMENT:
                return official, "text"
        return None


def shingles(text: str) -> set[int]:
    words = fold(text).split()
    return {hash(tuple(words[i : i + SHINGLE])) for i in range(len(words) - SHINGLE + 1)}


def _post_text(p: dict[str, Any]) -> str:
    return " ".join(x for x in (p.get("title"), p.get("text")) if x)


def _ref(p: dict[str, Any]) -> str:
    return p.get("url") or f"{p['platform']}:{p['post_id']}"


def _when(p: dict[str, Any]) -> str | None:
    at = p.get("published_at")
    return at.isoformat() if isinstance(at, datetime) else None


def watched_candidates(sources: Sequence[Source]) -> list[Candidate]:
    """The watched list: every page the officer registered as watched."""
    out = []
    for s in sources:
        if s.kind != Kind.watched or s.platform.value in BATCH_PLATFORMS:
            continue
        url = str(s.url) if s.url else None
        out.append(
            Candidate(
                platform=s.platform.value,
                page_key=page_key_of(s),
                name=s.name,
                handle=s.handle or handle_from_url(url),
                url=url,
                verified=s.verified,
                source_id=s.id,
                origins={"watched"},
            )
        )
    return out


def post_page(post: dict[str, Any], source: Source | None) -> tuple[str, str] | None:
    """(page key, page name) of the page that published a post; None when no page can be named."""
    if post["platform"] in BATCH_PLATFORMS and not (post.get("author") or post.get("author_id")):
        return None
    fallback_key = page_key_of(source) if source else "source:" + post["source_id"]
    fallback_name = source.name if source else post["source_id"]
    if post["platform"] in SITE_PLATFORMS or not (post.get("author") or post.get("author_id")):
        return fallback_key, fallback_name
    if post.get("author_id"):
        return str(post["author_id"]), post.get("author") or fallback_name
    return "name:" + fold(post["author"]), post["author"]


def build_candidates(
    registry: Registry,
    config: ImpersonationConfig,
    posts: Sequence[dict[str, Any]],
    official_posts: Sequence[dict[str, Any]],
    cue_hits: dict[tuple[str, str], list[str]],
) -> list[Candidate]:
    """Group posts by page, attach copies / scam cues / rule hits, keep pages that concern our units."""
    by_id = {s.id: s for s in registry.sources}
    found: dict[tuple[str, str], Candidate] = {
        (c.platform, c.page_key): c for c in watched_candidates(registry.sources)
    }
    generic = PhraseSet(config.generic)
    mentions = UnitMentions(registry, generic)
    cues, warnings = PhraseSet(config.scam_cues), PhraseSet(config.warning_words)
    copies = CopyFinder(official_posts)
    mentioning: set[tuple[str, str]] = set()

    for p in posts:  # in publication order: the latest post's name and handle win
        page = post_page(p, by_id.get(p["source_id"]))
        if page is None:
            continue
        key, name = page
        k = (p["platform"], key)
        c = found.get(k)
        if c is None:
            c = found[k] = Candidate(platform=p["platform"], page_key=key, name=name)
        if c.source_id is None:
            c.name = name
        c.handle = (
            (c.handle if c.source_id and c.handle else None) or handle_from_url(p.get("url")) or c.handle
        )
        c.posts += 1
        at = p.get("published_at")
        if at is not None and (c.last_post_at is None or at > c.last_post_at):
            c.last_post_at = at
        text = _post_text(p)
        if k not in mentioning and (
            mentions.found(name) or mentions.found(compact(c.handle)) or mentions.found(text)
        ):
            mentioning.add(k)
        copied = copies.find(p)
        if copied is not None:
            official, via = copied
            c.copies.append({"post": _ref(p), "at": _when(p), "official": _ref(official), "via": via})
        tokens = fold(text).split()
        said = sorted(set(cues.split(tokens)[1]))
        if said and not warnings.split(tokens)[1]:
            c.scam_posts.append({"post": _ref(p), "at": _when(p), "cues": said})
        rules = cue_hits.get((p["platform"], p["post_id"]))
        if rules:
            c.cue_rule_posts.append({"post": _ref(p), "at": _when(p), "rules": list(rules)})

    out = []
    for k, c in found.items():
        if k in mentioning:
            c.origins.add("author")
        if c.copies:
            c.origins.add("copies")
        if c.origins:
            out.append(c)
    return sorted(out, key=lambda c: (c.platform, c.page_key))


@dataclass
class ScanInput:
    candidates: list[Candidate]
    # official source id → handles seen in its posts' URLs ("ubndtinhsonha"), for the handle signal
    official_handles: dict[str, set[str]]


def observed_handles(official_posts: Iterable[dict[str, Any]]) -> dict[str, set[str]]:
    out: dict[str, set[str]] = defaultdict(set)
    for p in official_posts:
        if h := handle_from_url(p.get("url")):
            out[p["source_id"]].add(h)
    return dict(out)


def gather(
    registry: Registry, config: ImpersonationConfig, window: Window, settings: Settings | None = None
) -> ScanInput:
    """Read the window's posts with named queries and build the candidates."""
    posts = _rows("impersonation_candidate_posts", window.params(), settings)
    official = _rows(
        "impersonation_official_posts", {"as_of": window.as_of, "copy_start": window.copy_start}, settings
    )
    hits = {
        (r["platform"], r["post_id"]): list(r["rule_ids"])
        for r in _rows("impersonation_cue_hits", window.params(), settings)
    }
    return ScanInput(build_candidates(registry, config, posts, official, hits), observed_handles(official))
