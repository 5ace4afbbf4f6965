"""Vietnamese text normalization for matching and for classifier features.

Two views of a post are built here, each for one job:

* ``prepare(text)`` gives the NFC text, a lower-cased copy with canonical tone placement and a
  diacritic-folded copy, all three of the *same length*, so a match found on the folded copy
  has valid character offsets in the stored text. Relevance, the lexicon and the flags match
  on these views with ``TermMatcher``.
* ``model_text(text)`` gives the token stream the trained classifiers see: URLs, emoji and
  emoticons become tokens, elongations are collapsed ("quáaaa"), teencode is expanded ("ko" ->
  "không") and a negation scope is marked. ``model_blocks`` turns it into the word and character
  n-gram blocks that ``model.py`` hashes, so no vocabulary has to be stored or shipped.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import ahocorasick
import yaml

RESOURCES = Path(__file__).resolve().parent / "resources"

# ----------------------------------------------------------------------------- folding


def _build_fold_table() -> dict[int, str]:
    """Map every precomposed Latin letter with marks to its bare letter; đ -> d (1 char -> 1 char)."""
    table: dict[int, str] = {ord("đ"): "d", ord("Đ"): "D"}
    for cp in list(range(0x00C0, 0x0250)) + list(range(0x1E00, 0x1F00)):
        ch = chr(cp)
        base = unicodedata.normalize("NFD", ch)[0]
        if base != ch and base.isascii() and base.isalpha():
            table[cp] = base
    # Stray combining marks left after NFC (rare) are dropped from the folded view only by
    # mapping them to a space-free placeholder that keeps the length: they become "'".
    for cp in range(0x0300, 0x0370):
        table[cp] = "'"
    return table


_FOLD = _build_fold_table()
_VN_MARKED = frozenset(chr(cp) for cp in _FOLD if not 0x0300 <= cp < 0x0370)

# Tone placement: "hoà" / "thuỷ" / "khoẻ" -> "hòa" / "thủy" / "khỏe" when the cluster ends the
# syllable (the spelling used by the unit registry). "quý", "quỳnh" keep theirs: "qu" is a
# consonant there. Works on lower-case text and keeps the length.
_TONES = {"̀": "àèìòùỳ", "́": "áéíóúý", "̉": "ảẻỉỏủỷ", "̃": "ãẽĩõũỹ", "̣": "ạẹịọụỵ"}


def _tone_map() -> dict[str, str]:
    out: dict[str, str] = {}
    for mark in _TONES:
        for first, second in (("o", "a"), ("o", "e"), ("u", "y")):
            marked_second = unicodedata.normalize("NFC", second + mark)
            marked_first = unicodedata.normalize("NFC", first + mark)
            out[first + marked_second] = marked_first + second
    return out


_TONE_MAP = _tone_map()
_TONE_RE = re.compile(
    r"(?<!q)(" + "|".join(sorted(_TONE_MAP, key=len, reverse=True)) + r")(?![^\W\d_])",
)


def nfc(text: str) -> str:
    """NFC without paying for it when the text already is (the normal case after ingestion)."""
    return text if unicodedata.is_normalized("NFC", text) else unicodedata.normalize("NFC", text)


def fix_tone_placement(lower: str) -> str:
    """Canonical tone placement on lower-case text ("hoà" -> "hòa"); length is preserved."""
    return _TONE_RE.sub(lambda m: _TONE_MAP[m.group(1)], lower)


def fold(text: str) -> str:
    """Strip Vietnamese diacritics ("Hòa Bình" -> "Hoa Binh", "đường" -> "duong"), same length."""
    return text.translate(_FOLD)


def has_marks(text: str) -> bool:
    """True when the text carries any Vietnamese diacritic (so it was not typed without them)."""
    return any(c in _VN_MARKED for c in text)


@dataclass(frozen=True, slots=True)
class Prepared:
    """A post in three aligned views: ``text`` (NFC), ``lower`` (lower, canonical tones), ``folded``."""

    text: str
    lower: str
    folded: str


def _lower_same_length(text: str) -> str:
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text)


def prepare(text: str | None) -> Prepared:
    """Build the aligned views of a post once; every matcher in the package reads these."""
    t = nfc(text or "")
    low = fix_tone_placement(_lower_same_length(t))
    return Prepared(t, low, fold(low))


# ----------------------------------------------------------------------------- term matching


def _is_word_char(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


@dataclass(frozen=True, slots=True)
class TermHit:
    """One occurrence of a term: offsets in the post's NFC text and what was written there."""

    start: int
    end: int
    surface: str
    term: str
    payload: Any


