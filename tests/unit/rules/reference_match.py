"""The rule matcher as it was before it was made faster, kept as the reference it must agree with.

A plain per-post implementation: every post is NFC-normalized, encoded, squeezed and scanned on
its own, and spans are mapped back with straightforward loops. ``test_match_fast`` runs generated
and hostile posts through both and requires identical hits. Not used by the library.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Hashable, Iterable, Mapping
from functools import lru_cache
from typing import Any

from postwatch.rules import text as T
from postwatch.rules.compile import CompiledRule, RuleSet
from postwatch.rules.match import Hit, Span, post_key

_NONSPACE = re.compile(rb"[^ ]+")
_RUNS = re.compile(rb"  +")
_SEP = T.FIELD_SEP
_is_nfc = unicodedata.is_normalized
_normalize = unicodedata.normalize


def _field(post: Mapping[str, Any], name: str) -> tuple[str, str]:
    orig = post.get(name) or ""
    if not isinstance(orig, str):
        orig = "" if orig != orig else str(orig)
    s = orig if _is_nfc("NFC", orig) else _normalize("NFC", orig)
    if _SEP in s:
        s = s.replace(_SEP, " ")
    return orig, s


class _RefContext:
    """One post's text forms, built eagerly per post."""

    def __init__(
        self,
        post: Mapping[str, Any],
        names: tuple[str, ...],
        s: str,
        sep: bytes,
        fc: str,
        ec: str,
        bare_fields: list[bool],
        hits: dict[int, list[int]],
    ) -> None:
        self.post, self.names, self.s, self.sep = post, names, s, sep
        self.fc, self.ec, self.bare_fields, self.hits = fc, ec, bare_fields, hits
        self.memo: dict[int, Any] = {}
        self._seps: list[int] | None = None
        self._fields: list[tuple[str, str, str, int]] | None = None
        self._runs: tuple[list[int], list[int]] | None = None

    @property
    def fields(self) -> list[tuple[str, str, str, int]]:
        if self._fields is None:
            out, offset = [], 1
            for name in self.names:
                orig, norm = _field(self.post, name)
                out.append((name, orig, norm, offset))
                offset += len(norm) + 3
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
        return self.bare_fields[field]

    def locate(self, a: int, b: int) -> tuple[int, int]:
        if self._runs is None:
            at: list[int] = []
            removed: list[int] = []
            total = 0
            for m in _RUNS.finditer(self.sep):
                x, y = m.span()
                at.append(x - total)
                total += y - x - 1
                removed.append(total)
            self._runs = (at, removed)
        at, removed = self._runs
        i, j = bisect_left(at, a), bisect_left(at, b)
        return a + (removed[i - 1] if i else 0), b + (removed[j - 1] if j else 0)

    def cased(self, a: int, b: int) -> str:
        x, y = self.locate(a, b)
        words = (self.s[m.start() : m.end()] for m in _NONSPACE.finditer(self.sep, x, y))
        return " ".join(T.canonical_tones(w) for w in words)

    def span(self, a: int, b: int) -> Span:
        start, end = self.locate(a, b)
        name, orig, norm, offset = self.fields[self.fc.count(_SEP, 0, a)]
        start, end = start - offset, end - offset
        if orig is not norm and orig != norm:
            where = _nfc_offsets(orig, len(norm))
            start, end = where[start], where[end]
        return Span(name, start, end, orig[start:end])


def _bare_fields(ec: bytes) -> list[bool]:
    marks = ec.translate(T.MARKS)
    out = []
    lo, end = 0, len(marks)
    while lo <= end:
        hi = marks.find(b"\x02", lo)
        if hi < 0:
            hi = end
        syllables = marks.count(b" ", lo, hi) - 1
        out.append(syllables > 0 and marks.count(b"\x01", lo, hi) * 10 <= syllables)
        lo = hi + 1
    return out


@lru_cache(maxsize=64)
def _nfc_offsets(orig: str, n_nfc: int) -> list[int]:
    """Per character, as before; cached only so that long decomposed posts keep the test quick."""
    out: list[int] = []
    i, n = 0, len(orig)
    while i < n:
        j = i + 1
        while j < n and unicodedata.combining(orig[j]):
            j += 1
        out.extend([i] * len(_normalize("NFC", orig[i:j])))
        i = j
    out.append(n)
    if len(out) < n_nfc + 1:
        out.extend([n] * (n_nfc + 1 - len(out)))
    return out


def _hit(rule: CompiledRule, ctx: _RefContext, pkey: Hashable) -> Hit:
    occ = sorted(set(rule.root.spans(ctx)))
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


def match_batch_reference(
    rs: RuleSet,
    posts: Iterable[Mapping[str, Any]],
    key: Callable[[Mapping[str, Any]], Hashable] = post_key,
) -> list[Hit]:
    """Every (post, rule) hit, in post order then rule order: the per-post reference."""
    key_rules, always, rules = rs.key_rules, rs.always, rs.rules
    plain, full, exact = rs.fold_plain, rs.fold_all, rs.exact
    names = ("title", "text", "author") if rs.uses_author else ("title", "text")
    n_seps = len(names) - 1
    out: list[Hit] = []
    for post in posts:
        try:
            s = " " + (post.get("title") or "") + " \x1f " + (post.get("text") or "")
            if n_seps == 2:
                s += " \x1f " + (post.get("author") or "")
            s += " "
            fast = _is_nfc("NFC", s) and s.count(_SEP) == n_seps
        except TypeError:
            fast = False
        if not fast:
            s = " " + " \x1f ".join(_field(post, n)[1] for n in names) + " "
        sep = T.encode(s).translate(T.SEPARATE)
        squeezed = T.squeeze_bytes(sep)
        fc = squeezed.translate(T.FOLD).decode("latin-1")
        ecb = squeezed.translate(T.LOWER)
        bare = _bare_fields(ecb)
        hits: dict[int, list[int]] = {}
        ec = ""
        if exact is not None:
            ec = ecb.decode("latin-1")
            for end, kid in exact.iter(ec):
                hits.setdefault(kid, []).append(end)
        folded = full if True in bare else plain
        if folded is not None:
            for end, kid in folded.iter(fc):
                hits.setdefault(kid, []).append(end)
        if hits:
            cand: set[int] = set(always)
            for kid in hits:
                cand.update(key_rules[kid])
            if not cand:
                continue
            order: Iterable[int] = sorted(cand)
        elif always:
            order = always
        else:
            continue
        ctx = _RefContext(post, names, s, sep, fc, ec, bare, hits)
        pkey = None
        for i in order:
            rule = rules[i]
            if not all(any(k in hits for k in need) for need in rule.required):
                continue
            if not rule.root.ok(ctx):
                continue
            if pkey is None:
                pkey = key(post)
            out.append(_hit(rule, ctx, pkey))
    return out
