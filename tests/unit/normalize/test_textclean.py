"""The compiled clean_text (textclean.pyx) against the Python definition (text.clean_text_python).

Where the module was not compiled (no C compiler at install) these skip; the Python definition is
held to the careful reference in test_fast_paths.py either way.
"""

from __future__ import annotations

import sys
import unicodedata

import pytest

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
