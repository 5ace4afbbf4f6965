"""Copies of one story become one alert: the same story key, canonical URL or content hash, or a
title that reads the same (rapidfuzz token_set_ratio over diacritic-folded text)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from postwatch.alerts.detect import Candidate
from postwatch.rules.text import fold_text


def alert_id_for(story_key: str) -> str:
    """Stable id from the story key: the same story detected twice gets the same id."""
    return hashlib.sha256(story_key.encode("utf-8")).hexdigest()[:12]


@dataclass
class Story:
    """What an existing alert is known by."""

    alert_id: str
    kind: str
    story_keys: set[str] = field(default_factory=set)
    urls: set[str] = field(default_factory=set)
    hashes: set[str] = field(default_factory=set)
    titles: list[str] = field(default_factory=list)
    post_refs: set[str] = field(default_factory=set)

    def absorb(self, cand: Candidate) -> None:
        self.story_keys.add(cand.story_key)
        for p in cand.posts:
            self.post_refs.add(p.ref)
            if p.story_key:
                self.story_keys.add(p.story_key)
            if p.url:
                self.urls.add(p.url)
            if p.content_hash:
                self.hashes.add(p.content_hash)
        if cand.kind != "spike" and cand.title:
            self.titles.append(fold_text(cand.title))


def similar(a: str, b: str) -> float:
    """0-100: how alike two folded titles read, ignoring word order and extra words.

    Extra words are ignored only when the shorter title has 4 words or more: otherwise "cháy"
    would be a copy of every story about a fire."""
    if not a or not b:
        return 0.0
    if min(len(a.split()), len(b.split())) < 4:
        return float(fuzz.token_sort_ratio(a, b))
    return float(fuzz.token_set_ratio(a, b))


def match(cand: Candidate, stories: Iterable[Story], title_similarity: float) -> tuple[Story | None, str]:
    """The story ``cand`` belongs to, and why (story_key, url, content_hash, title); None if new.

    Spikes group only by their key (unit or rule and day): a spike is not a story's copy."""
    stories = list(stories)
    keys = {cand.story_key} | {p.story_key for p in cand.posts if p.story_key}
    for s in stories:
        if s.story_keys & keys:
            return s, "story_key"
    if cand.kind == "spike":
        return None, ""
    for s in stories:
        if s.kind == "spike":
            continue
        if s.urls & {p.url for p in cand.posts if p.url}:
            return s, "url"
        if s.hashes & {p.content_hash for p in cand.posts if p.content_hash}:
            return s, "content_hash"
    folded = fold_text(cand.title)
    best: tuple[float, Story | None] = (0.0, None)
    for s in stories:
        if s.kind == "spike":
            continue
        score = max((similar(folded, t) for t in s.titles), default=0.0)
        if score > best[0]:
            best = (score, s)
    if best[1] is not None and best[0] >= title_similarity:
        return best[1], "title"
    return None, ""
