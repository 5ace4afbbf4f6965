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

Both have a batch form for labelling thousands of posts: ``PreparedBatch`` builds the views of
all posts with one C pass each over the joined texts, ``TermMatcher.find_batch`` runs one
automaton pass over them, and ``model_token_stream`` gives every post's ``model_tokens`` as
token ids (each distinct word worked out once). They give exactly what the one-post forms give.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import yaml

from postwatch import native
from postwatch.keysearch import KeySearch, key_search, word_view

RESOURCES = Path(__file__).resolve().parent / "resources"
_word_codes_c = native.load("postwatch.nlp.word_codes")  # _word_codes in C; None where not compiled
_term_hits = native.load("postwatch.nlp.term_hits")  # word_hits_python in C; None where not compiled
_token_ids = native.load("postwatch.nlp.token_ids")  # the token stream's per-token loops in C
_lowerfold = native.load("postwatch.nlp.lowerfold")  # PreparedBatch's lower and folded views in C
_charscan = native.load("postwatch.nlp.charscan")  # scans (elongations, emoji, symbols) and put_spaces in C

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
# One character class per first vowel instead of a 15-way alternation: the regex engine can skip
# ahead, which makes this several times faster. "q" before the cluster is checked in ``_retone``
# (the match consumes two characters, and the second can never start another match).
_TONE_RE = re.compile(
    "(?:o[" + "".join(sorted({k[1] for k in _TONE_MAP if k[0] == "o"})) + "]"
    "|u[" + "".join(sorted({k[1] for k in _TONE_MAP if k[0] == "u"})) + "])(?![^\\W\\d_])",
)


def _retone(m: re.Match[str]) -> str:
    start = m.start()
    if start and m.string[start - 1] == "q":
        return m.group(0)
    return _TONE_MAP[m.group(0)]


def nfc(text: str) -> str:
    """NFC without paying for it when the text already is (the normal case after ingestion)."""
    return text if unicodedata.is_normalized("NFC", text) else unicodedata.normalize("NFC", text)


def fix_tone_placement(lower: str) -> str:
    """Canonical tone placement on lower-case text ("hoà" -> "hòa"); length is preserved."""
    return _TONE_RE.sub(_retone, lower)


_FOLD_LIMIT = 0x1F00  # every code point _FOLD changes is below this
_FOLD_CODES = np.arange(_FOLD_LIMIT, dtype=np.uint32)
for _cp, _ch in _FOLD.items():
    _FOLD_CODES[_cp] = ord(_ch)


def fold(text: str) -> str:
    """Strip Vietnamese diacritics ("Hòa Bình" -> "Hoa Binh", "đường" -> "duong"), same length.

    Long texts go through a numpy table on their code points (``str.translate`` with a dict
    table costs a dict lookup per character, several times slower)."""
    if text.isascii():
        return text
    if len(text) < 64:
        return text.translate(_FOLD)
    try:
        cp = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    except UnicodeEncodeError:  # lone surrogates
        return text.translate(_FOLD)
    out = _FOLD_CODES.take(cp, mode="clip")
    high = cp >= _FOLD_LIMIT
    if high.any():
        out[high] = cp[high]
    return out.tobytes().decode("utf-32-le")


@cache
def _lower_fold_tables() -> tuple[np.ndarray, np.ndarray, dict[str, str], np.ndarray]:
    """What ``lowerfold.pyx`` reads: each BMP character's lower case (all ones where it is not
    one character, and for the capital sigma, whose lower case depends on its neighbours), the
    tone-placement pairs by their second character, the pairs, and the fold table."""
    lower = np.full(0x10000, 0xFFFFFFFF, dtype=np.uint32)
    for cp in range(0x10000):
        low = chr(cp).lower()
        if len(low) == 1:
            lower[cp] = ord(low)
    lower[0x3A3] = 0xFFFFFFFF
    second = np.zeros(0x10000, dtype=np.uint8)
    for pair in _TONE_MAP:
        second[ord(pair[1])] |= 1 if pair[0] == "o" else 2
    return lower, second, _TONE_MAP, _FOLD_CODES


