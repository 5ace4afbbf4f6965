"""Vietnamese text forms the matcher works on, built for speed.

Every field is NFC-normalized and then encoded, one character to one byte, with a private
single-byte code: ASCII stays ASCII, each of the 134 Vietnamese letters (67 lower case, 67 upper
case) gets its own byte, and characters outside the code become a separator, or a neutral
"other letter" byte when they are letters. Because the mapping is one to one, offsets in the
encoded bytes are offsets in the NFC text, and lower-casing, diacritic folding (đ → d) and turning
punctuation into spaces are each one ``bytes.translate`` call in C. The byte strings are decoded as
Latin-1 to feed pyahocorasick and ``str`` methods without copying semantics.

Tone-mark placement (hoà / hòa, thuỷ / thủy) is made canonical per syllable, in the classic style
(hòa, thủy) that the warehouse also uses; only syllables that differ are ever re-examined.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from functools import cache, lru_cache
from itertools import accumulate

from postwatch import native

_separate = native.load("postwatch.rules.separate")  # separate_squeeze in C; None where not compiled

#: Combining tone marks: grave, acute, hook above, tilde, dot below.
TONE_MARKS = "\u0300\u0301\u0309\u0303\u0323"
_VOWELS = "aăâeêioôơuưy"
_MODIFIED = set("ăâêôơư")

#: Separator between the fields of one post in the encoded text; never part of a term.
FIELD_SEP = "\x1f"
#: Stands for any letter outside the Vietnamese alphabet (Cyrillic, CJK, ç, ü ...).
OTHER_LETTER = "\ue000"


def _vietnamese_letters() -> list[str]:
    out = ["đ"]
    for v in _VOWELS:
        out.append(v)
        out.extend(unicodedata.normalize("NFC", v + t) for t in TONE_MARKS)
    return [c for c in dict.fromkeys(out) if not c.isascii()]


LOWER_LETTERS: tuple[str, ...] = tuple(_vietnamese_letters())
#: Frequent non-ASCII punctuation, given a byte so it does not go through the slow error path.
_PUNCT = "\u00a0“”‘’–—…•·«»°″′„‹›‐‑−"


def _layout() -> tuple[str, dict[str, int]]:
    decoding: list[str | None] = [None] * 256
    for b in range(0x20, 0x7F):
        decoding[b] = chr(b)
    # NUL must map to itself or charmap_build falls back to a slow dict.
    for b in (0x00, 0x09, 0x0A, 0x0D, 0x1F):
        decoding[b] = chr(b)
    free = [b for b in range(256) if decoding[b] is None]
    # Bytes that are whitespace to str.split()/strip() once decoded as Latin-1 (\x1c, \x85, \xa0 ...)
    # carry punctuation, never letters.
    blank = [b for b in free if chr(b).isspace()]
    solid = [b for b in free if not chr(b).isspace()]
    letters = [*LOWER_LETTERS, *(c.upper() for c in LOWER_LETTERS), OTHER_LETTER]
    if len(letters) > len(solid) or len(letters) + len(_PUNCT) > len(free):  # pragma: no cover
        raise RuntimeError("single-byte layout overflow")
    for b, c in zip(solid, letters, strict=False):
        decoding[b] = c
    for b, c in zip(blank + solid[len(letters) :], _PUNCT, strict=False):
        decoding[b] = c
    table = "".join(c if c is not None else "\ufffe" for c in decoding)
    return table, {c: i for i, c in enumerate(decoding) if c is not None}


DECODING, BYTE_OF = _layout()
_ENCODING_MAP = codecs.charmap_build(DECODING)
if isinstance(_ENCODING_MAP, dict):  # pragma: no cover - a layout bug, caught by the first import
    raise RuntimeError("the single-byte layout must give a fast EncodingMap")
_OTHER_BYTE = BYTE_OF[OTHER_LETTER]


def _unencodable(exc: UnicodeError) -> tuple[str, int]:
    """Letters outside the code keep words whole; anything else separates words."""
    if not isinstance(exc, UnicodeEncodeError):  # pragma: no cover - registered for encoding only
        raise exc
    out = []
    for ch in exc.object[exc.start : exc.end]:
        cat = unicodedata.category(ch)
        out.append(OTHER_LETTER if cat[0] in "LMN" else " ")
    return "".join(out), exc.end


codecs.register_error("postwatch.rules", _unencodable)


def encode(s: str) -> bytes:
    """NFC text → one byte per character in the private code (case and diacritics kept)."""
    return codecs.charmap_encode(s, "postwatch.rules", _ENCODING_MAP)[0]


def decode(b: bytes) -> str:
    return codecs.charmap_decode(b, "strict", DECODING)[0]


def _tables() -> tuple[bytes, bytes, bytes, bytes, bytes, bytes, bytes]:
    separate = bytearray(b" " * 256)
    lower = bytearray(b" " * 256)
    fold = bytearray(b" " * 256)
    for b in range(256):
        c = DECODING[b]
        if c == "\ufffe":
            continue
        if c.isascii() and c.isalnum():
            separate[b] = b
            lower[b] = fold[b] = ord(c.lower())
        elif c in (OTHER_LETTER, FIELD_SEP):
            separate[b] = lower[b] = fold[b] = b
        elif c.lower() in LOWER_LETTERS:
            lc = c.lower()
            separate[b] = b
            lower[b] = BYTE_OF[lc]
            fold[b] = ord(unicodedata.normalize("NFD", lc)[0].replace("đ", "d"))
    qseparate, qlower, qfold = bytearray(separate), bytearray(lower), bytearray(fold)
    for w in b"*?":
        qseparate[w] = qlower[w] = qfold[w] = w
    diacritic = bytes(BYTE_OF[c] for c in LOWER_LETTERS)
    return (
        bytes(separate),
        bytes(lower),
        bytes(fold),
        bytes(qseparate),
        bytes(qlower),
        bytes(qfold),
        diacritic,
    )


#: translate tables. SEPARATE keeps letters (and case) and turns everything else into a space;
#: LOWER also lower-cases; FOLD also drops diacritics (đ → d). The QUERY_ variants keep the
#: wildcards * and ? for parsing terms.
SEPARATE, LOWER, FOLD, QUERY_SEPARATE, QUERY_LOWER, QUERY_FOLD, DIACRITIC_BYTES = _tables()
#: For counting, on lower-cased text: letters with diacritics → 1, field separator → 2, space kept.
MARKS = bytes(1 if b in DIACRITIC_BYTES else 2 if b == 0x1F else 0x20 if b == 0x20 else 0 for b in range(256))

_SPACES = re.compile(r"  +")
_SPACES_B = re.compile(rb"  +")


def squeeze(s: str) -> str:
    """Collapse runs of spaces so syllables are separated by exactly one."""
    return _SPACES.sub(" ", s)


def squeeze_bytes(b: bytes) -> bytes:
    return _SPACES_B.sub(b" ", b)


def separate_squeeze(text: str) -> tuple[bytes, bytes, list[int]]:
    """``text`` (NFC) encoded with everything but letters and digits a space (``SEPARATE``), the
    same squeezed, and where each field (between ``FIELD_SEP`` bytes) of the squeezed bytes
    starts, then the squeezed length + 1."""
    if _separate is not None:
        return _separate.separate_squeeze(text, _separated_bmp(), _separated_byte)  # type: ignore[no-any-return]
    return separate_squeeze_python(text)


def separate_squeeze_python(text: str) -> tuple[bytes, bytes, list[int]]:
    """The definition ``separate.pyx`` follows."""
    sep = encode(text).translate(SEPARATE)
    squeezed = squeeze_bytes(sep)
    starts = [a + k for k, a in enumerate(accumulate(map(len, squeezed.split(b"\x1f")), initial=0))]
    return sep, squeezed, starts


@cache
def _separated_bmp() -> bytes:
    """The separated byte of every BMP character (lone surrogates included), by the codec itself."""
    return encode("".join(map(chr, range(0x10000)))).translate(SEPARATE)


def _separated_byte(code_point: int) -> int:
    return encode(chr(code_point)).translate(SEPARATE)[0]


def nfc(s: str) -> str:
    return s if unicodedata.is_normalized("NFC", s) else unicodedata.normalize("NFC", s)


def _tone_tables() -> tuple[dict[str, tuple[str, int]], dict[tuple[str, int], str]]:
    split: dict[str, tuple[str, int]] = {}
    join: dict[tuple[str, int], str] = {}
    for lc in LOWER_LETTERS:
        for c in (lc, lc.upper()):
            d = unicodedata.normalize("NFD", c)
            tone = next((i for i, t in enumerate(TONE_MARKS) if t in d), None)
            if tone is None:
                continue
            base = unicodedata.normalize("NFC", "".join(ch for ch in d if ch not in TONE_MARKS))
            split[c] = (base, tone)
            join[(base, tone)] = c
    return split, join


_SPLIT_TONE, _JOIN_TONE = _tone_tables()


def _canonical_syllable(w: str) -> str:
    toned = [i for i, c in enumerate(w) if c in _SPLIT_TONE]
    if len(toned) != 1:
        return w
    at = toned[0]
    base, tone = _SPLIT_TONE[w[at]]
    chars = list(w)
    chars[at] = base
    low = [c.lower() for c in chars]
    span = _nucleus(low)
    if span is None:
        return w
    start, end = span
    nucleus = low[start:end]
    closed = end < len(low)
    modified = [i for i, c in enumerate(nucleus) if c in _MODIFIED]
    if modified:
        target = modified[-1]
    elif len(nucleus) == 1:
        target = 0
    elif len(nucleus) == 3:
        target = 1
    elif len(nucleus) == 2:
        target = 1 if closed else 0
    else:
        return w
    pos = start + target
    joined = _JOIN_TONE.get((chars[pos], tone))
    if joined is None:
        return w
    chars[pos] = joined
    return "".join(chars)


@lru_cache(maxsize=65536)
def canonical_tones(text: str) -> str:
    """Put each syllable's tone mark in its classic place (hoà → hòa, thuỷ → thủy, hòang → hoàng)."""
    return " ".join(_canonical_syllable(w) for w in text.split(" "))


