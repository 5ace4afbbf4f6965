"""The compiled separate-and-squeeze pass (separate.pyx) against its definition in rules/text.py."""

from __future__ import annotations

import random
import sys

import pytest

from postwatch.rules import text as T

C = T._separate
pytestmark = pytest.mark.skipif(C is None, reason="separate.pyx is not compiled here")


def _compiled(text: str) -> tuple[bytes, bytes, list[int]]:
    return C.separate_squeeze(text, T._separated_bmp(), T._separated_byte)  # type: ignore[union-attr]


def test_every_code_point_between_letters_is_encoded_as_the_codec_does() -> None:
    # Every BMP character (lone surrogates included: the codec's error handler makes them
    # separators) goes through the table; past the BMP the codec is asked, so a sample will do.
    points = [*range(0x10000), *range(0x10000, sys.maxunicode + 1, 97)]
    text = "".join(f"a{chr(cp)}b {chr(cp)}\x1f" for cp in points)
    assert _compiled(text) == T.separate_squeeze_python(text)


def test_fuzz_with_space_runs_separators_and_astral_letters() -> None:
    rnd = random.Random(3)
    alphabet = ["a", "Đ", "ươ", " ", " ", "\x1f", ",", "\n", "😀", "𝒜", "中", "\ud800", "\u00a0", "x1", "Ê"]
    for _ in range(3_000):
        text = "".join(rnd.choices(alphabet, k=rnd.randint(0, 60)))
        assert _compiled(text) == T.separate_squeeze_python(text), text


def test_field_starts_point_after_each_separator_and_end_past_the_text() -> None:
    sep, squeezed, starts = T.separate_squeeze_python(" Cháy  rừng! \x1f  ở xã ")
    assert squeezed == T.encode(" Cháy rừng \x1f ở xã ")
    assert starts == [0, 12, len(squeezed) + 1]
    assert squeezed[starts[1] - 1 : starts[1]] == b"\x1f"
    assert len(sep) == len(" Cháy  rừng! \x1f  ở xã ")


def test_a_table_of_the_wrong_size_is_refused() -> None:
    with pytest.raises(ValueError, match="BMP"):
        C.separate_squeeze("a", b"\x20" * 10, T._separated_byte)  # type: ignore[union-attr]
