"""Compile parsed rules into one matcher over every rule at once.

Each post is scanned by Aho-Corasick twice at most: its lower-cased text with diacritics (keys of
terms written with diacritics, exact: and raw:) and its folded text (keys of terms written without
diacritics). Keys carry the spaces around them, so they only fire on whole syllables. Only rules
whose required keys fired are evaluated, plus the few with nothing to anchor on (pure NOT or
field-id rules). Terms are shared between rules and worked out once per post.

Diacritics (per term):

- written without diacritics ("tin gia", "duong"): matches any diacritics (tin giả, đường);
- written with diacritics ("tin giả"): matches exactly those after NFC and tone-mark
  normalization (hoà = hòa), and also matches a field typed without diacritics (at most one
  letter with diacritics per ten syllables, so a stray "đ" or a pasted name does not count);
- ``exact:`` diacritics exactly as written, any case, no fallback (exact:ngu is not "ngủ");
- ``raw:`` exact case and diacritics.

Positions are character offsets in the squeezed texts (one space between syllables), so NEAR
distances and phrase slop count syllables, and punctuation between words is ignored.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import timedelta
from fnmatch import translate as glob_to_regex
from itertools import product
from typing import Any, Protocol

from postwatch.keysearch import key_search
from postwatch.rules import text as T
from postwatch.rules.parse import META_FIELDS, And, Node, Not, Or, RuleSyntaxError, Term, parse

FIELD_INDEX = {"title": 0, "text": 1, "author": 2}
META_KEYS = {"source": "source_id", "platform": "platform", "kind": "kind", "unit": "unit_id"}
_WILD = re.compile(r"[*?]")

Occ = tuple[int, int]
#: Sets of automaton keys of which at least one must fire in each, for a node to match.
Req = tuple[frozenset[int], ...]


class Ctx(Protocol):
    """What compiled nodes need from a post being matched (postwatch.rules.match.PostContext)."""

    fc: str
    ec: str
    hits: dict[int, list[int]]
    memo: dict[int, Any]
    post: Mapping[str, Any]

    def field_of(self, pos: int) -> int: ...
    def bare(self, field: int) -> bool: ...
    def cased(self, start: int, end: int) -> str: ...


@dataclass(frozen=True, slots=True)
class RuleInfo:
    """What a hit carries about its rule."""

    id: str
    pack_id: str = ""
    pack_version: str = ""
    category: str = ""
    severity: str = "info"
    unit: str | None = None
    name: str = ""
    response_deadline: timedelta | None = None


class _TermM:
    """A syllable sequence, possibly with wildcards, found through up to two automaton keys.

    ``xkid`` keys the lower-cased text with diacritics (terms written with diacritics, exact:,
    raw:); ``fkid`` keys the folded text (terms written without diacritics, and terms written with
    them inside fields typed without any: ``bare_only``).
    """

    __slots__ = (
        "bare_only",
        "exact_re",
        "f_back",
        "f_len",
        "fields",
        "fkid",
        "fold_re",
        "raw_re",
        "uid",
        "x_back",
        "x_len",
        "xkid",
    )

    def __init__(self, uid: int) -> None:
        self.uid = uid
        self.fkid: int | None = None
        self.xkid: int | None = None
        self.f_len = self.x_len = self.f_back = self.x_back = 0
        self.bare_only = False
        self.fields: frozenset[int] | None = None
        self.fold_re: re.Pattern[str] | None = None
        self.exact_re: re.Pattern[str] | None = None
        self.raw_re: re.Pattern[str] | None = None

    def required(self) -> Req:
        return (frozenset(k for k in (self.fkid, self.xkid) if k is not None),)

    def ok(self, ctx: Ctx) -> bool:
        hits = ctx.hits
        return (self.xkid in hits or self.fkid in hits) and bool(self.occ(ctx))

    def spans(self, ctx: Ctx) -> list[Occ]:
        return self.occ(ctx)

    def occ(self, ctx: Ctx) -> list[Occ]:
        memo = ctx.memo
        found = memo.get(self.uid)
        if found is not None:
            return found
        hits = ctx.hits
        out: list[Occ] = _NONE
        ends = hits.get(self.xkid)  # type: ignore[arg-type]
        if ends:
            out = _found(ctx.ec, ends, self.x_len, self.x_back, self.exact_re)
        ends = hits.get(self.fkid)  # type: ignore[arg-type]
        if ends:
            more = _found(ctx.fc, ends, self.f_len, self.f_back, self.fold_re)
            if self.bare_only:
                more = [o for o in more if ctx.bare(ctx.field_of(o[0]))]
            if more:
                out = sorted(set(out) | set(more)) if out else more
        if out and self.fields is not None:
            field_of, fields = ctx.field_of, self.fields
            out = [o for o in out if field_of(o[0]) in fields]
        if out and self.raw_re is not None:
            raw = self.raw_re
            out = [o for o in out if raw.fullmatch(ctx.cased(o[0], o[1])) is not None]
        memo[self.uid] = out
        return out


_NONE: list[Occ] = []


def _found(text: str, ends: list[int], key_len: int, back: int, pattern: re.Pattern[str] | None) -> list[Occ]:
    """Occurrences (start, end) from the automaton's end positions of one key."""
    if pattern is None:
        n = key_len - 2
        return [(e - n, e) for e in ends]
    # Wildcards: the key is the longest literal piece; go to the phrase's first syllable and
    # match the whole pattern from there.
    seen: set[int] = set()
    out = []
    for e in ends:
        p = e - key_len + 1
        start = p + 1 if text[p] == " " else text.rfind(" ", 0, p) + 1
        for _ in range(back):
            start = text.rfind(" ", 0, start - 1) + 1
        if start not in seen:
            seen.add(start)
            m = pattern.match(text, start)
            if m is not None:
                out.append((start, m.end()))
    out.sort()
    return out