def diacritics_compatible(written: str, term: str) -> bool:
    """Accept a written form against a term, diacritic-aware.

    Letters written *with* marks must carry the term's marks exactly ("Sơn Hạ" is not "Sơn Hà"),
    letters written bare stand for any marks ("Son Ha", "Sơn Ha" are). Both are lower-case,
    same length and already equal once folded.
    """
    return all(w == t or w not in _VN_MARKED for w, t in zip(written, term, strict=True))


class TermMatcher:
    """Find whole-word occurrences of many terms at once (Aho-Corasick on the folded view).

    Terms are normalized like posts; a hit must start and end on word boundaries and be
    diacritic-compatible with the term (see ``diacritics_compatible``). Several terms may share a
    folded form ("hòa", "họa"): each is checked on its own. ``strict`` terms must be written with
    exactly their marks: for short words whose bare form is an innocent different word.
    """

    def __init__(self, terms: Iterable[tuple[str, Any]], *, strict: Iterable[str] = ()) -> None:
        strict_set = {prepare(s).lower for s in strict}
        self._automaton = ahocorasick.Automaton()
        grouped: dict[str, list[tuple[str, Any, bool]]] = {}
        for raw, payload in terms:
            low = prepare(raw).lower.strip()
            low = " ".join(low.split())
            if not low:
                continue
            grouped.setdefault(fold(low), []).append((low, payload, low in strict_set))
        for key, entries in grouped.items():
            self._automaton.add_word(key, (len(key), entries))
        self._empty = not grouped
        if not self._empty:
            self._automaton.make_automaton()

    def __len__(self) -> int:
        return 0 if self._empty else len(self._automaton)

    def find(self, prep: Prepared) -> list[TermHit]:
        """All boundary-respecting, diacritic-compatible hits, in text order (overlaps kept)."""
        if self._empty:
            return []
        folded, lower = prep.folded, prep.lower
        n = len(folded)
        hits: list[TermHit] = []
        for end_idx, (length, entries) in self._automaton.iter(folded):
            start = end_idx - length + 1
            end = end_idx + 1
            if (start > 0 and _is_word_char(folded[start - 1])) or (end < n and _is_word_char(folded[end])):
                continue
            written = lower[start:end]
            bare = written.isascii()  # typed without marks: compatible with every term here
            for term, payload, strict in entries:
                if written == term or (not strict and (bare or diacritics_compatible(written, term))):
                    hits.append(TermHit(start, end, prep.text[start:end], term, payload))
        hits.sort(key=lambda h: (h.start, -(h.end - h.start)))
        return hits


def longest_non_overlapping(hits: list[TermHit]) -> list[TermHit]:
    """Keep the longest hit where hits overlap ("không tốt" wins over "tốt")."""
    out: list[TermHit] = []
    last_end = -1
    for h in sorted(hits, key=lambda h: (h.start, -(h.end - h.start))):
        if h.start >= last_end:
            out.append(h)
            last_end = h.end
        elif out and h.end - h.start > out[-1].end - out[-1].start and h.start == out[-1].start:
            out[-1] = h
            last_end = h.end
    return out


# ----------------------------------------------------------------------------- model text


@cache
def teencode() -> dict[str, str]:
    """The project's teencode map (resources/teencode.yaml), keys and values normalized."""
    data = yaml.safe_load((RESOURCES / "teencode.yaml").read_text(encoding="utf-8"))
    out: dict[str, str] = {}
    for section in data.values():
        for k, v in section.items():
            out[prepare(str(k)).lower] = prepare(str(v)).lower
    return out


@cache
def emoji_tokens() -> tuple[dict[str, str], dict[str, str]]:
    """(emoji char -> token, emoticon -> token) from resources/emoji.yaml."""
    data = yaml.safe_load((RESOURCES / "emoji.yaml").read_text(encoding="utf-8"))
    chars: dict[str, str] = {}
    faces: dict[str, str] = {}
    for token, spec in data.items():
        for e in spec.get("emoji", []):
            chars[e.replace("\ufe0f", "")] = token
        for e in spec.get("emoticons", []):
            faces[e.lower()] = token
    return chars, faces


