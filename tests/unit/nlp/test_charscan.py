"""The compiled scans of the token stream (charscan.pyx) against their definitions in features.py."""

from __future__ import annotations

import random

import numpy as np
import pytest

from postwatch.nlp import features as F

C = F._charscan
pytestmark = pytest.mark.skipif(C is None, reason="charscan.pyx is not compiled here")

LETTERS, EMOJI = F._char_tables()


def _triples(text: str) -> list[int]:
    return C.triples(text, LETTERS.view(np.uint8))  # type: ignore[union-attr]


def _marked(text: str, table: np.ndarray) -> list[int]:
    return C.marked(text, table.view(np.uint8))  # type: ignore[union-attr]


def test_every_bmp_character_tripled_is_an_elongation_exactly_when_it_is_a_letter() -> None:
    text = "".join(f" {chr(cp) * 3}" for cp in range(0x10000))
    got = _triples(text)
    assert got == F.triples_python(text, LETTERS)
    assert 4 * ord("a") + 1 in got and 4 * ord("!") + 1 not in got  # letters yes, punctuation no


def test_every_bmp_character_is_marked_as_the_emoji_table_says() -> None:
    text = "".join(map(chr, range(0x10000))) + "😡👍🙏\U0001faf6\U00020000\U0010ffff"
    got = _marked(text, EMOJI)
    assert got == F.marked_python(text, EMOJI)
    assert text.index("😡") in got and 0x2764 in got  # ❤ (below U+FFFF) is an emoji too


@pytest.mark.parametrize("alphabet", ["ab đ!", "aaxđđ😡 ", "😡😡😡a\U00020000", "ééé\u0301 \n"])
def test_fuzz_over_one_two_and_four_byte_text(alphabet: str) -> None:
    rnd = random.Random(alphabet)
    small = np.zeros(300, dtype=bool)
    small[[ord("a"), ord("!"), 0xE9, 0x111 % 300]] = True
    for _ in range(3_000):
        text = "".join(rnd.choices(alphabet, k=rnd.randint(0, 40)))
        assert _triples(text) == F.triples_python(text, LETTERS), text
        assert _marked(text, EMOJI) == F.marked_python(text, EMOJI), text
        assert _marked(text, small) == F.marked_python(text, small), text


def test_short_texts_and_a_table_without_latin1_entries() -> None:
    assert _triples("") == _triples("aa") == []
    assert _triples("aaa") == [0]
    assert _marked("abc" * 10, EMOJI) == []  # one-byte text, emoji only past U+00FF
    with pytest.raises(ValueError, match="BMP"):
        C.triples("aaa", np.zeros(10, dtype=np.uint8))  # type: ignore[union-attr]
