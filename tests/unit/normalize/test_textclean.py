"""The compiled clean_text (textclean.pyx) against the Python definition (text.clean_text_python).

Where the module was not compiled (no C compiler at install) these skip; the Python definition is
held to the careful reference in test_fast_paths.py either way.
"""

from __future__ import annotations

import random
import sys
import unicodedata

import pytest

from postwatch.normalize import posts as P
from postwatch.normalize import text as T
from tests.unit.normalize.reference import careful_clean
from tests.unit.normalize.test_fast_paths import HOSTILE, _fuzz

C = T._textclean
pytestmark = pytest.mark.skipif(C is None, reason="textclean.pyx is not compiled here")


def _careful_only(s: str) -> bool:
    """Whether the Python definition takes its careful tone path for ``s`` (None from the fast one)."""
    stripped = T.strip_invisible(s.replace("\r\n", "\n"))
    return not stripped.isascii() and T._retone_nfc(unicodedata.normalize("NFC", stripped)) is None


def _agrees(s: str) -> None:
    out = C.clean_text(s)
    if _careful_only(s):
        assert out is None, f"{s!r}: the compiled pass claims a case only the careful path gets right"
    else:
        assert out == T.clean_text_python(s), repr(s)


def test_the_compiled_strip_table_is_the_python_one_for_every_code_point() -> None:
    for cp in range(sys.maxunicode + 1):
        expected = T._STRIP.get(cp, -2)  # -2: kept
        expected = -1 if expected is None else expected  # None in the table: dropped
        assert C.strip_action_of(cp) == expected, f"U+{cp:04X}"


def test_the_compiled_tone_tables_are_the_python_ones() -> None:
    assert (C.TONED_AE, C.TONED_Y, C.TONED_MULTI) == (T._TONED_AE, T._TONED_Y, T._TONED_MULTI)


def test_every_code_point_in_every_place_that_matters_cleans_as_in_python() -> None:
    """Each character as a word's neighbour, after a toned vowel, inside a run of spaces, at the ends."""
    for cp in range(sys.maxunicode + 1):
        c = chr(cp)
        _agrees(f"{c}hoà{c}thuỷ {c}x  {c}\n{c}Qoà{c}")


@pytest.mark.parametrize("wide", ["", "ơ", "👍"], ids=["latin-1", "two-byte", "four-byte"])
def test_every_old_placement_moves_in_every_storage_kind(wide: str) -> None:
    """Pass 2 writes in the string's own kind: each swap, in strings stored one, two and four bytes
    a character (a swap of Latin-1 letters must stay Latin-1: hoà → hòa, uý → úy)."""
    moved = 0
    for toned in C.TONED_AE + C.TONED_Y:
        for first in "oOuU":
            s = f" x{first}{toned}  {wide}\n\n\n{first}{toned} "
            out = C.clean_text(s)
            assert out == careful_clean(s), repr(s)
            moved += toned not in out
    assert moved == 2 * len(C.TONED_AE) + 2 * len(C.TONED_Y)  # o/O + each oa-type, u/U + each uy-type


