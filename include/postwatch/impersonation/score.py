"""Score a page against the registry of official pages: how much does it pass for one of our units?

Government page names share most of their words ("UBND", "tỉnh", "Tin tức", "official"), so
comparing whole names makes every page look like every other. Names are folded (no diacritics,
lower case), the configured generic words are set aside, and what is left, the distinctive part
("son ha", "tan lap", "y te son ha"), is compared token by token with rapidfuzz; concatenated
handles ("ubndtinhsonha") are matched by a partial ratio of the compact distinctive name.

The score is a sum of weighted signals, each kept as evidence so an officer can see why a page
was flagged. A registered official page is never scored, whatever its name.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from rapidfuzz import fuzz

from postwatch.impersonation.config import ImpersonationConfig
from postwatch.normalize.text import fold_diacritics
from postwatch.registry import Kind, Source, Unit

_NON_ALNUM = re.compile(r"[^0-9a-z]+")
# Two syllables match when their folded spellings are this close (typos: "thuy"/"thuyy"); short
# Vietnamese syllables rarely get there by chance ("ha"/"hai" is 0.8).
TOKEN_CUTOFF = 0.85
# A compact distinctive name ("sonha") counts only from this length: shorter ones hide in any handle.
MIN_COMPACT = 5
# The authority words count only on a name this close to a unit's ("UBND tỉnh Hà Giang" shares "ha": 0.5).
AUTHORITY_GATE = 0.6
# Handles closer than this to an official handle count ("ubndtinhsonhatintuc" vs "ubndtinhsonha": 0.81).
HANDLE_CUTOFF = 0.7
# Tokens this long are concatenations (handles, hashtags) worth searching for authority words.
LONG_TOKEN = 8
# Path segments of page URLs that are not a page's handle.
_NOT_HANDLES = frozenset(
    {"permalink.php", "story.php", "profile.php", "photo.php", "groups", "watch", "pages", "posts",
     "videos", "reel", "share", "channel", "c", "user", "video", "people", "events"}
)  # fmt: skip


def fold(s: str | None) -> str:
    """Lower case, diacritics folded (đ too), punctuation as single spaces.

    'UBND Tỉnh Sơn Hà!' → 'ubnd tinh son ha'.
    """
    if not s:
        return ""
    return " ".join(t for t in _NON_ALNUM.split(fold_diacritics(s).lower()) if t)


def compact(s: str | None) -> str:
    """A handle's comparable form: 'ubnd.tinh.sonha' → 'ubndtinhsonha'."""
    return fold(s).replace(" ", "")


def handle_from_url(url: str | None) -> str | None:
    """The page's username in a Facebook / TikTok / YouTube URL, or None (numeric ids are not handles)."""
    if not url:
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    segments = [s for s in parts.path.split("/") if s]
    if not segments:
        return None
    first = segments[0]
    if first.startswith("@"):
        first = first[1:]
    elif first.lower() in _NOT_HANDLES or first.isdigit():
        return None
    return first or None


class PhraseSet:
    """Folded phrases found or set aside on whole tokens; multi-word phrases also match written together."""

    def __init__(self, phrases: Iterable[str]) -> None:
        found: set[tuple[str, ...]] = set()
        for p in phrases:
            tokens = tuple(fold(p).split())
            if tokens:
                found.add(tokens)
                if len(tokens) > 1:
                    found.add(("".join(tokens),))
        self._phrases = sorted(found, key=len, reverse=True)
        self._compact = sorted({"".join(p) for p in found if len("".join(p)) >= 4}, key=len, reverse=True)

    def split(self, tokens: Sequence[str]) -> tuple[list[str], list[str]]:
        """(tokens left once phrases are removed, the phrases removed), longest phrase first."""
        rest: list[str] = []
        hits: list[str] = []
        i = 0
        while i < len(tokens):
            for p in self._phrases:
                if tuple(tokens[i : i + len(p)]) == p:
                    hits.append(" ".join(p))
                    i += len(p)
                    break
            else:
                rest.append(tokens[i])
                i += 1
        return rest, hits

    def inside(self, token: str) -> list[str]:
        """Phrases written inside one long token ('ubndtinhsonha' holds 'ubnd')."""
        return [p for p in self._compact if p in token]


def distinctive(text: str | None, generic: PhraseSet) -> list[str]:
    """What distinguishes a name once generic words and bare numbers are set aside."""
    rest, _ = generic.split(fold(text).split())
    return [t for t in rest if not t.isdigit()]


def token_similarity(reference: Sequence[str], candidate: Sequence[str]) -> float:
    """How fully the candidate's tokens say the reference's, in any order (0.8), without much else (0.2)."""
    ref, cand = list(dict.fromkeys(reference)), list(dict.fromkeys(candidate))
    if not ref or not cand:
        return 0.0
    matched = 0.0
    for t in ref:
        best = max(fuzz.ratio(t, c) for c in cand) / 100
        if best >= TOKEN_CUTOFF:
            matched += best
    return 0.8 * matched / len(ref) + 0.2 * min(1.0, matched / len(cand))