def has_marks(text: str) -> bool:
    """True when the text carries any Vietnamese diacritic (so it was not typed without them)."""
    return any(c in _VN_MARKED for c in text)


class Prepared(NamedTuple):
    """A post in three aligned views: ``text`` (NFC), ``lower`` (lower, canonical tones), ``folded``.

    A named tuple (immutable, and cheap to build: batches make one per post)."""

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


class PreparedBatch:
    """Many posts prepared at once: each view is built by one C pass over the joined texts.

    ``items[i]`` is exactly ``prepare(texts[i])``. The joined views (posts separated by a newline)
    stay available so term matchers can run one automaton pass over the whole batch.
    """

    __slots__ = ("_items", "folded", "lower", "starts", "text")

    def __init__(self, texts: Sequence[str | None] = (), *, items: Sequence[Prepared] | None = None) -> None:
        self._items: list[Prepared] | None
        if items is not None:
            self._items = list(items)
            nfcs = [p.text for p in self._items]
            self.text = "\n".join(nfcs)
            self.lower = "\n".join(p.lower for p in self._items)
            self.folded = "\n".join(p.folded for p in self._items)
        else:
            nfcs = [nfc(t or "") for t in texts]
            self.text = big = "\n".join(nfcs)
            # Lower-casing and tone placement look at neighbours only through letters, and the
            # newline between posts is none: the joined result is the per-post result.
            views = _lowerfold.lower_fold(big, *_lower_fold_tables()) if _lowerfold is not None else None
            if views is None:
                low = big.lower()
                if len(low) != len(big):  # a letter whose lower case is longer (İ): per text, per char
                    low = "\n".join(_lower_same_length(t) for t in nfcs)
                low = fix_tone_placement(low)
                views = low, fold(low)
            self.lower, self.folded = views
        self.starts: list[int] = []
        at = 0
        for t in nfcs:
            self.starts.append(at)
            at += len(t) + 1
        if items is None:
            low, folded = self.lower, self.folded
            self._items = [
                Prepared(t, low[a : a + len(t)], folded[a : a + len(t)])
                for t, a in zip(nfcs, self.starts, strict=True)
            ]

    def __len__(self) -> int:
        return len(self.starts)

    @property
    def items(self) -> list[Prepared]:
        """Each post's views (sliced from the joined views on first use by ``with_spaces`` copies,
        which term matchers read only joined)."""
        if self._items is None:
            ends = [*self.starts[1:], len(self.text) + 1]
            text, lower, folded = self.text, self.lower, self.folded
            self._items = [
                Prepared(text[a : b - 1], lower[a : b - 1], folded[a : b - 1])
                for a, b in zip(self.starts, ends, strict=True)
            ]
        return self._items

    def with_spaces(self, positions: Sequence[int]) -> PreparedBatch:
        """The same posts with the character at each position of the joined text made a space
        (flags read "title text" where tone reads "title\\ntext"). The characters replaced must
        be non-word characters: word boundaries stay where they were."""
        out = object.__new__(PreparedBatch)
        out.text, out.lower, out.folded = (
            _put_spaces(s, positions) for s in (self.text, self.lower, self.folded)
        )
        out.starts = self.starts
        out._items = None
        return out


def _put_spaces(text: str, positions: Sequence[int]) -> str:
    if _charscan is not None and type(positions) is list:
        out = _charscan.put_spaces(text, positions)
        if out is not None:
            return out  # type: ignore[no-any-return]
    return put_spaces_python(text, positions)


def put_spaces_python(text: str, positions: Sequence[int]) -> str:
    """``text`` with the character at each of the (ascending) positions made a space."""
    pieces, last = [], 0
    for i in positions:
        pieces += [text[last:i], " "]
        last = i + 1
    pieces.append(text[last:])
    return "".join(pieces)


# ----------------------------------------------------------------------------- term matching


