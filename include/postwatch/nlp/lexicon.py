"""The project's Vietnamese tone lexicon: weighted words, negators, intensifiers, explainable cues.

The lexicon is what PostWatch can ship without any research-only data, and it is the part of
the tone that leadership can read: every cue says which words fired and with what weight
("không hài lòng: -0.64"). Terms live in ``resources/tone_lexicon.tsv`` and
``resources/tone_modifiers.yaml``; emoji get the weight of their token (``emopos`` ...), and
teencode spellings of a lexicon word ("thik" -> "thích") get the word's weight.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from postwatch.nlp.features import (
    RESOURCES,
    Prepared,
    PreparedBatch,
    TermHit,
    TermMatcher,
    emoji_tokens,
    longest_non_overlapping,
    prepare,
    teencode,
)

# A modifier does not reach across these; searched between two hits with bounds, not on a slice
# (a post without punctuation would otherwise be walked character by character in Python).
_PUNCT = re.compile(r"[.,!?;:\n]")
_NOT_SPACE = re.compile(r"\S")  # \s is str.isspace, so "no match" means the gap .strip()s to nothing


# Not frozen: one is made per post, and a frozen dataclass's __init__ costs three times as much.
@dataclass(slots=True)
class Cue:
    """One reason for a tone: the words as written, their signed weight and where it came from."""

    term: str
    weight: float
    source: str = "lexicon"
    span: tuple[int, int] = (0, 0)  # offsets in the post's NFC text, modifiers included

    def __str__(self) -> str:
        return f"{self.term}:{self.weight:+.2f}"


# Not frozen: one is made per post, and a frozen dataclass's __init__ costs three times as much.
@dataclass(slots=True)
class LexiconScore:
    """Sum of cue weights (``raw``), squashed to [-1, 1] (``score``), and the cues themselves."""

    raw: float
    score: float
    positive: float
    negative: float
    cues: tuple[Cue, ...]

    @property
    def n_cues(self) -> int:
        return len(self.cues)


class LexiconError(ValueError):
    """A lexicon file line that cannot be read; the message names file and line."""


def read_weighted_terms(path: Path) -> tuple[dict[str, float], set[str]]:
    """Read ``term<TAB>weight`` lines (``#`` comments); a leading ``=`` marks a strict term."""
    terms: dict[str, float] = {}
    strict: set[str] = set()
    for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        parts = line.split("\t")
        if len(parts) < 2:
            raise LexiconError(f"{path}:{lineno}: expected 'term<TAB>weight', got {line!r}")
        term, weight_s = parts[0].strip(), parts[1].strip()
        try:
            weight = float(weight_s)
        except ValueError as exc:
            raise LexiconError(f"{path}:{lineno}: weight {weight_s!r} is not a number") from exc
        if not -1.0 <= weight <= 1.0:
            raise LexiconError(f"{path}:{lineno}: weight {weight} outside [-1, 1]")
        if term.startswith("="):
            term = term[1:]
            strict.add(prepare(term).lower)
        terms[prepare(term).lower] = weight
    return terms, strict


def _split_strict(items: list[str] | dict[str, float]) -> tuple[dict[str, float], set[str]]:
    out: dict[str, float] = {}
    strict: set[str] = set()
    pairs = items.items() if isinstance(items, dict) else ((i, 1.0) for i in items)
    for raw, v in pairs:
        term = str(raw)
        if term.startswith("="):
            term = term[1:]
            strict.add(prepare(term).lower)
        out[prepare(term).lower] = float(v)
    return out, strict


@dataclass(frozen=True)
class Modifiers:
    negators: frozenset[str]
    before: dict[str, float]
    after: dict[str, float]
    contrast: frozenset[str]
    strict: frozenset[str]
    negation_window: int = 2
    negated_positive: float = -0.8
    negated_negative: float = -0.5
    contrast_after: float = 1.3
    contrast_before: float = 0.7

    @classmethod
    def from_yaml(cls, path: Path) -> Modifiers:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        neg, s1 = _split_strict(list(data.get("negators", [])))
        before, s2 = _split_strict(dict(data.get("before", {})))
        after, s3 = _split_strict(dict(data.get("after", {})))
        contrast, s4 = _split_strict(list(data.get("contrast", [])))
        return cls(
            negators=frozenset(neg),
            before=before,
            after=after,
            contrast=frozenset(contrast),
            strict=frozenset(s1 | s2 | s3 | s4),
            negation_window=int(data.get("negation_window", 2)),
            negated_positive=float(data.get("negated_positive", -0.8)),
            negated_negative=float(data.get("negated_negative", -0.5)),
            contrast_after=float(data.get("contrast_after", 1.3)),
            contrast_before=float(data.get("contrast_before", 0.7)),
        )


@dataclass(frozen=True, slots=True)
class _Role:
    """What a matched term does: carry tone, negate, intensify before/after, or mark a contrast."""

    tone: float | None = None
    negator: bool = False
    before: float | None = None
    after: float | None = None
    contrast: bool = False


class Lexicon:
    """Score a post's tone from weighted words, with negation, intensifiers and contrast."""

    def __init__(self, terms: dict[str, float], strict: set[str], modifiers: Modifiers) -> None:
        self.terms = dict(terms)
        self.modifiers = modifiers
        roles: dict[str, dict[str, object]] = {}
        for t, w in self.terms.items():
            roles.setdefault(t, {})["tone"] = w
        for t in modifiers.negators:
            roles.setdefault(t, {})["negator"] = True
        for t, w in modifiers.before.items():
            roles.setdefault(t, {})["before"] = w
        for t, w in modifiers.after.items():
            roles.setdefault(t, {})["after"] = w
        for t in modifiers.contrast:
            roles.setdefault(t, {})["contrast"] = True
        self._matcher = TermMatcher(
            [(t, _Role(**r)) for t, r in roles.items()],  # type: ignore[arg-type]
            strict=set(strict) | set(modifiers.strict),
        )

    @classmethod
    def from_files(cls, lexicon_path: Path, modifiers_path: Path) -> Lexicon:
        terms, strict = read_weighted_terms(lexicon_path)
        modifiers = Modifiers.from_yaml(modifiers_path)
        # Emoji and emoticons carry the weight of their token; teencode spellings that of their word.
        chars, faces = emoji_tokens()
        for sym, token in [*chars.items(), *faces.items()]:
            if token in terms:
                terms.setdefault(sym, terms[token])
        for short, full in teencode().items():
            if full in terms and len(short) > 1 and short not in terms:
                terms[short] = terms[full]
                strict.add(short)
        return cls(terms, strict, modifiers)

    @classmethod
    def default(cls) -> Lexicon:
        """The shipped lexicon (cached: building the automaton takes a few milliseconds)."""
        return _default_lexicon()

    def hits(self, prep: Prepared) -> list[TermHit]:
        return longest_non_overlapping(self._matcher.find(prep))

    def score(self, text: str | Prepared) -> LexiconScore:
        """Weighted sum of the tone words found, each adjusted by its neighbours."""
        prep = text if isinstance(text, Prepared) else prepare(text)
        return self._score(prep, self.hits(prep))

    def score_batch(self, batch: PreparedBatch) -> list[LexiconScore]:
        """``score`` for every post of a batch, with one automaton pass over all of them."""
        found = self._matcher.find_batch(batch)
        return [
            self._score(prep, longest_non_overlapping(hits)) if hits else _EMPTY
            for prep, hits in zip(batch.items, found, strict=True)
        ]

    def _score(self, prep: Prepared, hits: list[TermHit]) -> LexiconScore:
        if not hits:
            return _EMPTY
        m = self.modifiers
        low = prep.lower
        last_contrast = max((h.start for h in hits if h.payload.contrast), default=-1)
        cues: list[Cue] = []
        pos = neg = 0.0
        for i, h in enumerate(hits):
            weight = h.payload.tone
            if weight is None:
                continue
            label = h.surface
            start, end = h.start, h.end
            w = weight
            # Modifiers right before: intensifiers (adjacent) and a negator (a few words before).
            for j in range(i - 1, -1, -1):
                prev = hits[j]
                if _PUNCT.search(low, prev.end, h.start):
                    break
                # Words between, counted up to window + 2: every test below only needs that much.
                n_between = len(low[prev.end : h.start].split(None, m.negation_window + 1))
                role: _Role = prev.payload
                if role.before is not None and n_between == 0 and role.tone is None:
                    w *= role.before
                    label = f"{prev.surface} {label}"
                    start = prev.start
                    continue
                if role.negator and n_between <= m.negation_window:
                    w *= m.negated_positive if w > 0 else m.negated_negative
                    label = f"{prev.surface} {'… ' if n_between else ''}{label}"
                    start = prev.start
                    break
                if role.tone is not None or role.contrast or n_between > m.negation_window:
                    break
            if i + 1 < len(hits):
                nxt = hits[i + 1]
                if nxt.payload.after is not None and not _NOT_SPACE.search(low, h.end, nxt.start):
                    w *= nxt.payload.after
                    label = f"{label} {nxt.surface}"
                    end = nxt.end
            if last_contrast >= 0:
                w *= m.contrast_after if h.start > last_contrast else m.contrast_before
            w = max(-1.0, min(1.0, w))
            cues.append(Cue(label, round(w, 3), span=(start, end)))
            if w > 0:
                pos += w
            else:
                neg += w
        raw = pos + neg
        return LexiconScore(raw, math.tanh(raw), pos, neg, tuple(cues))


_EMPTY = LexiconScore(0.0, 0.0, 0.0, 0.0, ())


@cache
def _default_lexicon() -> Lexicon:
    return Lexicon.from_files(RESOURCES / "tone_lexicon.tsv", RESOURCES / "tone_modifiers.yaml")
