"""The compiled key search (keydfa.pyx) against pyahocorasick, and collect against its definition.

Where keydfa was not compiled these skip, and both the rules and the term matcher use
pyahocorasick (AhoCorasickSearch), whose hits the definitions below are built on.
"""

from __future__ import annotations

import random
from bisect import bisect_right
from collections.abc import Iterator

import ahocorasick
import pytest

from postwatch import keysearch
from postwatch.keysearch import AhoCorasickSearch, collect, key_search
from postwatch.rules.packs import load_ruleset

compiled = pytest.mark.skipif(keysearch._keydfa is None, reason="keydfa.pyx is not compiled here")


@pytest.fixture(params=[True, False], ids=["compiled", "pyahocorasick"])
def use_compiled(request: pytest.FixtureRequest) -> bool:
    """Each test on both implementations (the compiled one skips where it was not built)."""
    if request.param and keysearch._keydfa is None:
        pytest.skip("keydfa.pyx is not compiled here")
    return bool(request.param)


def _pyahocorasick(pairs: list[tuple[str, int]], text: str) -> list[tuple[int, int]]:
    automaton = ahocorasick.Automaton()
    for key, kid in pairs:
        automaton.add_word(key, kid)
    automaton.make_automaton()
    return list(automaton.iter(text))


def _random_case(rnd: random.Random) -> tuple[list[tuple[str, int]], str]:
    alphabet = "ab c\x1fđươ👍"
    keys = {"".join(rnd.choices(alphabet[:7], k=rnd.randint(1, 6))) for _ in range(rnd.randint(1, 40))}
    # Several keys may share an id, as a term's spelling variants do in the rules.
    pairs = [(k, rnd.randrange(max(1, len(keys) // 2))) for k in sorted(keys)]
    return pairs, "".join(rnd.choices(alphabet, k=rnd.randint(0, 300)))


@compiled
def test_hits_are_pyahocorasicks_in_the_same_order_on_fuzz() -> None:
    rnd = random.Random(20261124)
    found = 0
    for _ in range(2_000):
        pairs, text = _random_case(rnd)
        expected = _pyahocorasick(pairs, text)
        assert key_search(pairs).iter(text) == expected, (pairs, text)
        found += len(expected)
    assert found > 10_000


@compiled
def test_hits_over_the_shipped_rules_keys_are_pyahocorasicks() -> None:
    ruleset = load_ruleset()
    for search in (ruleset.exact, ruleset.fold_all, ruleset.fold_plain):
        assert isinstance(search, keysearch._keydfa.KeyDfa)
        pairs = list(zip(search.keys(), range(len(search)), strict=True))
        fallback = AhoCorasickSearch(pairs)
        text = " ".join(k for k, _ in pairs[::3]) + " " + "".join(k for k, _ in pairs[1::7])
        expected = list(fallback.iter(text))
        assert expected, "the text is made of keys: there must be hits"
        assert key_search(pairs).iter(text) == expected


def _posts_layout(rnd: random.Random, text: str) -> tuple[list[int], list[int]]:
    """Post boundaries over ``text`` as the matcher lays them out: ascending starts and ends."""
    cuts = sorted(rnd.sample(range(1, len(text)), k=min(len(text) - 1, rnd.randint(0, 8))))
    starts = [0, *cuts]
    ends = [*cuts, len(text) + 1]
    return starts, ends


def _collect_cases(
    seed: int, n: int
) -> Iterator[tuple[list[tuple[str, int]], str, list[int], list[int], set[int] | None]]:
    """Random keys, a text laid out as posts (starts, ends) and posts to skip, for ``collect``."""
    rnd = random.Random(seed)
    for _ in range(n):
        pairs, text = _random_case(rnd)
        if len(text) < 2:
            continue
        starts, ends = _posts_layout(rnd, text)
        skip = set(rnd.sample(range(len(starts)), k=rnd.randint(0, len(starts)))) or None
        yield pairs, text, starts, ends, skip


def test_collect_buckets_hits_per_post_as_its_definition(use_compiled: bool) -> None:
    bucketed = 0
    for pairs, text, starts, ends, skip in _collect_cases(7, 1_000):
        expected: list[dict[int, list[int]] | None] = [None] * len(starts)
        collect(_pyahocorasick(pairs, text), starts, ends, expected, skip)
        got: list[dict[int, list[int]] | None] = [None] * len(starts)
        search = key_search(pairs, compiled=use_compiled)
        assert search is not None
        search.collect(text, starts, ends, got, skip)
        assert got == expected, (pairs, text, starts, skip)
        bucketed += sum(len(h) for h in got if h)
    assert bucketed > 1_000


@compiled
def test_collect_flat_gives_collects_hits_as_arrays_in_the_order_found() -> None:
    found = 0
    for k, (pairs, text, starts, ends, skip) in enumerate(_collect_cases(11, 1_000)):
        first = 5 * (k % 2)  # post numbers counted from 0, or from 5
        expected = []  # (post, key id, end at the post's offset), from pyahocorasick's hits
        for end, kid in _pyahocorasick(pairs, text):
            p = bisect_right(ends, end)
            if skip is None or p not in skip:
                expected.append((p + first, kid, end - starts[p]))
        search = key_search(pairs)
        assert search is not None
        posts, kids, where = search.collect_flat(text, starts, ends, skip, first)
        assert {a.dtype.name for a in (posts, kids, where)} == {"int32"}
        assert list(zip(posts.tolist(), kids.tolist(), where.tolist(), strict=True)) == expected
        found += len(expected)
    assert found > 1_000


@compiled
def test_collect_flat_apart_is_collect_flat_of_each_slice() -> None:
    rnd = random.Random(12)
    found = 0
    for _ in range(500):
        pairs, text = _random_case(rnd)
        search = key_search(pairs)
        assert search is not None
        ranges = []
        for _ in range(rnd.randint(0, 6)):
            a = rnd.randint(0, len(text))
            ranges.append((a, rnd.randint(a, len(text))))
        posts = rnd.sample(range(100), len(ranges))
        expected = [[], [], []]
        for (a, b), p in zip(ranges, posts, strict=True):
            for col, got in zip(
                expected, search.collect_flat(text[a:b], [0], [b - a + 1], None, p), strict=True
            ):
                col += got.tolist()
        got = search.collect_flat_apart(text, [a for a, _ in ranges], [b for _, b in ranges], posts)
        assert [c.tolist() for c in got] == expected
        found += len(expected[0])
    assert found > 500
    with pytest.raises(IndexError, match="outside the text"):
        search.collect_flat_apart("abc", [1], [4], [0])


def test_keys_outside_the_bmp_fall_back_to_pyahocorasick_and_are_still_found() -> None:
    search = key_search([("🙂x", 0), ("ab", 1)])
    assert isinstance(search, AhoCorasickSearch)
    assert list(search.iter("ab 🙂x")) == [(1, 1), (4, 0)]


def test_nothing_to_look_for_is_none() -> None:
    assert key_search([]) is None


def test_an_empty_key_is_ignored_and_a_repeated_key_keeps_its_last_id(use_compiled: bool) -> None:
    search = key_search([("", 0), ("ab", 1), ("b", 2), ("ab", 3)], compiled=use_compiled)
    assert search is not None
    assert (len(search), list(search.iter("xab"))) == (2, [(2, 3), (2, 2)])


def _word_case(rnd: random.Random) -> tuple[list[tuple[str, int]], str]:
    """Keys as the term matcher writes them (" word ", word characters and spaces), and a text of
    word characters, spaces, symbols, astral letters and emoji, a lone surrogate, "_" and digits."""
    words = ["ab", "b", "a b", "đươ", "x_1", "bb a"]
    keys = sorted(
        {" " + " ".join(rnd.choices(words, k=rnd.randint(1, 2))) + " " for _ in range(rnd.randint(1, 8))}
    )
    alphabet = [*words, " ", " ", "đ", "_", "1", "½", "-", "\n", "\x1f", "😀", "𝒜", "\ud800", "\u00a0"]
    pairs = [(k, i) for i, k in enumerate(keys)]
    return pairs, "".join(rnd.choices(alphabet, k=rnd.randint(0, 200)))


def test_iter_words_is_iter_over_the_word_view(use_compiled: bool) -> None:
    rnd = random.Random(11)
    found = 0
    for _ in range(2_000):
        pairs, text = _word_case(rnd)
        search = key_search(pairs, compiled=use_compiled)
        assert search is not None
        expected = _pyahocorasick(pairs, keysearch.word_view(text))
        assert list(search.iter_words(text)) == expected, (pairs, text)
        found += len(expected)
    assert found > 5_000


def test_the_word_view_blanks_exactly_what_is_not_a_word_character() -> None:
    text = "a-b_c 1,5 đ😀ß\U0001d7ce\u00b2 ½\n\x1f"
    assert keysearch.word_view(text) == " a b_c 1 5 đ ß\U0001d7ce\u00b2 ½   "