def _is_word_char(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


class TermHit(NamedTuple):
    """One occurrence of a term: offsets in the post's NFC text and what was written there.

    A named tuple: batches create tens of thousands, and a frozen dataclass is slow to build."""

    start: int
    end: int
    surface: str
    term: str
    payload: Any


@lru_cache(maxsize=1 << 16)
def diacritics_compatible(written: str, term: str) -> bool:
    """Accept a written form against a term, diacritic-aware.

    Letters written *with* marks must carry the term's marks exactly ("Sơn Hạ" is not "Sơn Hà"),
    letters written bare stand for any marks ("Son Ha", "Sơn Ha" are). Both are lower-case,
    same length and already equal once folded. Cached: the same few thousand pairs (a word and a
    term of the same folded spelling, "tế" and "tệ") come back in every batch.
    """
    marked = _VN_MARKED
    for w, t in zip(written, term, strict=True):  # noqa: SIM110 (a loop: half the time of all() here)
        if w != t and w in marked:
            return False
    return True


_Entries = list[tuple[str, Any, bool]]
#: ``_VN_MARKED`` as a table over the BMP (all of it lies there), for ``term_hits.pyx``.
_MARKED_TABLE = np.zeros(0x10000, dtype=np.uint8)
_MARKED_TABLE[[ord(c) for c in _VN_MARKED]] = 1


class TermMatcher:
    """Find whole-word occurrences of many terms at once (Aho-Corasick on the folded view).

    Terms are normalized like posts; a hit must start and end on word boundaries and be
    diacritic-compatible with the term (see ``diacritics_compatible``). Several terms may share a
    folded form ("hòa", "họa"): each is checked on its own. ``strict`` terms must be written with
    exactly their marks: for short words whose bare form is an innocent different word.

    Terms that begin and end with a word character (nearly all) are searched as `` term `` over
    the batch's folded text read with every non-word character as a space (``iter_words``), so
    the automaton itself enforces the word boundaries; what it finds is then checked for
    diacritics (``word_hits_python``). Terms that begin or end with a symbol (emoji, emoticons)
    keep a plain search with a boundary check.
    """

    def __init__(self, terms: Iterable[tuple[str, Any]], *, strict: Iterable[str] = ()) -> None:
        strict_set = {prepare(s).lower for s in strict}
        grouped: dict[str, _Entries] = {}
        for raw, payload in terms:
            low = prepare(raw).lower.strip()
            low = " ".join(low.split())
            if not low:
                continue
            grouped.setdefault(fold(low), []).append((low, payload, low in strict_set))
        self._n = len(grouped)
        # Keys and what each stands for, by key id: (view length, entries, key to re-check or None)
        # for word terms, (length, entries) for symbol terms.
        words: list[tuple[str, tuple[int, _Entries, str | None]]] = []
        symbols: list[tuple[str, tuple[int, _Entries]]] = []
        single: dict[str, _Entries] = {}
        for key, entries in grouped.items():
            if _is_word_char(key[0]) and _is_word_char(key[-1]):
                view = word_view(key)
                # A key with a space or symbol inside also matches other separators there: check it.
                check = None if all(map(_is_word_char, key)) else key
                words.append((view, (len(view), entries, check)))
            elif len(key) == 1:
                single[key] = entries
            else:
                symbols.append((key, (len(key), entries)))
        self._word_values = [v for _, v in words]
        self._words: KeySearch | None = key_search((view, i) for i, (view, _) in enumerate(words))
        self._symbol_values = [v for _, v in symbols]
        self._symbols: KeySearch | None = key_search((key, i) for i, (key, _) in enumerate(symbols))
        # One-character symbols (emoji) are looked up in a code point table: an automaton whose
        # root has dozens of far-apart children walks them for every character of the text.
        self._single = single
        self._single_table: np.ndarray | None = None
        if single:
            self._single_table = np.zeros(max(map(ord, single)) + 2, dtype=bool)
            self._single_table[[ord(k) for k in single]] = True

    def __len__(self) -> int:
        return self._n

    def find(self, prep: Prepared) -> list[TermHit]:
        """All boundary-respecting, diacritic-compatible hits, in text order (overlaps kept)."""
        if not self._n:
            return []
        return self.find_batch(PreparedBatch(items=[prep]))[0]

    def find_batch(self, batch: PreparedBatch) -> list[list[TermHit]]:
        """``find`` for every post of a batch, with one automaton pass over the joined texts."""
        out: list[list[TermHit]] = [[] for _ in range(len(batch))]
        if not self._n or not out:
            return out
        starts = batch.starts
        text, lower, folded = batch.text, batch.lower, batch.folded
        if self._words is not None:
            raw = self._words.iter_words(folded)
            if _term_hits is not None:
                _term_hits.word_hits(
                    raw, self._word_values, text, lower, folded, starts, _MARKED_TABLE, out, TermHit
                )
            else:
                word_hits_python(raw, self._word_values, text, lower, folded, starts, out)
        n = len(folded)
        symbols: list[tuple[int, int, _Entries]] = []
        if self._symbols is not None:
            found = [(e, self._symbol_values[kid]) for e, kid in self._symbols.iter(folded)]
            symbols += [(e - size + 1, e + 1, entries) for e, (size, entries) in found]
        if self._single_table is not None and folded and not folded.isascii():
            symbols += [(i, i + 1, self._single[folded[i]]) for i in _marked(folded, self._single_table)]
        for start, end, entries in symbols:
            if (start > 0 and _is_word_char(folded[start - 1])) or (end < n and _is_word_char(folded[end])):
                continue
            post = bisect_right(starts, start) - 1
            _accept(out[post], start, end, starts[post], text, lower, entries)
        for hits in out:
            if len(hits) > 1:
                hits.sort(key=_hit_order)
        return out


def word_hits_python(
    found: Iterable[tuple[int, int]],
    values: Sequence[tuple[int, _Entries, str | None]],
    text: str,
    lower: str,
    folded: str,
    starts: list[int],
    out: list[list[TermHit]],
) -> None:
    """Turn the word keys' hits (``iter_words`` over the joined folded text) into each post's
    TermHits: a key with a symbol inside must be that key there, and the written form must be
    diacritics-compatible with a term (``diacritics_compatible``; strict terms exactly).

    The definition; ``term_hits.pyx`` does the same in C where it was compiled (given also
    ``_VN_MARKED`` as a table and the hit type). ``values[kid]`` is (key view length, entries,
    key to re-check or None).
    """
    n_posts = len(starts)
    post = 0
    nxt = starts[1] if n_posts > 1 else len(folded) + 1
    for end_idx, kid in found:
        size, entries, check = values[kid]
        start = end_idx - size + 2 - 1  # the view's padding space shifts every offset by one
        end = end_idx - 1
        if check is not None and folded[start:end] != check:
            continue
        while start >= nxt:
            post += 1
            nxt = starts[post + 1] if post + 1 < n_posts else len(folded) + 1
        written = lower[start:end]
        bare = written.isascii()  # typed without marks: compatible with every term here
        for term, payload, strict in entries:
            if written == term or (not strict and (bare or diacritics_compatible(written, term))):
                offset = starts[post]
                out[post].append(TermHit(start - offset, end - offset, text[start:end], term, payload))


def _hit_order(h: TermHit) -> tuple[int, int]:
    return (h.start, h.start - h.end)


def _accept(
    hits: list[TermHit], start: int, end: int, offset: int, text: str, lower: str, entries: _Entries
) -> None:
    written = lower[start:end]
    bare = written.isascii()  # typed without marks: compatible with every term here
    for term, payload, strict in entries:
        if written == term or (not strict and (bare or diacritics_compatible(written, term))):
            hits.append(TermHit(start - offset, end - offset, text[start:end], term, payload))


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


def replace_urls(text: str) -> str:
    """``_URL_RE.sub(" url ", text)``, the regex tried only where "http" or "www." begins.

    A match can begin nowhere else, and the regex by itself tries every position (about 5 ns a
    character: 1.5 us a post over a batch's joined text); two substring searches find those
    places at C speed.
    """
    places = _find_all(text, "http") + _find_all(text, "www.")
    if not places:
        return text
    pieces: list[str] = []
    last = 0
    for p in sorted(places):
        if p < last:  # inside the URL just replaced
            continue
        m = _URL_RE.match(text, p)
        if m is not None:
            pieces += [text[last:p], " url "]
            last = m.end()
    if not pieces:
        return text
    pieces.append(text[last:])
    return "".join(pieces)


def _find_all(text: str, needle: str) -> list[int]:
    out: list[int] = []
    i = text.find(needle)
    while i >= 0:
        out.append(i)
        i = text.find(needle, i + 1)
    return out


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


# ----------------------------------------------------------------------------- batch model tokens

#: Stands between posts in the joined model text: never part of a post (a post's own NUL is
#: read as "\x01", which every step below treats the same way: a non-space non-word character).
_SEP_TOKEN = "\x00"
_JOIN = "\n\x00\n"


@dataclass(frozen=True)
class TokenStream:
    """The ``model_tokens`` of a batch of posts as token ids, posts separated by ``sep``.

    ``twin[i]`` says that position ``i`` is followed by its negation twin ("neg_<token>"); the
    twins themselves are not in ``ids``. ``model_tokens`` of post ``k`` is the k-th run of
    ``ids`` with each flagged token followed by its twin.
    """

    types: list[str]
    ids: np.ndarray
    twin: np.ndarray
    sep: int
    n_posts: int

    def tokens(self, k: int) -> list[str]:
        """Post ``k``'s tokens as ``model_tokens`` gives them (for tests and cues)."""
        cuts = np.flatnonzero(self.ids == self.sep)
        lo = 0 if k == 0 else int(cuts[k - 1]) + 1
        hi = int(cuts[k]) if k < len(cuts) else len(self.ids)
        out: list[str] = []
        for i in range(lo, hi):
            out.append(self.types[self.ids[i]])
            if self.twin[i]:
                out.append("neg_" + self.types[self.ids[i]])
        return out


def _codepoints(text: str) -> np.ndarray:
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)


