"""The compiled story text (storykey.pyx) against the Python definition (posts.story_text).

Where the module was not compiled (no C compiler at install) these skip; story_key then uses
the definition itself.
"""

from __future__ import annotations

import random
import sys

import pytest

from postwatch.normalize import posts as P
from postwatch.normalize import text as T

S = P._storykey
pytestmark = pytest.mark.skipif(S is None, reason="storykey.pyx is not compiled here")


def _agrees(basis: str) -> None:
    out = S.story_text(basis)
    if any(S.table_entry(ord(c)) == -2 for c in basis):
        assert out is None, f"{basis!r}: a character outside the table must leave the key to Python"
    else:
        assert out == P.story_text(basis), repr(basis)


def test_the_compiled_punctuation_is_the_python_one() -> None:
    assert S.KEY_PUNCT == P._KEY_PUNCT


def test_the_table_folds_each_character_as_fold_diacritics_of_its_lower_case() -> None:
    for cp in range(S.TABLE_SIZE):
        folded = T.fold_diacritics(chr(cp).lower())
        expected = -1 if folded == "" else ord(folded) if len(folded) == 1 else -2
        if cp == 0x03A3:
            expected = -2  # capital sigma: its lower case depends on the next letter
        assert S.table_entry(cp) == expected, f"U+{cp:04X}"
    assert S.table_entry(ord("Đ")) == ord("d") and S.table_entry(0x0301) == -1


def test_every_code_point_inside_and_between_words_keys_as_in_python() -> None:
    for cp in range(sys.maxunicode + 1):
        c = chr(cp)
        _agrees(f"Ab {c}Hoà{c} x{c}, «{c}» {c}")


def test_hostile_titles_key_as_in_python() -> None:
    titles = [
        "UBND tỉnh Sơn Hà: “Khen thưởng” (đột xuất) cho xã Tân Lập — tin nhanh!",
        "ĐƯỜNG LÊN THỦY NGUYÊN SẠT LỞ, HOÀ BÌNH -- KHOẺ",
        " ".join(f"từ{i}" for i in range(40)),  # only the first 16 words count
        "-- ... ,,, !!!",  # words that strip to nothing still count, as empty words
        "\u00a0Hoà\u2003Bình\u3000x\x1cy\x85z\u2028w",  # every kind of whitespace splits
        "ΟΔΟΣ ΚΛΕΙΣΤΗ",  # capital sigma: lower case by context
        "Tin nóng 🔥 cháy rừng",
        "ﬁnal ǅ İ ß ẞ",
        "",
    ]
    for title in titles:
        _agrees(title)


def test_fuzz_keys_as_in_python() -> None:
    alphabet = list("aAoOđĐ .,:;!?\"'()[]-–«»“”\t\n") + list("àÀẬệ\u0300\u0301\u0323\u00a0\u2003ΣσİẞǅⅫ👍")
    rnd = random.Random(24)
    compiled = 0
    for _ in range(20_000):
        basis = "".join(rnd.choices(alphabet, k=rnd.randint(0, 60)))
        _agrees(basis)
        compiled += S.story_text(basis) is not None
    assert compiled > 5_000, "the fuzz must exercise the compiled pass, not only the fallback"