def _same_field(fc: str, a: int, b: int) -> bool:
    return fc.find(T.FIELD_SEP, a, b) < 0


class _ChainM:
    """Syllables in order with at most ``slop`` others inserted in total ("a b"~n)."""

    __slots__ = ("atoms", "slop", "uid")

    def __init__(self, uid: int, atoms: list[_TermM], slop: int) -> None:
        self.uid, self.atoms, self.slop = uid, atoms, slop

    def required(self) -> Req:
        return tuple(dict.fromkeys(a.required()[0] for a in self.atoms))

    def ok(self, ctx: Ctx) -> bool:
        return bool(self.occ(ctx))

    def spans(self, ctx: Ctx) -> list[Occ]:
        return self.occ(ctx)

    def occ(self, ctx: Ctx) -> list[Occ]:
        found = ctx.memo.get(self.uid)
        if found is not None:
            return found
        out: list[Occ] = []
        hits = ctx.hits
        ready = all(a.xkid in hits or a.fkid in hits for a in self.atoms)
        lists = [a.occ(ctx) for a in self.atoms] if ready else []
        if lists and all(lists):
            fc, k = ctx.fc, len(lists)
            starts = [[o[0] for o in lst] for lst in lists]
            for first in lists[0]:
                end = first[1]
                for lst, st in zip(lists[1:], starts[1:], strict=True):
                    j = bisect_right(st, end)
                    if j == len(lst) or not _same_field(fc, end, lst[j][0]):
                        end = -1
                        break
                    end = lst[j][1]
                if end >= 0 and fc.count(" ", first[0], end) + 1 - k <= self.slop:
                    out.append((first[0], end))
        ctx.memo[self.uid] = out
        return out


class _NearM:
    __slots__ = ("distance", "left", "ordered", "right", "uid")

    def __init__(self, uid: int, left: Any, right: Any, distance: int, ordered: bool) -> None:
        self.uid, self.left, self.right, self.distance, self.ordered = uid, left, right, distance, ordered

    def required(self) -> Req:
        return self.left.required() + self.right.required()

    def ok(self, ctx: Ctx) -> bool:
        return bool(self.occ(ctx))

    def spans(self, ctx: Ctx) -> list[Occ]:
        return self.occ(ctx)

    def occ(self, ctx: Ctx) -> list[Occ]:
        found = ctx.memo.get(self.uid)
        if found is not None:
            return found
        out: list[Occ] = []
        left = self.left.occ(ctx)
        right = self.right.occ(ctx) if left else []
        fc, n = ctx.fc, self.distance
        for la, lb in left:
            for ra, rb in right:
                if lb <= ra:
                    gap_from, gap_to = lb, ra
                elif rb <= la and not self.ordered:
                    gap_from, gap_to = rb, la
                else:
                    continue
                if fc.count(" ", gap_from, gap_to) - 1 <= n and _same_field(fc, gap_from, gap_to):
                    out.append((min(la, ra), max(lb, rb)))
        out = sorted(set(out))
        ctx.memo[self.uid] = out
        return out