def compact_similarity(reference_compact: str, tokens: Sequence[str]) -> float:
    """The reference written without spaces inside one token ('sonha' in 'ubndtinhsonha').

    1 when exact, 0 at 80% similarity.
    """
    if len(reference_compact) < MIN_COMPACT:
        return 0.0
    best = max((fuzz.partial_ratio(reference_compact, t) for t in tokens if len(t) >= len(reference_compact)),
               default=0.0)  # fmt: skip
    return max(0.0, min(1.0, (best - 80) / 20))


@dataclass(frozen=True)
class Reference:
    """One name a unit is known by: its official name, an alias, or one of its official pages' names."""

    unit_id: str
    source_id: str | None
    text: str
    tokens: tuple[str, ...]
    generic: frozenset[str]

    @property
    def compact(self) -> str:
        return "".join(self.tokens)


@dataclass
class Candidate:
    """A page that might impersonate one of our units, with what its posts showed."""

    platform: str
    page_key: str
    name: str
    handle: str | None = None
    url: str | None = None
    verified: bool | None = None
    source_id: str | None = None
    origins: set[str] = field(default_factory=set)
    posts: int = 0
    last_post_at: datetime | None = None
    copies: list[dict[str, Any]] = field(default_factory=list)
    scam_posts: list[dict[str, Any]] = field(default_factory=list)
    cue_rule_posts: list[dict[str, Any]] = field(default_factory=list)

    @property
    def suspect_id(self) -> str:
        return suspect_id(self.platform, self.page_key)


def suspect_id(platform: str, page_key: str) -> str:
    """Stable across scans: the same page keeps its id, so decisions stay attached to it."""
    return hashlib.blake2b(f"{platform}\x1f{page_key}".encode(), digest_size=8).hexdigest()


@dataclass(frozen=True)
class Signal:
    signal: str
    value: float
    weight: float
    detail: Any = None

    @property
    def contribution(self) -> float:
        return round(self.value * self.weight, 4)

    def to_dict(self) -> dict[str, Any]:
        return {
            "signal": self.signal,
            "value": round(self.value, 4),
            "weight": self.weight,
            "contribution": self.contribution,
            "detail": self.detail,
        }


@dataclass(frozen=True)
class Verdict:
    candidate: Candidate
    score: float
    unit_id: str | None
    source_id: str | None
    reference: str | None
    signals: tuple[Signal, ...]

    def evidence(self) -> dict[str, Any]:
        return {
            "signals": [s.to_dict() for s in self.signals if s.value > 0],
            "matched": {"unit_id": self.unit_id, "source_id": self.source_id, "reference": self.reference},
        }


def page_key_of(source: Source) -> str:
    """A registry page's identity on its platform: the same key its posts' author ids give."""
    if source.page_id:
        return source.page_id
    if source.channel_id:
        return source.channel_id
    if source.handle:
        return "handle:" + compact(source.handle)
    if source.url:
        return "url:" + str(source.url).rstrip("/").lower()
    return "source:" + source.id