NEGATORS = frozenset({"không", "chẳng", "chả", "chưa", "đừng", "chớ", "hổng", "khỏi"})
# "không những ... mà còn", "không chỉ": not a negation of what follows.
_NEG_BREAKERS = frozenset({"những", "chỉ", "sao", "biết", "ai", "gì", "có"})
NEG_SCOPE = 3

_URL_RE = re.compile(r"(?:https?://|www\.)\S+")
_MENTION_RE = re.compile(r"[@#](\w+)")
_NUM_RE = re.compile(r"\d+(?:[.,]\d+)*")
_ELONG_RE = re.compile(r"([^\W\d_])\1{2,}")
_TOKEN_RE = re.compile(r"[^\W_]+|[!?.,;:]")


@cache
def _emoji_table() -> dict[int, str]:
    """Emoji code point -> " token " (str.translate: one C pass instead of a regex alternation)."""
    chars, _ = emoji_tokens()
    return {ord(c): f" {tok} " for c, tok in chars.items() if len(c) == 1}


@cache
def _faces() -> dict[str, str]:
    return emoji_tokens()[1]


def replace_emoji(low: str) -> str:
    """Emoji anywhere and emoticons standing alone (between spaces) become sentiment tokens."""
    low = low.translate(_emoji_table())
    faces = _faces()
    words = low.split()
    if faces.keys().isdisjoint(words):
        return low
    return " ".join(faces.get(w, w) for w in words)


def collapse_elongations(prep: Prepared) -> str:
    """Lower view with letters repeated 3+ times (after folding) cut to one: "quáaaa" -> "quá".

    Runs are found on the folded view so "áaa" counts; two letters stay ("cứu" folds to "cuu").
    """
    folded, lower = prep.folded, prep.lower
    pieces: list[str] = []
    last = 0
    for m in _ELONG_RE.finditer(folded):
        pieces.append(lower[last : m.start() + 1])
        last = m.end()
    if not pieces:
        return lower
    pieces.append(lower[last:])
    return "".join(pieces)


def model_tokens(text: str, *, negation: bool = True) -> list[str]:
    """Normalized tokens for the classifiers: teencode expanded, emoji as tokens, negation marked.

    Punctuation tokens (! ? . , ; :) are kept: they close a negation scope and "!" carries tone.
    Tokens in a negation scope get a twin "neg_<token>" appended right after them.
    """
    low = collapse_elongations(prepare(text)).replace("\ufe0f", "")
    low = _URL_RE.sub(" url ", low)
    low = replace_emoji(low)
    low = _MENTION_RE.sub(r" \1 ", low)
    low = _NUM_RE.sub(" 0 ", low)
    tc = teencode()
    out: list[str] = []
    scope = 0
    for tok in _TOKEN_RE.findall(low):
        exp = tc.get(tok)
        parts = exp.split() if exp else [tok]
        for p in parts:
            if p in "!?.,;:" and len(p) == 1:
                scope = 0
                out.append(p)
                continue
            out.append(p)
            if not negation:
                continue
            if scope > 0:
                if p in _NEG_BREAKERS and scope == NEG_SCOPE:
                    scope = 0
                else:
                    out.append("neg_" + p)
                    scope -= 1
            if p in NEGATORS:
                scope = NEG_SCOPE
    return out


def model_text(text: str) -> str:
    """``model_tokens`` joined by spaces: the string the word and char n-gram hashers read."""
    return " ".join(model_tokens(text))


def plain_words(tokens: list[str]) -> list[str]:
    """Tokens without negation twins and punctuation (for character n-grams and folding)."""
    return [t for t in tokens if not t.startswith("neg_") and t not in "!?.,;:"]


def word_ngrams(tokens: list[str], n_min: int, n_max: int, prefix: str = "") -> list[str]:
    """Contiguous n-grams over a token list (negation twins are their own unigrams only)."""
    base = [t for t in tokens if not t.startswith("neg_")]
    out = [prefix + t for t in tokens if t.startswith("neg_")]
    if n_min <= 1:
        out += [prefix + t for t in base] if prefix else base
    if n_min <= 2 <= n_max:
        out += [f"{prefix}{a} {b}" for a, b in itertools.pairwise(base)]
    if n_min <= 3 <= n_max:
        out += [f"{prefix}{a} {b} {c}" for a, b, c in zip(base, base[1:], base[2:], strict=False)]
    for n in range(max(4, n_min), n_max + 1):
        out += [prefix + " ".join(base[i : i + n]) for i in range(len(base) - n + 1)]
    return out