def true_where_it_occurs(root: Any) -> bool:
    """Whether a rule's tree is true exactly when its ``spans`` are not empty (terms, phrases,
    NEAR, and OR of those): the matcher then asks for the spans once instead of ``ok`` first."""
    return type(root) in (_TermM, _ChainM, _NearM) or (type(root) is _OrM and root.occ_only)


class _OrM:
    """Alternatives, indexed by the keys that can make each true, so lists of terms stay cheap."""

    __slots__ = ("indexed", "items", "kids", "occ_only", "unindexed")

    def __init__(self, items: list[Any]) -> None:
        self.items = items
        # Items true exactly where they occur have their occurrences as spans: no ok() needed.
        self.occ_only = all(map(true_where_it_occurs, items))
        self.indexed: dict[int, list[Any]] = {}
        self.unindexed: list[Any] = []
        for item in items:
            req = item.required()
            if req:
                for kid in min(req, key=len):
                    self.indexed.setdefault(kid, []).append(item)
            else:
                self.unindexed.append(item)
        self.kids = frozenset(self.indexed)

    def required(self) -> Req:
        out: set[int] = set()
        for i in self.items:
            req = i.required()
            if not req:
                return ()
            out |= min(req, key=len)
        return (frozenset(out),)

    def _live(self, ctx: Ctx) -> list[Any]:
        live = [i for kid in self.kids.intersection(ctx.hits) for i in self.indexed[kid]]
        return list(dict.fromkeys(live)) + self.unindexed if len(live) > 1 else live + self.unindexed

    def ok(self, ctx: Ctx) -> bool:
        hits = ctx.hits
        for kid in self.kids.intersection(hits):  # iterates the few hits, not the many kids
            for item in self.indexed[kid]:
                if item.ok(ctx):
                    return True
        return any(item.ok(ctx) for item in self.unindexed)

    def spans(self, ctx: Ctx) -> list[Occ]:
        if self.occ_only:
            return [o for i in self._live(ctx) for o in i.occ(ctx)]
        return [o for i in self._live(ctx) if i.ok(ctx) for o in i.spans(ctx)]

    def occ(self, ctx: Ctx) -> list[Occ]:
        return sorted({o for i in self._live(ctx) for o in i.occ(ctx)})


class _AndM:
    __slots__ = ("items",)

    def __init__(self, items: list[Any]) -> None:
        # Cheap, selective checks first: anchored terms before NOTs and field ids.
        self.items = sorted(items, key=lambda i: not i.required())

    def required(self) -> Req:
        return tuple(dict.fromkeys(r for i in self.items for r in i.required()))

    def ok(self, ctx: Ctx) -> bool:
        return all(i.ok(ctx) for i in self.items)

    def spans(self, ctx: Ctx) -> list[Occ]:
        return [o for i in self.items for o in i.spans(ctx)]


class _NotM:
    __slots__ = ("item",)

    def __init__(self, item: Any) -> None:
        self.item = item

    def required(self) -> Req:
        return ()

    def ok(self, ctx: Ctx) -> bool:
        return not self.item.ok(ctx)

    def spans(self, ctx: Ctx) -> list[Occ]:
        return []


class _MetaM:
    __slots__ = ("key", "pattern")

    def __init__(self, field: str, value: str) -> None:
        self.key = META_KEYS[field]
        self.pattern = re.compile(glob_to_regex(value.strip()), re.IGNORECASE)

    def required(self) -> Req:
        return ()

    def ok(self, ctx: Ctx) -> bool:
        v = ctx.post.get(self.key)
        return v is not None and self.pattern.match(str(v)) is not None

    def spans(self, ctx: Ctx) -> list[Occ]:
        return []