def triples_python(text: str, letters: np.ndarray) -> list[int]:
    """Where three equal characters in a row start, that character a letter by ``letters`` (a
    table over the BMP) or past the BMP: elongations ("đẹppp"). ``charscan.pyx`` follows this."""
    cp = _codepoints(text)
    triple = np.flatnonzero((cp[2:] == cp[1:-1]) & (cp[1:-1] == cp[:-2]))
    return triple[letters.take(cp[triple], mode="clip") | (cp[triple] >= 0x10000)].tolist()


def marked_python(text: str, table: np.ndarray) -> list[int]:
    """Where the characters ``table`` marks are (none past its end). ``charscan.pyx`` follows this."""
    cp = _codepoints(text)
    found = np.flatnonzero(cp < len(table))
    return found[table[cp[found]]].tolist()


def _triples(text: str, letters: np.ndarray) -> list[int]:
    if _charscan is not None:
        return _charscan.triples(text, letters.view(np.uint8))  # type: ignore[no-any-return]
    return triples_python(text, letters)


def _marked(text: str, table: np.ndarray) -> list[int]:
    if _charscan is not None:
        return _charscan.marked(text, table.view(np.uint8))  # type: ignore[no-any-return]
    return marked_python(text, table)


@cache
def _char_tables() -> tuple[np.ndarray, np.ndarray]:
    """(letter table over the BMP: what ``_ELONG_RE`` repeats, emoji table below U+20000)."""
    letters = np.array([(c := chr(i)).isalnum() and not c.isdecimal() and c != "_" for i in range(0x10000)])
    emoji = np.zeros(0x20000, dtype=bool)
    emoji[list(_emoji_table())] = True
    return letters, emoji