@pytest.mark.parametrize("s", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_strings_clean_as_in_python(s: str) -> None:
    _agrees(s)
    assert T.clean_text(s) == careful_clean(s)


def test_fuzz_cleans_as_in_python_and_mostly_without_the_careful_path() -> None:
    compiled = 0
    for s in _fuzz(40_000, seed=11):
        _agrees(s)
        compiled += C.clean_text(s) is not None
    assert compiled > 30_000, "the fuzz must exercise the compiled passes, not only the fallback"


def test_whitespace_runs_become_one_space_one_break_or_one_blank_line() -> None:
    assert C.clean_text(" a \t\f\v b\t\n \n\n c \n d\u3000") == "a b\n\nc\nd"
    assert C.clean_text("\r\n\r\nx\r\ry\u2028z") == "x\n\ny\nz"


def test_text_that_needs_nothing_comes_back_as_the_same_object() -> None:
    s = "Hòa Bình, thủy lợi\nkhỏe"
    assert C.clean_text(s) is s


def test_the_nfc_quick_check_lets_through_only_starters_that_never_compose_with_what_precedes() -> None:
    second_parts = set()
    for cp in range(sys.maxunicode + 1):  # every canonical pair composite, wherever it is
        d = unicodedata.decomposition(chr(cp))
        if d and not d.startswith("<") and len(d.split()) == 2:
            second_parts.add(int(d.split()[1], 16))
    safe = [cp for cp in range(C.NFC_TABLE_SIZE) if C.nfc_safe(cp)]
    for cp in safe:
        c = chr(cp)
        assert unicodedata.combining(c) == 0 and unicodedata.normalize("NFC", c) == c, f"U+{cp:04X}"
        assert cp not in second_parts, f"U+{cp:04X} composes with the character before it"
        assert (
            unicodedata.normalize("NFC", "a" + c) == "a" + c
            and unicodedata.normalize("NFC", "\u1100" + c) == "\u1100" + c
        )
    assert not C.nfc_safe(0x1161) and not C.nfc_safe(0x0301) and not C.nfc_safe(C.NFC_TABLE_SIZE)
    assert all(C.nfc_safe(ord(c)) for c in "Tỉnh Sơn Hà, Đông Thành: phường ĐẸP ƯỚC 100% “tin” …")
    assert len(safe) > 12_000, "the table must cover Latin, Vietnamese and punctuation"


def _plain_field(s: str) -> bool:
    """Whether _clean_field's Python path would only clean ``s``: no repair, no legacy flag, no HTML."""
    return T.repair_encoding(s) == (s, None) and not T.looks_like_html(s)


def test_clean_plain_cleans_exactly_the_fields_that_need_only_cleaning() -> None:
    legacy = ["Tæ nh Hµ Néi ®· cã", "To\u00e0 ¸n ¸ ¸ µ", "Tænh ñy ban nhaân daân xaõ Taân Laäp"]
    texts = [*HOSTILE, *legacy, *_fuzz(20_000, seed=5)]
    fast = 0
    for s in texts:
        out = C.clean_plain(s)
        if out is None:
            continue
        fast += 1
        assert _plain_field(s), f"{s!r}: needs a repair or HTML parsing, yet the plain path took it"
        assert out == C.clean_text(s), repr(s)
    assert fast > 5_000, "most fuzz strings must take the plain path"
    assert C.clean_plain("Tỉnh Sơn Hà\u200b hoà giải") == "Tỉnh Sơn Hà hòa giải"
    for s in ["a &amp; b", "x <b>y</b>", "Ã¡ Ä‘", "Tænh Hµ Néi ®· cã", "Tænh ñy ban nhaân daân xaõ"]:
        assert C.clean_plain(s) is None, s


def test_a_plain_field_normalizes_as_the_full_python_path() -> None:
    for s in _fuzz(5_000, seed=9):
        if C.clean_plain(s) is not None:
            assert P._clean_field(s, False) == (T.clean_text_python(s), None), repr(s)


VI_LETTERS = "".join(chr(cp) for cp in range(0x1EA0, 0x1EFA)) + "ăâđêôơưĂÂĐÊÔƠƯàáãèéêìíòóõùúýÀÁÃÈÉÌÍÒÓÕÙÚÝ"


def test_decomposed_vietnamese_composes_in_c_to_its_nfc() -> None:
    nfd = unicodedata.normalize("NFD", f"Tỉnh Sơn Hà: {VI_LETTERS} {VI_LETTERS.lower()}")
    assert nfd != unicodedata.normalize("NFC", nfd)
    assert C.compose_nfc_of(nfd) == unicodedata.normalize("NFC", nfd)


def test_composing_gives_nfc_or_leaves_the_text_to_unicodedata_on_fuzz() -> None:
    rnd = random.Random(4)
    marks = ["\u0300", "\u0301", "\u0303", "\u0309", "\u0323", "\u0302", "\u0306", "\u031b", "\u0308"]
    marks += ["\u0327", "\u0328", "\u0338", "\u0345", "\u0342", "\u1161", "\u09be", "\u3099", "\u0344"]
    bases = list("aAeEiIoOuUyYdDnNcCsSzZ ")
    bases += ["ơ", "ư", "â", "ạ", "ọ", "\u1100", "α", "ω", "и", "\u0b47", "😀", "\u0958"]
    composed = 0
    for _ in range(30_000):
        s = "".join(
            rnd.choice(marks) if rnd.random() < 0.4 else rnd.choice(bases) for _ in range(rnd.randint(1, 8))
        )
        out = C.compose_nfc_of(s)
        if out is not None:
            composed += 1
            assert out == unicodedata.normalize("NFC", s), repr(s)
    assert composed > 5_000, "the fuzz must exercise the composition, not only its refusals"


def _two_by_regex(s: str) -> bool:
    first = T._VI_LETTERS.search(s)
    return first is not None and T._VI_LETTERS.search(s, first.end()) is not None


def test_two_vietnamese_letters_is_the_regex_on_every_code_point_and_on_fuzz() -> None:
    for cp in range(sys.maxunicode + 1):
        c = chr(cp)
        assert C.two_vietnamese_letters(c + "ư") == _two_by_regex(c + "ư"), f"U+{cp:04X}"
    rnd = random.Random(6)
    alphabet = [*"aeoudĐđăâêôơưÂÊÔ ạỹ xyz", "\u0302", "😀", "\u1ea0", "\u1efa", "\u1e9f"]
    for _ in range(20_000):
        s = "".join(rnd.choices(alphabet, k=rnd.randint(0, 10)))
        assert C.two_vietnamese_letters(s) == _two_by_regex(s), repr(s)