def _wild_pattern(syllables: list[str], variants: bool = False) -> str:
    """Regex for syllables with * (any letters) and ? (one letter), never crossing a syllable;
    with ``variants``, literal syllables also accept their other tone placements."""
    parts = []
    for syl in syllables:
        if _WILD.search(syl):
            parts.append(
                "".join("[^ \x1f]*" if c == "*" else "[^ \x1f]" if c == "?" else re.escape(c) for c in syl)
            )
        elif variants:
            parts.append("(?:" + "|".join(map(re.escape, T.tone_variants_encoded(syl))) + ")")
        else:
            parts.append(re.escape(syl))
    return " ".join(parts)


def _key(syllables: list[str], variants: bool) -> tuple[list[str], int, re.Pattern[str] | None]:
    """(automaton keys, syllables between the phrase start and the key, pattern if wildcards).

    The first key is the canonical one; with ``variants`` (lower-cased text with diacritics), the
    others spell it with the other tone placements (hoà for hòa), so the text needs no rewriting."""
    padded = " " + " ".join(syllables) + " "
    back, pattern = 0, None
    key = padded
    if _WILD.search(padded):
        # The longest literal piece (its spaces anchor syllable boundaries) is the key.
        pieces, pos = [], 0
        for m in [*_WILD.finditer(padded), None]:
            end = m.start() if m else len(padded)
            pieces.append((pos, padded[pos:end]))
            pos = m.end() if m else pos
        at, key = max(pieces, key=lambda p: (len(p[1].strip(" ")), len(p[1])))
        back = padded[: at + 1].count(" ") - 1 if padded[at] == " " else padded[:at].count(" ") - 1
        pattern = re.compile(_wild_pattern(syllables, variants) + "(?= )")
    if not variants:
        return [key], back, pattern
    words = key.split(" ")
    keys = [" ".join(combo) for combo in product(*(T.tone_variants_encoded(w) if w else [w] for w in words))]
    return keys, back, pattern


@dataclass(frozen=True, slots=True)
class CompiledRule:
    info: RuleInfo
    root: Any
    query: str
    #: Pre-check before evaluating: each tuple needs one of its keys among the post's hits.
    required: tuple[tuple[int, ...], ...]


class _Builder:
    def __init__(self) -> None:
        self.fold_keys: dict[str, int] = {}
        self.exact_keys: dict[str, int] = {}
        self.plain: set[int] = set()  # folded keys valid in any field
        self.key_len: dict[int, int] = {}
        self.terms: dict[tuple[Any, ...], _TermM] = {}
        self.uid = 0
        self.uses_author = False

    def next_uid(self) -> int:
        self.uid += 1
        return self.uid

    def key_id(self, table: dict[str, int], key: str) -> int:
        kid = table.get(key)
        if kid is None:
            kid = table[key] = len(self.key_len)
            self.key_len[kid] = len(key)
        return kid

    def node(self, n: Node, rule_id: str) -> Any:
        if isinstance(n, Term):
            return self.term(n, rule_id)
        if isinstance(n, And):
            return _AndM([self.node(i, rule_id) for i in n.items])
        if isinstance(n, Or):
            return _OrM([self.node(i, rule_id) for i in n.items])
        if isinstance(n, Not):
            return _NotM(self.node(n.item, rule_id))
        return _NearM(
            self.next_uid(), self.node(n.left, rule_id), self.node(n.right, rule_id), n.distance, n.ordered
        )

    def term(self, t: Term, rule_id: str) -> Any:
        if t.field in META_FIELDS:
            return _MetaM(t.field, t.text)
        if t.field == "author":
            self.uses_author = True
        e = T.encode(T.nfc(t.text))
        low = T.squeeze(e.translate(T.QUERY_LOWER).decode("latin-1")).strip(" ").split(" ")
        fold = T.squeeze(e.translate(T.QUERY_FOLD).decode("latin-1")).strip(" ").split(" ")
        if low == [""]:
            raise RuleSyntaxError(rule_id, t.col, "letters or digits in the term", repr(t.text))
        cased = [c for c in T.decode(e.translate(T.QUERY_SEPARATE)).split(" ") if c]
        low = [syl if _WILD.search(syl) else T.canonical_encoded(syl) for syl in low]
        cased = [syl if _WILD.search(syl) else T.canonical_tones(syl) for syl in cased]
        diacritics = low != fold
        if len(fold) > 1 and t.slop > 0:
            atoms = [
                self.atom(t, [lo], [fo], [ca], diacritics, rule_id)
                for lo, fo, ca in zip(low, fold, cased, strict=True)
            ]
            return _ChainM(self.next_uid(), atoms, t.slop)
        return self.atom(t, low, fold, cased, diacritics, rule_id)

    def atom(
        self, t: Term, low: list[str], fold: list[str], cased: list[str], diacritics: bool, rule_id: str
    ) -> _TermM:
        """One term; diacritics (of the whole term) decide which texts it is looked up in."""
        sig = (tuple(low), tuple(fold), tuple(cased) if t.mode == "raw" else (), t.field, t.mode, diacritics)
        got = self.terms.get(sig)
        if got is not None:
            return got
        m = _TermM(self.next_uid())
        if t.mode != "auto" or diacritics:
            keys, m.x_back, m.exact_re = _key(low, variants=True)
            self._check_key(keys[0], m.exact_re, t, rule_id)
            m.xkid, m.x_len = self.key_id(self.exact_keys, keys[0]), len(keys[0])
            for other in keys[1:]:
                self.exact_keys.setdefault(other, m.xkid)
        if t.mode == "auto":
            keys, m.f_back, m.fold_re = _key(fold, variants=False)
            self._check_key(keys[0], m.fold_re, t, rule_id)
            m.fkid, m.f_len = self.key_id(self.fold_keys, keys[0]), len(keys[0])
            m.bare_only = diacritics
            if not diacritics:
                self.plain.add(m.fkid)
        if t.field is not None:
            m.fields = frozenset((FIELD_INDEX[t.field],))
        if t.mode == "raw":
            m.raw_re = re.compile(_wild_pattern(cased))
        self.terms[sig] = m
        return m

    @staticmethod
    def _check_key(key: str, pattern: re.Pattern[str] | None, t: Term, rule_id: str) -> None:
        if pattern is not None and len(key.strip(" ")) < 2:
            raise RuleSyntaxError(
                rule_id, t.col, "at least two letters in a row besides wildcards", repr(t.text)
            )