def _word_tokens(word: str, faces: dict[str, str]) -> list[str]:
    """What ``model_tokens`` makes of one whitespace-separated word after URLs and emoji: the
    emoticon's token, or mentions, numbers and punctuation split off, teencode expanded."""
    face = faces.get(word)
    if face is not None:
        word = face
    if word.isalpha():
        pieces = [word]
    else:
        w = _NUM_RE.sub(" 0 ", _MENTION_RE.sub(r" \1 ", word))
        pieces = _TOKEN_RE.findall(w)
    tc = teencode()
    out: list[str] = []
    for piece in pieces:
        exp = tc.get(piece)
        out.extend(exp.split() if exp else (piece,))
    return out


def _word_codes(text: str) -> tuple[np.ndarray, list[str]]:
    """``text.split()`` as (number of each word, the distinct words in order of first use).

    Compiled where it was built (``word_codes.pyx``). Otherwise Arrow splits and dictionary-encodes
    in C++ (about three times faster than ``split`` and a dict); its whitespace is Python's, and
    the empty strings it leaves at the ends are dropped. Text Arrow cannot hold (lone surrogates)
    takes the Python path."""
    if _word_codes_c is not None:
        return _word_codes_c.word_codes(text)  # type: ignore[no-any-return]
    return _word_codes_python(text)


