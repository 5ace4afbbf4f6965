"""The batch matcher gives exactly the hits of the plain per-post reference (reference_match.py).

Posts are bench/rules.py's synthetic Vietnamese posts plus hostile ones: decomposed (NFD) text,
the field separator inside text, empty, None, NaN and numeric fields, emoji and other scripts,
characters that change length under NFC, 10 KB texts; rules are the shipped packs, the relevance
rules and generated queries using every operator.
"""

from __future__ import annotations

import random
import unicodedata
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from postwatch.process.relevance import RelevanceRules, load_gazetteer, load_units
from postwatch.rules import match
from postwatch.rules.compile import RuleInfo, RuleSet
from postwatch.rules.match import Matcher, _nfc_offsets
from postwatch.rules.packs import load_packs, pack_rules
from postwatch.rules.text import fold_text
from tests.bench_modules import bench_module
from tests.unit.rules import reference_match as ref

ROOT = Path(__file__).resolve().parents[3]
CONFIG = ROOT / "include" / "config"

#: Hand-written queries for what the generated ones use rarely: author:, raw:, exact:, ?, NOT
#: alone, id fields, wildcards in phrases, NEAR/0, tone placement variants.
EXTRA_QUERIES = [
    'author:"nguyễn văn" OR author:an',
    "author:(bình OR minh) AND (cháy OR lũ)",
    "raw:UBND OR raw:Xã",
    'raw:"Sơn Hà" OR exact:"tân lập"',
    "exact:ngu OR exact:đụ",
    "ng?y AND NOT chợ",
    "chá* NEAR/2 rừng",
    "NOT platform:facebook AND (xã OR tỉnh)",
    "unit:sonha.* AND (xa OR tinh)",
    "kind:press",
    "NOT (xã OR tỉnh OR dân)",
    '"xã * lập" OR "tỉnh s?n hà"',
    '"tin giả"~2 OR "người dân"~1',
    "xa NEAR/0 tan",
    '"hoà bình" OR "thuỷ nguyên" OR "khoẻ"',
    'đường ONEAR/2 ("bị ngập" OR ngập)',
    'title:(lũ OR "sạt lở" OR xã) AND text:(dân OR người)',
    "source:src-1? AND được",
    '("sơn hà" NEAR/3 tỉnh) NEAR/10 (xã OR phường)',
    '"cho dong thanh" OR "xa tan lap" OR "tan lap"',
]
NAMES = [
    "xã Tân Lập",
    "UBND xã Tân Lập",
    "tỉnh Sơn Hà",
    "Sơn Hà",
    "phường Đông Thành",
    "xã Thủy Nguyên",
    "xã Thuỷ Nguyên",
    "thôn Khe Mát",
    "xã Hoà Bình",
    "xa tan lap",
    "Hà Nội",
    "Nguyễn Văn An",
]
#: Text that is not plain Vietnamese: emoji with joiners and variation selectors, Cyrillic, CJK,
#: conjoining Hangul jamo and characters whose NFC form has another length (U+0958, U+212B, U+0344).
ODD = [
    "👨‍👩‍👧 ❤️ 🙏🏽",
    "Привет мир",
    "中文 新闻",
    "\u1100\u1161\u11a8 \u1100\u1161",
    "\u0958\u093c \u212b \u0344 e\u0344",
    "\u0301\u0323a",
    "x\u0323\u0302a\u0300",
    "\u00a0\u2028\u0085\x1c\x1e\t\n",
    "\ufb1d \u2adc \uf900",
]


@cache
def _world() -> tuple[RuleSet, list[str], list[str]]:
    """(rules, vocabulary, example sentences), built once for the module."""
    bench = bench_module("rules")
    vocab = bench._vocab(random.Random(7), 20000)
    units = load_units(CONFIG)
    unit_ids = {u.id for u in units}
    places = load_gazetteer(CONFIG / "rules" / "relevance" / "places.yaml", unit_ids)
    relevance = RelevanceRules(units, places)
    generated = bench.make_queries(400, 7, vocab)
    extra = [(RuleInfo(f"gen.{i}", "gen", "1", "topic"), q) for i, q in enumerate(generated)]
    extra += [(RuleInfo(f"extra.{i}"), q) for i, q in enumerate(EXTRA_QUERIES)]
    rules = RuleSet([*pack_rules(load_packs(CONFIG / "rules", unit_ids)), *relevance.rules, *extra])
    return rules, vocab, bench._example_sentences()


