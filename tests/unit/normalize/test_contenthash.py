"""The compiled content hash (contenthash.pyx) against the Python definition and hashlib itself.

Where the module was not compiled (no C compiler at install) these skip; content_hash then uses
the definition itself.
"""

from __future__ import annotations

import hashlib
import random

import pytest

from postwatch.normalize import text as T

C = T._contenthash
pytestmark = pytest.mark.skipif(C is None, reason="contenthash.pyx is not compiled here")

ALPHABET = "aăâđêôơư oàáảãạ hòa thuỷ \u0301\n\t\x1f\u200b😀𝔸<&\"'" + "xyz"


def test_the_bytes_hashed_are_each_part_then_a_unit_separator() -> None:
    expected = hashlib.blake2b("Tiêu đề\x1fNội dung 😀\x1f".encode(), digest_size=16).hexdigest()
    assert C.content_hash("Tiêu đề", "Nội dung 😀") == expected
    assert C.content_hash(None, "") == hashlib.blake2b(b"\x1f\x1f", digest_size=16).hexdigest()
    assert C.content_hash() == hashlib.blake2b(b"", digest_size=16).hexdigest()


def test_it_agrees_with_the_definition_on_fuzz() -> None:
    rnd = random.Random(11)
    for _ in range(3000):
        parts = [
            None if rnd.random() < 0.1 else "".join(rnd.choices(ALPHABET, k=rnd.randint(0, 60)))
            for _ in range(rnd.randint(1, 8))
        ]
        assert C.content_hash(*parts) == T.content_hash_python(*parts), parts


def test_parts_that_are_not_plain_strings_are_left_to_the_definition() -> None:
    class Text(str):
        pass

    assert C.content_hash("a", 5) is None
    assert C.content_hash(Text("a")) is None
    assert C.content_hash(*["p"] * 9) is None
    assert T.content_hash("a", 5) == T.content_hash_python("a", "5")
    assert T.content_hash(*["p"] * 9) == hashlib.blake2b(b"p\x1f" * 9, digest_size=16).hexdigest()


def test_a_lone_surrogate_fails_as_the_definition_fails() -> None:
    with pytest.raises(UnicodeEncodeError):
        T.content_hash_python("a\ud800")
    with pytest.raises(UnicodeEncodeError):
        C.content_hash("a\ud800")
