"""The compiled lower and folded views (lowerfold.pyx) against their definitions in features.py."""

from __future__ import annotations

import random
import sys

import pytest

from postwatch.nlp import features as F

C = F._lowerfold
pytestmark = pytest.mark.skipif(C is None, reason="lowerfold.pyx is not compiled here")


def _compiled(text: str) -> tuple[str, str] | None:
    return C.lower_fold(text, *F._lower_fold_tables())  # type: ignore[no-any-return,union-attr]


def _definition(text: str) -> tuple[str, str]:
    low = F.fix_tone_placement(text.lower())
    return low, F.fold(low)


def test_every_code_point_alone_and_between_letters() -> None:
    declined = set()
    for cp in range(sys.maxunicode + 1):
        text = f"A{chr(cp)}b"
        got = _compiled(text)
        if got is None:
            declined.add(cp)
        else:
            assert got == _definition(text), hex(cp)
    # Only what str.lower must handle itself: a longer lower case (İ), the capital sigma, and
    # the cased letters past the BMP (Deseret, Adlam ...).
    longer = {cp for cp in range(0x10000) if len(chr(cp).lower()) != 1}
    astral = {cp for cp in range(0x10000, sys.maxunicode + 1) if chr(cp).lower() != chr(cp)}
    assert declined == longer | {0x3A3} | astral


def test_tone_placement_at_syllable_ends_only_and_not_after_q() -> None:
    text = "HOÀ hoà hoàn thuỷ Thuỷ2 khoẻ quý quỷ tuỳ² tuỳ_x oà"
    got = _compiled(text)
    assert got == _definition(text)
    assert got is not None and got[0] == "hòa hòa hoàn thủy thủy2 khỏe quý quỷ tuỳ² tùy_x òa"


def test_fuzz_with_old_tone_placement_marks_and_astral_characters() -> None:
    rnd = random.Random(8)
    pieces = [
        "o",
        "u",
        "q",
        "Ò",
        "à",
        "ẻ",
        "ỷ",
        "y",
        "a",
        " ",
        "\n",
        "2",
        "_",
        "²",
        "😀",
        "𝒜",
        "Đ",
        "\u0301",
        "İ",
    ]
    declined = 0
    for _ in range(20_000):
        text = "".join(rnd.choices(pieces, k=rnd.randint(0, 12)))
        got = _compiled(text)
        if got is None:
            declined += 1
            assert "İ" in text
        else:
            assert got == _definition(text), text
    assert declined < 20_000 // 2


def test_tables_of_the_wrong_size_are_refused() -> None:
    lower, second, retone, fold = F._lower_fold_tables()
    with pytest.raises(ValueError, match="BMP"):
        C.lower_fold("a", lower[:10], second, retone, fold)  # type: ignore[union-attr]