def _posts(n: int, seed: int) -> list[dict[str, Any]]:
    _, vocab, sentences = _world()
    posts = bench_module("rules").make_posts(n, seed, vocab, sentences)
    rng = random.Random(seed)
    for p in posts:
        p["post_id"] = f"{seed}-{p['post_id']}"
        if rng.random() < 0.4:
            words = p["text"].split(" ")
            words.insert(rng.randrange(len(words) + 1), rng.choice(NAMES))
            p["text"] = " ".join(words)
    return posts


def _nfd(s: str) -> str:
    return unicodedata.normalize("NFD", s)


def _sprinkle(rng: random.Random, text: str, pieces: list[str], k: int) -> str:
    words = text.split(" ")
    for _ in range(k):
        words.insert(rng.randrange(len(words) + 1), rng.choice(pieces))
    return " ".join(words)


def _hostile(posts: list[dict[str, Any]], seed: int) -> list[dict[str, Any]]:
    """Each post bent one of 16 ways; the rest of its fields stay realistic."""
    rng = random.Random(seed)
    out = []
    for i, p in enumerate(posts):
        q = dict(p)
        text, title = q["text"], q.get("title") or rng.choice(NAMES)
        kind = i % 16
        if kind == 0:
            q["text"] = _nfd(text)
        elif kind == 1:
            q["title"] = _nfd(title)
            q["author"] = _nfd(rng.choice(NAMES))
        elif kind == 2:
            q["text"] = _sprinkle(rng, text, ["\x1f", "a\x1fb", "\x1f\x1f", "xã\x1fTân Lập"], 3)
        elif kind == 3:
            q["title"] = float("nan")
            q["author"] = float("nan")
        elif kind == 4:
            q["text"] = None
            q["title"] = rng.choice([title, None, "", 0])
        elif kind == 5:
            q["text"] = rng.choice([12345, 3.5, True, -0.0])
            q["author"] = 42
        elif kind == 6:
            q["text"] = " ".join(p2["text"] for p2 in rng.sample(posts, 30))[:10_000]
        elif kind == 7:
            q["text"] = _sprinkle(rng, text, ODD, 6)
            q["title"] = rng.choice(ODD) + title
        elif kind == 8:
            q["title"], q["text"] = "", rng.choice(["", " ", "...", "\x1f"])
        elif kind == 9:
            q["author"] = rng.choice([*NAMES, "Nguyễn Văn Bình", "Minh", None, ""])
            q["text"] = _nfd(text) if rng.random() < 0.5 else text
        elif kind == 10:
            q["text"], q["title"] = text.upper(), title.upper()
        elif kind == 11:
            q["title"] = fold_text(title)
            q["author"] = fold_text(rng.choice(NAMES))
        elif kind == 12:
            q["text"] = _sprinkle(rng, text, ["  ,,, ", "!!!", "\t\n", " - ", "“", "…"], 8) + " ,. "
        elif kind == 13:
            q["text"] = _nfd(_sprinkle(rng, text, ["\x1f", *ODD], 3))
            q["author"] = float("nan")
        elif kind == 14:
            q["text"] = _nfd(text.replace("òa", "oà").replace("ủy", "uỷ").replace("oàn", "òan"))
        else:
            q["text"] = _sprinkle(rng, text, ["\u0301", "\u0323x", "e\u0302\u0301", "\x85", "\xa0"], 4)
        out.append(q)
    return out


def _same(posts: list[dict[str, Any]], compiled: bool = True) -> None:
    rules = _world()[0]
    matcher = Matcher(rules, compiled=compiled)
    # Where the modules are built, compiled=True reads the hits from flat arrays (posthits.pyx).
    assert (matcher._flat is not None) == (compiled and match._posthits is not None)
    got = matcher.match_batch(posts)
    want = ref.match_batch_reference(rules, posts)
    assert len(got) == len(want)
    for g, w in zip(got, want, strict=True):
        assert g == w
        assert [type(x) for s in g.spans for x in s] == [str, int, int, str] * len(g.spans)