@lru_cache(maxsize=262144)
def canonical_encoded(latin: str) -> str:
    """``canonical_tones`` for a lower-cased encoded slice (Latin-1 view of the private code)."""
    uni = decode(latin.encode("latin-1"))
    out = canonical_tones(uni)
    if out == uni:
        return latin
    return encode(out).decode("latin-1")


_WORD = re.compile(r"(?:[^\W_]|[\u0300-\u036f])+")


def fold_text(s: str) -> str:
    """Lower-case, drop diacritics (đ → d) and punctuation: what a diacritic-free term is compared to."""
    return squeeze(encode(nfc(s)).translate(FOLD).decode("latin-1")).strip(" ")


def syllables(s: str) -> list[str]:
    """The syllables of ``s`` as the matcher sees them (NFC, lower case, tones placed, readable)."""
    low = squeeze(encode(nfc(s)).translate(LOWER).decode("latin-1")).strip(" ")
    return canonical_tones(decode(low.encode("latin-1"))).split(" ") if low else []


def word_spans(s: str) -> list[tuple[int, int]]:
    """Character spans of the words of ``s`` (letters, digits, combining marks)."""
    return [m.span() for m in _WORD.finditer(s)]


def _nucleus(low: list[str]) -> tuple[int, int] | None:
    """(start, end) of the vowel nucleus of a lower-case syllable, after a qu / gi onset."""
    start = 0
    while start < len(low) and low[start] not in _VOWELS:
        start += 1
    if start == len(low):
        return None
    onset = low[start - 1] + low[start] if start > 0 else ""
    if onset in ("qu", "gi") and start + 1 < len(low) and low[start + 1] in _VOWELS:
        start += 1
    end = start
    while end < len(low) and low[end] in _VOWELS:
        end += 1
    if any(c in _VOWELS for c in low[end:]):
        return None
    return start, end


def tone_variants(syllable: str) -> list[str]:
    """A canonical syllable and the other spellings people use for it: the modern placement
    (hòa → hoà, thủy → thuỷ, khỏe → khoẻ) and the misplaced one in closed syllables (hoàng → hòang)."""
    out = [syllable]
    toned = [i for i, c in enumerate(syllable) if c in _SPLIT_TONE]
    if len(toned) != 1:
        return out
    at = toned[0]
    base, tone = _SPLIT_TONE[syllable[at]]
    chars = list(syllable)
    chars[at] = base
    span = _nucleus([c.lower() for c in chars])
    if span is None or span[1] - span[0] != 2:
        return out
    start, end = span
    if "".join(chars[start:end]).lower() not in ("oa", "oe", "uy"):
        return out
    other = start + 1 if at == start else start
    joined = _JOIN_TONE.get((chars[other], tone))
    if joined is not None:
        chars[other] = joined
        out.append("".join(chars))
    return out


def tone_variants_encoded(latin: str) -> list[str]:
    """``tone_variants`` for an encoded syllable (Latin-1 view of the private code)."""
    return [encode(v).decode("latin-1") for v in tone_variants(decode(latin.encode("latin-1")))]
