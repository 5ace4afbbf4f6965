"""Evaluate a compiled rule set over a batch of posts.

Posts go in chunks: their fields (NFC, the field separator made a space) are joined into one
text with the separator token between every field and every post, so encoding, ``translate``
folding, squeezing and each automaton run once per chunk in C, and every post is a slice of the
result. Hits are grouped per post and key (in flat arrays, ``posthits.pyx``, where compiled; else
in dicts); only posts where some rule is a candidate get a context, and its display views
(squeezed-to-original offsets, NFC-to-given offsets) are built lazily.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache, partial
from itertools import accumulate, chain, islice, repeat
from typing import Any, NamedTuple

import numpy as np

from postwatch import native
from postwatch.gcpause import gc_paused
from postwatch.keysearch import Hits
from postwatch.rules import text as T
from postwatch.rules.compile import CompiledRule, RuleSet, compile_query, true_where_it_occurs

_candidates = native.load("postwatch.rules.candidates")  # candidates_python in C; None where not compiled
_posthits = native.load("postwatch.rules.posthits")  # hits grouped in flat arrays; None where not compiled
_NONSPACE = re.compile(rb"[^ ]+")
#: Posts per chunk: the joined text stays small while per-call costs are shared.
_CHUNK = 1024
_SEP = T.FIELD_SEP
_is_nfc = unicodedata.is_normalized
_normalize = unicodedata.normalize
_combining = unicodedata.combining


class Span(NamedTuple):
    """Where a rule matched: field name, character offsets in the field as given, and the text."""

    field: str
    start: int
    end: int
    text: str


# Not frozen: one is made per post, and a frozen dataclass's __init__ costs three times as much.
@dataclass(slots=True)
class Hit:
    """One rule firing on one post; stored with the pack version that produced it."""

    post_key: Hashable
    rule_id: str
    pack_id: str
    pack_version: str
    category: str
    severity: str
    unit: str | None
    spans: tuple[Span, ...]


def post_key(post: Mapping[str, Any]) -> Hashable:
    """Posts are keyed by (platform, post_id) in the warehouse."""
    return (post.get("platform"), post.get("post_id"))


def _as_text(value: Any) -> str:
    """A field value as text: missing, empty and NaN (pandas' missing value) are "", numbers str()."""
    if isinstance(value, str):
        return value
    return "" if value != value else str(value)


def _column(posts: list[Mapping[str, Any]], name: str) -> list[str]:
    """One field of every post, as text (``post.get(name) or ""``, then ``_as_text``)."""
    values = [p.get(name) or "" for p in posts]
    if {*map(type, values)} != {str}:
        values = [v if type(v) is str else _as_text(v) for v in values]
    return values


class _Chunk:
    """The text forms of a chunk of posts, each built by one C call over all of them joined.

    The joined text is the per-post texts ``" title <sep> text "`` joined by the separator, so it
    reads ``" title <sep> text <sep> title <sep> text "``. Encoding and translation work byte by
    byte, squeezing only merges spaces, and automaton keys never hold the separator (the Matcher
    checks), so each post's slice is exactly what the post alone would give.
    """

    __slots__ = ("_kept", "ec", "fc", "n_fields", "norm_at", "norms", "origs", "sep", "sq_start", "text")

    def __init__(self, posts: list[Mapping[str, Any]], names: tuple[str, ...]) -> None:
        nf = self.n_fields = len(names)
        cols = [_column(posts, n) for n in names]
        origs = self.origs = cols[0] if nf == 1 else list(chain.from_iterable(zip(*cols, strict=True)))
        flat = origs
        nfc = list(map(_is_nfc, repeat("NFC"), flat))
        if False in nfc:
            flat = [f if ok else _normalize("NFC", f) for f, ok in zip(flat, nfc, strict=True)]
        text = " " + " \x1f ".join(flat) + " "
        if text.count(_SEP) != len(flat) - 1:  # a separator inside some field: a space there
            flat = [f.replace(_SEP, " ") if _SEP in f else f for f in flat]
            text = " " + " \x1f ".join(flat) + " "
        #: Each field's NFC text (the value as given, the same object, when that is NFC already)
        #: and where it starts in ``text``.
        self.norms = flat
        lens = list(map(len, flat))
        self.norm_at = [a + 3 * k + 1 for k, a in enumerate(accumulate(lens, initial=0))]
        self.text = text
        self._kept: np.ndarray | None = None
        self.sep, squeezed, self.sq_start = T.separate_squeeze(text)
        self.fc = squeezed.translate(T.FOLD).decode("latin-1")
        self.ec = squeezed.translate(T.LOWER)

    def kept(self) -> np.ndarray:
        """For each character of the squeezed text, its index in ``sep`` (and, last, the length)."""
        if self._kept is None:
            space = np.frombuffer(self.sep, np.uint8) == 32
            kept = np.ones(len(space) + 1, bool)
            kept[1:-1] = ~(space[1:] & space[:-1])  # the second and later spaces of a run go
            self._kept = np.flatnonzero(kept)
        return self._kept

    def bare_fields(self) -> np.ndarray:
        """Per field: typed without diacritics (at most one marked letter per ten syllables)?"""
        marks = np.frombuffer(self.ec.translate(T.MARKS), np.uint8)
        at = np.array(self.sq_start[:-1])  # fields are never empty: at least their space
        syllables = np.add.reduceat((marks == 32).astype(np.int32), at) - 1
        marked = np.add.reduceat((marks == 1).astype(np.int32), at)
        return (syllables > 0) & (marked * 10 <= syllables)


class PostContext:
    """The text forms of one post (slices of its chunk's), with lazily built views for display."""

    __slots__ = (
        "_chunk",
        "_fields",
        "_first",
        "_offsets",
        "_seps",
        "_sq",
        "bare_fields",
        "ec",
        "fc",
        "hits",
        "memo",
        "names",
        "post",
    )

    def __init__(
        self,
        chunk: _Chunk,
        first: int,
        sq: int,
        post: Mapping[str, Any],
        names: tuple[str, ...],
        fc: str,
        ec: str,
        bare_fields: list[bool],
        hits: dict[int, list[int]],
    ) -> None:
        self._chunk, self._first, self._sq, self.post, self.names = chunk, first, sq, post, names
        self.fc, self.ec, self.bare_fields, self.hits = fc, ec, bare_fields, hits
        self.memo: dict[int, Any] = {}
        self._seps: list[int] | None = None
        self._fields: list[tuple[str, str, str, int]] | None = None
        self._offsets: dict[int, list[int]] = {}

    @property
    def _bounds(self) -> tuple[int, int]:
        c, k = self._chunk, self._first
        last = k + c.n_fields - 1
        return c.norm_at[k] - 1, c.norm_at[last] + len(c.norms[last]) + 1

    @property
    def s(self) -> str:
        """The post's NFC text, fields joined by the separator: ``" title <sep> text "``."""
        a, b = self._bounds
        return self._chunk.text[a:b]

    @property
    def sep(self) -> bytes:
        """``s`` encoded, with everything but letters and digits made a space."""
        a, b = self._bounds
        return self._chunk.sep[a:b]

    @property
    def fields(self) -> list[tuple[str, str, str, int]]:
        """(name, text as given, NFC text, offset in ``s``) per field."""
        if self._fields is None:
            c, k = self._chunk, self._first
            base = c.norm_at[k] - 1
            out = []
            for j, name in enumerate(self.names):
                out.append((name, c.origs[k + j], c.norms[k + j], c.norm_at[k + j] - base))
            self._fields = out
        return self._fields

    def field_of(self, pos: int) -> int:
        if self._seps is None:
            fc, seps, i = self.fc, [], self.fc.find(_SEP)
            while i >= 0:
                seps.append(i)
                i = fc.find(_SEP, i + 1)
            self._seps = seps
        return bisect_right(self._seps, pos)

    def bare(self, field: int) -> bool:
        """Is this field typed without diacritics (at most one marked letter per ten syllables)?"""
        return self.bare_fields[field]

    def locate(self, a: int, b: int) -> tuple[int, int]:
        """Offsets in ``s`` (the NFC text) of the syllables at [a, b) of ``fc``: where those
        characters of the squeezed text were before squeezing."""
        kept, q = self._chunk.kept(), self._sq
        base = self._chunk.norm_at[self._first] - 1
        return kept.item(q + a) - base, kept.item(q + b) - base

    def cased(self, a: int, b: int) -> str:
        """The syllables at [a, b) with their original case (for raw: terms)."""
        x, y = self.locate(a, b)
        words = (self.s[m.start() : m.end()] for m in _NONSPACE.finditer(self.sep, x, y))
        return " ".join(T.canonical_tones(w) for w in words)

    def span(self, a: int, b: int) -> Span:
        """Map a match back to its field and character offsets in the text as the post gave it."""
        c = self._chunk
        kept, q = c.kept(), self._sq
        field = self.fc.count(_SEP, 0, a)
        k = self._first + field
        at = c.norm_at[k]
        start, end = kept.item(q + a) - at, kept.item(q + b) - at
        orig, norm = c.origs[k], c.norms[k]
        if orig is not norm and orig != norm:
            where = self._offsets.get(field)
            if where is None:
                where = self._offsets[field] = _nfc_offsets(orig, len(norm))
            start, end = where[start], where[end]
        return Span(self.names[field], start, end, orig[start:end])


@lru_cache(maxsize=256)
def _cluster_re(marks: frozenset[str]) -> re.Pattern[str]:
    """A character and the combining marks (of ``marks``) that follow it."""
    return re.compile("(?s)." + ("[" + "".join(map(re.escape, sorted(marks))) + "]*" if marks else ""))


def _nfc_offsets(orig: str, n_nfc: int) -> list[int]:
    """For each NFC character index, the index in ``orig`` where it begins (plus the end).

    A cluster is a character and the combining marks after it; it yields as many NFC characters
    as its own NFC form has. Clusters are cut by a regex over the marks this text holds, and
    measured with one ``map`` in C."""
    marks = frozenset(ch for ch in set(orig) if _combining(ch))
    clusters = _cluster_re(marks).findall(orig)
    size = {c: len(_normalize("NFC", c)) for c in set(clusters)}
    out = list(accumulate(map(len, clusters), initial=0))  # where each cluster starts, then the end
    n = len(orig)
    if set(size.values()) != {1}:  # some cluster is not one NFC character
        out = [*chain.from_iterable(map(repeat, out, map(size.__getitem__, clusters))), n]
    if len(out) < n_nfc + 1:  # exotic compositions: clamp rather than fail
        out.extend([n] * (n_nfc + 1 - len(out)))
    return out


def candidates_python(
    hits_of: Hits,
    key_rules: Sequence[Sequence[int]],
    always: Sequence[int],
    checks: Sequence[Sequence[Sequence[int]]],
) -> list[list[int] | None]:
    """Per post, the rules to evaluate, ascending, or None when there are none (the definition
    ``candidates.pyx`` follows): the ``always`` rules and those anchored on a key of the post's
    hits (``key_rules[key id]``), each kept if every one of its ``checks`` (tuples of key ids)
    has a key among the hits."""
    out: list[list[int] | None] = []
    for hits in hits_of:
        if hits is None:
            cand: Iterable[int] = always
            hits = {}
        else:
            found = set(always)
            for kid in hits:
                if 0 <= kid < len(key_rules):
                    found.update(key_rules[kid])
            cand = sorted(found)
        order = [i for i in cand if all(any(k in hits for k in need) for need in checks[i])]
        out.append(order or None)
    return out


class Matcher:
    """Runs a RuleSet over posts (mappings with title, text, author, source_id, platform, kind, unit_id).

    ``compiled=False`` buckets the hits in dicts and picks the candidate rules with the Python
    definition even where ``candidates.pyx`` and ``posthits.pyx`` are built (to compare the two)."""

    def __init__(self, ruleset: RuleSet, *, compiled: bool = True) -> None:
        self.ruleset = ruleset
        # A rule is a candidate through a key of its anchor requirement; when that is its only
        # requirement there is nothing left to check before evaluating it.
        checks = [r.required if len(r.required) > 1 else () for r in ruleset.rules]
        self._by_spans = [true_where_it_occurs(r.root) for r in ruleset.rules]
        self._candidates: Callable[[Hits], list[list[int] | None]]
        self._flat: Any = None  # the CandidateIndex, where hits go through flat arrays
        if compiled and _candidates is not None:
            index = _candidates.CandidateIndex(ruleset.n_keys, ruleset.key_rules, ruleset.always, checks)
            self._candidates = index.batch
            searches = [a for a in (ruleset.exact, ruleset.fold_plain, ruleset.fold_all) if a is not None]
            if _posthits is not None and all(hasattr(a, "collect_flat_apart") for a in searches):
                self._flat = index
        else:
            self._candidates = partial(
                candidates_python, key_rules=ruleset.key_rules, always=ruleset.always, checks=checks
            )
        # Posts are joined with the field separator; a key holding one (a query can spell it)
        # could then match across two posts, so such rule sets take their posts one at a time.
        keys = chain.from_iterable(a.keys() for a in (ruleset.exact, ruleset.fold_all) if a is not None)
        self._chunk = 1 if any(_SEP in k for k in keys) else _CHUNK

    def match_batch(
        self, posts: Iterable[Mapping[str, Any]], key: Callable[[Mapping[str, Any]], Hashable] = post_key
    ) -> list[Hit]:
        """Every (post, rule) hit in the batch, in post order then rule order.

        The cyclic garbage collector is paused meanwhile (see ``postwatch.gcpause``)."""
        out: list[Hit] = []
        it = iter(posts)
        with gc_paused():
            while chunk := list(islice(it, self._chunk)):
                self._match_chunk(chunk, key, out)
        return out

    def _match_chunk(
        self, posts: list[Mapping[str, Any]], key: Callable[[Mapping[str, Any]], Hashable], out: list[Hit]
    ) -> None:
        rs = self.ruleset
        rules, by_spans = rs.rules, self._by_spans
        plain, full, exact = rs.fold_plain, rs.fold_all, rs.exact
        names = ("title", "text", "author") if rs.uses_author else ("title", "text")
        nf = len(names)
        n = len(posts)
        c = _Chunk(posts, names)
        sq_start = c.sq_start
        starts = sq_start[0:-1:nf]
        ends = [a - 1 for a in sq_start[nf::nf]]  # each post's squeezed text ends before a separator
        bare_np = c.bare_fields()
        bare: list[bool] = bare_np.tolist()
        bare_posts: list[int] = np.flatnonzero(bare_np.reshape(n, nf).any(axis=1)).tolist()
        ec = c.ec.decode("latin-1") if exact is not None else ""
        fc = c.fc
        hits_of: list[Any]
        if self._flat is not None:
            orders, hits_of = self._flat_hits(c, n, ec, starts, ends, bare_posts)
        else:
            hits_of = [None] * n
            if exact is not None:
                exact.collect(ec, starts, ends, hits_of, None)
            if plain is not None:
                plain.collect(fc, starts, ends, hits_of, set(bare_posts) or None)
            if full is not None:
                for p in bare_posts:
                    # Each post alone, as a slice (a search would still convert the whole text on
                    # every call): one post whose offsets are the slice's own.
                    one = hits_of[p : p + 1]
                    full.collect(fc[starts[p] : ends[p]], [0], [ends[p] - starts[p] + 1], one, None)
                    hits_of[p] = one[0]
            orders = self._candidates(hits_of)
        for p, order in enumerate(orders):
            if order is None:
                continue
            hits = hits_of[p] or {}
            a, b = starts[p], ends[p]
            first = p * nf
            ctx = PostContext(c, first, a, posts[p], names, fc[a:b], ec[a:b], bare[first : first + nf], hits)
            pkey = None
            for i in order:
                rule = rules[i]
                if by_spans[i]:
                    spans = rule.root.spans(ctx)
                    if not spans:
                        continue
                elif rule.root.ok(ctx):
                    spans = rule.root.spans(ctx)
                else:
                    continue
                if pkey is None:
                    pkey = key(posts[p])
                out.append(_hit(rule, ctx, pkey, spans))

    def _flat_hits(
        self, c: _Chunk, n: int, ec: str, starts: list[int], ends: list[int], bare_posts: list[int]
    ) -> tuple[list[list[int] | None], list[Any]]:
        """The candidate rules and the hits (``posthits.PostHits``) of each post, through flat
        arrays: the same as the dict path's ``collect`` calls, without an object per hit."""
        rs, fc = self.ruleset, c.fc
        parts = []
        if rs.exact is not None:
            parts.append(rs.exact.collect_flat(ec, starts, ends, None))
        if rs.fold_plain is not None:
            parts.append(rs.fold_plain.collect_flat(fc, starts, ends, set(bare_posts) or None))
        if rs.fold_all is not None and bare_posts:  # each post alone, as in the dict path
            b_starts = [starts[p] for p in bare_posts]
            parts.append(
                rs.fold_all.collect_flat_apart(fc, b_starts, [ends[p] for p in bare_posts], bare_posts)
            )
        grouped = _posthits.group(n, parts)
        return self._flat.batch_grouped(grouped.starts, grouped.kids), grouped.posts()

    def match_post(self, post: Mapping[str, Any]) -> list[Hit]:
        return self.match_batch([post])


def _hit(rule: CompiledRule, ctx: PostContext, pkey: Hashable, spans: list[tuple[int, int]]) -> Hit:
    occ = spans if len(spans) == 1 else sorted(set(spans))
    info = rule.info
    return Hit(
        pkey,
        info.id,
        info.pack_id,
        info.pack_version,
        info.category,
        info.severity,
        info.unit,
        tuple(ctx.span(a, b) for a, b in occ),
    )


def match_batch(ruleset: RuleSet, posts: Iterable[Mapping[str, Any]]) -> list[Hit]:
    """Shorthand for ``Matcher(ruleset).match_batch(posts)``."""
    return Matcher(ruleset).match_batch(posts)


def try_query(query: str, post: Mapping[str, Any]) -> Hit | None:
    """Match one query against one post (an officer trying a query); RuleSyntaxError if it is bad."""
    hits = Matcher(compile_query(query)).match_batch([post])
    return hits[0] if hits else None