def _word_codes_python(text: str) -> tuple[np.ndarray, list[str]]:
    try:
        arrow_text = pa.array([text], type=pa.large_string())
    except (UnicodeEncodeError, pa.ArrowException):
        words = text.split()
        number = {w: i for i, w in enumerate(dict.fromkeys(words))}
        return np.fromiter(map(number.__getitem__, words), dtype=np.int64, count=len(words)), list(number)
    pieces = pc.utf8_split_whitespace(arrow_text).values
    pieces = pc.filter(pieces, pc.greater(pc.binary_length(pieces), 0))
    encoded = pc.dictionary_encode(pieces)
    return encoded.indices.to_numpy().astype(np.int64), encoded.dictionary.to_pylist()


#: What ``_word_tokens`` made of each word seen in this process: a post's words are nearly all
#: words other posts used before. Bounded: cleared when full.
_WORD_PARTS: dict[str, tuple[str, ...]] = {}
_WORD_PARTS_MAX = 500_000


def _learn_word(word: str) -> tuple[str, ...]:
    if len(_WORD_PARTS) >= _WORD_PARTS_MAX:
        _WORD_PARTS.clear()
    parts = (word,) if word == _SEP_TOKEN else tuple(_word_tokens(word, _faces()))
    _WORD_PARTS[word] = parts
    return parts


def model_token_stream(preps: Sequence[Prepared]) -> TokenStream:
    """``model_tokens`` for many prepared posts at once.

    Every step of ``model_tokens`` after URLs and emoji works inside one whitespace-separated
    word, so each *distinct* word of the batch is turned into model tokens once; elongations and
    emoji, rare, are found with numpy and handled only where they occur. Negation scopes are
    marked with numpy (``_negation_twins``). The result equals ``model_tokens`` post by post.
    """
    lows = [p.lower if _SEP_TOKEN not in p.lower else p.lower.replace(_SEP_TOKEN, "\x01") for p in preps]
    letters, emoji = _char_tables()
    if preps:
        folded = "\n".join(p.folded for p in preps)
        triple = np.array(_triples(folded, letters), dtype=np.int64)
        if triple.size:
            starts = np.cumsum([0] + [len(p.folded) + 1 for p in preps[:-1]])
            for k in np.unique(np.searchsorted(starts, triple, side="right") - 1):
                lows[k] = collapse_elongations(Prepared("", lows[k], preps[k].folded))
    big = _JOIN.join(lows).replace("\ufe0f", "")
    big = replace_urls(big)
    found = _marked(big, emoji)
    if found:
        table, pieces, last = _emoji_table(), [], 0
        for i in found:
            pieces += [big[last:i], table[ord(big[i])]]
            last = i + 1
        pieces.append(big[last:])
        big = "".join(pieces)
    written, distinct = _word_codes(big)
    vocab: dict[str, int] = {_SEP_TOKEN: 0}
    if _token_ids is not None:
        ids = _token_ids.token_ids(written, distinct, _WORD_PARTS, _learn_word, vocab)
    else:
        ids = _token_ids_python(written, distinct, vocab)
    types = list(vocab)
    return TokenStream(types, ids, _negation_twins(ids, types), 0, len(preps))


