"""The compiled token-stream loops (token_ids.pyx) against their numpy definitions in features."""

from __future__ import annotations

import random

import numpy as np
import pytest

from postwatch.nlp import features as F

C = F._token_ids
pytestmark = pytest.mark.skipif(C is None, reason="token_ids.pyx is not compiled here")

# Tokens the negation scope reads, and ordinary ones.
ALPHABET = [*F.NEGATORS, *sorted(F._NEG_BREAKERS), *"!?.,;:", F._SEP_TOKEN, "tốt", "xấu", "đường", "a", "b"]


def test_negation_twins_equal_the_numpy_rule_on_random_streams() -> None:
    rnd = random.Random(3)
    for _ in range(3_000):
        types = rnd.sample(ALPHABET, k=rnd.randint(1, len(ALPHABET)))
        ids = np.array([rnd.randrange(len(types)) for _ in range(rnd.randint(0, 40))], dtype=np.int64)
        assert F._negation_twins(ids, types).tolist() == F._negation_twins_python(ids, types).tolist(), [
            types[i] for i in ids
        ]


def test_negation_scope_cases_read_as_the_rule_says() -> None:
    def twins(words: str) -> list[str]:
        types = list(dict.fromkeys(words.split()))
        ids = np.array([types.index(w) for w in words.split()], dtype=np.int64)
        return [w for w, t in zip(words.split(), F._negation_twins(ids, types), strict=True) if t]

    assert twins("không tốt lắm đâu nhé") == ["tốt", "lắm", "đâu"]  # three tokens of scope
    assert twins("không những tốt") == []  # a breaker right after the negator closes it
    assert twins("không , tốt") == []  # punctuation ends it
    assert twins("chưa tốt không đẹp") == ["tốt", "không", "đẹp"]  # a later negator restarts it
    assert twins("tốt không") == []


def test_token_ids_equal_the_numpy_spread_and_grow_the_same_vocabulary() -> None:
    rnd = random.Random(8)
    words = ["tốt", "k0 tốt", "ko", "👍", "a.b", "đường", "x", F._SEP_TOKEN, "hơi", "ổn"]
    for _ in range(500):
        distinct = rnd.sample(words, k=rnd.randint(1, len(words)))
        written = np.array([rnd.randrange(len(distinct)) for _ in range(rnd.randint(0, 30))], dtype=np.int64)
        start = {F._SEP_TOKEN: 0}
        want_vocab, got_vocab = dict(start), dict(start)
        want = F._token_ids_python(written, distinct, want_vocab)
        got = C.token_ids(written, distinct, F._WORD_PARTS, F._learn_word, got_vocab)
        assert got.dtype == np.int64
        assert got.tolist() == want.tolist()
        assert got_vocab == want_vocab and list(got_vocab) == list(want_vocab)


def test_token_ids_learn_a_new_word_once_and_expand_it() -> None:
    learned: list[str] = []

    def learn(word: str) -> tuple[str, ...]:
        learned.append(word)
        return ("x", "y") if word == "new" else (word,)

    vocab = {F._SEP_TOKEN: 0}
    ids = C.token_ids(np.array([0, 1, 0, 1], dtype=np.int64), ["new", "old"], {"old": ("y",)}, learn, vocab)
    assert learned == ["new"]
    assert list(vocab) == [F._SEP_TOKEN, "x", "y"]
    assert ids.tolist() == [1, 2, 2, 1, 2, 2]
