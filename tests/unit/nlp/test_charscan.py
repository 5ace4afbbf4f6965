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


@pytest.mark.parametrize("alphabet", ["ab\n", "ả\nb", "😡\na", "é\n"])
def test_spaces_put_at_positions_give_the_definitions_text(alphabet: str) -> None:
    rnd = random.Random(alphabet)
    for _ in range(2_000):
        text = "".join(rnd.choices(alphabet, k=rnd.randint(1, 30)))
        ascii_at = [i for i, ch in enumerate(text) if ch < "\x80"]
        positions = sorted(rnd.sample(ascii_at, rnd.randint(0, len(ascii_at))))
        got = C.put_spaces(text, positions)  # type: ignore[union-attr]
        # Equal strings of one storage kind: the copy is a well-formed string like Python's.
        assert got == F.put_spaces_python(text, positions) == F._put_spaces(text, positions), (
            text,
            positions,
        )


def test_a_non_ascii_character_to_replace_is_left_to_python() -> None:
    # "é" is the only non-ASCII character: the result is ASCII, so Python builds it.
    assert C.put_spaces("aé\nb", [1]) is None  # type: ignore[union-attr]
    assert F._put_spaces("aé\nb", [1, 2]) == "a  b"
    with pytest.raises(IndexError, match="position 9"):
        C.put_spaces("abc", [9])  # type: ignore[union-attr]