class Scorer:
    """Scores candidates against the units and official pages of one registry."""

    def __init__(
        self,
        units: Sequence[Unit],
        sources: Sequence[Source],
        config: ImpersonationConfig,
        observed_handles: Mapping[str, Iterable[str]] | None = None,
    ) -> None:
        """``observed_handles``: source id → handles seen in its posts' URLs (registries seldom give them)."""
        self.config = config
        self.generic = PhraseSet(config.generic)
        self.authority = PhraseSet(config.authority)
        self.official = [s for s in sources if s.kind == Kind.official]
        self._official_keys = {(s.platform.value, page_key_of(s)) for s in self.official}
        self._official_ids = {s.id for s in self.official}
        # (platform, compact handle) → the official source it belongs to
        self._official_handles: dict[tuple[str, str], Source] = {}
        for s in self.official:
            known = [s.handle, handle_from_url(str(s.url) if s.url else None)]
            for h in [*known, *(observed_handles or {}).get(s.id, ())]:
                if compact(h):
                    self._official_handles.setdefault((s.platform.value, compact(h)), s)
        self._unit_order = {u.id: i for i, u in enumerate(units)}
        self.references: dict[str, list[Reference]] = {}
        for u in units:
            texts: list[tuple[str, str | None]] = [(u.name, None), *((a, None) for a in u.aliases)]
            texts += [(s.name, s.id) for s in self.official if s.unit == u.id]
            self.references[u.id] = [self._reference(u.id, sid, t) for t, sid in texts]

    def _reference(self, unit_id: str, source_id: str | None, text: str) -> Reference:
        tokens = distinctive(text, self.generic) or [t for t in fold(text).split() if not t.isdigit()]
        return Reference(unit_id, source_id, text, tuple(tokens), self._generic_words(text))

    def _generic_words(self, text: str | None) -> frozenset[str]:
        return frozenset(self.generic.split(fold(text).split())[1])

    def is_official(self, c: Candidate) -> bool:
        """One of our own registered official pages: never a suspect, whatever it is called."""
        if c.source_id in self._official_ids or (c.platform, c.page_key) in self._official_keys:
            return True
        return (c.platform, compact(c.handle)) in self._official_handles

    def name_similarity(self, name: str, reference: Reference) -> float:
        """Distinctive-token similarity of a page name to one reference name, in [0, 1]."""
        tokens = fold(name).split()
        mine = distinctive(name, self.generic)
        return max(token_similarity(reference.tokens, mine), compact_similarity(reference.compact, tokens))

    def best_reference(self, name: str) -> tuple[Reference | None, float]:
        """The reference the name resembles most. Ties (a province and its police share "son ha") go to
        the reference with the same kind of generic words ("Công an ..." → the police), then to the
        unit listed first in units.yaml (the root)."""
        mine = self._generic_words(name)
        best: tuple[float, float, int] = (0.0, 0.0, 0)
        found: Reference | None = None
        for refs in self.references.values():
            for r in refs:
                overlap = len(mine & r.generic) / len(mine | r.generic) if mine | r.generic else 0.0
                key = (self.name_similarity(name, r), overlap, -self._unit_order[r.unit_id])
                if found is None or key > best:
                    best, found = key, r
        return (found, best[0]) if best[0] > 0 else (None, 0.0)

    def score(self, c: Candidate) -> Verdict | None:
        """The candidate's verdict, or None for an official page of ours."""
        if self.is_official(c):
            return None
        w = self.config.weights
        ref, name_value = self.best_reference(c.name)
        signals = [
            Signal(
                "name",
                name_value,
                w.name,
                {
                    "name": c.name,
                    "distinctive": distinctive(c.name, self.generic),
                    "resembles": ref.text if ref else None,
                    "reference_distinctive": list(ref.tokens) if ref else [],
                },
            )
        ]
        claimed = self._authority_words(c)
        signals.append(
            Signal(
                "authority",
                name_value if claimed and name_value >= AUTHORITY_GATE else 0.0,
                w.authority,
                claimed,
            )
        )
        signals.append(self._handle_signal(c, ref))
        signals.append(
            Signal(
                "unverified",
                0.0 if c.verified else 1.0,
                w.unverified,
                "not verified (registry)"
                if c.verified is False
                else "verification unknown (not in the registry)",
            )
        )
        signals.append(Signal("copies", min(1.0, len(c.copies) / 2), w.copies, _examples(c.copies)))
        signals.append(Signal("scam", min(1.0, len(c.scam_posts) / 2), w.scam, _examples(c.scam_posts)))
        signals.append(
            Signal("cue_rules", min(1.0, len(c.cue_rule_posts) / 2), w.cue_rules, _examples(c.cue_rule_posts))
        )
        score = round(min(1.0, sum(s.contribution for s in signals)), 4)
        unit_id = ref.unit_id if ref and name_value > 0 else None
        return Verdict(
            candidate=c,
            score=score,
            unit_id=unit_id,
            source_id=self._matched_source(unit_id, ref, c.platform),
            reference=ref.text if unit_id else None,
            signals=tuple(signals),
        )

    def _authority_words(self, c: Candidate) -> list[str]:
        tokens = fold(c.name).split() + fold(c.handle).split()
        _, words = self.authority.split(tokens)
        for t in tokens:
            if len(t) >= LONG_TOKEN:
                words += self.authority.inside(t)
        return sorted(set(words))

    def _handle_signal(self, c: Candidate, ref: Reference | None) -> Signal:
        """Its username against the official handles of the unit it resembles.

        E.g. ubndtinhsonha.tintuc against ubndtinhsonha.
        """
        w = self.config.weights.handle
        h = compact(c.handle)
        best, like = 0.0, None
        if h and ref is not None:
            for (_platform, oh), s in self._official_handles.items():
                r = fuzz.ratio(h, oh) / 100
                if s.unit == ref.unit_id and r >= HANDLE_CUTOFF and r > best:
                    best, like = r, oh
        return Signal("handle", best, w, {"handle": c.handle, "resembles": like})

    def _matched_source(self, unit_id: str | None, ref: Reference | None, platform: str) -> str | None:
        if unit_id is None:
            return None
        if ref is not None and ref.source_id:
            return ref.source_id
        pages = [s for s in self.official if s.unit == unit_id]
        same = [s for s in pages if s.platform.value == platform]
        return (same or pages)[0].id if pages else None


def _examples(items: list[dict[str, Any]], limit: int = 5) -> dict[str, Any] | None:
    if not items:
        return None
    return {"count": len(items), "examples": items[:limit]}