# compiled=False: the hits in dicts and the candidate rules picked by their Python definition
# (see test_candidates and test_posthits).
@pytest.mark.parametrize("compiled", [True, False])
def test_generated_posts_get_exactly_the_reference_hits(compiled: bool) -> None:
    posts = _posts(3000, 11)
    _same(posts, compiled)


@pytest.mark.parametrize("compiled", [True, False])
def test_hostile_posts_get_exactly_the_reference_hits(compiled: bool) -> None:
    posts = _hostile(_posts(3200, 12), 12)
    _same(posts, compiled)
    # The fixture exercises what it claims: decomposed text matched, separators, odd fields.
    hits = Matcher(_world()[0]).match_batch(posts)
    kinds = {int(h.post_key[1].split("p")[1]) % 16 for h in hits}  # type: ignore[index]
    assert {0, 1, 2, 6, 7, 9, 10, 11, 12, 13, 14, 15} <= kinds


@pytest.mark.parametrize("size", [1, 2, 7, 300])
def test_any_batch_size_gives_the_hits_of_one_post_at_a_time(size: int) -> None:
    posts = _hostile(_posts(600, 13), 13)
    matcher = Matcher(_world()[0])
    one_by_one = [h for p in posts for h in matcher.match_batch([p])]
    batched = [h for i in range(0, len(posts), size) for h in matcher.match_batch(posts[i : i + size])]
    assert batched == one_by_one
    assert matcher.match_batch(iter(posts)) == one_by_one


def test_decomposed_text_offsets_agree_with_the_per_character_reference() -> None:
    rng = random.Random(5)
    alphabet = ["a", "o", "ư", " ", "đ", "😡", "\x1f", "\u0300", "\u0301", "\u0323", "\u0302", "\u0344"]
    alphabet += ["\u212b", "\u0958", "\u1100", "\u1161", "\u11a8", "\u093c", "\ufb1d", "x\u0323"]
    for _ in range(2000):
        orig = "".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 30)))
        n_nfc = len(unicodedata.normalize("NFC", orig))
        assert _nfc_offsets(orig, n_nfc) == ref._nfc_offsets(orig, n_nfc)


def test_a_phrase_spelling_the_field_separator_never_joins_two_posts() -> None:
    rules = RuleSet([(RuleInfo("sep"), '"xã \x1f tỉnh" OR "xa \x1f tinh"'), (RuleInfo("plain"), "xã")])
    posts = [
        {"post_id": "a", "title": "Tin tức", "text": "người dân về xã"},
        {"post_id": "b", "title": "tỉnh Sơn Hà ở đó", "text": "xã"},
        {"post_id": "c", "title": "ở xã", "text": "tỉnh nhà"},
        {"post_id": "d", "title": "tin xa", "text": "ve xa"},
        {"post_id": "e", "title": "tinh nha", "text": "o xa"},
    ]
    got = Matcher(rules).match_batch(posts, key=lambda p: p["post_id"])
    assert got == ref.match_batch_reference(rules, posts, key=lambda p: p["post_id"])
    assert [h.post_key for h in got if h.rule_id == "sep"] == ["c"]


def test_a_separator_inside_the_text_gives_spans_into_the_text_as_given() -> None:
    text = "Thông báo\x1fkhẩn: tin giả về lũ"
    hits = Matcher(RuleSet([(RuleInfo("r"), '"tin giả" OR khẩn')])).match_batch([{"text": text}])
    assert [(s.field, s.text, text[s.start : s.end]) for s in hits[0].spans] == [
        ("text", "khẩn", "khẩn"),
        ("text", "tin giả", "tin giả"),
    ]


def test_a_long_decomposed_post_maps_spans_back_to_its_own_characters() -> None:
    text = unicodedata.normalize("NFD", "Người dân xã Tân Lập phản ánh. " * 300 + "Sạt lở ở thôn Khe Mát")
    hits = Matcher(RuleSet([(RuleInfo("r"), '"sạt lở" OR "khe mát"')])).match_batch([{"text": text}])
    spans = hits[0].spans
    assert [unicodedata.normalize("NFC", s.text) for s in spans] == ["Sạt lở", "Khe Mát"]
    assert all(text[s.start : s.end] == s.text for s in spans)
    assert spans[-1].end == len(text)


def test_an_empty_batch_has_no_hits() -> None:
    assert Matcher(_world()[0]).match_batch([]) == []
    assert Matcher(_world()[0]).match_batch(iter(())) == []
