"""The compiled word numbering (word_codes.pyx) against ``str.split`` and the Arrow path."""

from __future__ import annotations

import random
import sys

import numpy as np
import pytest

from postwatch.nlp import features as F

C = F._word_codes_c
pytestmark = pytest.mark.skipif(C is None, reason="word_codes.pyx is not compiled here")


def _split_codes(text: str) -> tuple[list[int], list[str]]:
    words = text.split()
    number = {w: i for i, w in enumerate(dict.fromkeys(words))}
    return [number[w] for w in words], list(number)


def test_every_code_point_splits_or_joins_words_as_str_split_does() -> None:
    text = "".join(f"a{chr(cp)}b " for cp in range(sys.maxunicode + 1) if not 0xD800 <= cp <= 0xDFFF)
    ids, words = C.word_codes(text)
    assert (ids.tolist(), words) == _split_codes(text)


def test_fuzz_equals_str_split_with_surrogates_and_unicode_spaces() -> None:
    rnd = random.Random(11)
    alphabet = [*"ab c\t\n\r\x0b\x0c\x1c\x1f\x85\u00a0\u1680\u2003\u2028\u3000đ👍x", "\ud800", "ab"]
    for _ in range(20_000):
        text = "".join(rnd.choices(alphabet, k=rnd.randint(0, 80)))
        ids, words = C.word_codes(text)
        assert ids.dtype == np.int64
        assert (ids.tolist(), words) == _split_codes(text), repr(text)


def test_many_distinct_words_grow_the_table_and_keep_first_use_order() -> None:
    rnd = random.Random(5)
    text = " ".join(f"từ{rnd.randint(0, 40_000)}" for _ in range(200_000))
    ids, words = C.word_codes(text)
    assert (ids.tolist(), words) == _split_codes(text)
    arrow_ids, arrow_words = F._word_codes_python(text)
    assert np.array_equal(ids, arrow_ids) and words == arrow_words