class RuleSet:
    """Every rule compiled into one automaton; evaluate with ``postwatch.rules.match``."""

    def __init__(self, rules: Iterable[tuple[RuleInfo, str]]) -> None:
        b = _Builder()
        self.rules: list[CompiledRule] = []
        seen: set[str] = set()
        for info, query in rules:
            if info.id in seen:
                raise ValueError(f"duplicate rule id {info.id!r}")
            seen.add(info.id)
            root = b.node(parse(query, info.id), info.id)
            req = root.required()
            self.rules.append(CompiledRule(info, root, query, tuple(tuple(r) for r in req)))
        key_len = b.key_len
        n_keys = len(key_len)
        by_key: dict[int, list[int]] = {}
        always: list[int] = []
        for i, rule in enumerate(self.rules):
            if not rule.required:
                always.append(i)
                continue
            # Index each rule under its most selective requirement: fewest keys, longest keys.
            anchor = min(rule.required, key=lambda r: (len(r), -min(key_len[k] for k in r)))
            for kid in anchor:
                by_key.setdefault(kid, []).append(i)
        self.key_rules: list[tuple[int, ...]] = [tuple(by_key.get(k, ())) for k in range(n_keys)]
        self.always: tuple[int, ...] = tuple(always)
        self.uses_author = b.uses_author
        #: Folded text of fields written with diacritics needs only the plain keys; fields typed
        #: without diacritics need all (terms with diacritics fall back to their folded form there).
        self.fold_plain = key_search((k, i) for k, i in b.fold_keys.items() if i in b.plain)
        self.fold_all = key_search(b.fold_keys.items())
        self.exact = key_search(b.exact_keys.items())
        self._by_id = {r.info.id: r for r in self.rules}

    def __len__(self) -> int:
        return len(self.rules)

    def info(self, rule_id: str) -> RuleInfo:
        return self._by_id[rule_id].info

    @property
    def n_keys(self) -> int:
        return len(self.key_rules)


def compile_rules(rules: Iterable[tuple[RuleInfo, str]]) -> RuleSet:
    """Compile (rule info, query) pairs; raises RuleSyntaxError for the first bad query."""
    return RuleSet(rules)


def compile_query(query: str, rule_id: str = "query") -> RuleSet:
    """A one-rule set, for trying a query out (``postwatch rules match``)."""
    return RuleSet([(RuleInfo(rule_id), query)])