def _token_ids_python(written: np.ndarray, distinct: list[str], vocab: dict[str, int]) -> np.ndarray:
    """Each written word's model tokens as ids (``vocab`` grows): what ``token_ids.pyx`` follows."""
    known = _WORD_PARTS
    parts_flat: list[int] = []
    n_parts = np.empty(len(distinct), dtype=np.int64)
    for i, w in enumerate(distinct):
        parts = known.get(w)
        if parts is None:
            parts = _learn_word(w)
        n_parts[i] = len(parts)
        for p in parts:
            parts_flat.append(vocab.setdefault(p, len(vocab)))
    flat = np.asarray(parts_flat, dtype=np.int64)
    first = np.cumsum(n_parts) - n_parts
    counts = n_parts[written]
    total = int(counts.sum())
    # Position k of the stream is part (k - start of its word's run) of that word's tokens.
    run_start = np.cumsum(counts) - counts
    offset_in = np.arange(total, dtype=np.int64) - np.repeat(run_start, counts)
    return flat[np.repeat(first[written], counts) + offset_in]


#: Token kinds for the negation scope: 1 punctuation (ends a scope), 2 negator, 4 breaker (the
#: three sets are disjoint).
_TOKEN_KINDS: dict[str, int] = {
    **dict.fromkeys("!?.,;:\x00", 1),
    **dict.fromkeys(NEGATORS, 2),
    **dict.fromkeys(_NEG_BREAKERS, 4),
}


def _negation_twins(ids: np.ndarray, types: list[str]) -> np.ndarray:
    """Which positions get a "neg_" twin (compiled in ``token_ids.pyx`` where it was built)."""
    if _token_ids is None:
        return _negation_twins_python(ids, types)
    kinds = np.fromiter(map(_TOKEN_KINDS.get, types, itertools.repeat(0)), dtype=np.uint8, count=len(types))
    return _token_ids.negation_twins(np.ascontiguousarray(ids, dtype=np.int64), kinds, NEG_SCOPE)


def _negation_twins_python(ids: np.ndarray, types: list[str]) -> np.ndarray:
    """Which positions get a "neg_" twin: the ``model_tokens`` scope rule, vectorized.

    A token is in scope when the last negator before it is at most ``NEG_SCOPE`` tokens back with
    no punctuation (nor post boundary) between them; a breaker ("không những") right after the
    negator closes the scope. Later negators restart it, so only the last one counts.
    """
    n = len(ids)
    if not n:
        return np.zeros(0, dtype=bool)
    punct = np.array([len(t) == 1 and t in "!?.,;:\x00" for t in types], dtype=bool)
    negator = np.array([t in NEGATORS for t in types], dtype=bool)
    breaker = np.array([t in _NEG_BREAKERS for t in types], dtype=bool)
    pos = np.arange(n, dtype=np.int64)
    reset = punct[ids]
    is_neg = negator[ids]
    is_brk = breaker[ids]
    last_reset = np.maximum.accumulate(np.where(reset, pos, -1))
    last_neg = np.maximum.accumulate(np.where(is_neg, pos, -1))
    before = np.empty(n, dtype=np.int64)
    before[0] = -1
    before[1:] = last_neg[:-1]
    dist = pos - before
    ok = (before >= 0) & (before > last_reset) & ~reset & (dist <= NEG_SCOPE)
    first_after = np.minimum(before + 1, n - 1)
    closed = np.where(dist == 1, is_brk, is_brk[first_after])
    return ok & ~closed
